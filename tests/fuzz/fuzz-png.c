/* fuzz-png.c: reading and adding PNG text chunks (provenance) on any
 * bytes. */
#include "config.h"

#include "fuzz-common.h"
#include "px-png.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const keys[] = { "pixmerge:prompt", "Software", NULL };
  static const char * const values[] = { "Portrait of Ada", "Pixmerge", NULL };
  g_autoptr(GBytes) png = g_bytes_new (data, size);
  g_autoptr(GHashTable) text = px_png_read_text (png);
  g_autoptr(GBytes) tagged = px_png_add_text (png, keys, values);

  (void) text;

  if (tagged != NULL)
    {
      g_autoptr(GHashTable) back = px_png_read_text (tagged);

      g_assert_nonnull (back);
      g_assert_cmpstr (g_hash_table_lookup (back, "pixmerge:prompt"), ==, "Portrait of Ada");
    }

  return 0;
}
