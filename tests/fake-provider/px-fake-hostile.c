/* px-fake-hostile.c: answers a hostile or broken server sends, the same on
 * every wire: bombs, floods, deep JSON, the wrong type, nothing at all,
 * stalls and resets in the middle of an answer. The good answer the route
 * made is replaced or cut. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "px-fake-provider.h"
#include "px-fake-reply.h"

/* An image answer's start, then base64-looking text for ever: the worst
 * case for a reader, since every byte of it is plausible. */
static const char answer_start[] = "{\"data\": [{\"b64_json\": \"";

static GBytes *
flood (gsize mib)
{
  gsize size = mib * 1024 * 1024;
  char *data = g_malloc (size);

  memcpy (data, answer_start, sizeof answer_start - 1);
  memset (data + sizeof answer_start - 1, 'A', size - (sizeof answer_start - 1));
  return g_bytes_new_take (data, size);
}

/* The flood, gzip-compressed a mebibyte at a time (about 1 MB for 1 GiB).
 * Made once per size: compressing a gibibyte takes seconds. */
static GBytes *
gzip_flood (gsize mib)
{
  static GHashTable *made;
  g_autoptr(GConverter) compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *piece = g_malloc (1024 * 1024);
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  GBytes *bytes;

  if (made == NULL)
    made = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  if ((bytes = g_hash_table_lookup (made, GSIZE_TO_POINTER (mib))) != NULL)
    return g_bytes_ref (bytes);

  memset (piece, 'A', 1024 * 1024);
  memcpy (piece, answer_start, sizeof answer_start - 1);
  for (gsize i = 0; i < mib; i++)
    {
      gsize offset = 0;
      gboolean last = i + 1 == mib;

      for (;;)
        {
          gsize read = 0, written = 0;
          GConverterResult result = g_converter_convert (compressor, piece + offset, 1024 * 1024 - offset,
                                                         buffer, 1024 * 1024,
                                                         last ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                                         &read, &written, NULL);

          g_byte_array_append (out, buffer, written);
          offset += read;
          if (result == G_CONVERTER_FINISHED || result == G_CONVERTER_ERROR || (!last && offset >= 1024 * 1024))
            break;
        }
      if (i == 0)
        memset (piece, 'A', sizeof answer_start - 1);
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  g_hash_table_insert (made, GSIZE_TO_POINTER (mib), g_bytes_ref (bytes));
  return bytes;
}

static GBytes *
deep_json (gsize levels)
{
  char *data = g_malloc (levels * 2);

  memset (data, '[', levels);
  memset (data + levels, ']', levels);
  return g_bytes_new_take (data, levels * 2);
}

/* Makes what a fault sends ahead of time (the gzip bomb takes seconds), so
 * a test times only the client. */
void
px_fake_provider_prepare_fault (PxFakeProvider *self,
                                PxFakeFault     fault,
                                guint           param)
{
  if (fault == PX_FAKE_FAULT_GZIP_BOMB)
    g_bytes_unref (gzip_flood (param > 0 ? param : 1024));
}

gboolean
px_fake_hostile_fault (int fault)
{
  return fault >= PX_FAKE_FAULT_GZIP_BOMB && fault <= PX_FAKE_FAULT_RATE_LIMIT_DATE;
}

static void
replace_body (Reply      *reply,
              guint       status,
              const char *content_type,
              GBytes     *body)
{
  reply->status = status;
  g_free (reply->content_type);
  reply->content_type = g_strdup (content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  reply->body = body;
  g_clear_pointer (&reply->events, g_ptr_array_unref);
}

/* @reply is the route's good answer, or its 429 for RATE_LIMIT_DATE. */
void
px_fake_hostile_apply (Reply *reply,
                       int    fault,
                       guint  param)
{
  switch ((PxFakeFault) fault)
    {
    case PX_FAKE_FAULT_GZIP_BOMB:
      replace_body (reply, 200, "application/json", gzip_flood (param > 0 ? param : 1024));
      reply->content_encoding = g_strdup ("gzip");
      break;
    case PX_FAKE_FAULT_HUGE_BODY:
      replace_body (reply, 200, "application/json", flood (param > 0 ? param : 80));
      break;
    case PX_FAKE_FAULT_DEEP_JSON:
      replace_body (reply, 200, "application/json", deep_json (param > 0 ? param : 100000));
      break;
    case PX_FAKE_FAULT_WRONG_TYPE:
      replace_body (reply, 200, "text/html",
                    g_bytes_new_static ("<!DOCTYPE html><html><body>Welcome to nginx!</body></html>", 58));
      break;
    case PX_FAKE_FAULT_EMPTY_OK:
      replace_body (reply, 200, "application/json", g_bytes_new_static ("", 0));
      break;
    case PX_FAKE_FAULT_STALL_HEADERS:
      reply->cut_at = 0;
      reply->stall_ms = param > 0 ? param : 2000;
      break;
    case PX_FAKE_FAULT_STALL_BODY:
      reply->cut_at = reply->body != NULL ? (gssize) g_bytes_get_size (reply->body) / 2 : 0;
      reply->stall_ms = param > 0 ? param : 2000;
      break;
    case PX_FAKE_FAULT_RESET_BODY:
      reply->cut_at = reply->body != NULL ? (gssize) g_bytes_get_size (reply->body) / 2 : 0;
      reply->reset = TRUE;
      break;
    case PX_FAKE_FAULT_RATE_LIMIT_DATE:
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autoptr(GDateTime) when = param > 0 ? g_date_time_add_seconds (now, param)
                                              : g_date_time_new_utc (2099, 1, 1, 0, 0, 0);

        g_free (reply->retry_after);
        g_clear_pointer (&reply->retry_after_ms, g_free);
        reply->retry_after = g_date_time_format (when, "%a, %d %b %Y %H:%M:%S GMT");
      }
      break;
    default:
      break;
    }
}

static gboolean
on_cut_over (gpointer user_data)
{
  Delivery *delivery = user_data;
  Reply *reply = delivery->reply;

  if (reply->reset)
    {
      GIOStream *stream = soup_server_message_steal_connection (delivery->msg);

      if (stream != NULL)
        {
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
        }
    }
  else
    {
      /* The stall is over: the rest, long after the client gave up. */
      SoupMessageBody *body = soup_server_message_get_response_body (delivery->msg);
      gsize size = reply->body != NULL ? g_bytes_get_size (reply->body) : 0;

      if (size > (gsize) reply->cut_at)
        soup_message_body_append (body, SOUP_MEMORY_COPY,
                                  (const char *) g_bytes_get_data (reply->body, NULL) + reply->cut_at,
                                  size - reply->cut_at);
      soup_message_body_complete (body);
      soup_server_message_unpause (delivery->msg);
    }
  px_fake_delivery_free (delivery);
  return G_SOURCE_REMOVE;
}

/* Headers (already set) and the first cut_at bytes, chunked, then the
 * stall or the reset. Called with the message paused. */
void
px_fake_hostile_deliver (Delivery *delivery)
{
  Reply *reply = delivery->reply;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (delivery->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (delivery->msg);

  /* A reset promises the whole length first, as most servers do. */
  if (reply->reset && reply->body != NULL)
    soup_message_headers_set_content_length (headers, g_bytes_get_size (reply->body));
  else
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, reply->content_type, NULL);
  if (reply->cut_at > 0)
    soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (reply->body, NULL), reply->cut_at);
  soup_server_message_unpause (delivery->msg);
  g_timeout_add (reply->reset ? 100 : reply->stall_ms, on_cut_over, delivery);
}
