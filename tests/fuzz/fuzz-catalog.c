/* fuzz-catalog.c: the model catalogue (a user may replace it) on any
 * bytes. */
#include "config.h"

#include "fuzz-common.h"
#include "px-catalog.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_from_data ((const char *) data, size, &error);

  if (catalog == NULL)
    g_assert_nonnull (error);
  else
    g_assert_nonnull (px_catalog_get_models (catalog));

  return 0;
}
