/* px-png.c: writes and reads PNG text chunks. Text goes in iTXt chunks
 * (UTF-8, uncompressed) right after IHDR, where AUTOMATIC1111, ComfyUI and
 * image viewers look for a "parameters" or "Description" entry. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-png.h"

static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

guint32
px_png_crc32 (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  static guint32 table[256];
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialised, 1);
    }

  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

static void
append_itxt (GByteArray *out,
             const char *key,
             const char *value)
{
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  static const guint8 flags[4] = { 0, 0, 0, 0 }; /* key NUL, uncompressed, method, empty language */
  guint32 crc;

  g_byte_array_append (chunk, (const guint8 *) "iTXt", 4);
  /* Keywords are 1-79 Latin-1 characters. */
  g_byte_array_append (chunk, (const guint8 *) key, MIN (strlen (key), 79));
  g_byte_array_append (chunk, flags, 4);
  g_byte_array_append (chunk, (const guint8 *) "", 1); /* empty translated keyword, NUL */
  g_byte_array_append (chunk, (const guint8 *) value, strlen (value));

  append_be32 (out, chunk->len - 4);
  g_byte_array_append (out, chunk->data, chunk->len);
  crc = px_png_crc32 (0, chunk->data, chunk->len);
  append_be32 (out, crc);
}

static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* A copy of png with the text chunks after IHDR; NULL when png is not a
 * PNG Pixmerge can walk. */
GBytes *
px_png_add_text (GBytes             *png,
                 const char * const *keys,
                 const char * const *values)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (png, &size);
  GByteArray *out;
  gsize ihdr_end;

  if (size < 33 || memcmp (data, signature, 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return NULL;

  /* In gsize: a length near 4 GiB must not wrap around in 32 bits. */
  ihdr_end = 8 + 12 + (gsize) read_be32 (data + 8);
  if (ihdr_end > size)
    return NULL;

  out = g_byte_array_sized_new (size + 1024);
  g_byte_array_append (out, data, ihdr_end);
  for (guint i = 0; keys[i] != NULL; i++)
    append_itxt (out, keys[i], values[i]);
  g_byte_array_append (out, data + ihdr_end, size - ihdr_end);

  return g_byte_array_free_to_bytes (out);
}

/* tEXt and uncompressed iTXt entries, key -> value. The first entry of a
 * key wins: px_png_add_text() puts the newest right after IHDR. */
GHashTable *
px_png_read_text (GBytes *png)
{
  GHashTable *text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize size;
  const guint8 *data = g_bytes_get_data (png, &size);
  gsize pos = 8;

  if (size < 8 || memcmp (data, signature, 8) != 0)
    return text;

  while (pos + 12 <= size)
    {
      guint32 length = read_be32 (data + pos);
      const char *type = (const char *) data + pos + 4;
      const char *body = (const char *) data + pos + 8;
      const char *nul;

      if (length > size - pos - 12)
        break;

      nul = memchr (body, '\0', length);
      if (nul != NULL && g_hash_table_contains (text, body))
        nul = NULL;   /* a key seen before (body is NUL-terminated at nul) */
      if (nul != NULL && memcmp (type, "tEXt", 4) == 0)
        g_hash_table_insert (text, g_strndup (body, nul - body),
                             g_strndup (nul + 1, body + length - nul - 1));
      else if (nul != NULL && memcmp (type, "iTXt", 4) == 0 && nul + 3 < body + length && nul[1] == 0)
        {
          /* key NUL flag method language NUL translated NUL text */
          const char *lang_end = memchr (nul + 3, '\0', body + length - nul - 3);
          const char *trans_end = lang_end ? memchr (lang_end + 1, '\0', body + length - lang_end - 1) : NULL;

          if (trans_end != NULL)
            g_hash_table_insert (text, g_strndup (body, nul - body),
                                 g_strndup (trans_end + 1, body + length - trans_end - 1));
        }
      if (memcmp (type, "IEND", 4) == 0)
        break;
      pos += 12 + length;
    }

  return text;
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* @surface encoded as a PNG (cairo's encoder, in memory). */
GBytes *
px_png_from_surface (cairo_surface_t  *surface,
                     GError          **error)
{
  GByteArray *png = g_byte_array_new ();
  cairo_status_t status = cairo_surface_write_to_png_stream (surface, append_png, png);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The picture could not be encoded: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}
