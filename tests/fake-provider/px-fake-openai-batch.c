/* px-fake-openai-batch.c: OpenAI's Batch API and the Files API it reads,
 * as api.openai.com answers (the openai SDKs' files and batches resources
 * speak exactly this):
 *
 *   POST /v1/files   multipart/form-data: purpose=batch, file=@x.jsonl
 *     -> {"id": "file-…", "object": "file", "bytes", "created_at", "filename", "purpose": "batch"}
 *   POST /v1/batches {"input_file_id", "endpoint": "/v1/images/generations",
 *                     "completion_window": "24h", "metadata": {…}}
 *     -> the batch: {"id": "batch_…", "object": "batch", "endpoint", "errors": null, "input_file_id",
 *        "completion_window", "status": "validating", "output_file_id": null, "error_file_id": null,
 *        "created_at", …, "request_counts": {"total", "completed", "failed"}, "metadata"}
 *   GET  /v1/batches/B          the same: in_progress, then completed (output_file_id: the answers,
 *        error_file_id: the refused lines, if any), failed (errors.data[]: code, message, line)
 *        or expired (what was made, and the rest as error lines, code batch_expired)
 *   POST /v1/batches/B/cancel   cancelling; the next look: cancelled, with what it made
 *   GET  /v1/batches?limit=N&after=B   {"object": "list", "data": [newest first], "first_id",
 *        "last_id", "has_more"}
 *   GET  /v1/files/F/content    the file: one JSON line per request,
 *        {"id": "batch_req_…", "custom_id", "response": {"status_code", "request_id", "body"},
 *        "error": null} or {"id", "custom_id", "response": null, "error": {"code", "message"}}
 *
 * Each line's body is answered as /v1/images/generations answers it (the
 * answer callback), so the images show their prompt. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "px-fake-openai-batch.h"

#define ENDPOINT "/v1/images/generations"

typedef struct {
  char   *id;
  char   *filename;
  char   *purpose;
  GBytes *bytes;
  gint64  created;
} File;

typedef struct {
  char               *id;
  char               *input_file;
  GPtrArray          *lines;        /* JsonObject */
  JsonObject         *metadata;
  char               *status;
  guint               polls_left;
  PxFakeBatchOutcome  outcome;
  char               *output_file;
  char               *error_file;
  guint               completed;
  guint               failed;
  gint64              created;
} Batch;

struct _PxFakeOpenaiBatch
{
  PxFakeOpenaiAnswer  answer;
  gpointer            answer_data;
  GHashTable         *files;      /* id -> File */
  GHashTable         *batches;    /* id -> Batch */
  GPtrArray          *order;      /* batch ids, oldest first */
  guint               polls;
  PxFakeBatchOutcome  outcome;
  guint               failing;
  guint               download_stall_ms;
  gboolean            log;
  guint               created;
  guint               serial;
};

static void
file_free (File *file)
{
  g_free (file->id);
  g_free (file->filename);
  g_free (file->purpose);
  g_bytes_unref (file->bytes);
  g_free (file);
}

static void
batch_free (Batch *batch)
{
  g_free (batch->id);
  g_free (batch->input_file);
  g_ptr_array_unref (batch->lines);
  g_clear_pointer (&batch->metadata, json_object_unref);
  g_free (batch->status);
  g_free (batch->output_file);
  g_free (batch->error_file);
  g_free (batch);
}

PxFakeOpenaiBatch *
px_fake_openai_batch_new (PxFakeOpenaiAnswer answer,
                          gpointer           data)
{
  PxFakeOpenaiBatch *self = g_new0 (PxFakeOpenaiBatch, 1);

  self->answer = answer;
  self->answer_data = data;
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) file_free);
  self->batches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) batch_free);
  self->order = g_ptr_array_new_with_free_func (g_free);
  self->polls = 1;
  return self;
}

void
px_fake_openai_batch_free (PxFakeOpenaiBatch *self)
{
  g_hash_table_unref (self->files);
  g_hash_table_unref (self->batches);
  g_ptr_array_unref (self->order);
  g_free (self);
}

void
px_fake_openai_batch_configure (PxFakeOpenaiBatch  *self,
                                guint               polls,
                                PxFakeBatchOutcome  outcome,
                                guint               failing,
                                guint               download_stall_ms,
                                gboolean            log)
{
  self->polls = polls;
  self->outcome = outcome;
  self->failing = failing;
  self->download_stall_ms = download_stall_ms;
  self->log = log;
}

guint
px_fake_openai_batch_get_created (PxFakeOpenaiBatch *self)
{
  return self->created;
}

/* ---- answers ---- */


static Reply *
error_reply (guint       status,
             const char *message,
             const char *type,
             const char *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "param");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "code");
  if (code != NULL)
    json_builder_add_string_value (builder, code);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return px_fake_json_reply (status, builder);
}


static void
add_file (JsonBuilder *builder,
          File        *file)
{
  json_builder_begin_object (builder);
  px_fake_add_string (builder, "id", file->id);
  px_fake_add_string (builder, "object", "file");
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, g_bytes_get_size (file->bytes));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, file->created);
  px_fake_add_string (builder, "filename", file->filename);
  px_fake_add_string (builder, "purpose", file->purpose);
  json_builder_end_object (builder);
}

static void
add_batch (JsonBuilder *builder,
           Batch       *batch)
{
  json_builder_begin_object (builder);
  px_fake_add_string (builder, "id", batch->id);
  px_fake_add_string (builder, "object", "batch");
  px_fake_add_string (builder, "endpoint", ENDPOINT);
  json_builder_set_member_name (builder, "errors");
  if (g_str_equal (batch->status, "failed"))
    {
      json_builder_begin_object (builder);
      px_fake_add_string (builder, "object", "list");
      json_builder_set_member_name (builder, "data");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      px_fake_add_string (builder, "code", "server_error");
      px_fake_add_string (builder, "message", "The batch failed to run: an internal error occurred.");
      px_fake_add_string (builder, "param", NULL);
      json_builder_set_member_name (builder, "line");
      json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  px_fake_add_string (builder, "input_file_id", batch->input_file);
  px_fake_add_string (builder, "completion_window", "24h");
  px_fake_add_string (builder, "status", batch->status);
  px_fake_add_string (builder, "output_file_id", batch->output_file);
  px_fake_add_string (builder, "error_file_id", batch->error_file);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, batch->created);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, batch->created + 24 * 3600);
  json_builder_set_member_name (builder, "request_counts");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, batch->lines->len);
  json_builder_set_member_name (builder, "completed");
  json_builder_add_int_value (builder, batch->completed);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, batch->failed);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "metadata");
  if (batch->metadata != NULL)
    {
      JsonNode *node = json_node_alloc ();

      json_node_init_object (node, batch->metadata);
      json_builder_add_value (builder, node);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static Reply *
batch_reply (Batch *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_batch (builder, batch);
  return px_fake_json_reply (200, builder);
}

/* ---- files ---- */

static File *
new_file (PxFakeOpenaiBatch *self,
          const char        *filename,
          const char        *purpose,
          GBytes            *bytes)
{
  File *file = g_new0 (File, 1);

  file->id = g_strdup_printf ("file-%08u", ++self->serial);
  file->filename = g_strdup (filename);
  file->purpose = g_strdup (purpose);
  file->bytes = bytes;
  file->created = g_get_real_time () / G_USEC_PER_SEC;
  g_hash_table_insert (self->files, file->id, file);
  return file;
}

static Reply *
upload (PxFakeOpenaiBatch *self,
        SoupServerMessage *msg,
        GBytes            *body)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (
    soup_server_message_get_request_headers (msg), body);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *purpose = NULL;
  g_autofree char *filename = NULL;
  GBytes *content = NULL;

  for (int i = 0; multipart != NULL && i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;

      if (!soup_multipart_get_part (multipart, i, &headers, &part))
        continue;
      if (!soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;
      if (g_strcmp0 (g_hash_table_lookup (params, "name"), "purpose") == 0)
        purpose = g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part));
      else if (g_strcmp0 (g_hash_table_lookup (params, "name"), "file") == 0)
        {
          filename = g_strdup (g_hash_table_lookup (params, "filename"));
          content = part;
        }
    }
  if (multipart == NULL || content == NULL)
    return error_reply (400, "'file' is a required property", "invalid_request_error", NULL);
  if (g_strcmp0 (purpose, "batch") != 0 && g_strcmp0 (purpose, "assistants") != 0 &&
      g_strcmp0 (purpose, "fine-tune") != 0 && g_strcmp0 (purpose, "vision") != 0)
    return error_reply (400, "'purpose' must be one of 'assistants', 'batch', 'fine-tune', 'vision'",
                        "invalid_request_error", NULL);
  add_file (builder, new_file (self, filename ? filename : "upload", purpose, g_bytes_ref (content)));
  return px_fake_json_reply (200, builder);
}

static Reply *
content (PxFakeOpenaiBatch *self,
         const char        *id)
{
  File *file = g_hash_table_lookup (self->files, id);
  Reply *reply;

  if (file == NULL)
    return error_reply (404, "No such File object", "invalid_request_error", NULL);
  reply = px_fake_reply_new (200, "application/octet-stream", g_bytes_ref (file->bytes));
  if (self->download_stall_ms > 0 && g_str_equal (file->purpose, "batch_output"))
    {
      reply->cut_at = g_bytes_get_size (file->bytes) / 2;
      reply->stall_ms = self->download_stall_ms;
    }
  if (self->log)
    g_printerr ("results download: %s\n", id);
  return reply;
}

/* ---- batches ---- */

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_init_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
append_line (GString    *out,
             const char *custom_id,
             guint       status,
             GBytes     *body,
             const char *error_code,
             const char *error_message)
{
  g_autofree char *escaped = g_strescape (custom_id, NULL);

  g_string_append_printf (out, "{\"id\": \"batch_req_%08x\", \"custom_id\": \"%s\", ", g_random_int (), escaped);
  if (body != NULL)
    {
      g_string_append_printf (out, "\"response\": {\"status_code\": %u, \"request_id\": \"req_%08x\", \"body\": ",
                              status, g_random_int ());
      g_string_append_len (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_string_append (out, "}, \"error\": null}\n");
    }
  else
    g_string_append_printf (out, "\"response\": null, \"error\": {\"code\": \"%s\", \"message\": \"%s\"}}\n",
                            error_code, error_message);
}

/* The batch ends: the first @answered lines answered (refused ones to the
 * error file), the rest, when @rest_code, as error lines. */
static void
finish (PxFakeOpenaiBatch *self,
        Batch             *batch,
        const char        *status,
        guint              answered,
        const char        *rest_code,
        const char        *rest_message)
{
  GString *output = g_string_new (NULL);
  GString *errors = g_string_new (NULL);

  for (guint i = 0; i < batch->lines->len; i++)
    {
      JsonObject *line = g_ptr_array_index (batch->lines, i);
      const char *custom_id = json_object_get_string_member_with_default (line, "custom_id", "");
      JsonObject *body = json_object_get_object_member (line, "body");

      if (i >= answered)
        {
          if (rest_code != NULL)
            append_line (errors, custom_id, 0, NULL, rest_code, rest_message);
          continue;
        }
      if (self->failing > 0 && (i + 1) % self->failing == 0)
        {
          static const char refused[] = "{\"error\": {\"message\": \"Your request was rejected as a result of our "
                                        "safety system. Your request may contain content that is not allowed by "
                                        "our safety system.\", \"type\": \"image_generation_user_error\", "
                                        "\"param\": null, \"code\": \"moderation_blocked\"}}";
          g_autoptr(GBytes) bytes = g_bytes_new_static (refused, sizeof refused - 1);

          append_line (errors, custom_id, 400, bytes, NULL, NULL);
          batch->failed++;
        }
      else
        {
          char *text = object_text (body);
          gsize length = strlen (text);
          g_autoptr(GBytes) request = g_bytes_new_take (text, length);
          g_autoptr(Reply) reply = self->answer (self->answer_data, request);

          append_line (reply->status == 200 ? output : errors, custom_id, reply->status, reply->body, NULL, NULL);
          if (reply->status == 200)
            batch->completed++;
          else
            batch->failed++;
        }
    }
  if (output->len > 0)
    {
      g_autofree char *name = g_strdup_printf ("%s_output.jsonl", batch->id);

      batch->output_file = g_strdup (new_file (self, name, "batch_output", g_string_free_to_bytes (output))->id);
    }
  else
    g_string_free (output, TRUE);
  if (errors->len > 0)
    {
      g_autofree char *name = g_strdup_printf ("%s_error.jsonl", batch->id);

      batch->error_file = g_strdup (new_file (self, name, "batch_errors", g_string_free_to_bytes (errors))->id);
    }
  else
    g_string_free (errors, TRUE);
  g_free (batch->status);
  batch->status = g_strdup (status);
}

static Reply *
create_batch (PxFakeOpenaiBatch *self,
              GBytes            *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *input, *endpoint, *window;
  File *file;
  Batch *batch;
  g_auto(GStrv) lines = NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return error_reply (400, "We could not parse the JSON body of your request.", "invalid_request_error", NULL);
  object = json_node_get_object (json_parser_get_root (parser));
  input = json_object_get_string_member_with_default (object, "input_file_id", NULL);
  endpoint = json_object_get_string_member_with_default (object, "endpoint", NULL);
  window = json_object_get_string_member_with_default (object, "completion_window", NULL);
  if (input == NULL || endpoint == NULL || window == NULL)
    return error_reply (400, "Missing required parameter: 'input_file_id', 'endpoint' or 'completion_window'.",
                        "invalid_request_error", NULL);
  if (!g_str_equal (endpoint, ENDPOINT) && !g_str_equal (endpoint, "/v1/chat/completions") &&
      !g_str_equal (endpoint, "/v1/responses"))
    return error_reply (400, "Invalid value for 'endpoint'.", "invalid_request_error", "invalid_value");
  if (!g_str_equal (window, "24h"))
    return error_reply (400, "Invalid value for 'completion_window': only '24h' is supported.",
                        "invalid_request_error", "invalid_value");
  file = g_hash_table_lookup (self->files, input);
  if (file == NULL)
    return error_reply (404, "No such File object", "invalid_request_error", NULL);
  if (!g_str_equal (file->purpose, "batch"))
    return error_reply (400, "The file must be uploaded with purpose 'batch'.", "invalid_request_error", NULL);

  batch = g_new0 (Batch, 1);
  batch->id = g_strdup_printf ("batch_%08x%08x", g_random_int (), ++self->serial);
  batch->input_file = g_strdup (input);
  batch->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  batch->status = g_strdup ("validating");
  batch->polls_left = self->polls;
  batch->outcome = self->outcome;
  batch->created = g_get_real_time () / G_USEC_PER_SEC;
  if (json_object_has_member (object, "metadata") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "metadata")))
    batch->metadata = json_object_ref (json_object_get_object_member (object, "metadata"));
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (file->bytes, NULL), g_bytes_get_size (file->bytes));

    lines = g_strsplit (text, "\n", -1);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) line_parser = json_parser_new ();
      JsonObject *line;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      if (!json_parser_load_from_data (line_parser, lines[i], -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (line_parser)) ||
          !json_object_has_member ((line = json_node_get_object (json_parser_get_root (line_parser))), "custom_id") ||
          g_strcmp0 (json_object_get_string_member_with_default (line, "url", ""), endpoint) != 0 ||
          !json_object_has_member (line, "body") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (line, "body")))
        {
          g_autofree char *message = g_strdup_printf ("Line %u of the input file is not a valid request for %s.",
                                                      i + 1, endpoint);

          batch_free (batch);
          return error_reply (400, message, "invalid_request_error", "invalid_request");
        }
      g_ptr_array_add (batch->lines, json_object_ref (line));
    }
  g_hash_table_insert (self->batches, batch->id, batch);
  g_ptr_array_add (self->order, g_strdup (batch->id));
  self->created++;
  if (self->log)
    g_printerr ("batch created: %s %s\n", batch->id,
                batch->metadata ? json_object_get_string_member_with_default (batch->metadata, "pixmerge_name", "")
                                : "");
  return batch_reply (batch);
}

static gboolean
ended (Batch *batch)
{
  return g_str_equal (batch->status, "completed") || g_str_equal (batch->status, "failed") ||
         g_str_equal (batch->status, "expired") || g_str_equal (batch->status, "cancelled");
}

/* One look: validating, in progress, then its end. */
static Reply *
get_batch (PxFakeOpenaiBatch *self,
           Batch             *batch)
{
  if (ended (batch))
    return batch_reply (batch);
  if (g_str_equal (batch->status, "cancelling"))
    finish (self, batch, "cancelled", batch->lines->len / 2, NULL, NULL);
  else if (batch->polls_left > 0)
    {
      batch->polls_left--;
      g_free (batch->status);
      batch->status = g_strdup ("in_progress");
    }
  else if (batch->outcome == PX_FAKE_BATCH_FAILED)
    {
      g_free (batch->status);
      batch->status = g_strdup ("failed");
    }
  else if (batch->outcome == PX_FAKE_BATCH_EXPIRED)
    finish (self, batch, "expired", 0, "batch_expired",
            "This request could not be executed before the completion window expired.");
  else
    finish (self, batch, "completed", batch->lines->len, NULL, NULL);
  return batch_reply (batch);
}

static Reply *
list_batches (PxFakeOpenaiBatch *self,
              SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = g_uri_get_query (uri) ? g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                                             G_URI_PARAMS_NONE, NULL) : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *after = query ? g_hash_table_lookup (query, "after") : NULL;
  guint limit = limit_text ? CLAMP (g_ascii_strtoull (limit_text, NULL, 10), 1, 100) : 20;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int start = (int) self->order->len - 1;
  const char *first = NULL, *last = NULL;
  guint n = 0;
  int i;

  /* Newest first; after=B starts with the one older than B. */
  if (after != NULL)
    for (i = (int) self->order->len - 1; i >= 0; i--)
      if (g_str_equal (g_ptr_array_index (self->order, i), after))
        start = i - 1;
  json_builder_begin_object (builder);
  px_fake_add_string (builder, "object", "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (i = start; i >= 0 && n < limit; i--, n++)
    {
      Batch *batch = g_hash_table_lookup (self->batches, g_ptr_array_index (self->order, i));

      add_batch (builder, batch);
      first = first ? first : batch->id;
      last = batch->id;
    }
  json_builder_end_array (builder);
  px_fake_add_string (builder, "first_id", first);
  px_fake_add_string (builder, "last_id", last);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, i >= 0);
  json_builder_end_object (builder);
  return px_fake_json_reply (200, builder);
}

Reply *
px_fake_openai_batch_route (PxFakeOpenaiBatch *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            GBytes            *body)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/v1/files") && g_str_equal (method, "POST"))
    return upload (self, msg, body);
  if (g_str_has_prefix (path, "/v1/files/") && g_str_has_suffix (path, "/content") && g_str_equal (method, "GET"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/v1/files/"),
                                       strlen (path) - strlen ("/v1/files/") - strlen ("/content"));

      return content (self, id);
    }
  if (g_str_equal (path, "/v1/batches") && g_str_equal (method, "POST"))
    return create_batch (self, body);
  if (g_str_equal (path, "/v1/batches") && g_str_equal (method, "GET"))
    return list_batches (self, msg);
  if (g_str_has_prefix (path, "/v1/batches/"))
    {
      const char *rest = path + strlen ("/v1/batches/");
      gboolean cancel = g_str_has_suffix (rest, "/cancel");
      g_autofree char *id = cancel ? g_strndup (rest, strlen (rest) - strlen ("/cancel")) : g_strdup (rest);
      Batch *batch = g_hash_table_lookup (self->batches, id);

      if (batch == NULL)
        return error_reply (404, "No batch found with that id.", "invalid_request_error", NULL);
      if (cancel && g_str_equal (method, "POST"))
        {
          if (!ended (batch))
            {
              g_free (batch->status);
              batch->status = g_strdup ("cancelling");
            }
          return batch_reply (batch);
        }
      if (!cancel && g_str_equal (method, "GET"))
        return get_batch (self, batch);
    }
  return NULL;
}
