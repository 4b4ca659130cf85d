/* px-test-engine.c: sets up an engine the way the app does, except that
 * every provider's base URL points at the fake and the backoff is short. */
#include "config.h"

#include "px-fake-image.h"
#include "px-test-engine.h"

PxEngine *
px_test_engine_new (PxFakeProvider *fake)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  const char *root = px_fake_provider_get_url (fake);
  g_autofree char *openai = g_strconcat (root, "/v1", NULL);
  PxEngine *engine;

  g_assert_no_error (error);
  engine = px_engine_new (catalog);
  px_engine_set_base_url (engine, "openai", openai);
  px_engine_set_base_url (engine, "openai-compatible", openai);
  px_engine_set_base_url (engine, "gemini", root);
  px_engine_set_base_url (engine, "vertex", root);
  px_engine_set_base_url (engine, "automatic1111", root);
  for (guint i = 0; i < px_catalog_get_providers (catalog)->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (px_catalog_get_providers (catalog), i);

      px_engine_set_api_key (engine, info->id, PX_TEST_KEY);
      /* No pacing in tests unless a test asks for it. */
      px_engine_set_limits (engine, info->id, 8, 0);
    }
  px_engine_set_retry_policy (engine, 3, 20, 200);
  /* Nothing in a test waits long: a hang fails within seconds. */
  px_engine_set_http_limits (engine, &(PxHttpLimits) { 10000, 10000, 10000, 30000 });

  return engine;
}

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **) user_data. */
void
px_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs one generation to the end on the default main context. Takes the
 * request. */
PxGenerationResult *
px_test_generate (PxEngine             *engine,
                  PxGenerationRequest  *request,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_engine_generate_async (engine, request, cancellable, px_test_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return px_engine_generate_finish (engine, result, error);
}

GBytes *
px_test_png (int width,
             int height)
{
  return px_fake_render_image ("reference", width, height, "png");
}

void
px_test_fixture_set_up (PxTestFixture *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = px_fake_provider_new (0, PX_TEST_KEY, &error);
  g_assert_no_error (error);
  f->engine = px_test_engine_new (f->fake);
}

void
px_test_fixture_tear_down (PxTestFixture *f,
                           gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->fake);
}
