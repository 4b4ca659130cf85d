/* fuzz-provider.c: one provider's answer parser and error mapper on any
 * bytes, as the engine calls them (built once per wire: FUZZ_WIRE and
 * FUZZ_MODEL). The first byte picks the HTTP status for the error mapper. */
#include "config.h"

#include "fuzz-common.h"
#include "px-catalog.h"
#include "px-image-check.h"
#include "px-provider.h"

static PxCatalog *catalog;
static PxProvider *provider;
static PxProviderContext context;

void
px_fuzz_target_init (void)
{
  const PxModel *model;

  catalog = px_catalog_new_builtin (NULL);
  g_assert_nonnull (catalog);
  model = px_catalog_lookup_model (catalog, FUZZ_MODEL, NULL);
  g_assert_nonnull (model);
  context.info = px_catalog_lookup_provider (catalog, model->provider_id);
  context.model = model;
  context.base_url = "http://127.0.0.1:1";
  context.api_key = "fuzz-key-0123456789";
  provider = px_provider_new_for_wire (FUZZ_WIRE);
  g_assert_nonnull (provider);
}

static const guint statuses[] = { 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504 };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GError) error = NULL;
  GError *mapped;
  gint64 retry_after_ms = -1;

  if (px_provider_parse_response (provider, &context, body, result, &error))
    {
      g_assert_cmpuint (result->images->len, >, 0);
      /* What the engine does next with each image. */
      for (guint i = 0; i < result->images->len; i++)
        {
          PxImage *image = g_ptr_array_index (result->images, i);
          g_autoptr(GError) check_error = NULL;
          g_autofree char *mime = NULL;

          px_image_check (image->bytes, &mime, NULL, NULL, &check_error);
        }
    }
  else
    g_assert_nonnull (error);

  if (size > 0)
    soup_message_headers_replace (headers, "Retry-After", data[0] % 2 ? "120" : "Wed, 21 Oct 2099 07:28:00 GMT");
  mapped = px_provider_map_error (provider, &context, statuses[size > 0 ? data[0] % G_N_ELEMENTS (statuses) : 0],
                                  headers, body, &retry_after_ms);
  g_assert_nonnull (mapped);
  g_assert_null (g_strstr_len (mapped->message, -1, context.api_key));
  g_error_free (mapped);

  return 0;
}
