/* px-fake-veo.c: Veo through the Gemini API, as the Developer API answers
 * (models/{model}:predictLongRunning, then the operation, then the file):
 *
 *   POST /v1beta/models/veo-…:predictLongRunning
 *        {"instances": [{"prompt", "image": {"bytesBase64Encoded", "mimeType"}}],
 *         "parameters": {"durationSeconds", "resolution", "aspectRatio", …}}
 *     -> {"name": "models/veo-…/operations/ID"}
 *   GET  /v1beta/models/veo-…/operations/ID
 *     -> {"name"} while it runs; then {"name", "done": true, "response":
 *        {"@type": "…PredictLongRunningResponse", "generateVideoResponse":
 *        {"generatedSamples": [{"video": {"uri": ".../v1beta/files/F:download?alt=media"}}]}}}
 *        or {"done": true, "error": {"code", "message"}}, or a response that
 *        the safety filter emptied (raiMediaFilteredCount, raiMediaFilteredReasons)
 *   GET  /v1beta/files/F:download?alt=media (with the key) -> 302 to a
 *        signed storage address, which takes no key and answers the MP4.
 *
 * Unknown fields are refused as Google refuses them. The video is a real
 * H.264 MP4 of the asked length (24 fps), made with GStreamer's test
 * source, so a client's checks see what a real answer looks like. */
#include "config.h"

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "px-fake-veo.h"

typedef struct {
  char               *model;
  guint               polls_left;
  PxFakeVideoOutcome  outcome;
  int                 seconds;
  gboolean            portrait;
} Operation;

struct _PxFakeVeo
{
  GHashTable         *operations;   /* id -> Operation */
  GHashTable         *videos;       /* "seconds|portrait" -> GBytes */
  guint               polls;
  PxFakeVideoOutcome  outcome;
  guint               submissions;
  guint               serial;
};

static const char * const models[] = {
  "veo-3.1-generate-preview", "veo-3.1-fast-generate-preview", "veo-3.1-lite-generate-preview",
  "veo-3.0-generate-001", "veo-3.0-fast-generate-001",
};

static void
operation_free (Operation *operation)
{
  g_free (operation->model);
  g_free (operation);
}

PxFakeVeo *
px_fake_veo_new (void)
{
  PxFakeVeo *veo = g_new0 (PxFakeVeo, 1);

  veo->operations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) operation_free);
  veo->videos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  veo->polls = 2;
  return veo;
}

void
px_fake_veo_free (PxFakeVeo *veo)
{
  g_hash_table_unref (veo->operations);
  g_hash_table_unref (veo->videos);
  g_free (veo);
}

void
px_fake_veo_set_polls (PxFakeVeo *veo,
                       guint      polls)
{
  veo->polls = polls;
}

void
px_fake_veo_set_outcome (PxFakeVeo          *veo,
                         PxFakeVideoOutcome  outcome)
{
  veo->outcome = outcome;
}

guint
px_fake_veo_get_submissions (PxFakeVeo *veo)
{
  return veo->submissions;
}

static Reply *
json_reply (guint  status,
            char  *text)
{
  return px_fake_reply_new (status, "application/json; charset=UTF-8", g_bytes_new_take (text, strlen (text)));
}

static Reply *
invalid (const char *message)
{
  return px_fake_google_error (400, "INVALID_ARGUMENT", message, NULL);
}

static gboolean
known_model (const char *model)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_str_equal (model, models[i]))
      return TRUE;
  return FALSE;
}

/* Fields Google does not know are refused, with its words. */
static Reply *
unknown_field (JsonObject *object,
               const char *where,
               const char * const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *message = g_strdup_printf ("Invalid JSON payload received. Unknown name \"%s\" at '%s': "
                                                    "Cannot find field.", (char *) l->data, where);
        return invalid (message);
      }
  return NULL;
}

static Reply *
submit (PxFakeVeo  *veo,
        const char *model,
        GBytes     *body)
{
  static const char * const top_fields[] = { "instances", "parameters", NULL };
  static const char * const instance_fields[] = { "prompt", "image", "lastFrame", "referenceImages", NULL };
  static const char * const image_fields[] = { "bytesBase64Encoded", "mimeType", NULL };
  static const char * const parameter_fields[] = { "aspectRatio", "durationSeconds", "resolution", "negativePrompt",
                                                   "personGeneration", "numberOfVideos", "seed", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *instance, *parameters = NULL;
  JsonArray *instances;
  Operation *operation;
  const char *resolution = "720p", *aspect = "16:9";
  Reply *reply;
  gint64 seconds = 8;
  char *id;

  if (!known_model (model))
    {
      g_autofree char *message = g_strdup_printf ("models/%s is not found for API version v1beta, or is not "
                                                  "supported for predictLongRunning. Call ListModels to see the list "
                                                  "of available models and their supported methods.", model);
      return px_fake_google_error (404, "NOT_FOUND", message, NULL);
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid ("Invalid JSON payload received.");
  root = json_node_get_object (json_parser_get_root (parser));
  if ((reply = unknown_field (root, "", top_fields)) != NULL)
    return reply;
  if (!json_object_has_member (root, "instances") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "instances")) ||
      json_array_get_length (instances = json_object_get_array_member (root, "instances")) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (instances, 0)))
    return invalid ("instances must hold exactly one instance.");
  instance = json_array_get_object_element (instances, 0);
  if ((reply = unknown_field (instance, "instances[0]", instance_fields)) != NULL)
    return reply;
  if (json_object_has_member (instance, "image"))
    {
      JsonObject *image = JSON_NODE_HOLDS_OBJECT (json_object_get_member (instance, "image"))
                          ? json_object_get_object_member (instance, "image") : NULL;
      const char *data = image ? json_object_get_string_member_with_default (image, "bytesBase64Encoded", NULL) : NULL;
      const char *mime = image ? json_object_get_string_member_with_default (image, "mimeType", NULL) : NULL;
      gsize length = 0;
      g_autofree guchar *bytes = NULL;

      if (image != NULL && (reply = unknown_field (image, "instances[0].image", image_fields)) != NULL)
        return reply;
      if (data == NULL || mime == NULL)
        return invalid ("The image needs bytesBase64Encoded and mimeType.");
      bytes = g_base64_decode (data, &length);
      if (length < 8 || !(g_str_equal (mime, "image/png") || g_str_equal (mime, "image/jpeg") ||
                          g_str_equal (mime, "image/webp")))
        return invalid ("Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
    }
  else if (!json_object_has_member (instance, "prompt"))
    return invalid ("A prompt or an image is required.");

  if (json_object_has_member (root, "parameters"))
    {
      if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "parameters")))
        return invalid ("parameters must be an object.");
      parameters = json_object_get_object_member (root, "parameters");
      if ((reply = unknown_field (parameters, "parameters", parameter_fields)) != NULL)
        return reply;
      seconds = json_object_get_int_member_with_default (parameters, "durationSeconds", 8);
      resolution = json_object_get_string_member_with_default (parameters, "resolution", "720p");
      aspect = json_object_get_string_member_with_default (parameters, "aspectRatio", "16:9");
    }
  if (seconds != 4 && seconds != 6 && seconds != 8)
    return invalid ("The durationSeconds must be one of 4, 6 or 8.");
  if (!g_str_equal (resolution, "720p") && !g_str_equal (resolution, "1080p"))
    return invalid ("The resolution must be 720p or 1080p.");
  if (g_str_equal (resolution, "1080p") && seconds != 8)
    return invalid ("1080p is only supported for 8 second videos.");
  if (!g_str_equal (aspect, "16:9") && !g_str_equal (aspect, "9:16"))
    return invalid ("The aspectRatio must be 16:9 or 9:16.");

  veo->submissions++;
  operation = g_new0 (Operation, 1);
  operation->model = g_strdup (model);
  operation->polls_left = veo->polls;
  operation->outcome = veo->outcome;
  operation->seconds = (int) seconds;
  operation->portrait = g_str_equal (aspect, "9:16");
  id = g_strdup_printf ("%08x%04x", g_random_int (), ++veo->serial);
  g_hash_table_insert (veo->operations, id, operation);
  return json_reply (200, g_strdup_printf ("{\n  \"name\": \"models/%s/operations/%s\"\n}\n", model, id));
}

static Reply *
poll (PxFakeVeo  *veo,
      const char *base_url,
      const char *model,
      const char *id)
{
  Operation *operation = g_hash_table_lookup (veo->operations, id);

  if (operation == NULL || !g_str_equal (operation->model, model))
    return px_fake_google_error (404, "NOT_FOUND", "Requested entity was not found.", NULL);
  if (operation->polls_left > 0)
    {
      operation->polls_left--;
      return json_reply (200, g_strdup_printf ("{\n  \"name\": \"models/%s/operations/%s\"\n}\n", model, id));
    }
  switch (operation->outcome)
    {
    case PX_FAKE_VIDEO_FAILED:
      return json_reply (200, g_strdup_printf ("{\n  \"name\": \"models/%s/operations/%s\",\n  \"done\": true,\n"
                                               "  \"error\": {\n    \"code\": 13,\n    \"message\": \"Video generation "
                                               "failed due to an internal error. Please try again.\"\n  }\n}\n",
                                               model, id));
    case PX_FAKE_VIDEO_FILTERED:
      return json_reply (200, g_strdup_printf ("{\n  \"name\": \"models/%s/operations/%s\",\n  \"done\": true,\n"
                                               "  \"response\": {\n    \"@type\": \"type.googleapis.com/google.ai."
                                               "generativelanguage.v1beta.PredictLongRunningResponse\",\n"
                                               "    \"generateVideoResponse\": {\n      \"raiMediaFilteredCount\": 1,\n"
                                               "      \"raiMediaFilteredReasons\": [\"We encountered an issue with the "
                                               "audio for your prompt. Please try rephrasing your prompt.\"]\n    }\n"
                                               "  }\n}\n", model, id));
    case PX_FAKE_VIDEO_OK:
    case PX_FAKE_VIDEO_NOT_VIDEO:
    default:
      return json_reply (200, g_strdup_printf ("{\n  \"name\": \"models/%s/operations/%s\",\n  \"done\": true,\n"
                                               "  \"response\": {\n    \"@type\": \"type.googleapis.com/google.ai."
                                               "generativelanguage.v1beta.PredictLongRunningResponse\",\n"
                                               "    \"generateVideoResponse\": {\n      \"generatedSamples\": [\n"
                                               "        {\n          \"video\": {\n            \"uri\": \"%s/v1beta/files/"
                                               "%s:download?alt=media\"\n          }\n        }\n      ]\n    }\n"
                                               "  }\n}\n", model, id, base_url, id));
    }
}

/* A real H.264 MP4 (a VP8 WebM where x264 is missing) of @seconds at 24
 * fps, made once per shape. */
static GBytes *
make_video (PxFakeVeo *veo,
            int        seconds,
            gboolean   portrait,
            char     **content_type)
{
  g_autofree char *key = g_strdup_printf ("%d|%d", seconds, portrait);
  GBytes *video = g_hash_table_lookup (veo->videos, key);
  g_autoptr(GstElement) encoder = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;
  g_autofree char *contents = NULL;
  gboolean mp4;
  gsize length;
  int fd;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  encoder = gst_element_factory_make ("x264enc", NULL);
  mp4 = encoder != NULL;
  *content_type = g_strdup (mp4 ? "video/mp4" : "video/webm");
  if (video != NULL)
    return g_bytes_ref (video);

  fd = g_file_open_tmp ("px-fake-veo-XXXXXX", &path, NULL);
  if (fd < 0)
    return NULL;
  close (fd);
  description = g_strdup_printf ("videotestsrc num-buffers=%d pattern=ball ! video/x-raw,width=%d,height=%d,"
                                 "framerate=24/1 ! videoconvert ! %s ! filesink location=\"%s\"",
                                 seconds * 24, portrait ? 360 : 640, portrait ? 640 : 360,
                                 mp4 ? "x264enc speed-preset=ultrafast ! video/x-h264,profile=high ! h264parse ! "
                                       "mp4mux" : "vp8enc deadline=1 ! webmmux", path);
  pipeline = gst_parse_launch (description, &error);
  if (pipeline != NULL)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
      g_autoptr(GstMessage) message = NULL;

      gst_element_set_state (pipeline, GST_STATE_PLAYING);
      message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      if (message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS &&
          g_file_get_contents (path, &contents, &length, NULL))
        video = g_bytes_new_take (g_steal_pointer (&contents), length);
    }
  g_unlink (path);
  if (video != NULL)
    g_hash_table_insert (veo->videos, g_steal_pointer (&key), g_bytes_ref (video));
  return video;
}

Reply *
px_fake_veo_route (PxFakeVeo         *veo,
                   const char        *base_url,
                   const char        *api_key,
                   SoupServerMessage *msg,
                   const char        *path,
                   GBytes            *body)
{
  const char *method = soup_server_message_get_method (msg);
  Reply *reply = NULL;

  if (g_str_has_prefix (path, "/v1beta/models/veo-") && g_str_equal (method, "POST") &&
      g_str_has_suffix (path, ":predictLongRunning"))
    {
      g_autofree char *model = g_strndup (path + strlen ("/v1beta/models/"),
                                          strlen (path) - strlen ("/v1beta/models/") - strlen (":predictLongRunning"));

      if (!px_fake_google_check_key (api_key, msg, &reply))
        return reply;
      return submit (veo, model, body);
    }
  if (g_str_has_prefix (path, "/v1beta/models/veo-") && g_str_equal (method, "GET") &&
      strstr (path, "/operations/") != NULL)
    {
      const char *operations = strstr (path, "/operations/");
      g_autofree char *model = g_strndup (path + strlen ("/v1beta/models/"),
                                          operations - path - strlen ("/v1beta/models/"));

      if (!px_fake_google_check_key (api_key, msg, &reply))
        return reply;
      return poll (veo, base_url, model, operations + strlen ("/operations/"));
    }
  if (g_str_has_prefix (path, "/v1beta/files/") && g_str_has_suffix (path, ":download") &&
      g_str_equal (method, "GET"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/v1beta/files/"),
                                       strlen (path) - strlen ("/v1beta/files/") - strlen (":download"));

      if (!px_fake_google_check_key (api_key, msg, &reply))
        return reply;
      if (!g_hash_table_contains (veo->operations, id))
        return px_fake_google_error (404, "NOT_FOUND", "Requested entity was not found.", NULL);
      /* Google answers with a redirect to signed storage. */
      reply = px_fake_reply_new (302, "text/html; charset=UTF-8", g_bytes_new_static ("", 0));
      reply->location = g_strdup_printf ("%s/fake-storage/%s?X-Goog-Signature=%08x", base_url, id, g_random_int ());
      return reply;
    }
  if (g_str_has_prefix (path, "/fake-storage/") && g_str_equal (method, "GET"))
    {
      Operation *operation = g_hash_table_lookup (veo->operations, path + strlen ("/fake-storage/"));
      g_autofree char *type = NULL;
      GBytes *video;

      if (operation == NULL)
        return px_fake_reply_new (404, "application/xml", g_bytes_new_static ("<Error><Code>NoSuchKey</Code></Error>",
                                                                              37));
      if (operation->outcome == PX_FAKE_VIDEO_NOT_VIDEO)
        return px_fake_reply_new (200, "video/mp4",
                                  g_bytes_new_static ("<html><body>Service Unavailable</body></html>", 45));
      video = make_video (veo, operation->seconds, operation->portrait, &type);
      if (video == NULL)
        return px_fake_reply_new (500, "text/plain", g_bytes_new_static ("no encoder", 10));
      return px_fake_reply_new (200, type, video);
    }
  return NULL;
}
