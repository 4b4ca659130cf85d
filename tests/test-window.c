/* test-window.c: the real main window under Xvfb: every page reachable from
 * the sidebar and the keyboard, the primary menu's actions, window state kept
 * across restarts, and a screenshot that actually shows something. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "px-analytics-page.h"
#include "px-editor-window.h"
#include "px-png.h"
#include "px-batch-page.h"
#include "px-compare-page.h"
#include "px-gallery-page.h"
#include "px-generate-page.h"
#include "px-preferences-window.h"
#include "px-snapshot.h"
#include "px-test-ui.h"
#include "px-window.h"

static PxApplication *app;

static void
reset_settings (void)
{
  GSettings *settings = px_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_set_boolean (settings, "welcome-done", TRUE);
}

static PxWindow *
open_window (void)
{
  PxWindow *window;

  reset_settings ();
  window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  return window;
}

static void
close_window (PxWindow *window)
{
  g_autoptr(GtkWidget) ref = g_object_ref (GTK_WIDGET (window));

  gtk_window_close (GTK_WINDOW (window));
  /* close-request saved the state, and the window is gone from the app. */
  g_assert_false (gtk_widget_get_visible (ref));
  g_assert_null (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), ref));
}

static GType
page_type (const char *name)
{
  if (g_str_equal (name, "generate"))
    return PX_TYPE_GENERATE_PAGE;
  if (g_str_equal (name, "gallery"))
    return PX_TYPE_GALLERY_PAGE;
  if (g_str_equal (name, "batch"))
    return PX_TYPE_BATCH_PAGE;
  if (g_str_equal (name, "compare"))
    return PX_TYPE_COMPARE_PAGE;
  if (g_str_equal (name, "analytics"))
    return PX_TYPE_ANALYTICS_PAGE;
  g_assert_not_reached ();
}

/* The page of the given name is the one on screen and no other page is. */
static void
assert_page_shown (PxWindow   *window,
                   const char *name)
{
  const char * const *names = px_window_get_page_names ();
  GtkWidget *shown = px_test_ui_find_by_name (GTK_WIDGET (window), page_type (name), NULL);
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (shown, GTK_TYPE_STACK));

  /* The crossfade keeps the old page on screen until it ends. */
  while (gtk_stack_get_transition_running (stack))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (px_window_get_page (window), ==, name);
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *page = px_test_ui_find_by_name (GTK_WIDGET (window), page_type (names[i]), NULL);

      /* Pages are built when first shown. */
      if (g_str_equal (names[i], name))
        g_assert_true (page != NULL && gtk_widget_get_mapped (page));
      else
        g_assert_true (page == NULL || !gtk_widget_get_mapped (page));
    }
}

static void
test_pages_through_sidebar (void)
{
  PxWindow *window = open_window ();
  const char * const *names = px_window_get_page_names ();
  guint n_pages = 0;

  /* Walk the sidebar backwards so every activation is a real change. */
  for (int i = (int) g_strv_length ((char **) names) - 1; i >= 0; i--)
    {
      GtkWidget *row = px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, names[i]);

      g_assert_nonnull (row);
      gtk_widget_activate (row);
      px_test_ui_spin (10);

      assert_page_shown (window, names[i]);
      g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
      n_pages++;
    }

  g_assert_cmpuint (n_pages, ==, 5);
  g_assert_false (px_window_set_page (window, "no-such-page"));

  /* A new library's Gallery says what to do next, and its button does it. */
  {
    GtkWidget *button;

    px_window_set_page (window, "gallery");
    g_assert_cmpuint (px_library_count (px_application_get_library (app, NULL), NULL, NULL), ==, 0);
    button = px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_BUTTON, "empty-generate");
    g_assert_nonnull (button);
    g_assert_true (px_test_ui_wait_until ((gboolean (*) (gpointer)) gtk_widget_is_drawable, button));
    g_assert_false (gtk_widget_is_sensitive (px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                                      "edit-selected")));
    g_signal_emit_by_name (button, "clicked");
    px_test_ui_spin (10);
    assert_page_shown (window, "generate");
  }
  close_window (window);
}

static void
test_page_shortcuts (void)
{
  PxWindow *window = open_window ();
  const char * const *names = px_window_get_page_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *action = g_strdup_printf ("win.show-page::%s", names[i]);
      g_autofree char *expected = g_strdup_printf ("<Alt>%u", i + 1);
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

      g_assert_nonnull (accels[0]);
      g_assert_cmpstr (accels[0], ==, expected);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", names[i]));
      px_test_ui_spin (10);
      assert_page_shown (window, names[i]);

      /* F1 opens this page's own help topic, which exists. */
      {
        g_autofree char *uri = px_application_help_uri_for (GTK_WINDOW (window));
        g_autofree char *want = g_strdup_printf ("help:pixmerge/%s", names[i]);
        g_autofree char *page = g_strdup_printf ("%s/../help/C/%s.page", g_getenv ("G_TEST_SRCDIR"), names[i]);

        g_assert_cmpstr (uri, ==, want);
        g_assert_true (g_file_test (page, G_FILE_TEST_IS_REGULAR));
      }
    }
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");

    g_assert_cmpstr (accels[0], ==, "F1");
  }

  close_window (window);
}

static void
test_state_round_trip (void)
{
  GSettings *settings = px_application_get_settings (app);
  PxWindow *window = open_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  px_window_set_page (window, "batch");
  close_window (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_cmpint (g_settings_get_enum (settings, "last-page"), ==, 2);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window, as on the next start, comes back the same. */
  window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  assert_page_shown (window, "batch");
  close_window (window);
}

static void
test_quit_saves_state (void)
{
  GSettings *settings = px_application_get_settings (app);
  PxWindow *window = open_window ();

  px_window_set_page (window, "compare");
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  px_test_ui_spin (10);

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (g_settings_get_enum (settings, "last-page"), ==, 3);
}

static void
assert_accel (const char *action,
              const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static void
test_primary_menu_actions (void)
{
  GSettings *settings = px_application_get_settings (app);
  PxWindow *window = open_window ();
  GtkWidget *prefs, *about;
  GtkSpinButton *spin;

  assert_accel ("app.quit", "<Control>q");
  assert_accel ("app.preferences", "<Control>comma");
  assert_accel ("app.help", "F1");
  assert_accel ("win.show-help-overlay", "<Control>question");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  /* GtkApplication found our shortcuts window in the resources. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = px_test_ui_find_toplevel (PX_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_assert_true (px_test_ui_wait_for_draw (prefs, 10));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));

  /* Each provider's pace starts Automatic; what the user sets reaches the
   * engine at once, above the catalog's usual when asked. */
  spin = GTK_SPIN_BUTTON (px_test_ui_find_by_name (prefs, GTK_TYPE_SPIN_BUTTON, "concurrency"));
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "Automatic");
  gtk_spin_button_set_value (spin, 12);
  {
    g_autoptr(GVariant) limits = g_settings_get_value (settings, "provider-limits");
    int concurrency = 0, rpm = -1;
    guint pace = 0;

    g_assert_true (g_variant_lookup (limits, "openai", "(ii)", &concurrency, &rpm));
    g_assert_cmpint (concurrency, ==, 12);
    g_assert_cmpint (rpm, ==, 0);
    px_engine_get_pace (px_application_get_engine (PX_APPLICATION (app)), "openai", &pace, NULL);
    g_assert_cmpuint (pace, ==, 12);
  }
  gtk_spin_button_set_value (spin, 0);
  {
    g_autoptr(GVariant) limits = g_settings_get_value (settings, "provider-limits");

    g_assert_cmpuint (g_variant_n_children (limits), ==, 0);
  }
  gtk_window_destroy (GTK_WINDOW (prefs));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = px_test_ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  gtk_window_destroy (GTK_WINDOW (about));

  close_window (window);
}

static void
test_snapshot_not_blank (void)
{
  PxWindow *window = open_window ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_autofree guchar *pixels = NULL;
  int width, height;
  gsize stride;

  texture = px_snapshot_widget (GTK_WIDGET (window), &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (height, ==, gtk_widget_get_height (GTK_WIDGET (window)));

  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 pixel;

        memcpy (&pixel, pixels + y * stride + x * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }

  /* Text, icons, the sidebar and the header bars: a drawn window has many
   * colours; an empty or failed render has one or two. */
  g_assert_cmpuint (g_hash_table_size (colours), >, 20);
  close_window (window);
}

static gboolean
batch_has_two_rows (gpointer data)
{
  return px_batch_page_get_n_rows (data) == 2;
}

static gboolean
editor_open (gpointer data)
{
  PxEditorWindow *editor = PX_EDITOR_WINDOW (px_test_ui_find_toplevel (PX_TYPE_EDITOR_WINDOW));

  return editor != NULL && px_editor_window_is_ready (editor);
}

/* Open With Pixmerge: a spreadsheet lands on the Batch page with its rows;
 * an image goes into the library and the Editor opens on it. */
static void
test_open_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("px-open-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "team.csv", NULL);
  g_autofree char *png_path = g_build_filename (dir, "logo.png", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFile) png = g_file_new_for_path (png_path);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 64, 48);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  PxWindow *window;
  PxBatchPage *batch;
  PxEditorWindow *editor;

  g_assert_true (g_file_set_contents (csv_path, "FIRSTNAME,COMPANY\nAda,Acme\nBo,Globex\n", -1, NULL));
  bytes = px_png_from_surface (surface, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_set_contents (png_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));

  window = open_window ();
  px_window_open_files (window, &csv, 1);
  g_assert_cmpstr (px_window_get_page (window), ==, "batch");
  batch = PX_BATCH_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_BATCH_PAGE, NULL));
  g_assert_true (px_test_ui_wait_until (batch_has_two_rows, batch));

  px_window_open_files (window, &png, 1);
  g_assert_true (px_test_ui_wait_until (editor_open, NULL));
  editor = PX_EDITOR_WINDOW (px_test_ui_find_toplevel (PX_TYPE_EDITOR_WINDOW));
  g_assert_cmpint (px_editor_window_get_image_id (editor), >, 0);
  gtk_window_destroy (GTK_WINDOW (editor));

  close_window (window);
  g_unlink (csv_path);
  g_unlink (png_path);
  g_rmdir (dir);
}

static void
collect_shortcut_titles (GtkWidget  *root,
                         GPtrArray  *titles)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (root))
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (root, "title", &title, "accelerator", &accelerator, NULL);
      g_ptr_array_add (titles, g_strdup_printf ("%s=%s", title, accelerator ? accelerator : ""));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_shortcut_titles (child, titles);
}

static gboolean
has_title (GPtrArray  *titles,
           const char *entry)
{
  for (guint i = 0; i < titles->len; i++)
    if (g_str_equal (g_ptr_array_index (titles, i), entry))
      return TRUE;
  return FALSE;
}

/* F6 moves between the sidebar and the page, both ways; the shortcuts
 * window lists what the keyboard can do. */
static void
test_keyboard_panes_and_shortcuts (void)
{
  PxWindow *window = open_window ();
  GtkWidget *sidebar = px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, "sidebar");
  GtkWidget *page;
  GtkWindow *overlay;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  const char *expected[] = {
    "Move Between the Sidebar and the Page=F6", "Generate=<Primary>Return", "Stop Generating=Escape",
    "Search=<Primary>f", "Search by Typing=a...z", "Open the Selected Image=Return",
    "Delete the Selected Images=Delete", "Undo the Deletion=<Primary>z", "Close the Image=Escape",
  };

  px_window_set_page (window, "gallery");
  px_test_ui_spin (50);
  page = px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GALLERY_PAGE, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_selected_row (GTK_LIST_BOX (sidebar))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pane", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pane", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), sidebar));

  /* Read, not shown: GTK 4.8's shortcuts window warns about its own label
   * sizes when drawn under Xvfb. */
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  collect_shortcut_titles (GTK_WIDGET (overlay), titles);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!has_title (titles, expected[i]))
      g_error ("the shortcuts window does not list %s", expected[i]);
  close_window (window);
}

/* Tab from the sidebar through each page and back: the focus goes round
 * (no trap), lands only on controls drawn inside the window, goes into the
 * page instead of walking the sidebar's rows (which would change the page),
 * and down the page in reading order (px_test_ui_tab_through). */
static void
test_focus_order (void)
{
  PxWindow *window = open_window ();
  const char * const *names = px_window_get_page_names ();
  GtkWidget *sidebar = px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, "sidebar");

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) stops = NULL;
      GtkWidget *start;
      guint on_page = 0;

      px_window_set_page (window, names[i]);
      px_test_ui_spin (50);
      g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));
      start = GTK_WIDGET (gtk_list_box_get_selected_row (GTK_LIST_BOX (sidebar)));
      stops = px_test_ui_tab_through (GTK_WINDOW (window), start, sidebar);
      for (guint s = 0; s < stops->len; s++)
        {
          GtkWidget *stop = g_ptr_array_index (stops, s);

          if (!gtk_widget_is_ancestor (stop, sidebar))
            on_page++;
          else if (stop != start)
            g_error ("%s: Tab went to another page's row instead of into the page", names[i]);
        }
      g_assert_cmpuint (on_page, >=, 1);
      g_assert_cmpstr (px_window_get_page (window), ==, names[i]);

      /* Shift+Tab from the row goes to the page's end, not to the row above. */
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_BACKWARD));
      g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), sidebar));
      g_assert_cmpstr (px_window_get_page (window), ==, names[i]);
    }
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!px_test_ui_init ())
    {
      g_test_skip ("No display: run the UI tests with build-aux/test");
      return g_test_run ();
    }

  app = px_test_ui_application ();

  g_test_add_func ("/window/pages-through-sidebar", test_pages_through_sidebar);
  g_test_add_func ("/window/page-shortcuts", test_page_shortcuts);
  g_test_add_func ("/window/state-round-trip", test_state_round_trip);
  g_test_add_func ("/window/primary-menu-actions", test_primary_menu_actions);
  g_test_add_func ("/window/snapshot-not-blank", test_snapshot_not_blank);
  g_test_add_func ("/window/quit-saves-state", test_quit_saves_state);
  g_test_add_func ("/window/open-files", test_open_files);
  g_test_add_func ("/window/keyboard-panes-and-shortcuts", test_keyboard_panes_and_shortcuts);
  g_test_add_func ("/window/focus-order", test_focus_order);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
