/* bench-batch.c: a batch of 1,000 rows against the fake provider (its own
 * process) answering after 500 ms, 8 at a time: wall time against the ideal
 * 62.5 s, memory growth over the run, and the longest the main loop went
 * without running (what a window showing the batch would feel). Also:
 * importing 50,000 CSV rows into a batch. Exits 1 when a target is missed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "px-batch.h"
#include "px-csv.h"
#include "px-test-engine.h"

#define N_ROWS 1000
#define LATENCY_MS 500
#define CONCURRENCY 8

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (line + 6, NULL, 10);
}

static GSubprocess *
spawn_fake (const char  *program,
            char       **url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *latency = g_strdup_printf ("%u", LATENCY_MS);
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, "--port", "0",
                              "--latency-ms", latency, NULL);
  if (process == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  *url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (*url == NULL)
    g_error ("The fake provider did not start: %s", error ? error->message : "no output");
  return process;
}

static gint64 last_tick;
static gint64 longest_gap;

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick > 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static double
import_50k (const char *dir)
{
  g_autoptr(GString) data = g_string_new ("First Name,Company,City\r\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { 0, };
  char **row;
  gint64 start;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (data, "Person %u,\"Company %u, Inc.\",City %u\r\n", i, i % 977, i % 101);
  library = px_library_open (dir, &error);
  g_assert_no_error (error);

  /* What the Batch page and `batch run` do: read the file, save the batch. */
  start = g_get_monotonic_time ();
  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = px_csv_reader_new (stream);
  if (!px_csv_reader_read_header (reader, NULL, &error))
    g_error ("%s", error->message);
  while ((row = px_csv_reader_next_row (reader, NULL, &error)) != NULL)
    g_ptr_array_add (rows, row);
  spec.template_prompt = "Portrait of [FIRST_NAME] from [COMPANY] in [CITY]";
  spec.model_id = "gpt-image-2";
  spec.columns = px_csv_reader_get_columns (reader);
  spec.rows = rows;
  if (px_batch_create (library, &spec, &error) == 0)
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dir = g_dir_make_tmp ("px-bench-batch-XXXXXX", NULL);
  g_autofree char *import_dir = g_build_filename (dir, "import", NULL);
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  g_autoptr(PxEngine) engine = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  static const char *columns[] = { "Name", NULL };
  PxBatchSpec spec = { 0, };
  double import_ms, wall, ideal = (double) N_ROWS / CONCURRENCY * LATENCY_MS / 1000.0;
  long rss_before, rss_after;
  gint64 id, start;
  gboolean ok = TRUE;
  g_autofree char *command = NULL;

  if (argc != 2)
    g_error ("usage: bench-batch FAKE-PROVIDER");

  import_ms = import_50k (import_dir);
  g_print ("import: 50,000 CSV rows read and saved as a batch: %.0f ms (target: <= 2000 ms)\n", import_ms);
  ok &= import_ms <= 2000;

  fake = spawn_fake (argv[1], &url);
  base = g_strconcat (url, "/v1", NULL);
  engine = px_engine_new (catalog);
  px_engine_set_base_url (engine, "openai-compatible", base);
  px_engine_set_limits (engine, "openai-compatible", CONCURRENCY, 0);

  library = px_library_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_ROWS; i++)
    {
      char **row = g_new0 (char *, 2);

      row[0] = g_strdup_printf ("Person %u", i);
      g_ptr_array_add (rows, row);
    }
  spec.template_prompt = "Portrait of [NAME]";
  spec.model_id = "local-model";
  spec.columns = columns;
  spec.rows = rows;
  spec.concurrency = CONCURRENCY;
  id = px_batch_create (library, &spec, &error);
  g_assert_no_error (error);

  runner = px_batch_runner_new (engine, dir, id, &error);
  g_assert_no_error (error);
  g_timeout_add (10, tick, NULL);
  rss_before = rss_kb ();
  start = g_get_monotonic_time ();
  px_batch_runner_run_async (runner, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  rss_after = rss_kb ();
  if (!px_batch_runner_run_finish (runner, result, &error))
    g_error ("%s", error->message);

  g_print ("batch: %d rows, %d ms each, %d at once: %.2f s, ideal %.1f s, ratio %.3f (target: <= 1.05)\n",
           N_ROWS, LATENCY_MS, CONCURRENCY, wall, ideal, wall / ideal);
  g_print ("memory: RSS %ld MB before, %ld MB after: +%.1f MB (target: <= 50 MB)\n",
           rss_before / 1024, rss_after / 1024, (rss_after - rss_before) / 1024.0);
  g_print ("main loop: longest gap between 10 ms ticks %.1f ms (target: <= 50 ms)\n", longest_gap / 1000.0);
  ok &= wall / ideal <= 1.05 && (rss_after - rss_before) / 1024.0 <= 50 && longest_gap <= 50 * 1000;
  ok &= px_batch_runner_get_job (runner)->completed == N_ROWS;

  g_subprocess_force_exit (fake);
  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
