/* px-fake-reply.c: the fake's answers. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "px-fake-reply.h"

void
px_fake_reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply->retry_after);
  g_free (reply->retry_after_ms);
  g_clear_pointer (&reply->events, g_ptr_array_unref);
  g_free (reply->content_encoding);
  g_free (reply->location);
  g_clear_pointer (&reply->headers, g_hash_table_unref);
  g_free (reply);
}

Reply *
px_fake_reply_new (guint       status,
                   const char *content_type,
                   GBytes     *body)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = body;
  reply->cut_at = -1;

  return reply;
}

void
px_fake_reply_set_header (Reply      *reply,
                          const char *name,
                          const char *value)
{
  if (reply->headers == NULL)
    reply->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (reply->headers, g_strdup (name), g_strdup (value));
}

/* The builder's JSON as the bytes of an answer. */
GBytes *
px_fake_builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

Reply *
px_fake_json_reply (guint        status,
                    JsonBuilder *builder)
{
  return px_fake_reply_new (status, "application/json", px_fake_builder_to_bytes (builder));
}

/* A string member, or null for NULL. */
void
px_fake_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
