/* test-providers.c: every provider over real HTTP against the fake: success,
 * reference images, every fault mapped to the right error and retried (or
 * not) as a user would want, wrong keys, and cancel. */
#include "config.h"

#include <string.h>

#include "px-test-engine.h"

typedef struct {
  const char *name;
  const char *model;
  const char *path;           /* the endpoint the fake must see */
  const char *edit_path;      /* with a reference image; NULL: model takes none */
  int         width;
  int         height;
  gboolean    has_policy;     /* the service has a content policy */
  gboolean    needs_key;
} ProviderCase;

static const ProviderCase providers[] = {
  { "openai-gpt-image-2", "gpt-image-2", "/v1/images/generations", "/v1/images/edits", 1024, 1024, TRUE, TRUE },
  { "openai-gpt-image-1.5", "gpt-image-1.5", "/v1/images/generations", "/v1/images/edits", 1024, 1024, TRUE, TRUE },
  { "gemini", "gemini-3.1-flash-image", "/v1beta/models/gemini-3.1-flash-image:generateContent",
    "/v1beta/models/gemini-3.1-flash-image:generateContent", 1024, 1024, TRUE, TRUE },
  { "imagen", "imagen-4.0-generate-001", "/v1beta1/publishers/google/models/imagen-4.0-generate-001:predict",
    NULL, 1024, 1024, TRUE, TRUE },
  { "openai-compatible", "local-model", "/v1/images/generations", "/v1/images/edits", 512, 512, FALSE, FALSE },
  { "automatic1111", "stable-diffusion", "/sdapi/v1/txt2img", "/sdapi/v1/img2img", 512, 512, FALSE, FALSE },
};

typedef PxTestFixture Fixture;

static PxGenerationRequest *
new_request (const ProviderCase *c)
{
  PxGenerationRequest *request = px_generation_request_new (c->model, "Portrait of Ada from Acme");

  g_hash_table_insert (request->tokens, g_strdup ("FIRSTNAME"), g_strdup ("Ada"));
  return request;
}

static PxFakeRequest *
last_request (Fixture *f)
{
  GPtrArray *requests = px_fake_provider_get_requests (f->fake);

  g_assert_cmpuint (requests->len, >, 0);
  return g_ptr_array_index (requests, requests->len - 1);
}

static gboolean
body_contains (PxFakeRequest *request,
               const char    *needle)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

  return strstr (text, needle) != NULL;
}

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  const ProviderCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  PxFakeRequest *sent;
  PxImage *image;

  result = px_test_generate (f->engine, new_request (c), NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (result->images->len, ==, 1);
  image = g_ptr_array_index (result->images, 0);
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, c->width);
  g_assert_cmpint (image->height, ==, c->height);
  g_assert_false (result->cached);
  g_assert_cmpuint (result->attempts, ==, 1);
  g_assert_cmpstr (result->model_id, ==, c->model);
  g_assert_nonnull (g_hash_table_lookup (result->settings, "count"));
  if (c->needs_key)
    g_assert_cmpfloat (result->cost, >, 0);

  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
  sent = last_request (f);
  g_assert_cmpstr (sent->path, ==, c->path);
  g_assert_true (body_contains (sent, "Portrait of Ada from Acme"));
  /* The key travels in the provider's own header. */
  if (g_str_has_prefix (c->path, "/v1/"))
    g_assert_cmpstr (sent->authorization, ==, "Bearer " PX_TEST_KEY);
  else if (g_str_has_prefix (c->path, "/v1beta"))
    g_assert_cmpstr (sent->google_key, ==, PX_TEST_KEY);
}

static void
test_reference_image (Fixture       *f,
                      gconstpointer  data)
{
  const ProviderCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  g_autoptr(GBytes) png = px_test_png (64, 48);
  PxGenerationRequest *request = new_request (c);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  PxFakeRequest *sent;

  px_generation_request_add_reference (request, png, "image/png");
  result = px_test_generate (f->engine, request, NULL, &error);

  if (c->edit_path == NULL)
    {
      /* Refused before anything is sent, with the model's name. */
      g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
      g_assert_nonnull (strstr (error->message, "reference image"));
      g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 0);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (result->images->len, ==, 1);
  sent = last_request (f);
  g_assert_cmpstr (sent->path, ==, c->edit_path);
  if (g_str_has_suffix (c->edit_path, "/edits"))
    {
      g_assert_cmpstr (sent->content_type, ==, "multipart/form-data");
      /* The PNG travels as a file part, byte for byte. */
      g_assert_nonnull (memmem (g_bytes_get_data (sent->body, NULL), g_bytes_get_size (sent->body),
                                g_bytes_get_data (png, NULL), g_bytes_get_size (png)));
    }
  else
    g_assert_true (body_contains (sent, b64));
}

typedef struct {
  PxFakeFault  fault;
  guint        param;
  guint        times;          /* how many requests in a row get it */
  int          expected_code;  /* -1: success */
  guint        expected_requests;
  const char  *message_part;
  guint        unknown;        /* requests lost after they were sent: maybe charged */
} FaultCase;

/* With max 3 attempts. What the provider says it did not do (429, a 5xx
 * error answer) is sent again up to three times; a request lost after it
 * was sent (a dropped connection, a gateway timeout) may have been done and
 * charged: sent again once at most, and counted. */
static const FaultCase faults[] = {
  { PX_FAKE_FAULT_RATE_LIMIT, 0, 1, -1, 2, NULL, 0 },
  { PX_FAKE_FAULT_RATE_LIMIT, 0, 3, PX_PROVIDER_ERROR_RATE_LIMITED, 3, "Gave up after 3 attempts", 0 },
  { PX_FAKE_FAULT_SERVER_ERROR, 500, 1, -1, 2, NULL, 0 },
  { PX_FAKE_FAULT_SERVER_ERROR, 503, 2, -1, 3, NULL, 0 },
  { PX_FAKE_FAULT_SERVER_ERROR, 502, 3, PX_PROVIDER_ERROR_SERVER, 3, "HTTP 502", 0 },
  { PX_FAKE_FAULT_SERVER_ERROR, 504, 1, -1, 2, NULL, 1 },
  { PX_FAKE_FAULT_SERVER_ERROR, 504, 2, PX_PROVIDER_ERROR_TIMEOUT, 2, "may have been charged", 2 },
  { PX_FAKE_FAULT_DROP_CONNECTION, 0, 1, -1, 2, NULL, 1 },
  { PX_FAKE_FAULT_DROP_CONNECTION, 0, 2, PX_PROVIDER_ERROR_NETWORK, 2, "may have been charged", 2 },
  { PX_FAKE_FAULT_MALFORMED_JSON, 0, 1, PX_PROVIDER_ERROR_BAD_RESPONSE, 1, "cannot read", 0 },
  { PX_FAKE_FAULT_TRUNCATED_BODY, 0, 1, PX_PROVIDER_ERROR_BAD_RESPONSE, 1, "cannot read", 0 },
  { PX_FAKE_FAULT_TRUNCATED_IMAGE, 0, 1, PX_PROVIDER_ERROR_BAD_RESPONSE, 1, "damaged or incomplete image", 0 },
  { PX_FAKE_FAULT_NOT_IMAGE, 0, 1, PX_PROVIDER_ERROR_BAD_RESPONSE, 1, "not an image (it starts with “<!DOCTYPE html>", 0 },
  { PX_FAKE_FAULT_BOMB, 0, 1, PX_PROVIDER_ERROR_BAD_RESPONSE, 1, "60000 × 60000", 0 },
  { PX_FAKE_FAULT_TRICKLE, 2, 1, -1, 1, NULL, 0 },
  { PX_FAKE_FAULT_LATENCY, 30, 1, -1, 1, NULL, 0 },
};

/* A local server's 500 is out of memory, not a passing fault: not sent
 * again, and nothing is paid for it. */
static const FaultCase local_server_error = {
  PX_FAKE_FAULT_SERVER_ERROR, 500, 1, PX_PROVIDER_ERROR_SERVER, 1, "HTTP 500", 0
};

static void
run_fault (Fixture            *f,
           const ProviderCase *c,
           const FaultCase    *fc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  double possibly_paid;

  if (!c->needs_key && fc->fault == PX_FAKE_FAULT_SERVER_ERROR && fc->param == 500)
    fc = &local_server_error;

  px_fake_provider_clear_requests (f->fake);
  for (guint i = 0; i < fc->times; i++)
    px_fake_provider_push_fault (f->fake, fc->fault, fc->param);

  px_engine_generate_async (f->engine, new_request (c), NULL, px_test_store_result, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = px_engine_generate_finish (f->engine, async_result, &error);
  possibly_paid = result != NULL ? result->possibly_paid : px_engine_generate_get_possibly_paid (f->engine, async_result);

  if (fc->expected_code < 0)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (result->images->len, ==, 1);
      g_assert_cmpuint (result->attempts, ==, fc->expected_requests);
      g_assert_cmpuint (result->unknown_outcomes, ==, fc->unknown);
    }
  else
    {
      g_assert_null (result);
      g_assert_error (error, PX_PROVIDER_ERROR, fc->expected_code);
      /* Nothing is charged on a local server: no word of money there. */
      if (!c->needs_key && fc->unknown > 0)
        g_assert_null (strstr (error->message, "charged"));
      else if (strstr (error->message, fc->message_part) == NULL)
        g_error ("%s, fault %d: “%s” does not contain “%s”", c->name, fc->fault, error->message, fc->message_part);
      g_assert_null (strstr (error->message, PX_TEST_KEY));
    }
  /* A lost paid request is counted at the model's price; free servers and
   * answers the provider does not bill cost nothing extra. */
  if (fc->unknown > 0 && c->needs_key)
    g_assert_cmpfloat (possibly_paid, >, 0);
  else if (fc->unknown == 0 && fc->expected_code != PX_PROVIDER_ERROR_BAD_RESPONSE)
    g_assert_cmpfloat (possibly_paid, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, fc->expected_requests);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  const ProviderCase *c = data;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_test_message ("%s: fault case %u", c->name, i);
      run_fault (f, c, &faults[i]);
    }
}

/* Refusals that retrying cannot fix are not retried. */
static void
test_not_retried (Fixture       *f,
                  gconstpointer  data)
{
  const ProviderCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;

  if (c->has_policy)
    {
      px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_POLICY, 0);
      result = px_test_generate (f->engine, new_request (c), NULL, &error);
      g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY);
      g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
      g_clear_error (&error);

      px_fake_provider_clear_requests (f->fake);
      px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_QUOTA, 0);
      result = px_test_generate (f->engine, new_request (c), NULL, &error);
      g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_QUOTA);
      g_assert_nonnull (strstr (error->message, "quota"));
      g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
      g_clear_error (&error);
    }

  /* A wrong key: the provider's own words, not the key, and no retry. */
  px_fake_provider_clear_requests (f->fake);
  px_engine_set_api_key (f->engine, g_str_has_prefix (c->model, "gemini") ? "gemini" :
                                    g_str_has_prefix (c->model, "imagen") ? "vertex" :
                                    g_str_equal (c->model, "local-model") ? "openai-compatible" :
                                    g_str_equal (c->model, "stable-diffusion") ? "automatic1111" : "openai",
                         "wrong-key-98765");
  result = px_test_generate (f->engine, new_request (c), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
  g_assert_null (strstr (error->message, "wrong-key-98765"));
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
  if (g_str_has_prefix (c->model, "gemini") || g_str_has_prefix (c->model, "imagen"))
    g_assert_nonnull (strstr (error->message, "API key not valid"));
  else if (g_str_equal (c->model, "stable-diffusion"))
    g_assert_nonnull (strstr (error->message, "Incorrect credentials"));
  else
    g_assert_nonnull (strstr (error->message, "Incorrect API key provided"));
}

static void
on_cancel_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const ProviderCase *c = data;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  /* In flight: the fake is slow, the user cancels. */
  px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_LATENCY, 5000);
  g_timeout_add_once (100, on_cancel_timeout, cancellable);
  result = px_test_generate (f->engine, new_request (c), cancellable, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Waiting to retry: cancel ends the wait at once. */
  g_cancellable_reset (cancellable);
  px_engine_set_retry_policy (f->engine, 3, 5000, 5000);
  /* 503: busy, retried everywhere (a local server's 500 is not). */
  px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_SERVER_ERROR, 503);
  start = g_get_monotonic_time ();
  g_timeout_add_once (200, on_cancel_timeout, cancellable);
  result = px_test_generate (f->engine, new_request (c), cancellable, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
add_provider_tests (const char *what,
                    void (*func) (Fixture *, gconstpointer))
{
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/providers/%s/%s", providers[i].name, what);

      g_test_add (path, Fixture, &providers[i], px_test_fixture_set_up, func, px_test_fixture_tear_down);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_provider_tests ("success", test_success);
  add_provider_tests ("reference-image", test_reference_image);
  add_provider_tests ("faults", test_faults);
  add_provider_tests ("not-retried", test_not_retried);
  add_provider_tests ("cancel", test_cancel);

  return g_test_run ();
}
