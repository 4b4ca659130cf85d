/* px-openai-provider.c: OpenAI Images (dall-e-3, GPT image models) and every
 * OpenAI-compatible server: /images/generations as JSON, /images/edits as
 * multipart with the reference images. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-openai-provider.h"
#include "px-json.h"

struct _PxOpenaiProvider
{
  GObject parent_instance;
};

static void provider_iface_init (PxProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PxOpenaiProvider, px_openai_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PX_TYPE_PROVIDER, provider_iface_init))

/* Settings that travel under the same name as in the API. */
static const char * const passthrough[] = { "size", "quality", "style", "background", "output_format", NULL };

static void
set_auth (SoupMessage             *message,
          const PxProviderContext *context)
{
  if (context->api_key != NULL && *context->api_key != '\0')
    {
      g_autofree char *value = g_strconcat ("Bearer ", context->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
}

/* The JSON of an image generation, as /images/generations takes it (and
 * as a line of a batch carries it). */
void
px_openai_add_generation (JsonBuilder               *builder,
                          const PxModel             *model,
                          const PxGenerationRequest *request,
                          GHashTable                *settings)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model->id);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, px_model_get_count (model, settings));
  for (guint i = 0; passthrough[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (settings, passthrough[i]);

      if (value != NULL)
        {
          json_builder_set_member_name (builder, passthrough[i]);
          json_builder_add_string_value (builder, value);
        }
    }
  /* DALL·E and most compatible servers send a URL unless asked; GPT image
   * models always send base64 and reject the parameter. */
  if (model->response_format)
    {
      json_builder_set_member_name (builder, "response_format");
      json_builder_add_string_value (builder, "b64_json");
    }
  json_builder_end_object (builder);
}

static SoupMessage *
build_generation (const PxProviderContext   *context,
                  const PxGenerationRequest *request,
                  GHashTable                *settings,
                  GError                   **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strconcat (context->base_url, "/images/generations", NULL);

  px_openai_add_generation (builder, context->model, request, settings);
  return px_provider_new_json_message (context, url, builder, error);
}

static SoupMessage *
build_edit (const PxProviderContext   *context,
            const PxGenerationRequest *request,
            GHashTable                *settings,
            GError                   **error)
{
  g_autofree char *url = g_strconcat (context->base_url, "/images/edits", NULL);
  g_autofree char *n = g_strdup_printf ("%u", px_model_get_count (context->model, settings));
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  SoupMessage *message;

  soup_multipart_append_form_string (multipart, "model", context->model->id);
  soup_multipart_append_form_string (multipart, "prompt", request->prompt);
  soup_multipart_append_form_string (multipart, "n", n);
  for (guint i = 0; passthrough[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (settings, passthrough[i]);

      /* style is a DALL·E 3 generation setting only */
      if (value != NULL && !g_str_equal (passthrough[i], "style"))
        soup_multipart_append_form_string (multipart, passthrough[i], value);
    }
  if (context->model->response_format)
    soup_multipart_append_form_string (multipart, "response_format", "b64_json");

  for (guint i = 0; i < request->references->len; i++)
    {
      PxImage *image = g_ptr_array_index (request->references, i);
      const char *ext = g_str_equal (image->mime_type, "image/jpeg") ? "jpg" :
                        g_str_equal (image->mime_type, "image/webp") ? "webp" : "png";
      g_autofree char *filename = g_strdup_printf ("reference-%u.%s", i + 1, ext);

      soup_multipart_append_form_file (multipart,
                                       request->references->len > 1 ? "image[]" : "image",
                                       filename, image->mime_type, image->bytes);
    }

  if (request->mask != NULL)
    soup_multipart_append_form_file (multipart, "mask", "mask.png", "image/png", request->mask->bytes);

  message = soup_message_new_from_multipart (url, multipart);
  if (message == NULL)
    px_provider_set_invalid_url_error (context, error);
  return message;
}

static SoupMessage *
openai_build_check_message (PxProvider               *provider,
                            const PxProviderContext  *context,
                            GError                  **error)
{
  g_autofree char *url = g_strconcat (context->base_url, "/models", NULL);
  SoupMessage *message = px_provider_new_get_message (context, url, error);

  if (message != NULL)
    set_auth (message, context);
  return message;
}

static SoupMessage *
openai_build_message (PxProvider                *provider,
                      const PxProviderContext   *context,
                      const PxGenerationRequest *request,
                      GHashTable                *settings,
                      GError                   **error)
{
  SoupMessage *message;
  const char *background = g_hash_table_lookup (settings, "background");
  const char *format = g_hash_table_lookup (settings, "output_format");

  /* The API refuses this after the request is sent; say it before. */
  if (g_strcmp0 (background, "transparent") == 0 && g_strcmp0 (format, "jpeg") == 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("A transparent background needs PNG or WebP output: JPEG has no transparency. Choose "
                     "another output format or an opaque background."));
      return NULL;
    }

  if (request->references->len > 0)
    message = build_edit (context, request, settings, error);
  else
    message = build_generation (context, request, settings, error);

  if (message == NULL)
    return NULL;

  set_auth (message, context);
  return message;
}

static gboolean
openai_parse_response (PxProvider               *provider,
                       const PxProviderContext  *context,
                       GBytes                   *body,
                       PxGenerationResult       *result,
                       GError                  **error)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, error);
  JsonArray *data;

  if (root == NULL)
    return FALSE;

  data = px_json_array_member (root, "data");
  if (data == NULL || json_array_get_length (data) == 0)
    {
      g_autofree char *excerpt = px_provider_body_excerpt (body);

      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s answered without an image: “%s”"), context->info->name, excerpt);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *item = px_json_object_element (data, i);
      const char *b64 = item ? px_json_string_member (item, "b64_json", NULL) : NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (b64 == NULL)
        {
          g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                       _("%s sent a link instead of the image data; the server does not support "
                         "response_format=b64_json."), context->info->name);
          return FALSE;
        }

      bytes = px_provider_decode_base64 (b64, context->info->name, error);
      if (bytes == NULL)
        return FALSE;
      g_ptr_array_add (result->images, px_image_new (bytes, NULL));

      if (result->revised_prompt == NULL && json_object_has_member (item, "revised_prompt"))
        result->revised_prompt = g_strdup (px_json_string_member (item, "revised_prompt", NULL));
    }

  {
    JsonObject *usage = px_json_object_member (root, "usage");
    JsonObject *details = px_json_object_member (usage, "input_tokens_details");

    result->output_tokens = px_json_int_member (usage, "output_tokens", -1);
    result->input_text_tokens = px_json_int_member (details, "text_tokens", 0);
    result->input_image_tokens = px_json_int_member (details, "image_tokens", 0);
  }

  return TRUE;
}

static GError *
openai_map_error (PxProvider              *provider,
                  const PxProviderContext *context,
                  guint                    status,
                  SoupMessageHeaders      *headers,
                  GBytes                  *body,
                  gint64                  *retry_after_ms)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, NULL);
  JsonObject *error = NULL;
  const char *message = NULL, *code = NULL, *type = NULL;
  int px_code = -1;

  if (root != NULL && json_object_has_member (root, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error")))
    error = json_object_get_object_member (root, "error");

  if (error != NULL)
    {
      message = px_json_string_member (error, "message", NULL);
      code = px_json_string_member (error, "code", NULL);
      type = px_json_string_member (error, "type", NULL);
    }

  if (g_strcmp0 (code, "moderation_blocked") == 0 || g_strcmp0 (code, "content_policy_violation") == 0 ||
      g_strcmp0 (type, "image_generation_user_error") == 0)
    px_code = PX_PROVIDER_ERROR_POLICY;
  else if (g_strcmp0 (code, "insufficient_quota") == 0 || g_strcmp0 (type, "insufficient_quota") == 0 ||
           g_strcmp0 (code, "billing_hard_limit_reached") == 0)
    px_code = PX_PROVIDER_ERROR_QUOTA;
  else if (g_strcmp0 (code, "billing_not_active") == 0 || g_strcmp0 (type, "billing_not_active") == 0)
    px_code = PX_PROVIDER_ERROR_BILLING;
  else if (g_strcmp0 (code, "unsupported_country_region_territory") == 0)
    px_code = PX_PROVIDER_ERROR_REGION;
  else if (g_strcmp0 (code, "model_not_found") == 0)
    px_code = PX_PROVIDER_ERROR_MODEL_RETIRED;
  else if (status == 403 && message != NULL && strstr (message, "must be verified") != NULL)
    px_code = PX_PROVIDER_ERROR_NOT_VERIFIED;

  if (message == NULL)
    {
      g_autofree char *excerpt = px_provider_body_excerpt (body);
      return px_provider_status_error (context, status, px_code, excerpt);
    }

  return px_provider_status_error (context, status, px_code, message);
}

static void
provider_iface_init (PxProviderInterface *iface)
{
  iface->build_message = openai_build_message;
  iface->build_check_message = openai_build_check_message;
  iface->parse_response = openai_parse_response;
  iface->map_error = openai_map_error;
}

static void
px_openai_provider_class_init (PxOpenaiProviderClass *klass)
{
}

static void
px_openai_provider_init (PxOpenaiProvider *self)
{
}
