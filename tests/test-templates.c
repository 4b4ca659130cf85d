/* test-templates.c: the built-in presets are usable as shipped, and
 * templates survive export and import as JSON. */
#include "config.h"

#include <string.h>

#include "px-catalog.h"
#include "px-templates.h"
#include "px-tokens.h"

/* Every preset names a model the catalog has, settings that model takes,
 * and a prompt whose tokens parse; the features the issue lists are there. */
static void
test_presets_are_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = NULL;
  g_autoptr(GPtrArray) presets = px_templates_get_presets ();
  g_autoptr(GHashTable) features = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  static const char *wanted[] = { "ai-image", "action-figure-blister", "action-figure-collector",
                                  "action-figure-trading-card", "ghibli-style", "cartoon-style",
                                  "meme-generator", "professional-headshot" };

  catalog = px_catalog_new_default (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (presets->len, >=, G_N_ELEMENTS (wanted) + 6);

  for (guint i = 0; i < presets->len; i++)
    {
      const PxTemplate *preset = g_ptr_array_index (presets, i);
      const PxModel *model;
      g_autoptr(GHashTable) settings = NULL;
      g_autoptr(GPtrArray) tokens = NULL;

      g_test_message ("preset %s", preset->preset_id);
      g_assert_nonnull (preset->preset_id);
      g_assert_false (g_hash_table_contains (ids, preset->preset_id));
      g_hash_table_add (ids, preset->preset_id);
      g_assert_cmpstr (preset->category, !=, "");
      g_assert_cmpstr (preset->description, !=, "");
      g_assert_nonnull (preset->feature);
      g_hash_table_add (features, preset->feature);

      model = px_catalog_lookup_model (catalog, preset->model, &error);
      g_assert_no_error (error);
      settings = px_model_resolve_settings (model, preset->settings, &error);
      g_assert_no_error (error);
      g_assert_nonnull (settings);

      tokens = px_tokens_parse (preset->prompt, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tokens->len, >, 0);
      /* Every token has a default, so a preset generates as it is. */
      for (guint t = 0; t < tokens->len; t++)
        g_assert_nonnull (((PxToken *) g_ptr_array_index (tokens, t))->default_value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    g_assert_true (g_hash_table_contains (ids, wanted[i]));

  /* Every name, category and description is also where xgettext finds it. */
  for (guint i = 0; i < presets->len; i++)
    {
      const PxTemplate *preset = g_ptr_array_index (presets, i);

      g_assert_true (g_strv_contains (px_templates_get_preset_strings (), preset->name));
      g_assert_true (g_strv_contains (px_templates_get_preset_strings (), preset->category));
      g_assert_true (g_strv_contains (px_templates_get_preset_strings (), preset->description));
    }
  g_assert_true (g_hash_table_contains (features, "meme"));
  g_assert_true (g_hash_table_contains (features, "action-figure"));

  /* The meme preset carries its captions, with tokens. */
  for (guint i = 0; i < presets->len; i++)
    {
      const PxTemplate *preset = g_ptr_array_index (presets, i);

      if (g_str_equal (preset->preset_id, "meme-generator"))
        {
          g_assert_nonnull (preset->caption_top);
          g_assert_nonnull (strstr (preset->caption_bottom, "[BOTTOM_TEXT"));
        }
    }
}

static void
test_json_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *json = NULL;
  PxTemplate *template_ = px_template_new ("Team “portraits”", "Portrait of [FIRSTNAME] from [COMPANY|Acme]");
  const PxTemplate *read;

  template_->category = (g_free (template_->category), g_strdup ("Work"));
  template_->model = g_strdup ("dall-e-3");
  template_->feature = g_strdup ("meme");
  template_->caption_top = g_strdup ("[TOP_TEXT]");
  g_hash_table_insert (template_->settings, g_strdup ("size"), g_strdup ("1792x1024"));
  g_hash_table_insert (template_->settings, g_strdup ("style"), g_strdup ("natural"));
  template_->row_id = 42;
  g_ptr_array_add (templates, template_);
  g_ptr_array_add (templates, px_template_new ("Plain", "A cat"));

  json = px_templates_to_json (templates);
  g_assert_null (strstr (json, "42"));   /* row ids stay in the library */
  back = px_templates_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  read = g_ptr_array_index (back, 0);
  g_assert_cmpint (read->row_id, ==, 0);
  g_assert_cmpstr (read->name, ==, "Team “portraits”");
  g_assert_cmpstr (read->category, ==, "Work");
  g_assert_cmpstr (read->prompt, ==, "Portrait of [FIRSTNAME] from [COMPANY|Acme]");
  g_assert_cmpstr (read->model, ==, "dall-e-3");
  g_assert_cmpstr (read->feature, ==, "meme");
  g_assert_cmpstr (read->caption_top, ==, "[TOP_TEXT]");
  g_assert_null (read->caption_bottom);
  g_assert_cmpuint (g_hash_table_size (read->settings), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (read->settings, "size"), ==, "1792x1024");
  g_assert_null (((PxTemplate *) g_ptr_array_index (back, 1))->model);
}

static void
test_json_errors (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"templates\": [", "not a templates file" },
    { "  \n", "not a templates file: it is empty" },
    { "{\"images\": []}", "no “templates” list" },
    { "{\"templates\": [{\"name\": \"A\", \"prompt\": \"x\"}, {\"name\": \"B\"}]}", "Template 2 has no “prompt”" },
    { "{\"templates\": [{\"name\": \"A\", \"prompt\": \"x\"}, 7]}", "Template 2 is not an object" },
    { "[{\"prompt\": \"x\"}]", "Template 1 has no “name”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) templates = px_templates_from_json (cases[i].json, -1, &error);

      g_assert_null (templates);
      g_assert_error (error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
    }

  /* Deeper than any templates file, and larger: refused before parsing. */
  {
    g_autofree char *deep = g_strnfill (100000, '[');
    g_autofree char *large = g_strnfill (PX_TEMPLATES_MAX_BYTES + 1, ' ');
    g_autoptr(GError) deep_error = NULL, large_error = NULL;

    g_assert_null (px_templates_from_json (deep, -1, &deep_error));
    g_assert_error (deep_error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID);
    g_assert_nonnull (strstr (deep_error->message, "nested more than 64 levels"));
    g_assert_null (px_templates_from_json (large, -1, &large_error));
    g_assert_error (large_error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID);
    g_assert_nonnull (strstr (large_error->message, "larger than 4 MB"));
  }

  /* One template on its own is fine too. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) one = px_templates_from_json ("{\"name\": \"A\", \"prompt\": \"x\", \"settings\": {\"steps\": 30}}", -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (one->len, ==, 1);
    g_assert_cmpstr (g_hash_table_lookup (((PxTemplate *) g_ptr_array_index (one, 0))->settings, "steps"), ==, "30");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/templates/presets-are-valid", test_presets_are_valid);
  g_test_add_func ("/templates/json-round-trip", test_json_round_trip);
  g_test_add_func ("/templates/json-errors", test_json_errors);

  return g_test_run ();
}
