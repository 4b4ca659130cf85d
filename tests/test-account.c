/* test-account.c: what a real account does to the engine, against the fake
 * over real HTTP: pacing learned from the provider's own rate-limit headers,
 * 429s that name a wait, the user's concurrency above the catalog's default,
 * account problems with their own words and no retries, retired models, and
 * combinations refused before anything is sent. */
#include "config.h"

#include <string.h>

#include "px-model-list.h"
#include "px-test-engine.h"

typedef PxTestFixture Fixture;

static void
on_one_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *left = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) generated = px_engine_generate_finish (PX_ENGINE (source), result, &error);

  g_assert_no_error (error);
  (*left)--;
}

/* n generations at once, to the end; returns the wall time in ms. */
static gint64
run_many (PxEngine   *engine,
          const char *model,
          guint       n)
{
  gint64 start = g_get_monotonic_time ();
  guint left = n;

  /* One prompt for all: the in-process fake draws each new prompt's image
   * on this thread, which would space the requests out by itself. */
  for (guint i = 0; i < n; i++)
    px_engine_generate_async (engine, px_generation_request_new (model, "A picture"), NULL, on_one_done, &left);
  while (left > 0)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000;
}

/* The account allows 60 a minute. The catalog guesses 50 and the test asks
 * for 8 at once: from the first answer on, the engine paces by what the
 * provider's headers say, bursts what is left in the provider's bucket,
 * then one a second. */
static void
test_pacing_learned_from_headers (Fixture       *f,
                                  gconstpointer  data)
{
  double per_minute = 0;
  guint concurrency = 0;
  gint64 ms;

  px_fake_provider_set_rpm (f->fake, 60);
  ms = run_many (f->engine, "gpt-image-2", 1);
  px_engine_get_pace (f->engine, "openai", &concurrency, &per_minute);
  g_assert_cmpfloat (per_minute, ==, 60);
  g_assert_cmpuint (concurrency, ==, 8);

  /* 59 left in the bucket, 6 more at one a second. */
  ms = run_many (f->engine, "gpt-image-2", 65);
  g_test_message ("65 requests on a 60/min account after one: %" G_GINT64_FORMAT " ms, %u refused",
                  ms, px_fake_provider_get_limited_count (f->fake));
  g_assert_cmpint (ms, >=, 5000);
  g_assert_cmpint (ms, <=, 1.25 * 6000 + 500);
  g_assert_cmpuint (px_fake_provider_get_limited_count (f->fake), <=, 65 / 10);
}

/* The provider names a wait longer than any backoff: it is waited out, as
 * often as it asks, without using up the attempts; past the longest wait
 * a person would sit through, the error says how long it asked. */
static void
test_long_retry_after_waited_out (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 4; i++)
    px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_RATE_LIMIT_MS, 400);
  result = px_test_generate (f->engine, px_generation_request_new ("gpt-image-2", "a cat"), NULL, &error);
  g_assert_no_error (error);
  /* Four 429s and the answer, though the retry policy allows 3 attempts. */
  g_assert_cmpuint (result->attempts, ==, 5);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * 400 * 1000);
  g_assert_cmpfloat (result->possibly_paid, ==, 0);

  px_engine_set_max_rate_wait (f->engine, 1);
  px_fake_provider_clear_requests (f->fake);
  px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_RATE_LIMIT_MS, 1500);
  g_clear_pointer (&result, px_generation_result_free);
  result = px_test_generate (f->engine, px_generation_request_new ("gpt-image-2", "a dog"), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "asks Pixmerge to wait 2 seconds"));
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
}

static void
test_concurrency_above_default (Fixture       *f,
                                gconstpointer  data)
{
  const PxProviderInfo *info = px_catalog_lookup_provider (px_engine_get_catalog (f->engine), "openai");

  /* Long enough that all of them are at the fake at once, even on a busy
   * machine. */
  px_fake_provider_set_latency (f->fake, 1000);

  /* Asked for: 16 in flight, four times the catalog's usual. */
  px_engine_set_limits (f->engine, "openai", 16, 0);
  run_many (f->engine, "gpt-image-2", 16);
  g_assert_cmpuint (info->concurrency, ==, 4);
  g_assert_cmpuint (px_fake_provider_get_max_in_flight (f->fake), ==, 16);

  /* Not asked: the catalog's. */
  px_fake_provider_clear_requests (f->fake);
  px_engine_set_limits (f->engine, "openai", 0, 0);
  run_many (f->engine, "gpt-image-2", 8);
  g_assert_cmpuint (px_fake_provider_get_max_in_flight (f->fake), ==, 4);
}

/* After a 429 fewer at once; clean answers bring it back to what was asked. */
static void
test_concurrency_backs_off (Fixture       *f,
                            gconstpointer  data)
{
  guint concurrency = 0;

  px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_RATE_LIMIT, 0);
  run_many (f->engine, "gpt-image-2", 1);
  px_engine_get_pace (f->engine, "openai", &concurrency, NULL);
  g_assert_cmpuint (concurrency, ==, 4);

  run_many (f->engine, "gpt-image-2", 40);
  px_engine_get_pace (f->engine, "openai", &concurrency, NULL);
  g_assert_cmpuint (concurrency, ==, 8);
}

typedef struct {
  PxFakeAccountProblem problem;
  const char          *model;
  int                  code;
  const char          *words;
  const char          *next_step;
} ProblemCase;

static const ProblemCase problems[] = {
  { PX_FAKE_ACCOUNT_REVOKED_KEY, "gpt-image-2", PX_PROVIDER_ERROR_AUTH, "Incorrect API key provided", "Update the key" },
  { PX_FAKE_ACCOUNT_NO_QUOTA, "gpt-image-2", PX_PROVIDER_ERROR_QUOTA, "exceeded your current quota", "Add credit" },
  { PX_FAKE_ACCOUNT_BILLING_INACTIVE, "gpt-image-2", PX_PROVIDER_ERROR_BILLING, "Your account is not active", "Enable billing" },
  { PX_FAKE_ACCOUNT_NOT_VERIFIED, "gpt-image-2", PX_PROVIDER_ERROR_NOT_VERIFIED, "must be verified to use the model `gpt-image-2`", "Verify your organization" },
  { PX_FAKE_ACCOUNT_REGION, "gpt-image-2", PX_PROVIDER_ERROR_REGION, "Country, region, or territory not supported", "Use another provider" },
  { PX_FAKE_ACCOUNT_REVOKED_KEY, "gemini-3.1-flash-image", PX_PROVIDER_ERROR_AUTH, "API key expired", "Update the key" },
  { PX_FAKE_ACCOUNT_NO_QUOTA, "gemini-3.1-flash-image", PX_PROVIDER_ERROR_QUOTA, "exceeded your current quota", "Add credit" },
  { PX_FAKE_ACCOUNT_BILLING_INACTIVE, "gemini-3.1-flash-image", PX_PROVIDER_ERROR_BILLING, "Please enable billing", "Enable billing" },
  { PX_FAKE_ACCOUNT_FREE_TIER_ZERO, "gemini-3-pro-image", PX_PROVIDER_ERROR_FREE_TIER, "limit: 0, model: gemini-3-pro-image", "free tier" },
  { PX_FAKE_ACCOUNT_REGION, "gemini-3.1-flash-image", PX_PROVIDER_ERROR_REGION, "User location is not supported", "Use another provider" },
};

/* Each problem is named as what it is, with the provider's words and the
 * next step, after one request: none of them is retried. */
static void
test_account_problems (Fixture       *f,
                       gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      const ProblemCase *c = &problems[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(PxGenerationResult) result = NULL;

      px_fake_provider_clear_requests (f->fake);
      px_fake_provider_set_account_problem (f->fake, c->problem);
      result = px_test_generate (f->engine, px_generation_request_new (c->model, "a cat"), NULL, &error);
      g_assert_null (result);
      if (!g_error_matches (error, PX_PROVIDER_ERROR, c->code) || strstr (error->message, c->words) == NULL ||
          strstr (error->message, c->next_step) == NULL)
        g_error ("%s, problem %d: got code %d, “%s”", c->model, c->problem, error->code, error->message);
      g_assert_true (px_provider_error_is_account_problem (error));
      g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
    }
}

static void
test_retired_models (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;

  /* Known to be shut down: refused here, with the successor first. */
  result = px_test_generate (f->engine, px_generation_request_new ("dall-e-3", "a cat"), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_MODEL_RETIRED);
  g_assert_nonnull (strstr (error->message, "retired by OpenAI"));
  g_assert_nonnull (strstr (error->message, "Choose another model: GPT Image 2 (gpt-image-2), GPT Image 1.5"));
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 0);
  g_clear_error (&error);

  result = px_test_generate (f->engine, px_generation_request_new ("gemini-2.5-flash-image", "a cat"), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_MODEL_RETIRED);
  g_assert_nonnull (strstr (error->message, "Gemini 3.1 Flash Image (gemini-3.1-flash-image)"));
  g_clear_error (&error);

  /* Gone at the provider though the list does not know it yet: the
   * provider's 404 says so, in words, with what the account can use. */
  result = px_test_generate (f->engine, px_generation_request_new ("openai/gpt-image-0", "a cat"), NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_MODEL_RETIRED);
  g_assert_nonnull (strstr (error->message, "no longer serves “gpt-image-0”, or this account cannot use it"));
  g_assert_nonnull (strstr (error->message, "does not exist or you do not have access to it"));
  g_assert_nonnull (strstr (error->message, "GPT Image 2 (gpt-image-2)"));
  g_assert_null (strstr (error->message, "rejected the request"));
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 1);
}

static void
test_refused_before_sending (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  PxGenerationRequest *request = px_generation_request_new ("gpt-image-1.5", "a logo");

  px_generation_request_set_setting (request, "background", "transparent");
  px_generation_request_set_setting (request, "output_format", "jpeg");
  result = px_test_generate (f->engine, request, NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "transparent background needs PNG or WebP"));
  g_clear_error (&error);

  /* gpt-image-2 has no transparent background at all: not offered. */
  request = px_generation_request_new ("gpt-image-2", "a logo");
  px_generation_request_set_setting (request, "background", "transparent");
  result = px_test_generate (f->engine, request, NULL, &error);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
  g_assert_nonnull (strstr (error->message, "transparent"));
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 0);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Testing a key also asks for the account's model list: kept for a day,
 * merged into the catalog: what the account lacks is marked, a new image
 * model is offered with the provider's usual settings, text models and
 * dated snapshots of known ones are not. */
static void
test_model_list_merged (Fixture       *f,
                        gconstpointer  data)
{
  PxCatalog *catalog = px_engine_get_catalog (f->engine);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) kept = NULL;
  const PxModel *model;

  g_assert_true (px_model_list_is_stale ("openai"));
  px_engine_check_async (f->engine, "openai", NULL, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (px_engine_check_finish (f->engine, result, &error));
  g_assert_no_error (error);

  g_assert_false (px_model_list_is_stale ("openai"));
  kept = px_model_list_load ("openai", NULL);
  g_assert_true (g_strv_contains ((const char * const *) kept, "gpt-image-2"));

  model = px_catalog_lookup_model (catalog, "gpt-image-1-mini", NULL);
  g_assert_true (model->unavailable);
  g_assert_false (px_catalog_lookup_model (catalog, "gpt-image-2", NULL)->unavailable);
  model = px_catalog_lookup_model (catalog, "gpt-image-3-preview", &error);
  g_assert_no_error (error);
  g_assert_true (model->discovered);
  g_assert_nonnull (px_model_lookup_setting (model, "quality"));
  g_assert_null (px_catalog_lookup_model (catalog, "gpt-4o-mini", NULL));
  g_assert_null (px_catalog_lookup_model (catalog, "gpt-image-2-2026-04-21", NULL));

  /* Gemini's list: only models that generate content and make images. */
  g_clear_object (&result);
  px_engine_check_async (f->engine, "gemini", NULL, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (px_engine_check_finish (f->engine, result, &error));
  g_assert_true (px_catalog_lookup_model (catalog, "gemini-3.5-flash-image-preview", NULL)->discovered);
  g_assert_null (px_catalog_lookup_model (catalog, "text-embedding-004", NULL));
  g_assert_null (px_catalog_lookup_model (catalog, "gemini-2.5-flash", NULL));
}

/* Gemini 3 Pro Image shows draft images marked thought before the answer:
 * they are neither kept nor paid for. */
static void
test_thought_parts_skipped (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = NULL;

  result = px_test_generate (f->engine, px_generation_request_new ("gemini-3-pro-image", "a lighthouse"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->images->len, ==, 1);
  g_assert_cmpint (((PxImage *) g_ptr_array_index (result->images, 0))->width, ==, 1024);
  g_assert_cmpfloat_with_epsilon (result->cost, 0.134, 1e-9);
  g_assert_null (result->revised_prompt != NULL ? strstr (result->revised_prompt, "Composing") : NULL);
}

/* The words each wire uses for what went wrong, turned into sentences: an
 * AUTOMATIC1111 validation error (FastAPI's 422 list) and Gemini's finish
 * reasons for an answer without an image. */
static void
test_provider_words (Fixture       *f,
                     gconstpointer  data)
{
  PxCatalog *catalog = px_engine_get_catalog (f->engine);
  g_autoptr(PxProvider) a1111 = px_provider_new_for_wire ("a1111");
  g_autoptr(PxProvider) gemini = px_provider_new_for_wire ("gemini");
  PxProviderContext a1111_context = { px_catalog_lookup_provider (catalog, "automatic1111"),
                                      px_catalog_lookup_model (catalog, "stable-diffusion", NULL), "http://x", NULL };
  PxProviderContext gemini_context = { px_catalog_lookup_provider (catalog, "gemini"),
                                       px_catalog_lookup_model (catalog, "gemini-3.1-flash-image", NULL), "http://x", NULL };
  static const char validation[] = "{\"detail\":[{\"loc\":[\"body\",\"steps\"],\"msg\":\"value is not a valid integer\","
                                   "\"type\":\"type_error.integer\"},{\"loc\":[\"body\",\"cfg_scale\"],"
                                   "\"msg\":\"ensure this value is less than or equal to 30\"}]}";
  static const struct { const char *reason; int code; const char *words; } finishes[] = {
    { "IMAGE_OTHER", PX_PROVIDER_ERROR_BAD_RESPONSE, "made no image (IMAGE_OTHER)" },
    { "NO_IMAGE", PX_PROVIDER_ERROR_BAD_RESPONSE, "made no image (NO_IMAGE)" },
    { "IMAGE_RECITATION", PX_PROVIDER_ERROR_POLICY, "copy existing work too closely" },
    { "IMAGE_SAFETY", PX_PROVIDER_ERROR_POLICY, "content policy" },
  };
  g_autoptr(GBytes) body = g_bytes_new_static (validation, sizeof validation - 1);
  g_autoptr(GError) error = px_provider_map_error (a1111, &a1111_context, 422, NULL, body, NULL);

  g_assert_nonnull (strstr (error->message, "steps: value is not a valid integer; cfg_scale: ensure this value"));
  g_assert_null (strstr (error->message, "{"));

  for (guint i = 0; i < G_N_ELEMENTS (finishes); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Sorry.\"}]},"
                                               " \"finishReason\": \"%s\"}]}", finishes[i].reason);
      g_autoptr(GBytes) answer = g_bytes_new_take (g_strdup (text), strlen (text));
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GError) finish_error = NULL;

      g_assert_false (px_provider_parse_response (gemini, &gemini_context, answer, result, &finish_error));
      g_assert_error (finish_error, PX_PROVIDER_ERROR, finishes[i].code);
      g_assert_nonnull (strstr (finish_error->message, finishes[i].words));
    }
}

/* Answers of the wrong shape from a hostile or broken server: a clear
 * error, never a json-glib warning (the test framework makes those fatal). */
static void
test_odd_answers (Fixture       *f,
                  gconstpointer  data)
{
  PxCatalog *catalog = px_engine_get_catalog (f->engine);
  static const struct { const char *wire; const char *provider; const char *model; const char *body; } cases[] = {
    { "openai", "openai", "gpt-image-2", "{\"data\": 5}" },
    { "openai", "openai", "gpt-image-2", "{\"data\": [1, \"x\"]}" },
    { "openai", "openai", "gpt-image-2", "{\"data\": [{\"b64_json\": {}}], \"usage\": []}" },
    { "gemini", "gemini", "gemini-3.1-flash-image", "{\"candidates\": {\"a\": 1}}" },
    { "gemini", "gemini", "gemini-3.1-flash-image", "{\"candidates\": [7], \"promptFeedback\": {\"blockReason\": 3}}" },
    { "gemini", "gemini", "gemini-3.1-flash-image", "{\"candidates\": [{\"content\": {\"parts\": [null, 2]}, \"finishReason\": []}]}" },
    { "imagen", "vertex", "imagen-4.0-generate-001", "{\"predictions\": [\"x\", {\"bytesBase64Encoded\": 9}]}" },
    { "a1111", "automatic1111", "stable-diffusion", "{\"images\": [{}, 3]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PxProvider) provider = px_provider_new_for_wire (cases[i].wire);
      PxProviderContext context = { px_catalog_lookup_provider (catalog, cases[i].provider),
                                    px_catalog_lookup_model (catalog, cases[i].model, NULL), "http://x", NULL };
      g_autoptr(GBytes) body = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) mapped = NULL;

      g_test_message ("%s: %s", cases[i].wire, cases[i].body);
      g_assert_false (px_provider_parse_response (provider, &context, body, result, &error));
      g_assert_nonnull (error);
      mapped = px_provider_map_error (provider, &context, 500, NULL, body, NULL);
      g_assert_nonnull (mapped);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/account/pacing-learned-from-headers", Fixture, NULL, px_test_fixture_set_up,
              test_pacing_learned_from_headers, px_test_fixture_tear_down);
  g_test_add ("/account/long-retry-after-waited-out", Fixture, NULL, px_test_fixture_set_up,
              test_long_retry_after_waited_out, px_test_fixture_tear_down);
  g_test_add ("/account/concurrency-above-default", Fixture, NULL, px_test_fixture_set_up,
              test_concurrency_above_default, px_test_fixture_tear_down);
  g_test_add ("/account/concurrency-backs-off", Fixture, NULL, px_test_fixture_set_up,
              test_concurrency_backs_off, px_test_fixture_tear_down);
  g_test_add ("/account/problems", Fixture, NULL, px_test_fixture_set_up, test_account_problems,
              px_test_fixture_tear_down);
  g_test_add ("/account/retired-models", Fixture, NULL, px_test_fixture_set_up, test_retired_models,
              px_test_fixture_tear_down);
  g_test_add ("/account/model-list-merged", Fixture, NULL, px_test_fixture_set_up, test_model_list_merged,
              px_test_fixture_tear_down);
  g_test_add ("/account/thought-parts-skipped", Fixture, NULL, px_test_fixture_set_up, test_thought_parts_skipped,
              px_test_fixture_tear_down);
  g_test_add ("/account/provider-words", Fixture, NULL, px_test_fixture_set_up, test_provider_words,
              px_test_fixture_tear_down);
  g_test_add ("/account/odd-answers", Fixture, NULL, px_test_fixture_set_up, test_odd_answers,
              px_test_fixture_tear_down);
  g_test_add ("/account/refused-before-sending", Fixture, NULL, px_test_fixture_set_up,
              test_refused_before_sending, px_test_fixture_tear_down);

  return g_test_run ();
}
