/* test-engine.c: what the engine does for every provider alike: per-provider
 * concurrency and rate limits, Retry-After, the response cache (hit, miss,
 * expiry, bypass), checks before anything is sent, cost and base URLs. */
#include "config.h"

#include <string.h>

#include "px-paths.h"
#include "px-test-engine.h"

typedef PxTestFixture Fixture;

typedef struct {
  guint   pending;
  guint   failed;
  gint64  last_done_us;
} Batch;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) generated = px_engine_generate_finish (PX_ENGINE (source), result, &error);

  if (generated == NULL)
    batch->failed++;
  batch->pending--;
  batch->last_done_us = g_get_monotonic_time ();
}

static gint64
run_many (PxEngine   *engine,
          const char *model,
          guint       n,
          guint      *failed)
{
  Batch batch = { n, 0, 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Portrait number %u", i);
      PxGenerationRequest *request = px_generation_request_new (model, prompt);

      px_engine_generate_async (engine, request, NULL, on_done, &batch);
    }
  while (batch.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  if (failed != NULL)
    *failed = batch.failed;
  return (batch.last_done_us - start) / 1000;
}

static void
test_concurrency_limit (Fixture       *f,
                        gconstpointer  data)
{
  guint failed;
  gint64 ms;

  px_fake_provider_set_latency (f->fake, 150);
  px_engine_set_limits (f->engine, "openai", 2, 0);
  ms = run_many (f->engine, "gpt-image-1.5", 6, &failed);

  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_max_in_flight (f->fake), ==, 2);
  /* Three rounds of two. */
  g_assert_cmpint (ms, >=, 3 * 150);

  /* Other providers have their own slots. */
  px_fake_provider_clear_requests (f->fake);
  px_engine_set_limits (f->engine, "gemini", 4, 0);
  run_many (f->engine, "gemini-3.1-flash-image", 8, &failed);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_max_in_flight (f->fake), ==, 4);
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  guint failed;
  gint64 ms;

  /* 600 a minute: one every 100 ms, whatever the concurrency. */
  px_engine_set_limits (f->engine, "openai", 8, 600);
  ms = run_many (f->engine, "gpt-image-2", 5, &failed);

  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpint (ms, >=, 4 * 100 - 10);
}

/* A 429 with Retry-After holds back the provider's other requests too. */
static void
test_retry_after_paces_provider (Fixture       *f,
                                 gconstpointer  data)
{
  GPtrArray *requests;
  guint failed;
  gint64 ms;

  px_engine_set_limits (f->engine, "openai", 1, 0);
  px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_RATE_LIMIT, 1);
  ms = run_many (f->engine, "gpt-image-1.5", 3, &failed);

  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpint (ms, >=, 1000);
  requests = px_fake_provider_get_requests (f->fake);
  g_assert_cmpuint (requests->len, ==, 4);
}

static void
test_checks_before_sending (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  g_autoptr(GString) long_prompt = g_string_new (NULL);
  PxGenerationRequest *request;

  request = px_generation_request_new ("gpt-image-2", "a cat");
  px_generation_request_set_setting (request, "quality", "ultra");
  result = px_test_generate (f->engine, request, NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "low, medium, high, auto"));
  g_clear_error (&error);

  for (guint i = 0; i < 32001; i++)
    g_string_append_c (long_prompt, 'a');
  result = px_test_generate (f->engine, px_generation_request_new ("gpt-image-2", long_prompt->str), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "32001 characters long, but GPT Image 2 accepts at most 32000"));
  g_clear_error (&error);

  result = px_test_generate (f->engine, px_generation_request_new ("no-such-model", "a cat"), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "Unknown model “no-such-model”"));
  g_clear_error (&error);

  px_engine_set_api_key (f->engine, "openai", NULL);
  result = px_test_generate (f->engine, px_generation_request_new ("gpt-image-1.5", "a cat"), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "OPENAI_API_KEY"));
  g_clear_error (&error);

  /* A local server needs no key. */
  px_engine_set_api_key (f->engine, "openai-compatible", NULL);
  g_clear_object (&f->fake);
  f->fake = px_fake_provider_new (0, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *url = g_strconcat (px_fake_provider_get_url (f->fake), "/v1", NULL);
    px_engine_set_base_url (f->engine, "openai-compatible", url);
  }
  result = px_test_generate (f->engine, px_generation_request_new ("local-model", "a cat"), NULL, &error);
  g_assert_no_error (error);
  g_assert_null (((PxFakeRequest *) g_ptr_array_index (px_fake_provider_get_requests (f->fake), 0))->authorization);

  /* None of these reached the server except the last. */
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
}

static void
test_new_model_id (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;

  /* Providers rename models; a user can name one the list does not know. */
  result = px_test_generate (f->engine, px_generation_request_new ("openai/gpt-image-1.5", "a cat"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->model_id, ==, "gpt-image-1.5");
  g_assert_nonnull (strstr (g_bytes_get_data (((PxFakeRequest *) g_ptr_array_index (px_fake_provider_get_requests (f->fake), 0))->body, NULL),
                            "\"model\":\"gpt-image-1.5\""));
}

static void
test_cost (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) high = NULL;
  g_autoptr(PxGenerationResult) tokens = NULL;
  PxGenerationRequest *request;

  request = px_generation_request_new ("gpt-image-2", "a cat");
  px_generation_request_set_setting (request, "quality", "high");
  high = px_test_generate (f->engine, request, NULL, &error);
  g_assert_no_error (error);
  /* The fake reports 4160 output tokens for a high 1024² image ($30 per million), and 2 for the prompt ($5). */
  g_assert_cmpfloat_with_epsilon (high->cost, 4160 * 0.00003 + 2 * 0.000005, 1e-9);

  /* GPT image models report output tokens: $32 per million for 1.5. */
  request = px_generation_request_new ("gpt-image-1.5", "a cat");
  px_generation_request_set_setting (request, "quality", "low");
  px_generation_request_set_setting (request, "count", "2");
  tokens = px_test_generate (f->engine, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->images->len, ==, 2);
  g_assert_cmpint (tokens->output_tokens, ==, 544);
  /* …and the prompt's tokens ("a cat": 2 of them, $5 per million). */
  g_assert_cmpfloat_with_epsilon (tokens->cost, 544 * 0.000032 + 2 * 0.000005, 1e-9);

  /* An edit is billed for its reference images too ($8 per million image
   * tokens): the cost counts what usage says was read. */
  {
    g_autoptr(PxGenerationResult) edit = NULL;
    g_autoptr(GBytes) png = px_test_png (64, 48);

    request = px_generation_request_new ("gpt-image-2", "a cat");
    px_generation_request_set_setting (request, "quality", "low");
    px_generation_request_add_reference (request, png, "image/png");
    edit = px_test_generate (f->engine, request, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (edit->input_image_tokens, ==, 323);
    g_assert_cmpfloat_with_epsilon (edit->cost, 272 * 0.00003 + 2 * 0.000005 + 323 * 0.000008, 1e-9);
  }
}

static void
test_base_url_from_environment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  g_autoptr(PxEngine) engine = px_engine_new (catalog);
  g_autofree char *fallback = px_engine_get_base_url (engine, "openai");
  g_autofree char *from_env = NULL;
  g_autofree char *explicit = NULL;

  g_assert_cmpstr (fallback, ==, "https://api.openai.com/v1");

  g_setenv ("PIXMERGE_OPENAI_BASE_URL", "http://127.0.0.1:9/v1/", TRUE);
  from_env = px_engine_get_base_url (engine, "openai");
  g_assert_cmpstr (from_env, ==, "http://127.0.0.1:9/v1");

  px_engine_set_base_url (engine, "openai", "http://localhost:8/v1");
  explicit = px_engine_get_base_url (engine, "openai");
  g_assert_cmpstr (explicit, ==, "http://localhost:8/v1");
  g_unsetenv ("PIXMERGE_OPENAI_BASE_URL");
}

/* ---- the response cache ---- */

static PxCache *
new_cache (guint ttl)
{
  g_autofree char *dir = g_build_filename (px_paths_get_cache_dir (), "responses", NULL);

  return px_cache_new (dir, ttl);
}

static PxGenerationResult *
generate_cat (Fixture    *f,
              const char *prompt,
              const char *size,
              gboolean    bypass)
{
  g_autoptr(GError) error = NULL;
  PxGenerationRequest *request = px_generation_request_new ("gpt-image-1.5", prompt);
  PxGenerationResult *result;

  if (size != NULL)
    px_generation_request_set_setting (request, "size", size);
  request->bypass_cache = bypass;
  result = px_test_generate (f->engine, request, NULL, &error);
  g_assert_no_error (error);

  return result;
}

static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PxCache) cache = new_cache (900);
  g_autoptr(PxGenerationResult) first = NULL;
  g_autoptr(PxGenerationResult) again = NULL;
  g_autoptr(PxGenerationResult) other_prompt = NULL;
  g_autoptr(PxGenerationResult) other_size = NULL;
  g_autoptr(PxGenerationResult) bypassed = NULL;
  PxImage *a, *b;

  px_engine_set_cache (f->engine, cache);

  first = generate_cat (f, "a cat", NULL, FALSE);
  g_assert_false (first->cached);
  g_assert_cmpfloat (first->cost, >, 0);

  again = generate_cat (f, "a cat", NULL, FALSE);
  g_assert_true (again->cached);
  g_assert_cmpfloat (again->cost, ==, 0);
  a = g_ptr_array_index (first->images, 0);
  b = g_ptr_array_index (again->images, 0);
  g_assert_true (g_bytes_equal (a->bytes, b->bytes));
  g_assert_cmpint (b->width, ==, 1024);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);

  /* Anything that changes the image is a miss. */
  other_prompt = generate_cat (f, "a dog", NULL, FALSE);
  g_assert_false (other_prompt->cached);
  other_size = generate_cat (f, "a cat", "1536x1024", FALSE);
  g_assert_false (other_size->cached);
  bypassed = generate_cat (f, "a cat", NULL, TRUE);
  g_assert_false (bypassed->cached);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 4);
}

static void
test_cache_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PxCache) cache = new_cache (1);
  g_autoptr(PxGenerationResult) first = NULL;
  g_autoptr(PxGenerationResult) hit = NULL;
  g_autoptr(PxGenerationResult) expired = NULL;
  g_autoptr(PxGenerationResult) disabled = NULL;

  px_engine_set_cache (f->engine, cache);
  first = generate_cat (f, "an owl", NULL, FALSE);
  hit = generate_cat (f, "an owl", NULL, FALSE);
  g_assert_true (hit->cached);

  g_usleep (1100 * 1000);
  expired = generate_cat (f, "an owl", NULL, FALSE);
  g_assert_false (expired->cached);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 2);

  /* TTL 0 turns the cache off. */
  px_cache_set_ttl (cache, 0);
  disabled = generate_cat (f, "an owl", NULL, FALSE);
  g_assert_false (disabled->cached);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 3);
}

static void
test_cache_key (void)
{
  g_autoptr(GHashTable) a = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) b = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *k4 = NULL;

  g_hash_table_insert (a, "size", "1024x1024");
  g_hash_table_insert (a, "quality", "hd");
  g_hash_table_insert (b, "quality", "hd");
  g_hash_table_insert (b, "size", "1024x1024");

  k1 = px_cache_key ("openai", "gpt-image-2", "a cat", a, NULL);
  k2 = px_cache_key ("openai", "gpt-image-2", "a cat", b, NULL);
  k3 = px_cache_key ("openai", "dall-e-3a", " cat", a, NULL);
  k4 = px_cache_key ("gemini", "gpt-image-2", "a cat", a, NULL);
  g_assert_cmpstr (k1, ==, k2);
  g_assert_cmpstr (k1, !=, k3);
  g_assert_cmpstr (k1, !=, k4);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
check (PxEngine    *engine,
       const char  *provider_id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_engine_check_async (engine, provider_id, NULL, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return px_engine_check_finish (engine, result, error);
}

/* "Test connection": the right key passes, a wrong one and a dead address
 * say what is wrong, and nothing is generated (no cost). */
static void
test_check_connection (Fixture       *f,
                       gconstpointer  data)
{
  static const char *providers[] = { "openai", "gemini", "vertex", "automatic1111" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_test_message ("provider %s", providers[i]);
      g_assert_true (check (f->engine, providers[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < px_fake_provider_get_requests (f->fake)->len; i++)
    g_assert_cmpstr (((PxFakeRequest *) g_ptr_array_index (px_fake_provider_get_requests (f->fake), i))->method, ==, "GET");

  for (guint i = 0; i < 3; i++)
    {
      px_engine_set_api_key (f->engine, providers[i], "wrong-key-98765");
      g_assert_false (check (f->engine, providers[i], &error));
      g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
      g_assert_null (strstr (error->message, "wrong-key-98765"));
      g_clear_error (&error);
    }

  px_engine_set_api_key (f->engine, "openai", NULL);
  g_assert_false (check (f->engine, "openai", &error));
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
  g_clear_error (&error);

  px_engine_set_base_url (f->engine, "automatic1111", "http://127.0.0.1:1");
  g_assert_false (check (f->engine, "automatic1111", &error));
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1:1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/engine/check-connection", Fixture, NULL, px_test_fixture_set_up, test_check_connection, px_test_fixture_tear_down);
  g_test_add ("/engine/concurrency-limit", Fixture, NULL, px_test_fixture_set_up, test_concurrency_limit, px_test_fixture_tear_down);
  g_test_add ("/engine/rate-limit", Fixture, NULL, px_test_fixture_set_up, test_rate_limit, px_test_fixture_tear_down);
  g_test_add ("/engine/retry-after-paces-provider", Fixture, NULL, px_test_fixture_set_up, test_retry_after_paces_provider, px_test_fixture_tear_down);
  g_test_add ("/engine/checks-before-sending", Fixture, NULL, px_test_fixture_set_up, test_checks_before_sending, px_test_fixture_tear_down);
  g_test_add ("/engine/new-model-id", Fixture, NULL, px_test_fixture_set_up, test_new_model_id, px_test_fixture_tear_down);
  g_test_add ("/engine/cost", Fixture, NULL, px_test_fixture_set_up, test_cost, px_test_fixture_tear_down);
  g_test_add_func ("/engine/base-url-from-environment", test_base_url_from_environment);
  g_test_add ("/cache/hit-miss-bypass", Fixture, NULL, px_test_fixture_set_up, test_cache, px_test_fixture_tear_down);
  g_test_add ("/cache/expiry", Fixture, NULL, px_test_fixture_set_up, test_cache_expiry, px_test_fixture_tear_down);
  g_test_add_func ("/cache/key", test_cache_key);

  return g_test_run ();
}
