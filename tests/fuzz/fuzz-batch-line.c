/* fuzz-batch-line.c: one line of a provider batch's results file, as the
 * provider batch reads it (built once per engine: FUZZ_PROVIDER): its key,
 * then its images checked or the provider's error, never the key in it. */
#include "config.h"

#include "fuzz-common.h"
#include "px-batch-wire.h"
#include "px-catalog.h"

#define KEY "fuzz-key-0123456789"

static PxBatchWire *wire;

void
px_fuzz_target_init (void)
{
  g_autoptr(PxCatalog) catalog = px_catalog_new_builtin (NULL);
  g_autoptr(PxEngine) engine = NULL;

  g_assert_nonnull (catalog);
  engine = px_engine_new (catalog);
  px_engine_set_base_url (engine, FUZZ_PROVIDER, "http://127.0.0.1:1");
  px_engine_set_api_key (engine, FUZZ_PROVIDER, KEY);
  wire = px_batch_wire_new (engine, FUZZ_PROVIDER);
  g_assert_nonnull (wire);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (px_batch_wire_read_line (wire, (const char *) data, size, &key, result, &error))
    {
      g_assert_nonnull (key);
      g_assert_cmpuint (result->images->len, >, 0);
      for (guint i = 0; i < result->images->len; i++)
        g_assert_nonnull (((PxImage *) g_ptr_array_index (result->images, i))->mime_type);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_null (g_strstr_len (error->message, -1, KEY));
    }
  return 0;
}
