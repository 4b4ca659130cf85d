/* px-gemini-batch.c: the Gemini API's Batch Mode on the wire (see the
 * header, and tests/fake-provider/px-fake-batch.c for every exchange).
 * Errors are the provider's own words, without the key; results files are
 * streamed to disk, never held whole in memory (50,000 images would not
 * fit), and read a line at a time. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-catalog.h"
#include "px-engine-private.h"
#include "px-gemini-batch.h"
#include "px-gemini-provider.h"
#include "px-http.h"
#include "px-image-check.h"
#include "px-json.h"
#include "px-provider.h"

#define PROVIDER_ID "gemini"
#define LIST_PAGE 100

struct _PxGeminiBatch
{
  PxEngine             *engine;
  const PxProviderInfo *info;
  PxProvider           *provider;
  char                 *base_url;
  char                 *api_key;
};

PxGeminiBatch *
px_gemini_batch_new (PxEngine *engine)
{
  PxGeminiBatch *self = g_new0 (PxGeminiBatch, 1);

  self->engine = g_object_ref (engine);
  self->info = px_catalog_lookup_provider (px_engine_get_catalog (engine), PROVIDER_ID);
  self->provider = px_provider_new_for_wire ("gemini");
  self->base_url = px_engine_get_base_url (engine, PROVIDER_ID);
  self->api_key = px_engine_dup_api_key (engine, PROVIDER_ID);
  return self;
}

void
px_gemini_batch_free (PxGeminiBatch *self)
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
px_gemini_batch_job_free (PxGeminiBatchJob *job)
{
  if (job == NULL)
    return;
  g_free (job->name);
  g_free (job->display_name);
  g_free (job->results_file);
  g_free (job->error);
  g_free (job);
}

static const char * const state_names[] = {
  [PX_GEMINI_BATCH_PENDING] = "BATCH_STATE_PENDING",
  [PX_GEMINI_BATCH_RUNNING] = "BATCH_STATE_RUNNING",
  [PX_GEMINI_BATCH_SUCCEEDED] = "BATCH_STATE_SUCCEEDED",
  [PX_GEMINI_BATCH_FAILED] = "BATCH_STATE_FAILED",
  [PX_GEMINI_BATCH_CANCELLED] = "BATCH_STATE_CANCELLED",
  [PX_GEMINI_BATCH_EXPIRED] = "BATCH_STATE_EXPIRED",
};

const char *
px_gemini_batch_state_name (PxGeminiBatchState state)
{
  return state < G_N_ELEMENTS (state_names) ? state_names[state] : "BATCH_STATE_UNSPECIFIED";
}

static PxProviderContext
context_of (PxGeminiBatch *self)
{
  return (PxProviderContext) { .info = self->info, .base_url = self->base_url, .api_key = self->api_key };
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

/* ---- one exchange ---- */

typedef gpointer (*Handle) (PxGeminiBatch  *self,
                            SoupMessage    *message,
                            GBytes         *body,
                            GError        **error);

typedef struct {
  PxGeminiBatch  *self;
  SoupMessage    *message;
  Handle          handle;
  GDestroyNotify  free_result;
  char           *wanted;     /* find: the display name looked for */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->message);
  g_free (call->wanted);
  g_free (call);
}

static SoupMessage *
new_message (PxGeminiBatch  *self,
             const char     *method,
             const char     *url,
             const char     *content_type,
             GBytes         *body,
             GError        **error)
{
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    {
      PxProviderContext context = context_of (self);

      px_provider_set_invalid_url_error (&context, error);
      return NULL;
    }
  if (self->api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", self->api_key);
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
      PxProviderContext context = context_of (call->self);
      GError *mapped = px_provider_google_error (call->self->provider, &context, status,
                                                 soup_message_get_response_headers (call->message), body, NULL);

      px_provider_scrub_key (mapped, call->self->api_key);
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

static void
start_call (PxGeminiBatch       *self,
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
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
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
static void
start_url_call (PxGeminiBatch       *self,
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
  SoupMessage *message = new_message (self, method, url, body ? "application/json" : NULL, body, &error);

  if (message == NULL)
    fail_now (source_tag, error, callback, user_data);
  else
    start_call (self, message, handle, free_result, source_tag, cancellable, callback, user_data);
}

static GBytes *
builder_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
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

static PxGeminiBatchJob *
job_from_operation (JsonObject *operation)
{
  PxGeminiBatchJob *job = g_new0 (PxGeminiBatchJob, 1);
  JsonObject *metadata = px_json_object_member (operation, "metadata");
  JsonObject *stats = metadata ? px_json_object_member (metadata, "batchStats") : NULL;
  JsonObject *response = px_json_object_member (operation, "response");
  JsonObject *error = px_json_object_member (operation, "error");
  const char *state = metadata ? px_json_string_member (metadata, "state", "") : "";

  job->name = g_strdup (px_json_string_member (operation, "name", ""));
  job->display_name = g_strdup (metadata ? px_json_string_member (metadata, "displayName", "") : "");
  job->state = PX_GEMINI_BATCH_PENDING;
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
handle_operation (PxGeminiBatch  *self,
                  SoupMessage    *message,
                  GBytes         *body,
                  GError        **error)
{
  g_autoptr(JsonObject) operation = px_provider_parse_json_object (body, self->info->name, error);

  return operation != NULL ? job_from_operation (operation) : NULL;
}

static gpointer
handle_empty (PxGeminiBatch  *self,
              SoupMessage    *message,
              GBytes         *body,
              GError        **error)
{
  return NULL;
}

void
px_gemini_batch_create_async (PxGeminiBatch       *self,
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
  body = builder_bytes (builder);
  start_url_call (self, "POST", url, body, handle_operation, (GDestroyNotify) px_gemini_batch_job_free,
                  px_gemini_batch_create_async, cancellable, callback, user_data);
}

void
px_gemini_batch_get_async (PxGeminiBatch       *self,
                           const char          *name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/%s", self->base_url, name);

  start_url_call (self, "GET", url, NULL, handle_operation, (GDestroyNotify) px_gemini_batch_job_free,
                  px_gemini_batch_get_async, cancellable, callback, user_data);
}

void
px_gemini_batch_cancel_async (PxGeminiBatch       *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/%s:cancel", self->base_url, name);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

  start_url_call (self, "POST", url, body, handle_empty, NULL, px_gemini_batch_cancel_async,
                  cancellable, callback, user_data);
}

/* The list, a page at a time, until the display name is found. */
static void find_page (GTask *task, const char *token);

static gpointer
handle_page (PxGeminiBatch  *self,
             SoupMessage    *message,
             GBytes         *body,
             GError        **error)
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
  JsonArray *operations;
  const char *next;

  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  operations = json_object_has_member (page, "operations") ? px_json_array_member (page, "operations") : NULL;
  for (guint i = 0; operations != NULL && i < json_array_get_length (operations); i++)
    {
      JsonObject *operation = px_json_object_element (operations, i);
      JsonObject *metadata = operation ? px_json_object_member (operation, "metadata") : NULL;

      if (metadata != NULL && g_strcmp0 (px_json_string_member (metadata, "displayName", NULL), find->wanted) == 0)
        {
          g_task_return_pointer (task, job_from_operation (operation), (GDestroyNotify) px_gemini_batch_job_free);
          return;
        }
    }
  next = px_json_string_member (page, "nextPageToken", NULL);
  if (next != NULL && *next != '\0')
    find_page (g_steal_pointer (&task), next);
  else
    g_task_return_pointer (task, NULL, NULL);
}

static void
find_page (GTask      *task,
           const char *token)
{
  Call *find = g_task_get_task_data (task);
  g_autofree char *escaped = token ? g_uri_escape_string (token, NULL, FALSE) : NULL;
  g_autofree char *url = escaped ? g_strdup_printf ("%s/v1beta/batches?pageSize=%d&pageToken=%s",
                                                    find->self->base_url, LIST_PAGE, escaped)
                                 : g_strdup_printf ("%s/v1beta/batches?pageSize=%d", find->self->base_url, LIST_PAGE);
  GError *error = NULL;
  SoupMessage *message = new_message (find->self, "GET", url, NULL, NULL, &error);

  if (message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  start_call (find->self, message, handle_page, (GDestroyNotify) json_object_unref, find_page,
              g_task_get_cancellable (task), on_page, task);
}

/* The job made under @display_name, if one was: how a job whose name was
 * lost (a crash right after it was created) is found, not made twice. */
void
px_gemini_batch_find_async (PxGeminiBatch       *self,
                            const char          *display_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *find = g_new0 (Call, 1);

  g_task_set_source_tag (task, px_gemini_batch_find_async);
  find->self = self;
  find->wanted = g_strdup (display_name);
  g_task_set_task_data (task, find, (GDestroyNotify) call_free);
  find_page (task, NULL);
}

PxGeminiBatchJob *
px_gemini_batch_job_finish (PxGeminiBatch  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- upload: the resumable protocol, in one go ---- */

typedef struct {
  PxGeminiBatch *self;
  GBytes        *jsonl;
} Upload;

static void
upload_free (Upload *upload)
{
  g_bytes_unref (upload->jsonl);
  g_free (upload);
}

static gpointer
handle_started (PxGeminiBatch  *self,
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
handle_uploaded (PxGeminiBatch  *self,
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
      message = new_message (upload->self, "POST", url, "application/jsonl", upload->jsonl, &error);
      if (message != NULL)
        {
          soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Command",
                                        "upload, finalize");
          soup_message_headers_replace (soup_message_get_request_headers (message), "X-Goog-Upload-Offset", "0");
          start_call (upload->self, message, handle_uploaded, g_free, on_started, g_task_get_cancellable (task),
                      on_uploaded, task);
          return;
        }
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The JSONL goes up as a file; its name ("files/…") comes back. */
void
px_gemini_batch_upload_async (PxGeminiBatch       *self,
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
  body = builder_bytes (builder);

  message = new_message (self, "POST", url, "application/json", body, &error);
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
  start_call (self, message, handle_started, g_free, px_gemini_batch_upload_async, cancellable, on_started, task);
}

char *
px_gemini_batch_upload_finish (PxGeminiBatch  *self,
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
  PxGeminiBatch *self;
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
  PxProviderContext context = context_of (download->self);

  stop_timer (download);
  download_failed (task, px_provider_google_error (download->self->provider, &context,
                                                   soup_message_get_status (download->message),
                                                   soup_message_get_response_headers (download->message),
                                                   body, NULL));
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
px_gemini_batch_download_async (PxGeminiBatch       *self,
                                const char          *file_name,
                                GFile               *to,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Download *download = g_new0 (Download, 1);
  g_autofree char *url = g_strdup_printf ("%s/download/v1beta/%s:download?alt=media", self->base_url, file_name);
  GError *error = NULL;

  g_task_set_source_tag (task, px_gemini_batch_download_async);
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
  download->message = new_message (self, "GET", url, NULL, NULL, &error);
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
px_gemini_batch_download_finish (PxGeminiBatch  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- one line of the results ---- */

/* Reads one results line: its key, and its images (checked as a direct
 * answer's are) or the provider's error for that request. */
gboolean
px_gemini_batch_read_line (PxGeminiBatch       *self,
                           const char          *line,
                           gsize                length,
                           char               **key,
                           PxGenerationResult  *result,
                           GError             **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (line, length);
  g_autoptr(JsonObject) object = px_provider_parse_json_object (bytes, self->info->name, error);
  JsonObject *response, *failure;
  PxProviderContext context = context_of (self);

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
  {
    g_autoptr(JsonNode) node = json_node_alloc ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(GBytes) answer = NULL;
    char *text;
    gsize size;

    json_node_init_object (node, response);
    json_generator_set_root (generator, node);
    text = json_generator_to_data (generator, &size);
    answer = g_bytes_new_take (text, size);
    if (!px_provider_parse_response (self->provider, &context, answer, result, error))
      return FALSE;
  }
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
