/* fuzz-xmp.c: embedding the XMP packet into JPEG and WebP files on any
 * bytes (the first byte picks the format). */
#include "config.h"

#include "fuzz-common.h"
#include "px-xmp.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *packet = px_xmp_packet ("Portrait of <Ada> & \"Grace\"", "Portrait of [NAME]", "gpt-image-2",
                                           "{\"NAME\": \"Ada\"}", "{\"size\": \"1024x1024\"}");
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) embedded = NULL;

  if (size < 1)
    return 0;
  image = g_bytes_new (data + 1, size - 1);
  embedded = px_xmp_embed (image, data[0] % 2 ? "image/jpeg" : "image/webp", packet);
  if (embedded != NULL)
    g_assert_cmpuint (g_bytes_get_size (embedded), >, g_bytes_get_size (image));

  return 0;
}
