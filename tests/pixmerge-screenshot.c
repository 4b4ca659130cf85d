/* pixmerge-screenshot.c: opens the real main window on one page, waits for
 * it to be drawn and saves it as a PNG. Backs build-aux/screenshot, which
 * provides the display; also makes the AppStream screenshots. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "px-batch-page.h"
#include "px-compare-page.h"
#include "px-token-set.h"
#include "px-fake-provider.h"
#include "px-generate-page.h"
#include "px-image-window.h"
#include "px-apply-edits-dialog.h"
#include "px-batch-video-dialog.h"
#include "px-editor-ai-panel.h"
#include "px-editor-canvas.h"
#include "px-editor-window.h"
#include "px-token-editor.h"
#include "px-gallery-page.h"
#include "px-video-dialog.h"
#include "px-video-grid.h"
#include "px-video-window.h"
#include "px-paths.h"
#include "px-preferences-window.h"
#include "px-snapshot.h"
#include "px-test-ui.h"
#include "px-window.h"

static int width = 1100;
static int height = 720;
static int settle_ms = 400;
static char *library_dir;
static int open_image = -1;
static gboolean make_video;
static gboolean generate;
static char *preferences_page;
static gboolean dark;
static gboolean compare_grid;
static char *csv_file;
static char *batch_model;
static gboolean provider_batch;
static char *account_problem;
static gboolean videos;
static gboolean edit;
static char *editor_mode;
static double zoom;
static int dialog_width;
static int dialog_height;
static gint64 batch_videos;
static gint64 apply_edits;
static gboolean welcome;
static gboolean high_contrast;

static const GOptionEntry options[] = {
  { "library", 0, 0, G_OPTION_ARG_FILENAME, &library_dir, "Use the library in DIR", "DIR" },
  { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width (default 1100)", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height (default 720)", "PX" },
  { "settle", 0, 0, G_OPTION_ARG_INT, &settle_ms, "Milliseconds to wait after the first frame (default 400)", "MS" },
  { "open-image", 0, 0, G_OPTION_ARG_INT, &open_image, "Gallery: capture the detail view of the image at POSITION", "POSITION" },
  { "make-video", 0, 0, G_OPTION_ARG_NONE, &make_video, "With --open-image: capture its Make Video dialog, preview playing", NULL },
  { "dialog-width", 0, 0, G_OPTION_ARG_INT, &dialog_width, "Width of the dialog or detail window captured", "PX" },
  { "dialog-height", 0, 0, G_OPTION_ARG_INT, &dialog_height, "Its height", "PX" },
  { "edit", 0, 0, G_OPTION_ARG_NONE, &edit, "With --open-image: capture the Editor with a square crop and a token text", NULL },
  { "editor-mode", 0, 0, G_OPTION_ARG_STRING, &editor_mode, "With --edit: \"ai\" shows Ask AI with an instruction and a painted area", "MODE" },
  { "zoom", 0, 0, G_OPTION_ARG_DOUBLE, &zoom, "With --edit: zoom the Editor's picture (1 fits it)", "FACTOR" },
  { "videos", 0, 0, G_OPTION_ARG_NONE, &videos, "Gallery: show the videos (with --open-image, open a video)", NULL },
  { "batch-videos", 0, 0, G_OPTION_ARG_INT64, &batch_videos, "Capture the Make Videos dialog of batch ID", "ID" },
  { "apply-edits", 0, 0, G_OPTION_ARG_INT64, &apply_edits, "Capture the Apply Edits dialog of batch ID", "ID" },
  { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Use the dark style", NULL },
  { "high-contrast", 0, 0, G_OPTION_ARG_NONE, &high_contrast, "Use the high-contrast style", NULL },
  { "welcome", 0, 0, G_OPTION_ARG_NONE, &welcome, "Show the first start's welcome", NULL },
  { "grid", 0, 0, G_OPTION_ARG_NONE, &compare_grid, "Compare with --generate: a blind grid of three token sets", NULL },
  { "preferences", 0, 0, G_OPTION_ARG_STRING, &preferences_page, "Capture the Preferences window on PAGE (general, providers)", "PAGE" },
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_file, "Batch: import FILE first; with --generate, capture the batch mid-run", "FILE" },
  { "batch-model", 0, 0, G_OPTION_ARG_STRING, &batch_model, "Batch with --csv: choose this model", "ID" },
  { "provider-batch", 0, 0, G_OPTION_ARG_NONE, &provider_batch, "Batch with --csv: switch Provider Batch on (a "
    "Gemini model); with --generate, capture it waiting at the provider", NULL },
  { "account-problem", 0, 0, G_OPTION_ARG_STRING, &account_problem, "Batch with --csv --generate: the fake account has "
    "this problem (revoked-key, no-quota, …): capture the paused batch", "NAME" },
  { "generate", 0, 0, G_OPTION_ARG_NONE, &generate, "Generate: run one real generation against the bundled fake provider first", NULL },
  { NULL }
};

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("pixmerge-screenshot: %s\n\n%s", message, help);
  return 2;
}

/* A window whose layout is pending (something arrived from a worker just
 * now, which is often under ASan) has nothing to capture until its next
 * frame: capture after that frame, for up to about ten seconds. */
static gboolean
save_png (GtkWidget   *widget,
          const char  *out,
          GError     **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local = NULL;

      if (px_snapshot_save_png (widget, out, &local))
        return TRUE;
      if (attempt == 100 || (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_FAILED) &&
                             !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED)))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      px_test_ui_wait_for_draw (widget, 50);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PxApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxFakeProvider) fake = NULL;
  g_autofree char *pages = NULL;
  const char *page, *out;
  PxWindow *window;

  context = g_option_context_new ("PAGE OUT.png");
  g_option_context_add_main_entries (context, options, NULL);
  pages = g_strjoinv (", ", (char **) px_window_get_page_names ());
  g_option_context_set_summary (context, "Saves a PNG of the Pixmerge window showing PAGE.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 3)
    return usage_error (context, "expected a page and an output file");

  page = argv[1];
  out = argv[2];
  if (!g_strv_contains (px_window_get_page_names (), page))
    {
      g_autofree char *message = g_strdup_printf ("unknown page “%s”; pages are %s", page, pages);
      return usage_error (context, message);
    }

  if (library_dir != NULL)
    {
      if (!g_file_test (library_dir, G_FILE_TEST_IS_DIR))
        {
          g_printerr ("pixmerge-screenshot: library folder %s does not exist\n", library_dir);
          return 1;
        }
      px_paths_set_library_dir (library_dir);
    }

  /* libadwaita's own switch: the system setting, without a portal. */
  if (high_contrast)
    g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  if (!px_test_ui_init ())
    {
      g_printerr ("pixmerge-screenshot: no display; run it through build-aux/screenshot\n");
      return 1;
    }

  /* The fake speaks the providers' wire formats on 127.0.0.1; the app is
   * pointed at it the way build-aux/run --demo does, by address and key. */
  if (generate)
    {
      g_autofree char *openai = NULL;

      fake = px_fake_provider_new (0, "screenshot-key-4d2a", &error);
      if (fake == NULL)
        {
          g_printerr ("pixmerge-screenshot: %s\n", error->message);
          return 1;
        }
      px_fake_provider_set_latency (fake, 300);
      openai = g_strconcat (px_fake_provider_get_url (fake), "/v1", NULL);
      g_setenv ("PIXMERGE_OPENAI_BASE_URL", openai, TRUE);
      g_setenv ("PIXMERGE_GEMINI_BASE_URL", px_fake_provider_get_url (fake), TRUE);
      g_setenv ("PIXMERGE_VERTEX_BASE_URL", px_fake_provider_get_url (fake), TRUE);
      g_setenv ("OPENAI_API_KEY", "screenshot-key-4d2a", TRUE);
      g_setenv ("GEMINI_API_KEY", "screenshot-key-4d2a", TRUE);
      g_setenv ("GOOGLE_API_KEY", "screenshot-key-4d2a", TRUE);
    }

  app = px_test_ui_application ();
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  if (compare_grid && px_application_get_library (app, NULL) != NULL)
    {
      const char *names[] = { "Ada", "Bo", "Chidi" }, *companies[] = { "Acme", "Globex", "Initech" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *name = g_strdup_printf ("%s at %s", names[i], companies[i]);
          g_autoptr(PxTokenSet) set = px_token_set_new (name);

          px_token_set_set (set, "FIRSTNAME", names[i]);
          px_token_set_set (set, "COMPANY", companies[i]);
          px_library_save_token_set (px_application_get_library (app, NULL), set, NULL);
        }
    }
  g_settings_set_boolean (px_application_get_settings (app), "welcome-done", !welcome);
  window = px_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  /* Set the page before the first frame: a snapshot right after a change
   * can catch the transition. */
  px_window_set_page (window, page);
  gtk_window_present (GTK_WINDOW (window));

  if (!px_test_ui_wait_for_draw (GTK_WIDGET (window), 0))
    {
      g_printerr ("pixmerge-screenshot: the window was never drawn\n");
      return 1;
    }

  /* The default size includes the client-side decoration's margins; grow the
   * window by them so the PNG has exactly the size asked for. */
  if (gtk_widget_get_width (GTK_WIDGET (window)) != width ||
      gtk_widget_get_height (GTK_WIDGET (window)) != height)
    gtk_window_set_default_size (GTK_WINDOW (window),
                                 2 * width - gtk_widget_get_width (GTK_WIDGET (window)),
                                 2 * height - gtk_widget_get_height (GTK_WIDGET (window)));

  if (!px_test_ui_wait_for_draw (GTK_WIDGET (window), settle_ms))
    {
      g_printerr ("pixmerge-screenshot: the window was never drawn\n");
      return 1;
    }

  if (csv_file != NULL)
    {
      PxBatchPage *batch_page;
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (csv_file);
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      px_window_set_page (window, "batch");
      batch_page = PX_BATCH_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_BATCH_PAGE, NULL));
      px_batch_page_open_csv (batch_page, file);
      while (px_batch_page_get_n_rows (batch_page) == 0 && px_batch_page_get_error (batch_page) == NULL &&
             g_get_monotonic_time () < deadline)
        px_test_ui_spin (50);
      if (px_batch_page_get_n_rows (batch_page) == 0)
        {
          g_printerr ("pixmerge-screenshot: %s\n", px_batch_page_get_error (batch_page) ? px_batch_page_get_error (batch_page) : "the CSV never loaded");
          return 1;
        }
      if (batch_model != NULL || provider_batch)
        px_batch_page_select_model (batch_page, batch_model ? batch_model : "gemini-3.1-flash-image");
      if (provider_batch)
        gtk_switch_set_active (GTK_SWITCH (px_test_ui_find_by_name (GTK_WIDGET (batch_page), GTK_TYPE_SWITCH,
                                                                    "provider-batch")), TRUE);
      if (generate && provider_batch)
        {
          PxProviderBatches *batches = px_application_get_provider_batches (app);

          /* Made at the provider, then waiting there for hours. */
          px_fake_provider_set_batch_polls (fake, 100000);
          px_provider_batches_set_poll_interval (batches, 200, 2000);
          g_signal_emit_by_name (px_test_ui_find_by_name (GTK_WIDGET (batch_page), GTK_TYPE_BUTTON, "start"), "clicked");
          while ((px_batch_page_get_job_id (batch_page) == 0 ||
                  px_provider_batches_lookup (batches, px_batch_page_get_job_id (batch_page)) == NULL ||
                  px_provider_batch_get_jobs (px_provider_batches_lookup (batches, px_batch_page_get_job_id (batch_page)))->len == 0) &&
                 g_get_monotonic_time () < deadline)
            px_test_ui_spin (20);
          px_test_ui_spin (600);
        }
      else if (generate)
        {
          GtkWidget *start = px_test_ui_find_by_name (GTK_WIDGET (batch_page), GTK_TYPE_BUTTON, "start");

          if (batch_model == NULL)
            px_batch_page_select_model (batch_page, "gpt-image-2");
          if (account_problem != NULL)
            px_fake_provider_set_account_problem (fake, px_fake_account_problem_from_string (account_problem));
          g_signal_emit_by_name (start, "clicked");
          /* Mid-run: some done, some not; or paused by the account. */
          while ((px_batch_page_get_runner (batch_page) == NULL ||
                  (account_problem == NULL
                   ? px_batch_runner_get_job (px_batch_page_get_runner (batch_page))->completed < 3
                   : px_batch_page_is_running (batch_page))) &&
                 g_get_monotonic_time () < deadline)
            px_test_ui_spin (20);
        }
      px_test_ui_wait_for_draw (GTK_WIDGET (window), settle_ms);
      generate = FALSE;
    }

  if (generate && g_str_equal (page, "compare"))
    {
      PxComparePage *compare = PX_COMPARE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_COMPARE_PAGE, NULL));
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      static const char *models[] = { "gpt-image-2", "gpt-image-1.5", "gemini-3.1-flash-image" };
      guint done = 0;

      for (guint i = 0; i < G_N_ELEMENTS (models); i++)
        px_compare_page_choose_model (compare, models[i], TRUE);
      if (compare_grid)
        {
          const char *rows[] = { "Ada at Acme", "Bo at Globex", "Chidi at Initech", NULL };

          while (px_compare_page_get_n_token_sets (compare) < 3 && g_get_monotonic_time () < deadline)
            px_test_ui_spin (20);
          px_token_editor_set_text (px_compare_page_get_editor (compare), "Portrait of [FIRSTNAME] from [COMPANY]");
          px_compare_page_choose_rows (compare, rows);
          px_compare_page_set_blind (compare, TRUE);
        }
      else
        /* Mid-run: the first request is slow, the others arrive. */
        px_fake_provider_push_fault (fake, PX_FAKE_FAULT_LATENCY, 5000);
      gtk_widget_activate_action (GTK_WIDGET (compare), "compare.run", NULL);
      while (compare_grid && px_compare_page_get_n_cells (compare) < 9 && g_get_monotonic_time () < deadline)
        px_test_ui_spin (50);
      while (compare_grid && px_compare_page_is_running (compare) && g_get_monotonic_time () < deadline)
        px_test_ui_spin (50);
      if (compare_grid)
        px_compare_page_keep_row (compare, 0, "gpt-image-1.5");
      while (!compare_grid && done < 2 && g_get_monotonic_time () < deadline)
        {
          px_test_ui_spin (50);
          done = 0;
          for (guint i = 0; i < G_N_ELEMENTS (models); i++)
            done += px_compare_page_get_cell_text (compare, models[i]) != NULL &&
                    strchr (px_compare_page_get_cell_text (compare, models[i]), '$') != NULL;
        }
      px_test_ui_wait_for_draw (GTK_WIDGET (window), settle_ms);
      generate = FALSE;
    }

  if (generate)
    {
      PxGeneratePage *generate_page = PX_GENERATE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window),
                                                                                  PX_TYPE_GENERATE_PAGE, NULL));
      PxTokenPalette *palette = px_generate_page_get_palette (generate_page);
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      /* The token sets come from the library, read off the main thread. */
      while (px_token_palette_get_set (palette) == NULL && g_get_monotonic_time () < deadline)
        px_test_ui_spin (20);
      px_token_editor_set_text (px_generate_page_get_editor (generate_page),
                                "Professional portrait of [FIRSTNAME] from [COMPANY], studio light");
      px_token_palette_set_value (palette, "FIRSTNAME", "Ada");
      px_token_palette_set_value (palette, "COMPANY", "Acme");
      gtk_widget_activate_action (GTK_WIDGET (generate_page), "generate.generate", NULL);
      while (px_generate_page_get_n_results (generate_page) == 0 && px_generate_page_get_banner (generate_page) == NULL &&
             g_get_monotonic_time () < deadline)
        px_test_ui_spin (50);
      if (px_generate_page_get_n_results (generate_page) == 0)
        {
          g_printerr ("pixmerge-screenshot: the generation did not finish: %s\n",
                      px_generate_page_get_banner (generate_page) ? px_generate_page_get_banner (generate_page) : "timed out");
          return 1;
        }
      px_test_ui_wait_for_draw (GTK_WIDGET (window), settle_ms);
    }

  if (preferences_page != NULL)
    {
      PxPreferencesWindow *prefs = px_preferences_window_new (px_application_get_settings (app),
                                                              px_application_get_engine (app));

      px_preferences_window_set_library (prefs, px_application_get_library (app, NULL));
      gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
      gtk_window_set_default_size (GTK_WINDOW (prefs), dialog_width > 0 ? dialog_width : 640,
                                   dialog_height > 0 ? dialog_height : 720);
      if (g_str_equal (preferences_page, "providers"))
        adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "providers");
      gtk_window_present (GTK_WINDOW (prefs));
      if (!px_test_ui_wait_for_draw (GTK_WIDGET (prefs), settle_ms + 600) ||
          !save_png (GTK_WIDGET (prefs), out, &error))
        {
          g_printerr ("pixmerge-screenshot: %s\n", error ? error->message : "Preferences were never drawn");
          return 1;
        }
      g_print ("%s\n", out);
      return 0;
    }

  if (batch_videos > 0 || apply_edits > 0)
    {
      GtkWindow *dialog = batch_videos > 0
                          ? GTK_WINDOW (px_batch_video_dialog_new (GTK_WINDOW (window),
                                                                   px_application_get_library (app, NULL), batch_videos))
                          : GTK_WINDOW (px_apply_edits_dialog_new (GTK_WINDOW (window),
                                                                   px_application_get_library (app, NULL), apply_edits));

      if (dialog_width > 0)
        gtk_window_set_default_size (GTK_WINDOW (dialog), dialog_width, 640);
      gtk_window_present (GTK_WINDOW (dialog));
      if (!px_test_ui_wait_for_draw (GTK_WIDGET (dialog), settle_ms + 400) ||
          !save_png (GTK_WIDGET (dialog), out, &error))
        {
          g_printerr ("pixmerge-screenshot: %s\n", error ? error->message : "Make Videos was never drawn");
          return 1;
        }
      g_print ("%s\n", out);
      return 0;
    }

  if (videos)
    {
      GtkWidget *gallery = px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GALLERY_PAGE, NULL);
      GListModel *model = gallery ? px_gallery_page_get_video_model (PX_GALLERY_PAGE (gallery)) : NULL;
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

      if (model == NULL)
        {
          g_printerr ("pixmerge-screenshot: --videos needs the gallery page\n");
          return 1;
        }
      px_gallery_page_show_videos (PX_GALLERY_PAGE (gallery), TRUE);
      while (g_list_model_get_n_items (model) == 0 && g_get_monotonic_time () < deadline)
        px_test_ui_spin (50);
      px_test_ui_wait_for_draw (GTK_WIDGET (window), settle_ms + 600);
      if (open_image >= 0)
        {
          GtkWidget *grid = px_test_ui_find_by_name (gallery, PX_TYPE_VIDEO_GRID, NULL);
          GtkWidget *player;

          if (g_list_model_get_n_items (model) <= (guint) open_image)
            {
              g_printerr ("pixmerge-screenshot: --open-image needs a library with that many videos\n");
              return 1;
            }
          g_signal_emit_by_name (px_test_ui_find_by_name (grid, GTK_TYPE_GRID_VIEW, NULL), "activate",
                                 (guint) open_image);
          player = px_test_ui_find_toplevel (PX_TYPE_VIDEO_WINDOW);
          if (player != NULL && dialog_width > 0)
            gtk_window_set_default_size (GTK_WINDOW (player), dialog_width, 640);
          deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
          while (player != NULL && g_get_monotonic_time () < deadline &&
                 !gtk_media_stream_is_prepared (gtk_video_get_media_stream (px_video_window_get_video (PX_VIDEO_WINDOW (player)))))
            px_test_ui_spin (50);
          if (player == NULL || !px_test_ui_wait_for_draw (player, settle_ms + 500) ||
              !save_png (player, out, &error))
            {
              g_printerr ("pixmerge-screenshot: %s\n", error ? error->message : "the video was never drawn");
              return 1;
            }
          g_print ("%s\n", out);
          return 0;
        }
      open_image = -1;
    }

  if (open_image >= 0)
    {
      GtkWidget *grid = px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW, NULL);
      GtkWidget *detail;

      if (grid == NULL || g_list_model_get_n_items (G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (grid)))) <= (guint) open_image)
        {
          g_printerr ("pixmerge-screenshot: --open-image needs the gallery page and a library with that many images\n");
          return 1;
        }
      g_signal_emit_by_name (grid, "activate", (guint) open_image);
      detail = px_test_ui_find_toplevel (PX_TYPE_IMAGE_WINDOW);
      if (detail != NULL && !edit && (dialog_width > 0 || dialog_height > 0))
        gtk_window_set_default_size (GTK_WINDOW (detail), dialog_width > 0 ? dialog_width : 900,
                                     dialog_height > 0 ? dialog_height : 640);
      if (detail == NULL || !px_test_ui_wait_for_draw (detail, settle_ms))
        {
          g_printerr ("pixmerge-screenshot: the detail view was never drawn\n");
          return 1;
        }
      if (edit)
        {
          GtkWidget *editor;
          gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

          gtk_widget_activate_action (detail, "image.edit", NULL);
          editor = px_test_ui_find_toplevel (PX_TYPE_EDITOR_WINDOW);
          if (editor != NULL && (dialog_width > 0 || dialog_height > 0))
            gtk_window_set_default_size (GTK_WINDOW (editor), dialog_width > 0 ? dialog_width : 1000,
                                         dialog_height > 0 ? dialog_height : 700);
          while (editor != NULL && !px_editor_window_is_ready (PX_EDITOR_WINDOW (editor)) &&
                 g_get_monotonic_time () < deadline)
            px_test_ui_spin (50);
          if (editor != NULL)
            {
              adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (editor, ADW_TYPE_COMBO_ROW, "aspect")), 1);
              px_token_editor_set_text (PX_TOKEN_EDITOR (px_test_ui_find_by_name (editor, PX_TYPE_TOKEN_EDITOR, "text")),
                                        "Hello [NAME]");
              if (g_strcmp0 (editor_mode, "ai") == 0)
                {
                  GtkWidget *canvas = px_test_ui_find_by_name (editor, PX_TYPE_EDITOR_CANVAS, "canvas");
                  GtkWidget *panel = px_test_ui_find_by_name (editor, PX_TYPE_EDITOR_AI_PANEL, "ai-panel");
                  int w, h;

                  gtk_stack_set_visible_child_name (GTK_STACK (px_test_ui_find_by_name (editor, GTK_TYPE_STACK, "mode")),
                                                    "ai");
                  px_editor_ai_panel_select_model (PX_EDITOR_AI_PANEL (panel), "gpt-image-1.5");
                  gtk_editable_set_text (GTK_EDITABLE (px_test_ui_find_by_name (panel, ADW_TYPE_ENTRY_ROW,
                                                                                "instruction")),
                                         "Put [NAME] on a beach at sunset");
                  gtk_switch_set_active (GTK_SWITCH (px_test_ui_find_by_name (panel, GTK_TYPE_SWITCH, "paint-mask")),
                                         TRUE);
                  px_test_ui_wait_for_draw (editor, 50);
                  w = gtk_widget_get_width (canvas);
                  h = gtk_widget_get_height (canvas);
                  px_editor_canvas_paint_at (PX_EDITOR_CANVAS (canvas), w * 0.35, h * 0.5, TRUE);
                  for (int i = 1; i <= 10; i++)
                    px_editor_canvas_paint_at (PX_EDITOR_CANVAS (canvas), w * (0.35 + i * 0.03), h * (0.5 + (i % 2) * 0.05),
                                               FALSE);
                }
              if (zoom > 1)
                px_editor_canvas_set_zoom (PX_EDITOR_CANVAS (px_test_ui_find_by_name (editor, PX_TYPE_EDITOR_CANVAS,
                                                                                      "canvas")), zoom);
              gtk_range_set_value (GTK_RANGE (px_test_ui_find_by_name (editor, GTK_TYPE_SCALE, "exposure")), 0.3);
              px_test_ui_spin (100);
              while (!px_editor_window_is_ready (PX_EDITOR_WINDOW (editor)) && g_get_monotonic_time () < deadline)
                px_test_ui_spin (50);
            }
          if (editor == NULL || !px_test_ui_wait_for_draw (editor, settle_ms + 300))
            {
              g_printerr ("pixmerge-screenshot: the Editor was never drawn\n");
              return 1;
            }
          detail = editor;
        }
      if (make_video)
        {
          GtkWidget *video;
          gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

          gtk_widget_activate_action (detail, "image.make-video", NULL);
          detail = px_test_ui_find_toplevel (PX_TYPE_VIDEO_DIALOG);
          if (detail != NULL && (dialog_width > 0 || dialog_height > 0))
            gtk_window_set_default_size (GTK_WINDOW (detail), dialog_width > 0 ? dialog_width : 560,
                                         dialog_height > 0 ? dialog_height : 720);
          video = detail ? px_test_ui_find_by_name (detail, GTK_TYPE_VIDEO, NULL) : NULL;
          while (video != NULL && g_get_monotonic_time () < deadline &&
                 (gtk_video_get_media_stream (GTK_VIDEO (video)) == NULL ||
                  !gtk_media_stream_is_prepared (gtk_video_get_media_stream (GTK_VIDEO (video)))))
            px_test_ui_spin (50);
          if (video == NULL || !px_test_ui_wait_for_draw (detail, settle_ms + 500))
            {
              g_printerr ("pixmerge-screenshot: the Make Video dialog was never drawn\n");
              return 1;
            }
        }
      if (!save_png (detail, out, &error))
        {
          g_printerr ("pixmerge-screenshot: %s\n", error->message);
          return 1;
        }
      g_print ("%s\n", out);
      return 0;
    }

  if (!save_png (GTK_WIDGET (window), out, &error))
    {
      g_printerr ("pixmerge-screenshot: %s\n", error->message);
      return 1;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_free (library_dir);
  g_print ("%s\n", out);
  return 0;
}
