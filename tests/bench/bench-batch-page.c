/* bench-batch-page.c: the same 1,000-row batch (500 ms per image, 8 at
 * once, the fake provider in its own process) started from the Batch page
 * of a real window, which shows its progress, items and thumbnails: the
 * longest the main loop went without running, and the wall time. Needs a
 * display: xvfb-run -a meson test -C _build/bench --benchmark. */
#include "config.h"

#include <stdlib.h>

#include "px-batch-page.h"
#include "px-test-ui.h"
#include "px-window.h"

#define N_ROWS 1000
#define LATENCY_MS 500
#define CONCURRENCY 8

static gint64 last_tick;
static gint64 longest_gap;
static gboolean measuring;
static gint64 started;
static GString *slow;     /* when the gaps over 30 ms happened */

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (measuring && last_tick > 0)
    {
      longest_gap = MAX (longest_gap, now - last_tick);
      if (now - last_tick > 30 * 1000)
        g_string_append_printf (slow, " %.1f ms at %.1f s;", (now - last_tick) / 1000.0, (now - started) / 1e6);
    }
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static GtkWidget *
find_spin (GtkWidget *root)
{
  if (GTK_IS_SPIN_BUTTON (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_spin (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("px-bench-batch-page-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "rows.csv", NULL);
  g_autofree char *latency = g_strdup_printf ("%d", LATENCY_MS);
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GString) csv = g_string_new ("Name\n");
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(PxApplication) app = NULL;
  g_autoptr(GFile) file = NULL;
  PxWindow *window;
  PxBatchPage *page;
  GtkWidget *start;
  double wall, ideal = (double) N_ROWS / CONCURRENCY * LATENCY_MS / 1000.0;
  gboolean ok;

  if (argc != 2)
    g_error ("usage: bench-batch-page FAKE-PROVIDER");
  if (!px_test_ui_init ())
    {
      g_print ("no display; run the benchmarks under xvfb-run\n");
      return EXIT_FAILURE;
    }

  fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[1], "--port", "0", "--latency-ms", latency, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_nonnull (url);
  base = g_strconcat (url, "/v1", NULL);

  for (guint i = 0; i < N_ROWS; i++)
    g_string_append_printf (csv, "Person %u\n", i);
  g_assert_true (g_file_set_contents (csv_path, csv->str, csv->len, NULL));
  g_setenv ("PIXMERGE_LIBRARY_DIR", dir, TRUE);

  app = px_test_ui_application ();
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autoptr(GVariant) urls = g_variant_new_parsed ("{'openai-compatible': %s}", base);

    g_settings_set_value (settings, "base-urls", g_steal_pointer (&urls));
    g_settings_set_int (settings, "concurrency", CONCURRENCY);
    g_settings_set_int (settings, "cache-ttl-minutes", 0);   /* every request goes to the provider */
  }
  window = px_window_new (app);
  /* A local server takes one request at a time by default; this one takes 8. */
  px_engine_set_limits (px_application_get_engine (app), "openai-compatible", CONCURRENCY, 0);
  px_window_set_page (window, "batch");
  gtk_window_present (GTK_WINDOW (window));
  px_test_ui_wait_for_draw (GTK_WIDGET (window), 50);
  page = PX_BATCH_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_BATCH_PAGE, NULL));

  file = g_file_new_for_path (csv_path);
  px_batch_page_open_csv (page, file);
  while (px_batch_page_get_n_rows (page) == 0)
    px_test_ui_spin (20);
  px_token_editor_set_text (px_batch_page_get_editor (page), "Portrait of [NAME]");
  px_batch_page_select_model (page, "local-model");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_spin (GTK_WIDGET (page))), CONCURRENCY);
  start = px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BUTTON, "start");
  g_assert_true (gtk_widget_is_sensitive (start));

  slow = g_string_new (NULL);
  g_timeout_add (10, tick, NULL);
  measuring = TRUE;
  started = g_get_monotonic_time ();
  g_signal_emit_by_name (start, "clicked");
  px_test_ui_spin (200);
  while (px_batch_page_is_running (page) || px_batch_page_get_runner (page) == NULL)
    px_test_ui_spin (20);
  wall = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  measuring = FALSE;

  g_print ("batch page: %d rows, %d ms each, %d at once: %.2f s, ideal %.1f s, ratio %.3f\n",
           N_ROWS, LATENCY_MS, CONCURRENCY, wall, ideal, wall / ideal);
  g_print ("batch page: longest main-loop gap while the page shows the batch: %.1f ms (target: <= 50 ms)\n",
           longest_gap / 1000.0);
  g_print ("batch page: gaps over 30 ms:%s\n", slow->len ? slow->str : " none");
  ok = longest_gap <= 50 * 1000 && px_batch_runner_get_job (px_batch_page_get_runner (page))->completed == N_ROWS;

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_force_exit (fake);
  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
