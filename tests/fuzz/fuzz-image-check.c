/* fuzz-image-check.c: the image check every provider answer and import
 * goes through, on any bytes: sniffing, header sizes, the JPEG structure
 * walk, and a full decode by gdk-pixbuf. */
#include "config.h"

#include "fuzz-common.h"
#include "px-image-check.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *mime = NULL;
  int width = 0, height = 0;

  if (px_image_check (bytes, &mime, &width, &height, &error))
    {
      g_assert_nonnull (mime);
      g_assert_cmpint (width, >, 0);
      g_assert_cmpint (height, >, 0);
    }
  else
    g_assert_nonnull (error);

  return 0;
}
