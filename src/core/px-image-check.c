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
  GdkPixbufFormat *format;
  g_auto(GStrv) mimes = NULL;
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

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);

  if (!gdk_pixbuf_loader_write (loader, data, size, &local_error) ||
      !gdk_pixbuf_loader_close (loader, &local_error))
    {
      if (check.too_large)
        goto too_large;
      if (check.width > 0)
        g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                     _("The provider sent a damaged or incomplete image (%s)."), local_error->message);
      else
        {
          g_autofree char *start = describe_start (data, size);

          g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                       _("The provider sent something that is not an image (it starts with “%s”)."), start);
        }
      gdk_pixbuf_loader_close (loader, NULL);
      return FALSE;
    }

  if (check.too_large)
    goto too_large;

  format = gdk_pixbuf_loader_get_format (loader);
  mimes = format != NULL ? gdk_pixbuf_format_get_mime_types (format) : NULL;
  if (mimes == NULL || mimes[0] == NULL ||
      !(g_strv_contains ((const char * const *) mimes, "image/png") ||
        g_strv_contains ((const char * const *) mimes, "image/jpeg") ||
        g_strv_contains ((const char * const *) mimes, "image/webp")))
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("The provider sent an image in a format Pixmerge does not keep (%s); "
                     "expected PNG, JPEG or WebP."),
                   format != NULL ? gdk_pixbuf_format_get_name (format) : "?");
      return FALSE;
    }

  if (mime_type != NULL)
    {
      const char *chosen = g_strv_contains ((const char * const *) mimes, "image/png") ? "image/png" :
                           g_strv_contains ((const char * const *) mimes, "image/jpeg") ? "image/jpeg" : "image/webp";
      *mime_type = g_strdup (chosen);
    }
  if (width != NULL)
    *width = check.width;
  if (height != NULL)
    *height = check.height;

  return TRUE;

too_large:
  g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
               _("The provider sent an image of %d × %d pixels, larger than Pixmerge accepts "
                 "(%d pixels a side); it may be a decompression bomb."),
               check.width, check.height, PX_IMAGE_MAX_SIDE);
  return FALSE;
}
