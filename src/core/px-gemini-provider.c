/* px-gemini-provider.c: Gemini image models through generateContent on the
 * Gemini API; reference images travel inline with the prompt. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-gemini-provider.h"
#include "px-json.h"

struct _PxGeminiProvider
{
  GObject parent_instance;
};

static void provider_iface_init (PxProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PxGeminiProvider, px_gemini_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PX_TYPE_PROVIDER, provider_iface_init))

static SoupMessage *
gemini_build_check_message (PxProvider               *provider,
                        const PxProviderContext  *context,
                        GError                  **error)
{
  g_autofree char *url = g_strconcat (context->base_url, "/v1beta/models", NULL);
  SoupMessage *message = px_provider_new_get_message (context, url, error);

  if (message != NULL && context->api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", context->api_key);
  return message;
}

/* The GenerateContentRequest for @request, as the next value of @builder:
 * what generateContent takes, and what each line of a batch carries. */
void
px_gemini_add_request (JsonBuilder               *builder,
                       const PxGenerationRequest *request,
                       GHashTable                *settings)
{
  const char *aspect = g_hash_table_lookup (settings, "aspect_ratio");
  const char *image_size = g_hash_table_lookup (settings, "image_size");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contents");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, request->prompt);
  json_builder_end_object (builder);

  for (guint i = 0; i < request->references->len; i++)
    {
      PxImage *image = g_ptr_array_index (request->references, i);
      g_autofree char *data = g_base64_encode (g_bytes_get_data (image->bytes, NULL),
                                               g_bytes_get_size (image->bytes));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "inline_data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mime_type");
      json_builder_add_string_value (builder, image->mime_type);
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, data);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "generationConfig");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "responseModalities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "TEXT");
  json_builder_add_string_value (builder, "IMAGE");
  json_builder_end_array (builder);
  if (aspect != NULL || image_size != NULL)
    {
      json_builder_set_member_name (builder, "imageConfig");
      json_builder_begin_object (builder);
      if (aspect != NULL)
        {
          json_builder_set_member_name (builder, "aspectRatio");
          json_builder_add_string_value (builder, aspect);
        }
      /* Gemini 3 image models only; the catalog offers it where it applies. */
      if (image_size != NULL)
        {
          json_builder_set_member_name (builder, "imageSize");
          json_builder_add_string_value (builder, image_size);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static SoupMessage *
gemini_build_message (PxProvider                *provider,
                      const PxProviderContext   *context,
                      const PxGenerationRequest *request,
                      GHashTable                *settings,
                      GError                   **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("%s/v1beta/models/%s:generateContent",
                                          context->base_url, context->model->id);
  SoupMessage *message;

  px_gemini_add_request (builder, request, settings);
  message = px_provider_new_json_message (context, url, builder, error);
  if (message == NULL)
    return NULL;

  if (context->api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "x-goog-api-key", context->api_key);
  return message;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name,
               const char *alt_name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && alt_name != NULL)
    node = json_object_get_member (object, alt_name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
gemini_parse_response (PxProvider               *provider,
                       const PxProviderContext  *context,
                       GBytes                   *body,
                       PxGenerationResult       *result,
                       GError                  **error)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, error);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *feedback, *candidate = NULL, *content, *usage;
  JsonArray *candidates = NULL, *parts = NULL;
  const char *finish = NULL;

  if (root == NULL)
    return FALSE;

  feedback = member_object (root, "promptFeedback", NULL);
  if (feedback != NULL && json_object_has_member (feedback, "blockReason"))
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY,
                   _("%s refused this prompt under its content policy: “%s”. Try rewording it."),
                   context->info->name, px_json_string_member (feedback, "blockReason", "?"));
      return FALSE;
    }

  if (json_object_has_member (root, "candidates"))
    candidates = px_json_array_member (root, "candidates");
  if (candidates != NULL && json_array_get_length (candidates) > 0)
    candidate = px_json_object_element (candidates, 0);
  if (candidate != NULL)
    {
      finish = px_json_string_member (candidate, "finishReason", NULL);
      content = member_object (candidate, "content", NULL);
      if (content != NULL && json_object_has_member (content, "parts"))
        parts = px_json_array_member (content, "parts");
    }

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *part = px_json_object_element (parts, i);
      JsonObject *inline_data = part ? member_object (part, "inlineData", "inline_data") : NULL;

      /* Thinking models show drafts as parts marked thought: not the answer,
       * and not what the user pays the image price for. */
      if (part != NULL && json_object_get_boolean_member_with_default (part, "thought", FALSE))
        continue;
      if (inline_data != NULL)
        {
          const char *data = px_json_string_member (inline_data, "data", NULL);
          g_autoptr(GBytes) bytes = px_provider_decode_base64 (data, context->info->name, error);

          if (bytes == NULL)
            return FALSE;
          g_ptr_array_add (result->images, px_image_new (bytes, NULL));
        }
      else if (part != NULL && json_object_has_member (part, "text"))
        g_string_append (text, px_json_string_member (part, "text", ""));
    }

  usage = member_object (root, "usageMetadata", NULL);
  if (usage != NULL && json_object_has_member (usage, "candidatesTokenCount"))
    result->output_tokens = px_json_int_member (usage, "candidatesTokenCount", -1);

  if (result->images->len > 0)
    {
      if (text->len > 0)
        result->revised_prompt = g_strdup (text->str);
      return TRUE;
    }

  if (finish != NULL && (g_str_equal (finish, "IMAGE_SAFETY") || g_str_equal (finish, "SAFETY") ||
                         g_str_equal (finish, "PROHIBITED_CONTENT") || g_str_equal (finish, "IMAGE_PROHIBITED_CONTENT")))
    g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY,
                 _("%s refused to make this image under its content policy (%s)%s%s. Try rewording it."),
                 context->info->name, finish, text->len > 0 ? ": " : "", text->str);
  else if (finish != NULL && g_str_equal (finish, "IMAGE_RECITATION"))
    g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY,
                 _("%s stopped because the image would copy existing work too closely (IMAGE_RECITATION). "
                   "Try a less specific prompt."), context->info->name);
  else if (finish != NULL && (g_str_equal (finish, "IMAGE_OTHER") || g_str_equal (finish, "NO_IMAGE")))
    g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                 _("%s made no image (%s)%s%s. Try again or reword the prompt."),
                 context->info->name, finish, text->len > 0 ? ": " : "", text->str);
  else
    g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                 _("%s answered without an image%s%s"),
                 context->info->name, text->len > 0 ? ": " : ".", text->str);

  return FALSE;
}

static void
provider_iface_init (PxProviderInterface *iface)
{
  iface->build_message = gemini_build_message;
  iface->build_check_message = gemini_build_check_message;
  iface->parse_response = gemini_parse_response;
  iface->map_error = px_provider_google_error;
}

static void
px_gemini_provider_class_init (PxGeminiProviderClass *klass)
{
}

static void
px_gemini_provider_init (PxGeminiProvider *self)
{
}
