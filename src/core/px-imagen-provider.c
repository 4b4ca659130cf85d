/* px-imagen-provider.c: Imagen through :predict on Vertex AI with an
 * express-mode API key (the Gemini API's Imagen path is deprecated). */
#include "config.h"

#include <glib/gi18n.h>

#include "px-imagen-provider.h"
#include "px-json.h"

struct _PxImagenProvider
{
  GObject parent_instance;
};

static void provider_iface_init (PxProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PxImagenProvider, px_imagen_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PX_TYPE_PROVIDER, provider_iface_init))

/* Our setting name -> the API's parameter name. */
static const char * const parameters[][2] = {
  { "aspect_ratio", "aspectRatio" },
  { "person_generation", "personGeneration" },
  { "image_size", "sampleImageSize" },
};

static SoupMessage *
imagen_build_check_message (PxProvider               *provider,
                        const PxProviderContext  *context,
                        GError                  **error)
{
  g_autofree char *url = g_strconcat (context->base_url, "/v1beta1/publishers/google/models", NULL);
  SoupMessage *message = px_provider_new_get_message (context, url, error);

  if (message != NULL && context->api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", context->api_key);
  return message;
}

static SoupMessage *
imagen_build_message (PxProvider                *provider,
                      const PxProviderContext   *context,
                      const PxGenerationRequest *request,
                      GHashTable                *settings,
                      GError                   **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("%s/v1beta1/publishers/google/models/%s:predict",
                                          context->base_url, context->model->id);
  SoupMessage *message;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "instances");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  /* The API makes 4 unless told otherwise. */
  json_builder_set_member_name (builder, "sampleCount");
  json_builder_add_int_value (builder, px_model_get_count (context->model, settings));
  for (guint i = 0; i < G_N_ELEMENTS (parameters); i++)
    {
      const char *value = g_hash_table_lookup (settings, parameters[i][0]);

      if (value != NULL)
        {
          json_builder_set_member_name (builder, parameters[i][1]);
          json_builder_add_string_value (builder, value);
        }
    }
  /* Say why a sample was filtered instead of dropping it silently. */
  json_builder_set_member_name (builder, "includeRaiReason");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  message = px_provider_new_json_message (context, url, builder, error);
  if (message == NULL)
    return NULL;

  if (context->api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "x-goog-api-key", context->api_key);
  return message;
}

static gboolean
imagen_parse_response (PxProvider               *provider,
                       const PxProviderContext  *context,
                       GBytes                   *body,
                       PxGenerationResult       *result,
                       GError                  **error)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, error);
  JsonArray *predictions = NULL;
  const char *filtered = NULL;

  if (root == NULL)
    return FALSE;

  if (json_object_has_member (root, "predictions"))
    predictions = px_json_array_member (root, "predictions");

  for (guint i = 0; predictions != NULL && i < json_array_get_length (predictions); i++)
    {
      JsonObject *prediction = px_json_object_element (predictions, i);
      const char *data;
      g_autoptr(GBytes) bytes = NULL;

      if (prediction == NULL)
        continue;

      data = px_json_string_member (prediction, "bytesBase64Encoded", NULL);
      if (data == NULL)
        {
          /* A sample the safety filter removed. */
          filtered = px_json_string_member (prediction, "raiFilteredReason", filtered);
          continue;
        }

      bytes = px_provider_decode_base64 (data, context->info->name, error);
      if (bytes == NULL)
        return FALSE;
      g_ptr_array_add (result->images,
                       px_image_new (bytes, px_json_string_member (prediction, "mimeType", NULL)));
    }

  if (result->images->len > 0)
    return TRUE;

  g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY,
               _("%s did not return any image: its safety filter removed them (“%s”). Try rewording the prompt."),
               context->info->name, filtered ? filtered : _("no reason given"));
  return FALSE;
}

static void
provider_iface_init (PxProviderInterface *iface)
{
  iface->build_message = imagen_build_message;
  iface->build_check_message = imagen_build_check_message;
  iface->parse_response = imagen_parse_response;
  iface->map_error = px_provider_google_error;
}

static void
px_imagen_provider_class_init (PxImagenProviderClass *klass)
{
}

static void
px_imagen_provider_init (PxImagenProvider *self)
{
}
