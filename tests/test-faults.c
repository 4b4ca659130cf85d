/* test-faults.c: every way a server can fail, against every provider wire,
 * through the engine and through a batch. Each ends with the error class
 * and words a user is shown, after the number of requests the money rules
 * allow (an answer that came is not asked for again; a request lost after it
 * was sent is sent once more at most), and a failed item leaves nothing in
 * the library. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "px-batch.h"
#include "px-csv.h"
#include "px-test-engine.h"

typedef struct {
  const char *name;
  const char *model;
} Wire;

static const Wire wires[] = {
  { "openai", "gpt-image-2" },
  { "gemini", "gemini-3.1-flash-image" },
  { "imagen", "imagen-4.0-generate-001" },
  { "a1111", "stable-diffusion" },
};

typedef struct {
  const char  *name;
  PxFakeFault  fault;
  guint        param;
  int          code;       /* PX_PROVIDER_ERROR_* */
  const char  *words;      /* part of the message */
  guint        requests;   /* sent in all (the engine's limit in these tests is 3 attempts) */
  const char  *only_wire;  /* a header only one provider sends, or NULL */
} Fault;

/* Stalls are short here: the engine gives up after STALL_MS of silence. */
#define STALL_MS 150

static const Fault faults[] = {
  { "malformed-json", PX_FAKE_FAULT_MALFORMED_JSON, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "cannot read", 1 },
  { "truncated-body", PX_FAKE_FAULT_TRUNCATED_BODY, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "cannot read", 1 },
  { "truncated-image", PX_FAKE_FAULT_TRUNCATED_IMAGE, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "damaged or incomplete", 1 },
  { "not-image", PX_FAKE_FAULT_NOT_IMAGE, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "not an image", 1 },
  { "image-bomb", PX_FAKE_FAULT_BOMB, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "decompression bomb", 1 },
  { "gzip-bomb", PX_FAKE_FAULT_GZIP_BOMB, 1024, PX_PROVIDER_ERROR_BAD_RESPONSE, "larger than 64 MB", 1 },
  { "huge-body", PX_FAKE_FAULT_HUGE_BODY, 80, PX_PROVIDER_ERROR_BAD_RESPONSE, "larger than 64 MB", 1 },
  { "deep-json", PX_FAKE_FAULT_DEEP_JSON, 100000, PX_PROVIDER_ERROR_BAD_RESPONSE, "nested more than 64 levels", 1 },
  { "wrong-type", PX_FAKE_FAULT_WRONG_TYPE, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "Welcome to nginx", 1 },
  { "empty-200", PX_FAKE_FAULT_EMPTY_OK, 0, PX_PROVIDER_ERROR_BAD_RESPONSE, "cannot read", 1 },
  { "stall-after-headers", PX_FAKE_FAULT_STALL_HEADERS, 4 * STALL_MS, PX_PROVIDER_ERROR_TIMEOUT, "stopped coming", 2 },
  { "stall-mid-body", PX_FAKE_FAULT_STALL_BODY, 4 * STALL_MS, PX_PROVIDER_ERROR_TIMEOUT, "stopped coming", 2 },
  { "reset-mid-body", PX_FAKE_FAULT_RESET_BODY, 0, PX_PROVIDER_ERROR_NETWORK, "lost", 2 },
  { "dropped", PX_FAKE_FAULT_DROP_CONNECTION, 0, PX_PROVIDER_ERROR_NETWORK, "lost", 2 },
  { "retry-after-seconds", PX_FAKE_FAULT_RATE_LIMIT, 86400, PX_PROVIDER_ERROR_RATE_LIMITED, "wait 24.0 hours", 1 },
  { "retry-after-date", PX_FAKE_FAULT_RATE_LIMIT_DATE, 0, PX_PROVIDER_ERROR_RATE_LIMITED, "wait", 1 },
  { "retry-after-ms", PX_FAKE_FAULT_RATE_LIMIT_MS, 86400000, PX_PROVIDER_ERROR_RATE_LIMITED, "wait 24.0 hours", 1,
    "openai" },
  { "server-error-storm", PX_FAKE_FAULT_SERVER_ERROR, 503, PX_PROVIDER_ERROR_SERVER, "503", 3 },
};

typedef struct {
  const Wire  *wire;
  const Fault *fault;
} Case;

typedef struct {
  PxTestFixture  base;
  char          *dir;
  PxLibrary     *library;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static guint n;
  g_autofree char *name = g_strdup_printf ("faults-%u", ++n);

  px_test_fixture_set_up (&f->base, data);
  px_engine_set_http_limits (f->base.engine, &(PxHttpLimits) { 10000, 10000, STALL_MS, 30000 });
  f->dir = g_build_filename (g_get_user_data_dir (), name, NULL);
  f->library = px_library_open (f->dir, &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_clear_object (&f->library);
  g_free (f->dir);
  px_test_fixture_tear_down (&f->base, data);
}

/* Every request of the case meets the fault: what the user sees is the
 * fault's own error, not a lucky retry. */
static void
push_faults (Fixture     *f,
             const Fault *fault)
{
  for (guint i = 0; i < 8; i++)
    px_fake_provider_push_fault (f->base.fake, fault->fault, fault->param);
}

static void
assert_fault_error (const Case   *c,
                    const GError *error)
{
  if (error == NULL)
    g_error ("%s on %s: no error", c->fault->name, c->wire->name);
  if (error->domain != PX_PROVIDER_ERROR || error->code != c->fault->code)
    g_error ("%s on %s: %s (code %d, wanted %d)", c->fault->name, c->wire->name, error->message, error->code,
             c->fault->code);
  if (strstr (error->message, c->fault->words) == NULL)
    g_error ("%s on %s: “%s” does not say “%s”", c->fault->name, c->wire->name, error->message, c->fault->words);
  if (strstr (error->message, PX_TEST_KEY) != NULL)
    g_error ("%s on %s: the key is in “%s”", c->fault->name, c->wire->name, error->message);
}

static guint
expected_requests (const Case *c)
{
  return c->fault->requests;
}

static void
test_engine (Fixture       *f,
             gconstpointer  data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;

  push_faults (f, c->fault);
  result = px_test_generate (f->base.engine, px_generation_request_new (c->wire->model, "Portrait of Ada"),
                             NULL, &error);
  g_assert_null (result);
  assert_fault_error (c, error);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, expected_requests (c));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A two-row batch: the first row meets the fault on every attempt, the
 * second is answered well. The first fails with the fault's words (or the
 * batch pauses for a long rate limit, the first row still pending) and
 * leaves no image; the second is stored; the library checks clean. */
static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  const Case *c = data;
  static const char *columns[] = { "First Name", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "results.csv", NULL);
  g_autoptr(PxCsvReader) reader = NULL;
  g_auto(GStrv) first = NULL;
  PxLibraryQuery query = { 0, };
  PxBatchSpec spec = { 0, };
  gboolean paused = c->fault->code == PX_PROVIDER_ERROR_RATE_LIMITED;
  gint64 id;

  g_ptr_array_add (rows, g_strdupv ((char *[]) { "Ada", NULL }));
  g_ptr_array_add (rows, g_strdupv ((char *[]) { "Grace", NULL }));
  spec.template_prompt = "Portrait of [FIRST_NAME]";
  spec.model_id = c->wire->model;
  spec.columns = columns;
  spec.rows = rows;
  spec.concurrency = 1;
  id = px_batch_create (f->library, &spec, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < expected_requests (c); i++)
    px_fake_provider_push_fault (f->base.fake, c->fault->fault, c->fault->param);
  runner = px_batch_runner_new (f->base.engine, f->dir, id, &error);
  g_assert_no_error (error);
  px_batch_runner_run_async (runner, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (px_batch_runner_run_finish (runner, result, &error) == !paused);
  if (paused)
    {
      g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED);
      g_clear_error (&error);
    }

  job = px_batch_get (f->library, id, &error);
  g_assert_no_error (error);
  /* The row as the results CSV shows it: First Name, status, error, image_file… */
  g_assert_true (px_batch_export_csv (f->library, id, csv, &error));
  reader = px_csv_reader_new_for_path (csv, &error);
  g_assert_no_error (error);
  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  first = px_csv_reader_next_row (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first[0], ==, "Ada");
  if (paused)
    {
      g_assert_cmpstr (job->status, ==, "paused");
      g_assert_nonnull (job->reason);
      g_assert_cmpuint (job->completed, ==, 0);
      g_assert_cmpuint (job->failed, ==, 0);
    }
  else
    {
      g_autoptr(GError) shown = g_error_new_literal (PX_PROVIDER_ERROR, c->fault->code, first[2]);

      g_assert_cmpstr (job->status, ==, "completed");
      g_assert_cmpuint (job->completed, ==, 1);
      g_assert_cmpuint (job->failed, ==, 1);
      g_assert_cmpstr (first[1], ==, "failed");
      assert_fault_error (c, shown);
      g_assert_cmpstr (first[3], ==, "");
    }

  /* Only the good row's image is in the library, and all is sound. */
  query.batch_id = id;
  g_assert_cmpuint (px_library_count (f->library, &query, &error), ==, paused ? 0 : 1);
  problems = px_library_check (f->library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A gzip bomb (1 MB that inflates to 1 GiB) is read only up to the cap:
 * the process's peak memory grows by less than 100 MB, and it ends at
 * once with the cap's words. In a child, so the peak is this case's own. */
static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *at;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  at = strstr (status, field);
  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (field) + 1, NULL, 10);
}

static void
test_gzip_bomb_memory (void)
{
  if (g_test_subprocess ())
    {
      Fixture f = { 0, };
      Case c = { &wires[0], &faults[5] };
      g_autoptr(GError) error = NULL;
      g_autoptr(PxGenerationResult) result = NULL;
      guint64 before;
      gint64 start;

      g_assert_cmpint (faults[5].fault, ==, PX_FAKE_FAULT_GZIP_BOMB);
      set_up (&f, NULL);
      px_fake_provider_prepare_fault (f.base.fake, c.fault->fault, c.fault->param);
      push_faults (&f, c.fault);
      before = status_kib ("VmHWM:");
      start = g_get_monotonic_time ();
      result = px_test_generate (f.base.engine, px_generation_request_new ("gpt-image-2", "Ada"), NULL, &error);
      g_printerr ("# gzip bomb: refused after %.2f s, peak RSS %" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT " MB\n",
                      (g_get_monotonic_time () - start) / 1e6, before / 1024, status_kib ("VmHWM:") / 1024);
      g_assert_null (result);
      assert_fault_error (&c, error);
      g_assert_cmpuint (status_kib ("VmHWM:") - before, <, 100 * 1024);
      tear_down (&f, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A server that answers a TLS handshake with plain HTTP and hangs up, as
 * a misconfigured proxy does: the user reads that the connection could not
 * be made secure, and nothing was sent, so asking again is free. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  static const char answer[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), answer, sizeof answer - 1,
                             NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
tls_failure (Fixture *f)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  g_autofree char *https = NULL;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), NULL);
  g_socket_service_start (service);

  https = g_strdup_printf ("https://127.0.0.1:%u/v1", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  px_engine_set_base_url (f->base.engine, "openai", https);
  result = px_test_generate (f->base.engine, px_generation_request_new ("gpt-image-2", "Ada"), NULL, &error);
  g_socket_service_stop (service);
  g_assert_null (result);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK);
  if (strstr (error->message, "secure connection") == NULL)
    g_error ("“%s” does not say “secure connection”", error->message);
}

/* In a child that leaves without the leak check: LeakSanitizer's tracer
 * crashes on a thread of the TLS backend (glib-networking) at exit. */
static void
test_tls_failure (void)
{
  if (g_test_subprocess ())
    {
      Fixture f = { 0, };

      set_up (&f, NULL);
      tls_failure (&f);
      tear_down (&f, NULL);
      _exit (0);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (guint w = 0; w < G_N_ELEMENTS (wires); w++)
    for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
      {
        Case *c;
        g_autofree char *engine_path = NULL, *batch_path = NULL;

        if (faults[i].only_wire != NULL && !g_str_equal (faults[i].only_wire, wires[w].name))
          continue;
        c = g_new0 (Case, 1);
        c->wire = &wires[w];
        c->fault = &faults[i];
        g_ptr_array_add (cases, c);
        engine_path = g_strdup_printf ("/faults/engine/%s/%s", c->wire->name, c->fault->name);
        batch_path = g_strdup_printf ("/faults/batch/%s/%s", c->wire->name, c->fault->name);
        g_test_add (engine_path, Fixture, c, set_up, test_engine, tear_down);
        g_test_add (batch_path, Fixture, c, set_up, test_batch, tear_down);
      }
  g_test_add_func ("/faults/gzip-bomb-memory", test_gzip_bomb_memory);
  g_test_add_func ("/faults/tls-failure", test_tls_failure);

  return g_test_run ();
}
