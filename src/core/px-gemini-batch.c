/* px-gemini-batch.c: the Gemini API's Batch Mode on the wire (see
 * tests/fake-provider/px-fake-batch.c for every exchange): request lines
 * keyed by item, the JSONL uploaded by the resumable protocol, batch jobs
 * made, polled, found again by display name and cancelled, result lines
 * read. The exchanges themselves are px-batch-wire.c's. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-batch-wire-private.h"
#include "px-gemini-provider.h"
#include "px-json.h"

#define LIST_PAGE 100

static const char * const state_names[] = {
  [PX_BATCH_WIRE_PENDING] = "BATCH_STATE_PENDING",
  [PX_BATCH_WIRE_RUNNING] = "BATCH_STATE_RUNNING",
  [PX_BATCH_WIRE_SUCCEEDED] = "BATCH_STATE_SUCCEEDED",
  [PX_BATCH_WIRE_FAILED] = "BATCH_STATE_FAILED",
  [PX_BATCH_WIRE_CANCELLED] = "BATCH_STATE_CANCELLED",
  [PX_BATCH_WIRE_EXPIRED] = "BATCH_STATE_EXPIRED",
};

const char *
px_batch_wire_state_name (PxBatchWireState state)
{
  return state < G_N_ELEMENTS (state_names) ? state_names[state] : "BATCH_STATE_UNSPECIFIED";
}


/* {"key": KEY, "request": GenerateContentRequest}: one line of the input. */
char *
px_gemini_batch_line (const char                *key,
                      const PxGenerationRequest *request,
                      GHashTable                *settings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "request");
  px_gemini_add_request (builder, request, settings);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ---- jobs ---- */

static gint64
count_member (JsonObject *stats,
              const char *name)
{
  JsonNode *node = stats != NULL ? json_object_get_member (stats, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  /* int64 counts come as strings in the proto JSON mapping. */
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return json_node_get_int (node);
}

static PxBatchWireJob *
job_from_operation (JsonObject *operation)
{
  PxBatchWireJob *job = g_new0 (PxBatchWireJob, 1);
  JsonObject *metadata = px_json_object_member (operation, "metadata");
  JsonObject *stats = metadata ? px_json_object_member (metadata, "batchStats") : NULL;
  JsonObject *response = px_json_object_member (operation, "response");
  JsonObject *error = px_json_object_member (operation, "error");
  const char *state = metadata ? px_json_string_member (metadata, "state", "") : "";

  job->name = g_strdup (px_json_string_member (operation, "name", ""));
  job->display_name = g_strdup (metadata ? px_json_string_member (metadata, "displayName", "") : "");
  job->state = PX_BATCH_WIRE_PENDING;
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (state, state_names[i]))
      job->state = i;
  job->done = json_object_get_boolean_member_with_default (operation, "done", FALSE);
  job->requests = count_member (stats, "requestCount");
  job->succeeded = count_member (stats, "successfulRequestCount");
  job->failed = count_member (stats, "failedRequestCount");
  if (response != NULL)
    job->results_file = g_strdup (px_json_string_member (response, "responsesFile", NULL));
  if (error != NULL)
    job->error = g_strdup (px_json_string_member (error, "message", NULL));
  return job;
}

static gpointer
handle_operation (PxBatchWire  *self,
                  SoupMessage    *message,
                  GBytes         *body,
                  GError        **error)
{
  g_autoptr(JsonObject) operation = px_provider_parse_json_object (body, self->info->name, error);

  return operation != NULL ? job_from_operation (operation) : NULL;
}

static gpointer
handle_empty (PxBatchWire  *self,
              SoupMessage    *message,
              GBytes         *body,
              GError        **error)
{
  return NULL;
}

void
px_gemini_batch_create_async (PxBatchWire       *self,
                              const char          *model_id,
                              const char          *display_name,
                              const char          *file_name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("%s/v1beta/models/%s:batchGenerateContent", self->base_url, model_id);
  g_autoptr(GBytes) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "batch");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "display_name");
  json_builder_add_string_value (builder, display_name);
  json_builder_set_member_name (builder, "input_config");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file_name");
  json_builder_add_string_value (builder, file_name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = px_batch_wire_builder_bytes (builder);
  px_batch_wire_start_url_call (self, "POST", url, body, handle_operation, (GDestroyNotify) px_batch_wire_job_free,
                  px_gemini_batch_create_async, cancellable, callback, user_data);
}

void
px_gemini_batch_get_async (PxBatchWire       *self,
                           const char          *name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/%s", self->base_url, name);

  px_batch_wire_start_url_call (self, "GET", url, NULL, handle_operation, (GDestroyNotify) px_batch_wire_job_free,
                  px_gemini_batch_get_async, cancellable, callback, user_data);
}

void
px_gemini_batch_cancel_async (PxBatchWire       *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/%s:cancel", self->base_url, name);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

  px_batch_wire_start_url_call (self, "POST", url, body, handle_empty, NULL, px_gemini_batch_cancel_async,
                  cancellable, callback, user_data);
}

/* A page of the list (newest first): the operation whose display name is
 * @wanted, else the next page's address. */
static PxBatchWireJob *
scan_page (PxBatchWire  *self,
           JsonObject   *page,
           const char   *wanted,
           char        **next_url)
{
  JsonArray *operations = json_object_has_member (page, "operations") ? px_json_array_member (page, "operations")
                                                                       : NULL;
  const char *next;

  for (guint i = 0; operations != NULL && i < json_array_get_length (operations); i++)
    {
      JsonObject *operation = px_json_object_element (operations, i);
      JsonObject *metadata = operation ? px_json_object_member (operation, "metadata") : NULL;

      if (metadata != NULL && g_strcmp0 (px_json_string_member (metadata, "displayName", NULL), wanted) == 0)
        return job_from_operation (operation);
    }
  next = px_json_string_member (page, "nextPageToken", NULL);
  if (next != NULL && *next != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (next, NULL, FALSE);

      *next_url = g_strdup_printf ("%s/v1beta/batches?pageSize=%d&pageToken=%s", self->base_url, LIST_PAGE, escaped);
    }
  return NULL;
}

void
px_gemini_batch_find_async (PxBatchWire         *self,
                            const char          *display_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/batches?pageSize=%d", self->base_url, LIST_PAGE);

  px_batch_wire_find_in_list (self, url, scan_page, display_name, px_gemini_batch_find_async, cancellable,
                              callback, user_data);
}

/* ---- upload: the resumable protocol, in one go ---- */

typedef struct {
  PxBatchWire *self;
  GBytes        *jsonl;
} Upload;

static void
upload_free (Upload *upload)
{
  g_bytes_unref (upload->jsonl);
  g_free (upload);
}

static gpointer
handle_started (PxBatchWire  *self,
                SoupMessage    *message,
                GBytes         *body,
                GError        **error)
{
  const char *url = soup_message_headers_get_one (soup_message_get_response_headers (message), "X-Goog-Upload-URL");

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s did not say where to upload the batch."), self->info->name);
      return NULL;
    }
  return g_strdup (url);
}

static gpointer
handle_uploaded (PxBatchWire  *self,
                 SoupMessage    *message,
                 GBytes         *body,
                 GError        **error)
{
  g_autoptr(JsonObject) answer = px_provider_parse_json_object (body, self->info->name, error);
  JsonObject *file = answer ? px_json_object_member (answer, "file") : NULL;
  const char *name = file ? px_json_string_member (file, "name", NULL) : NULL;

  if (answer == NULL)
    return NULL;
  if (name == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s took the batch's file but did not name it."), self->info->name);
      return NULL;
    }
  return g_strdup (name);
}

static void
on_uploaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *name = g_task_propagate_pointer (G_TASK (result), &error);

  if (name == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, name, g_free);
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *url = g_task_propagate_pointer (G_TASK (result), &error);
  SoupMessage *message;

  if (url != NULL)
    {
      message = px_batch_wire_new_message (upload->self, "POST", url, "application/jsonl", upload->jsonl, &error);
      if (message != NULL)
        {
          soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Command",
                                        "upload, finalize");
          soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Offset", "0");
          px_batch_wire_start_call (upload->self, message, handle_uploaded, g_free, on_started, g_task_get_cancellable (task),
                      on_uploaded, task);
          return;
        }
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The JSONL goes up as a file; its name ("files/…") comes back. */
void
px_gemini_batch_upload_async (PxBatchWire       *self,
                              GBytes              *jsonl,
                              const char          *display_name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Upload *upload = g_new0 (Upload, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("%s/upload/v1beta/files", self->base_url);
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (jsonl));
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  SoupMessage *message;

  g_task_set_source_tag (task, px_gemini_batch_upload_async);
  upload->self = self;
  upload->jsonl = g_bytes_ref (jsonl);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "display_name");
  json_builder_add_string_value (builder, display_name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = px_batch_wire_builder_bytes (builder);

  message = px_batch_wire_new_message (self, "POST", url, "application/json", body, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Protocol", "resumable");
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Command", "start");
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Header-Content-Length",
                                length);
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Header-Content-Type",
                                "application/jsonl");
  px_batch_wire_start_call (self, message, handle_started, g_free, px_gemini_batch_upload_async, cancellable, on_started, task);
}

/* ---- one line of the results ---- */

/* Reads one results line: its key, and its images (checked as a direct
 * answer's are) or the provider's error for that request. */
gboolean
px_gemini_batch_read_line (PxBatchWire       *self,
                           const char          *line,
                           gsize                length,
                           char               **key,
                           PxGenerationResult  *result,
                           GError             **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (line, length);
  g_autoptr(JsonObject) object = px_provider_parse_json_object (bytes, self->info->name, error);
  JsonObject *response, *failure;

  if (object == NULL)
    return FALSE;
  *key = g_strdup (px_json_string_member (object, "key", NULL));
  if (*key == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent a batch result without its key."), self->info->name);
      return FALSE;
    }
  failure = px_json_object_member (object, "error");
  if (failure != NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("%s could not make this image: %s"), self->info->name,
                   px_json_string_member (failure, "message", _("no reason given")));
      return FALSE;
    }
  response = px_json_object_member (object, "response");
  if (response == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent a batch result with neither an answer nor an error."), self->info->name);
      return FALSE;
    }
  return px_batch_wire_take_answer (self, response, result, error);
}
