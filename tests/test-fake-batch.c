/* test-fake-batch.c: the fake speaks the Gemini API's Batch Mode as the
 * Developer API does (what px-fake-batch.c documents): a JSONL file
 * uploaded with the resumable protocol, a batch made from it or from inline
 * requests, polled to its end, its results downloaded with every key once,
 * failed lines with the provider's error; cancel, failed and expired
 * batches; the list, page by page. Over real HTTP, as clients will use it. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "px-fake-provider.h"

#define KEY "AIza-fake-batch-test-0000"
#define MODEL "gemini-3.1-flash-image"

static PxFakeProvider *fake;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One exchange; @headers is NULL-terminated name, value pairs. */
static GBytes *
exchange (const char          *method,
          const char          *url_or_path,
          const char * const  *headers,
          const char          *body,
          gsize                body_length,
          guint               *status,
          SoupMessageHeaders **response_headers)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_str_has_prefix (url_or_path, "http") ? g_strdup (url_or_path)
                         : g_strconcat (px_fake_provider_get_url (fake), url_or_path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *response;

  soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", KEY);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (message), headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);

      soup_message_set_request_body_from_bytes (message, NULL, bytes);
    }
  /* The server runs on this thread's main loop too. */
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  response = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  if (response_headers != NULL)
    *response_headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  return response;
}

static JsonObject *
json_of (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The JSONL of @n requests keyed item-1…item-n. */
static char *
requests_jsonl (guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (out, "{\"key\": \"item-%u\", \"request\": {\"contents\": [{\"role\": \"user\", \"parts\": "
                                 "[{\"text\": \"Portrait %u of Ada\"}]}], \"generationConfig\": "
                                 "{\"responseModalities\": [\"TEXT\", \"IMAGE\"]}}}\n", i, i);
  return g_string_free (out, FALSE);
}

/* Uploads @data; the file's name ("files/…"). */
static char *
upload (const char *data,
        gsize       length,
        gsize       announced)
{
  g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, announced);
  const char *start[] = { "X-Goog-Upload-Protocol", "resumable", "X-Goog-Upload-Command", "start",
                          "X-Goog-Upload-Header-Content-Length", size,
                          "X-Goog-Upload-Header-Content-Type", "application/jsonl",
                          "Content-Type", "application/json", NULL };
  const char *finish[] = { "X-Goog-Upload-Command", "upload, finalize", "X-Goog-Upload-Offset", "0", NULL };
  const char *meta = "{\"file\": {\"display_name\": \"pixmerge-test\"}}";
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonObject) file = NULL;
  const char *url;
  guint status;

  g_bytes_unref (exchange ("POST", "/upload/v1beta/files", start, meta, strlen (meta), &status, &headers));
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Goog-Upload-Status"), ==, "active");
  url = soup_message_headers_get_one (headers, "X-Goog-Upload-URL");
  g_assert_nonnull (url);
  answer = exchange ("POST", url, finish, data, length, &status, NULL);
  if (status != 200)
    return NULL;
  file = json_of (answer);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (file, "file"), "name"));
}

static JsonObject *
create (const char *input_config,
        guint      *status)
{
  g_autofree char *body = g_strdup_printf ("{\"batch\": {\"display_name\": \"pixmerge-batch-7-1\", "
                                           "\"input_config\": %s}}", input_config);
  g_autoptr(GBytes) answer = exchange ("POST", "/v1beta/models/" MODEL ":batchGenerateContent", NULL, body,
                                       strlen (body), status, NULL);

  return *status == 200 ? json_of (answer) : NULL;
}

static JsonObject *
poll_until_done (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/v1beta/%s", name);

  for (int i = 0; i < 10; i++)
    {
      guint status;
      g_autoptr(GBytes) answer = exchange ("GET", path, NULL, NULL, 0, &status, NULL);
      g_autoptr(JsonObject) operation = json_of (answer);

      g_assert_cmpuint (status, ==, 200);
      if (json_object_get_boolean_member_with_default (operation, "done", FALSE))
        return g_steal_pointer (&operation);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (operation, "metadata"), "state"),
                       ==, i == 0 ? "BATCH_STATE_RUNNING" : "BATCH_STATE_RUNNING");
    }
  g_assert_not_reached ();
}

static const char *
state_of (JsonObject *operation)
{
  return json_object_get_string_member (json_object_get_object_member (operation, "metadata"), "state");
}

static void
test_file_round_trip (void)
{
  g_autofree char *jsonl = requests_jsonl (30);
  g_autofree char *file = NULL;
  g_autofree char *config = NULL;
  g_autofree char *results_path = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(GBytes) results = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  JsonObject *stats;
  guint status, failed = 0;

  px_fake_provider_set_batch_polls (fake, 2);
  px_fake_provider_set_batch_failing (fake, 10);
  /* The announced size is checked. */
  g_assert_null (upload (jsonl, strlen (jsonl) - 1, strlen (jsonl)));
  file = upload (jsonl, strlen (jsonl), strlen (jsonl));
  g_assert_true (g_str_has_prefix (file, "files/"));

  config = g_strdup_printf ("{\"file_name\": \"%s\"}", file);
  created = create (config, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (created, "name"), "batches/"));
  g_assert_cmpstr (state_of (created), ==, "BATCH_STATE_PENDING");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "metadata"), "displayName"),
                   ==, "pixmerge-batch-7-1");

  done = poll_until_done (json_object_get_string_member (created, "name"));
  g_assert_cmpstr (state_of (done), ==, "BATCH_STATE_SUCCEEDED");
  stats = json_object_get_object_member (json_object_get_object_member (done, "metadata"), "batchStats");
  g_assert_cmpstr (json_object_get_string_member (stats, "requestCount"), ==, "30");
  g_assert_cmpstr (json_object_get_string_member (stats, "successfulRequestCount"), ==, "27");
  g_assert_cmpstr (json_object_get_string_member (stats, "failedRequestCount"), ==, "3");

  results_path = g_strdup_printf ("/download/v1beta/%s:download?alt=media",
                                  json_object_get_string_member (json_object_get_object_member (done, "response"),
                                                                 "responsesFile"));
  results = exchange ("GET", results_path, NULL, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (results, NULL), g_bytes_get_size (results));

    lines = g_strsplit (g_strstrip (text), "\n", -1);
  }
  g_assert_cmpuint (g_strv_length (lines), ==, 30);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GBytes) line_bytes = g_bytes_new (lines[i], strlen (lines[i]));
      g_autoptr(JsonObject) line = json_of (line_bytes);
      const char *key = json_object_get_string_member (line, "key");

      /* Every key exactly once. */
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, g_strdup (key));
      if (json_object_has_member (line, "error"))
        {
          failed++;
          g_assert_true (g_str_equal (key, "item-10") || g_str_equal (key, "item-20") || g_str_equal (key, "item-30"));
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (line, "error"), "status"),
                           ==, "INVALID_ARGUMENT");
        }
      else
        {
          JsonObject *response = json_object_get_object_member (line, "response");
          JsonArray *parts = json_object_get_array_member (json_object_get_object_member (
            json_array_get_object_element (json_object_get_array_member (response, "candidates"), 0), "content"),
            "parts");
          gboolean image = FALSE;

          for (guint p = 0; p < json_array_get_length (parts); p++)
            image |= json_object_has_member (json_array_get_object_element (parts, p), "inlineData");
          g_assert_true (image);
        }
    }
  g_assert_cmpuint (failed, ==, 3);
  px_fake_provider_set_batch_failing (fake, 0);
  px_fake_provider_set_batch_polls (fake, 1);
}

static void
test_refusals (void)
{
  guint status;
  g_autoptr(GBytes) answer = NULL;
  const char *no_name = "{\"batch\": {\"input_config\": {\"file_name\": \"files/x\"}}}";

  answer = exchange ("POST", "/v1beta/models/" MODEL ":batchGenerateContent", NULL, no_name, strlen (no_name),
                     &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&answer, g_bytes_unref);
  answer = exchange ("POST", "/v1beta/models/gemini-2.0-flash:batchGenerateContent", NULL, no_name,
                     strlen (no_name), &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&answer, g_bytes_unref);
  {
    const char *missing = "{\"file_name\": \"files/never-uploaded\"}";
    g_autoptr(JsonObject) none = create (missing, &status);

    g_assert_null (none);
    g_assert_cmpuint (status, ==, 400);
  }
  answer = exchange ("GET", "/v1beta/batches/nope", NULL, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_inline (void)
{
  const char *config = "{\"requests\": {\"requests\": ["
                       "{\"request\": {\"contents\": [{\"parts\": [{\"text\": \"Bo\"}]}]}, \"metadata\": {\"key\": \"a\"}},"
                       "{\"request\": {\"contents\": [{\"parts\": [{\"text\": \"Chidi\"}]}]}, \"metadata\": {\"key\": \"b\"}}]}}";
  guint status;
  g_autoptr(JsonObject) created = create (config, &status);
  g_autoptr(JsonObject) done = poll_until_done (json_object_get_string_member (created, "name"));
  JsonArray *responses;

  g_assert_cmpstr (state_of (done), ==, "BATCH_STATE_SUCCEEDED");
  responses = json_object_get_array_member (json_object_get_object_member (
    json_object_get_object_member (done, "response"), "inlinedResponses"), "inlinedResponses");
  g_assert_cmpuint (json_array_get_length (responses), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
    json_array_get_object_element (responses, 1), "metadata"), "key"), ==, "b");
  g_assert_true (json_object_has_member (json_array_get_object_element (responses, 0), "response"));
}

static void
test_cancel_failed_expired (void)
{
  g_autofree char *jsonl = requests_jsonl (8);
  g_autofree char *file = upload (jsonl, strlen (jsonl), strlen (jsonl));
  g_autofree char *config = g_strdup_printf ("{\"file_name\": \"%s\"}", file);
  g_autofree char *cancel_path = NULL;
  guint status;

  px_fake_provider_set_batch_polls (fake, 5);
  {
    g_autoptr(JsonObject) created = create (config, &status);
    g_autoptr(JsonObject) done = NULL;
    JsonObject *stats;

    cancel_path = g_strdup_printf ("/v1beta/%s:cancel", json_object_get_string_member (created, "name"));
    g_bytes_unref (exchange ("POST", cancel_path, NULL, "{}", 2, &status, NULL));
    g_assert_cmpuint (status, ==, 200);
    done = poll_until_done (json_object_get_string_member (created, "name"));
    g_assert_cmpstr (state_of (done), ==, "BATCH_STATE_CANCELLED");
    /* What was made before the cancel comes back. */
    stats = json_object_get_object_member (json_object_get_object_member (done, "metadata"), "batchStats");
    g_assert_cmpstr (json_object_get_string_member (stats, "successfulRequestCount"), ==, "4");
    g_assert_true (json_object_has_member (json_object_get_object_member (done, "response"), "responsesFile"));
  }
  px_fake_provider_set_batch_polls (fake, 0);
  px_fake_provider_set_batch_outcome (fake, PX_FAKE_BATCH_FAILED);
  {
    g_autoptr(JsonObject) created = create (config, &status);
    g_autoptr(JsonObject) done = poll_until_done (json_object_get_string_member (created, "name"));

    g_assert_cmpstr (state_of (done), ==, "BATCH_STATE_FAILED");
    g_assert_true (json_object_has_member (done, "error"));
    g_assert_false (json_object_has_member (done, "response"));
  }
  px_fake_provider_set_batch_outcome (fake, PX_FAKE_BATCH_EXPIRED);
  {
    g_autoptr(JsonObject) created = create (config, &status);
    g_autoptr(JsonObject) done = poll_until_done (json_object_get_string_member (created, "name"));

    g_assert_cmpstr (state_of (done), ==, "BATCH_STATE_EXPIRED");
    g_assert_false (json_object_has_member (done, "response"));
  }
  px_fake_provider_set_batch_outcome (fake, PX_FAKE_BATCH_SUCCEEDED);
  px_fake_provider_set_batch_polls (fake, 1);
}

/* Found again by display name: the list, newest first, page by page. */
static void
test_list (void)
{
  guint created = px_fake_provider_get_batches_created (fake);
  guint seen = 0, status;
  g_autofree char *token = NULL;

  g_assert_cmpuint (created, >=, 4);
  do
    {
      g_autofree char *path = token ? g_strdup_printf ("/v1beta/batches?pageSize=2&pageToken=%s", token)
                                    : g_strdup ("/v1beta/batches?pageSize=2");
      g_autoptr(GBytes) answer = exchange ("GET", path, NULL, NULL, 0, &status, NULL);
      g_autoptr(JsonObject) page = json_of (answer);
      JsonArray *operations = json_object_get_array_member (page, "operations");

      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpuint (json_array_get_length (operations), <=, 2);
      for (guint i = 0; i < json_array_get_length (operations); i++)
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
          json_array_get_object_element (operations, i), "metadata"), "displayName"), ==, "pixmerge-batch-7-1");
      seen += json_array_get_length (operations);
      g_free (token);
      token = g_strdup (json_object_get_string_member_with_default (page, "nextPageToken", NULL));
    }
  while (token != NULL);
  g_assert_cmpuint (seen, ==, created);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  fake = px_fake_provider_new (0, KEY, &error);
  g_assert_no_error (error);
  px_fake_provider_set_plain_images (fake, TRUE);

  g_test_add_func ("/fake-batch/file-round-trip", test_file_round_trip);
  g_test_add_func ("/fake-batch/refusals", test_refusals);
  g_test_add_func ("/fake-batch/inline", test_inline);
  g_test_add_func ("/fake-batch/cancel-failed-expired", test_cancel_failed_expired);
  g_test_add_func ("/fake-batch/list", test_list);

  status = g_test_run ();
  g_object_unref (fake);
  return status;
}
