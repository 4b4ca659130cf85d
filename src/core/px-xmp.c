/* px-xmp.c: when an image leaves Pixmerge as JPEG or WebP, its prompt,
 * model, tokens and settings go with it as an XMP packet (dc:description
 * for viewers, a pixmerge: namespace for the rest): an APP1 segment after
 * the JPEG SOI marker, an "XMP " chunk in an extended (VP8X) WebP. */
#include "config.h"

#include <string.h>

#include "px-xmp.h"

static void
append_element (GString    *out,
                const char *name,
                const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (out, "   <%s>%s</%s>\n", name, escaped, name);
}

char *
px_xmp_packet (const char *prompt,
               const char *template_prompt,
               const char *model,
               const char *tokens_json,
               const char *settings_json)
{
  GString *out = g_string_new ("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                               " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                               "  <rdf:Description rdf:about=\"\"\n"
                               "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                               "    xmlns:pixmerge=\"https://github.com/pixmerge/pixmerge/ns/1.0/\">\n");
  g_autofree char *escaped = g_markup_escape_text (prompt ? prompt : "", -1);

  g_string_append_printf (out, "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n",
                          escaped);
  append_element (out, "pixmerge:prompt", prompt);
  append_element (out, "pixmerge:template", template_prompt);
  append_element (out, "pixmerge:model", model);
  append_element (out, "pixmerge:tokens", tokens_json);
  append_element (out, "pixmerge:settings", settings_json);
  g_string_append (out, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");

  return g_string_free (out, FALSE);
}

static void
put_le32 (guint8 *p,
          guint32 v)
{
  p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

static guint32
get_le32 (const guint8 *p)
{
  return p[0] | p[1] << 8 | p[2] << 16 | (guint32) p[3] << 24;
}

static GBytes *
embed_jpeg (const guint8 *data,
            gsize         size,
            const char   *packet)
{
  static const char ns[] = "http://ns.adobe.com/xap/1.0/";
  gsize payload = sizeof ns + strlen (packet);   /* namespace with its NUL, then the packet */
  GByteArray *out;
  guint8 header[4];

  if (size < 2 || data[0] != 0xff || data[1] != 0xd8 || payload + 2 > 0xffff)
    return NULL;

  out = g_byte_array_sized_new (size + payload + 4);
  g_byte_array_append (out, data, 2);                  /* SOI */
  header[0] = 0xff;
  header[1] = 0xe1;                                    /* APP1 */
  header[2] = (payload + 2) >> 8;
  header[3] = (payload + 2) & 0xff;
  g_byte_array_append (out, header, 4);
  g_byte_array_append (out, (const guint8 *) ns, sizeof ns);
  g_byte_array_append (out, (const guint8 *) packet, strlen (packet));
  g_byte_array_append (out, data + 2, size - 2);

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
embed_webp (const guint8 *data,
            gsize         size,
            const char   *packet)
{
  gsize packet_len = strlen (packet);
  GByteArray *out;
  guint8 chunk[8];
  const guint8 *first;
  guint32 width = 0, height = 0;

  if (size < 30 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WEBP", 4) != 0)
    return NULL;

  first = data + 12;
  out = g_byte_array_sized_new (size + packet_len + 32);
  g_byte_array_append (out, data, 12);

  if (memcmp (first, "VP8X", 4) == 0)
    {
      /* Already extended: set the XMP flag and keep every chunk. */
      g_byte_array_append (out, data + 12, size - 12);
      out->data[20] |= 0x04;
    }
  else
    {
      guint8 vp8x[18] = { 'V', 'P', '8', 'X', 10, 0, 0, 0, 0x04 };

      if (memcmp (first, "VP8 ", 4) == 0)
        {
          width = (first[14] | first[15] << 8) & 0x3fff;
          height = (first[16] | first[17] << 8) & 0x3fff;
        }
      else if (memcmp (first, "VP8L", 4) == 0)
        {
          guint32 bits = get_le32 (first + 9);

          width = 1 + (bits & 0x3fff);
          height = 1 + ((bits >> 14) & 0x3fff);
        }
      else
        {
          g_byte_array_unref (out);
          return NULL;
        }
      vp8x[12] = (width - 1); vp8x[13] = (width - 1) >> 8; vp8x[14] = (width - 1) >> 16;
      vp8x[15] = (height - 1); vp8x[16] = (height - 1) >> 8; vp8x[17] = (height - 1) >> 16;
      g_byte_array_append (out, vp8x, sizeof vp8x);
      g_byte_array_append (out, data + 12, size - 12);
    }

  memcpy (chunk, "XMP ", 4);
  put_le32 (chunk + 4, packet_len);
  g_byte_array_append (out, chunk, 8);
  g_byte_array_append (out, (const guint8 *) packet, packet_len);
  if (packet_len % 2 == 1)
    g_byte_array_append (out, (const guint8 *) "", 1);  /* chunks are padded to even sizes */

  put_le32 (out->data + 4, out->len - 8);
  return g_byte_array_free_to_bytes (out);
}

/* A copy of image with the packet inside; NULL when the file is not one
 * Pixmerge can walk (then save it without). */
GBytes *
px_xmp_embed (GBytes     *image,
              const char *mime_type,
              const char *packet)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return embed_jpeg (data, size, packet);
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return embed_webp (data, size, packet);

  return NULL;
}
