/* px-fake-image.c: renders the received prompt as text on a coloured
 * background, as PNG, JPEG or WebP, so a person looking at a test result can
 * see that the tokens were resolved. Also makes a decompression bomb: a tiny
 * PNG whose header claims an enormous size. */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "px-fake-image.h"

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GdkPixbuf *
surface_to_pixbuf (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *src = cairo_image_surface_get_data (surface);
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guchar *dst = gdk_pixbuf_get_pixels (pixbuf);
  int dst_stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel;

        memcpy (&pixel, src + y * stride + x * 4, 4);
        dst[y * dst_stride + x * 3 + 0] = (pixel >> 16) & 0xff;
        dst[y * dst_stride + x * 3 + 1] = (pixel >> 8) & 0xff;
        dst[y * dst_stride + x * 3 + 2] = pixel & 0xff;
      }

  return pixbuf;
}

GBytes *
px_fake_render_image (const char *prompt,
                      int         width,
                      int         height,
                      const char *format)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autofree char *font = g_strdup_printf ("Sans %d", MAX (8, width / 28));
  PangoFontDescription *description = pango_font_description_from_string (font);
  guint hash = g_str_hash (prompt);
  GByteArray *out = g_byte_array_new ();

  /* A calm colour that differs from prompt to prompt. */
  cairo_set_source_rgb (cr, 0.25 + (hash & 0xff) / 512.0, 0.25 + ((hash >> 8) & 0xff) / 512.0,
                        0.25 + ((hash >> 16) & 0xff) / 512.0);
  cairo_paint (cr);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * 0.84) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, prompt, -1);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, width * 0.08, height * 0.1);
  pango_cairo_show_layout (cr, layout);
  cairo_surface_flush (surface);

  if (g_strcmp0 (format, "jpeg") == 0 || g_strcmp0 (format, "webp") == 0)
    {
      g_autoptr(GdkPixbuf) pixbuf = surface_to_pixbuf (surface);
      gchar *buffer = NULL;
      gsize size = 0;

      if (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, NULL, NULL))
        g_byte_array_append (out, (guint8 *) buffer, size);
      g_free (buffer);
    }
  else
    cairo_surface_write_to_png_stream (surface, write_to_array, out);

  pango_font_description_free (description);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (out);
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
  return ~crc;
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              guint32       len)
{
  guint8 header[8];
  guint8 tail[4];
  guint32 crc;

  header[0] = len >> 24; header[1] = len >> 16; header[2] = len >> 8; header[3] = len;
  memcpy (header + 4, type, 4);
  g_byte_array_append (png, header, 8);
  g_byte_array_append (png, data, len);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, len);
  tail[0] = crc >> 24; tail[1] = crc >> 16; tail[2] = crc >> 8; tail[3] = crc;
  g_byte_array_append (png, tail, 4);
}

/* A valid PNG signature and header for a grey image of width × height, with
 * a few bytes of (incomplete) image data: a decoder that trusts the header
 * would try to allocate width × height bytes. */
GBytes *
px_fake_bomb_png (guint32 width,
                  guint32 height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  /* zlib stream start: deflate, default window; stored block of zeros. */
  static const guint8 idat[] = { 0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01 };
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[13] = { 0 };

  g_byte_array_append (png, signature, 8);
  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;  /* bit depth */
  ihdr[9] = 0;  /* greyscale */
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_chunk (png, "IDAT", idat, sizeof idat);
  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (png);
}
