/* px-catalog.c: loads the providers and models from px-models.json (in the
 * core resources) and the models a user added by hand, and answers the
 * questions the UI and the engine ask of them: which settings, which values,
 * what a request costs. A renamed model is a data change, not a code change. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-catalog.h"
#include "px-core-resources.h"
#include "px-paths.h"
#include "px-json.h"

G_DEFINE_QUARK (px-catalog-error-quark, px_catalog_error)

typedef struct {
  GHashTable *when;
  double      price;
} PriceRule;

struct _PxCatalog
{
  GObject     parent_instance;

  GPtrArray  *providers;
  GPtrArray  *models;
};

G_DEFINE_FINAL_TYPE (PxCatalog, px_catalog, G_TYPE_OBJECT)

static void
provider_info_free (PxProviderInfo *info)
{
  g_free (info->id);
  g_free (info->name);
  g_free (info->wire);
  g_free (info->base_url);
  g_free (info->base_url_env);
  g_free (info->key_env);
  g_free (info->custom_model);
  g_free (info->text_model);
  g_free (info);
}

static void
setting_spec_free (PxSettingSpec *spec)
{
  g_free (spec->name);
  g_strfreev (spec->values);
  g_free (spec->default_value);
  g_free (spec);
}

static void
price_rule_free (PriceRule *rule)
{
  g_hash_table_unref (rule->when);
  g_free (rule);
}

static void
model_free (PxModel *model)
{
  g_free (model->id);
  g_free (model->provider_id);
  g_free (model->name);
  g_free (model->deprecated);
  g_free (model->retired);
  g_free (model->replacement);
  g_ptr_array_unref (model->settings);
  g_ptr_array_unref (model->price_rules);
  g_free (model);
}

static double
get_double (JsonObject *object,
            const char *member,
            double      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return fallback;
}

static char *
node_to_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (node));
  return NULL;
}

static PxSettingSpec *
parse_setting (const char *name,
               JsonObject *object)
{
  PxSettingSpec *spec = g_new0 (PxSettingSpec, 1);

  spec->name = g_strdup (name);
  spec->default_value = node_to_string (object != NULL ? json_object_get_member (object, "default") : NULL);
  if (spec->default_value == NULL)
    spec->default_value = g_strdup ("");

  if (object != NULL && json_object_has_member (object, "values"))
    {
      JsonArray *values = px_json_array_member (object, "values");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      spec->kind = PX_SETTING_CHOICE;
      /* A value that is not text or a number (a null, an object) is left
       * out, not the rest of the list with it. */
      for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
        {
          g_autofree char *value = node_to_string (json_array_get_element (values, i));

          if (value != NULL)
            g_strv_builder_add (builder, value);
        }
      spec->values = g_strv_builder_end (builder);
    }
  else if (object != NULL && json_object_has_member (object, "min"))
    {
      spec->kind = PX_SETTING_INTEGER;
      spec->min = px_json_int_member (object, "min", 0);
      spec->max = px_json_int_member (object, "max", G_MAXINT64);
    }
  else
    spec->kind = PX_SETTING_TEXT;

  return spec;
}

static gboolean
parse_model (PxCatalog   *self,
             JsonObject  *object,
             GError     **error)
{
  PxModel *model;
  JsonObject *settings, *price;
  const char *id = px_json_string_member (object, "id", NULL);
  const char *provider = px_json_string_member (object, "provider", NULL);

  if (id == NULL || provider == NULL || px_catalog_lookup_provider (self, provider) == NULL)
    {
      g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA,
                   _("The model list has an entry “%s” without a known provider."),
                   id ? id : "?");
      return FALSE;
    }

  model = g_new0 (PxModel, 1);
  model->id = g_strdup (id);
  model->provider_id = g_strdup (provider);
  model->name = g_strdup (px_json_string_member (object, "name", id));
  model->max_prompt_chars = px_json_int_member (object, "max_prompt_chars", 0);
  model->reference_images = px_json_int_member (object, "reference_images", 0);
  model->response_format = json_object_get_boolean_member_with_default (object, "response_format", FALSE);
  model->output_token_price = get_double (object, "output_token_price", 0);
  model->input_text_token_price = get_double (object, "input_text_token_price", 0);
  model->input_image_token_price = get_double (object, "input_image_token_price", 0);
  model->deprecated = g_strdup (px_json_string_member (object, "deprecated", NULL));
  model->retired = g_strdup (px_json_string_member (object, "retired", NULL));
  model->replacement = g_strdup (px_json_string_member (object, "replacement", NULL));
  model->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_spec_free);
  model->price_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) price_rule_free);

  settings = px_json_object_member (object, "settings");
  if (settings != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (settings);

      for (GList *l = names; l != NULL; l = l->next)
        g_ptr_array_add (model->settings,
                         parse_setting (l->data, px_json_object_member (settings, l->data)));
    }

  price = px_json_object_member (object, "price");
  if (price != NULL)
    {
      JsonArray *rules = px_json_array_member (price, "rules");

      model->price_default = get_double (price, "default", 0);
      for (guint i = 0; rules != NULL && i < json_array_get_length (rules); i++)
        {
          JsonObject *rule_object = px_json_object_element (rules, i);
          JsonObject *when = px_json_object_member (rule_object, "when");
          g_autoptr(GList) keys = when != NULL ? json_object_get_members (when) : NULL;
          PriceRule *rule;

          if (when == NULL)
            continue;
          rule = g_new0 (PriceRule, 1);
          rule->when = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          rule->price = get_double (rule_object, "price", 0);
          for (GList *l = keys; l != NULL; l = l->next)
            g_hash_table_insert (rule->when, g_strdup (l->data),
                                 g_strdup (px_json_string_member (when, l->data, "")));
          g_ptr_array_add (model->price_rules, rule);
        }
    }

  g_ptr_array_add (self->models, model);
  return TRUE;
}

static gboolean
parse_catalog (PxCatalog   *self,
               const char  *json,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *providers, *models;

  if (!px_json_load (parser, json, length, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA,
                   _("The model list is not valid JSON: %s"),
                   local_error ? local_error->message : _("not an object"));
      return FALSE;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  providers = px_json_array_member (root, "providers");
  models = px_json_array_member (root, "models");
  if (providers == NULL || models == NULL)
    {
      g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA,
                   _("The model list needs “providers” and “models”."));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (providers); i++)
    {
      JsonObject *object = px_json_object_element (providers, i);
      PxProviderInfo *info;
      const char *key;

      if (object == NULL)
        {
          g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA,
                       _("Provider %u of the model list is not an object."), i + 1);
          return FALSE;
        }
      info = g_new0 (PxProviderInfo, 1);
      key = px_json_string_member (object, "key", "required");
      info->id = g_strdup (px_json_string_member (object, "id", ""));
      info->name = g_strdup (px_json_string_member (object, "name", info->id));
      info->wire = g_strdup (px_json_string_member (object, "wire", "openai"));
      info->base_url = g_strdup (px_json_string_member (object, "base_url", ""));
      info->base_url_env = g_strdup (px_json_string_member (object, "base_url_env", NULL));
      info->key_env = g_strdup (px_json_string_member (object, "key_env", NULL));
      info->key_policy = g_str_equal (key, "none") ? PX_KEY_NONE :
                         g_str_equal (key, "optional") ? PX_KEY_OPTIONAL : PX_KEY_REQUIRED;
      info->concurrency = MAX (1, px_json_int_member (object, "concurrency", 1));
      info->requests_per_minute = px_json_int_member (object, "requests_per_minute", 0);
      info->custom_model = g_strdup (px_json_string_member (object, "custom_model", NULL));
      info->text_model = g_strdup (px_json_string_member (object, "text_model", NULL));
      /* Prices per million tokens in the file, per token here. */
      {
        JsonObject *text_price = px_json_object_member (object, "text_price");

        if (text_price != NULL)
          {
            info->text_input_price = json_object_get_double_member_with_default (text_price, "input", 0) / 1e6;
            info->text_output_price = json_object_get_double_member_with_default (text_price, "output", 0) / 1e6;
          }
      }
      g_ptr_array_add (self->providers, info);
    }

  for (guint i = 0; i < json_array_get_length (models); i++)
    if (!parse_model (self, px_json_object_element (models, i), error))
      return FALSE;

  return TRUE;
}

PxCatalog *
px_catalog_new_from_data (const char  *json,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(PxCatalog) self = g_object_new (PX_TYPE_CATALOG, NULL);

  if (!parse_catalog (self, json, length, error))
    return NULL;

  return g_steal_pointer (&self);
}

char *
px_catalog_get_custom_models_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "pixmerge", "custom-models.json", NULL);
}

/* The models Pixmerge ships with, nothing the user added. */
PxCatalog *
px_catalog_new_builtin (GError **error)
{
  g_autoptr(GBytes) data = g_resource_lookup_data (px_core_get_resource (),
                                                   "/io/github/pixmerge/Pixmerge/core/px-models.json",
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (data == NULL)
    return NULL;
  return px_catalog_new_from_data (g_bytes_get_data (data, NULL), g_bytes_get_size (data), error);
}

/* The built-in list plus the models the user added (a missing file is
 * fine; a broken one is reported, not ignored). */
PxCatalog *
px_catalog_new_default (GError **error)
{
  g_autoptr(PxCatalog) self = px_catalog_new_builtin (error);
  g_autofree char *custom = px_catalog_get_custom_models_path ();

  if (self == NULL)
    return NULL;

  if (g_file_test (custom, G_FILE_TEST_EXISTS) &&
      !px_catalog_load_custom_models (self, custom, error))
    return NULL;

  return g_steal_pointer (&self);
}

GPtrArray *
px_catalog_get_providers (PxCatalog *self)
{
  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);

  return self->providers;
}

GPtrArray *
px_catalog_get_models (PxCatalog *self)
{
  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);

  return self->models;
}

const PxProviderInfo *
px_catalog_lookup_provider (PxCatalog  *self,
                            const char *provider_id)
{
  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);

  for (guint i = 0; i < self->providers->len; i++)
    {
      PxProviderInfo *info = g_ptr_array_index (self->providers, i);

      if (g_strcmp0 (info->id, provider_id) == 0)
        return info;
    }

  return NULL;
}

static PxModel *
find_model (PxCatalog  *self,
            const char *provider_id,
            const char *model_id)
{
  for (guint i = 0; i < self->models->len; i++)
    {
      PxModel *model = g_ptr_array_index (self->models, i);

      if (g_str_equal (model->id, model_id) &&
          (provider_id == NULL || g_str_equal (model->provider_id, provider_id)))
        return model;
    }

  return NULL;
}

/* MODEL or PROVIDER/MODEL. The second form also reaches a model id the list
 * does not know yet (providers rename models often): it gets the provider's
 * usual capabilities, for this run only. */
const PxModel *
px_catalog_lookup_model (PxCatalog   *self,
                         const char  *model_id,
                         GError     **error)
{
  const char *slash;
  PxModel *model;

  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);

  slash = strchr (model_id, '/');
  if (slash != NULL)
    {
      g_autofree char *provider_id = g_strndup (model_id, slash - model_id);

      model = find_model (self, provider_id, slash + 1);
      if (model != NULL)
        return model;
      return px_catalog_add_custom_model (self, provider_id, slash + 1, error);
    }

  model = find_model (self, NULL, model_id);
  if (model == NULL)
    g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_MODEL,
                 _("Unknown model “%s”. Run “pixmerge-cli providers” for the list, or name a new one "
                   "as PROVIDER/MODEL, for example openai/gpt-image-2."),
                 model_id);

  return model;
}

static PxModel *
copy_model (const PxModel *template_model,
            const char    *model_id)
{
  PxModel *model = g_new0 (PxModel, 1);

  model->id = g_strdup (model_id);
  model->provider_id = g_strdup (template_model->provider_id);
  model->name = g_strdup (model_id);
  model->max_prompt_chars = template_model->max_prompt_chars;
  model->reference_images = template_model->reference_images;
  model->response_format = template_model->response_format;
  model->output_token_price = template_model->output_token_price;
  model->price_default = template_model->price_default;
  model->custom = TRUE;
  model->settings = g_ptr_array_ref (template_model->settings);
  model->price_rules = g_ptr_array_ref (template_model->price_rules);

  return model;
}

const PxModel *
px_catalog_add_custom_model (PxCatalog   *self,
                             const char  *provider_id,
                             const char  *model_id,
                             GError     **error)
{
  const PxProviderInfo *info;
  PxModel *template_model, *model;

  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);

  info = px_catalog_lookup_provider (self, provider_id);
  if (info == NULL)
    {
      g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_PROVIDER,
                   _("Unknown provider “%s”."), provider_id);
      return NULL;
    }

  if (*model_id == '\0' || strpbrk (model_id, "/ \t\n") != NULL)
    {
      g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_MODEL,
                   _("“%s” is not a model id: ids have no spaces or slashes."), model_id);
      return NULL;
    }

  model = find_model (self, provider_id, model_id);
  if (model != NULL)
    return model;

  template_model = find_model (self, provider_id, info->custom_model);
  g_return_val_if_fail (template_model != NULL, NULL);

  model = copy_model (template_model, model_id);
  g_ptr_array_add (self->models, model);
  return model;
}

gboolean
px_catalog_load_custom_models (PxCatalog   *self,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonArray *models;

  if (!px_json_load_file (parser, path, &local_error) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA,
                   _("Your added models in %s could not be read: %s"), path,
                   local_error ? local_error->message : _("expected a list"));
      return FALSE;
    }

  models = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *object = px_json_object_element (models, i);

      if (object == NULL ||
          px_catalog_add_custom_model (self, px_json_string_member (object, "provider", ""),
                                       px_json_string_member (object, "id", ""), &local_error) == NULL)
        {
          g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_DATA,
                       _("Entry %u of your added models in %s: %s"), i + 1, path,
                       local_error ? local_error->message : _("not an object"));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
px_catalog_save_custom_models (PxCatalog   *self,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->models->len; i++)
    {
      PxModel *model = g_ptr_array_index (self->models, i);

      /* Models a provider's list brought in come back with the list. */
      if (!model->custom || model->discovered)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "provider");
      json_builder_add_string_value (builder, model->provider_id);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, model->id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Could not create %s: %s"), dir, g_strerror (errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

const PxSettingSpec *
px_model_lookup_setting (const PxModel *model,
                         const char    *name)
{
  for (guint i = 0; i < model->settings->len; i++)
    {
      PxSettingSpec *spec = g_ptr_array_index (model->settings, i);

      if (g_str_equal (spec->name, name))
        return spec;
    }

  return NULL;
}

/* Every setting of the model, with the given values checked and defaults for
 * the rest. An unknown setting or a value the model does not take is an
 * error that lists what it does take. */
GHashTable *
px_model_resolve_settings (const PxModel  *model,
                           GHashTable     *given,
                           GError        **error)
{
  g_autoptr(GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (given != NULL)
    {
      g_hash_table_iter_init (&iter, given);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const PxSettingSpec *spec = px_model_lookup_setting (model, key);

          if (spec == NULL)
            {
              g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_SETTING,
                           _("%s has no setting “%s”."), model->name, (const char *) key);
              return NULL;
            }

          if (spec->kind == PX_SETTING_CHOICE && !g_strv_contains ((const char * const *) spec->values, value))
            {
              g_autofree char *choices = g_strjoinv (", ", spec->values);

              g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_SETTING,
                           _("%s does not take %s “%s”; choose one of %s."),
                           model->name, spec->name, (const char *) value, choices);
              return NULL;
            }

          if (spec->kind == PX_SETTING_INTEGER)
            {
              gint64 number;

              if (!g_ascii_string_to_signed (value, 10, spec->min, spec->max, &number, NULL))
                {
                  g_set_error (error, PX_CATALOG_ERROR, PX_CATALOG_ERROR_INVALID_SETTING,
                               _("%s takes %s from %" PRId64 " to %" PRId64 ", not “%s”."),
                               model->name, spec->name, spec->min, spec->max, (const char *) value);
                  return NULL;
                }
            }

          g_hash_table_insert (out, g_strdup (key), g_strdup (value));
        }
    }

  for (guint i = 0; i < model->settings->len; i++)
    {
      PxSettingSpec *spec = g_ptr_array_index (model->settings, i);

      if (!g_hash_table_contains (out, spec->name))
        g_hash_table_insert (out, g_strdup (spec->name), g_strdup (spec->default_value));
    }

  return g_steal_pointer (&out);
}

/* The first price rule whose conditions all hold, else the default. */
double
px_model_price_per_image (const PxModel *model,
                          GHashTable    *settings)
{
  for (guint i = 0; i < model->price_rules->len; i++)
    {
      PriceRule *rule = g_ptr_array_index (model->price_rules, i);
      GHashTableIter iter;
      gpointer key, value;
      gboolean match = TRUE;

      g_hash_table_iter_init (&iter, rule->when);
      while (match && g_hash_table_iter_next (&iter, &key, &value))
        match = settings != NULL && g_strcmp0 (g_hash_table_lookup (settings, key), value) == 0;

      if (match)
        return rule->price;
    }

  return model->price_default;
}

guint
px_model_get_count (const PxModel *model,
                    GHashTable    *settings)
{
  const char *count = settings != NULL ? g_hash_table_lookup (settings, "count") : NULL;

  return count != NULL ? MAX (1, (guint) g_ascii_strtoull (count, NULL, 10)) : 1;
}

/* "GPT Image 2 (gpt-image-2), GPT Image 1.5 (gpt-image-1.5)": what the
 * same provider still serves, its named successor first; for messages
 * about a model that is gone. */
char *
px_catalog_describe_alternatives (PxCatalog     *self,
                                  const PxModel *model)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const PxModel *first = model->replacement ? find_model (self, model->provider_id, model->replacement) : NULL;

  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);

  for (guint i = 0; i <= self->models->len; i++)
    {
      const PxModel *other = i == 0 ? first : g_ptr_array_index (self->models, i - 1);

      if (other == NULL || other == model || (i > 0 && other == first) || other->retired != NULL ||
          other->custom || !g_str_equal (other->provider_id, model->provider_id))
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s (%s)", other->name, other->id);
    }

  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The models to offer in pickers: all but the retired ones (those stay
 * known, so that what names them still opens). Unowned elements. */
GPtrArray *
px_catalog_list_offered (PxCatalog *self)
{
  GPtrArray *offered = g_ptr_array_new ();

  g_return_val_if_fail (PX_IS_CATALOG (self), offered);

  for (guint i = 0; i < self->models->len; i++)
    {
      PxModel *model = g_ptr_array_index (self->models, i);

      if (model->retired == NULL)
        g_ptr_array_add (offered, model);
    }
  return offered;
}

/* "GPT Image 1 Mini · OpenAI — shuts down 2026-12-01": a model's name in a
 * picker, with what the provider says about it. */
char *
px_catalog_describe_model (PxCatalog     *self,
                           const PxModel *model)
{
  const PxProviderInfo *info = px_catalog_lookup_provider (self, model->provider_id);
  const char *provider = info ? info->name : model->provider_id;

  if (model->unavailable)
    return g_strdup_printf (_("%s · %s — not available to this account"), model->name, provider);
  if (model->deprecated != NULL)
    return g_strdup_printf (_("%s · %s — shuts down %s"), model->name, provider, model->deprecated);
  if (model->discovered)
    return g_strdup_printf (_("%s · %s — new, usual settings"), model->name, provider);
  return g_strdup_printf ("%s · %s", model->name, provider);
}

/* For a saved template, a remembered choice or a batch that names a model
 * the provider retired: its named successor, or NULL (the model is current,
 * unknown, or has none). */
const PxModel *
px_catalog_lookup_replacement (PxCatalog  *self,
                               const char *model_id)
{
  const PxModel *model;

  g_return_val_if_fail (PX_IS_CATALOG (self), NULL);

  model = model_id != NULL ? px_catalog_lookup_model (self, model_id, NULL) : NULL;
  if (model == NULL || model->retired == NULL || model->replacement == NULL)
    return NULL;
  return find_model (self, model->provider_id, model->replacement);
}

static void
px_catalog_finalize (GObject *object)
{
  PxCatalog *self = PX_CATALOG (object);

  g_ptr_array_unref (self->providers);
  g_ptr_array_unref (self->models);

  G_OBJECT_CLASS (px_catalog_parent_class)->finalize (object);
}

static void
px_catalog_class_init (PxCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_catalog_finalize;
}

static void
px_catalog_init (PxCatalog *self)
{
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_info_free);
  self->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
}
