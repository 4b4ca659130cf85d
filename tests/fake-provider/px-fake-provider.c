/* px-fake-provider.c: a libsoup server on 127.0.0.1 that answers like
 * OpenAI, the Gemini API, Vertex AI Imagen and AUTOMATIC1111: same paths,
 * auth headers, validation, JSON, base64 images and error bodies. Faults are
 * scripted per request (a FIFO queue) or drawn at a given rate. The code
 * under test only knows a base URL. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "px-fake-account.h"
#include "px-fake-image.h"
#include "px-fake-provider.h"
#include "px-fake-batch.h"
#include "px-fake-openai-batch.h"
#include "px-fake-veo.h"
#include "px-fake-reply.h"

#define NO_FAULT ((PxFakeFault) -1)

static GBytes *
static_text (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

typedef struct {
  PxFakeFault fault;
  guint       param;
} QueuedFault;

struct _PxFakeProvider
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *url;
  char        *api_key;
  guint        latency_ms;
  GQueue       faults;
  PxFakeFault  rate_faults[4];   /* faults at random, each with its percentage */
  guint        rate_percents[4];
  guint        n_rates;
  GPtrArray   *requests;
  GHashTable  *images;   /* "format|WxH|prompt" -> GBytes */
  GHashTable  *encoded;  /* the same keys -> base64 */
  GHashTable  *responses; /* request body checksum -> response body */
  guint        in_flight;
  guint        max_in_flight;
  PxFakeAccount account;
  gboolean     plain_images;  /* one picture per size, not one per prompt: cheap, for benchmarks */
  gboolean     small_images;  /* at most 64 px a side, whatever was asked: for benchmarks */
  PxFakeVeo   *veo;
  PxFakeBatch *batch;
  PxFakeOpenaiBatch *openai_batch;
  guint        batch_polls;       /* what both batch engines are set to */
  PxFakeBatchOutcome batch_outcome;
  guint        batch_failing;
  guint        batch_stall_ms;
  gboolean     batch_log;
};

G_DEFINE_FINAL_TYPE (PxFakeProvider, px_fake_provider, G_TYPE_OBJECT)



static void
request_free (PxFakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->authorization);
  g_free (request->google_key);
  g_free (request->content_type);
  g_free (request->content_type_header);
  g_bytes_unref (request->body);
  g_free (request);
}


static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static Reply *
json_reply (guint        status,
            JsonBuilder *builder)
{
  return px_fake_reply_new (status, "application/json", builder_to_bytes (builder));
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* ---- images ---- */

static GBytes *
get_image (PxFakeProvider *self,
           const char     *prompt,
           int             width,
           int             height,
           const char     *format)
{
  g_autofree char *key = NULL;
  GBytes *bytes;

  if (self->plain_images)
    prompt = "";
  key = g_strdup_printf ("%s|%dx%d|%s", format, width, height, prompt);
  bytes = g_hash_table_lookup (self->images, key);

  if (bytes == NULL)
    {
      if (g_hash_table_size (self->images) > 32)
        {
          g_hash_table_remove_all (self->images);
          g_hash_table_remove_all (self->encoded);
        }
      bytes = px_fake_render_image (prompt, width, height, format);
      g_hash_table_insert (self->images, g_steal_pointer (&key), bytes);
    }

  return g_bytes_ref (bytes);
}

/* Base64 of the image, or of what an image fault puts in its place. */
static char *
image_base64 (PxFakeProvider *self,
              const char     *prompt,
              int             width,
              int             height,
              const char     *format,
              PxFakeFault     fault)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const guchar *data;
  g_autofree char *key = NULL;
  const char *cached;

  if (self->small_images && MAX (width, height) > 64)
    {
      int longest = MAX (width, height);

      width = MAX (1, width * 64 / longest);
      height = MAX (1, height * 64 / longest);
    }
  if (fault == PX_FAKE_FAULT_NOT_IMAGE)
    {
      static const char html[] = "<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>";
      return g_base64_encode ((const guchar *) html, sizeof html - 1);
    }
  if (fault == PX_FAKE_FAULT_BOMB)
    bytes = px_fake_bomb_png (60000, 60000);
  else
    {
      /* Encoding is most of the fake's work per answer; keep it, so a
       * benchmark measures Pixmerge and not the fake. */
      key = g_strdup_printf ("%s|%dx%d|%s", format, width, height, self->plain_images ? "" : prompt);
      cached = g_hash_table_lookup (self->encoded, key);
      if (cached != NULL && fault != PX_FAKE_FAULT_TRUNCATED_IMAGE)
        return g_strdup (cached);
      bytes = get_image (self, prompt, width, height, format);
    }

  data = g_bytes_get_data (bytes, &size);
  if (fault == PX_FAKE_FAULT_TRUNCATED_IMAGE)
    return g_base64_encode (data, size / 2);

  if (key != NULL)
    {
      char *encoded = g_base64_encode (data, size);

      g_hash_table_insert (self->encoded, g_steal_pointer (&key), g_strdup (encoded));
      return encoded;
    }
  return g_base64_encode (data, size);
}

/* ---- OpenAI ---- */

typedef struct {
  const char         *model;
  guint               max_prompt;
  guint               max_n;
  const char * const *sizes;
  const char * const *qualities;
  const char * const *styles;
  gboolean            gpt_image;
} OpenaiModel;

static const char * const gpt_sizes[] = { "1024x1024", "1536x1024", "1024x1536", "auto", NULL };
static const char * const gpt_qualities[] = { "low", "medium", "high", "auto", NULL };
static const char * const local_sizes[] = { "256x256", "512x512", "768x768", "1024x1024", NULL };

/* What OpenAI serves in late 2026; dall-e-3 and gpt-image-1 are shut down
 * and answer 404 model_not_found like any model an account cannot use.
 * gpt-image-2 takes any size (NULL: multiples of 16 up to 3840). */
static const OpenaiModel openai_models[] = {
  { "gpt-image-2", 32000, 10, NULL, gpt_qualities, NULL, TRUE },
  { "gpt-image-1-mini", 32000, 10, gpt_sizes, gpt_qualities, NULL, TRUE },
  { "gpt-image-1.5", 32000, 10, gpt_sizes, gpt_qualities, NULL, TRUE },
  /* What an OpenAI-compatible local server (sd-server, LocalAI) serves. */
  { "local-model", 4000, 4, local_sizes, NULL, NULL, FALSE },
};

static Reply *
openai_error (guint       status,
              const char *message,
              const char *type,
              const char *param,
              const char *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_string (builder, "message", message);
  add_string (builder, "type", type);
  add_string (builder, "param", param);
  add_string (builder, "code", code);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_reply (status, builder);
}

static Reply *
openai_fault_reply (PxFakeFault fault,
                    guint       param)
{
  Reply *reply;

  switch ((int) fault)
    {
    case PX_FAKE_FAULT_RATE_LIMIT:
      reply = openai_error (429, "Rate limit reached for images per min. Limit: 5/1min. Please try again later.",
                            "requests", NULL, "rate_limit_exceeded");
      if (param > 0)
        reply->retry_after = g_strdup_printf ("%u", param);
      return reply;
    case PX_FAKE_FAULT_RATE_LIMIT_MS:
      reply = openai_error (429, "Rate limit reached for images per min. Please try again later.",
                            "requests", NULL, "rate_limit_exceeded");
      reply->retry_after_ms = g_strdup_printf ("%u", param);
      return reply;
    case PX_FAKE_FAULT_QUOTA:
      return openai_error (429, "You exceeded your current quota, please check your plan and billing details.",
                           "insufficient_quota", NULL, "insufficient_quota");
    case PX_FAKE_FAULT_SERVER_ERROR:
      return openai_error (param ? param : 500,
                           "The server had an error while processing your request. Sorry about that!",
                           "server_error", NULL, NULL);
    case PX_FAKE_FAULT_POLICY:
      return openai_error (400, "Your request was rejected as a result of our safety system. "
                                "Your prompt may contain text that is not allowed by our safety system.",
                           "image_generation_user_error", NULL, "moderation_blocked");
    default:
      return NULL;
    }
}

static gboolean
openai_check_key (PxFakeProvider     *self,
                  SoupServerMessage  *msg,
                  Reply             **reply)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (self->api_key == NULL)
    return TRUE;

  if (auth == NULL)
    {
      *reply = openai_error (401, "You didn't provide an API key. You need to provide your API key in an "
                                  "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                             "invalid_request_error", NULL, NULL);
      return FALSE;
    }
  if (!g_str_has_prefix (auth, "Bearer ") || g_strcmp0 (auth + 7, self->api_key) != 0)
    {
      *reply = openai_error (401, "Incorrect API key provided. You can find your API key at "
                                  "https://platform.openai.com/account/api-keys.",
                             "invalid_request_error", NULL, "invalid_api_key");
      return FALSE;
    }

  return TRUE;
}

static const OpenaiModel *
openai_find_model (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (openai_models); i++)
    if (g_strcmp0 (openai_models[i].model, id) == 0)
      return &openai_models[i];

  return NULL;
}

/* Validates like the real endpoint and answers with n images. fields is a
 * lookup of the request's parameters (JSON or multipart). */
static Reply *
openai_images (PxFakeProvider *self,
               GHashTable     *fields,
               guint           n_references,
               gboolean        edit,
               PxFakeFault     fault)
{
  const char *model_id = g_hash_table_lookup (fields, "model");
  const char *prompt = g_hash_table_lookup (fields, "prompt");
  const char *size = g_hash_table_lookup (fields, "size");
  const char *quality = g_hash_table_lookup (fields, "quality");
  const char *style = g_hash_table_lookup (fields, "style");
  const char *format = g_hash_table_lookup (fields, "output_format");
  const char *response_format = g_hash_table_lookup (fields, "response_format");
  const char *n_text = g_hash_table_lookup (fields, "n");
  const OpenaiModel *model;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *message = NULL;
  int width = 1024, height = 1024;
  guint n = n_text ? (guint) g_ascii_strtoull (n_text, NULL, 10) : 1;
  gint64 tokens;

  if (prompt == NULL || *prompt == '\0')
    return openai_error (400, "Missing required parameter: 'prompt'.", "invalid_request_error", "prompt", "missing_required_parameter");
  if (model_id == NULL)
    model_id = "dall-e-2";
  model = openai_find_model (model_id);
  if (model == NULL)
    {
      message = g_strdup_printf ("The model `%s` does not exist or you do not have access to it.", model_id);
      return openai_error (404, message, "invalid_request_error", NULL, "model_not_found");
    }
  if (edit && !model->gpt_image && !g_str_equal (model->model, "local-model"))
    {
      message = g_strdup_printf ("Invalid model %s. The model does not support image edits.", model_id);
      return openai_error (400, message, "invalid_request_error", "model", "invalid_value");
    }
  if (edit && n_references == 0)
    return openai_error (400, "Missing required parameter: 'image'.", "invalid_request_error", "image", "missing_required_parameter");
  if (strlen (prompt) > model->max_prompt)
    {
      message = g_strdup_printf ("Invalid 'prompt': string too long. Expected a string with maximum length %u, "
                                 "but got a string with length %zu instead.", model->max_prompt, strlen (prompt));
      return openai_error (400, message, "invalid_request_error", "prompt", "string_above_max_length");
    }
  if (n < 1 || n > model->max_n)
    {
      message = g_strdup_printf ("Invalid 'n': %u. %s supports at most %u.", n, model_id, model->max_n);
      return openai_error (400, message, "invalid_request_error", "n", "invalid_value");
    }
  if (size != NULL && model->sizes == NULL && !g_str_equal (size, "auto") &&
      (sscanf (size, "%dx%d", &width, &height) != 2 || width % 16 || height % 16 || width > 3840 || height > 3840 ||
       width < 16 || height < 16))
    return openai_error (400, "Invalid value for 'size': both sides must be multiples of 16, at most 3840.",
                         "invalid_request_error", "size", "invalid_value");
  if (size != NULL && model->sizes != NULL && !g_strv_contains (model->sizes, size))
    {
      message = g_strdup_printf ("Invalid value: '%s'. Supported values are: %s.", size, model->sizes[0]);
      return openai_error (400, message, "invalid_request_error", "size", "invalid_value");
    }
  if (quality != NULL && (model->qualities == NULL || !g_strv_contains (model->qualities, quality)))
    return openai_error (400, "Invalid value for 'quality'.", "invalid_request_error", "quality", "invalid_value");
  if (style != NULL && (model->styles == NULL || !g_strv_contains (model->styles, style)))
    return openai_error (400, style && model->styles == NULL ? "Unknown parameter: 'style'." : "Invalid value for 'style'.",
                         "invalid_request_error", "style", "invalid_value");
  if (model->gpt_image && response_format != NULL)
    return openai_error (400, "Unknown parameter: 'response_format'.", "invalid_request_error", "response_format", "unknown_parameter");
  if (!model->gpt_image && (format != NULL || g_hash_table_contains (fields, "background")))
    return openai_error (400, "Unknown parameter: 'output_format'.", "invalid_request_error", "output_format", "unknown_parameter");
  if (g_strcmp0 (g_hash_table_lookup (fields, "background"), "transparent") == 0 &&
      g_str_equal (model->model, "gpt-image-2"))
    return openai_error (400, "Transparent background is not supported for this model.", "invalid_request_error",
                         "background", "invalid_value");
  if (g_strcmp0 (g_hash_table_lookup (fields, "background"), "transparent") == 0 && g_strcmp0 (format, "jpeg") == 0)
    return openai_error (400, "Transparent background requires output_format png or webp.", "invalid_request_error",
                         "background", "invalid_value");
  if (format != NULL && !g_str_equal (format, "png") && !g_str_equal (format, "jpeg") && !g_str_equal (format, "webp"))
    return openai_error (400, "Invalid value for 'output_format'.", "invalid_request_error", "output_format", "invalid_value");

  if (fault == PX_FAKE_FAULT_POLICY)
    return openai_fault_reply (fault, 0);

  if (size != NULL && !g_str_equal (size, "auto"))
    sscanf (size, "%dx%d", &width, &height);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (builder);
      if (model->gpt_image || g_strcmp0 (response_format, "b64_json") == 0)
        {
          g_autofree char *b64 = image_base64 (self, prompt, width, height, format ? format : "png", fault);
          add_string (builder, "b64_json", b64);
        }
      else
        {
          g_autofree char *url = g_strdup_printf ("%s/files/image-%u.png", self->url, i);
          add_string (builder, "url", url);
        }
      if (g_str_equal (model->model, "dall-e-3"))
        {
          g_autofree char *revised = g_strdup_printf ("A detailed illustration: %s", prompt);
          add_string (builder, "revised_prompt", revised);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (model->gpt_image)
    {
      tokens = g_strcmp0 (quality, "low") == 0 ? 272 : g_strcmp0 (quality, "high") == 0 ? 4160 : 1056;
      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "input_tokens");
      json_builder_add_int_value (builder, strlen (prompt) / 4 + 1 + 323 * n_references);
      json_builder_set_member_name (builder, "input_tokens_details");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text_tokens");
      json_builder_add_int_value (builder, strlen (prompt) / 4 + 1);
      /* What a 1024² reference costs in input image tokens. */
      json_builder_set_member_name (builder, "image_tokens");
      json_builder_add_int_value (builder, 323 * n_references);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "output_tokens");
      json_builder_add_int_value (builder, tokens * n);
      json_builder_set_member_name (builder, "total_tokens");
      json_builder_add_int_value (builder, tokens * n + strlen (prompt) / 4 + 1 + 323 * n_references);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_reply (200, builder);
}

static GHashTable *
json_fields (JsonObject *object)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_insert (fields, g_strdup (l->data), g_strdup (json_node_get_string (node)));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        g_hash_table_insert (fields, g_strdup (l->data), g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
    }

  return fields;
}

static JsonObject *
parse_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static Reply *
openai_generations (PxFakeProvider *self,
                    GBytes         *body,
                    PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *key = NULL;
  GBytes *known;
  Reply *reply;

  /* The same request again gets the same bytes without building the JSON
   * again: the benchmarks measure Pixmerge, not the fake. */
  key = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, body);
  known = g_hash_table_lookup (self->responses, key);
  if (known != NULL && fault == NO_FAULT)
    return px_fake_reply_new (200, "application/json", g_bytes_ref (known));

  object = parse_body (body);
  if (object == NULL)
    return openai_error (400, "We could not parse the JSON body of your request.", "invalid_request_error", NULL, NULL);

  fields = json_fields (object);
  reply = openai_images (self, fields, 0, FALSE, fault);
  if (reply->status == 200 && fault == NO_FAULT && g_hash_table_size (self->responses) < 16)
    g_hash_table_insert (self->responses, g_steal_pointer (&key), g_bytes_ref (reply->body));
  return reply;
}

static Reply *
openai_edits (PxFakeProvider    *self,
              SoupServerMessage *msg,
              GBytes            *body,
              PxFakeFault        fault)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) mask = NULL;
  guint n_images = 0;

  if (multipart == NULL)
    return openai_error (400, "The request must be multipart/form-data.", "invalid_request_error", NULL, NULL);

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;
      const char *name;

      soup_multipart_get_part (multipart, i, &headers, &part);
      if (!soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "image") == 0 || g_strcmp0 (name, "image[]") == 0)
        {
          const char *type = soup_message_headers_get_content_type (headers, NULL);

          if (type == NULL || !g_str_has_prefix (type, "image/") || g_bytes_get_size (part) == 0)
            return openai_error (400, "Invalid 'image': must be a png, webp or jpg file.", "invalid_request_error", "image", "invalid_image");
          if (n_images++ == 0)
            first = g_bytes_ref (part);
        }
      else if (g_strcmp0 (name, "mask") == 0)
        mask = g_bytes_ref (part);
      else if (name != NULL)
        g_hash_table_insert (fields, g_strdup (name), g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part)));
    }

  if (n_images > 16)
    return openai_error (400, "Invalid 'image': at most 16 images.", "invalid_request_error", "image", "invalid_value");
  /* The mask: a PNG with an alpha channel, the first image's size. */
  if (mask != NULL)
    {
      const guint8 *m = g_bytes_get_data (mask, NULL), *f = first ? g_bytes_get_data (first, NULL) : NULL;
      gsize mask_size = g_bytes_get_size (mask);

      if (mask_size < 26 || memcmp (m, "\x89PNG", 4) != 0)
        return openai_error (400, "Invalid 'mask': must be a png file.", "invalid_request_error", "mask",
                             "invalid_image_format");
      if (m[25] != 4 && m[25] != 6)
        return openai_error (400, "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB.",
                             "invalid_request_error", "mask", "invalid_image_format");
      if (f == NULL || g_bytes_get_size (first) < 24 || memcmp (f, "\x89PNG", 4) != 0 || memcmp (m + 16, f + 16, 8) != 0)
        return openai_error (400, "Invalid 'mask': the mask and the image must have the same dimensions.",
                             "invalid_request_error", "mask", "invalid_image_dimensions");
    }

  return openai_images (self, fields, n_images, TRUE, fault);
}

/* The rewrite the prompt helper streams back. */
static char *
rewrite_prompt (const char  *text,
                PxFakeFault  fault)
{
  g_autoptr(GString) out = g_string_new ("A vivid, detailed, well-lit picture: ");

  if (fault != PX_FAKE_FAULT_DROP_TOKENS)
    g_string_append (out, text);
  else
    for (const char *p = text; *p != '\0'; p++)
      {
        if (*p == '[')
          {
            const char *end = strchr (p, ']');
            if (end != NULL)
              {
                g_string_append (out, "someone");
                p = end;
                continue;
              }
          }
        g_string_append_c (out, *p);
      }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;

  for (const char *p = text; ; p++)
    if (*p == ' ' || *p == '\0')
      {
        g_ptr_array_add (words, g_strndup (start, p - start + (*p == ' ' ? 1 : 0)));
        if (*p == '\0')
          break;
        start = p + 1;
      }

  return words;
}

static char *
node_to_event (JsonBuilder *builder)
{
  g_autoptr(GBytes) bytes = builder_to_bytes (builder);

  return g_strdup_printf ("data: %.*s\n\n", (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
}

static Reply *
openai_chat (PxFakeProvider *self,
             GBytes         *body,
             PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = parse_body (body);
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *rewrite = NULL;
  JsonArray *messages;
  const char *text = NULL;
  Reply *reply;

  if (object == NULL || !json_object_has_member (object, "messages"))
    return openai_error (400, "Missing required parameter: 'messages'.", "invalid_request_error", "messages", "missing_required_parameter");

  messages = json_object_get_array_member (object, "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (message, "role", ""), "user") == 0)
        text = json_object_get_string_member_with_default (message, "content", NULL);
    }
  if (text == NULL)
    return openai_error (400, "A user message is required.", "invalid_request_error", "messages", NULL);

  rewrite = rewrite_prompt (text, fault);
  if (!json_object_get_boolean_member_with_default (object, "stream", FALSE))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string (builder, "object", "chat.completion");
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_begin_object (builder);
      add_string (builder, "role", "assistant");
      add_string (builder, "content", rewrite);
      json_builder_end_object (builder);
      add_string (builder, "finish_reason", "stop");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return json_reply (200, builder);
    }

  reply = px_fake_reply_new (200, "text/event-stream", NULL);
  reply->events = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (reply->events, g_strdup (": keep-alive\n\n"));
  words = split_words (rewrite);
  for (guint i = 0; i < words->len; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string (builder, "object", "chat.completion.chunk");
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "delta");
      json_builder_begin_object (builder);
      add_string (builder, "content", g_ptr_array_index (words, i));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      g_ptr_array_add (reply->events, node_to_event (builder));
    }
  /* Asked for, as OpenAI does: the tokens in a last chunk with no choices. */
  if (json_object_has_member (object, "stream_options") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "stream_options")) &&
      json_object_get_boolean_member_with_default (json_object_get_object_member (object, "stream_options"),
                                                   "include_usage", FALSE))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_string (builder, "object", "chat.completion.chunk");
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "prompt_tokens");
      json_builder_add_int_value (builder, strlen (text) / 4 + 40);
      json_builder_set_member_name (builder, "completion_tokens");
      json_builder_add_int_value (builder, words->len);
      json_builder_set_member_name (builder, "total_tokens");
      json_builder_add_int_value (builder, strlen (text) / 4 + 40 + words->len);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      g_ptr_array_add (reply->events, node_to_event (builder));
    }
  g_ptr_array_add (reply->events, g_strdup ("data: [DONE]\n\n"));

  return reply;
}

/* ---- Google (Gemini API and Vertex AI) ---- */

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

static gboolean
google_check_key (PxFakeProvider     *self,
                  SoupServerMessage  *msg,
                  Reply             **reply)
{
  return px_fake_google_check_key (self->api_key, msg, reply);
}

static Reply *
google_fault_reply (PxFakeFault fault,
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
  add_string (builder, "text", text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  add_string (builder, "role", "model");
  json_builder_end_object (builder);
  if (last)
    add_string (builder, "finishReason", "STOP");
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

static Reply *
gemini_generate (PxFakeProvider *self,
                 const char     *model,
                 GBytes         *body,
                 gboolean        stream,
                 PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = parse_body (body);
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
      g_autofree char *rewrite = rewrite_prompt (prompt->str, fault);
      g_autoptr(GPtrArray) words = split_words (rewrite);
      Reply *reply;

      /* A whole answer, or the same shape once per word with the finish
       * reason on the last (Gemini's SSE has no [DONE]). */
      if (!stream)
        return json_reply (200, builder = gemini_text_response (rewrite, TRUE, prompt->len / 4 + 1, words->len));

      reply = px_fake_reply_new (200, "text/event-stream", NULL);
      reply->events = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < words->len; i++)
        {
          g_autoptr(JsonBuilder) chunk = gemini_text_response (g_ptr_array_index (words, i), i + 1 == words->len,
                                                               prompt->len / 4 + 1, i + 1);

          g_ptr_array_add (reply->events, node_to_event (chunk));
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
      g_autofree char *b64 = image_base64 (self, prompt->str, width, height, "png", fault);

      /* Gemini 3 Pro Image thinks first, with draft images marked thought:
       * they come before the answer and are not it. */
      if (strstr (model, "pro-image") != NULL)
        {
          g_autofree char *draft = image_base64 (self, "draft", 256, 256, "png", NO_FAULT);

          json_builder_begin_object (builder);
          add_string (builder, "text", "**Composing the scene**");
          json_builder_set_member_name (builder, "thought");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "inlineData");
          json_builder_begin_object (builder);
          add_string (builder, "mimeType", "image/png");
          add_string (builder, "data", draft);
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "thought");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
        }
      json_builder_begin_object (builder);
      add_string (builder, "text", "Here is the image you asked for.");
      json_builder_end_object (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "inlineData");
      json_builder_begin_object (builder);
      add_string (builder, "mimeType", "image/png");
      add_string (builder, "data", b64);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_string (builder, "role", "model");
  json_builder_end_object (builder);
  add_string (builder, "finishReason", fault == PX_FAKE_FAULT_POLICY ? "IMAGE_SAFETY" : "STOP");
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
  add_string (builder, "modelVersion", model);
  json_builder_end_object (builder);

  return json_reply (200, builder);
}

static Reply *
imagen_predict (PxFakeProvider *self,
                const char     *model,
                GBytes         *body,
                PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = parse_body (body);
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
        add_string (builder, "raiFilteredReason",
                    "Your current safety filter threshold filtered out the generated image.");
      else
        {
          g_autofree char *b64 = image_base64 (self, prompt, width, height, "png", fault);

          add_string (builder, "mimeType", "image/png");
          add_string (builder, "bytesBase64Encoded", b64);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_reply (200, builder);
}

/* ---- AUTOMATIC1111 ---- */

static Reply *
a1111_error (guint       status,
             const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "error", status == 401 ? "HTTPException" : "RuntimeError");
  add_string (builder, "detail", detail);
  add_string (builder, "body", "");
  add_string (builder, "errors", detail);
  json_builder_end_object (builder);

  return json_reply (status, builder);
}

static gboolean
a1111_check_key (PxFakeProvider     *self,
                 SoupServerMessage  *msg,
                 Reply             **reply)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *expected = NULL;
  g_autofree char *encoded = NULL;

  if (self->api_key == NULL)
    return TRUE;

  encoded = g_base64_encode ((const guchar *) self->api_key, strlen (self->api_key));
  expected = g_strconcat ("Basic ", encoded, NULL);
  if (g_strcmp0 (auth, expected) == 0)
    return TRUE;

  *reply = a1111_error (401, "Incorrect credentials");
  return FALSE;
}

static Reply *
a1111_generate (PxFakeProvider *self,
                GBytes         *body,
                gboolean        img2img,
                PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = parse_body (body);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *info = NULL;
  const char *prompt;
  gint64 width, height, batch, seed, steps;

  if (object == NULL)
    return px_fake_reply_new (422, "application/json",
                      static_text ("{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"value is not a valid dict\",\"type\":\"type_error.dict\"}]}"));
  if (img2img && (!json_object_has_member (object, "init_images") ||
                  json_array_get_length (json_object_get_array_member (object, "init_images")) == 0))
    return a1111_error (500, "IndexError: list index out of range (init_images is empty)");

  prompt = json_object_get_string_member_with_default (object, "prompt", "");
  width = json_object_get_int_member_with_default (object, "width", 512);
  height = json_object_get_int_member_with_default (object, "height", 512);
  batch = json_object_get_int_member_with_default (object, "batch_size", 1);
  seed = json_object_get_int_member_with_default (object, "seed", -1);
  steps = json_object_get_int_member_with_default (object, "steps", 20);
  if (width < 64 || width > 2048 || height < 64 || height > 2048 || batch < 1 || batch > 8 || steps < 1 || steps > 150)
    return a1111_error (422, "width, height, batch_size or steps out of range");
  if (seed < 0)
    seed = 1234567;

  info = g_strdup_printf ("{\"prompt\": \"\", \"all_seeds\": [%" G_GINT64_FORMAT "], \"seed\": %" G_GINT64_FORMAT
                          ", \"steps\": %" G_GINT64_FORMAT ", \"sampler_name\": \"Euler a\"}", seed, seed, steps);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (gint64 i = 0; i < batch; i++)
    {
      g_autofree char *b64 = image_base64 (self, prompt, width, height, "png", fault);
      json_builder_add_string_value (builder, b64);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  add_string (builder, "info", info);
  json_builder_end_object (builder);

  return json_reply (200, builder);
}

/* ---- dispatch and delivery ---- */

static PxFakeFault
take_fault (PxFakeProvider *self,
            guint          *param)
{
  QueuedFault *queued = g_queue_pop_head (&self->faults);

  if (queued != NULL)
    {
      PxFakeFault fault = queued->fault;

      *param = queued->param;
      g_free (queued);
      return fault;
    }

  if (self->n_rates > 0)
    {
      guint roll = g_random_int_range (0, 100), sum = 0;

      for (guint i = 0; i < self->n_rates; i++)
        if (roll < (sum += self->rate_percents[i]))
          {
            *param = self->rate_faults[i] == PX_FAKE_FAULT_SERVER_ERROR ? 500 : 0;
            return self->rate_faults[i];
          }
    }

  *param = 0;
  return NO_FAULT;
}

/* The model a JSON request names, for the account's messages. */
static char *
request_model (GBytes     *body,
               const char *fallback)
{
  g_autoptr(JsonObject) object = g_bytes_get_size (body) > 0 ? parse_body (body) : NULL;
  const char *model = object ? json_object_get_string_member_with_default (object, "model", NULL) : NULL;

  return g_strdup (model ? model : fallback);
}

/* What the account says before any work is done: a problem with it, or
 * its limiter's 429. NULL: go on. */
static Reply *
account_gate (PxFakeProvider *self,
              PxFakeWire      wire,
              const char     *model)
{
  g_autofree char *text = NULL;
  gint64 retry_ms = 0;
  guint status = 0;
  Reply *reply;

  if ((text = px_fake_account_problem_body (&self->account, wire, model, &status)) != NULL)
    return px_fake_reply_new (status, "application/json", g_bytes_new_take (g_steal_pointer (&text), strlen (text)));

  if (px_fake_account_take (&self->account, &retry_ms))
    return NULL;

  text = px_fake_account_limited_body (&self->account, wire, model, retry_ms);
  reply = px_fake_reply_new (429, "application/json", g_bytes_new_take (g_steal_pointer (&text), strlen (text)));
  if (wire == PX_FAKE_WIRE_OPENAI)
    {
      reply->retry_after_ms = g_strdup_printf ("%" G_GINT64_FORMAT, retry_ms);
      reply->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, (retry_ms + 999) / 1000);
    }
  return reply;
}

static Reply *
route (PxFakeProvider    *self,
       SoupServerMessage *msg,
       const char        *path,
       GBytes            *body,
       PxFakeFault        fault,
       guint              param)
{
  Reply *reply = NULL;
  Reply *fault_reply;
  g_autofree char *model = NULL;
  const char *colon;

  /* Veo's operations and files; faults hit its requests like any other. */
  if ((g_str_has_prefix (path, "/v1beta/models/veo-") || g_str_has_prefix (path, "/v1beta/files/") ||
       g_str_has_prefix (path, "/fake-storage/")) &&
      (fault_reply = google_fault_reply (fault, param)) != NULL)
    {
      if (g_str_has_prefix (path, "/fake-storage/") || google_check_key (self, msg, &reply))
        return fault_reply;
      px_fake_reply_free (fault_reply);
      return reply;
    }
  if ((reply = px_fake_batch_route (self->batch, self->url, self->api_key, msg, path, body)) != NULL)
    return reply;
  /* OpenAI's Files and Batch APIs. */
  if (g_str_has_prefix (path, "/v1/files") || g_str_has_prefix (path, "/v1/batches"))
    {
      if (!openai_check_key (self, msg, &reply))
        return reply;
      if ((reply = px_fake_openai_batch_route (self->openai_batch, msg, path, body)) != NULL)
        return reply;
    }
  if ((reply = px_fake_veo_route (self->veo, self->url, self->api_key, msg, path, body)) != NULL)
    return reply;

  /* The model lists Preferences asks to test a connection. */
  if (g_str_equal (soup_server_message_get_method (msg), "GET") && g_str_equal (path, "/v1/models"))
    {
      if (!openai_check_key (self, msg, &reply))
        return reply;
      /* What a late-2026 account lists: one image model the catalog does
       * not know yet, and no gpt-image-1-mini (this account cannot use it). */
      reply = px_fake_reply_new (200, "application/json",
                         static_text ("{\"object\": \"list\", \"data\": ["
                                      "{\"id\": \"gpt-image-2\", \"object\": \"model\", \"created\": 1776729600, \"owned_by\": \"system\"}, "
                                      "{\"id\": \"gpt-image-2-2026-04-21\", \"object\": \"model\", \"created\": 1776729600, \"owned_by\": \"system\"}, "
                                      "{\"id\": \"gpt-image-1.5\", \"object\": \"model\", \"created\": 1765152000, \"owned_by\": \"system\"}, "
                                      "{\"id\": \"gpt-image-3-preview\", \"object\": \"model\", \"created\": 1790000000, \"owned_by\": \"system\"}, "
                                      "{\"id\": \"gpt-4o-mini\", \"object\": \"model\", \"created\": 1721172741, \"owned_by\": \"system\"}, "
                                      "{\"id\": \"local-model\", \"object\": \"model\", \"created\": 1700000000, \"owned_by\": \"user\"}]}"));
      reply->openai_headers = TRUE;
      return reply;
    }
  if (g_str_equal (soup_server_message_get_method (msg), "GET") &&
      (g_str_equal (path, "/v1beta/models") || g_str_equal (path, "/v1beta1/publishers/google/models")))
    {
      if (!google_check_key (self, msg, &reply))
        return reply;
      return px_fake_reply_new (200, "application/json",
                        static_text ("{\"models\": ["
                                     "{\"name\": \"models/gemini-3.1-flash-image\", \"displayName\": \"Gemini 3.1 Flash Image\", "
                                     "\"supportedGenerationMethods\": [\"generateContent\", \"countTokens\", \"batchGenerateContent\"]}, "
                                     "{\"name\": \"models/gemini-3-pro-image\", \"displayName\": \"Gemini 3 Pro Image\", "
                                     "\"supportedGenerationMethods\": [\"generateContent\", \"countTokens\"]}, "
                                     "{\"name\": \"models/gemini-3.5-flash-image-preview\", \"displayName\": \"Gemini 3.5 Flash Image Preview\", "
                                     "\"supportedGenerationMethods\": [\"generateContent\"]}, "
                                     "{\"name\": \"models/gemini-2.5-flash\", \"displayName\": \"Gemini 2.5 Flash\", "
                                     "\"supportedGenerationMethods\": [\"generateContent\", \"streamGenerateContent\"]}, "
                                     "{\"name\": \"models/text-embedding-004\", \"displayName\": \"Text Embedding 004\", "
                                     "\"supportedGenerationMethods\": [\"embedContent\"]}]}"));
    }

  if (g_str_has_prefix (path, "/v1/images/") || g_str_equal (path, "/v1/chat/completions"))
    {
      if (!openai_check_key (self, msg, &reply))
        return reply;
      model = g_str_equal (path, "/v1/images/edits") ? g_strdup ("gpt-image-2") : request_model (body, "gpt-image-2");
      if ((reply = account_gate (self, PX_FAKE_WIRE_OPENAI, model)) == NULL)
        {
          if ((fault_reply = openai_fault_reply (fault, param)) != NULL && fault != PX_FAKE_FAULT_POLICY)
            reply = fault_reply;
          else
            {
              g_clear_pointer (&fault_reply, px_fake_reply_free);
              if (g_str_equal (path, "/v1/images/generations"))
                reply = openai_generations (self, body, fault);
              else if (g_str_equal (path, "/v1/images/edits"))
                reply = openai_edits (self, msg, body, fault);
              else
                reply = openai_chat (self, body, fault);
            }
        }
      reply->openai_headers = TRUE;
      return reply;
    }

  if ((g_str_has_prefix (path, "/v1beta/models/") || g_str_has_prefix (path, "/v1beta1/publishers/google/models/") ||
       g_str_has_prefix (path, "/v1/publishers/google/models/")) &&
      (colon = strrchr (path, ':')) != NULL)
    {
      const char *name = strrchr (path, '/') + 1;

      model = g_strndup (name, colon - name);
      if (!google_check_key (self, msg, &reply))
        return reply;
      if ((reply = account_gate (self, PX_FAKE_WIRE_GOOGLE, model)) != NULL)
        return reply;
      if ((fault_reply = google_fault_reply (fault, param)) != NULL)
        return fault_reply;
      if (g_str_has_prefix (path, "/v1beta/") && g_str_equal (colon, ":generateContent"))
        return gemini_generate (self, model, body, FALSE, fault);
      if (g_str_has_prefix (path, "/v1beta/") && g_str_equal (colon, ":streamGenerateContent"))
        return gemini_generate (self, model, body, TRUE, fault);
      if (!g_str_has_prefix (path, "/v1beta/") && g_str_equal (colon, ":predict"))
        return imagen_predict (self, model, body, fault);
    }

  if (g_str_has_prefix (path, "/sdapi/v1/"))
    {
      if (!a1111_check_key (self, msg, &reply))
        return reply;
      if (fault == PX_FAKE_FAULT_SERVER_ERROR)
        return a1111_error (param ? param : 500, "torch.cuda.OutOfMemoryError: CUDA out of memory.");
      if (fault == PX_FAKE_FAULT_RATE_LIMIT)
        {
          reply = a1111_error (429, "Too many requests");
          if (param > 0)
            reply->retry_after = g_strdup_printf ("%u", param);
          return reply;
        }
      if (g_str_equal (path, "/sdapi/v1/txt2img"))
        return a1111_generate (self, body, FALSE, fault);
      if (g_str_equal (path, "/sdapi/v1/img2img"))
        return a1111_generate (self, body, TRUE, fault);
      if (g_str_equal (path, "/sdapi/v1/sd-models"))
        return px_fake_reply_new (200, "application/json",
                          static_text ("[{\"title\": \"sd_xl_base_1.0.safetensors\", \"model_name\": \"sd_xl_base_1.0\"}]"));
    }

  return px_fake_reply_new (404, "application/json", static_text ("{\"detail\":\"Not Found\"}"));
}

/* Faults that spoil a good answer's bytes. */
static void
spoil_body (Reply       *reply,
            PxFakeFault  fault)
{
  gsize size;
  const char *data;

  if (reply->status != 200 || reply->body == NULL)
    return;

  data = g_bytes_get_data (reply->body, &size);
  if (fault == PX_FAKE_FAULT_MALFORMED_JSON)
    {
      g_bytes_unref (reply->body);
      reply->body = static_text ("{\"data\": [{\"b64_json\": \"iVBORw0KGgo\", }<html>");
    }
  else if (fault == PX_FAKE_FAULT_TRUNCATED_BODY)
    {
      GBytes *half = g_bytes_new (data, size / 2);

      g_bytes_unref (reply->body);
      reply->body = half;
    }
}

void
px_fake_delivery_free (Delivery *delivery)
{
  delivery->self->in_flight--;
  g_object_unref (delivery->msg);
  px_fake_reply_free (delivery->reply);
  g_object_unref (delivery->self);
  g_free (delivery);
}

static void
set_headers (Delivery *delivery)
{
  SoupServerMessage *msg = delivery->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, delivery->reply->status, NULL);
  if (delivery->reply->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", delivery->reply->retry_after);
  if (delivery->reply->location != NULL)
    soup_message_headers_replace (headers, "Location", delivery->reply->location);
  if (delivery->reply->headers != NULL)
    {
      GHashTableIter iter;
      gpointer name, value;

      g_hash_table_iter_init (&iter, delivery->reply->headers);
      while (g_hash_table_iter_next (&iter, &name, &value))
        soup_message_headers_replace (headers, name, value);
    }
  if (delivery->reply->retry_after_ms != NULL)
    soup_message_headers_replace (headers, "retry-after-ms", delivery->reply->retry_after_ms);
  if (delivery->reply->openai_headers)
    px_fake_account_add_headers (&delivery->self->account, headers);
  if (delivery->reply->content_encoding != NULL)
    soup_message_headers_replace (headers, "Content-Encoding", delivery->reply->content_encoding);
}

static gboolean
send_next_piece (gpointer user_data)
{
  Delivery *delivery = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (delivery->msg);

  if (delivery->reply->events != NULL)
    {
      const char *event = g_ptr_array_index (delivery->reply->events, delivery->next_event++);

      soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
      if (delivery->next_event >= delivery->reply->events->len)
        {
          soup_message_body_complete (body);
          soup_server_message_unpause (delivery->msg);
          px_fake_delivery_free (delivery);
          return G_SOURCE_REMOVE;
        }
    }
  else
    {
      gsize size;
      const char *data = g_bytes_get_data (delivery->reply->body, &size);
      gsize piece = MIN (512, size - delivery->offset);

      soup_message_body_append (body, SOUP_MEMORY_COPY, data + delivery->offset, piece);
      delivery->offset += piece;
      if (delivery->offset >= size)
        {
          soup_message_body_complete (body);
          soup_server_message_unpause (delivery->msg);
          px_fake_delivery_free (delivery);
          return G_SOURCE_REMOVE;
        }
    }

  soup_server_message_unpause (delivery->msg);
  soup_server_message_pause (delivery->msg);
  return G_SOURCE_CONTINUE;
}

/* Called with the message paused. */
static gboolean
deliver (gpointer user_data)
{
  Delivery *delivery = user_data;
  Reply *reply = delivery->reply;
  SoupServerMessage *msg = delivery->msg;

  if (reply->drop)
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      px_fake_delivery_free (delivery);
      return G_SOURCE_REMOVE;
    }

  set_headers (delivery);

  if (reply->cut_at >= 0)
    {
      px_fake_hostile_deliver (delivery);
      return G_SOURCE_REMOVE;
    }

  if (reply->events != NULL || reply->trickle_ms > 0)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, reply->content_type, NULL);
      g_timeout_add (reply->events != NULL ? 5 : reply->trickle_ms, send_next_piece, delivery);
      return G_SOURCE_REMOVE;
    }

  soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
  soup_server_message_unpause (msg);
  px_fake_delivery_free (delivery);
  return G_SOURCE_REMOVE;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  PxFakeProvider *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  PxFakeRequest *record = g_new0 (PxFakeRequest, 1);
  Delivery *delivery;
  PxFakeFault fault;
  guint param, delay;

  record->method = g_strdup (soup_server_message_get_method (msg));
  record->path = g_strdup (path);
  record->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  record->google_key = g_strdup (soup_message_headers_get_one (headers, "x-goog-api-key"));
  record->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  record->content_type_header = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  record->body = g_bytes_ref (body);
  g_ptr_array_add (self->requests, record);

  fault = take_fault (self, &param);
  delay = self->latency_ms + (fault == PX_FAKE_FAULT_LATENCY ? param : 0);

  delivery = g_new0 (Delivery, 1);
  delivery->self = g_object_ref (self);
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
  delivery->msg = g_object_ref (msg);

  if (fault == PX_FAKE_FAULT_DROP_CONNECTION)
    {
      delivery->reply = px_fake_reply_new (0, NULL, NULL);
      delivery->reply->drop = TRUE;
    }
  else
    {
      if (px_fake_hostile_fault (fault))
        {
          /* The route's own answer (its 429 for a dated Retry-After), spoilt. */
          gboolean limited = fault == PX_FAKE_FAULT_RATE_LIMIT_DATE;

          delivery->reply = route (self, msg, path, body, limited ? PX_FAKE_FAULT_RATE_LIMIT : NO_FAULT, 0);
          px_fake_hostile_apply (delivery->reply, fault, param);
        }
      else
        delivery->reply = route (self, msg, path, body, fault, param);
      spoil_body (delivery->reply, fault);
      if (fault == PX_FAKE_FAULT_TRICKLE && delivery->reply->events == NULL)
        delivery->reply->trickle_ms = param > 0 ? param : 20;
    }

  soup_server_message_pause (msg);
  if (delay > 0)
    g_timeout_add (delay, deliver, delivery);
  else
    deliver (delivery);
}

PxFakeProvider *
px_fake_provider_new (guint        port,
                      const char  *api_key,
                      GError     **error)
{
  g_autoptr(PxFakeProvider) self = g_object_new (PX_TYPE_FAKE_PROVIDER, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  GSList *uris;

  self->api_key = g_strdup (api_key);
  self->server = soup_server_new ("server-header", "pixmerge-fake-provider ", NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);

  /* Loopback only: the fake is never reachable from another machine. */
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

const char *
px_fake_provider_get_url (PxFakeProvider *self)
{
  return self->url;
}

void
px_fake_provider_set_latency (PxFakeProvider *self,
                              guint           ms)
{
  self->latency_ms = ms;
}

void
px_fake_provider_push_fault (PxFakeProvider *self,
                             PxFakeFault     fault,
                             guint           param)
{
  QueuedFault *queued = g_new0 (QueuedFault, 1);

  queued->fault = fault;
  queued->param = param;
  g_queue_push_tail (&self->faults, queued);
}

void
px_fake_provider_set_fault_rate (PxFakeProvider *self,
                                 PxFakeFault     fault,
                                 guint           percent)
{
  guint i;

  /* One percentage per kind of fault; they add up. */
  for (i = 0; i < self->n_rates && self->rate_faults[i] != fault; i++)
    ;
  if (i == G_N_ELEMENTS (self->rate_faults))
    return;
  self->rate_faults[i] = fault;
  self->rate_percents[i] = MIN (percent, 100);
  self->n_rates = MAX (self->n_rates, i + 1);
}

/* The account's limit: requests a minute, from a bucket that starts full
 * and refills continuously. The default, 10,000, is a large account. */
void
px_fake_provider_set_rpm (PxFakeProvider *self,
                          guint           per_minute)
{
  px_fake_account_set_rate (&self->account, per_minute);
}

/* From now on every paid request meets this problem (PX_FAKE_ACCOUNT_OK
 * mends it), as a revoked key or an empty account would. */
void
px_fake_provider_set_account_problem (PxFakeProvider       *self,
                                      PxFakeAccountProblem  problem)
{
  self->account.problem = problem;
}

/* One picture per size and format instead of one per prompt, so that a
 * benchmark with thousands of different prompts measures the client. */
/* Every image at most 64 px a side (what was asked is ignored): a
 * benchmark of storing results measures Pixmerge, not PNG decoding. */
void
px_fake_provider_set_small_images (PxFakeProvider *self,
                                   gboolean        small)
{
  self->small_images = small;
}

void
px_fake_provider_set_plain_images (PxFakeProvider *self,
                                   gboolean        plain)
{
  self->plain_images = plain;
}

/* How many requests the limiter refused with a 429. */
guint
px_fake_provider_get_limited_count (PxFakeProvider *self)
{
  return self->account.refused;
}

guint
px_fake_provider_get_request_count (PxFakeProvider *self)
{
  return self->requests->len;
}

GPtrArray *
px_fake_provider_get_requests (PxFakeProvider *self)
{
  return self->requests;
}

void
px_fake_provider_clear_requests (PxFakeProvider *self)
{
  g_ptr_array_set_size (self->requests, 0);
  self->max_in_flight = self->in_flight;
}

/* The most requests the server was answering at once since the last clear. */
guint
px_fake_provider_get_max_in_flight (PxFakeProvider *self)
{
  return self->max_in_flight;
}

static void
px_fake_provider_finalize (GObject *object)
{
  PxFakeProvider *self = PX_FAKE_PROVIDER (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self->url);
  g_free (self->api_key);
  px_fake_veo_free (self->veo);
  px_fake_batch_free (self->batch);
  px_fake_openai_batch_free (self->openai_batch);
  g_queue_clear_full (&self->faults, g_free);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->images);
  g_hash_table_unref (self->encoded);
  g_hash_table_unref (self->responses);

  G_OBJECT_CLASS (px_fake_provider_parent_class)->finalize (object);
}

static void
px_fake_provider_class_init (PxFakeProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_fake_provider_finalize;
}

/* A line of a Gemini batch, answered as generateContent answers it. */
static Reply *
answer_batch_line (gpointer    data,
                   const char *model,
                   GBytes     *request)
{
  return gemini_generate (data, model, request, FALSE, NO_FAULT);
}

/* A line of an OpenAI batch, answered as /v1/images/generations answers it. */
static Reply *
answer_openai_line (gpointer  data,
                    GBytes   *body)
{
  return openai_generations (data, body, NO_FAULT);
}

static void
configure_openai_batch (PxFakeProvider *self)
{
  px_fake_openai_batch_configure (self->openai_batch, self->batch_polls, self->batch_outcome, self->batch_failing,
                                  self->batch_stall_ms, self->batch_log);
}

static void
px_fake_provider_init (PxFakeProvider *self)
{
  g_queue_init (&self->faults);
  px_fake_account_init (&self->account, 10000);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->encoded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->veo = px_fake_veo_new ();
  self->batch = px_fake_batch_new (answer_batch_line, self);
  self->openai_batch = px_fake_openai_batch_new (answer_openai_line, self);
  self->batch_polls = 1;
  configure_openai_batch (self);
}

void
px_fake_provider_set_video_polls (PxFakeProvider *self,
                                  guint           polls)
{
  px_fake_veo_set_polls (self->veo, polls);
}

void
px_fake_provider_set_video_outcome (PxFakeProvider     *self,
                                    PxFakeVideoOutcome  outcome)
{
  px_fake_veo_set_outcome (self->veo, outcome);
}

/* How many Veo operations were created: each one is paid for. */
guint
px_fake_provider_get_video_submissions (PxFakeProvider *self)
{
  return px_fake_veo_get_submissions (self->veo);
}

void
px_fake_provider_set_batch_polls (PxFakeProvider *self,
                                  guint           polls)
{
  px_fake_batch_set_polls (self->batch, polls);
  self->batch_polls = polls;
  configure_openai_batch (self);
}

void
px_fake_provider_set_batch_outcome (PxFakeProvider     *self,
                                    PxFakeBatchOutcome  outcome)
{
  px_fake_batch_set_outcome (self->batch, outcome);
  self->batch_outcome = outcome;
  configure_openai_batch (self);
}

/* Every Nth line of a batch fails with the provider's error (0: none). */
void
px_fake_provider_set_batch_failing (PxFakeProvider *self,
                                    guint           every)
{
  px_fake_batch_set_failing (self->batch, every);
  self->batch_failing = every;
  configure_openai_batch (self);
}

/* Each results download sends half the file, then waits @stall_ms. */
void
px_fake_provider_set_batch_download_stall (PxFakeProvider *self,
                                           guint           stall_ms)
{
  px_fake_batch_set_download_stall (self->batch, stall_ms);
  self->batch_stall_ms = stall_ms;
  configure_openai_batch (self);
}

/* Each batch made, and each results download, on stderr. */
void
px_fake_provider_set_batch_log (PxFakeProvider *self,
                                gboolean        log)
{
  px_fake_batch_set_log (self->batch, log);
  self->batch_log = log;
  configure_openai_batch (self);
}

/* How many batches were created: each one is paid for. */
guint
px_fake_provider_get_batches_created (PxFakeProvider *self)
{
  return px_fake_batch_get_created (self->batch) + px_fake_openai_batch_get_created (self->openai_batch);
}

guint
px_fake_provider_get_files_uploaded (PxFakeProvider *self)
{
  return px_fake_batch_get_uploads (self->batch);
}
