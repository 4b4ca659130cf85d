/* px-batch-wire.c: what the providers' batch engines share on the wire:
 * one exchange with the engine's session and limits, errors in the
 * provider's words without the key, results files streamed to disk under
 * the HTTP limits, and each result checked as a direct answer is; and the
 * calls a provider batch makes, passed to the Gemini API's Batch Mode
 * (px-gemini-batch.c) or OpenAI's Batch API (px-openai-batch.c). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-batch-wire-private.h"
#include "px-catalog.h"
#include "px-http.h"
#include "px-image-check.h"
#include "px-json.h"

/* The batch engine of @provider_id ("gemini" or "openai"), with the
 * engine's address and key for it as they are now. */
PxBatchWire *
px_batch_wire_new (PxEngine   *engine,
                   const char *provider_id)
{
  PxBatchWire *self = g_new0 (PxBatchWire, 1);

  g_return_val_if_fail (px_batch_wire_supports_provider (provider_id), NULL);

  self->engine = g_object_ref (engine);
  self->openai = g_str_equal (provider_id, "openai");
  self->info = px_catalog_lookup_provider (px_engine_get_catalog (engine), provider_id);
  self->provider = px_provider_new_for_wire (self->openai ? "openai" : "gemini");
  self->base_url = px_engine_get_base_url (engine, provider_id);
  self->api_key = px_engine_dup_api_key (engine, provider_id);
  return self;
}

gboolean
px_batch_wire_supports_provider (const char *provider_id)
{
  return g_strcmp0 (provider_id, "gemini") == 0 || g_strcmp0 (provider_id, "openai") == 0;
}

void
px_batch_wire_free (PxBatchWire *self)
{
  if (self == NULL)
    return;
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self->base_url);
  g_clear_object (&self->provider);
  g_clear_object (&self->engine);
  g_free (self);
}

void
px_batch_wire_job_free (PxBatchWireJob *job)
{
  if (job == NULL)
    return;
  g_free (job->name);
  g_free (job->display_name);
  g_free (job->results_file);
  g_free (job->errors_file);
  g_free (job->error);
  g_free (job);
}

PxProviderContext
px_batch_wire_context (PxBatchWire *self)
{
  return (PxProviderContext) { .info = self->info, .base_url = self->base_url, .api_key = self->api_key };
}

void
px_batch_wire_set_auth (PxBatchWire *self,
                        SoupMessage *message)
{
  if (self->api_key == NULL || *self->api_key == '\0')
    return;
  if (self->openai)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
  else
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", self->api_key);
}

/* An error answer in the provider's own words, without the key. */
GError *
px_batch_wire_map_error (PxBatchWire        *self,
                         guint               status,
                         SoupMessageHeaders *headers,
                         GBytes             *body)
{
  PxProviderContext context = px_batch_wire_context (self);
  GError *mapped = self->openai ? px_provider_map_error (self->provider, &context, status, headers, body, NULL)
                                : px_provider_google_error (self->provider, &context, status, headers, body, NULL);

  px_provider_scrub_key (mapped, self->api_key);
  return mapped;
}


void
px_batch_wire_call_free (Call *call)
{
  g_clear_object (&call->message);
  g_free (call->wanted);
  g_free (call);
}

SoupMessage *
px_batch_wire_new_message (PxBatchWire    *self,
             const char     *method,
             const char     *url,
             const char     *content_type,
             GBytes         *body,
             GError        **error)
{
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    {
      PxProviderContext context = px_batch_wire_context (self);

      px_provider_set_invalid_url_error (&context, error);
      return NULL;
    }
  px_batch_wire_set_auth (self, message);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);
  return message;
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = px_http_send_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (call->message);
  gpointer answer;

  if (body == NULL)
    {
      GError *mapped = px_engine_transport_error (call->self->info, call->self->base_url, error);

      px_provider_scrub_key (mapped, call->self->api_key);
      g_task_return_error (task, mapped);
      return;
    }
  if (status < 200 || status >= 300)
    {
      GError *mapped = px_batch_wire_map_error (call->self, status, soup_message_get_response_headers (call->message),
                                                body);

      g_task_return_error (task, mapped);
      return;
    }
  answer = call->handle (call->self, call->message, body, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer, call->free_result);
}

static void
send_call (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  PxHttpLimits limits;

  px_http_limits_init (&limits);
  px_http_send_async (px_engine_get_session (call->self->engine), call->message, &limits,
                      g_task_get_cancellable (task), on_answer, task);
}

void
px_batch_wire_start_call (PxBatchWire       *self,
            SoupMessage         *message,
            Handle               handle,
            GDestroyNotify       free_result,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  call->self = self;
  call->message = message;
  call->handle = handle;
  call->free_result = free_result;
  g_task_set_task_data (task, call, (GDestroyNotify) px_batch_wire_call_free);
  send_call (task);
}

static void
fail_now (gpointer             source_tag,
          GError              *error,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Builds the message to @url (with @body as JSON, if any) and sends it;
 * its answer goes to @handle. */
void
px_batch_wire_start_url_call (PxBatchWire       *self,
                const char          *method,
                const char          *url,
                GBytes              *body,
                Handle               handle,
                GDestroyNotify       free_result,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GError *error = NULL;
  SoupMessage *message = px_batch_wire_new_message (self, method, url, body ? "application/json" : NULL, body, &error);

  if (message == NULL)
    fail_now (source_tag, error, callback, user_data);
  else
    px_batch_wire_start_call (self, message, handle, free_result, source_tag, cancellable, callback, user_data);
}

GBytes *
px_batch_wire_builder_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

PxBatchWireJob *
px_batch_wire_job_finish (PxBatchWire  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
px_batch_wire_upload_finish (PxBatchWire  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- download: streamed to the file ---- */

#define DOWNLOAD_PIECE (256 * 1024)

/* Read a piece at a time with the engine's limits: no answer within
 * headers_ms, or a pause in the body longer than idle_ms, and the download
 * stops with a timeout (a stalled file would otherwise hang the batch). */
typedef struct {
  PxBatchWire *self;
  SoupMessage   *message;
  GFile         *to;
  GInputStream  *in;
  GOutputStream *out;
  GCancellable  *cancellable;   /* ours: the caller's, or a limit reached */
  gulong         caller_handler;
  GCancellable  *caller;
  GSource       *timer;
  PxHttpLimits   limits;
  const char    *timed_out;     /* "headers", "idle", or NULL */
  guint64        total;
  guint8        *piece;
} Download;

static void
stop_timer (Download *download)
{
  if (download->timer != NULL)
    {
      g_source_destroy (download->timer);
      g_clear_pointer (&download->timer, g_source_unref);
    }
}

static void
download_free (Download *download)
{
  stop_timer (download);
  if (download->caller != NULL)
    g_cancellable_disconnect (download->caller, download->caller_handler);
  g_clear_object (&download->caller);
  g_clear_object (&download->cancellable);
  g_clear_object (&download->message);
  g_clear_object (&download->to);
  g_clear_object (&download->in);
  g_clear_object (&download->out);
  g_free (download->piece);
  g_free (download);
}

static gboolean
on_download_limit (gpointer user_data)
{
  Download *download = user_data;

  download->timed_out = download->in == NULL ? "headers" : "idle";
  g_cancellable_cancel (download->cancellable);
  g_clear_pointer (&download->timer, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
start_timer (Download *download,
             guint     ms)
{
  stop_timer (download);
  if (ms == 0)
    return;
  download->timer = g_timeout_source_new (ms);
  g_source_set_callback (download->timer, on_download_limit, download, NULL);
  g_source_set_static_name (download->timer, "[pixmerge] batch download limit");
  g_source_attach (download->timer, g_main_context_get_thread_default ());
}

static void
on_download_caller_cancelled (GCancellable *caller,
                              GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

/* A failure, in the provider's terms: a limit reached is a timeout. */
static void
download_failed (GTask  *task,
                 GError *error)
{
  Download *download = g_task_get_task_data (task);
  GError *mapped;

  if (download->timed_out != NULL && !g_cancellable_is_cancelled (download->caller))
    {
      g_clear_error (&error);
      if (g_str_equal (download->timed_out, "headers"))
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("no answer within %g s"),
                             download->limits.headers_ms / 1000.0);
      else
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("the answer stopped coming for %g s after %zu bytes"),
                             download->limits.idle_ms / 1000.0, (gsize) download->total);
    }
  if (error->domain == PX_PROVIDER_ERROR)
    mapped = error;
  else
    {
      mapped = px_engine_transport_error (download->self->info, download->self->base_url, error);
      g_error_free (error);
    }
  px_provider_scrub_key (mapped, download->self->api_key);
  stop_timer (download);
  g_task_return_error (task, mapped);
  g_object_unref (task);
}

static void read_piece (GTask *task);

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      download_failed (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_piece_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    download_failed (task, error);
  else
    read_piece (task);
}

static void
on_piece_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  stop_timer (download);
  if (n < 0)
    download_failed (task, error);
  else if (n == 0)
    g_output_stream_close_async (download->out, G_PRIORITY_DEFAULT, download->cancellable, on_closed, task);
  else
    {
      download->total += n;
      g_output_stream_write_all_async (download->out, download->piece, n, G_PRIORITY_DEFAULT, download->cancellable,
                                       on_piece_written, task);
    }
}

static void
read_piece (GTask *task)
{
  Download *download = g_task_get_task_data (task);

  start_timer (download, download->limits.idle_ms);
  g_input_stream_read_async (download->in, download->piece, DOWNLOAD_PIECE, G_PRIORITY_DEFAULT,
                             download->cancellable, on_piece_read, task);
}

static void
on_replaced (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  GFileOutputStream *out = g_file_replace_finish (G_FILE (source), result, &error);

  if (out == NULL)
    {
      download_failed (task, error);
      return;
    }
  download->out = G_OUTPUT_STREAM (out);
  download->piece = g_malloc (DOWNLOAD_PIECE);
  read_piece (task);
}

static void
on_error_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  stop_timer (download);
  download_failed (task, px_batch_wire_map_error (download->self, soup_message_get_status (download->message),
                                                  soup_message_get_response_headers (download->message), body));
}

static void
on_download_started (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  GInputStream *in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  guint status;

  if (in == NULL)
    {
      download_failed (task, error);
      return;
    }
  download->in = in;
  status = soup_message_get_status (download->message);
  if (status < 200 || status >= 300)
    {
      start_timer (download, download->limits.idle_ms);
      g_input_stream_read_bytes_async (download->in, PX_HTTP_MAX_ERROR_BODY_BYTES, G_PRIORITY_DEFAULT,
                                       download->cancellable, on_error_read, task);
      return;
    }
  stop_timer (download);
  g_file_replace_async (download->to, NULL, FALSE, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT,
                        download->cancellable, on_replaced, task);
}

/* The results file, streamed into @to (written whole or not at all). */
void
px_batch_wire_download_async (PxBatchWire       *self,
                                const char          *file_name,
                                GFile               *to,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Download *download = g_new0 (Download, 1);
  g_autofree char *url = self->openai ? g_strdup_printf ("%s/files/%s/content", self->base_url, file_name)
                                      : g_strdup_printf ("%s/download/v1beta/%s:download?alt=media", self->base_url,
                                                         file_name);
  GError *error = NULL;

  g_task_set_source_tag (task, px_batch_wire_download_async);
  download->self = self;
  download->to = g_object_ref (to);
  download->cancellable = g_cancellable_new ();
  download->limits = self->engine->http_limits;
  if (cancellable != NULL)
    {
      download->caller = g_object_ref (cancellable);
      download->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_download_caller_cancelled),
                                                        download->cancellable, NULL);
    }
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  download->message = px_batch_wire_new_message (self, "GET", url, NULL, NULL, &error);
  if (download->message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* Until the answer's headers: the engine's connect and headers limits. */
  start_timer (download, download->limits.connect_ms + download->limits.headers_ms);
  soup_session_send_async (px_engine_get_session (self->engine), download->message, G_PRIORITY_DEFAULT,
                           download->cancellable, on_download_started, task);
}

gboolean
px_batch_wire_download_finish (PxBatchWire  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- find: the list, a page at a time ---- */

static void find_page (GTask *task, const char *url);

static gpointer
handle_page (PxBatchWire  *self,
             SoupMessage  *message,
             GBytes       *body,
             GError      **error)
{
  return px_provider_parse_json_object (body, self->info->name, error);
}

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *find = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *next = NULL;
  PxBatchWireJob *job;

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = find->scan (find->self, page, find->wanted, &next);
  if (job != NULL)
    g_task_return_pointer (task, job, (GDestroyNotify) px_batch_wire_job_free);
  else if (next != NULL)
    find_page (g_steal_pointer (&task), next);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
find_page (GTask      *task,
           const char *url)
{
  Call *find = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessage *message = px_batch_wire_new_message (find->self, "GET", url, NULL, NULL, &error);

  if (message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  px_batch_wire_start_call (find->self, message, handle_page, (GDestroyNotify) json_object_unref, find_page,
                            g_task_get_cancellable (task), on_page, task);
}

/* The job made under @display_name, if one was: the list from @first_url
 * on, each page looked through by @scan. How a job whose name was lost (a
 * crash right after it was made) is found, not made twice. */
void
px_batch_wire_find_in_list (PxBatchWire         *self,
                            const char          *first_url,
                            ScanPage             scan,
                            const char          *display_name,
                            gpointer             source_tag,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *find = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  find->self = self;
  find->scan = scan;
  find->wanted = g_strdup (display_name);
  g_task_set_task_data (task, find, (GDestroyNotify) px_batch_wire_call_free);
  find_page (task, first_url);
}

/* ---- one result ---- */

/* A part of a result line as the bytes a direct answer would have had. */
GBytes *
px_batch_wire_object_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize size;

  json_node_init_object (node, object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &size);
  return g_bytes_new_take (text, size);
}

/* A result line's answer, read as the direct answer would be (@answer is
 * the API's response object), each image checked the same way. */
gboolean
px_batch_wire_take_answer (PxBatchWire        *self,
                           JsonObject         *answer,
                           PxGenerationResult *result,
                           GError            **error)
{
  PxProviderContext context = px_batch_wire_context (self);
  g_autoptr(GBytes) bytes = px_batch_wire_object_bytes (answer);

  if (!px_provider_parse_response (self->provider, &context, bytes, result, error))
    return FALSE;
  for (guint i = 0; i < result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (result->images, i);
      g_autofree char *mime = NULL;

      if (!px_image_check (image->bytes, &mime, &image->width, &image->height, error))
        return FALSE;
      g_free (image->mime_type);
      image->mime_type = g_steal_pointer (&mime);
    }
  return TRUE;
}

/* ---- the calls, by provider ---- */

char *
px_batch_wire_line (PxBatchWire               *self,
                    const char                *key,
                    const PxModel             *model,
                    const PxGenerationRequest *request,
                    GHashTable                *settings)
{
  return self->openai ? px_openai_batch_line (key, model, request, settings)
                      : px_gemini_batch_line (key, request, settings);
}

void
px_batch_wire_upload_async (PxBatchWire         *self,
                            GBytes              *jsonl,
                            const char          *display_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  (self->openai ? px_openai_batch_upload_async : px_gemini_batch_upload_async) (self, jsonl, display_name,
                                                                                cancellable, callback, user_data);
}

void
px_batch_wire_create_async (PxBatchWire         *self,
                            const char          *model_id,
                            const char          *display_name,
                            const char          *file_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  (self->openai ? px_openai_batch_create_async : px_gemini_batch_create_async) (self, model_id, display_name,
                                                                                file_name, cancellable, callback,
                                                                                user_data);
}

void
px_batch_wire_get_async (PxBatchWire         *self,
                         const char          *name,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  (self->openai ? px_openai_batch_get_async : px_gemini_batch_get_async) (self, name, cancellable, callback,
                                                                          user_data);
}

void
px_batch_wire_find_async (PxBatchWire         *self,
                          const char          *display_name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  (self->openai ? px_openai_batch_find_async : px_gemini_batch_find_async) (self, display_name, cancellable,
                                                                            callback, user_data);
}

void
px_batch_wire_cancel_async (PxBatchWire         *self,
                            const char          *name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  (self->openai ? px_openai_batch_cancel_async : px_gemini_batch_cancel_async) (self, name, cancellable, callback,
                                                                                user_data);
}

gboolean
px_batch_wire_read_line (PxBatchWire        *self,
                         const char         *line,
                         gsize               length,
                         char              **key,
                         PxGenerationResult *result,
                         GError            **error)
{
  GError *local = NULL;

  if ((self->openai ? px_openai_batch_read_line : px_gemini_batch_read_line) (self, line, length, key, result,
                                                                              &local))
    return TRUE;
  /* The provider's words (or a piece of the line) may quote the key. */
  px_provider_scrub_key (local, self->api_key);
  g_propagate_error (error, local);
  return FALSE;
}
