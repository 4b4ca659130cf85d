/* bench-provider-batch.c: a 50,000-row batch on the Gemini API's Batch Mode,
 * against the fake provider in its own process (small plain images, 64 px):
 *  - submitting: the request lines built from the library's items and
 *    uploaded by the resumable protocol, until the provider's job is made
 *    and stored: wall time and peak memory (VmHWM);
 *  - ingesting: from the job's end to every result in the library (the
 *    results file downloaded to disk, read a line at a time, each image
 *    checked and stored a chunk per transaction): wall time;
 *  - throughout: the longest the main loop went without running (what a
 *    window following the batch would feel).
 * Exits 1 when a target is missed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "px-batch.h"
#include "px-provider-batch.h"
#include "px-test-engine.h"

#define N_ROWS 50000
#define KEY "bench-key-0123456789"

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (line = strstr (status, field)) == NULL)
    return -1;
  return strtol (line + strlen (field), NULL, 10);
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

typedef struct {
  gint64 started;
  gint64 submitted;    /* the provider's job made and its name stored */
  gint64 ended;        /* the provider says it has ended */
  long   submit_peak_kb;
} Times;

static void
on_changed (PxProviderBatch *batch,
            Times           *times)
{
  GPtrArray *jobs = px_provider_batch_get_jobs (batch);
  PxProviderJob *job = jobs->len > 0 ? g_ptr_array_index (jobs, 0) : NULL;
  gint64 now = g_get_monotonic_time ();

  if (job == NULL)
    return;
  if (times->submitted == 0 && job->name != NULL)
    {
      times->submitted = now;
      times->submit_peak_kb = status_kb ("VmHWM:");
    }
  if (times->ended == 0 && g_strcmp0 (job->state, "succeeded") == 0)
    times->ended = now;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = g_dir_make_tmp ("px-bench-provider-batch-XXXXXX", NULL);
  g_autofree char *command = NULL;
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  g_autoptr(PxEngine) engine = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(PxProviderBatch) batch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(PxBatchJob) job = NULL;
  static const char *columns[] = { "Name", "City", NULL };
  PxBatchSpec spec = { 0, };
  Times times = { 0, };
  double submit_s, ingest_s;
  long base_kb;
  gint64 id;
  gboolean ok = TRUE;
  guint n_rows = N_ROWS;

  if (argc != 2)
    g_error ("usage: bench-provider-batch FAKE-PROVIDER");
  /* Fewer rows to look into one part (perf), not for the record. */
  if (g_getenv ("PIXMERGE_BENCH_ROWS") != NULL)
    n_rows = (guint) g_ascii_strtoull (g_getenv ("PIXMERGE_BENCH_ROWS"), NULL, 10);

  fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[1], "--port", "0", "--key", KEY,
                           "--plain-images", "--small-images", "--batch-polls", "0", NULL);
  if (fake == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  if ((url = g_data_input_stream_read_line (out, NULL, NULL, &error)) == NULL)
    g_error ("The fake provider did not start: %s", error ? error->message : "no output");
  engine = px_engine_new (catalog);
  px_engine_set_base_url (engine, "gemini", url);
  px_engine_set_api_key (engine, "gemini", KEY);

  library = px_library_open (dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_rows; i++)
    {
      char **row = g_new0 (char *, 3);

      row[0] = g_strdup_printf ("Person %u", i);
      row[1] = g_strdup_printf ("City %u", i % 97);
      g_ptr_array_add (rows, row);
    }
  spec.template_prompt = "Professional portrait of [NAME] in [CITY], soft studio light, 85 mm";
  spec.model_id = "gemini-3.1-flash-image";
  spec.columns = columns;
  spec.rows = rows;
  spec.provider_batch = TRUE;
  id = px_batch_create (library, &spec, &error);
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);

  batch = px_provider_batch_new (engine, dir, id, &error);
  g_assert_no_error (error);
  px_provider_batch_set_poll_interval (batch, 100, 100);
  g_signal_connect (batch, "changed", G_CALLBACK (on_changed), &times);
  g_timeout_add (10, tick, NULL);
  base_kb = status_kb ("VmRSS:");
  times.started = g_get_monotonic_time ();
  px_provider_batch_run_async (batch, TRUE, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!px_provider_batch_run_finish (batch, result, &error))
    g_error ("%s", error->message);

  submit_s = (times.submitted - times.started) / (double) G_USEC_PER_SEC;
  ingest_s = (g_get_monotonic_time () - times.ended) / (double) G_USEC_PER_SEC;
  job = px_batch_get (library, id, &error);
  g_assert_no_error (error);

  g_print ("submit: %u rows built into request lines, uploaded, the provider's job made and stored: %.2f s "
           "(target: <= 10 s)\n", n_rows, submit_s);
  g_print ("submit: peak RSS %ld MB (%ld MB before; target: <= 200 MB)\n", times.submit_peak_kb / 1024,
           base_kb / 1024);
  g_print ("ingest: %u results downloaded, checked and stored: %.2f s (target: <= 60 s)\n", job->completed,
           ingest_s);
  g_print ("main loop: longest gap between 10 ms ticks %.1f ms (target: <= 50 ms)\n", longest_gap / 1000.0);
  g_print ("memory: RSS %ld MB at the end\n", status_kb ("VmRSS:") / 1024);
  ok &= submit_s <= 10 && times.submit_peak_kb / 1024 <= 200 && ingest_s <= 60 && longest_gap <= 50 * 1000;
  ok &= job->completed == n_rows && n_rows == N_ROWS;

  g_subprocess_force_exit (fake);
  command = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
