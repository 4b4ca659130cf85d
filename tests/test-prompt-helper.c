/* test-prompt-helper.c: "Improve prompt" against the fake's real SSE
 * streams (OpenAI chat completions, Gemini streamGenerateContent): text
 * arrives in pieces, tokens survive or the rewrite is refused, errors and
 * cancel. */
#include "config.h"

#include <string.h>

#include "px-prompt-helper.h"
#include "px-test-engine.h"

#define PROMPT "Portrait of [FIRSTNAME] from [COMPANY|Acme], smiling"

typedef struct {
  GString      *received;
  guint         pieces;
  GCancellable *cancel_after_first;
  gint64        input_tokens;
  gint64        output_tokens;
  double        cost;
} Received;

static void
on_text (PxPromptHelper *helper,
         const char     *text,
         Received       *received)
{
  g_string_append (received->received, text);
  received->pieces++;
  if (received->cancel_after_first != NULL)
    g_cancellable_cancel (received->cancel_after_first);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
improve (PxTestFixture  *f,
         const char     *provider_id,
         const char     *prompt,
         Received       *received,
         GCancellable   *cancellable,
         GError        **error)
{
  g_autoptr(PxPromptHelper) helper = px_prompt_helper_new (f->engine);
  g_autoptr(GAsyncResult) result = NULL;
  char *rewrite;

  g_signal_connect (helper, "text-received", G_CALLBACK (on_text), received);
  px_prompt_helper_improve_async (helper, provider_id, prompt, cancellable, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rewrite = px_prompt_helper_improve_finish (helper, result, error);
  px_prompt_helper_get_usage (helper, &received->input_tokens, &received->output_tokens, &received->cost);
  return rewrite;
}

static void
test_streams (PxTestFixture *f,
              gconstpointer  data)
{
  const char *provider_id = data;
  g_autoptr(GError) error = NULL;
  Received received = { g_string_new (NULL), 0, NULL, 0, 0, 0 };
  g_autofree char *rewrite = improve (f, provider_id, PROMPT, &received, NULL, &error);
  GPtrArray *requests = px_fake_provider_get_requests (f->fake);
  const PxProviderInfo *info = px_catalog_lookup_provider (px_engine_get_catalog (f->engine), provider_id);
  const PxFakeRequest *request;

  g_assert_no_error (error);
  /* It came in pieces, as it was written, and the pieces are the answer. */
  g_assert_cmpuint (received.pieces, >, 3);
  g_assert_cmpstr (g_strstrip (received.received->str), ==, rewrite);
  g_assert_nonnull (strstr (rewrite, "[FIRSTNAME]"));
  g_assert_nonnull (strstr (rewrite, "[COMPANY|Acme]"));
  g_assert_cmpstr (rewrite, !=, PROMPT);

  /* The real wire: the chat model, streaming, the prompt as the user's words. */
  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  if (g_str_equal (provider_id, "openai"))
    {
      g_assert_cmpstr (request->path, ==, "/v1/chat/completions");
      g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "\"stream\":true"));
      g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "gpt-4o-mini"));
      /* Its tokens asked for, to say what the rewrite cost. */
      g_assert_nonnull (strstr (g_bytes_get_data (request->body, NULL), "\"include_usage\":true"));
    }
  else
    {
      g_assert_cmpstr (request->path, ==, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
      g_assert_cmpstr (request->google_key, ==, PX_TEST_KEY);
    }
  /* What it cost: the tokens the stream reported at its end, at the text
   * model's price (the fake counts a token a word of the answer). */
  g_assert_cmpint (received.input_tokens, >, 0);
  g_assert_cmpint (received.output_tokens, ==, received.pieces);
  g_assert_cmpfloat_with_epsilon (received.cost, received.input_tokens * info->text_input_price +
                                  received.output_tokens * info->text_output_price, 1e-12);
  g_assert_cmpfloat (received.cost, >, 0);
  g_string_free (received.received, TRUE);
}

/* The model drops the tokens: the text streamed, but the rewrite is refused
 * and says which tokens it lost. */
static void
test_lost_tokens_refused (PxTestFixture *f,
                          gconstpointer  data)
{
  const char *provider_id = data;
  g_autoptr(GError) error = NULL;
  Received received = { g_string_new (NULL), 0, NULL };
  g_autofree char *rewrite = NULL;

  px_fake_provider_push_fault (f->fake, PX_FAKE_FAULT_DROP_TOKENS, 0);
  rewrite = improve (f, provider_id, PROMPT, &received, NULL, &error);
  g_assert_null (rewrite);
  g_assert_error (error, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_TOKENS_CHANGED);
  g_assert_nonnull (strstr (error->message, "[FIRSTNAME], [COMPANY|Acme]"));
  g_assert_cmpuint (received.pieces, >, 0);
  g_assert_null (strstr (received.received->str, "[FIRSTNAME]"));
  g_string_free (received.received, TRUE);
}

static void
test_wrong_key (PxTestFixture *f,
                gconstpointer  data)
{
  const char *provider_id = data;
  g_autoptr(GError) error = NULL;
  Received received = { g_string_new (NULL), 0, NULL };
  g_autofree char *rewrite = NULL;

  px_engine_set_api_key (f->engine, provider_id, "wrong-key-98765");
  rewrite = improve (f, provider_id, PROMPT, &received, NULL, &error);
  g_assert_null (rewrite);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
  g_assert_null (strstr (error->message, "wrong-key-98765"));
  g_assert_cmpuint (received.pieces, ==, 0);
  g_string_free (received.received, TRUE);
}

static void
test_cancel_mid_stream (PxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Received received = { g_string_new (NULL), 0, cancellable };
  g_autofree char *rewrite = improve (f, "openai", PROMPT, &received, cancellable, &error);

  g_assert_null (rewrite);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (received.pieces, ==, 1);
  g_string_free (received.received, TRUE);
}

static void
test_no_text_model (PxTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Received received = { g_string_new (NULL), 0, NULL };
  g_autofree char *rewrite = improve (f, "vertex", PROMPT, &received, NULL, &error);

  g_assert_null (rewrite);
  g_assert_error (error, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_NO_TEXT_MODEL);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 0);
  g_string_free (received.received, TRUE);
}

static void
test_check_tokens (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (px_prompt_helper_check_tokens ("A [X] and [Y]", "Lovely [Y], then [X], again [X]", &error));
  g_assert_no_error (error);
  /* A token written differently (default dropped) is a lost token. */
  g_assert_false (px_prompt_helper_check_tokens ("Hi [X|you]", "Hello [X]", &error));
  g_assert_error (error, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_TOKENS_CHANGED);
  g_assert_nonnull (strstr (error->message, "lost [X|you]"));
  g_clear_error (&error);
  g_assert_false (px_prompt_helper_check_tokens ("Hi [X]", "Hi [X] from [CITY]", &error));
  g_assert_nonnull (strstr (error->message, "added [CITY]"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/prompt-helper/openai/streams", PxTestFixture, "openai",
              px_test_fixture_set_up, test_streams, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/gemini/streams", PxTestFixture, "gemini",
              px_test_fixture_set_up, test_streams, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/openai/lost-tokens-refused", PxTestFixture, "openai",
              px_test_fixture_set_up, test_lost_tokens_refused, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/gemini/lost-tokens-refused", PxTestFixture, "gemini",
              px_test_fixture_set_up, test_lost_tokens_refused, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/openai/wrong-key", PxTestFixture, "openai",
              px_test_fixture_set_up, test_wrong_key, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/gemini/wrong-key", PxTestFixture, "gemini",
              px_test_fixture_set_up, test_wrong_key, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/cancel-mid-stream", PxTestFixture, NULL,
              px_test_fixture_set_up, test_cancel_mid_stream, px_test_fixture_tear_down);
  g_test_add ("/prompt-helper/no-text-model", PxTestFixture, NULL,
              px_test_fixture_set_up, test_no_text_model, px_test_fixture_tear_down);
  g_test_add_func ("/prompt-helper/check-tokens", test_check_tokens);

  return g_test_run ();
}
