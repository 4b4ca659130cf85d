/* bench-analytics.c: the Analytics page on a library of 1,000,000 usage
 * events over 90 days: the report read on a worker for this month and for
 * all time, then the window opened on the Analytics page — its first frame
 * (target <= 300 ms), the time until the report is drawn, and the longest
 * main-loop gap meanwhile (the reading must not hold the loop). Needs a
 * display:  xvfb-run -a meson test -C _build/bench --benchmark --verbose analytics
 * Makes the library once in the build folder. */
#include "config.h"

#include <stdlib.h>

#include "px-analytics-page.h"
#include "px-test-ui.h"
#include "px-usage-report.h"
#include "px-window.h"

#define N_EVENTS 1000000

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gint64 last_tick, longest_gap;

static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0 && now - last_tick > longest_gap)
    longest_gap = now - last_tick;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static double
median3 (double a,
         double b,
         double c)
{
  return MAX (MIN (a, b), MIN (MAX (a, b), c));
}

static double
time_report (PxLibrary *library,
             gint64     since)
{
  double runs[3];

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(PxUsageReport) report = px_usage_report_read (library, since, 0, 0, &error);

      if (report == NULL)
        g_error ("%s", error->message);
      runs[i] = ms_since (start);
    }
  return median3 (runs[0], runs[1], runs[2]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(PxApplication) app = NULL;
  PxWindow *window;
  PxAnalyticsPage *page;
  double month, all, first_frame, drawn;
  gboolean ok = TRUE;
  guint tick;
  gint64 start;
  PxUsageRow totals;

  if (argc != 3)
    g_error ("usage: bench-analytics SEEDER LIBRARY-DIR");
  if (!g_file_test (argv[2], G_FILE_TEST_IS_DIR))
    {
      const char *seed_argv[] = { argv[1], argv[2], "1", "--usage", G_STRINGIFY (N_EVENTS), NULL };
      int status;

      g_print ("making a library of %d usage events in %s (once)…\n", N_EVENTS, argv[2]);
      if (!g_spawn_sync (NULL, (char **) seed_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        g_error ("seeding failed: %s", error->message);
    }

  library = px_library_open (argv[2], &error);
  if (library == NULL)
    g_error ("%s", error->message);
  if (!px_usage_totals (library, 0, 0, &totals, &error))
    g_error ("%s", error->message);
  month = time_report (library, px_usage_month_start (g_get_real_time () / G_USEC_PER_SEC));
  all = time_report (library, 0);
  g_print ("report on a worker, %" G_GUINT64_FORMAT " events: this month %.0f ms, all time %.0f ms\n", totals.events,
           month, all);
  g_clear_object (&library);

  if (!px_test_ui_init ())
    {
      g_print ("window: no display; run the benchmarks under xvfb-run\n");
      return EXIT_FAILURE;
    }
  g_setenv ("PIXMERGE_LIBRARY_DIR", argv[2], TRUE);
  app = px_test_ui_application ();
  tick = g_timeout_add (2, on_tick, NULL);
  start = g_get_monotonic_time ();
  window = px_window_new (app);
  px_window_set_page (window, "analytics");
  gtk_window_present (GTK_WINDOW (window));
  px_test_ui_wait_for_draw (GTK_WIDGET (window), 0);
  first_frame = ms_since (start);
  page = PX_ANALYTICS_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_ANALYTICS_PAGE, NULL));
  last_tick = longest_gap = 0;
  while (px_analytics_page_is_loading (page) || px_analytics_page_get_report (page) == NULL)
    g_main_context_iteration (NULL, TRUE);
  px_test_ui_wait_for_draw (GTK_WIDGET (window), 0);
  drawn = ms_since (start);
  g_source_remove (tick);
  g_print ("window on Analytics: first frame %.0f ms (target: <= 300 ms); this month's report drawn at %.0f ms; "
           "longest main-loop gap while it read: %.0f ms\n", first_frame, drawn, longest_gap / 1000.0);
  ok &= first_frame <= 300;
  gtk_window_destroy (GTK_WINDOW (window));
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
