/* px-ai-video.c: videos made by Veo through the Gemini API.
 *
 * The wire (checked against Google's Gemini API video docs and the
 * google-genai SDK's Developer API converters):
 *   POST {base}/v1beta/models/{model}:predictLongRunning, x-goog-api-key,
 *        {"instances": [{"prompt", "image": {"bytesBase64Encoded", "mimeType"}}],
 *         "parameters": {"aspectRatio", "durationSeconds", "resolution"}}
 *     -> an operation {"name": "models/{model}/operations/{id}"}
 *   GET  {base}/v1beta/{name} until "done"; then "error" {code, message},
 *        or response.generateVideoResponse.generatedSamples[].video.uri (a
 *        Files API download address), or no samples and the safety
 *        filter's raiMediaFilteredReasons
 *   GET  the uri with the key; it redirects to signed storage, which is
 *        fetched without the key (the key never leaves Google's API host).
 * Google charges per second of video made, and only when it is made.
 * OpenAI's Videos API (Sora) is not here: OpenAI shut it down on
 * 24 September 2026.
 *
 * Money first: the job's row exists before the request goes out; the
 * request is sent once (a 429 before anything was made is waited out and
 * sent again; an answer lost after sending is not, and the job says it may
 * have been paid); polls are free and repeated with backoff. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-ai-video-private.h"

#define PROVIDER_ID PX_AI_VIDEO_PROVIDER_ID
#define MAX_SUBMIT_ATTEMPTS 4

/* Gemini API prices as of November 2026 (ai.google.dev/gemini-api/docs/pricing). */
static const PxAiVideoModel models[] = {
  { "veo-3.1-lite-generate-preview", "Veo 3.1 Lite", 0.05, 0.08 },
  { "veo-3.1-fast-generate-preview", "Veo 3.1 Fast", 0.15, 0.15 },
  { "veo-3.1-generate-preview", "Veo 3.1", 0.40, 0.40 },
};

const PxAiVideoModel *
px_ai_video_models (guint *n_models)
{
  *n_models = G_N_ELEMENTS (models);
  return models;
}

const PxAiVideoModel *
px_ai_video_find_model (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (models); i++)
    if (g_str_equal (models[i].id, id))
      return &models[i];
  return NULL;
}

/* What a video costs once made. */
double
px_ai_video_price (const PxAiVideoModel *model,
                   int                   seconds,
                   const char           *resolution)
{
  return seconds * (g_strcmp0 (resolution, "1080p") == 0 ? model->per_second_1080p : model->per_second_720p);
}

/* Veo makes landscape (16:9) or portrait (9:16): the nearer. */
const char *
px_ai_video_aspect_for (int width,
                        int height)
{
  return height > width ? "9:16" : "16:9";
}

void
px_ai_video_policy_init (PxAiVideoPolicy *policy)
{
  /* Google's examples poll every ten seconds; a video takes a minute or
   * a few. */
  policy->first_poll_ms = 10 * 1000;
  policy->max_poll_ms = 60 * 1000;
  policy->give_up_ms = 30 * 60 * 1000;
}

gboolean
px_ai_video_check_request (const PxAiVideoRequest  *request,
                           GError                 **error)
{
  if (px_ai_video_find_model (request->model_id) == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("“%s” is not a video model Pixmerge knows."), request->model_id ? request->model_id : "");
      return FALSE;
    }
  if (request->seconds != 4 && request->seconds != 6 && request->seconds != 8)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("Veo makes videos of 4, 6 or 8 seconds, not %d."), request->seconds);
      return FALSE;
    }
  if (g_strcmp0 (request->resolution, "720p") != 0 && g_strcmp0 (request->resolution, "1080p") != 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("Veo makes 720p or 1080p videos, not “%s”."), request->resolution ? request->resolution : "");
      return FALSE;
    }
  if (g_str_equal (request->resolution, "1080p") && request->seconds != 8)
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                           _("Veo makes 1080p videos of 8 seconds only."));
      return FALSE;
    }
  if (g_strcmp0 (request->aspect_ratio, "16:9") != 0 && g_strcmp0 (request->aspect_ratio, "9:16") != 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("Veo makes 16:9 or 9:16 videos, not “%s”."), request->aspect_ratio ? request->aspect_ratio : "");
      return FALSE;
    }
  if (request->image == NULL && (request->prompt == NULL || *request->prompt == '\0'))
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                           _("Describe the video, or give it an image to start from."));
      return FALSE;
    }
  return TRUE;
}

/* ---- talking to the provider ---- */



void
px_ai_video_job_data_free (Job *job)
{
  g_clear_handle_id (&job->source, g_source_remove);
  g_object_unref (job->engine);
  g_object_unref (job->library);
  g_free (job->base_url);
  if (job->api_key != NULL)
    memset (job->api_key, 0, strlen (job->api_key));
  g_free (job->api_key);
  px_ai_video_job_free (job->job);
  g_clear_pointer (&job->image, g_bytes_unref);
  g_free (job->mime_type);
  g_free (job->video_uri);
  g_clear_pointer (&job->video, g_bytes_unref);
  if (job->work_file != NULL)
    g_unlink (job->work_file);
  g_free (job->work_file);
  g_free (job);
}

Job *
px_ai_video_job_data_new (PxEngine  *engine,
         PxLibrary *library)
{
  Job *job = g_new0 (Job, 1);

  job->engine = g_object_ref (engine);
  job->library = g_object_ref (library);
  job->info = px_catalog_lookup_provider (px_engine_get_catalog (engine), PROVIDER_ID);
  job->base_url = px_engine_get_base_url (engine, PROVIDER_ID);
  job->api_key = px_engine_dup_api_key (engine, PROVIDER_ID);
  return job;
}

static PxProviderContext
context_of (Job *job)
{
  return (PxProviderContext) { .info = job->info, .base_url = job->base_url, .api_key = job->api_key };
}

/* The provider's error for a non-2xx answer, without the key in it. */
GError *
px_ai_video_answer_error (Job         *job,
              SoupMessage *message,
              GBytes      *body,
              gint64      *retry_after_ms)
{
  PxProviderContext context = context_of (job);
  GError *error = px_provider_google_error (NULL, &context, soup_message_get_status (message),
                                            soup_message_get_response_headers (message), body, retry_after_ms);

  px_provider_scrub_key (error, job->api_key);
  return error;
}

GError *
px_ai_video_transport_error (Job          *job,
                 const GError *error)
{
  GError *mapped = px_engine_transport_error (job->info, job->base_url, error);

  px_provider_scrub_key (mapped, job->api_key);
  return mapped;
}

GError *
px_ai_video_missing_key (Job *job)
{
  return g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH,
                      _("There is no %s key. Add it in Preferences (or with “pixmerge-cli keys set %s”)."),
                      job->info->name, PROVIDER_ID);
}

typedef struct {
  gint64  id;
  char   *state;
  char   *operation;
  char   *error;
  gint64  video_id;
} Update;

static void
update_free (Update *update)
{
  g_free (update->state);
  g_free (update->operation);
  g_free (update->error);
  g_free (update);
}

static gboolean
write_update (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Update *update = data;

  return px_library_update_ai_video_job (library, update->id, update->state, update->operation, update->error,
                                         update->video_id, error);
}

/* Writes the job's new state, then ends @task with @outcome (taken): a
 * job id, or an error. */
typedef struct {
  GTask  *task;
  GError *outcome;
} Ending;

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Ending *ending = user_data;
  g_autoptr(GTask) task = ending->task;
  g_autoptr(GError) error = NULL;
  Job *job = g_task_get_task_data (task);

  px_library_run_finish (PX_LIBRARY (source), result, NULL, &error);
  if (ending->outcome != NULL)
    g_task_return_error (task, ending->outcome);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, job->video_id > 0 ? job->video_id : job->job->id);
  g_free (ending);
}

void
px_ai_video_end_with (GTask      *task,
          const char *state,
          const char *operation,
          GError     *outcome)
{
  Job *job = g_task_get_task_data (task);
  Update *update = g_new0 (Update, 1);
  Ending *ending = g_new0 (Ending, 1);

  update->id = job->job->id;
  update->state = g_strdup (state);
  update->operation = g_strdup (operation);
  update->error = outcome ? g_strdup (outcome->message) : NULL;
  update->video_id = job->video_id;
  ending->task = task;
  ending->outcome = outcome;
  /* Not cancellable: what happened must be written down. */
  px_library_write_async (job->library, write_update, update, (GDestroyNotify) update_free, NULL, on_updated, ending);
}


static gboolean
run_later (gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);

  job->source = 0;
  job->later (task);
  return G_SOURCE_REMOVE;
}

/* Runs @step on @task in @ms (the task is kept by whoever waits). */
void
px_ai_video_later (GTask   *task,
                   guint    ms,
                   JobStep  step)
{
  Job *job = g_task_get_task_data (task);

  job->later = step;
  job->source = g_timeout_add (ms, run_later, task);
}

static SoupMessage *
submit_message (Job     *job,
                GError **error)
{
  g_autofree char *url = g_strdup_printf ("%s/v1beta/models/%s:predictLongRunning", job->base_url, job->job->model);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PxProviderContext context = context_of (job);
  SoupMessage *message;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "instances");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  if (job->job->prompt != NULL && *job->job->prompt != '\0')
    {
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, job->job->prompt);
    }
  if (job->image != NULL)
    {
      g_autofree char *encoded = g_base64_encode (g_bytes_get_data (job->image, NULL), g_bytes_get_size (job->image));

      json_builder_set_member_name (builder, "image");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "bytesBase64Encoded");
      json_builder_add_string_value (builder, encoded);
      json_builder_set_member_name (builder, "mimeType");
      json_builder_add_string_value (builder, job->mime_type);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aspectRatio");
  json_builder_add_string_value (builder, job->job->aspect_ratio);
  json_builder_set_member_name (builder, "durationSeconds");
  json_builder_add_int_value (builder, job->job->seconds);
  json_builder_set_member_name (builder, "resolution");
  json_builder_add_string_value (builder, job->job->resolution);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  message = px_provider_new_json_message (&context, url, builder, error);
  if (message != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", job->api_key);
  return message;
}


/* ---- start: the row, then the request, then its name ---- */

static void submit (GTask *task);

static gboolean
write_job (PxLibrary     *library,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Job *job = data;

  job->job->id = px_library_add_ai_video_job (library, job->job, error);
  return job->job->id > 0;
}

static void
on_submitted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = px_http_send_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonObject) root = NULL;
  gint64 retry_after_ms = 0;
  guint status;
  const char *name;

  if (body == NULL)
    {
      /* Sent, and no answer: it may exist and be paid for. Not again. */
      GError *mapped = px_ai_video_transport_error (job, error);

      if (g_error_matches (mapped, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED))
        px_ai_video_end_with (task, "unknown", NULL, g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED,
                                                      _("Cancelled while the request was being sent; the provider "
                                                        "may still make the video and charge for it.")));
      else
        {
          g_prefix_error (&mapped, "%s", _("The answer to the request was lost, so the video may have been made "
                                          "and charged; it is not asked again. "));
          px_ai_video_end_with (task, "unknown", NULL, mapped);
        }
      return;
    }
  status = soup_message_get_status (message);
  if (status == 429 && job->attempt < MAX_SUBMIT_ATTEMPTS)
    {
      /* Nothing was made: wait as told (or back off) and send again. */
      g_autoptr(GError) limited = px_ai_video_answer_error (job, message, body, &retry_after_ms);

      if (retry_after_ms >= 0)
        {
          guint wait = retry_after_ms > 0 ? (guint) MIN (retry_after_ms, 120 * 1000)
                                          : 1000u << MIN (job->attempt, 6);

          px_ai_video_later (task, wait, submit);
          return;
        }
      px_ai_video_end_with (task, "failed", NULL, g_steal_pointer (&limited));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* A 4xx means nothing was made; a 5xx may hide one that was. */
      px_ai_video_end_with (task, status >= 500 ? "unknown" : "failed", NULL, px_ai_video_answer_error (job, message, body, &retry_after_ms));
      return;
    }
  root = px_provider_parse_json_object (body, job->info->name, &error);
  name = root ? px_json_string_member (root, "name", NULL) : NULL;
  if (name == NULL || strstr (name, "/operations/") == NULL || strstr (name, "..") != NULL)
    {
      px_ai_video_end_with (task, "unknown", NULL,
                g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                             _("%s accepted the video but did not say where to find it."), job->info->name));
      return;
    }
  px_ai_video_end_with (task, "running", name, NULL);
}

static void send_now (GTask *task);

/* Paced with the provider's other requests: the engine's limiter for
 * the Gemini API says when the next may go. */
static void
submit (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  ProviderQueue *queue = px_engine_get_queue (job->engine, job->info);
  gint64 now = g_get_monotonic_time ();
  gint64 wait_us = px_rate_limiter_take (queue->limiter, 1, now);
  gint64 at = MAX (now + wait_us, queue->blocked_until_us);

  if (at > now)
    px_ai_video_later (task, (guint) MIN ((at - now + 999) / 1000, G_MAXUINT), send_now);
  else
    send_now (task);
}

static void
send_now (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessage *message = submit_message (job, &error);
  PxHttpLimits limits;

  if (message == NULL)
    {
      px_ai_video_end_with (task, "failed", NULL, g_steal_pointer (&error));
      return;
    }
  px_rate_limiter_sent (px_engine_get_queue (job->engine, job->info)->limiter);
  job->attempt++;
  g_object_set_data_full (G_OBJECT (task), "message", message, g_object_unref);
  px_http_limits_init (&limits);
  px_http_send_async (px_engine_get_session (job->engine), message, &limits, NULL, on_submitted, task);
}

static void
on_job_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* Nothing was sent. */
      px_ai_video_end_with (task, "failed", NULL, g_error_new_literal (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED,
                                                           _("Cancelled before it was sent.")));
      return;
    }
  submit (task);
}

/* Writes the job down, then asks the provider once; ends with the job's id
 * (its state "running") or the reason it is not running. */
void
px_ai_video_start_async (PxEngine               *engine,
                         PxLibrary              *library,
                         const PxAiVideoRequest *request,
                         GCancellable           *cancellable,
                         GAsyncReadyCallback     callback,
                         gpointer                user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  Job *job = px_ai_video_job_data_new (engine, library);
  const PxAiVideoModel *model = px_ai_video_find_model (request->model_id);
  GError *error = NULL;

  g_task_set_source_tag (task, px_ai_video_start_async);
  g_task_set_task_data (task, job, (GDestroyNotify) px_ai_video_job_data_free);
  if (!px_ai_video_check_request (request, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (job->info == NULL || job->api_key == NULL || *job->api_key == '\0')
    {
      g_task_return_error (task, job->info ? px_ai_video_missing_key (job)
                                           : g_error_new_literal (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                                                                  _("The Gemini API is not in the catalog.")));
      g_object_unref (task);
      return;
    }
  job->image = request->image ? g_bytes_ref (request->image) : NULL;
  job->mime_type = g_strdup (request->mime_type);
  job->job = g_new0 (PxAiVideoJob, 1);
  job->job->image_id = request->image_id;
  job->job->provider = g_strdup (PROVIDER_ID);
  job->job->model = g_strdup (request->model_id);
  job->job->prompt = g_strdup (request->prompt ? request->prompt : "");
  job->job->seconds = request->seconds;
  job->job->resolution = g_strdup (request->resolution);
  job->job->aspect_ratio = g_strdup (request->aspect_ratio);
  job->job->estimate = px_ai_video_price (model, request->seconds, request->resolution);
  px_library_write_async (library, write_job, job, NULL, NULL, on_job_written, task);
}

gint64
px_ai_video_start_finish (PxEngine      *engine,
                          GAsyncResult  *result,
                          GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, engine), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}
