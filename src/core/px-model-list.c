/* px-model-list.c: the catalog ships the models the providers document; the
 * providers' own lists (GET /v1/models, GET /v1beta/models) say what an
 * account can use today. A list is fetched when a key is saved or tested
 * and at most once a day otherwise, kept in the cache folder, and merged:
 * catalog models the list lacks are marked not available to this account,
 * image models the catalog does not know are offered with the provider's
 * usual settings. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-model-list.h"
#include "px-paths.h"
#include "px-json.h"

static char *
cache_path (const char *provider_id)
{
  g_autofree char *name = g_strdup_printf ("models-%s.json", provider_id);

  return g_build_filename (px_paths_get_cache_dir (), name, NULL);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* The model ids a list answer names. OpenAI's wire: {"data": [{"id"}]};
 * Gemini: {"models": [{"name": "models/ID", "supportedGenerationMethods"}]},
 * only those that take generateContent. */
GStrv
px_model_list_parse (const char  *wire,
                     GBytes      *body,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  JsonObject *root;
  JsonArray *items;
  gboolean google = g_strcmp0 (wire, "gemini") == 0;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (!px_json_load (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The provider's model list is not JSON."));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  items = member_array (root, google ? "models" : "data");
  if (items == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The provider's model list has no models."));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = member_string (item, google ? "name" : "id");
      JsonArray *methods = google ? member_array (item, "supportedGenerationMethods") : NULL;
      gboolean generates = !google;

      for (guint k = 0; methods != NULL && k < json_array_get_length (methods); k++)
        {
          JsonNode *method = json_array_get_element (methods, k);

          if (JSON_NODE_HOLDS_VALUE (method) && json_node_get_value_type (method) == G_TYPE_STRING &&
              g_str_equal (json_node_get_string (method), "generateContent"))
            generates = TRUE;
        }
      if (id == NULL || !generates)
        continue;
      if (g_str_has_prefix (id, "models/"))
        id += strlen ("models/");
      if (*id != '\0' && strlen (id) < 200)
        g_strv_builder_add (ids, id);
    }

  return g_strv_builder_end (ids);
}

/* Written whole or not at all: {"fetched": UNIX, "ids": [...]}. */
gboolean
px_model_list_save (const char          *provider_id,
                    const char * const  *ids,
                    GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = cache_path (provider_id);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fetched");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Could not make the folder %s."), dir);
      return FALSE;
    }
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* The cached list and when it was fetched, or NULL. */
GStrv
px_model_list_load (const char *provider_id,
                    gint64     *fetched)
{
  g_autofree char *path = cache_path (provider_id);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  JsonObject *root;
  JsonArray *items;
  JsonNode *when;
  gsize length;

  if (fetched != NULL)
    *fetched = 0;
  if (!g_file_get_contents (path, &text, &length, NULL) ||
      !px_json_load (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if ((items = member_array (root, "ids")) == NULL)
    return NULL;
  when = json_object_get_member (root, "fetched");
  if (fetched != NULL && when != NULL && JSON_NODE_HOLDS_VALUE (when))
    *fetched = json_node_get_int (when);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (ids, json_node_get_string (node));
    }
  return g_strv_builder_end (ids);
}

/* No list yet, or one older than a day. */
gboolean
px_model_list_is_stale (const char *provider_id)
{
  gint64 fetched = 0;
  g_auto(GStrv) ids = px_model_list_load (provider_id, &fetched);

  return ids == NULL || g_get_real_time () / G_USEC_PER_SEC - fetched > PX_MODEL_LIST_MAX_AGE_SECONDS;
}

/* An image model by its name: the list answers name every model (text,
 * audio, embeddings); a local server's list is its image models. */
static gboolean
makes_images (const PxProviderInfo *info,
              const char           *id)
{
  if (info->key_policy != PX_KEY_REQUIRED)
    return TRUE;
  return strstr (id, "image") != NULL || g_str_has_prefix (id, "dall-e");
}

/* A dated snapshot of a model the catalog knows ("gpt-image-2-2026-04-21")
 * is that model, not a new one. */
static gboolean
is_snapshot_of (const char *id,
                const char *model_id)
{
  gsize n = strlen (model_id);

  return g_str_has_prefix (id, model_id) && id[n] == '-' && g_ascii_isdigit (id[n + 1]);
}

/* Marks what the account cannot use, adds what the catalog does not know;
 * returns how many models were added. */
guint
px_model_list_merge (PxCatalog          *catalog,
                     const char         *provider_id,
                     const char * const *ids)
{
  const PxProviderInfo *info = px_catalog_lookup_provider (catalog, provider_id);
  GPtrArray *models = px_catalog_get_models (catalog);
  guint added = 0;

  if (info == NULL || ids == NULL)
    return 0;

  for (guint i = 0; i < models->len; i++)
    {
      PxModel *model = g_ptr_array_index (models, i);

      if (!g_str_equal (model->provider_id, provider_id) || model->custom)
        continue;
      model->unavailable = !g_strv_contains (ids, model->id);
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      gboolean known = FALSE;

      if (!makes_images (info, ids[i]))
        continue;
      for (guint k = 0; k < models->len && !known; k++)
        {
          const PxModel *model = g_ptr_array_index (models, k);

          known = g_str_equal (model->provider_id, provider_id) &&
                  (g_str_equal (model->id, ids[i]) || is_snapshot_of (ids[i], model->id));
        }
      if (!known)
        {
          PxModel *model = (PxModel *) px_catalog_add_custom_model (catalog, provider_id, ids[i], NULL);

          if (model != NULL)
            {
              model->discovered = TRUE;
              added++;
            }
        }
    }
  return added;
}

/* At start: what the providers said last time (a few small files). */
void
px_model_list_merge_cached (PxCatalog *catalog)
{
  GPtrArray *providers = px_catalog_get_providers (catalog);

  for (guint i = 0; i < providers->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (providers, i);
      g_auto(GStrv) ids = px_model_list_load (info->id, NULL);

      if (ids != NULL)
        px_model_list_merge (catalog, info->id, (const char * const *) ids);
    }
}
