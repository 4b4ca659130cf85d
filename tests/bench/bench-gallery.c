/* bench-gallery.c: the Gallery on a library of 100,000 images: first page
 * of the model, a search, the window's first frame on the Gallery, and
 * memory after scrolling through the whole grid. Needs a display:
 *   xvfb-run -a meson test -C _build/bench --benchmark --verbose
 * Makes the library once (about 5 minutes) in the build folder.
 * BENCH_FIRST_FRAME_ONLY=1 stops after the first frame, for profiling it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "px-gallery-page.h"
#include "px-library-model.h"
#include "px-paths.h"
#include "px-test-ui.h"
#include "px-window.h"

#define N_IMAGES 100000

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static long
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;

  return strtol (line + 6, NULL, 10) / 1024;
}

static void
touch_first_page (GListModel *model)
{
  for (guint i = 0; i < MIN (120u, g_list_model_get_n_items (model)); i++)
    g_object_unref (g_list_model_get_item (model, i));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(PxLibraryModel) model = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(PxApplication) app = NULL;
  GtkAdjustment *adjustment;
  PxWindow *window;
  GtkWidget *grid, *scroller;
  double first_page, search, first_frame, built, presented;
  long rss;
  gboolean ok = TRUE;
  gint64 start;

  if (argc != 3)
    g_error ("usage: bench-gallery SEEDER LIBRARY-DIR");
  dir = g_strdup (argv[2]);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      const char *seed_argv[] = { argv[1], dir, G_STRINGIFY (N_IMAGES), NULL };
      int status;

      g_print ("making a library of %d images in %s (once)…\n", N_IMAGES, dir);
      if (!g_spawn_sync (NULL, (char **) seed_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        g_error ("seeding failed: %s", error->message);
    }

  start = g_get_monotonic_time ();
  library = px_library_open (dir, &error);
  if (library == NULL)
    g_error ("%s", error->message);
  model = px_library_model_new (library);
  touch_first_page (G_LIST_MODEL (model));
  first_page = ms_since (start);
  g_print ("model: %u images, open + count + first page: %.1f ms (target: <= 50 ms)\n",
           g_list_model_get_n_items (G_LIST_MODEL (model)), first_page);
  ok &= first_page <= 50 && g_list_model_get_n_items (G_LIST_MODEL (model)) == N_IMAGES;

  start = g_get_monotonic_time ();
  px_library_model_set_search (model, "hana stark");
  touch_first_page (G_LIST_MODEL (model));
  search = ms_since (start);
  g_print ("search “hana stark”: %u results, count + first page: %.1f ms (target: <= 50 ms)\n",
           g_list_model_get_n_items (G_LIST_MODEL (model)), search);
  ok &= search <= 50;

  if (!px_test_ui_init ())
    {
      g_print ("window: no display; run the benchmarks under xvfb-run\n");
      return EXIT_FAILURE;
    }

  g_setenv ("PIXMERGE_LIBRARY_DIR", dir, TRUE);
  app = px_test_ui_application ();
  /* The window opens on the page it was closed on: the Gallery. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_string (settings, "last-page", "gallery");
  }
  start = g_get_monotonic_time ();
  window = px_window_new (app);
  built = ms_since (start);
  px_window_set_page (window, "gallery");
  gtk_window_present (GTK_WINDOW (window));
  presented = ms_since (start);
  px_test_ui_wait_for_draw (GTK_WIDGET (window), 0);
  first_frame = ms_since (start);
  g_print ("window: built %.1f ms, presented %.1f ms, drawn %.1f ms\n", built, presented, first_frame);
  g_print ("window: first frame with the Gallery: %.1f ms (target: <= 300 ms)\n", first_frame);
  ok &= first_frame <= 300;
  if (g_getenv ("BENCH_FIRST_FRAME_ONLY"))
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;

  /* Scroll from top to bottom in 200 steps, letting thumbnails load. */
  grid = px_test_ui_find_by_name (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW, NULL);
  scroller = gtk_widget_get_parent (grid);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  for (int step = 0; step <= 200; step++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      gtk_adjustment_set_value (adjustment, upper * step / 200.0);
      px_test_ui_spin (25);
    }
  px_test_ui_spin (500);
  rss = rss_mb ();
  g_print ("memory: RSS after scrolling through %d images: %ld MB (target: <= 300 MB)\n", N_IMAGES, rss);
  ok &= rss > 0 && rss <= 300;

  gtk_window_destroy (GTK_WINDOW (window));
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
