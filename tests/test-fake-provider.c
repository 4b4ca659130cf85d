/* test-fake-provider.c: the fake's streaming chat speaks the real SSE
 * formats (OpenAI chunks ending in [DONE]; Gemini whole responses with no
 * [DONE]) that the prompt helper will read, and scripted faults apply. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "px-fake-provider.h"

#define KEY "sk-fake-test-key-0000"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GBytes *
post (PxFakeProvider *fake,
      const char     *path,
      const char     *header,
      const char     *value,
      const char     *body,
      guint          *status,
      char          **content_type)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (px_fake_provider_get_url (fake), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *response;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  soup_message_headers_replace (soup_message_get_request_headers (message), header, value);
  /* The server runs on this thread's main loop too. */
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  response = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL));

  return response;
}

/* The "data:" payloads of an event stream, in order. */
static GPtrArray *
events (GBytes *body)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "data: "))
      g_ptr_array_add (out, g_strdup (lines[i] + 6));

  return out;
}

static void
test_openai_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxFakeProvider) fake = px_fake_provider_new (0, KEY, &error);
  const char *body = "{\"model\": \"gpt-4o-mini\", \"stream\": true, \"messages\": "
                     "[{\"role\": \"system\", \"content\": \"Improve\"}, {\"role\": \"user\", \"content\": \"A cat named [NAME]\"}]}";
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *type = NULL;
  guint status;

  response = post (fake, "/v1/chat/completions", "Authorization", "Bearer " KEY, body, &status, &type);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (type, ==, "text/event-stream");
  data = events (response);
  g_assert_cmpuint (data->len, >, 2);
  g_assert_cmpstr (g_ptr_array_index (data, data->len - 1), ==, "[DONE]");
  for (guint i = 0; i + 1 < data->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *chunk, *delta;

      g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (data, i), -1, NULL));
      chunk = json_node_get_object (json_parser_get_root (parser));
      delta = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (chunk, "choices"), 0), "delta");
      g_string_append (text, json_object_get_string_member (delta, "content"));
    }
  g_assert_cmpstr (text->str, ==, "A vivid, detailed, well-lit picture: A cat named [NAME]");

  /* A rewrite that loses the token, for the helper's check. */
  px_fake_provider_push_fault (fake, PX_FAKE_FAULT_DROP_TOKENS, 0);
  g_bytes_unref (response);
  response = post (fake, "/v1/chat/completions", "Authorization", "Bearer " KEY, body, &status, NULL);
  g_assert_null (memmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response), "[NAME]", 6));

  /* A wrong key gets OpenAI's error body. */
  g_bytes_unref (response);
  response = post (fake, "/v1/chat/completions", "Authorization", "Bearer nope", body, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (memmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response), "invalid_api_key", 15));
}

static void
test_gemini_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxFakeProvider) fake = px_fake_provider_new (0, KEY, &error);
  const char *body = "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"A dog called [PET]\"}]}]}";
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint status;

  response = post (fake, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "x-goog-api-key", KEY,
                   body, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  data = events (response);
  g_assert_cmpuint (data->len, >, 2);
  for (guint i = 0; i < data->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *candidate;

      /* Every event is a whole response; there is no [DONE]. */
      g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (data, i), -1, NULL));
      candidate = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "candidates"), 0);
      g_string_append (text, json_object_get_string_member (json_array_get_object_element (
        json_object_get_array_member (json_object_get_object_member (candidate, "content"), "parts"), 0), "text"));
      g_assert_cmpint (json_object_has_member (candidate, "finishReason"), ==, i + 1 == data->len);
    }
  g_assert_cmpstr (text->str, ==, "A vivid, detailed, well-lit picture: A dog called [PET]");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-provider/openai-stream", test_openai_stream);
  g_test_add_func ("/fake-provider/gemini-stream", test_gemini_stream);

  return g_test_run ();
}
