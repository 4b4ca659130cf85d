/* px-fake-batch.c: the Gemini API's Batch Mode, as the Developer API answers
 * (the google-genai SDKs' batches and files modules speak exactly this):
 *
 *   POST /upload/v1beta/files        X-Goog-Upload-Protocol: resumable,
 *        X-Goog-Upload-Command: start, X-Goog-Upload-Header-Content-Length: N,
 *        X-Goog-Upload-Header-Content-Type: application/jsonl,
 *        {"file": {"display_name": …}}
 *     -> 200, X-Goog-Upload-URL: …/upload/v1beta/files?upload_id=U, X-Goog-Upload-Status: active
 *   POST …/upload/v1beta/files?upload_id=U   X-Goog-Upload-Command: upload, finalize,
 *        X-Goog-Upload-Offset: 0, the N bytes
 *     -> 200, X-Goog-Upload-Status: final, {"file": {"name": "files/F", "displayName",
 *        "mimeType", "sizeBytes", "state": "ACTIVE", "uri", …}}
 *   POST /v1beta/models/M:batchGenerateContent
 *        {"batch": {"display_name", "input_config": {"file_name": "files/F"}
 *                   | {"requests": {"requests": [{"request": {…}, "metadata": {"key"}}]}}}}
 *     -> the operation: {"name": "batches/B", "metadata": {"@type": "…GenerateContentBatch",
 *        "name", "displayName", "model", "state": "BATCH_STATE_PENDING", "createTime",
 *        "updateTime", "batchStats": {"requestCount", …}}}
 *   GET  /v1beta/batches/B      the same; RUNNING, then "done": true with "response":
 *        {"@type": "…GenerateContentBatchOutput", "responsesFile": "files/R"} (from a file)
 *        or {"inlinedResponses": {"inlinedResponses": [{"metadata": {"key"}, "response"|"error"}]}};
 *        a failed batch: "done": true, "error": {"code", "message", "status"}; an expired one
 *        BATCH_STATE_EXPIRED, done, no output
 *   GET  /v1beta/batches?pageSize=N&pageToken=T   {"operations": [...], "nextPageToken"}
 *   POST /v1beta/batches/B:cancel                 {}; the batch ends CANCELLED, with what it made
 *   GET  /download/v1beta/files/R:download?alt=media   the results, one JSON line per request:
 *        {"key", "response": {GenerateContentResponse}} or {"key", "error": {"code", "message", "status"}}
 *
 * Each request line is answered as generateContent answers it (the answer
 * callback), so the images show their prompt. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "px-fake-batch.h"

#define INLINE_LIMIT (20 * 1024 * 1024)

typedef struct {
  char   *key;
  GBytes *request;
} Line;

typedef struct {
  char               *id;
  char               *display_name;
  char               *model;
  GPtrArray          *lines;        /* Line */
  gboolean            from_file;
  char               *create_time;
  guint               polls_left;
  PxFakeBatchOutcome  outcome;
  char               *state;
  char               *results;      /* the results file's name once done (from a file) */
  GString            *inlined;      /* the inline responses once done (inline) */
  guint               succeeded;
  guint               failed;
  guint               done_lines;   /* answered so far (a cancel keeps them) */
} Batch;

typedef struct {
  char  *display_name;
  gsize  length;
  char  *content_type;
} Upload;

typedef struct {
  char   *name;
  char   *display_name;
  char   *mime_type;
  GBytes *bytes;
} File;

struct _PxFakeBatch
{
  PxFakeBatchAnswer   answer;
  gpointer            answer_data;
  GHashTable         *batches;    /* id -> Batch */
  GPtrArray          *order;      /* ids, newest last */
  GHashTable         *uploads;    /* upload id -> Upload */
  GHashTable         *files;      /* "files/F" -> File */
  guint               polls;
  PxFakeBatchOutcome  outcome;
  guint               failing;    /* every Nth line fails; 0: none */
  guint               download_stall_ms; /* > 0: half a results file, then this wait */
  gboolean            log;        /* each batch made and results download, on stderr */
  guint               created;
  guint               uploaded;
  guint               serial;
};

static void
line_free (Line *line)
{
  g_free (line->key);
  g_bytes_unref (line->request);
  g_free (line);
}

static void
batch_free (Batch *batch)
{
  g_free (batch->id);
  g_free (batch->display_name);
  g_free (batch->model);
  g_ptr_array_unref (batch->lines);
  g_free (batch->create_time);
  g_free (batch->state);
  g_free (batch->results);
  if (batch->inlined != NULL)
    g_string_free (batch->inlined, TRUE);
  g_free (batch);
}

static void
upload_free (Upload *upload)
{
  g_free (upload->display_name);
  g_free (upload->content_type);
  g_free (upload);
}

static void
file_free (File *file)
{
  g_free (file->name);
  g_free (file->display_name);
  g_free (file->mime_type);
  g_bytes_unref (file->bytes);
  g_free (file);
}

PxFakeBatch *
px_fake_batch_new (PxFakeBatchAnswer answer,
                   gpointer          data)
{
  PxFakeBatch *batch = g_new0 (PxFakeBatch, 1);

  batch->answer = answer;
  batch->answer_data = data;
  batch->batches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) batch_free);
  batch->order = g_ptr_array_new_with_free_func (g_free);
  batch->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) upload_free);
  batch->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) file_free);
  batch->polls = 1;
  return batch;
}

void
px_fake_batch_free (PxFakeBatch *batch)
{
  g_hash_table_unref (batch->batches);
  g_ptr_array_unref (batch->order);
  g_hash_table_unref (batch->uploads);
  g_hash_table_unref (batch->files);
  g_free (batch);
}

void
px_fake_batch_set_polls (PxFakeBatch *batch,
                         guint        polls)
{
  batch->polls = polls;
}

void
px_fake_batch_set_outcome (PxFakeBatch        *batch,
                           PxFakeBatchOutcome  outcome)
{
  batch->outcome = outcome;
}

void
px_fake_batch_set_failing (PxFakeBatch *batch,
                           guint        every)
{
  batch->failing = every;
}

void
px_fake_batch_set_download_stall (PxFakeBatch *batch,
                                  guint        stall_ms)
{
  batch->download_stall_ms = stall_ms;
}

void
px_fake_batch_set_log (PxFakeBatch *batch,
                       gboolean     log)
{
  batch->log = log;
}

guint
px_fake_batch_get_created (PxFakeBatch *batch)
{
  return batch->created;
}

guint
px_fake_batch_get_uploads (PxFakeBatch *batch)
{
  return batch->uploaded;
}

static Reply *
json_reply (JsonBuilder *builder)
{
  return px_fake_reply_new (200, "application/json; charset=UTF-8", px_fake_builder_to_bytes (builder));
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint        value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  /* int64 fields are strings in the proto JSON mapping. */
  add_string (builder, name, text);
}

static char *
now_rfc3339 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;

  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : NULL;
}

/* A member written either way the proto JSON mapping allows. */
static JsonNode *
member (JsonObject *object,
        const char *snake,
        const char *camel)
{
  if (object == NULL)
    return NULL;
  if (json_object_has_member (object, snake))
    return json_object_get_member (object, snake);
  return json_object_has_member (object, camel) ? json_object_get_member (object, camel) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *snake,
               const char *camel)
{
  JsonNode *node = member (object, snake, camel);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *snake,
               const char *camel)
{
  JsonNode *node = member (object, snake, camel);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static GBytes *
node_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* ---- files ---- */

static Reply *
file_json (File *file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = now_rfc3339 ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_begin_object (builder);
  add_string (builder, "name", file->name);
  add_string (builder, "displayName", file->display_name ? file->display_name : "");
  add_string (builder, "mimeType", file->mime_type);
  add_count (builder, "sizeBytes", (guint) g_bytes_get_size (file->bytes));
  add_string (builder, "createTime", created);
  add_string (builder, "state", "ACTIVE");
  add_string (builder, "source", "UPLOADED");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_reply (builder);
}

static Reply *
upload_start (PxFakeBatch       *self,
              const char        *base_url,
              SoupServerMessage *msg,
              GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *length = soup_message_headers_get_one (headers, "X-Goog-Upload-Header-Content-Length");
  const char *type = soup_message_headers_get_one (headers, "X-Goog-Upload-Header-Content-Type");
  g_autoptr(JsonObject) object = parse_object (body);
  JsonObject *file = object_member (object, "file", "file");
  Upload *upload;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  Reply *reply;

  if (length == NULL || g_ascii_strtoull (length, NULL, 10) == 0)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Upload has no X-Goog-Upload-Header-Content-Length.", NULL);
  upload = g_new0 (Upload, 1);
  upload->length = g_ascii_strtoull (length, NULL, 10);
  upload->content_type = g_strdup (type ? type : "application/octet-stream");
  upload->display_name = g_strdup (string_member (file, "display_name", "displayName"));
  id = g_strdup_printf ("AUpload%u", ++self->serial);
  g_hash_table_insert (self->uploads, g_strdup (id), upload);

  url = g_strdup_printf ("%s/upload/v1beta/files?upload_id=%s&upload_protocol=resumable", base_url, id);
  reply = px_fake_reply_new (200, "text/plain; charset=utf-8", g_bytes_new_static ("", 0));
  px_fake_reply_set_header (reply, "X-Goog-Upload-URL", url);
  px_fake_reply_set_header (reply, "X-Goog-Upload-Status", "active");
  px_fake_reply_set_header (reply, "X-Goog-Upload-Chunk-Granularity", "8388608");
  return reply;
}

static Reply *
upload_finish (PxFakeBatch       *self,
               SoupServerMessage *msg,
               const char        *upload_id,
               GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *command = soup_message_headers_get_one (headers, "X-Goog-Upload-Command");
  const char *offset = soup_message_headers_get_one (headers, "X-Goog-Upload-Offset");
  Upload *upload = g_hash_table_lookup (self->uploads, upload_id);
  File *file;
  Reply *reply;

  if (upload == NULL)
    return px_fake_google_error (404, "NOT_FOUND", "The upload session was not found or has expired.", NULL);
  if (command == NULL || strstr (command, "upload") == NULL || strstr (command, "finalize") == NULL ||
      offset == NULL || g_ascii_strtoull (offset, NULL, 10) != 0)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Expected X-Goog-Upload-Command: upload, finalize at offset 0.", NULL);
  if (body == NULL || g_bytes_get_size (body) != upload->length)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "The upload's size differs from the size announced.", NULL);

  file = g_new0 (File, 1);
  file->name = g_strdup_printf ("files/%s-%u", "jsonl", ++self->serial);
  file->display_name = g_strdup (upload->display_name);
  file->mime_type = g_strdup (upload->content_type);
  file->bytes = g_bytes_ref (body);
  g_hash_table_insert (self->files, file->name, file);
  g_hash_table_remove (self->uploads, upload_id);
  self->uploaded++;
  reply = file_json (file);
  px_fake_reply_set_header (reply, "X-Goog-Upload-Status", "final");
  return reply;
}

/* ---- batches ---- */

static const char *
state_name (Batch *batch)
{
  return batch->state;
}

static gboolean
batch_done (Batch *batch)
{
  return !g_str_equal (batch->state, "BATCH_STATE_PENDING") && !g_str_equal (batch->state, "BATCH_STATE_RUNNING");
}

static void
add_operation (JsonBuilder *builder,
               Batch       *batch)
{
  g_autofree char *name = g_strdup_printf ("batches/%s", batch->id);
  g_autofree char *model = g_strdup_printf ("models/%s", batch->model);
  g_autofree char *updated = now_rfc3339 ();

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  add_string (builder, "@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch");
  add_string (builder, "model", model);
  add_string (builder, "displayName", batch->display_name);
  add_string (builder, "createTime", batch->create_time);
  add_string (builder, "updateTime", updated);
  json_builder_set_member_name (builder, "batchStats");
  json_builder_begin_object (builder);
  add_count (builder, "requestCount", batch->lines->len);
  if (batch_done (batch))
    {
      add_count (builder, "successfulRequestCount", batch->succeeded);
      add_count (builder, "failedRequestCount", batch->failed);
    }
  add_count (builder, "pendingRequestCount", batch->lines->len - batch->succeeded - batch->failed);
  json_builder_end_object (builder);
  add_string (builder, "state", state_name (batch));
  add_string (builder, "name", name);
  json_builder_end_object (builder);

  if (batch_done (batch))
    {
      json_builder_set_member_name (builder, "done");
      json_builder_add_boolean_value (builder, TRUE);
      if (g_str_equal (batch->state, "BATCH_STATE_FAILED"))
        {
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, 13);
          add_string (builder, "message", "Batch processing failed: an internal error occurred. Please retry.");
          json_builder_end_object (builder);
        }
      else if (batch->results != NULL || batch->inlined != NULL)
        {
          json_builder_set_member_name (builder, "response");
          json_builder_begin_object (builder);
          add_string (builder, "@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput");
          if (batch->results != NULL)
            add_string (builder, "responsesFile", batch->results);
          else
            {
              g_autoptr(JsonParser) parser = json_parser_new ();

              /* Already JSON: {"inlinedResponses": [...]}. */
              json_parser_load_from_data (parser, batch->inlined->str, batch->inlined->len, NULL);
              json_builder_set_member_name (builder, "inlinedResponses");
              json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
            }
          json_builder_end_object (builder);
        }
    }
  json_builder_end_object (builder);
}

static Reply *
operation_reply (Batch *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_operation (builder, batch);
  return json_reply (builder);
}

/* Answers lines from done_lines up to @upto, as generateContent would. */
static void
answer_lines (PxFakeBatch *self,
              Batch       *batch,
              guint        upto,
              GString     *out)
{
  for (guint i = batch->done_lines; i < upto; i++)
    {
      Line *line = g_ptr_array_index (batch->lines, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      g_autoptr(Reply) reply = NULL;
      gboolean fails = self->failing > 0 && (i + 1) % self->failing == 0;
      JsonObject *answer = NULL;

      if (!fails)
        reply = self->answer (self->answer_data, batch->model, line->request);
      if (reply != NULL && reply->status == 200)
        answer = parse_object (reply->body);

      json_builder_begin_object (builder);
      if (batch->from_file)
        add_string (builder, "key", line->key);
      else
        {
          json_builder_set_member_name (builder, "metadata");
          json_builder_begin_object (builder);
          add_string (builder, "key", line->key);
          json_builder_end_object (builder);
        }
      if (answer != NULL)
        {
          JsonNode *node = json_node_alloc ();

          json_node_init_object (node, answer);
          json_object_unref (answer);
          json_builder_set_member_name (builder, "response");
          json_builder_add_value (builder, node);
          batch->succeeded++;
        }
      else
        {
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, 400);
          add_string (builder, "message", fails ? "Request contains an invalid argument: the prompt was refused."
                                                : "The request could not be answered.");
          add_string (builder, "status", "INVALID_ARGUMENT");
          json_builder_end_object (builder);
          batch->failed++;
        }
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      if (batch->from_file)
        {
          g_string_append (out, text);
          g_string_append_c (out, '\n');
        }
      else
        {
          if (out->len > 1)
            g_string_append_c (out, ',');
          g_string_append (out, text);
        }
    }
  batch->done_lines = MAX (batch->done_lines, upto);
}

/* The batch ends: its answers written where the caller will read them. */
static void
finish (PxFakeBatch *self,
        Batch       *batch,
        const char  *state,
        guint        answered)
{
  GString *out = g_string_new (batch->from_file ? "" : "[");

  answer_lines (self, batch, answered, out);
  if (batch->from_file)
    {
      File *file = g_new0 (File, 1);

      file->name = g_strdup_printf ("files/batch-%s-results", batch->id);
      file->display_name = g_strdup_printf ("%s-results", batch->display_name);
      file->mime_type = g_strdup ("application/jsonl");
      file->bytes = g_string_free_to_bytes (out);
      g_hash_table_insert (self->files, file->name, file);
      batch->results = g_strdup (file->name);
    }
  else
    {
      g_string_append_c (out, ']');
      batch->inlined = g_string_new (NULL);
      g_string_append_printf (batch->inlined, "{\"inlinedResponses\": %s}", out->str);
      g_string_free (out, TRUE);
    }
  g_free (batch->state);
  batch->state = g_strdup (state);
}

static Reply *
create_batch (PxFakeBatch *self,
              const char  *model,
              GBytes      *body)
{
  g_autoptr(JsonObject) object = parse_object (body);
  JsonObject *spec = object_member (object, "batch", "batch");
  JsonObject *input = object_member (spec, "input_config", "inputConfig");
  const char *display_name = string_member (spec, "display_name", "displayName");
  const char *file_name = string_member (input, "file_name", "fileName");
  JsonObject *requests = object_member (input, "requests", "requests");
  Batch *batch;

  if (object == NULL)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Invalid JSON payload received.", NULL);
  if (!g_str_has_prefix (model, "gemini-") || strstr (model, "image") == NULL)
    {
      g_autofree char *message = g_strdup_printf ("models/%s is not found for API version v1beta, or is not "
                                                  "supported for batchGenerateContent.", model);

      return px_fake_google_error (404, "NOT_FOUND", message, NULL);
    }
  if (display_name == NULL || *display_name == '\0')
    return px_fake_google_error (400, "INVALID_ARGUMENT", "* BatchGenerateContentRequest.batch.display_name: "
                                                          "display_name is required", NULL);
  if ((file_name == NULL) == (requests == NULL))
    return px_fake_google_error (400, "INVALID_ARGUMENT", "* BatchGenerateContentRequest.batch.input_config: "
                                                          "exactly one of file_name or requests is required", NULL);
  if (requests != NULL && g_bytes_get_size (body) > INLINE_LIMIT)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Inline requests are limited to 20 MB; upload a file.", NULL);

  batch = g_new0 (Batch, 1);
  batch->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  if (file_name != NULL)
    {
      File *file = g_hash_table_lookup (self->files, file_name);
      gsize length;
      const char *data, *end, *next;

      if (file == NULL)
        {
          batch_free (batch);
          return px_fake_google_error (400, "INVALID_ARGUMENT", "The input file was not found.", NULL);
        }
      batch->from_file = TRUE;
      data = g_bytes_get_data (file->bytes, &length);
      end = data + length;
      for (const char *p = data; p < end; p = next)
        {
          const char *nl = memchr (p, '\n', end - p);
          g_autofree char *text = g_strndup (p, (nl ? nl : end) - p);
          g_autoptr(GBytes) text_bytes = NULL;
          g_autoptr(JsonObject) entry = NULL;
          JsonNode *request;
          Line *line;

          next = nl ? nl + 1 : end;
          if (*g_strstrip (text) == '\0')
            continue;
          text_bytes = g_bytes_new_static (text, strlen (text));
          entry = parse_object (text_bytes);
          request = member (entry, "request", "request");
          if (entry == NULL || request == NULL || string_member (entry, "key", "key") == NULL)
            {
              batch_free (batch);
              return px_fake_google_error (400, "INVALID_ARGUMENT", "Each line of the input file must be a JSON "
                                                                    "object with \"key\" and \"request\".", NULL);
            }
          line = g_new0 (Line, 1);
          line->key = g_strdup (string_member (entry, "key", "key"));
          line->request = node_bytes (request);
          g_ptr_array_add (batch->lines, line);
        }
    }
  else
    {
      JsonNode *list_node = member (requests, "requests", "requests");
      JsonArray *list = list_node && JSON_NODE_HOLDS_ARRAY (list_node) ? json_node_get_array (list_node) : NULL;

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonObject *entry = json_array_get_object_element (list, i);
          JsonObject *metadata = object_member (entry, "metadata", "metadata");
          Line *line = g_new0 (Line, 1);

          line->key = g_strdup (metadata ? string_member (metadata, "key", "key") : NULL);
          if (line->key == NULL)
            line->key = g_strdup_printf ("%u", i);
          line->request = node_bytes (member (entry, "request", "request"));
          g_ptr_array_add (batch->lines, line);
        }
    }
  if (batch->lines->len == 0)
    {
      batch_free (batch);
      return px_fake_google_error (400, "INVALID_ARGUMENT", "The batch has no requests.", NULL);
    }

  batch->id = g_strdup_printf ("%08x%04x", g_random_int (), ++self->serial);
  batch->display_name = g_strdup (display_name);
  batch->model = g_strdup (model);
  batch->create_time = now_rfc3339 ();
  batch->polls_left = self->polls;
  batch->outcome = self->outcome;
  batch->state = g_strdup ("BATCH_STATE_PENDING");
  g_hash_table_insert (self->batches, batch->id, batch);
  g_ptr_array_add (self->order, g_strdup (batch->id));
  self->created++;
  if (self->log)
    g_printerr ("batch created: batches/%s %s\n", batch->id, batch->display_name);
  return operation_reply (batch);
}

/* One poll: pending, running, then its end. */
static Reply *
get_batch (PxFakeBatch *self,
           Batch       *batch)
{
  if (!batch_done (batch))
    {
      if (batch->polls_left > 0)
        {
          batch->polls_left--;
          g_free (batch->state);
          batch->state = g_strdup ("BATCH_STATE_RUNNING");
        }
      else if (batch->outcome == PX_FAKE_BATCH_FAILED)
        {
          g_free (batch->state);
          batch->state = g_strdup ("BATCH_STATE_FAILED");
        }
      else if (batch->outcome == PX_FAKE_BATCH_EXPIRED)
        {
          g_free (batch->state);
          batch->state = g_strdup ("BATCH_STATE_EXPIRED");
        }
      else
        finish (self, batch, "BATCH_STATE_SUCCEEDED", batch->lines->len);
    }
  return operation_reply (batch);
}

static Reply *
list_batches (PxFakeBatch *self,
              SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = g_uri_get_query (uri) ? g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                                             G_URI_PARAMS_NONE, NULL) : NULL;
  const char *size_text = query ? g_hash_table_lookup (query, "pageSize") : NULL;
  const char *token = query ? g_hash_table_lookup (query, "pageToken") : NULL;
  guint size = size_text ? CLAMP (g_ascii_strtoull (size_text, NULL, 10), 1, 1000) : 50;
  guint start = token ? (guint) g_ascii_strtoull (token, NULL, 10) : 0;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint i;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operations");
  json_builder_begin_array (builder);
  /* Newest first, as the service lists them. */
  for (i = start; i < self->order->len && i < start + size; i++)
    add_operation (builder, g_hash_table_lookup (self->batches,
                                                 g_ptr_array_index (self->order, self->order->len - 1 - i)));
  json_builder_end_array (builder);
  if (i < self->order->len)
    {
      g_autofree char *next = g_strdup_printf ("%u", i);

      add_string (builder, "nextPageToken", next);
    }
  json_builder_end_object (builder);
  return json_reply (builder);
}

static Reply *
cancel_batch (PxFakeBatch *self,
              Batch       *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  /* What was made before the cancel is kept and returned: half of it. */
  if (!batch_done (batch))
    finish (self, batch, "BATCH_STATE_CANCELLED", batch->lines->len / 2);
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  return json_reply (builder);
}

static Reply *
download (PxFakeBatch *self,
          const char  *name)
{
  File *file = g_hash_table_lookup (self->files, name);

  Reply *reply;

  if (file == NULL)
    return px_fake_google_error (404, "NOT_FOUND", "File not found.", NULL);
  reply = px_fake_reply_new (200, "application/octet-stream", g_bytes_ref (file->bytes));
  if (self->download_stall_ms > 0)
    {
      reply->cut_at = g_bytes_get_size (file->bytes) / 2;
      reply->stall_ms = self->download_stall_ms;
    }
  if (self->log)
    g_printerr ("results download: %s\n", name);
  return reply;
}

Reply *
px_fake_batch_route (PxFakeBatch       *self,
                     const char        *base_url,
                     const char        *api_key,
                     SoupServerMessage *msg,
                     const char        *path,
                     GBytes            *body)
{
  const char *method = soup_server_message_get_method (msg);
  Reply *reply = NULL;

  if (!g_str_has_prefix (path, "/upload/v1beta/files") && !g_str_has_prefix (path, "/v1beta/batches") &&
      !g_str_has_prefix (path, "/download/v1beta/files/") &&
      !(g_str_has_prefix (path, "/v1beta/models/") && g_str_has_suffix (path, ":batchGenerateContent")))
    return NULL;
  if (!px_fake_google_check_key (api_key, msg, &reply))
    return reply;

  if (g_str_equal (path, "/upload/v1beta/files") && g_str_equal (method, "POST"))
    {
      GUri *uri = soup_server_message_get_uri (msg);
      g_autoptr(GHashTable) query = g_uri_get_query (uri) ? g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                                                 G_URI_PARAMS_NONE, NULL) : NULL;
      const char *upload_id = query ? g_hash_table_lookup (query, "upload_id") : NULL;
      const char *protocol = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                           "X-Goog-Upload-Protocol");

      if (upload_id != NULL)
        return upload_finish (self, msg, upload_id, body);
      if (g_strcmp0 (protocol, "resumable") != 0)
        return px_fake_google_error (400, "INVALID_ARGUMENT", "Only the resumable upload protocol is accepted here.", NULL);
      return upload_start (self, base_url, msg, body);
    }
  if (g_str_has_prefix (path, "/v1beta/models/") && g_str_equal (method, "POST"))
    {
      g_autofree char *model = g_strndup (path + strlen ("/v1beta/models/"),
                                          strlen (path) - strlen ("/v1beta/models/") - strlen (":batchGenerateContent"));

      return create_batch (self, model, body);
    }
  if (g_str_equal (path, "/v1beta/batches") && g_str_equal (method, "GET"))
    return list_batches (self, msg);
  if (g_str_has_prefix (path, "/v1beta/batches/"))
    {
      const char *rest = path + strlen ("/v1beta/batches/");
      g_autofree char *id = g_str_has_suffix (rest, ":cancel") ? g_strndup (rest, strlen (rest) - strlen (":cancel"))
                                                               : g_strdup (rest);
      Batch *batch = g_hash_table_lookup (self->batches, id);

      if (batch == NULL)
        return px_fake_google_error (404, "NOT_FOUND", "Requested entity was not found.", NULL);
      if (g_str_has_suffix (rest, ":cancel") && g_str_equal (method, "POST"))
        return cancel_batch (self, batch);
      if (g_str_equal (method, "GET"))
        return get_batch (self, batch);
    }
  if (g_str_has_prefix (path, "/download/v1beta/files/") && g_str_has_suffix (path, ":download") &&
      g_str_equal (method, "GET"))
    {
      g_autofree char *name = g_strndup (path + strlen ("/download/v1beta/"),
                                         strlen (path) - strlen ("/download/v1beta/") - strlen (":download"));

      return download (self, name);
    }
  return px_fake_google_error (404, "NOT_FOUND", "The requested URL was not found on this server.", NULL);
}
