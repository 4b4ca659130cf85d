/* test-welcome.c: a first start, as a new user has it: no key anywhere, no
 * setup. The welcome is shown; Try Without a Key starts the bundled demo
 * provider (the real program, as installed: found by PIXMERGE_DEMO_PROVIDER
 * in the build tree) and a sample prompt; Generate makes an image that is
 * then in the Gallery. Stopping the demo puts the real providers back. */
#include "config.h"

#include <string.h>

#include "px-batch-page.h"
#include "px-demo.h"
#include "px-gallery-page.h"
#include "px-generate-page.h"
#include "px-library-model.h"
#include "px-test-fake.h"
#include "px-test-ui.h"
#include "px-token-editor.h"
#include "px-welcome.h"
#include "px-window.h"

static PxApplication *app;

/* The button a user would press: the one bound to @action. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      if ((found = find_action_button (child, action)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
demo_running (gpointer data)
{
  return px_application_is_demo (data);
}

static gboolean
unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
generated (gpointer data)
{
  PxGeneratePage *page = data;

  return px_generate_page_get_n_results (page) > 0 && !px_generate_page_is_running (page);
}

static gboolean
sample_loaded (gpointer data)
{
  return px_batch_page_get_n_rows (data) == 6;
}

static gboolean
gallery_has_one (gpointer data)
{
  return g_list_model_get_n_items (data) == 1;
}

static void
test_first_run_demo (void)
{
  g_autofree char *dir = px_test_fake_library_dir ("welcome");
  g_autofree char *before = NULL, *after = NULL;
  PxWindow *window;
  PxWelcome *welcome;
  PxGeneratePage *generate;
  PxGalleryPage *gallery;
  PxBatchPage *batch;
  GtkWidget *button, *badge;
  GListModel *model;
  PxLibraryItem *item;
  PxEngine *engine;

  engine = px_application_get_engine (app);
  before = px_engine_get_base_url (engine, "openai");
  g_assert_false (px_engine_has_api_key (engine, "openai"));
  g_settings_reset (px_application_get_settings (app), "welcome-done");

  window = px_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  /* The welcome is what a first start shows, not the pages. */
  welcome = PX_WELCOME (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_WELCOME, NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (welcome)));
  g_assert_nonnull (find_action_button (GTK_WIDGET (welcome), "win.welcome-add-key"));
  /* F1 here is the help on getting started. */
  {
    g_autofree char *uri = px_application_help_uri_for (GTK_WINDOW (window));

    g_assert_cmpstr (uri, ==, "help:pixmerge/first-start");
  }
  badge = find_action_button (GTK_WIDGET (window), "win.stop-demo");
  g_assert_nonnull (badge);
  badge = gtk_widget_get_ancestor (badge, GTK_TYPE_MENU_BUTTON);
  g_assert_false (gtk_widget_get_visible (badge));

  /* Try Without a Key. */
  button = find_action_button (GTK_WIDGET (welcome), "win.welcome-try-demo");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (px_test_ui_wait_until (demo_running, app));

  /* The pages, with a sample to generate, and the demo clearly on. */
  g_assert_true (px_test_ui_wait_until (unmapped, welcome));
  g_assert_true (g_settings_get_boolean (px_application_get_settings (app), "welcome-done"));
  g_assert_cmpstr (px_window_get_page (window), ==, "generate");
  g_assert_true (gtk_widget_get_visible (badge));
  generate = PX_GENERATE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GENERATE_PAGE, NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (generate)));
  {
    g_autofree char *prompt = px_token_editor_get_text (px_generate_page_get_editor (generate));

    g_assert_nonnull (strstr (prompt, "[FIRSTNAME]"));
  }
  g_assert_nonnull (strstr (px_generate_page_get_preview (generate), "Ada"));
  /* The demo key is in memory, for the demo server only. */
  after = px_engine_get_base_url (engine, "openai");
  g_assert_cmpstr (after, !=, before);
  g_assert_true (g_str_has_prefix (after, "http://127.0.0.1:"));

  /* Generate: an image, with no key and no setup. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (generate), "generate.generate", NULL));
  g_assert_true (px_test_ui_wait_until (generated, generate));
  g_assert_null (px_generate_page_get_banner (generate));

  /* It is in the Gallery, described by its prompt. */
  px_window_set_page (window, "gallery");
  gallery = PX_GALLERY_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GALLERY_PAGE, NULL));
  model = px_gallery_page_get_model (gallery);
  g_assert_true (px_test_ui_wait_until (gallery_has_one, model));
  item = g_list_model_get_item (model, 0);
  g_assert_nonnull (strstr (px_library_item_get_image (item)->prompt, "Ada"));
  g_object_unref (item);

  /* The sample spreadsheet, to try a batch: six people, and a template
   * made from its columns. */
  px_window_set_page (window, "batch");
  batch = PX_BATCH_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_BATCH_PAGE, NULL));
  g_assert_nonnull (find_action_button (GTK_WIDGET (batch), "batch.open-sample"));
  g_signal_emit_by_name (find_action_button (GTK_WIDGET (batch), "batch.open-sample"), "clicked");
  g_assert_true (px_test_ui_wait_until (sample_loaded, batch));
  {
    g_autofree char *template_ = px_token_editor_get_text (px_batch_page_get_editor (batch));

    g_assert_nonnull (strstr (template_, "[FIRSTNAME]"));
    g_assert_nonnull (strstr (template_, "[COMPANY]"));
  }

  /* Stopping the demo puts the real addresses back and forgets the key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-demo", NULL));
  g_assert_false (px_application_is_demo (app));
  g_assert_false (gtk_widget_get_visible (badge));
  g_assert_false (px_engine_has_api_key (engine, "openai"));
  g_free (after);
  after = px_engine_get_base_url (engine, "openai");
  g_assert_cmpstr (after, ==, before);

  gtk_window_destroy (GTK_WINDOW (window));
  px_test_fake_remove_dir (dir);
}

/* A demo program that is not there: the welcome says so and stays. */
static void
test_demo_missing (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("PIXMERGE_DEMO_PROVIDER"));
  PxWindow *window;
  PxWelcome *welcome;
  GtkLabel *error = NULL;

  g_settings_reset (px_application_get_settings (app), "welcome-done");
  g_setenv ("PIXMERGE_DEMO_PROVIDER", "/nonexistent/pixmerge-demo-provider", TRUE);
  window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));
  welcome = PX_WELCOME (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_WELCOME, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.welcome-try-demo", NULL));
  for (int i = 0; i < 100 && (error == NULL || !gtk_widget_get_visible (GTK_WIDGET (error))); i++)
    {
      px_test_ui_spin (20);
      error = GTK_LABEL (px_test_ui_find_by_name (GTK_WIDGET (welcome), GTK_TYPE_LABEL, "welcome-error"));
    }
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (error), "demo provider"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (welcome)));
  g_assert_false (px_application_is_demo (app));
  g_assert_false (g_settings_get_boolean (px_application_get_settings (app), "welcome-done"));

  g_setenv ("PIXMERGE_DEMO_PROVIDER", saved, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!px_test_ui_init ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  g_setenv ("PIXMERGE_DEMO_LATENCY_MS", "0", TRUE);
  /* Nothing set up: no key in the environment (nor in the test's keyring). */
  g_unsetenv ("OPENAI_API_KEY");
  g_unsetenv ("GEMINI_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");
  app = px_test_ui_application ();

  g_test_add_func ("/welcome/first-run-demo", test_first_run_demo);
  g_test_add_func ("/welcome/demo-missing", test_demo_missing);

  {
    int status = g_test_run ();

    g_object_unref (app);
    return status;
  }
}
