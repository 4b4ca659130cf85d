/* px-fake-google.c: the fake's Google routes — the Gemini API's
 * generateContent (images and text) and Vertex AI Imagen's predict — with
 * Google's key checks and error bodies. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "px-fake-provider-private.h"

/* Google's error envelope. */
Reply *
px_fake_google_error (guint       status,
                      const char *google_status,
                      const char *message,
                      const char *detail_json)
{
  g_autofree char *escaped = g_strescape (message, NULL);
  g_autofree char *text = g_strdup_printf ("{\n  \"error\": {\n    \"code\": %u,\n    \"message\": \"%s\",\n"
                                           "    \"status\": \"%s\"%s%s\n  }\n}\n",
                                           status, escaped, google_status,
                                           detail_json ? ",\n    \"details\": " : "",
                                           detail_json ? detail_json : "");

  return px_fake_reply_new (status, "application/json", g_bytes_new_take (g_steal_pointer (&text), strlen (text)));
}

/* The key in x-goog-api-key, as Google checks it. */
gboolean
px_fake_google_check_key (const char         *expected,
                          SoupServerMessage  *msg,
                          Reply             **reply)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "x-goog-api-key");

  if (expected == NULL || g_strcmp0 (key, expected) == 0)
    return TRUE;

  if (key == NULL)
    *reply = px_fake_google_error (403, "PERMISSION_DENIED",
                                   "Method doesn't allow unregistered callers (callers without established identity). "
                                   "Please use API Key or other form of API consumer identity to call this API.", NULL);
  else
    *reply = px_fake_google_error (400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                                   "[{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\", \"reason\": \"API_KEY_INVALID\", "
                                   "\"domain\": \"googleapis.com\"}]");
  return FALSE;
}


Reply *
px_fake_google_fault_reply (PxFakeFault fault,
                            guint       param)
{
  g_autofree char *details = NULL;

  switch ((int) fault)
    {
    case PX_FAKE_FAULT_RATE_LIMIT:
      if (param > 0)
        details = g_strdup_printf ("[{\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"%us\"}]", param);
      return px_fake_google_error (429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", details);
    case PX_FAKE_FAULT_QUOTA:
      return px_fake_google_error (429, "RESOURCE_EXHAUSTED",
                           "You exceeded your current quota, please check your plan and billing details.",
                           "[{\"@type\": \"type.googleapis.com/google.rpc.QuotaFailure\", \"violations\": "
                           "[{\"quotaMetric\": \"generativelanguage.googleapis.com/generate_requests_per_model_per_day\", "
                           "\"quotaId\": \"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"}]}]");
    case PX_FAKE_FAULT_SERVER_ERROR:
      if (param == 503)
        return px_fake_google_error (503, "UNAVAILABLE", "The model is overloaded. Please try again later.", NULL);
      return px_fake_google_error (param ? param : 500, "INTERNAL", "An internal error has occurred.", NULL);
    default:
      return NULL;
    }
}

static const char * const gemini_ratios[] = { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9", NULL };
static const char * const imagen_ratios[] = { "1:1", "3:4", "4:3", "9:16", "16:9", NULL };

static void
ratio_size (const char *ratio,
            int        *width,
            int        *height)
{
  int a = 1, b = 1;

  if (ratio == NULL || sscanf (ratio, "%d:%d", &a, &b) != 2 || a <= 0 || b <= 0)
    a = b = 1;
  /* About a megapixel, in multiples of 64 */
  *width = ((int) (1024 * sqrt ((double) a / b)) + 32) / 64 * 64;
  *height = ((int) (1024 * sqrt ((double) b / a)) + 32) / 64 * 64;
}

static JsonBuilder *
gemini_text_response (const char *text,
                      gboolean    last,
                      gint64      prompt_tokens,
                      gint64      answer_tokens)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  px_fake_add_string (builder, "text", text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  px_fake_add_string (builder, "role", "model");
  json_builder_end_object (builder);
  if (last)
    px_fake_add_string (builder, "finishReason", "STOP");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  /* As Google sends it: the counts so far on every chunk. */
  json_builder_set_member_name (builder, "usageMetadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "promptTokenCount");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "candidatesTokenCount");
  json_builder_add_int_value (builder, answer_tokens);
  json_builder_set_member_name (builder, "totalTokenCount");
  json_builder_add_int_value (builder, prompt_tokens + answer_tokens);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return builder;
}

Reply *
px_fake_gemini_generate (PxFakeProvider *self,
                         const char     *model,
                         GBytes         *body,
                         gboolean        stream,
                         PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = px_fake_parse_body (body);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GString) prompt = g_string_new (NULL);
  JsonArray *contents, *parts;
  JsonObject *config = NULL, *image_config = NULL, *last;
  const char *ratio = NULL;
  gboolean image_model = strstr (model, "image") != NULL;
  int width, height;

  if (object == NULL)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Invalid JSON payload received.", NULL);
  if (!json_object_has_member (object, "contents") ||
      json_array_get_length (json_object_get_array_member (object, "contents")) == 0)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified", NULL);
  /* gemini-2.5-flash-image is past its shutdown date in late 2026. */
  if (!g_str_has_prefix (model, "gemini-") || g_str_equal (model, "gemini-2.5-flash-image"))
    {
      g_autofree char *message = g_strdup_printf ("models/%s is not found for API version v1beta, or is not supported "
                                                  "for generateContent.", model);
      return px_fake_google_error (404, "NOT_FOUND", message, NULL);
    }

  contents = json_object_get_array_member (object, "contents");
  last = json_array_get_object_element (contents, json_array_get_length (contents) - 1);
  parts = json_object_get_array_member (last, "parts");
  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);
      JsonObject *inline_data;

      if (json_object_has_member (part, "text"))
        g_string_append (prompt, json_object_get_string_member (part, "text"));
      inline_data = json_object_has_member (part, "inline_data") ? json_object_get_object_member (part, "inline_data") :
                    json_object_has_member (part, "inlineData") ? json_object_get_object_member (part, "inlineData") : NULL;
      if (inline_data != NULL)
        {
          gsize size = 0;
          g_autofree guchar *data = g_base64_decode (json_object_get_string_member_with_default (inline_data, "data", ""), &size);

          if (size == 0)
            return px_fake_google_error (400, "INVALID_ARGUMENT", "Unable to process input image. Please retry or report in "
                                                          "https://developers.generativeai.google/guide/troubleshooting", NULL);
        }
    }

  if (json_object_has_member (object, "generationConfig"))
    config = json_object_get_object_member (object, "generationConfig");
  if (config != NULL && json_object_has_member (config, "imageConfig"))
    image_config = json_object_get_object_member (config, "imageConfig");
  if (image_config != NULL)
    ratio = json_object_get_string_member_with_default (image_config, "aspectRatio", NULL);
  if (ratio != NULL && !g_strv_contains (gemini_ratios, ratio))
    {
      g_autofree char *message = g_strdup_printf ("* GenerateContentRequest.generation_config.image_config.aspect_ratio: "
                                                  "unsupported aspect ratio %s", ratio);
      return px_fake_google_error (400, "INVALID_ARGUMENT", message, NULL);
    }

  if (stream || !image_model)
    {
      g_autofree char *rewrite = px_fake_rewrite_prompt (prompt->str, fault);
      g_autoptr(GPtrArray) words = px_fake_split_words (rewrite);
      Reply *reply;

      /* A whole answer, or the same shape once per word with the finish
       * reason on the last (Gemini's SSE has no [DONE]). */
      if (!stream)
        return px_fake_json_reply (200, builder = gemini_text_response (rewrite, TRUE, prompt->len / 4 + 1, words->len));

      reply = px_fake_reply_new (200, "text/event-stream", NULL);
      reply->events = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < words->len; i++)
        {
          g_autoptr(JsonBuilder) chunk = gemini_text_response (g_ptr_array_index (words, i), i + 1 == words->len,
                                                               prompt->len / 4 + 1, i + 1);

          g_ptr_array_add (reply->events, px_fake_node_to_event (chunk));
        }
      return reply;
    }

  ratio_size (ratio, &width, &height);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  if (fault != PX_FAKE_FAULT_POLICY)
    {
      g_autofree char *b64 = px_fake_image_base64 (self, prompt->str, width, height, "png", fault);

      /* Gemini 3 Pro Image thinks first, with draft images marked thought:
       * they come before the answer and are not it. */
      if (strstr (model, "pro-image") != NULL)
        {
          g_autofree char *draft = px_fake_image_base64 (self, "draft", 256, 256, "png", NO_FAULT);

          json_builder_begin_object (builder);
          px_fake_add_string (builder, "text", "**Composing the scene**");
          json_builder_set_member_name (builder, "thought");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "inlineData");
          json_builder_begin_object (builder);
          px_fake_add_string (builder, "mimeType", "image/png");
          px_fake_add_string (builder, "data", draft);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "thought");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
        }
      json_builder_begin_object (builder);
      px_fake_add_string (builder, "text", "Here is the image you asked for.");
      json_builder_end_object (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "inlineData");
      json_builder_begin_object (builder);
      px_fake_add_string (builder, "mimeType", "image/png");
      px_fake_add_string (builder, "data", b64);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  px_fake_add_string (builder, "role", "model");
  json_builder_end_object (builder);
  px_fake_add_string (builder, "finishReason", fault == PX_FAKE_FAULT_POLICY ? "IMAGE_SAFETY" : "STOP");
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "usageMetadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "promptTokenCount");
  json_builder_add_int_value (builder, prompt->len / 4 + 1);
  json_builder_set_member_name (builder, "candidatesTokenCount");
  json_builder_add_int_value (builder, fault == PX_FAKE_FAULT_POLICY ? 0 : 1290);
  json_builder_end_object (builder);
  px_fake_add_string (builder, "modelVersion", model);
  json_builder_end_object (builder);

  return px_fake_json_reply (200, builder);
}

Reply *
px_fake_imagen_predict (PxFakeProvider *self,
                        const char     *model,
                        GBytes         *body,
                        PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = px_fake_parse_body (body);
  g_autoptr(JsonBuilder) builder = NULL;
  JsonArray *instances;
  JsonObject *parameters = NULL;
  const char *prompt, *ratio = NULL, *person = NULL, *image_size = NULL;
  gint64 count = 4;
  int width, height;

  if (object == NULL)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Invalid JSON payload received.", NULL);
  if (!g_str_has_prefix (model, "imagen-"))
    {
      g_autofree char *message = g_strdup_printf ("Publisher Model `projects/express/locations/global/publishers/google/models/%s` "
                                                  "was not found or your project does not have access to it.", model);
      return px_fake_google_error (404, "NOT_FOUND", message, NULL);
    }
  instances = json_object_has_member (object, "instances") ? json_object_get_array_member (object, "instances") : NULL;
  if (instances == NULL || json_array_get_length (instances) != 1)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Exactly one instance is required.", NULL);
  prompt = json_object_get_string_member_with_default (json_array_get_object_element (instances, 0), "prompt", NULL);
  if (prompt == NULL || *prompt == '\0')
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Prompt is required.", NULL);

  if (json_object_has_member (object, "parameters"))
    parameters = json_object_get_object_member (object, "parameters");
  if (parameters != NULL)
    {
      count = json_object_get_int_member_with_default (parameters, "sampleCount", 4);
      ratio = json_object_get_string_member_with_default (parameters, "aspectRatio", NULL);
      person = json_object_get_string_member_with_default (parameters, "personGeneration", NULL);
      image_size = json_object_get_string_member_with_default (parameters, "sampleImageSize", NULL);
      if (json_object_has_member (parameters, "imageSize"))
        return px_fake_google_error (400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"imageSize\" at "
                             "'parameters': Cannot find field.", NULL);
    }
  if (count < 1 || count > 4)
    return px_fake_google_error (400, "INVALID_ARGUMENT", "sampleCount must be between 1 and 4.", NULL);
  if (ratio != NULL && !g_strv_contains (imagen_ratios, ratio))
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Unsupported aspect ratio.", NULL);
  if (person != NULL && !g_str_equal (person, "dont_allow") && !g_str_equal (person, "allow_adult") &&
      !g_str_equal (person, "allow_all"))
    return px_fake_google_error (400, "INVALID_ARGUMENT", "Unsupported personGeneration value.", NULL);
  if (image_size != NULL && (strstr (model, "fast") != NULL || g_str_has_prefix (model, "imagen-3")))
    return px_fake_google_error (400, "INVALID_ARGUMENT", "sampleImageSize is not supported by this model.", NULL);

  ratio_size (ratio, &width, &height);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "predictions");
  json_builder_begin_array (builder);
  for (gint64 i = 0; i < count; i++)
    {
      json_builder_begin_object (builder);
      if (fault == PX_FAKE_FAULT_POLICY)
        px_fake_add_string (builder, "raiFilteredReason",
                    "Your current safety filter threshold filtered out the generated image.");
      else
        {
          g_autofree char *b64 = px_fake_image_base64 (self, prompt, width, height, "png", fault);

          px_fake_add_string (builder, "mimeType", "image/png");
          px_fake_add_string (builder, "bytesBase64Encoded", b64);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return px_fake_json_reply (200, builder);
}
