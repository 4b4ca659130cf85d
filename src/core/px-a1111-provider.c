/* px-a1111-provider.c: AUTOMATIC1111 and Forge WebUI started with --api:
 * txt2img, or img2img with the reference image. The optional key is the
 * "user:password" of --api-auth. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "px-a1111-provider.h"
#include "px-json.h"

struct _PxA1111Provider
{
  GObject parent_instance;
};

static void provider_iface_init (PxProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PxA1111Provider, px_a1111_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PX_TYPE_PROVIDER, provider_iface_init))

static void
add_number (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  if (strchr (value, '.') != NULL)
    json_builder_add_double_value (builder, g_ascii_strtod (value, NULL));
  else
    json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
}

/* --api-auth USER:PASSWORD, sent as HTTP Basic auth. */
static void
set_auth (SoupMessage             *message,
          const PxProviderContext *context)
{
  if (context->api_key != NULL && *context->api_key != '\0')
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) context->api_key, strlen (context->api_key));
      g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
}

static SoupMessage *
a1111_build_message (PxProvider                *provider,
                     const PxProviderContext   *context,
                     const PxGenerationRequest *request,
                     GHashTable                *settings,
                     GError                   **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean img2img = request->references->len > 0;
  g_autofree char *url = g_strconcat (context->base_url, img2img ? "/sdapi/v1/img2img" : "/sdapi/v1/txt2img", NULL);
  const char *size = g_hash_table_lookup (settings, "size");
  const char *negative = g_hash_table_lookup (settings, "negative_prompt");
  int width = 512, height = 512;
  SoupMessage *message;

  if (size != NULL && sscanf (size, "%dx%d", &width, &height) != 2)
    width = height = 512;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, request->prompt);
  json_builder_set_member_name (builder, "negative_prompt");
  json_builder_add_string_value (builder, negative != NULL ? negative : "");
  add_number (builder, "seed", g_hash_table_lookup (settings, "seed"));
  add_number (builder, "steps", g_hash_table_lookup (settings, "steps"));
  add_number (builder, "cfg_scale", g_hash_table_lookup (settings, "cfg_scale"));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, height);
  json_builder_set_member_name (builder, "batch_size");
  json_builder_add_int_value (builder, px_model_get_count (context->model, settings));
  json_builder_set_member_name (builder, "n_iter");
  json_builder_add_int_value (builder, 1);

  /* A model id the user added names a checkpoint; the built-in one means
   * "whatever the server has loaded". */
  if (context->model->custom)
    {
      json_builder_set_member_name (builder, "override_settings");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sd_model_checkpoint");
      json_builder_add_string_value (builder, context->model->id);
      json_builder_end_object (builder);
    }

  if (img2img)
    {
      json_builder_set_member_name (builder, "init_images");
      json_builder_begin_array (builder);
      for (guint i = 0; i < request->references->len; i++)
        {
          PxImage *image = g_ptr_array_index (request->references, i);
          g_autofree char *data = g_base64_encode (g_bytes_get_data (image->bytes, NULL),
                                                   g_bytes_get_size (image->bytes));
          json_builder_add_string_value (builder, data);
        }
      json_builder_end_array (builder);
      add_number (builder, "denoising_strength", g_hash_table_lookup (settings, "denoising_strength"));
    }
  json_builder_end_object (builder);

  message = px_provider_new_json_message (context, url, builder, error);
  if (message == NULL)
    return NULL;

  set_auth (message, context);
  return message;
}

static SoupMessage *
a1111_build_check_message (PxProvider               *provider,
                           const PxProviderContext  *context,
                           GError                  **error)
{
  g_autofree char *url = g_strconcat (context->base_url, "/sdapi/v1/sd-models", NULL);
  SoupMessage *message = px_provider_new_get_message (context, url, error);

  if (message != NULL)
    set_auth (message, context);
  return message;
}

static gboolean
a1111_parse_response (PxProvider               *provider,
                      const PxProviderContext  *context,
                      GBytes                   *body,
                      PxGenerationResult       *result,
                      GError                  **error)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, error);
  JsonArray *images = NULL;
  const char *info;

  if (root == NULL)
    return FALSE;

  if (json_object_has_member (root, "images"))
    images = px_json_array_member (root, "images");
  if (images == NULL || json_array_get_length (images) == 0)
    {
      g_autofree char *excerpt = px_provider_body_excerpt (body);

      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s answered without an image: “%s”"), context->info->name, excerpt);
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (images); i++)
    {
      JsonNode *node = json_array_get_element (images, i);
      const char *data = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;
      g_autoptr(GBytes) bytes = px_provider_decode_base64 (data, context->info->name, error);
      if (bytes == NULL)
        return FALSE;
      g_ptr_array_add (result->images, px_image_new (bytes, NULL));
    }

  /* "info" is a JSON document inside a string; keep it as the provider's
   * own record of seeds and sampler. */
  info = px_json_string_member (root, "info", NULL);
  if (info != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (px_json_load (parser, info, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        result->provider_metadata = g_strdup (info);
    }

  return TRUE;
}

/* FastAPI's 422: {"detail": [{"loc": ["body", "steps"], "msg": "…"}]}, as
 * "steps: value is not a valid integer; …". */
static char *
describe_validation (JsonArray *details)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (details) && i < 5; i++)
    {
      JsonNode *node = json_array_get_element (details, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *loc = item ? json_object_get_member (item, "loc") : NULL;
      JsonNode *msg = item ? json_object_get_member (item, "msg") : NULL;
      const char *field = NULL;

      if (loc != NULL && JSON_NODE_HOLDS_ARRAY (loc))
        {
          JsonArray *path = json_node_get_array (loc);
          guint n = json_array_get_length (path);
          JsonNode *last = n > 0 ? json_array_get_element (path, n - 1) : NULL;

          if (last != NULL && JSON_NODE_HOLDS_VALUE (last) && json_node_get_value_type (last) == G_TYPE_STRING)
            field = json_node_get_string (last);
        }
      if (msg == NULL || !JSON_NODE_HOLDS_VALUE (msg) || json_node_get_value_type (msg) != G_TYPE_STRING)
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      if (field != NULL)
        g_string_append_printf (out, "%s: ", field);
      g_string_append (out, json_node_get_string (msg));
    }

  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static GError *
a1111_map_error (PxProvider              *provider,
                 const PxProviderContext *context,
                 guint                    status,
                 SoupMessageHeaders      *headers,
                 GBytes                  *body,
                 gint64                  *retry_after_ms)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, NULL);
  const char *message = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *validation = NULL;
  JsonNode *detail = root != NULL ? json_object_get_member (root, "detail") : NULL;

  if (detail != NULL && JSON_NODE_HOLDS_ARRAY (detail))
    message = validation = describe_validation (json_node_get_array (detail));
  for (guint i = 0; root != NULL && message == NULL && i < 3; i++)
    {
      JsonNode *node = json_object_get_member (root, (const char *[]) { "errors", "detail", "error" }[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);
    }
  if (message == NULL)
    message = excerpt = px_provider_body_excerpt (body);

  return px_provider_status_error (context, status, -1, message);
}

static void
provider_iface_init (PxProviderInterface *iface)
{
  iface->build_message = a1111_build_message;
  iface->build_check_message = a1111_build_check_message;
  iface->parse_response = a1111_parse_response;
  iface->map_error = a1111_map_error;
}

static void
px_a1111_provider_class_init (PxA1111ProviderClass *klass)
{
}

static void
px_a1111_provider_init (PxA1111Provider *self)
{
}
