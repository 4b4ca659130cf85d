/* px-image-check.c: decodes image bytes fully before Pixmerge accepts them,
 * so an HTML error page, truncated base64 or a decompression bomb is caught
 * here with a clear message and never reaches the library. The size is
 * checked from the header, before any pixel memory is allocated. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "px-image-check.h"
#include "px-provider.h"

typedef struct {
  int      width;
  int      height;
  gboolean too_large;
} SizeCheck;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  SizeCheck       *check)
{
  check->width = width;
  check->height = height;
  if (width <= 0 || height <= 0 || width > PX_IMAGE_MAX_SIDE || height > PX_IMAGE_MAX_SIDE ||
      (gint64) width * height > PX_IMAGE_MAX_PIXELS)
    {
      check->too_large = TRUE;
      /* Ask for a 1×1 result so nothing large is allocated before we stop. */
      gdk_pixbuf_loader_set_size (loader, 1, 1);
    }
}

static guint32
read_le32 (const guchar *p)
{
  return p[0] | p[1] << 8 | p[2] << 16 | (guint32) p[3] << 24;
}

static guint32
read_be32 (const guchar *p)
{
  return (guint32) p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Decoders draw what they got of a cut-off image without complaint, so
 * check that the file ends the way its format says a whole file ends. */
static gboolean
is_complete (const guchar *data,
             gsize         size,
             const char   *mime_type)
{
  gsize tail = MIN (size, 64);

  if (g_str_equal (mime_type, "image/png"))
    return memmem (data + size - tail, tail, "IEND", 4) != NULL;
  if (g_str_equal (mime_type, "image/jpeg"))
    return memmem (data + size - tail, tail, "\xff\xd9", 2) != NULL;

  /* WebP: the RIFF header says how long the file is. */
  return size >= 12 && read_le32 (data + 4) + 8 <= size;
}

/* The size an image claims in its header, read without a decoder, so a
 * decompression bomb is refused before any decoder allocates for it.
 * FALSE when the header cannot be found. */
static gboolean
header_size (const guchar *data,
             gsize         size,
             const char   *mime_type,
             guint32      *width,
             guint32      *height)
{
  if (g_str_equal (mime_type, "image/png"))
    {
      if (size < 24 || memcmp (data + 12, "IHDR", 4) != 0)
        return FALSE;
      *width = read_be32 (data + 16);
      *height = read_be32 (data + 20);
      return TRUE;
    }

  if (g_str_equal (mime_type, "image/jpeg"))
    {
      gsize i = 2;

      while (i + 9 < size)
        {
          guint8 marker;
          guint16 length;

          if (data[i] != 0xff)
            return FALSE;
          marker = data[i + 1];
          if (marker == 0xff)
            {
              i++;
              continue;
            }
          length = (data[i + 2] << 8) | data[i + 3];
          /* Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC). */
          if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
            {
              *height = (data[i + 5] << 8) | data[i + 6];
              *width = (data[i + 7] << 8) | data[i + 8];
              return TRUE;
            }
          i += 2 + length;
        }
      return FALSE;
    }

  /* WebP: VP8X carries the canvas size; plain VP8 and VP8L their own. */
  if (size >= 30 && memcmp (data + 12, "VP8X", 4) == 0)
    {
      *width = 1 + (data[24] | data[25] << 8 | data[26] << 16);
      *height = 1 + (data[27] | data[28] << 8 | data[29] << 16);
      return TRUE;
    }
  if (size >= 30 && memcmp (data + 12, "VP8 ", 4) == 0)
    {
      *width = (data[26] | data[27] << 8) & 0x3fff;
      *height = (data[28] | data[29] << 8) & 0x3fff;
      return TRUE;
    }
  if (size >= 25 && memcmp (data + 12, "VP8L", 4) == 0)
    {
      guint32 bits = read_le32 (data + 21);

      *width = 1 + (bits & 0x3fff);
      *height = 1 + ((bits >> 14) & 0x3fff);
      return TRUE;
    }

  return FALSE;
}

/* libjpeg spends unbounded time on some small files: arithmetic-coded data
 * (a 173-byte one spun for ever) and progressive files with thousands of
 * scans. Cameras and image services write neither (Huffman coding, a dozen
 * scans at most), so such a file is refused before it is decoded. The walk
 * goes from marker to marker and skips each scan's coded data. */
#define MAX_JPEG_SCANS 64

static gboolean
jpeg_structure_ok (const guchar *data,
                   gsize         size,
                   GError      **error)
{
  gsize i = 2;
  guint scans = 0;

  while (i + 4 <= size)
    {
      guint8 marker;
      guint16 length;

      if (data[i] != 0xff)
        return TRUE;   /* damaged: the decoder will say how */
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xd9)
        break;
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }
      /* SOF9–SOF15 and DAC: arithmetic coding. */
      if (marker == 0xc9 || marker == 0xca || marker == 0xcb || marker == 0xcc ||
          marker == 0xcd || marker == 0xce || marker == 0xcf)
        {
          g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                       _("The image is a JPEG with arithmetic coding, which Pixmerge does not accept."));
          return FALSE;
        }
      length = (data[i + 2] << 8) | data[i + 3];
      i += 2 + length;
      if (marker != 0xda)
        continue;
      if (++scans > MAX_JPEG_SCANS)
        {
          g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                       _("The image is a JPEG of more than %d scans, which Pixmerge does not accept."),
                       MAX_JPEG_SCANS);
          return FALSE;
        }
      /* The scan's coded data runs to the next marker that is not a
       * stuffed 0xff00 or a restart. */
      while (i + 1 < size && !(data[i] == 0xff && data[i + 1] != 0x00 && !(data[i + 1] >= 0xd0 && data[i + 1] <= 0xd7)))
        i++;
    }

  return TRUE;
}

static char *
describe_start (const guchar *data,
                gsize         size)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < size && i < 24; i++)
    g_string_append_c (out, g_ascii_isprint (data[i]) ? (char) data[i] : '.');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
px_image_check (GBytes  *bytes,
                char   **mime_type,
                int     *width,
                int     *height,
                GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  SizeCheck check = { 0, };
  const guchar *data;
  const char *sniffed = NULL;
  guint32 claimed_width = 0, claimed_height = 0;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent an empty image."));
      return FALSE;
    }
  if (size > PX_IMAGE_MAX_BYTES)
    {
      g_autofree char *got = g_format_size (size);
      g_autofree char *limit = g_format_size (PX_IMAGE_MAX_BYTES);

      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent an image of %s, more than Pixmerge accepts (%s)."),
                   got, limit);
      return FALSE;
    }

  /* Sniff the three formats Pixmerge keeps from their magic bytes, rather
   * than trusting the provider's mime type or the system's type database. */
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    sniffed = "image/png";
  else if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    sniffed = "image/jpeg";
  else if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    sniffed = "image/webp";

  if (sniffed == NULL)
    {
      g_autofree char *start = describe_start (data, size);

      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent something that is not an image (it starts with “%s”)."), start);
      return FALSE;
    }

  if (!header_size (data, size, sniffed, &claimed_width, &claimed_height))
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent a damaged image (its header is missing)."));
      return FALSE;
    }
  if (g_str_equal (sniffed, "image/jpeg") && !jpeg_structure_ok (data, size, error))
    return FALSE;
  /* An animated (or malformed) extended WebP is not a picture the app
   * keeps, and the loader's animation path trips on crafted ones: refused
   * from the VP8X flags (animation; the reserved bits) before decoding. */
  if (g_str_equal (sniffed, "image/webp") && size >= 30 && memcmp (data + 12, "VP8X", 4) == 0 &&
      (data[20] & 0xc3) != 0)
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                           (data[20] & 0x02) ? _("The provider sent an animated image; Pixmerge keeps still images.")
                                             : _("The provider sent a damaged image (its header is not valid)."));
      return FALSE;
    }
  check.width = claimed_width;
  check.height = claimed_height;
  if (claimed_width == 0 || claimed_height == 0 || claimed_width > PX_IMAGE_MAX_SIDE ||
      claimed_height > PX_IMAGE_MAX_SIDE || (guint64) claimed_width * claimed_height > PX_IMAGE_MAX_PIXELS)
    goto too_large;

  loader = gdk_pixbuf_loader_new_with_mime_type (sniffed, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("Pixmerge cannot read %s images on this system: %s"), sniffed, local_error->message);
      return FALSE;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);

  if (!gdk_pixbuf_loader_write (loader, data, size, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      if (check.too_large)
        goto too_large;
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent a damaged or incomplete image (%s)."), local_error->message);
      gdk_pixbuf_loader_close (loader, NULL);
      return FALSE;
    }

  if (check.too_large)
    goto too_large;

  if (!is_complete (data, size, sniffed))
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent a damaged or incomplete image (the data ends early)."));
      return FALSE;
    }

  if (mime_type != NULL)
    *mime_type = g_strdup (sniffed);
  if (width != NULL)
    *width = check.width;
  if (height != NULL)
    *height = check.height;

  return TRUE;

too_large:
  g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
               _("The provider sent an image of %d × %d pixels, larger than Pixmerge accepts "
                 "(%d pixels a side, %d megapixels); it may be a decompression bomb."),
               check.width, check.height, PX_IMAGE_MAX_SIDE, PX_IMAGE_MAX_PIXELS / 1000000);
  return FALSE;
}

static void
on_scale_prepared (GdkPixbufLoader *loader,
                   int              width,
                   int              height,
                   gpointer         user_data)
{
  int size = GPOINTER_TO_INT (user_data);
  double scale = MIN (1.0, (double) size / MAX (width, height));

  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)), MAX (1, (int) (height * scale + 0.5)));
}

/* Decodes an image of a known type to at most size pixels a side, without
 * asking the system's type database what it is. */
GdkPixbuf *
px_image_load_scaled (GBytes      *bytes,
                      const char  *mime_type,
                      int          size,
                      GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, error);
  GdkPixbuf *pixbuf;

  if (loader == NULL)
    return NULL;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_scale_prepared), GINT_TO_POINTER (size));
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, error) ||
      !gdk_pixbuf_loader_close (loader, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  return pixbuf != NULL ? g_object_ref (pixbuf) : NULL;
}
