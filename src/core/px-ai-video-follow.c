/* px-ai-video-follow.c: following a provider video to its end: the
 * operation polled with growing waits (a poll is free, so network trouble
 * and 5xx answers are polled again), the video downloaded (Google's
 * redirect to signed storage followed without the key), checked with the
 * discoverer, given a poster and kept in the library with its cost. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "px-ai-video-private.h"


static void poll_once (GTask *task);

/* Waits (longer each time) and polls again; past the deadline it stops
 * following, and the job stays "running" for later. */
static void
wait_and_poll (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  if (g_get_monotonic_time () > job->deadline_us)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT,
                               _("%s has not finished the video yet; Pixmerge will look again later."),
                               job->info->name);
      g_object_unref (task);
      return;
    }
  px_ai_video_later (task, job->wait_ms, poll_once);
  job->wait_ms = MIN (job->policy.max_poll_ms, job->wait_ms * 3 / 2);
}

static void download (GTask *task, const char *uri, gboolean with_key);

/* A GET that did not bring what was asked: cancelled, it ends; lost or
 * refused for a while (network, 5xx, 429), it is asked again after a
 * wait, since asking is free and the operation keeps its video; refused
 * for good, the job fails with the provider's reason. FALSE: it did bring
 * it. */
static gboolean
failed (GTask        *task,
        SoupMessage  *message,
        GBytes       *body,
        const GError *error)
{
  Job *job = g_task_get_task_data (task);
  gint64 retry_after_ms = 0;
  GError *mapped;

  if (body == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, px_ai_video_transport_error (job, error));
      g_object_unref (task);
      return TRUE;
    }
  if (body == NULL)
    {
      wait_and_poll (task);
      return TRUE;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    return FALSE;
  mapped = px_ai_video_answer_error (job, message, body, &retry_after_ms);
  if (px_provider_error_is_retryable (mapped))
    {
      g_error_free (mapped);
      wait_and_poll (task);
    }
  else
    px_ai_video_end_with (task, "failed", NULL, mapped);
  return TRUE;
}

static gboolean same_origin (const char *a, const char *b);

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = px_http_send_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonObject) root = NULL;
  JsonObject *response, *videos, *failure;
  JsonArray *samples;
  const char *uri;

  if (failed (task, message, body, error))
    return;
  root = px_provider_parse_json_object (body, job->info->name, &error);
  if (root == NULL || !json_object_has_member (root, "done") ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (root, "done")) ||
      !json_object_get_boolean_member (root, "done"))
    {
      wait_and_poll (task);
      return;
    }
  if ((failure = px_json_object_member (root, "error")) != NULL)
    {
      px_ai_video_end_with (task, "failed", NULL,
                g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_SERVER, _("%s could not make the video: “%s”"),
                             job->info->name, px_json_string_member (failure, "message", "")));
      return;
    }
  response = px_json_object_member (root, "response");
  videos = response ? px_json_object_member (response, "generateVideoResponse") : NULL;
  samples = videos ? px_json_array_member (videos, "generatedSamples") : NULL;
  uri = NULL;
  if (samples != NULL && json_array_get_length (samples) > 0)
    {
      JsonObject *sample = px_json_object_element (samples, 0);
      JsonObject *video = sample ? px_json_object_member (sample, "video") : NULL;

      uri = video ? px_json_string_member (video, "uri", NULL) : NULL;
    }
  if (uri == NULL)
    {
      JsonArray *reasons = videos ? px_json_array_member (videos, "raiMediaFilteredReasons") : NULL;
      const char *reason = reasons && json_array_get_length (reasons) > 0
                           ? json_array_get_string_element (reasons, 0) : NULL;

      px_ai_video_end_with (task, "failed", NULL,
                reason != NULL
                ? g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY,
                               _("%s’s safety filter held the video back: “%s” Nothing is charged for it."),
                               job->info->name, reason)
                : g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                               _("%s finished but sent no video."), job->info->name));
      return;
    }
  job->video_uri = g_strdup (uri);
  download (task, uri, same_origin (uri, job->base_url));
}

/* A GET of @url for @task, answered to @callback; the key only when
 * @with_key, redirects answered rather than followed. */
static void
send_get (GTask               *task,
          const char          *url,
          gboolean             with_key,
          GAsyncReadyCallback  callback)
{
  Job *job = g_task_get_task_data (task);
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);
  PxHttpLimits limits;

  if (message == NULL)
    {
      px_ai_video_end_with (task, "failed", NULL, g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                                                               _("%s gave an address that is not valid: %s"),
                                                               job->info->name, url));
      return;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (with_key)
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", job->api_key);
  g_object_set_data_full (G_OBJECT (task), "message", message, g_object_unref);
  px_http_limits_init (&limits);
  px_http_send_async (px_engine_get_session (job->engine), message, &limits, g_task_get_cancellable (task), callback,
                      task);
}

static void
poll_once (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  g_autofree char *url = g_strdup_printf ("%s/v1beta/%s", job->base_url, job->job->operation);

  send_get (task, url, TRUE, on_polled);
}

/* The key goes only to the API's own host: Google's download answers
 * with a redirect to signed storage that needs none. */
static gboolean
same_origin (const char *a,
             const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_NONE, NULL);

  return ua != NULL && ub != NULL && g_strcmp0 (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (ua) ? g_uri_get_host (ua) : "",
                             g_uri_get_host (ub) ? g_uri_get_host (ub) : "") == 0 &&
         g_uri_get_port (ua) == g_uri_get_port (ub);
}

static void keep (GTask *task);

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = px_http_send_finish (SOUP_SESSION (source), result, &error);
  guint status;

  if (body == NULL && failed (task, message, body, error))
    return;
  status = soup_message_get_status (message);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
      g_autoptr(GUri) target = location ? g_uri_parse_relative (soup_message_get_uri (message), location,
                                                                G_URI_FLAGS_NONE, NULL) : NULL;
      g_autofree char *next = target ? g_uri_to_string (target) : NULL;

      if (next == NULL || job->attempt++ > 5 ||
          (g_strcmp0 (g_uri_get_scheme (target), "https") != 0 && g_strcmp0 (g_uri_get_scheme (target), "http") != 0))
        {
          px_ai_video_end_with (task, "failed", NULL, g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                                                       _("%s sent the video somewhere Pixmerge cannot follow."),
                                                       job->info->name));
          return;
        }
      /* A signed address: it needs no key, and gets none. */
      download (task, next, FALSE);
      return;
    }
  if (failed (task, message, body, error))
    return;
  job->video = g_bytes_ref (body);
  keep (task);
}

static void
download (GTask      *task,
          const char *uri,
          gboolean    with_key)
{
  send_get (task, uri, with_key, on_downloaded);
}

/* The first frame, as a PNG, for the gallery. */
static gboolean
write_poster (const char  *video,
              const char  *poster,
              GError     **error)
{
  g_autofree char *description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert ! "
                                                  "pngenc snapshot=true ! filesink location=\"%s\"", video, poster);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  if (pipeline == NULL)
    return FALSE;
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS)
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                           _("The video’s first frame could not be read."));
      return FALSE;
    }
  return TRUE;
}

/* On the library's writer: the bytes to a file, checked to be a video
 * (the discoverer must find a video stream), a poster, a row. */
static gboolean
keep_video (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Job *job = data;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *poster = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *escaped = NULL;
  const PxAiVideoModel *model = px_ai_video_find_model (job->job->model);
  GList *streams;
  int width = 0, height = 0;
  guint64 duration;
  gboolean mp4;

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, error))
    return FALSE;
  mp4 = g_bytes_get_size (job->video) > 8 && memcmp ((const char *) g_bytes_get_data (job->video, NULL) + 4, "ftyp", 4) == 0;
  job->work_file = g_strdup_printf ("%s/.ai-video-%" G_GINT64_FORMAT "%s", px_library_get_directory (library),
                                    job->job->id, mp4 ? ".mp4" : ".webm");
  if (!g_file_set_contents (job->work_file, g_bytes_get_data (job->video, NULL), g_bytes_get_size (job->video), error))
    return FALSE;
  uri = gst_filename_to_uri (job->work_file, NULL);
  discoverer = gst_discoverer_new (30 * GST_SECOND, error);
  info = discoverer ? gst_discoverer_discover_uri (discoverer, uri, NULL) : NULL;
  streams = info ? gst_discoverer_info_get_video_streams (info) : NULL;
  duration = info ? gst_discoverer_info_get_duration (info) : 0;
  if (streams == NULL || duration == 0)
    {
      gst_discoverer_stream_info_list_free (streams);
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent something that is not a video; nothing was kept."), job->info->name);
      return FALSE;
    }
  width = gst_discoverer_video_info_get_width (streams->data);
  height = gst_discoverer_video_info_get_height (streams->data);
  gst_discoverer_stream_info_list_free (streams);

  poster = g_strconcat (job->work_file, ".png", NULL);
  if (!write_poster (job->work_file, poster, error))
    {
      g_unlink (poster);
      return FALSE;
    }
  escaped = g_strescape (job->job->prompt, NULL);
  settings = g_strdup_printf ("{\"provider\": \"%s\", \"model\": \"%s\", \"seconds\": %d, \"resolution\": \"%s\", "
                              "\"aspect_ratio\": \"%s\", \"prompt\": \"%s\", \"job\": %" G_GINT64_FORMAT "}",
                              job->job->provider, job->job->model, job->job->seconds, job->job->resolution,
                              job->job->aspect_ratio, escaped, job->job->id);
  job->video_id = px_library_add_ai_video (library, job->job->image_id, job->work_file, poster, job->job->model,
                                           settings, (int) (duration / GST_MSECOND), width, height,
                                           model ? px_ai_video_price (model, job->job->seconds, job->job->resolution)
                                                 : job->job->estimate, error);
  g_unlink (poster);
  if (job->video_id <= 0)
    return FALSE;
  g_clear_pointer (&job->work_file, g_free);   /* moved in */
  return px_library_update_ai_video_job (library, job->job->id, "done", NULL, NULL, job->video_id, error);
}

static void
on_kept (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    {
      if (job->video_id > 0 || px_library_error_is_storage (error))
        {
          /* Kept, or the disk is the problem: the provider still has it. */
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
        }
      else
        px_ai_video_end_with (task, "failed", NULL, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, job->video_id);
  g_object_unref (task);
}

static void
keep (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  px_library_write_async (job->library, keep_video, job, NULL, NULL, on_kept, task);
}

static gboolean
read_job (PxLibrary     *library,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Job *job = data;
  PxAiVideoJob *read = px_library_get_ai_video_job (library, job->job->id, error);

  if (read == NULL)
    return FALSE;
  px_ai_video_job_free (job->job);
  job->job = read;
  return TRUE;
}

static void
on_job_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (g_str_equal (job->job->state, "done"))
    {
      g_task_return_int (task, job->job->video_id);
      g_object_unref (task);
      return;
    }
  if (!g_str_equal (job->job->state, "running") || job->job->operation == NULL)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                               _("Video job %" PRId64 " is not running (%s)%s%s"), job->job->id,
                               job->job->state, job->job->error ? ": " : ".", job->job->error ? job->job->error : "");
      g_object_unref (task);
      return;
    }
  if (job->api_key == NULL || *job->api_key == '\0')
    {
      g_task_return_error (task, px_ai_video_missing_key (job));
      g_object_unref (task);
      return;
    }
  poll_once (task);
}

/* Polls job @job_id until the provider is done, downloads the video and
 * keeps it; ends with the video's id. Cancelling stops following, not the
 * job: following it again later carries on. */
void
px_ai_video_follow_async (PxEngine              *engine,
                          PxLibrary             *library,
                          gint64                 job_id,
                          const PxAiVideoPolicy *policy,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  Job *job = px_ai_video_job_data_new (engine, library);

  g_task_set_source_tag (task, px_ai_video_follow_async);
  g_task_set_task_data (task, job, (GDestroyNotify) px_ai_video_job_data_free);
  if (policy != NULL)
    job->policy = *policy;
  else
    px_ai_video_policy_init (&job->policy);
  job->wait_ms = MAX (1, job->policy.first_poll_ms);
  job->deadline_us = g_get_monotonic_time () + (gint64) job->policy.give_up_ms * 1000;
  job->job = g_new0 (PxAiVideoJob, 1);
  job->job->id = job_id;
  if (job->info == NULL)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                               _("The Gemini API is not in the catalog."));
      g_object_unref (task);
      return;
    }
  px_library_read_async (library, read_job, job, NULL, cancellable, on_job_read, task);
}

gint64
px_ai_video_follow_finish (PxEngine      *engine,
                           GAsyncResult  *result,
                           GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, engine), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}
