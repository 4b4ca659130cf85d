/* test-compare.c: the Compare page's grid in a real window under Xvfb,
 * against the fake provider: three models × three token sets, blind (the
 * columns shuffled and named Model A, B, C); the best picked in each row,
 * which reveals the names and keeps each row's winner in the library; the
 * grid exported as a labelled PNG with its CSV; and the wins counted for
 * the Analytics page. */
#include "config.h"

#include <string.h>

#include "px-compare-page.h"
#include "px-fake-provider.h"
#include "px-test-fake.h"
#include "px-test-ui.h"
#include "px-token-set.h"
#include "px-usage.h"
#include "px-window.h"

#define KEY "test-key-0123456789"

static PxApplication *app;
static PxFakeProvider *fake;
static PxWindow *window;

static const char * const models[] = { "gpt-image-2", "gpt-image-1.5", "gemini-3.1-flash-image" };
static const char * const sets[] = { "Ada at Acme", "Bo at Globex", "Chidi at Initech", NULL };

static gboolean
sets_listed (gpointer data)
{
  return px_compare_page_get_n_token_sets (data) >= 3;
}

static gboolean
idle (gpointer data)
{
  return !px_compare_page_is_running (data);
}

static gboolean
not_hidden (gpointer data)
{
  return !px_compare_grid_view_is_hidden (px_compare_page_get_grid_view (data));
}

static char *csv_path;

static gboolean
exported (gpointer data)
{
  return g_file_test (csv_path, G_FILE_TEST_EXISTS);
}

static void
test_blind_grid (void)
{
  PxLibrary *library = px_application_get_library (app, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *png_path = g_build_filename (g_get_user_data_dir (), "grid.png", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GPtrArray) comparisons = NULL;
  g_autoptr(GPtrArray) wins = NULL;
  PxComparePage *page;
  PxCompareGridView *view;
  guint requests;

  for (guint i = 0; sets[i] != NULL; i++)
    {
      const char *names[] = { "Ada", "Bo", "Chidi" }, *companies[] = { "Acme", "Globex", "Initech" };
      g_autoptr(PxTokenSet) set = px_token_set_new (sets[i]);

      px_token_set_set (set, "FIRSTNAME", names[i]);
      px_token_set_set (set, "COMPANY", companies[i]);
      g_assert_cmpint (px_library_save_token_set (library, set, &error), >, 0);
    }
  px_window_set_page (window, "compare");
  page = PX_COMPARE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_COMPARE_PAGE, NULL));
  g_assert_true (px_test_ui_wait_until (sets_listed, page));
  px_token_editor_set_text (px_compare_page_get_editor (page), "Portrait of [FIRSTNAME] from [COMPANY]");
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    g_assert_true (px_compare_page_choose_model (page, models[m], TRUE));
  g_assert_true (px_compare_page_choose_rows (page, sets));
  px_compare_page_set_blind (page, TRUE);

  requests = px_fake_provider_get_request_count (fake);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compare.run", NULL));
  px_test_ui_spin (50);
  g_assert_true (px_test_ui_wait_until (idle, page));
  g_assert_cmpuint (px_fake_provider_get_request_count (fake), ==, requests + 9);
  g_assert_cmpuint (px_compare_page_get_n_cells (page), ==, 9);

  /* Blind: the columns are letters, in some order. */
  view = px_compare_page_get_grid_view (page);
  g_assert_true (px_compare_grid_view_is_hidden (view));
  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *label = px_compare_grid_view_column_label (view, c);
      g_autofree char *want = g_strdup_printf ("Model %c", 'A' + c);

      g_assert_cmpstr (label, ==, want);
    }
  g_assert_true (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "reveal")));

  /* The best in each row: gpt-image-1.5, gpt-image-1.5, gemini. */
  g_assert_true (px_compare_page_keep_row (page, 0, "gpt-image-1.5"));
  g_assert_true (px_compare_page_keep_row (page, 1, "gpt-image-1.5"));
  px_test_ui_spin (300);
  g_assert_true (px_compare_grid_view_is_hidden (view));
  g_assert_true (px_compare_page_keep_row (page, 2, "gemini-3.1-flash-image"));
  g_assert_true (px_test_ui_wait_until (not_hidden, page));
  {
    PxCompareGrid *grid = px_compare_grid_view_get_grid (view);
    guint column = px_compare_grid_column_of (grid, 2);
    g_autofree char *label = px_compare_grid_view_column_label (view, column);

    g_assert_cmpstr (label, ==, "Gemini 3.1 Flash Image");
    g_assert_cmpint (px_compare_grid_get_winner (grid, 2), ==, 2);
  }

  /* Every row's winner is kept, and counted. */
  comparisons = px_library_list_comparisons (library, &error);
  g_assert_cmpuint (comparisons->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (((PxComparison *) g_ptr_array_index (comparisons, i))->winner_image_id, >, 0);
  wins = px_usage_wins (library, 0, 0, &error);
  g_assert_cmpuint (wins->len, ==, 2);
  g_assert_cmpstr (((PxUsageRow *) g_ptr_array_index (wins, 0))->key, ==, "gpt-image-1.5");
  g_assert_cmpuint (((PxUsageRow *) g_ptr_array_index (wins, 0))->events, ==, 2);

  /* Exported: a PNG of the grid and its numbers beside it. */
  csv_path = g_build_filename (g_get_user_data_dir (), "grid.csv", NULL);
  px_compare_page_export_grid (page, png_path);
  g_assert_true (px_test_ui_wait_until (exported, NULL));
  px_test_ui_spin (100);
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (png_path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 16 * 2 + 180 + 3 * (256 + 16));
    g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 16 * 2 + 48 + 3 * (256 + 34 + 16));
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_nonnull (strstr (csv, "\"COMPANY: Globex, FIRSTNAME: Bo\",gpt-image-1.5,"));
  g_assert_nonnull (strstr (csv, ",yes"));
  g_clear_pointer (&csv_path, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *library_dir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!px_test_ui_init ())
    {
      g_test_skip ("No display: run the UI tests with build-aux/test");
      return g_test_run ();
    }

  library_dir = px_test_fake_library_dir ("compare");
  fake = px_test_fake_start (KEY);

  app = px_test_ui_application ();
  window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  g_test_add_func ("/compare/blind-grid", test_blind_grid);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  px_test_ui_spin (50);
  g_clear_object (&app);
  g_clear_object (&fake);
  px_test_fake_remove_dir (library_dir);
  return ret;
}
