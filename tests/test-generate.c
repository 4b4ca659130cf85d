/* test-generate.c: the Generate page in a real window under Xvfb, talking
 * HTTP to the fake provider (found by address and key from the environment,
 * as build-aux/run --demo does): tokens dropped and completed into the
 * prompt, the preview and its missing tokens, a generation saved to the
 * library, cancel, a wrong key, the key dialog, templates and presets. */
#include "config.h"

#include <string.h>

#include "px-budget-group.h"
#include "px-credentials.h"
#include "px-fake-provider.h"
#include "px-generate-page.h"
#include "px-editor-window.h"
#include "px-preferences-window.h"
#include "px-templates.h"
#include "px-usage.h"
#include "px-test-fake.h"
#include "px-test-ui.h"
#include "px-window.h"

#define KEY "test-key-0123456789"

static PxApplication *app;
static PxFakeProvider *fake;
static PxWindow *window;
static PxGeneratePage *page;
static char *library_dir;
static GPtrArray *notifications;   /* what the app asked the notification server to show */

static PxLibrary *
library (void)
{
  return px_application_get_library (app, NULL);
}

static PxTokenEditor *
editor (void)
{
  return px_generate_page_get_editor (page);
}

static void
wait_until_at (gboolean  (*done) (void),
               guint       seconds,
               int         line)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done () && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  if (!done ())
    g_error ("line %d: still waiting after %u s; banner: %s, running: %d", line, seconds,
             px_generate_page_get_banner (page), px_generate_page_is_running (page));
}

#define wait_until(done, seconds) wait_until_at ((done), (seconds), __LINE__)

static void
type_text (const char *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor ()));

  /* What a key press does: one user action at the cursor. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);
}

static void
set_prompt (const char *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor ()));
  GtkTextIter end;

  px_token_editor_set_text (editor (), text);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static GtkWidget *
find_chip_in (GtkWidget  *root,
              const char *label)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "px-token") &&
      g_str_equal (gtk_label_get_text (GTK_LABEL (root)), label))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_chip_in (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_chip (const char *label)
{
  return find_chip_in (GTK_WIDGET (editor ()), label);
}

/* The widget coordinates of the left edge of the character at offset, or
 * just right of the last character for the end. */
static void
point_at_offset (int     offset,
                 double *x,
                 double *y)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor ()));
  GtkTextIter iter;
  GdkRectangle rect;
  int wx, wy;
  gboolean end = offset >= gtk_text_buffer_get_char_count (buffer);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, end ? offset - 1 : offset);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (editor ()), &iter, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (editor ()), GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &wx, &wy);
  *x = end ? wx + rect.width - 1 : wx + 1;
  *y = wy + rect.height / 2.0;
}

static gboolean
drop (const char         *token_text,
      GtkTextChildAnchor *source,
      double              x,
      double              y)
{
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, PX_TYPE_TOKEN_DRAG);
  g_value_take_boxed (&value, px_token_drag_new (token_text, source));
  g_signal_emit_by_name (px_token_editor_get_drop_target (editor ()), "drop", &value, x, y, &handled);
  g_value_unset (&value);
  return handled;
}

static void
test_drop_lands_where_dropped (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor ()));
  g_autofree char *text = NULL;
  GtkTextIter iter;
  double x, y;

  set_prompt ("Alpha Beta Gamma");
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  /* From the palette onto the start of "Beta". */
  point_at_offset (6, &x, &y);
  g_assert_true (drop ("[CITY]", NULL, x, y));
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, "Alpha [CITY]Beta Gamma");
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 1);
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  /* The chip dragged within the prompt moves to the end, once. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 6);
  g_assert_nonnull (gtk_text_iter_get_child_anchor (&iter));
  point_at_offset (gtk_text_buffer_get_char_count (buffer), &x, &y);
  g_assert_true (drop ("[CITY]", gtk_text_iter_get_child_anchor (&iter), x, y));
  g_clear_pointer (&text, g_free);
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, "Alpha Beta Gamma[CITY]");
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 1);

  /* Something that is not a token is refused. */
  g_assert_false (drop ("not a token", NULL, x, y));
}

static gboolean
completion_hidden (void)
{
  return !gtk_widget_get_visible (GTK_WIDGET (px_token_editor_get_completion (editor ())));
}

static void
test_completion_inserts_token (void)
{
  GtkListBox *list = px_token_editor_get_completion_list (editor ());
  GtkListBoxRow *row;
  g_autofree char *text = NULL;

  px_token_palette_set_value (px_generate_page_get_palette (page), "FIRSTNAME", "Ada");
  px_token_palette_set_value (px_generate_page_get_palette (page), "FAVOURITE", "tea");
  set_prompt ("Hello ");
  type_text ("[");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (px_token_editor_get_completion (editor ()))));
  type_text ("fi");
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "token-name"), ==, "FIRSTNAME");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));   /* FAVOURITE does not start with FI */

  g_signal_emit_by_name (list, "row-activated", row);
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, "Hello [FIRSTNAME]");
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 1);
  g_assert_true (completion_hidden ());

  /* A token typed out in full becomes a chip too; "[[" stays text. */
  type_text (" from [COMPANY|Acme] [[x]]");
  g_clear_pointer (&text, g_free);
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, "Hello [FIRSTNAME] from [COMPANY|Acme] [[x]]");
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 2);
  g_assert_true (completion_hidden ());
}

static void
test_preview_and_missing (void)
{
  PxTokenPalette *palette = px_generate_page_get_palette (page);
  GtkWidget *chip;

  px_token_palette_set_value (palette, "FIRSTNAME", "Ada");
  px_token_palette_set_value (palette, "TEAM", "");
  set_prompt ("Portrait of [FIRSTNAME] from [TEAM]");
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 20));

  g_assert_null (px_generate_page_get_preview (page));
  g_assert_nonnull (px_generate_page_get_missing (page));
  g_assert_nonnull (strstr (px_generate_page_get_missing (page), "[TEAM]"));
  g_assert_null (strstr (px_generate_page_get_missing (page), "FIRSTNAME"));
  chip = find_chip ("TEAM");
  g_assert_nonnull (chip);
  g_assert_true (gtk_widget_has_css_class (chip, "missing"));
  g_assert_false (gtk_widget_has_css_class (find_chip ("FIRSTNAME"), "missing"));

  px_token_palette_set_value (palette, "TEAM", "Platform");
  g_assert_cmpstr (px_generate_page_get_preview (page), ==, "Portrait of Ada from Platform");
  g_assert_null (px_generate_page_get_missing (page));
  g_assert_false (gtk_widget_has_css_class (find_chip ("TEAM"), "missing"));
}

static void
wait_for_results (guint n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((px_generate_page_get_n_results (page) < n || px_generate_page_is_running (page)) &&
         px_generate_page_get_banner (page) == NULL && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  g_assert_null (px_generate_page_get_banner (page));
  g_assert_cmpuint (px_generate_page_get_n_results (page), ==, n);
}

static gboolean
has_banner (void)
{
  return px_generate_page_get_banner (page) != NULL && !px_generate_page_is_running (page);
}

static gboolean
not_running (void)
{
  return !px_generate_page_is_running (page);
}

static void
test_generate_saves_to_library (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibraryImage) image = NULL;
  guint before = px_library_count (library (), NULL, NULL);
  guint requests = px_fake_provider_get_request_count (fake);

  g_assert_true (px_generate_page_select_model (page, "gpt-image-1.5"));
  px_token_palette_set_value (px_generate_page_get_palette (page), "FIRSTNAME", "Ada");
  px_token_palette_set_value (px_generate_page_get_palette (page), "COMPANY", "Acme");
  set_prompt ("Professional portrait of [FIRSTNAME] from [COMPANY]");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  wait_for_results (1);

  g_assert_cmpuint (px_fake_provider_get_request_count (fake), ==, requests + 1);
  g_assert_cmpuint (px_library_count (library (), NULL, NULL), ==, before + 1);
  image = px_library_get_image (library (), px_generate_page_get_result_id (page, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image->prompt, ==, "Professional portrait of Ada from Acme");
  g_assert_cmpstr (image->template_prompt, ==, "Professional portrait of [FIRSTNAME] from [COMPANY]");
  g_assert_nonnull (strstr (image->tokens_json, "\"Ada\""));
  g_assert_cmpstr (image->model, ==, "gpt-image-1.5");
  g_assert_true (g_file_test (image->file, G_FILE_TEST_IS_REGULAR));

  /* "Edit" on the result opens it in the Editor. */
  {
    GtkWidget *edit = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "edit-result");
    GtkWidget *editor;
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    g_assert_nonnull (edit);
    g_assert_true (gtk_widget_is_sensitive (edit));
    g_signal_emit_by_name (edit, "clicked");
    while ((editor = px_test_ui_find_toplevel (PX_TYPE_EDITOR_WINDOW)) == NULL && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
    g_assert_nonnull (editor);
    while (!px_editor_window_is_ready (PX_EDITOR_WINDOW (editor)) && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
    g_assert_true (px_editor_window_is_ready (PX_EDITOR_WINDOW (editor)));
    gtk_window_close (GTK_WINDOW (editor));
    px_test_ui_spin (100);
  }
}

static void
test_cancel_stops (void)
{
  guint results = px_generate_page_get_n_results (page);
  guint before = px_library_count (library (), NULL, NULL);

  px_fake_provider_set_latency (fake, 5000);
  set_prompt ("A slow [COMPANY] lighthouse");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  px_test_ui_spin (200);
  if (!px_generate_page_is_running (page))
    g_error ("not running: %s", px_generate_page_get_banner (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.cancel", NULL));
  wait_until (not_running, 2);
  px_fake_provider_set_latency (fake, 0);

  g_assert_cmpuint (px_generate_page_get_n_results (page), ==, results);
  g_assert_cmpuint (px_library_count (library (), NULL, NULL), ==, before);
  g_assert_null (px_generate_page_get_banner (page));
}

static void
test_wrong_key_is_clear (void)
{
  PxEngine *engine = px_application_get_engine (app);
  const char *banner;

  px_engine_set_api_key (engine, "openai", "wrong-key-98765");
  set_prompt ("A lighthouse");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  wait_until (has_banner, 20);
  banner = px_generate_page_get_banner (page);
  g_test_message ("banner: %s", banner);
  g_assert_nonnull (strstr (banner, "OpenAI"));
  g_assert_nonnull (strstr (banner, "key"));
  g_assert_null (strstr (banner, "wrong-key-98765"));
  px_engine_set_api_key (engine, "openai", KEY);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* No key anywhere: a dialog asks for it, the keyring keeps it, the
 * generation goes on. */
static void
test_missing_key_dialog (void)
{
  PxEngine *engine = px_application_get_engine (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  guint results = px_generate_page_get_n_results (page);
  GtkWidget *dialog;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_unsetenv ("GOOGLE_API_KEY");
  px_engine_set_api_key (engine, "vertex", NULL);
  g_assert_true (px_generate_page_select_model (page, "imagen-4.0-generate-001"));
  set_prompt ("A lighthouse at dusk");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  while ((dialog = px_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  g_assert_nonnull (dialog);
  g_assert_false (px_generate_page_is_running (page));

  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))), KEY);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for_results (results + 1);

  /* In the real keyring now; removed again for the other tests. */
  px_credentials_lookup_async ("vertex", NULL, on_stored, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  stored = px_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, KEY);
  g_clear_object (&result);
  px_credentials_clear_async ("vertex", NULL, on_stored, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (px_credentials_clear_finish (result, &error));
  g_setenv ("GOOGLE_API_KEY", KEY, TRUE);
  g_assert_true (px_generate_page_select_model (page, "gpt-image-1.5"));
}

static const char *
setting (const char *name)
{
  GtkWidget *row = px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, name);

  g_assert_nonnull (row);
  return gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (row)));
}

static void
choose_setting (const char *name,
                const char *value)
{
  GtkWidget *row = px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_COMBO_ROW, name);
  GListModel *values = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (values), i), value))
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_assert_cmpstr (setting (name), ==, value);
}

static gboolean
has_saved_template (gpointer data)
{
  GPtrArray *saved = px_generate_page_get_saved_templates (page);

  return saved != NULL && saved->len == 1;
}

static void
test_template_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  GPtrArray *saved;
  PxTemplate *template_;

  g_assert_true (px_generate_page_select_model (page, "gpt-image-2"));
  choose_setting ("size", "1536x1024");
  choose_setting ("quality", "high");
  set_prompt ("Headshot of [FIRSTNAME|you] at [COMPANY]");
  g_assert_true (px_generate_page_save_template (page, "Team headshots", "Work", &error));
  g_assert_no_error (error);
  /* Saved on the library's writer thread; the list shows it then. */
  g_assert_true (px_test_ui_wait_until (has_saved_template, NULL));
  saved = px_generate_page_get_saved_templates (page);
  g_assert_cmpuint (saved->len, ==, 1);
  template_ = g_ptr_array_index (saved, 0);
  g_assert_cmpstr (template_->category, ==, "Work");
  g_assert_cmpstr (template_->model, ==, "gpt-image-2");

  /* Change everything, then bring it back. */
  g_assert_true (px_generate_page_select_model (page, "gpt-image-1.5"));
  set_prompt ("Something else");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, template_->row_id);
  g_assert_true (px_generate_page_apply_template (page, id));
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, "Headshot of [FIRSTNAME|you] at [COMPANY]");
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 2);
  g_assert_cmpstr (setting ("size"), ==, "1536x1024");
  g_assert_cmpstr (setting ("quality"), ==, "high");

  /* Through its JSON file and back. */
  json = px_templates_to_json (saved);
  back = px_templates_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PxTemplate *) g_ptr_array_index (back, 0))->prompt, ==, template_->prompt);
  g_assert_cmpstr (g_hash_table_lookup (((PxTemplate *) g_ptr_array_index (back, 0))->settings, "size"), ==, "1536x1024");

  /* A preset fills the same form: the meme one brings its captions. */
  g_assert_true (px_generate_page_apply_template (page, "preset:meme-generator"));
  g_clear_pointer (&text, g_free);
  text = px_token_editor_get_text (editor ());
  g_assert_nonnull (strstr (text, "[SUBJECT|"));
  g_assert_true (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP, "captions")));
}

static gboolean
n_token_sets_is (gpointer n)
{
  g_autoptr(GPtrArray) sets = px_library_list_token_sets (library (), NULL);

  return sets != NULL && sets->len == GPOINTER_TO_UINT (n);
}

/* A meme is saved with its captions drawn in, as a meme. */
static void
test_meme_generation (void)
{
  g_autoptr(PxLibraryImage) image = NULL;
  guint results = px_generate_page_get_n_results (page);

  g_assert_true (px_generate_page_apply_template (page, "preset:meme-generator"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  wait_for_results (results + 1);
  image = px_library_get_image (library (), px_generate_page_get_result_id (page, 0), NULL);
  g_assert_nonnull (image);
  g_assert_cmpstr (image->feature, ==, "meme");
}

/* Token sets: new, duplicate, delete (after asking), one CSV row as a set;
 * all in the library. Model and settings are remembered. */
static void
test_token_sets_and_memory (void)
{
  PxTokenPalette *palette = px_generate_page_get_palette (page);
  g_autofree char *csv = g_build_filename (library_dir, "people.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autofree char *last_model = NULL;
  guint before = 0;
  GtkWidget *dialog;
  const PxTokenSet *set;

  sets = px_library_list_token_sets (library (), &error);
  before = sets->len;
  g_clear_pointer (&sets, g_ptr_array_unref);

  px_token_palette_set_value (palette, "FIRSTNAME", "Ada");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (palette), "palette.duplicate", NULL));
  set = px_token_palette_get_set (palette);
  g_assert_nonnull (strstr (set->name, "(copy)"));
  g_assert_cmpstr (px_token_set_lookup (set, "FIRSTNAME"), ==, "Ada");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (palette), "palette.new", NULL));
  set = px_token_palette_get_set (palette);
  g_assert_cmpstr (px_token_set_lookup (set, "FIRSTNAME"), ==, "");   /* same tokens, no values */

  g_assert_true (g_file_set_contents (csv, "First Name,Company\nAda,Acme\nBo,Beta\nCy,Corp\n", -1, NULL));
  g_assert_true (px_token_palette_import_csv_row (palette, csv, 2, &error));
  g_assert_no_error (error);
  set = px_token_palette_get_set (palette);
  g_assert_cmpstr (set->name, ==, "people.csv, row 2");
  g_assert_cmpstr (px_token_set_lookup (set, "FIRST_NAME"), ==, "Bo");
  g_assert_cmpstr (px_token_set_lookup (set, "COMPANY"), ==, "Beta");
  g_assert_false (px_token_palette_import_csv_row (palette, csv, 5, &error));
  g_assert_nonnull (strstr (error->message, "has no row 5; it has 3"));
  g_clear_error (&error);

  /* Every set is saved (on the library's writer thread). */
  g_assert_true (px_test_ui_wait_until (n_token_sets_is, GUINT_TO_POINTER (before + 3)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (palette), "palette.delete", NULL));
  dialog = px_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (px_test_ui_wait_until (n_token_sets_is, GUINT_TO_POINTER (before + 2)));

  /* The model and settings chosen last come back next time. */
  g_assert_true (px_generate_page_select_model (page, "gpt-image-2"));
  px_test_ui_spin (700);
  last_model = g_settings_get_string (px_application_get_settings (app), "last-model");
  g_assert_cmpstr (last_model, ==, "gpt-image-2");
}

static GtkWidget *
improve_part (GType       type,
              const char *name)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON, "improve"));

  return px_test_ui_find_by_name (GTK_WIDGET (gtk_menu_button_get_popover (button)), type, name);
}

static gboolean
rewrite_settled (void)
{
  return gtk_widget_get_sensitive (improve_part (GTK_TYPE_BUTTON, "use-rewrite")) ||
         gtk_widget_has_css_class (improve_part (GTK_TYPE_LABEL, "rewrite"), "error");
}

/* "Improve": the rewrite streams into the popover; one that keeps the
 * tokens can be used (one undo step), one that drops them cannot. */
static void
test_improve_prompt (void)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON, "improve"));
  g_autofree char *text = NULL;
  const char *shown;

  g_assert_true (px_generate_page_select_model (page, "gpt-image-1.5"));
  set_prompt ("Portrait of [FIRSTNAME] from [COMPANY|Acme]");
  gtk_menu_button_popup (button);
  wait_until (rewrite_settled, 10);
  shown = gtk_label_get_text (GTK_LABEL (improve_part (GTK_TYPE_LABEL, "rewrite")));
  g_assert_nonnull (strstr (shown, "[FIRSTNAME]"));
  g_assert_nonnull (strstr (shown, "[COMPANY|Acme]"));
  g_signal_emit_by_name (improve_part (GTK_TYPE_BUTTON, "use-rewrite"), "clicked");
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, shown);
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
  /* Ctrl+Z: the prompt as it was. */
  px_token_editor_undo (editor ());
  g_clear_pointer (&text, g_free);
  text = px_token_editor_get_text (editor ());
  g_assert_cmpstr (text, ==, "Portrait of [FIRSTNAME] from [COMPANY|Acme]");
  g_assert_cmpuint (px_token_editor_get_n_chips (editor ()), ==, 2);

  /* The model loses the tokens: said, and nothing to use. */
  px_fake_provider_push_fault (fake, PX_FAKE_FAULT_DROP_TOKENS, 0);
  set_prompt ("Portrait of [FIRSTNAME]");
  gtk_menu_button_popup (button);
  wait_until (rewrite_settled, 10);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (improve_part (GTK_TYPE_LABEL, "rewrite"))), "lost [FIRSTNAME]"));
  g_assert_false (gtk_widget_get_sensitive (improve_part (GTK_TYPE_BUTTON, "use-rewrite")));
  gtk_menu_button_popdown (button);

  /* Both answers were paid for: each is in the usage, with its tokens and
   * what they cost at gpt-4o-mini's price. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) kinds = NULL;
    PxUsageRow *helper = NULL;
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (helper == NULL && g_get_monotonic_time () < deadline)
      {
        px_test_ui_spin (50);
        g_clear_pointer (&kinds, g_ptr_array_unref);
        kinds = px_usage_breakdown (library (), 0, 0, PX_USAGE_BY_KIND, &error);
        for (guint i = 0; i < kinds->len; i++)
          if (g_str_equal (((PxUsageRow *) g_ptr_array_index (kinds, i))->key, "prompt-helper") &&
              ((PxUsageRow *) g_ptr_array_index (kinds, i))->events == 2)
            helper = g_ptr_array_index (kinds, i);
      }
    g_assert_nonnull (helper);
    g_assert_cmpfloat (helper->cost, >, 0);
    g_assert_cmpfloat (helper->cost, <, 0.001);
  }
}

static GtkWidget *
provider_row (GtkWidget  *prefs,
              const char *provider_id,
              GType       type,
              const char *name)
{
  GtkWidget *group = px_test_ui_find_by_name (prefs, ADW_TYPE_PREFERENCES_GROUP, provider_id);

  g_assert_nonnull (group);
  return px_test_ui_find_by_name (group, type, name);
}

static const char *
status_of (GtkWidget  *prefs,
           const char *provider_id)
{
  GtkWidget *group = px_test_ui_find_by_name (prefs, ADW_TYPE_PREFERENCES_GROUP, provider_id);
  GtkWidget *row = px_test_ui_find_by_name (group, ADW_TYPE_ACTION_ROW, "status");

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static char *
keyring_key (const char *provider_id)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_credentials_lookup_async (provider_id, NULL, on_stored, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return px_credentials_lookup_finish (result, NULL);
}

static void
wait_for_status (GtkWidget  *prefs,
                 const char *provider_id,
                 const char *part)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((status_of (prefs, provider_id) == NULL || strstr (status_of (prefs, provider_id), part) == NULL) &&
         g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  g_test_message ("status of %s: %s", provider_id, status_of (prefs, provider_id));
  g_assert_nonnull (strstr (status_of (prefs, provider_id), part));
}

/* Preferences: a key goes into the keyring (shown only by its last four
 * characters), is tested against the provider, and removed; a local
 * server's address is checked and used. */
static GtkWidget *
wait_for_dialog (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GtkWidget *dialog;

  while ((dialog = px_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) == NULL && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  g_assert_nonnull (dialog);
  return dialog;
}

static gboolean
has_notification (gpointer data)
{
  return notifications->len > 0;
}

static gboolean
budget_group_idle (gpointer data)
{
  return !px_budget_group_is_busy (data);
}

/* A spent monthly budget: Generate asks; Cancel sends nothing and says
 * why; going over it generates. The budget is set in Preferences. */
static void
test_budget_asks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) budgets = NULL;
  PxUsageEvent spent = { .kind = "generation", .provider = "openai", .model = "gpt-image-1.5", .images = 1, .cost = 1 };
  GtkWidget *prefs, *group, *dialog;
  guint requests, results = px_generate_page_get_n_results (page);

  /* $0.50 a month for everything, typed in Preferences. */
  prefs = GTK_WIDGET (px_preferences_window_new (px_application_get_settings (app), px_application_get_engine (app)));
  px_preferences_window_set_library (PX_PREFERENCES_WINDOW (prefs), library ());
  gtk_window_present (GTK_WINDOW (prefs));
  group = px_test_ui_find_by_name (prefs, PX_TYPE_BUDGET_GROUP, NULL);
  g_assert_nonnull (group);
  g_assert_true (px_test_ui_wait_until (budget_group_idle, group));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (px_test_ui_find_by_name (group, GTK_TYPE_SPIN_BUTTON, "budget-all")),
                             0.5);
  px_test_ui_spin (50);
  g_assert_true (px_test_ui_wait_until (budget_group_idle, group));
  budgets = px_budget_list (library (), 0, &error);
  g_assert_cmpuint (budgets->len, ==, 1);
  g_assert_cmpfloat (((PxBudget *) g_ptr_array_index (budgets, 0))->monthly, ==, 0.5);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (px_usage_record (library (), &spent, &error));

  g_assert_true (px_generate_page_select_model (page, "gpt-image-1.5"));
  set_prompt ("A lighthouse over budget");
  requests = px_fake_provider_get_request_count (fake);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  dialog = wait_for_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "budget of $0.50 is spent"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  px_test_ui_spin (100);
  g_assert_cmpuint (px_fake_provider_get_request_count (fake), ==, requests);
  g_assert_nonnull (strstr (px_generate_page_get_banner (page), "budget of $0.50 is spent"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "generate.generate", NULL));
  dialog = wait_for_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "go");
  wait_for_results (results + 1);
  g_assert_cmpuint (px_fake_provider_get_request_count (fake), ==, requests + 1);
  /* Told once this month, as a notification. */
  g_assert_true (px_test_ui_wait_until (has_notification, NULL));
  g_assert_nonnull (strstr (g_ptr_array_index (notifications, notifications->len - 1),
                            "This Month’s Budget Is Spent: This month’s budget of $0.50 is spent"));
  g_assert_true (px_budget_set (library (), NULL, 0, &error));
}

static void
test_preferences_providers (void)
{
  PxEngine *engine = px_application_get_engine (app);
  GtkWidget *prefs;
  GtkWidget *key_row, *address;
  g_autofree char *stored = NULL;
  g_autofree char *base_url = NULL;

  g_unsetenv ("GEMINI_API_KEY");
  px_engine_set_api_key (engine, "gemini", NULL);
  prefs = GTK_WIDGET (px_preferences_window_new (px_application_get_settings (app), engine));
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (px_test_ui_wait_for_draw (prefs, 20));
  wait_for_status (prefs, "gemini", "No key");

  key_row = provider_row (prefs, "gemini", ADW_TYPE_PASSWORD_ENTRY_ROW, "key");
  gtk_editable_set_text (GTK_EDITABLE (key_row), KEY);
  g_signal_emit_by_name (key_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, "");
  wait_for_status (prefs, "gemini", "…6789");
  g_assert_null (strstr (status_of (prefs, "gemini"), KEY));
  stored = keyring_key ("gemini");
  g_assert_cmpstr (stored, ==, KEY);

  g_signal_emit_by_name (provider_row (prefs, "gemini", GTK_TYPE_BUTTON, "test"), "clicked");
  wait_for_status (prefs, "gemini", "Connected");

  px_engine_set_api_key (engine, "gemini", "wrong-key-98765");
  g_signal_emit_by_name (provider_row (prefs, "gemini", GTK_TYPE_BUTTON, "test"), "clicked");
  wait_for_status (prefs, "gemini", "key");
  g_assert_true (gtk_widget_has_css_class (provider_row (prefs, "gemini", ADW_TYPE_ACTION_ROW, "status"), "error"));
  g_assert_nonnull (strstr (status_of (prefs, "gemini"), "not valid"));

  g_signal_emit_by_name (provider_row (prefs, "gemini", GTK_TYPE_BUTTON, "remove"), "clicked");
  wait_for_status (prefs, "gemini", "No key");
  g_clear_pointer (&stored, g_free);
  stored = keyring_key ("gemini");
  g_assert_null (stored);
  g_assert_false (px_engine_has_api_key (engine, "gemini"));

  /* A local server's address: refused when it is not http(s), used when it is. */
  address = provider_row (prefs, "automatic1111", ADW_TYPE_ENTRY_ROW, "address");
  gtk_editable_set_text (GTK_EDITABLE (address), "ftp://127.0.0.1:7860");
  g_signal_emit_by_name (address, "apply");
  wait_for_status (prefs, "automatic1111", "http://");
  gtk_editable_set_text (GTK_EDITABLE (address), "http://127.0.0.1:7861/");
  g_signal_emit_by_name (address, "apply");
  base_url = px_engine_get_base_url (engine, "automatic1111");
  g_assert_cmpstr (base_url, ==, "http://127.0.0.1:7861");

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_setenv ("GEMINI_API_KEY", KEY, TRUE);
  px_engine_set_api_key (engine, "gemini", KEY);
}

static gboolean
palette_ready (gpointer data)
{
  return px_token_palette_get_set (px_generate_page_get_palette (page)) != NULL;
}

static gboolean
flap_folded_is (gpointer data)
{
  AdwFlap *flap = ADW_FLAP (gtk_widget_get_ancestor (GTK_WIDGET (px_generate_page_get_palette (page)), ADW_TYPE_FLAP));

  return adw_flap_get_folded (flap) == GPOINTER_TO_INT (data);
}

/* At 360 px the palette folds away (nothing squeezed, nothing covered) and
 * the Tokens button brings it; wide again, it is back beside the prompt. */
static void
test_narrow_window (void)
{
  AdwFlap *flap = ADW_FLAP (gtk_widget_get_ancestor (GTK_WIDGET (px_generate_page_get_palette (page)), ADW_TYPE_FLAP));
  GtkWidget *toggle = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON, "tokens-button");
  int width, height;

  g_assert_nonnull (toggle);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  g_assert_true (px_test_ui_wait_until (flap_folded_is, GINT_TO_POINTER (TRUE)));
  px_test_ui_wait_for_draw (GTK_WIDGET (window), 50);
  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_true (gtk_widget_get_mapped (toggle));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (px_generate_page_get_editor (page))), >, 200);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);

  gtk_window_set_default_size (GTK_WINDOW (window), MAX (width, 1100), MAX (height, 700));
  g_assert_true (px_test_ui_wait_until (flap_folded_is, GINT_TO_POINTER (FALSE)));
  px_test_ui_wait_for_draw (GTK_WIDGET (window), 50);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_false (gtk_widget_get_visible (toggle));
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

  library_dir = px_test_fake_library_dir ("generate");
  fake = px_test_fake_start (KEY);
  g_setenv ("GOOGLE_API_KEY", KEY, TRUE);

  notifications = px_test_ui_serve_notifications ();
  app = px_test_ui_application ();
  window = px_window_new (app);
  px_window_set_page (window, "generate");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));
  page = PX_GENERATE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GENERATE_PAGE, NULL));
  /* The token sets are read from the library off the main thread. */
  g_assert_true (px_test_ui_wait_until (palette_ready, NULL));

  g_test_add_func ("/generate/drop-lands-where-dropped", test_drop_lands_where_dropped);
  g_test_add_func ("/generate/completion-inserts-token", test_completion_inserts_token);
  g_test_add_func ("/generate/preview-and-missing", test_preview_and_missing);
  g_test_add_func ("/generate/saves-to-library", test_generate_saves_to_library);
  g_test_add_func ("/generate/cancel-stops", test_cancel_stops);
  g_test_add_func ("/generate/wrong-key-is-clear", test_wrong_key_is_clear);
  g_test_add_func ("/generate/missing-key-dialog", test_missing_key_dialog);
  g_test_add_func ("/generate/template-round-trip", test_template_round_trip);
  g_test_add_func ("/generate/meme", test_meme_generation);
  g_test_add_func ("/generate/preferences-providers", test_preferences_providers);
  g_test_add_func ("/generate/token-sets-and-memory", test_token_sets_and_memory);
  g_test_add_func ("/generate/improve-prompt", test_improve_prompt);
  g_test_add_func ("/generate/budget-asks", test_budget_asks);
  g_test_add_func ("/generate/narrow-window", test_narrow_window);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  px_test_ui_spin (50);
  g_clear_object (&app);
  g_clear_object (&fake);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", library_dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (library_dir);
  return ret;
}
