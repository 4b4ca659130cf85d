/* test-batch-page.c: the Batch and Compare pages in a real window under
 * Xvfb against the fake provider: a CSV in, its tokens matched to columns, a
 * row with an empty cell named and skipped, the batch run to the end, its
 * results exported; a broken file refused with its row; three models
 * compared, the results tagged, one kept. */
#include "config.h"

#include <string.h>

#include "px-batch-page.h"
#include "px-ai-video-group.h"
#include "px-apply-edits-dialog.h"
#include "px-batch-video-dialog.h"
#include "px-video-dialog.h"
#include "px-compare-page.h"
#include "px-fake-provider.h"
#include "px-gallery-page.h"
#include "px-generate-page.h"
#include "px-problem-banner.h"
#include "px-test-fake.h"
#include "px-test-ui.h"
#include "px-window.h"

#define KEY "test-key-0123456789"

static PxApplication *app;
static PxFakeProvider *fake;
static PxWindow *window;
static PxBatchPage *page;
static char *dir;
static GPtrArray *notifications;   /* what the app asked the notification server to show */

static GFile *
write_csv (const char *name,
           const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_file_new_for_path (path);
}

static void
spin_until (gboolean (*done) (void))
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done () && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  g_assert_true (done ());
}

static gboolean
loaded (void)
{
  return px_batch_page_get_n_rows (page) == 6;
}

static gboolean
has_error (void)
{
  return px_batch_page_get_error (page) != NULL;
}

static gboolean
finished (void)
{
  return px_batch_page_get_runner (page) != NULL && !px_batch_page_is_running (page) &&
         px_batch_runner_get_job (px_batch_page_get_runner (page))->completed > 0;
}

static void
test_import_map_validate_run_export (void)
{
  g_autoptr(GFile) csv = write_csv ("people.csv", "First Name,Company,City\nAda,Acme,Paris\nBo,,Rome\nCy,Corp,Oslo\n"
                                                  "Di,Dyn,Lima\nEd,Eon,Kyiv\nFa,Fox,Baku\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(PxBatchJob) job = NULL;
  g_autofree char *results = g_build_filename (dir, "results.csv", NULL);
  g_autofree char *text = NULL;
  GtkWidget *mapping, *start;
  const char *problems;

  px_batch_page_open_csv (page, csv);
  spin_until (loaded);

  px_token_editor_set_text (px_batch_page_get_editor (page), "Portrait of [FIRST_NAME] at [COMPANY] in [TOWN|a city] for [TEAM]");
  /* TEAM has no column: until a token set gives it a value, no row can be made. */
  g_assert_nonnull (strstr (px_batch_page_get_problems (page), "[TEAM] has no column"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW,
                                                                      "globals")), 1);
  g_assert_null (strstr (px_batch_page_get_problems (page), "[TEAM]"));
  /* FIRST_NAME and COMPANY found their columns by name; TOWN has a default. */
  mapping = px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, "FIRST_NAME");
  g_assert_nonnull (mapping);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (mapping)), ==, 1);
  mapping = px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, "TOWN");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (mapping)), ==, 0);
  /* TOWN takes the City column after all. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (mapping), 3);

  problems = px_batch_page_get_problems (page);
  g_assert_nonnull (problems);
  g_assert_nonnull (strstr (problems, "Row 2: [COMPANY] is empty"));
  start = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "start");
  g_assert_false (gtk_widget_is_sensitive (start));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON, NULL)), TRUE);
  g_assert_true (px_batch_page_select_model (page, "gpt-image-2"));
  /* The model's own settings, as on the Generate page. */
  {
    AdwComboRow *size = ADW_COMBO_ROW (px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, "size"));

    g_assert_nonnull (size);
    adw_combo_row_set_selected (size, 1);
    g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (size)), ==, "1536x1024");
  }
  g_assert_true (gtk_widget_is_sensitive (start));
  g_signal_emit_by_name (start, "clicked");
  spin_until (finished);

  library = g_object_ref (px_application_get_library (app, NULL));
  job = px_batch_get (library, px_batch_page_get_job_id (page), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (job->total, ==, 5);
  g_assert_cmpuint (job->completed, ==, 5);
  g_assert_cmpstr (job->status, ==, "completed");
  g_assert_cmpstr (g_hash_table_lookup (job->settings, "size"), ==, "1536x1024");
  g_assert_cmpstr (g_hash_table_lookup (job->tokens, "TEAM"), ==, "Platform");

  g_assert_true (px_batch_export_csv (library, job->id, results, &error));
  g_assert_true (g_file_get_contents (results, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "Ada,Acme,Paris,completed"));
  g_assert_null (strstr (text, "Bo,"));
  g_assert_nonnull (strstr (px_batch_runner_get_job (px_batch_page_get_runner (page))->template_prompt, "[TOWN|a city]"));

  /* "Show in Gallery": the gallery shows this batch's images only. */
  g_signal_emit_by_name (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "show-in-gallery"), "clicked");
  g_assert_cmpstr (px_window_get_page (window), ==, "gallery");
  {
    GtkWidget *gallery = px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GALLERY_PAGE, NULL);

    g_assert_true (px_test_ui_wait_for_n_items (px_gallery_page_get_model (PX_GALLERY_PAGE (gallery)), 5));
    g_assert_true (gtk_widget_get_visible (px_test_ui_find_by_name (gallery, GTK_TYPE_BUTTON, "batch-filter")));
    px_gallery_page_show_batch (PX_GALLERY_PAGE (gallery), 0);
    px_window_set_page (window, "batch");
  }
}

static PxBatchVideoDialog *video_dialog;

static gboolean
videos_stopped (void)
{
  return !px_batch_video_dialog_is_running (video_dialog);
}

static gboolean
videos_paused (void)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (px_test_ui_find_by_name (GTK_WIDGET (video_dialog), GTK_TYPE_PROGRESS_BAR,
                                                                   NULL));

  return g_str_has_prefix (gtk_progress_bar_get_text (bar), "Paused after");
}

/* Make Videos for the finished batch: a video of each of its five images
 * in the library, tied to its image; pause holds it, resume finishes it;
 * Show Videos opens the Gallery on them. */
static void
test_make_videos (void)
{
  g_autoptr(GPtrArray) videos = NULL;
  g_autoptr(GError) error = NULL;
  PxLibrary *library = px_application_get_library (app, NULL);
  PxLibraryQuery query = { .batch_id = px_batch_page_get_job_id (page) };
  g_autoptr(GPtrArray) images = px_library_list (library, &query, 0, 100, &error);
  g_autoptr(GHashTable) image_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  GtkWidget *gallery;

  g_assert_cmpuint (images->len, ==, 5);
  for (guint i = 0; i < images->len; i++)
    g_hash_table_add (image_ids, &((PxLibraryImage *) g_ptr_array_index (images, i))->id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.make-videos", NULL));
  video_dialog = PX_BATCH_VIDEO_DIALOG (px_test_ui_find_toplevel (PX_TYPE_BATCH_VIDEO_DIALOG));
  g_assert_nonnull (video_dialog);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (px_test_ui_find_by_name (GTK_WIDGET (video_dialog),
                                                                       GTK_TYPE_SPIN_BUTTON, "duration")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (GTK_WIDGET (video_dialog), ADW_TYPE_COMBO_ROW,
                                                                      "resolution")), 0);
  /* It knows how many images there are before it can start. */
  g_assert_true (px_test_ui_wait_until ((gboolean (*) (gpointer)) gtk_widget_is_sensitive,
                                        px_test_ui_find_by_name (GTK_WIDGET (video_dialog), GTK_TYPE_BUTTON,
                                                                 "make")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (video_dialog), "videos.make", NULL));
  g_assert_true (px_batch_video_dialog_is_running (video_dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (video_dialog), "videos.pause", NULL));
  spin_until (videos_paused);
  /* Paused, it stays where it is. */
  {
    g_autoptr(GPtrArray) so_far = px_library_list_videos (library, 0, &error);
    guint made = so_far->len;

    g_assert_cmpuint (made, <, 5);
    px_test_ui_spin (1500);
    g_clear_pointer (&so_far, g_ptr_array_unref);
    so_far = px_library_list_videos (library, 0, &error);
    g_assert_cmpuint (so_far->len, ==, made);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (video_dialog), "videos.pause", NULL));
  spin_until (videos_stopped);

  videos = px_library_list_videos (library, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (videos->len, ==, 5);
  for (guint i = 0; i < videos->len; i++)
    {
      PxLibraryVideo *video = g_ptr_array_index (videos, i);

      g_assert_true (g_hash_table_remove (image_ids, &video->image_id));
      g_assert_true (g_file_test (video->file, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (video->duration_ms, ==, 1000);
    }
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (px_test_ui_find_by_name (GTK_WIDGET (video_dialog),
                                                                                    GTK_TYPE_LABEL, "status"))),
                            "5 videos made"));

  /* Show Videos: the Gallery, on its videos. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (video_dialog), "videos.show", NULL));
  px_test_ui_spin (100);
  g_assert_cmpstr (px_window_get_page (window), ==, "gallery");
  gallery = px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GALLERY_PAGE, NULL);
  g_assert_true (px_test_ui_wait_for_n_items (px_gallery_page_get_video_model (PX_GALLERY_PAGE (gallery)), 5));
  px_gallery_page_show_videos (PX_GALLERY_PAGE (gallery), FALSE);
  px_window_set_page (window, "batch");
}

static gboolean
dialog_has_video (gpointer data)
{
  return px_video_dialog_get_video_id (data) != 0;
}

static gboolean
job_asked (gpointer data)
{
  return px_ai_video_group_get_job_id (data) != 0;
}

static guint
count_videos (PxLibrary *library)
{
  g_autoptr(GPtrArray) videos = px_library_list_videos (library, 0, NULL);

  return videos ? videos->len : 0;
}

static PxLibrary *ai_library;
static guint ai_videos_before;

static gboolean
two_notifications (gpointer data)
{
  return notifications->len >= 2;
}

static gboolean
one_more_video (gpointer data)
{
  return count_videos (ai_library) > ai_videos_before;
}

/* Make Video's "Ask a Video Model": the price on the button, the video
 * made by the (fake) Veo, played in the dialog and kept with its cost; a
 * second one asked and the dialog closed at once still arrives, followed
 * by the application. */
static void
test_ask_video_model (void)
{
  PxLibrary *library = px_application_get_library (app, NULL);
  PxLibraryQuery query = { .batch_id = px_batch_page_get_job_id (page) };
  g_autoptr(GPtrArray) images = px_library_list (library, &query, 0, 1, NULL);
  PxAiVideoPolicy policy = { .first_poll_ms = 50, .max_poll_ms = 100, .give_up_ms = 60 * 1000 };
  g_autoptr(PxLibraryVideo) video = NULL;
  PxVideoDialog *dialog;
  GtkWidget *group, *button;
  guint submitted = px_fake_provider_get_video_submissions (fake);

  px_ai_video_follower_set_policy (px_application_get_ai_videos (app), &policy);
  g_assert_cmpuint (images->len, ==, 1);
  dialog = px_video_dialog_new (GTK_WINDOW (window), library, g_ptr_array_index (images, 0));
  gtk_window_present (GTK_WINDOW (dialog));
  group = px_test_ui_find_by_name (GTK_WIDGET (dialog), PX_TYPE_AI_VIDEO_GROUP, NULL);
  g_assert_nonnull (group);
  adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (group, ADW_TYPE_COMBO_ROW, "ai-length")), 0);
  button = px_test_ui_find_by_name (group, GTK_TYPE_BUTTON, "ask-ai");
  /* Veo 3.1 Lite, 4 seconds at 720p: 4 × $0.05. */
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (button)), "$0.20"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (group, ADW_TYPE_COMBO_ROW, "ai-resolution")), 1);
  /* 1080p is 8 seconds only. */
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (button)), "$0.64"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (group, ADW_TYPE_COMBO_ROW, "ai-resolution")), 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (group, ADW_TYPE_COMBO_ROW, "ai-length")), 0);
  gtk_editable_set_text (GTK_EDITABLE (px_test_ui_find_by_name (group, ADW_TYPE_ENTRY_ROW, "ai-prompt")),
                         "She smiles and waves");
  g_assert_true (gtk_widget_activate_action (group, "ai-video.ask", NULL));
  g_assert_true (px_test_ui_wait_until (dialog_has_video, dialog));
  video = px_library_get_video (library, px_video_dialog_get_video_id (PX_VIDEO_DIALOG (dialog)), NULL);
  g_assert_nonnull (video);
  g_assert_cmpstr (video->effect, ==, "veo-3.1-lite-generate-preview");
  g_assert_cmpfloat_with_epsilon (video->cost, 0.20, 1e-9);
  g_assert_nonnull (strstr (video->settings_json, "She smiles and waves"));
  g_assert_cmpuint (px_fake_provider_get_video_submissions (fake), ==, submitted + 1);
  gtk_window_close (GTK_WINDOW (dialog));
  px_test_ui_spin (200);

  /* Asked, and the window closed at once: the video still comes. */
  ai_library = library;
  ai_videos_before = count_videos (library);
  dialog = px_video_dialog_new (GTK_WINDOW (window), library, g_ptr_array_index (images, 0));
  gtk_window_present (GTK_WINDOW (dialog));
  group = px_test_ui_find_by_name (GTK_WIDGET (dialog), PX_TYPE_AI_VIDEO_GROUP, NULL);
  g_assert_true (gtk_widget_activate_action (group, "ai-video.ask", NULL));
  g_assert_true (px_test_ui_wait_until (job_asked, group));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (px_test_ui_wait_until (one_more_video, NULL));
  g_assert_cmpuint (px_fake_provider_get_video_submissions (fake), ==, submitted + 2);
  /* Each said so in a notification, the window that asked gone or not. */
  g_assert_true (px_test_ui_wait_until (two_notifications, NULL));
  g_assert_nonnull (strstr (g_ptr_array_index (notifications, 0), "Your video is ready"));
  g_assert_nonnull (strstr (g_ptr_array_index (notifications, 1), "Your video is ready"));
  g_ptr_array_set_size (notifications, 0);
}

static gboolean
edits_ready (gpointer data)
{
  return px_apply_edits_dialog_is_ready (data);
}

static gboolean
edits_stopped (gpointer data)
{
  return !px_apply_edits_dialog_is_running (data);
}

/* Apply Edits from the batch page with a recipe file: each of the batch's
 * five images gets an edit linked to it, its own name in the text; the
 * originals stay. */
static void
test_apply_edits (void)
{
  PxLibrary *library = px_application_get_library (app, NULL);
  PxLibraryQuery query = { .batch_id = px_batch_page_get_job_id (page) };
  g_autofree char *recipe = g_build_filename (dir, "edit.json", NULL);
  g_autoptr(GPtrArray) before = px_library_list (library, &query, 0, 100, NULL);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GHashTable) originals = g_hash_table_new (g_int64_hash, g_int64_equal);
  PxApplyEditsDialog *dialog;
  guint edits = 0;

  g_assert_true (g_file_set_contents (recipe, "{\"operations\": [{\"op\": \"filter\", \"name\": \"sepia\"}, "
                                      "{\"op\": \"text\", \"text\": \"[FIRST_NAME]\", \"size\": 24}]}", -1, NULL));
  for (guint i = 0; i < before->len; i++)
    g_hash_table_add (originals, &((PxLibraryImage *) g_ptr_array_index (before, i))->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.apply-edits", NULL));
  dialog = PX_APPLY_EDITS_DIALOG (px_test_ui_find_toplevel (PX_TYPE_APPLY_EDITS_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (px_apply_edits_dialog_use_file (dialog, recipe));
  g_assert_true (px_test_ui_wait_until (edits_ready, dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "edits.apply", NULL));
  g_assert_true (px_apply_edits_dialog_is_running (dialog));
  g_assert_true (px_test_ui_wait_until (edits_stopped, dialog));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (px_test_ui_find_by_name (GTK_WIDGET (dialog),
                                                                                    GTK_TYPE_LABEL, "status"))),
                            "5 edited"));

  after = px_library_list (library, &query, 0, 100, NULL);
  for (guint i = 0; i < after->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (after, i);

      if (image->recipe_json == NULL)
        continue;
      g_assert_true (g_hash_table_contains (originals, &image->parent_id));
      g_assert_nonnull (strstr (image->recipe_json, "sepia"));
      edits++;
    }
  g_assert_cmpuint (edits, ==, before->len);
  gtk_window_close (GTK_WINDOW (dialog));
  px_test_ui_spin (100);
}

static gboolean
loaded_three (void)
{
  return px_batch_page_get_n_rows (page) == 3;
}

/* Rows that cannot be read are listed by number with the readable rows'
 * problems; a file with nothing readable is refused. */
static void
test_broken_rows_listed (void)
{
  g_autoptr(GFile) csv = write_csv ("broken.csv", "Name,City\nAda,Paris\nBo\nC\xffy,Rome\nDi,Lima\nEd,\n");
  g_autoptr(GFile) hopeless = write_csv ("hopeless.csv", "Name,City\nBo\n");
  GtkWidget *start = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "start");
  const char *problems;

  px_window_set_page (window, "batch");
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.back", NULL);
  px_batch_page_open_csv (page, csv);
  spin_until (loaded_three);
  px_token_editor_set_text (px_batch_page_get_editor (page), "[NAME] in [CITY]");
  problems = px_batch_page_get_problems (page);
  g_test_message ("%s", problems);
  g_assert_nonnull (strstr (problems, "Row 2: it has 1 fields"));
  g_assert_nonnull (strstr (problems, "Row 3, column 1 (NAME): the text is not valid UTF-8"));
  g_assert_nonnull (strstr (problems, "Row 5: [CITY] is empty"));
  g_assert_false (gtk_widget_is_sensitive (start));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON, NULL)), TRUE);
  g_assert_true (gtk_widget_is_sensitive (start));

  px_batch_page_open_csv (page, hopeless);
  spin_until (has_error);
  g_assert_nonnull (strstr (px_batch_page_get_error (page), "hopeless.csv"));
  g_assert_nonnull (strstr (px_batch_page_get_error (page), "Row 1"));
}

static PxComparePage *compare;

static gboolean
compared (void)
{
  return px_compare_page_get_n_cells (compare) == 3 && !px_compare_page_is_running (compare);
}

static gboolean
winner_kept (gpointer library)
{
  g_autoptr(GPtrArray) list = px_library_list_comparisons (library, NULL);

  return list != NULL && list->len == 1 && ((PxComparison *) g_ptr_array_index (list, 0))->winner_image_id > 0;
}

static void
test_compare_three_models (void)
{
  PxLibrary *library = px_application_get_library (app, NULL);
  g_autoptr(GPtrArray) list = NULL;
  PxLibraryQuery query = { .feature = "compare" };
  GtkWidget *button;

  px_window_set_page (window, "compare");
  compare = PX_COMPARE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_COMPARE_PAGE, NULL));
  button = px_test_ui_find_by_name (GTK_WIDGET (compare), GTK_TYPE_BUTTON, "compare");
  px_token_editor_set_text (px_compare_page_get_editor (compare), "A lighthouse, [STYLE|watercolour]");

  /* One model is not a comparison. */
  g_assert_true (px_compare_page_choose_model (compare, "gpt-image-2", TRUE));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_true (px_compare_page_choose_model (compare, "gpt-image-1.5", TRUE));
  g_assert_true (px_compare_page_choose_model (compare, "imagen-4.0-generate-001", TRUE));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  /* Vertex has no key anywhere: the one key dialog asks; turned down, the
   * comparison goes on without it. */
  {
    GtkWidget *dialog = NULL;
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while ((dialog = px_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
    g_assert_nonnull (dialog);
    g_assert_cmpstr (gtk_widget_get_name (dialog), ==, "key-dialog");
    g_assert_true (px_compare_page_is_running (compare));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  spin_until (compared);

  /* OpenAI answered; Vertex has no key here, and its cell says so. */
  g_assert_nonnull (strstr (px_compare_page_get_cell_text (compare, "gpt-image-2"), "$"));
  g_assert_nonnull (strstr (px_compare_page_get_cell_text (compare, "gpt-image-1.5"), "$"));
  g_assert_nonnull (strstr (px_compare_page_get_cell_text (compare, "imagen-4.0-generate-001"), "key"));

  /* Both results in the library, tagged; one kept as the winner. */
  g_assert_cmpuint (px_library_count (library, &query, NULL), ==, 2);
  g_assert_false (px_compare_page_keep (compare, "imagen-4.0-generate-001"));
  g_assert_true (px_compare_page_keep (compare, "gpt-image-1.5"));
  g_assert_true (px_test_ui_wait_until (winner_kept, library));
  list = px_library_list_comparisons (library, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((PxComparison *) g_ptr_array_index (list, 0))->id, ==, px_compare_page_get_comparison (compare));
  g_assert_cmpuint (((PxComparison *) g_ptr_array_index (list, 0))->n_images, ==, 2);
  g_assert_cmpint (((PxComparison *) g_ptr_array_index (list, 0))->winner_image_id, >, 0);
  g_assert_cmpstr (((PxComparison *) g_ptr_array_index (list, 0))->prompt, ==, "A lighthouse, watercolour");
}

static gboolean
window_gone (void)
{
  return px_test_ui_find_toplevel (PX_TYPE_WINDOW) == NULL;
}

/* Closing the window while a batch runs asks; "Run in Background" hides
 * the window, the batch goes on to its end, then the window goes. */
static void
test_close_runs_in_background (void)
{
  g_autoptr(GFile) csv = write_csv ("more.csv", "Name\nA\nB\nC\nD\nE\nF\nG\nH\n");
  GtkWidget *start, *dialog;
  g_autoptr(PxBatchRunner) runner = NULL;

  px_window_set_page (window, "batch");
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.back", NULL);
  px_batch_page_open_csv (page, csv);
  while (px_batch_page_get_n_rows (page) != 8)
    px_test_ui_spin (20);
  px_token_editor_set_text (px_batch_page_get_editor (page), "Portrait of [NAME]");
  g_assert_true (px_batch_page_select_model (page, "gpt-image-2"));
  px_fake_provider_set_latency (fake, 300);
  start = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "start");
  g_signal_emit_by_name (start, "clicked");
  while (!px_batch_page_is_running (page))
    px_test_ui_spin (20);
  runner = g_object_ref (px_batch_page_get_runner (page));

  gtk_window_close (GTK_WINDOW (window));
  px_test_ui_spin (50);
  dialog = px_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "background");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (px_batch_page_is_running (page));

  spin_until (window_gone);
  window = NULL;
  g_assert_cmpuint (px_batch_runner_get_job (runner)->completed, ==, 8);
  px_test_ui_spin (200);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notifications, 0), "Batch finished: The batch is done: 8 completed"));
  px_fake_provider_set_latency (fake, 0);
}

static gboolean
provider_batch_followed (void)
{
  return px_batch_page_get_job_id (page) != 0 &&
         px_provider_batches_is_following (px_application_get_provider_batches (app),
                                           px_batch_page_get_job_id (page));
}

static gboolean
provider_batch_ended (void)
{
  return !provider_batch_followed () && !px_batch_page_is_running (page);
}

/* A batch for a Gemini image model can go to the provider's batch engine:
 * the option shows for it (not for a local server's model), the
 * estimate halves, and the app follows the batch to its end, its images in
 * the library at half price. */
static void
test_provider_batch (void)
{
  g_autoptr(GFile) csv = write_csv ("provider.csv", "Name\nA\nB\nC\nD\nE\nF\n");
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *toggle, *row, *start;
  GtkLabel *estimate;
  g_autofree char *full = NULL;
  const char *text;

  px_window_set_page (window, "batch");
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.back", NULL);
  px_batch_page_open_csv (page, csv);
  spin_until (loaded);
  px_token_editor_set_text (px_batch_page_get_editor (page), "Portrait of [NAME]");
  toggle = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_SWITCH, "provider-batch");
  row = gtk_widget_get_ancestor (toggle, ADW_TYPE_ACTION_ROW);
  estimate = GTK_LABEL (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_LABEL, "estimate"));
  g_assert_true (px_batch_page_select_model (page, "local-model"));
  g_assert_false (gtk_widget_get_visible (row));

  g_assert_true (px_batch_page_select_model (page, "gemini-3.1-flash-image"));
  g_assert_true (gtk_widget_get_visible (row));
  full = g_strdup (gtk_label_get_text (estimate));
  g_assert_null (strstr (full, "half price"));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  text = gtk_label_get_text (estimate);
  g_assert_nonnull (strstr (text, "6 images, about $"));
  g_assert_nonnull (strstr (text, "at half price, within 24 hours"));
  /* Half the direct estimate, to the cent. */
  {
    double direct = g_ascii_strtod (strstr (full, "$") + 1, NULL);
    double half = g_ascii_strtod (strstr (text, "$") + 1, NULL);

    g_assert_cmpfloat_with_epsilon (half, direct / 2, 0.006);
  }

  px_provider_batches_set_poll_interval (px_application_get_provider_batches (app), 50, 400);
  px_fake_provider_set_batch_polls (fake, 2);
  start = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "start");
  g_signal_emit_by_name (start, "clicked");
  spin_until (provider_batch_followed);
  g_assert_true (px_batch_page_is_running (page));
  spin_until (provider_batch_ended);

  job = px_batch_get (px_application_get_library (app, NULL), px_batch_page_get_job_id (page), &error);
  g_assert_no_error (error);
  g_assert_true (job->provider_batch);
  g_assert_cmpstr (job->status, ==, "completed");
  g_assert_cmpuint (job->completed, ==, 6);
  g_assert_cmpfloat (job->cost, >, 0);
  g_assert_cmpstr (gtk_progress_bar_get_text (GTK_PROGRESS_BAR (px_test_ui_find_by_name (GTK_WIDGET (page),
                                                                                        GTK_TYPE_PROGRESS_BAR, NULL))),
                   ==, "6 of 6");
  /* Told even with the window closed: the app followed it, not the page. */
  px_test_ui_spin (200);
  g_assert_cmpuint (notifications->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notifications, 0), "Provider batch finished"));
  g_ptr_array_set_size (notifications, 0);
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
}

static gboolean
loaded_four (void)
{
  return px_batch_page_get_n_rows (page) == 4;
}

static PxProblemBanner *
banner (void)
{
  return PX_PROBLEM_BANNER (px_test_ui_find_by_name (GTK_WIDGET (page), PX_TYPE_PROBLEM_BANNER, NULL));
}

static gboolean
banner_shown (void)
{
  return px_problem_banner_get_message (banner ()) != NULL && !px_batch_page_is_running (page);
}

static gboolean
all_four_done (void)
{
  return finished () && px_batch_runner_get_job (px_batch_page_get_runner (page))->completed == 4;
}

/* The key is revoked in the middle of things: the batch pauses with the
 * provider's words, offers Update Key… and Resume, fails no row; once the
 * account is mended, Resume does the rest. */
static void
test_account_problem_banner (void)
{
  g_autoptr(GFile) csv = write_csv ("four.csv", "First Name\nAda\nBo\nCy\nDi\n");
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(PxLibrary) library = NULL;
  const char *message;
  GtkWidget *start;

  px_window_set_page (window, "batch");
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.back", NULL);
  px_batch_page_open_csv (page, csv);
  spin_until (loaded_four);
  px_token_editor_set_text (px_batch_page_get_editor (page), "Poster for [FIRST_NAME]");
  g_assert_true (px_batch_page_select_model (page, "gpt-image-2"));
  px_fake_provider_set_account_problem (fake, PX_FAKE_ACCOUNT_REVOKED_KEY);
  start = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "start");
  g_signal_emit_by_name (start, "clicked");
  spin_until (banner_shown);

  message = px_problem_banner_get_message (banner ());
  g_test_message ("banner: %s", message);
  g_assert_nonnull (strstr (message, "Incorrect API key provided"));
  g_assert_nonnull (strstr (message, "Update the key"));
  g_assert_null (strstr (message, KEY));
  g_assert_true (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (banner ()), GTK_TYPE_BUTTON, "key_button")));
  library = g_object_ref (px_application_get_library (app, NULL));
  job = px_batch_get (library, px_batch_page_get_job_id (page), NULL);
  g_assert_cmpstr (job->status, ==, "paused");
  g_assert_cmpuint (job->failed, ==, 0);
  g_assert_cmpuint (job->pending, ==, 4);

  /* A window opened now offers the paused batch, and opening it from there
   * shows why it paused, with Resume: it does not start by itself. */
  {
    PxWindow *second = px_window_new (app);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    GtkWidget *other_page;
    GtkWidget *other_banner;

    gtk_window_present (GTK_WINDOW (second));
    while (px_window_get_offered_batch (second) == 0 && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
    g_assert_cmpint (px_window_get_offered_batch (second), ==, job->id);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (second), "win.open-batch", "x", job->id));
    g_assert_cmpstr (px_window_get_page (second), ==, "batch");
    other_page = px_test_ui_find_by_name (GTK_WIDGET (second), PX_TYPE_BATCH_PAGE, NULL);
    other_banner = px_test_ui_find_by_name (other_page, PX_TYPE_PROBLEM_BANNER, NULL);
    /* The batch's row is read off the main thread, then shown. */
    while (px_problem_banner_get_message (PX_PROBLEM_BANNER (other_banner)) == NULL && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
    g_assert_nonnull (strstr (px_problem_banner_get_message (PX_PROBLEM_BANNER (other_banner)), "Incorrect API key provided"));
    g_assert_false (px_batch_page_is_running (PX_BATCH_PAGE (other_page)));
    gtk_window_destroy (GTK_WINDOW (second));
  }

  px_fake_provider_set_account_problem (fake, PX_FAKE_ACCOUNT_OK);
  g_signal_emit_by_name (banner (), "resume");
  spin_until (all_four_done);
  g_assert_null (px_problem_banner_get_message (banner ()));
}

static gint64 retired_batch;

static gboolean
retired_batch_done (void)
{
  g_autoptr(PxBatchJob) job = px_batch_get (px_application_get_library (app, NULL), retired_batch, NULL);

  return !px_batch_page_is_running (page) && job != NULL && job->completed == 2;
}

/* A batch that names a retired model still opens; the banner offers its
 * successor, which the batch then goes on with. */
static void
test_retired_model_replaced (void)
{
  static const char *columns[] = { "Name", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { 0, };
  GtkWidget *replace;

  g_ptr_array_add (rows, g_strdupv ((char *[]) { "Ada", NULL }));
  g_ptr_array_add (rows, g_strdupv ((char *[]) { "Bo", NULL }));
  spec.template_prompt = "Badge for [NAME]";
  spec.model_id = "dall-e-3";
  spec.columns = columns;
  spec.rows = rows;
  retired_batch = px_batch_create (px_application_get_library (app, NULL), &spec, &error);
  g_assert_no_error (error);

  px_window_set_page (window, "batch");
  px_batch_page_open_batch (page, retired_batch);
  g_assert_false (px_batch_page_is_running (page));
  replace = px_test_ui_find_by_name (GTK_WIDGET (banner ()), GTK_TYPE_BUTTON, "replace_button");
  /* The batch is read off the main thread, then its banner shown. */
  g_assert_true (px_test_ui_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_visible, replace));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (replace)), ==, "_Use GPT Image 2");
  g_signal_emit_by_name (replace, "clicked");
  spin_until (retired_batch_done);
  job = px_batch_get (px_application_get_library (app, NULL), retired_batch, NULL);
  g_assert_cmpstr (job->model_id, ==, "gpt-image-2");
  g_assert_cmpstr (job->status, ==, "completed");
}

static PxWindow *stopping_window;

static gboolean
stopping_window_gone (void)
{
  return px_test_ui_find_toplevel (PX_TYPE_WINDOW) == NULL;
}

/* "Stop and Close" while a batch runs: the window goes at once; the runner
 * outlives its page while it writes the cancel down, and nothing it says
 * afterwards reaches the page (ASan watches). The batch is saved, cancelled. */
static void
test_stop_and_close (void)
{
  g_autoptr(GFile) csv = write_csv ("stop.csv", "Name\nA\nB\nC\nD\nE\nF\n");
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(PxBatchJob) job = NULL;
  PxBatchPage *other;
  GtkWidget *start, *dialog;

  stopping_window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (stopping_window));
  px_window_set_page (stopping_window, "batch");
  other = PX_BATCH_PAGE (px_test_ui_find_by_name (GTK_WIDGET (stopping_window), PX_TYPE_BATCH_PAGE, NULL));
  px_batch_page_open_csv (other, csv);
  while (px_batch_page_get_n_rows (other) != 6)
    px_test_ui_spin (20);
  px_token_editor_set_text (px_batch_page_get_editor (other), "Poster of [NAME]");
  g_assert_true (px_batch_page_select_model (other, "gpt-image-2"));
  px_fake_provider_set_latency (fake, 400);
  start = px_test_ui_find_by_name (GTK_WIDGET (other), GTK_TYPE_BUTTON, "start");
  g_signal_emit_by_name (start, "clicked");
  while (!px_batch_page_is_running (other))
    px_test_ui_spin (20);
  runner = g_object_ref (px_batch_page_get_runner (other));

  gtk_window_close (GTK_WINDOW (stopping_window));
  px_test_ui_spin (50);
  dialog = px_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "stop");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin_until (stopping_window_gone);
  /* The requests in flight answer, the cancel is written: all after the page. */
  px_test_ui_spin (1500);
  px_fake_provider_set_latency (fake, 0);

  job = px_batch_get (px_application_get_library (app, NULL), px_batch_runner_get_job (runner)->id, NULL);
  g_assert_cmpstr (job->status, ==, "cancelled");
  g_assert_cmpuint (job->completed + job->cancelled, ==, 6);
}

static gboolean
generation_running (gpointer generate)
{
  return px_generate_page_is_running (generate);
}

static gboolean
palette_has_set (gpointer generate)
{
  return px_token_palette_get_set (px_generate_page_get_palette (generate)) != NULL;
}

/* The window goes while a generation is out: the page cancels it, nothing
 * the engine or the library says afterwards reaches the freed page (ASan
 * watches), and nothing on the way touches the library on the main loop. */
static void
test_close_during_generation (void)
{
  PxWindow *closing = px_window_new (app);
  PxGeneratePage *generate;

  gtk_window_present (GTK_WINDOW (closing));
  px_window_set_page (closing, "generate");
  generate = PX_GENERATE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (closing), PX_TYPE_GENERATE_PAGE, NULL));
  g_assert_true (px_test_ui_wait_until (palette_has_set, generate));
  g_assert_true (px_generate_page_select_model (generate, "gpt-image-2"));
  px_token_editor_set_text (px_generate_page_get_editor (generate), "A lighthouse at night");
  px_fake_provider_set_latency (fake, 1500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (generate), "generate.generate", NULL));
  g_assert_true (px_test_ui_wait_until (generation_running, generate));

  gtk_window_destroy (GTK_WINDOW (closing));
  /* Past the provider's answer. */
  px_test_ui_spin (2500);
  px_fake_provider_set_latency (fake, 0);
}

/* The window goes while a comparison waits for a key from the keyring:
 * the late answer finds no page to start. */
static void
test_close_during_key_lookup (void)
{
  PxWindow *closing = px_window_new (app);
  PxComparePage *comparing;
  GtkWidget *button;

  gtk_window_present (GTK_WINDOW (closing));
  px_window_set_page (closing, "compare");
  comparing = PX_COMPARE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (closing), PX_TYPE_COMPARE_PAGE, NULL));
  button = px_test_ui_find_by_name (GTK_WIDGET (comparing), GTK_TYPE_BUTTON, "compare");
  g_assert_true (px_compare_page_choose_model (comparing, "gpt-image-2", TRUE));
  /* Vertex has no key in the environment: it is looked up in the keyring. */
  g_assert_true (px_compare_page_choose_model (comparing, "imagen-4.0-generate-001", TRUE));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (px_compare_page_is_running (comparing));

  gtk_window_destroy (GTK_WINDOW (closing));
  px_test_ui_spin (1500);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!px_test_ui_init ())
    {
      g_test_skip ("No display: run the UI tests with build-aux/test");
      return g_test_run ();
    }

  dir = px_test_fake_library_dir ("batch-page");
  fake = px_test_fake_start (KEY);
  g_unsetenv ("GOOGLE_API_KEY");

  notifications = px_test_ui_serve_notifications ();
  app = px_test_ui_application ();
  /* A token set the Batch page offers for tokens without a column. */
  {
    g_autoptr(PxTokenSet) set = px_token_set_new ("Platform team");

    px_token_set_set (set, "TEAM", "Platform");
    g_assert_cmpint (px_library_save_token_set (px_application_get_library (app, NULL), set, &error), >, 0);
  }
  window = px_window_new (app);
  px_window_set_page (window, "batch");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));
  page = PX_BATCH_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_BATCH_PAGE, NULL));

  g_test_add_func ("/batch-page/import-map-validate-run-export", test_import_map_validate_run_export);
  g_test_add_func ("/batch-page/make-videos", test_make_videos);
  g_test_add_func ("/batch-page/ask-video-model", test_ask_video_model);
  g_test_add_func ("/batch-page/apply-edits", test_apply_edits);
  g_test_add_func ("/batch-page/broken-rows-listed", test_broken_rows_listed);
  g_test_add_func ("/batch-page/provider-batch", test_provider_batch);
  g_test_add_func ("/batch-page/account-problem-banner", test_account_problem_banner);
  g_test_add_func ("/batch-page/retired-model-replaced", test_retired_model_replaced);
  g_test_add_func ("/compare/three-models", test_compare_three_models);
  g_test_add_func ("/window-closed/batch-runs-in-background", test_close_runs_in_background);
  g_test_add_func ("/window-closed/stop-and-close", test_stop_and_close);
  g_test_add_func ("/window-closed/during-generation", test_close_during_generation);
  g_test_add_func ("/window-closed/during-key-lookup", test_close_during_key_lookup);
  ret = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  px_test_ui_spin (50);
  g_clear_object (&app);
  g_clear_object (&fake);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (dir);
  g_clear_pointer (&notifications, g_ptr_array_unref);
  return ret;
}
