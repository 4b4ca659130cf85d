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
#include "px-fake-provider-private.h"


GBytes *
px_fake_static_text (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

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

/* ---- images ---- */

GBytes *
px_fake_get_image (PxFakeProvider *self,
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
char *
px_fake_image_base64 (PxFakeProvider *self,
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
      bytes = px_fake_get_image (self, prompt, width, height, format);
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

/* ---- AUTOMATIC1111 ---- */

static Reply *
a1111_error (guint       status,
             const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  px_fake_add_string (builder, "error", status == 401 ? "HTTPException" : "RuntimeError");
  px_fake_add_string (builder, "detail", detail);
  px_fake_add_string (builder, "body", "");
  px_fake_add_string (builder, "errors", detail);
  json_builder_end_object (builder);

  return px_fake_json_reply (status, builder);
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
  g_autoptr(JsonObject) object = px_fake_parse_body (body);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *info = NULL;
  const char *prompt;
  gint64 width, height, batch, seed, steps;

  if (object == NULL)
    return px_fake_reply_new (422, "application/json",
                      px_fake_static_text ("{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"value is not a valid dict\",\"type\":\"type_error.dict\"}]}"));
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
      g_autofree char *b64 = px_fake_image_base64 (self, prompt, width, height, "png", fault);
      json_builder_add_string_value (builder, b64);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "parameters");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  px_fake_add_string (builder, "info", info);
  json_builder_end_object (builder);

  return px_fake_json_reply (200, builder);
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
  g_autoptr(JsonObject) object = g_bytes_get_size (body) > 0 ? px_fake_parse_body (body) : NULL;
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
      (fault_reply = px_fake_google_fault_reply (fault, param)) != NULL)
    {
      if (g_str_has_prefix (path, "/fake-storage/") || px_fake_google_check_key (self->api_key, msg, &reply))
        return fault_reply;
      px_fake_reply_free (fault_reply);
      return reply;
    }
  if ((reply = px_fake_batch_route (self->batch, self->url, self->api_key, msg, path, body)) != NULL)
    return reply;
  /* OpenAI's Files and Batch APIs. */
  if (g_str_has_prefix (path, "/v1/files") || g_str_has_prefix (path, "/v1/batches"))
    {
      if (!px_fake_openai_check_key (self, msg, &reply))
        return reply;
      if ((reply = px_fake_openai_batch_route (self->openai_batch, msg, path, body)) != NULL)
        return reply;
    }
  if ((reply = px_fake_veo_route (self->veo, self->url, self->api_key, msg, path, body)) != NULL)
    return reply;

  /* The model lists Preferences asks to test a connection. */
  if (g_str_equal (soup_server_message_get_method (msg), "GET") && g_str_equal (path, "/v1/models"))
    {
      if (!px_fake_openai_check_key (self, msg, &reply))
        return reply;
      /* What a late-2026 account lists: one image model the catalog does
       * not know yet, and no gpt-image-1-mini (this account cannot use it). */
      reply = px_fake_reply_new (200, "application/json",
                         px_fake_static_text ("{\"object\": \"list\", \"data\": ["
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
      if (!px_fake_google_check_key (self->api_key, msg, &reply))
        return reply;
      return px_fake_reply_new (200, "application/json",
                        px_fake_static_text ("{\"models\": ["
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
      if (!px_fake_openai_check_key (self, msg, &reply))
        return reply;
      model = g_str_equal (path, "/v1/images/edits") ? g_strdup ("gpt-image-2") : request_model (body, "gpt-image-2");
      if ((reply = account_gate (self, PX_FAKE_WIRE_OPENAI, model)) == NULL)
        {
          if ((fault_reply = px_fake_openai_fault_reply (fault, param)) != NULL && fault != PX_FAKE_FAULT_POLICY)
            reply = fault_reply;
          else
            {
              g_clear_pointer (&fault_reply, px_fake_reply_free);
              if (g_str_equal (path, "/v1/images/generations"))
                reply = px_fake_openai_generations (self, body, fault);
              else if (g_str_equal (path, "/v1/images/edits"))
                reply = px_fake_openai_edits (self, msg, body, fault);
              else
                reply = px_fake_openai_chat (self, body, fault);
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
      if (!px_fake_google_check_key (self->api_key, msg, &reply))
        return reply;
      if ((reply = account_gate (self, PX_FAKE_WIRE_GOOGLE, model)) != NULL)
        return reply;
      if ((fault_reply = px_fake_google_fault_reply (fault, param)) != NULL)
        return fault_reply;
      if (g_str_has_prefix (path, "/v1beta/") && g_str_equal (colon, ":generateContent"))
        return px_fake_gemini_generate (self, model, body, FALSE, fault);
      if (g_str_has_prefix (path, "/v1beta/") && g_str_equal (colon, ":streamGenerateContent"))
        return px_fake_gemini_generate (self, model, body, TRUE, fault);
      if (!g_str_has_prefix (path, "/v1beta/") && g_str_equal (colon, ":predict"))
        return px_fake_imagen_predict (self, model, body, fault);
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
                          px_fake_static_text ("[{\"title\": \"sd_xl_base_1.0.safetensors\", \"model_name\": \"sd_xl_base_1.0\"}]"));
    }

  return px_fake_reply_new (404, "application/json", px_fake_static_text ("{\"detail\":\"Not Found\"}"));
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
      reply->body = px_fake_static_text ("{\"data\": [{\"b64_json\": \"iVBORw0KGgo\", }<html>");
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
  return px_fake_gemini_generate (data, model, request, FALSE, NO_FAULT);
}

/* A line of an OpenAI batch, answered as /v1/images/generations answers it. */
static Reply *
answer_openai_line (gpointer  data,
                    GBytes   *body)
{
  return px_fake_openai_generations (data, body, NO_FAULT);
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
