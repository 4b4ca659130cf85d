/* px-openai-batch.c: OpenAI's Batch API on the wire, for image generation
 * (its SDKs list /v1/images/generations among the batch endpoints): each
 * line {"custom_id", "method", "url", "body"}, the JSONL uploaded through
 * the Files API with purpose "batch", a batch made from it with the display
 * name in its metadata (how a batch whose id was lost is found again),
 * polled, cancelled; its output file holds the answers and its error file
 * the failed lines, each {"custom_id", "response": {"status_code", "body"},
 * "error"}. The exchanges themselves are px-batch-wire.c's. See
 * tests/fake-provider/px-fake-openai-batch.c for every exchange. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-batch-wire-private.h"
#include "px-json.h"
#include "px-openai-provider.h"

#define ENDPOINT "/v1/images/generations"
#define NAME_KEY "pixmerge_name"
#define LIST_PAGE 100

char *
px_openai_batch_line (const char                *key,
                      const PxModel             *model,
                      const PxGenerationRequest *request,
                      GHashTable                *settings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "custom_id");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "POST");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, ENDPOINT);
  json_builder_set_member_name (builder, "body");
  px_openai_add_generation (builder, model, request, settings);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ---- jobs ---- */

static PxBatchWireJob *
job_from_batch (JsonObject *batch)
{
  PxBatchWireJob *job = g_new0 (PxBatchWireJob, 1);
  JsonObject *metadata = px_json_object_member (batch, "metadata");
  JsonObject *counts = px_json_object_member (batch, "request_counts");
  JsonObject *errors = px_json_object_member (batch, "errors");
  JsonArray *data = errors ? px_json_array_member (errors, "data") : NULL;
  const char *status = px_json_string_member (batch, "status", "");

  job->name = g_strdup (px_json_string_member (batch, "id", ""));
  job->display_name = g_strdup (metadata ? px_json_string_member (metadata, NAME_KEY, "") : "");
  /* validating, in_progress, finalizing, cancelling: not ended yet. */
  if (g_str_equal (status, "validating"))
    job->state = PX_BATCH_WIRE_PENDING;
  else if (g_str_equal (status, "completed"))
    job->state = PX_BATCH_WIRE_SUCCEEDED;
  else if (g_str_equal (status, "failed"))
    job->state = PX_BATCH_WIRE_FAILED;
  else if (g_str_equal (status, "expired"))
    job->state = PX_BATCH_WIRE_EXPIRED;
  else if (g_str_equal (status, "cancelled"))
    job->state = PX_BATCH_WIRE_CANCELLED;
  else
    job->state = PX_BATCH_WIRE_RUNNING;
  job->done = job->state >= PX_BATCH_WIRE_SUCCEEDED;
  job->requests = px_json_int_member (counts, "total", 0);
  job->succeeded = px_json_int_member (counts, "completed", 0);
  job->failed = px_json_int_member (counts, "failed", 0);
  job->results_file = g_strdup (px_json_string_member (batch, "output_file_id", NULL));
  job->errors_file = g_strdup (px_json_string_member (batch, "error_file_id", NULL));
  if (data != NULL && json_array_get_length (data) > 0)
    {
      JsonObject *first = px_json_object_element (data, 0);

      job->error = g_strdup (first ? px_json_string_member (first, "message", NULL) : NULL);
    }
  return job;
}

static gpointer
handle_batch (PxBatchWire  *self,
              SoupMessage  *message,
              GBytes       *body,
              GError      **error)
{
  g_autoptr(JsonObject) batch = px_provider_parse_json_object (body, self->info->name, error);

  return batch != NULL ? job_from_batch (batch) : NULL;
}

void
px_openai_batch_create_async (PxBatchWire         *self,
                              const char          *model_id,
                              const char          *display_name,
                              const char          *file_name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("%s/batches", self->base_url);
  g_autoptr(GBytes) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input_file_id");
  json_builder_add_string_value (builder, file_name);
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, ENDPOINT);
  json_builder_set_member_name (builder, "completion_window");
  json_builder_add_string_value (builder, "24h");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, NAME_KEY);
  json_builder_add_string_value (builder, display_name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = px_batch_wire_builder_bytes (builder);
  px_batch_wire_start_url_call (self, "POST", url, body, handle_batch, (GDestroyNotify) px_batch_wire_job_free,
                                px_openai_batch_create_async, cancellable, callback, user_data);
}

void
px_openai_batch_get_async (PxBatchWire         *self,
                           const char          *name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/batches/%s", self->base_url, escaped);

  px_batch_wire_start_url_call (self, "GET", url, NULL, handle_batch, (GDestroyNotify) px_batch_wire_job_free,
                                px_openai_batch_get_async, cancellable, callback, user_data);
}

void
px_openai_batch_cancel_async (PxBatchWire         *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/batches/%s/cancel", self->base_url, escaped);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

  px_batch_wire_start_url_call (self, "POST", url, body, handle_batch, (GDestroyNotify) px_batch_wire_job_free,
                                px_openai_batch_cancel_async, cancellable, callback, user_data);
}

/* A page of the list (newest first): the batch whose metadata holds
 * @wanted, else the next page's address. */
static PxBatchWireJob *
scan_page (PxBatchWire  *self,
           JsonObject   *page,
           const char   *wanted,
           char        **next_url)
{
  JsonArray *data = px_json_array_member (page, "data");
  const char *last = px_json_string_member (page, "last_id", NULL);

  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *batch = px_json_object_element (data, i);
      JsonObject *metadata = batch ? px_json_object_member (batch, "metadata") : NULL;

      if (metadata != NULL && g_strcmp0 (px_json_string_member (metadata, NAME_KEY, NULL), wanted) == 0)
        return job_from_batch (batch);
    }
  if (json_object_get_boolean_member_with_default (page, "has_more", FALSE) && last != NULL && *last != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (last, NULL, FALSE);

      *next_url = g_strdup_printf ("%s/batches?limit=%d&after=%s", self->base_url, LIST_PAGE, escaped);
    }
  return NULL;
}

void
px_openai_batch_find_async (PxBatchWire         *self,
                            const char          *display_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/batches?limit=%d", self->base_url, LIST_PAGE);

  px_batch_wire_find_in_list (self, url, scan_page, display_name, px_openai_batch_find_async, cancellable,
                              callback, user_data);
}

/* ---- upload: the Files API, purpose "batch" ---- */

static gpointer
handle_file (PxBatchWire  *self,
             SoupMessage  *message,
             GBytes       *body,
             GError      **error)
{
  g_autoptr(JsonObject) file = px_provider_parse_json_object (body, self->info->name, error);
  const char *id = file ? px_json_string_member (file, "id", NULL) : NULL;

  if (file == NULL)
    return NULL;
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s took the batch's file but did not name it."), self->info->name);
      return NULL;
    }
  return g_strdup (id);
}

void
px_openai_batch_upload_async (PxBatchWire         *self,
                              GBytes              *jsonl,
                              const char          *display_name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/files", self->base_url);
  g_autofree char *filename = g_strconcat (display_name, ".jsonl", NULL);
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  SoupMessage *message;

  soup_multipart_append_form_string (multipart, "purpose", "batch");
  soup_multipart_append_form_file (multipart, "file", filename, "application/jsonl", jsonl);
  message = soup_message_new_from_multipart (url, multipart);
  if (message == NULL)
    {
      GTask *task = g_task_new (NULL, cancellable, callback, user_data);
      PxProviderContext context = px_batch_wire_context (self);
      GError *error = NULL;

      px_provider_set_invalid_url_error (&context, &error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  px_batch_wire_set_auth (self, message);
  px_batch_wire_start_call (self, message, handle_file, g_free, px_openai_batch_upload_async, cancellable, callback,
                            user_data);
}

/* ---- one line of the output or error file ---- */

gboolean
px_openai_batch_read_line (PxBatchWire        *self,
                           const char         *line,
                           gsize               length,
                           char              **key,
                           PxGenerationResult *result,
                           GError            **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (line, length);
  g_autoptr(JsonObject) object = px_provider_parse_json_object (bytes, self->info->name, error);
  JsonObject *response, *failure, *body;
  gint64 status;

  if (object == NULL)
    return FALSE;
  *key = g_strdup (px_json_string_member (object, "custom_id", NULL));
  if (*key == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent a batch result without its key."), self->info->name);
      return FALSE;
    }
  /* A line the batch never ran (it expired, it was cancelled). */
  failure = px_json_object_member (object, "error");
  if (failure != NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("%s could not make this image: %s"), self->info->name,
                   px_json_string_member (failure, "message", _("no reason given")));
      return FALSE;
    }
  response = px_json_object_member (object, "response");
  body = response ? px_json_object_member (response, "body") : NULL;
  if (body == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent a batch result with neither an answer nor an error."), self->info->name);
      return FALSE;
    }
  /* A line that ran and was refused: the error body a direct request gets. */
  status = px_json_int_member (response, "status_code", 0);
  if (status < 200 || status >= 300)
    {
      g_autoptr(GBytes) answer = px_batch_wire_object_bytes (body);

      g_propagate_error (error, px_batch_wire_map_error (self, (guint) status, NULL, answer));
      return FALSE;
    }
  return px_batch_wire_take_answer (self, body, result, error);
}
