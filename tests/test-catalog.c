/* test-catalog.c: the model list is data the UI builds its settings from:
 * every model is complete, settings resolve with defaults and refuse values
 * a model does not take, prices follow the rules, and a user can add a
 * model id that survives a restart. */
#include "config.h"

#include <string.h>

#include "px-catalog.h"

static void
test_default_catalog_is_complete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  const char *wires[] = { "openai", "gemini", "imagen", "a1111", NULL };
  GPtrArray *models;

  g_assert_no_error (error);
  for (guint i = 0; i < px_catalog_get_providers (catalog)->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (px_catalog_get_providers (catalog), i);

      g_assert_true (g_strv_contains (wires, info->wire));
      g_assert_true (g_str_has_prefix (info->base_url, "http"));
      /* Every provider can take a model id the list does not know. */
      g_assert_nonnull (px_catalog_lookup_model (catalog, info->custom_model, NULL));
    }

  models = px_catalog_get_models (catalog);
  g_assert_cmpuint (models->len, >=, 8);
  for (guint i = 0; i < models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (models, i);
      g_autoptr(GHashTable) defaults = px_model_resolve_settings (model, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (px_catalog_lookup_provider (catalog, model->provider_id));
      g_assert_cmpint (model->max_prompt_chars, >, 0);
      g_assert_nonnull (px_model_lookup_setting (model, "count"));
      /* Every default is one of the model's own values. */
      for (guint k = 0; k < model->settings->len; k++)
        {
          const PxSettingSpec *spec = g_ptr_array_index (model->settings, k);

          if (spec->kind == PX_SETTING_CHOICE)
            g_assert_true (g_strv_contains ((const char * const *) spec->values, spec->default_value));
        }
      g_assert_cmpuint (px_model_get_count (model, defaults), ==, 1);
    }
}

static void
test_resolve_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  const PxModel *dalle = px_catalog_lookup_model (catalog, "dall-e-3", &error);
  const PxModel *sd = px_catalog_lookup_model (catalog, "stable-diffusion", &error);
  g_autoptr(GHashTable) given = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) resolved = NULL;

  g_hash_table_insert (given, "quality", "hd");
  resolved = px_model_resolve_settings (dalle, given, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (resolved, "quality"), ==, "hd");
  g_assert_cmpstr (g_hash_table_lookup (resolved, "size"), ==, "1024x1024");
  g_assert_cmpstr (g_hash_table_lookup (resolved, "style"), ==, "vivid");
  g_clear_pointer (&resolved, g_hash_table_unref);

  g_hash_table_insert (given, "quality", "ultra");
  g_assert_null (px_model_resolve_settings (dalle, given, &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_SETTING);
  g_assert_nonnull (strstr (error->message, "DALL·E 3 does not take quality “ultra”; choose one of standard, hd"));
  g_clear_error (&error);

  g_hash_table_remove_all (given);
  g_hash_table_insert (given, "aspect_ratio", "1:1");
  g_assert_null (px_model_resolve_settings (dalle, given, &error));
  g_assert_nonnull (strstr (error->message, "has no setting “aspect_ratio”"));
  g_clear_error (&error);

  g_hash_table_remove_all (given);
  g_hash_table_insert (given, "steps", "151");
  g_assert_null (px_model_resolve_settings (sd, given, &error));
  g_assert_nonnull (strstr (error->message, "steps from 1 to 150, not “151”"));
  g_clear_error (&error);
  g_hash_table_insert (given, "steps", "30");
  g_hash_table_insert (given, "negative_prompt", "blurry, text");
  resolved = px_model_resolve_settings (sd, given, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (resolved, "negative_prompt"), ==, "blurry, text");
}

static void
test_prices (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  const struct { const char *model; const char *quality; const char *size; double price; } cases[] = {
    /* OpenAI's tables (docs/PROVIDERS-PRICES.md has the sources and dates). */
    { "gpt-image-2", "low", "1024x1024", 0.006 },
    { "gpt-image-2", "medium", "1024x1024", 0.053 },
    { "gpt-image-2", "high", "1024x1024", 0.211 },
    { "gpt-image-2", "medium", "1536x1024", 0.041 },
    { "gpt-image-2", "high", "1024x1536", 0.165 },
    /* Larger sizes: scaled by pixels from 1024² until usage says. */
    { "gpt-image-2", "medium", "2048x2048", 0.212 },
    /* auto may turn out high: the estimate must not be below it. */
    { "gpt-image-2", "auto", "1024x1024", 0.211 },
    { "gpt-image-2", "low", "auto", 0.006 },
    { "gpt-image-1.5", "low", "1024x1024", 0.009 },
    { "gpt-image-1.5", "high", "1536x1024", 0.2 },
    /* The mini model has its own, cheaper table, sizes included. */
    { "gpt-image-1-mini", "low", "1024x1024", 0.005 },
    { "gpt-image-1-mini", "medium", "1536x1024", 0.015 },
    { "gpt-image-1-mini", "high", "1024x1536", 0.052 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const PxModel *model = px_catalog_lookup_model (catalog, cases[i].model, &error);
      g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (settings, "quality", (gpointer) cases[i].quality);
      g_hash_table_insert (settings, "size", (gpointer) cases[i].size);
      g_assert_cmpfloat_with_epsilon (px_model_price_per_image (model, settings), cases[i].price, 1e-9);
    }

  /* Gemini's price follows the image size ($60 per million output tokens). */
  {
    const PxModel *flash = px_catalog_lookup_model (catalog, "gemini-3.1-flash-image", NULL);
    g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpfloat_with_epsilon (px_model_price_per_image (flash, NULL), 0.067, 1e-9);
    g_hash_table_insert (settings, "image_size", "4K");
    g_assert_cmpfloat_with_epsilon (px_model_price_per_image (flash, settings), 0.151, 1e-9);
  }
  g_assert_cmpfloat (px_model_price_per_image (px_catalog_lookup_model (catalog, "stable-diffusion", NULL), NULL), ==, 0);
}

static void
test_custom_models (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  g_autoptr(PxCatalog) reloaded = NULL;
  g_autofree char *path = px_catalog_get_custom_models_path ();
  const PxModel *model;

  g_assert_null (px_catalog_lookup_model (catalog, "gemini-9-image", &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_MODEL);
  g_assert_nonnull (strstr (error->message, "PROVIDER/MODEL"));
  g_clear_error (&error);

  model = px_catalog_add_custom_model (catalog, "gemini", "gemini-9-image", &error);
  g_assert_no_error (error);
  g_assert_true (model->custom);
  g_assert_cmpstr (model->provider_id, ==, "gemini");
  g_assert_nonnull (px_model_lookup_setting (model, "aspect_ratio"));
  g_assert_true (px_catalog_lookup_model (catalog, "gemini-9-image", NULL) == model);

  g_assert_null (px_catalog_add_custom_model (catalog, "nobody", "x", &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_PROVIDER);
  g_clear_error (&error);
  g_assert_null (px_catalog_add_custom_model (catalog, "gemini", "has space", &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_MODEL);
  g_clear_error (&error);

  /* Saved, and back on the next start. */
  g_assert_true (px_catalog_save_custom_models (catalog, path, &error));
  g_assert_no_error (error);
  reloaded = px_catalog_new_default (&error);
  g_assert_no_error (error);
  model = px_catalog_lookup_model (reloaded, "gemini-9-image", &error);
  g_assert_no_error (error);
  g_assert_true (model->custom);

  /* A damaged file is reported, not silently dropped. */
  g_assert_true (g_file_set_contents (path, "[{\"provider\": \"gemini\"", -1, NULL));
  g_assert_null (px_catalog_new_default (&error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_invalid_data (void)
{
  g_autoptr(GError) error = NULL;

  /* A null in a list of values is left out, the rest kept. */
  {
    g_autoptr(PxCatalog) odd = px_catalog_new_from_data (
      "{\"providers\": [{\"id\": \"p\", \"wire\": \"openai\"}], \"models\": [{\"id\": \"m\", \"provider\": \"p\","
      " \"settings\": {\"size\": {\"values\": [\"a\", null, \"b\", {}], \"default\": \"a\"}}}]}", -1, &error);
    const PxSettingSpec *spec;

    g_assert_no_error (error);
    spec = px_model_lookup_setting (px_catalog_lookup_model (odd, "m", NULL), "size");
    g_assert_cmpuint (g_strv_length (spec->values), ==, 2);
    g_assert_cmpstr (spec->values[1], ==, "b");
  }

  /* Members of the wrong type (found by fuzz-catalog: each was a GLib
   * critical) are passed over or named, never assumed. */
  {
    g_autoptr(PxCatalog) odd = px_catalog_new_from_data (
      "{\"providers\": [{\"id\": \"p\", \"wire\": [], \"key\": {}, \"concurrency\": \"9\"}], \"models\": ["
      "{\"id\": \"m\", \"provider\": \"p\", \"name\": 5, \"settings\": [], \"response_format\": \"yes\","
      " \"price\": {\"default\": \"x\", \"rules\": [1, {\"when\": 5}, {\"when\": {\"size\": 7}, \"price\": 0.5}]}}]}",
      -1, &error);
    const PxModel *model;

    g_assert_no_error (error);
    model = px_catalog_lookup_model (odd, "m", NULL);
    g_assert_cmpstr (model->name, ==, "m");
    g_assert_cmpuint (model->settings->len, ==, 0);
    g_assert_false (model->response_format);
  }
  g_assert_null (px_catalog_new_from_data ("{\"providers\": [7], \"models\": []}", -1, &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Provider 1"));
  g_clear_error (&error);
  g_assert_null (px_catalog_new_from_data ("   ", -1, &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_null (px_catalog_new_from_data ("{", -1, &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (px_catalog_new_from_data ("{\"providers\": [], \"models\": [{\"id\": \"x\", \"provider\": \"nope\"}]}", -1, &error));
  g_assert_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "“x”"));
}

/* What a picker shows of a model: the provider's lifecycle and, once its
 * list was read, whether this account can use it. */
static void
test_describe_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
  g_autoptr(GPtrArray) offered = px_catalog_list_offered (catalog);
  g_autofree char *mini = px_catalog_describe_model (catalog, px_catalog_lookup_model (catalog, "gpt-image-1-mini", NULL));
  g_autofree char *current = px_catalog_describe_model (catalog, px_catalog_lookup_model (catalog, "gpt-image-2", NULL));
  g_autofree char *gone = NULL;
  PxModel *model = (PxModel *) px_catalog_lookup_model (catalog, "gpt-image-1.5", NULL);

  g_assert_cmpstr (mini, ==, "GPT Image 1 Mini · OpenAI — shuts down 2026-12-01");
  g_assert_cmpstr (current, ==, "GPT Image 2 · OpenAI");
  model->unavailable = TRUE;
  gone = px_catalog_describe_model (catalog, model);
  g_assert_cmpstr (gone, ==, "GPT Image 1.5 · OpenAI — not available to this account");

  /* Retired models are known but not offered; their successor is named. */
  for (guint i = 0; i < offered->len; i++)
    g_assert_null (((PxModel *) g_ptr_array_index (offered, i))->retired);
  g_assert_nonnull (px_catalog_lookup_model (catalog, "dall-e-3", NULL));
  g_assert_cmpstr (px_catalog_lookup_replacement (catalog, "dall-e-3")->id, ==, "gpt-image-2");
  g_assert_cmpstr (px_catalog_lookup_replacement (catalog, "gemini-2.5-flash-image")->id, ==, "gemini-3.1-flash-image");
  g_assert_null (px_catalog_lookup_replacement (catalog, "gpt-image-2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/catalog/default-is-complete", test_default_catalog_is_complete);
  g_test_add_func ("/catalog/resolve-settings", test_resolve_settings);
  g_test_add_func ("/catalog/prices", test_prices);
  g_test_add_func ("/catalog/describe-model", test_describe_model);
  g_test_add_func ("/catalog/custom-models", test_custom_models);
  g_test_add_func ("/catalog/invalid-data", test_invalid_data);

  return g_test_run ();
}
