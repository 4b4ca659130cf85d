/* px-meme.c: the classic meme look: upper-case condensed bold type, white
 * with a black outline, shrunk until each caption fits in a quarter of the
 * image. Pango does the shaping, so any script works; cairo draws; the
 * result is a PNG the size of the original. */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>

#include "px-image-check.h"
#include "px-meme.h"

#define FONT_FAMILY "Impact, Anton, Oswald, DejaVu Sans Condensed, Sans"

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int stride = cairo_image_surface_get_stride (surface);
  guchar *dst;

  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    {
      const guchar *s = src + y * src_stride;
      guint32 *d = (guint32 *) (dst + y * stride);

      for (int x = 0; x < width; x++, s += channels)
        {
          guint a = channels == 4 ? s[3] : 255;
          /* cairo wants premultiplied alpha */
          guint r = (s[0] * a + 127) / 255, g = (s[1] * a + 127) / 255, b = (s[2] * a + 127) / 255;

          d[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static void
draw_caption (cairo_t    *cr,
              const char *text,
              int         width,
              int         height,
              gboolean    at_top)
{
  g_autofree char *upper = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  int size = MAX (8, height / 8);
  int margin = MAX (2, width / 25);
  int text_width, text_height;

  if (text == NULL || *g_strstrip (upper = g_utf8_strup (text, -1)) == '\0')
    return;

  layout = pango_cairo_create_layout (cr);
  pango_layout_set_text (layout, upper, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, (width - 2 * margin) * PANGO_SCALE);
  font = pango_font_description_from_string (FONT_FAMILY);
  pango_font_description_set_weight (font, PANGO_WEIGHT_HEAVY);

  /* Shrink until it fits a quarter of the height. */
  for (;; size = size * 9 / 10)
    {
      pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      if (text_height <= height / 4 || size <= 8)
        break;
    }
  pango_font_description_free (font);

  cairo_save (cr);
  cairo_move_to (cr, margin, at_top ? margin : height - margin - text_height);
  pango_cairo_layout_path (cr, layout);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, MAX (2.0, size / 7.0));
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_restore (cr);
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The image with its captions, as PNG; either caption may be empty;
 * mime_type may be NULL. */
GBytes *
px_meme_render (GBytes      *image,
                const char  *mime_type,
                const char  *top,
                const char  *bottom,
                GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autofree char *sniffed = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int width, height;

  g_return_val_if_fail (image != NULL, NULL);

  /* Without a type, the bytes say what they are. */
  if (mime_type == NULL && !px_image_check (image, &sniffed, NULL, NULL, error))
    return NULL;
  pixbuf = px_image_load_scaled (image, mime_type ? mime_type : sniffed, G_MAXINT, error);
  if (pixbuf == NULL)
    return NULL;

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  surface = surface_from_pixbuf (pixbuf);
  cr = cairo_create (surface);
  draw_caption (cr, top, width, height, TRUE);
  draw_caption (cr, bottom, width, height, FALSE);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* Captions on every image of a result, in place (a PNG each); the
 * originals go to raw when given, so the captions can be changed later.
 * Empty captions leave the result as it is. */
gboolean
px_meme_caption_result (PxGenerationResult *result,
                        const char         *top,
                        const char         *bottom,
                        GPtrArray          *raw,
                        GError            **error)
{
  if ((top == NULL || *top == '\0') && (bottom == NULL || *bottom == '\0'))
    return TRUE;

  for (guint i = 0; i < result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (result->images, i);
      GBytes *drawn = px_meme_render (image->bytes, image->mime_type, top, bottom, error);

      if (drawn == NULL)
        return FALSE;
      if (raw != NULL)
        g_ptr_array_add (raw, g_bytes_ref (image->bytes));
      g_bytes_unref (image->bytes);
      image->bytes = drawn;
      g_free (image->mime_type);
      image->mime_type = g_strdup ("image/png");
    }
  return TRUE;
}
