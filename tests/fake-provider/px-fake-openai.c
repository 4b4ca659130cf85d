/* px-fake-openai.c: the fake's OpenAI routes — image generations and
 * edits (multipart, masks checked as the API does), chat completions for
 * the prompt helper (streamed, with the usage chunk) — with OpenAI's
 * models, limits and error bodies. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "px-fake-provider-private.h"

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

Reply *
px_fake_openai_error (guint       status,
                      const char *message,
                      const char *type,
                      const char *param,
                      const char *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  px_fake_add_string (builder, "message", message);
  px_fake_add_string (builder, "type", type);
  px_fake_add_string (builder, "param", param);
  px_fake_add_string (builder, "code", code);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return px_fake_json_reply (status, builder);
}

Reply *
px_fake_openai_fault_reply (PxFakeFault fault,
                            guint       param)
{
  Reply *reply;

  switch ((int) fault)
    {
    case PX_FAKE_FAULT_RATE_LIMIT:
      reply = px_fake_openai_error (429, "Rate limit reached for images per min. Limit: 5/1min. Please try again later.",
                            "requests", NULL, "rate_limit_exceeded");
      if (param > 0)
        reply->retry_after = g_strdup_printf ("%u", param);
      return reply;
    case PX_FAKE_FAULT_RATE_LIMIT_MS:
      reply = px_fake_openai_error (429, "Rate limit reached for images per min. Please try again later.",
                            "requests", NULL, "rate_limit_exceeded");
      reply->retry_after_ms = g_strdup_printf ("%u", param);
      return reply;
    case PX_FAKE_FAULT_QUOTA:
      return px_fake_openai_error (429, "You exceeded your current quota, please check your plan and billing details.",
                           "insufficient_quota", NULL, "insufficient_quota");
    case PX_FAKE_FAULT_SERVER_ERROR:
      return px_fake_openai_error (param ? param : 500,
                           "The server had an error while processing your request. Sorry about that!",
                           "server_error", NULL, NULL);
    case PX_FAKE_FAULT_POLICY:
      return px_fake_openai_error (400, "Your request was rejected as a result of our safety system. "
                                "Your prompt may contain text that is not allowed by our safety system.",
                           "image_generation_user_error", NULL, "moderation_blocked");
    default:
      return NULL;
    }
}

gboolean
px_fake_openai_check_key (PxFakeProvider     *self,
                          SoupServerMessage  *msg,
                          Reply             **reply)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (self->api_key == NULL)
    return TRUE;

  if (auth == NULL)
    {
      *reply = px_fake_openai_error (401, "You didn't provide an API key. You need to provide your API key in an "
                                  "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                             "invalid_request_error", NULL, NULL);
      return FALSE;
    }
  if (!g_str_has_prefix (auth, "Bearer ") || g_strcmp0 (auth + 7, self->api_key) != 0)
    {
      *reply = px_fake_openai_error (401, "Incorrect API key provided. You can find your API key at "
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
    return px_fake_openai_error (400, "Missing required parameter: 'prompt'.", "invalid_request_error", "prompt", "missing_required_parameter");
  if (model_id == NULL)
    model_id = "dall-e-2";
  model = openai_find_model (model_id);
  if (model == NULL)
    {
      message = g_strdup_printf ("The model `%s` does not exist or you do not have access to it.", model_id);
      return px_fake_openai_error (404, message, "invalid_request_error", NULL, "model_not_found");
    }
  if (edit && !model->gpt_image && !g_str_equal (model->model, "local-model"))
    {
      message = g_strdup_printf ("Invalid model %s. The model does not support image edits.", model_id);
      return px_fake_openai_error (400, message, "invalid_request_error", "model", "invalid_value");
    }
  if (edit && n_references == 0)
    return px_fake_openai_error (400, "Missing required parameter: 'image'.", "invalid_request_error", "image", "missing_required_parameter");
  if (strlen (prompt) > model->max_prompt)
    {
      message = g_strdup_printf ("Invalid 'prompt': string too long. Expected a string with maximum length %u, "
                                 "but got a string with length %zu instead.", model->max_prompt, strlen (prompt));
      return px_fake_openai_error (400, message, "invalid_request_error", "prompt", "string_above_max_length");
    }
  if (n < 1 || n > model->max_n)
    {
      message = g_strdup_printf ("Invalid 'n': %u. %s supports at most %u.", n, model_id, model->max_n);
      return px_fake_openai_error (400, message, "invalid_request_error", "n", "invalid_value");
    }
  if (size != NULL && model->sizes == NULL && !g_str_equal (size, "auto") &&
      (sscanf (size, "%dx%d", &width, &height) != 2 || width % 16 || height % 16 || width > 3840 || height > 3840 ||
       width < 16 || height < 16))
    return px_fake_openai_error (400, "Invalid value for 'size': both sides must be multiples of 16, at most 3840.",
                         "invalid_request_error", "size", "invalid_value");
  if (size != NULL && model->sizes != NULL && !g_strv_contains (model->sizes, size))
    {
      message = g_strdup_printf ("Invalid value: '%s'. Supported values are: %s.", size, model->sizes[0]);
      return px_fake_openai_error (400, message, "invalid_request_error", "size", "invalid_value");
    }
  if (quality != NULL && (model->qualities == NULL || !g_strv_contains (model->qualities, quality)))
    return px_fake_openai_error (400, "Invalid value for 'quality'.", "invalid_request_error", "quality", "invalid_value");
  if (style != NULL && (model->styles == NULL || !g_strv_contains (model->styles, style)))
    return px_fake_openai_error (400, style && model->styles == NULL ? "Unknown parameter: 'style'." : "Invalid value for 'style'.",
                         "invalid_request_error", "style", "invalid_value");
  if (model->gpt_image && response_format != NULL)
    return px_fake_openai_error (400, "Unknown parameter: 'response_format'.", "invalid_request_error", "response_format", "unknown_parameter");
  if (!model->gpt_image && (format != NULL || g_hash_table_contains (fields, "background")))
    return px_fake_openai_error (400, "Unknown parameter: 'output_format'.", "invalid_request_error", "output_format", "unknown_parameter");
  if (g_strcmp0 (g_hash_table_lookup (fields, "background"), "transparent") == 0 &&
      g_str_equal (model->model, "gpt-image-2"))
    return px_fake_openai_error (400, "Transparent background is not supported for this model.", "invalid_request_error",
                         "background", "invalid_value");
  if (g_strcmp0 (g_hash_table_lookup (fields, "background"), "transparent") == 0 && g_strcmp0 (format, "jpeg") == 0)
    return px_fake_openai_error (400, "Transparent background requires output_format png or webp.", "invalid_request_error",
                         "background", "invalid_value");
  if (format != NULL && !g_str_equal (format, "png") && !g_str_equal (format, "jpeg") && !g_str_equal (format, "webp"))
    return px_fake_openai_error (400, "Invalid value for 'output_format'.", "invalid_request_error", "output_format", "invalid_value");

  if (fault == PX_FAKE_FAULT_POLICY)
    return px_fake_openai_fault_reply (fault, 0);

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
          g_autofree char *b64 = px_fake_image_base64 (self, prompt, width, height, format ? format : "png", fault);
          px_fake_add_string (builder, "b64_json", b64);
        }
      else
        {
          g_autofree char *url = g_strdup_printf ("%s/files/image-%u.png", self->url, i);
          px_fake_add_string (builder, "url", url);
        }
      if (g_str_equal (model->model, "dall-e-3"))
        {
          g_autofree char *revised = g_strdup_printf ("A detailed illustration: %s", prompt);
          px_fake_add_string (builder, "revised_prompt", revised);
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

  return px_fake_json_reply (200, builder);
}

GHashTable *
px_fake_json_fields (JsonObject *object)
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

JsonObject *
px_fake_parse_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

Reply *
px_fake_openai_generations (PxFakeProvider *self,
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

  object = px_fake_parse_body (body);
  if (object == NULL)
    return px_fake_openai_error (400, "We could not parse the JSON body of your request.", "invalid_request_error", NULL, NULL);

  fields = px_fake_json_fields (object);
  reply = openai_images (self, fields, 0, FALSE, fault);
  if (reply->status == 200 && fault == NO_FAULT && g_hash_table_size (self->responses) < 16)
    g_hash_table_insert (self->responses, g_steal_pointer (&key), g_bytes_ref (reply->body));
  return reply;
}

Reply *
px_fake_openai_edits (PxFakeProvider    *self,
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
    return px_fake_openai_error (400, "The request must be multipart/form-data.", "invalid_request_error", NULL, NULL);

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
            return px_fake_openai_error (400, "Invalid 'image': must be a png, webp or jpg file.", "invalid_request_error", "image", "invalid_image");
          if (n_images++ == 0)
            first = g_bytes_ref (part);
        }
      else if (g_strcmp0 (name, "mask") == 0)
        mask = g_bytes_ref (part);
      else if (name != NULL)
        g_hash_table_insert (fields, g_strdup (name), g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part)));
    }

  if (n_images > 16)
    return px_fake_openai_error (400, "Invalid 'image': at most 16 images.", "invalid_request_error", "image", "invalid_value");
  /* The mask: a PNG with an alpha channel, the first image's size. */
  if (mask != NULL)
    {
      const guint8 *m = g_bytes_get_data (mask, NULL), *f = first ? g_bytes_get_data (first, NULL) : NULL;
      gsize mask_size = g_bytes_get_size (mask);

      if (mask_size < 26 || memcmp (m, "\x89PNG", 4) != 0)
        return px_fake_openai_error (400, "Invalid 'mask': must be a png file.", "invalid_request_error", "mask",
                             "invalid_image_format");
      if (m[25] != 4 && m[25] != 6)
        return px_fake_openai_error (400, "Invalid input image - format must be in ['RGBA', 'LA', 'L'], got RGB.",
                             "invalid_request_error", "mask", "invalid_image_format");
      if (f == NULL || g_bytes_get_size (first) < 24 || memcmp (f, "\x89PNG", 4) != 0 || memcmp (m + 16, f + 16, 8) != 0)
        return px_fake_openai_error (400, "Invalid 'mask': the mask and the image must have the same dimensions.",
                             "invalid_request_error", "mask", "invalid_image_dimensions");
    }

  return openai_images (self, fields, n_images, TRUE, fault);
}

/* The rewrite the prompt helper streams back. */
char *
px_fake_rewrite_prompt (const char  *text,
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

GPtrArray *
px_fake_split_words (const char *text)
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

char *
px_fake_node_to_event (JsonBuilder *builder)
{
  g_autoptr(GBytes) bytes = px_fake_builder_to_bytes (builder);

  return g_strdup_printf ("data: %.*s\n\n", (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
}

Reply *
px_fake_openai_chat (PxFakeProvider *self,
                     GBytes         *body,
                     PxFakeFault     fault)
{
  g_autoptr(JsonObject) object = px_fake_parse_body (body);
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *rewrite = NULL;
  JsonArray *messages;
  const char *text = NULL;
  Reply *reply;

  if (object == NULL || !json_object_has_member (object, "messages"))
    return px_fake_openai_error (400, "Missing required parameter: 'messages'.", "invalid_request_error", "messages", "missing_required_parameter");

  messages = json_object_get_array_member (object, "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (message, "role", ""), "user") == 0)
        text = json_object_get_string_member_with_default (message, "content", NULL);
    }
  if (text == NULL)
    return px_fake_openai_error (400, "A user message is required.", "invalid_request_error", "messages", NULL);

  rewrite = px_fake_rewrite_prompt (text, fault);
  if (!json_object_get_boolean_member_with_default (object, "stream", FALSE))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      px_fake_add_string (builder, "object", "chat.completion");
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_begin_object (builder);
      px_fake_add_string (builder, "role", "assistant");
      px_fake_add_string (builder, "content", rewrite);
      json_builder_end_object (builder);
      px_fake_add_string (builder, "finish_reason", "stop");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      return px_fake_json_reply (200, builder);
    }

  reply = px_fake_reply_new (200, "text/event-stream", NULL);
  reply->events = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (reply->events, g_strdup (": keep-alive\n\n"));
  words = px_fake_split_words (rewrite);
  for (guint i = 0; i < words->len; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      px_fake_add_string (builder, "object", "chat.completion.chunk");
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "delta");
      json_builder_begin_object (builder);
      px_fake_add_string (builder, "content", g_ptr_array_index (words, i));
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      g_ptr_array_add (reply->events, px_fake_node_to_event (builder));
    }
  /* Asked for, as OpenAI does: the tokens in a last chunk with no choices. */
  if (json_object_has_member (object, "stream_options") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "stream_options")) &&
      json_object_get_boolean_member_with_default (json_object_get_object_member (object, "stream_options"),
                                                   "include_usage", FALSE))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      px_fake_add_string (builder, "object", "chat.completion.chunk");
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
      g_ptr_array_add (reply->events, px_fake_node_to_event (builder));
    }
  g_ptr_array_add (reply->events, g_strdup ("data: [DONE]\n\n"));

  return reply;
}
