/* bench-engine.c: what one generation costs Pixmerge itself (request build,
 * HTTP on loopback, base64, full decode and checks of a 1024×1024 PNG), and
 * whether many generations keep the provider busy at the concurrency asked
 * for. Exits 1 when a target is missed. Run it in a release build:
 *   meson setup _build/bench --buildtype=release && meson test -C _build/bench --benchmark --verbose */
#include "config.h"

#include <stdlib.h>

#include "px-test-engine.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef struct {
  guint pending;
  guint failed;
} Pending;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(PxGenerationResult) generated = px_engine_generate_finish (PX_ENGINE (source), result, NULL);

  pending->failed += generated == NULL;
  pending->pending--;
}

static gboolean
bench_overhead (PxEngine *engine)
{
  const guint runs = 200;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double median, p95;

  /* One warm-up: the fake renders its image once and keeps it. */
  for (guint i = 0; i < runs + 1; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PxGenerationResult) result = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      result = px_test_generate (engine, px_generation_request_new ("gpt-image-1.5", "A 1024 square portrait"), NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (result == NULL)
        {
          g_printerr ("generation failed: %s\n", error->message);
          return FALSE;
        }
      g_assert (((PxImage *) g_ptr_array_index (result->images, 0))->width == 1024);
      if (i > 0)
        g_array_append_val (times, ms);
    }

  g_array_sort (times, compare_doubles);
  median = g_array_index (times, double, runs / 2);
  p95 = g_array_index (times, double, runs * 95 / 100);
  g_print ("overhead: 1024x1024 PNG, zero latency, %u runs: median %.2f ms, p95 %.2f ms (target: median <= 15 ms)\n",
           runs, median, p95);

  return median <= 15.0;
}

static gboolean
bench_concurrency (PxEngine *engine)
{
  const guint n = 200, concurrency = 8, latency = 200;
  double ideal = (double) n / concurrency * latency / 1000.0;
  Pending pending = { n, 0 };
  gint64 start;
  double seconds;

  px_engine_set_limits (engine, "openai", concurrency, 0);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    px_engine_generate_async (engine, px_generation_request_new ("gpt-image-1.5", "A 1024 square portrait"),
                              NULL, on_done, &pending);
  while (pending.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_print ("throughput: %u requests, %u ms latency, concurrency %u: %.3f s, ideal %.3f s, ratio %.3f, "
           "failed %u (target: ratio <= 1.05)\n",
           n, latency, concurrency, seconds, ideal, seconds / ideal, pending.failed);

  return pending.failed == 0 && seconds <= ideal * 1.05;
}

/* The fake runs as its own process, like a real provider: its JSON and
 * base64 work must not be counted as ours. */
static GSubprocess *
spawn_fake (const char  *program,
            guint        latency_ms,
            char       **url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *latency = g_strdup_printf ("%u", latency_ms);
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, "--port", "0",
                              "--key", PX_TEST_KEY, "--latency-ms", latency, NULL);
  if (process == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  *url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (*url == NULL)
    g_error ("The fake provider did not start: %s", error ? error->message : "no output");

  return process;
}

static PxEngine *
engine_for (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  g_autofree char *openai = g_strconcat (url, "/v1", NULL);
  PxEngine *engine = px_engine_new (catalog);

  px_engine_set_base_url (engine, "openai", openai);
  px_engine_set_api_key (engine, "openai", PX_TEST_KEY);
  px_engine_set_limits (engine, "openai", 1, 0);
  return engine;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) quick = NULL, slow = NULL;
  g_autoptr(PxEngine) quick_engine = NULL, slow_engine = NULL;
  g_autofree char *quick_url = NULL, *slow_url = NULL;
  gboolean ok = TRUE;

  if (argc != 2)
    g_error ("usage: bench-engine PATH-TO-pixmerge-demo-provider");

  quick = spawn_fake (argv[1], 0, &quick_url);
  slow = spawn_fake (argv[1], 200, &slow_url);
  quick_engine = engine_for (quick_url);
  slow_engine = engine_for (slow_url);

  ok &= bench_overhead (quick_engine);
  ok &= bench_concurrency (slow_engine);

  g_subprocess_force_exit (quick);
  g_subprocess_force_exit (slow);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
