/* px-templates.c: templates as JSON, for import, export and the presets
 * that ship in the resource. A preset fills the same form a saved template
 * does; nothing in the app has a code path per feature. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "px-core-resources.h"
#include "px-templates.h"
#include "px-json.h"

#define PRESETS_PATH "/io/github/pixmerge/Pixmerge/core/px-presets.json"

G_DEFINE_QUARK (px-templates-error-quark, px_templates_error)

static GHashTable *
new_settings (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

PxTemplate *
px_template_new (const char *name,
                 const char *prompt)
{
  PxTemplate *template_ = g_new0 (PxTemplate, 1);

  template_->name = g_strdup (name ? name : "");
  template_->category = g_strdup ("");
  template_->description = g_strdup ("");
  template_->prompt = g_strdup (prompt ? prompt : "");
  template_->settings = new_settings ();
  return template_;
}

PxTemplate *
px_template_copy (const PxTemplate *template_)
{
  PxTemplate *copy = px_template_new (template_->name, template_->prompt);
  GHashTableIter iter;
  gpointer key, value;

  copy->row_id = template_->row_id;
  copy->preset_id = g_strdup (template_->preset_id);
  g_free (copy->category);
  copy->category = g_strdup (template_->category);
  g_free (copy->description);
  copy->description = g_strdup (template_->description);
  copy->feature = g_strdup (template_->feature);
  copy->model = g_strdup (template_->model);
  copy->caption_top = g_strdup (template_->caption_top);
  copy->caption_bottom = g_strdup (template_->caption_bottom);
  g_hash_table_iter_init (&iter, template_->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->settings, g_strdup (key), g_strdup (value));
  return copy;
}

void
px_template_free (PxTemplate *template_)
{
  if (template_ == NULL)
    return;

  g_free (template_->preset_id);
  g_free (template_->name);
  g_free (template_->category);
  g_free (template_->description);
  g_free (template_->feature);
  g_free (template_->prompt);
  g_free (template_->model);
  g_hash_table_unref (template_->settings);
  g_free (template_->caption_top);
  g_free (template_->caption_bottom);
  g_free (template_);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static void
read_settings (GHashTable *settings,
               JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_insert (settings, g_strdup (l->data), g_strdup (json_node_get_string (node)));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        g_hash_table_insert (settings, g_strdup (l->data),
                             g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)));
    }
}

static PxTemplate *
template_from_object (JsonObject  *object,
                      guint        index,
                      gboolean     preset,
                      GError     **error)
{
  g_autofree char *name = dup_member (object, "name");
  g_autofree char *prompt = dup_member (object, "prompt");
  g_autoptr(PxTemplate) template_ = NULL;
  JsonNode *node;

  if (name == NULL || *name == '\0' || prompt == NULL || *prompt == '\0')
    {
      g_set_error (error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID,
                   _("Template %u has no “%s”."), index + 1, name == NULL || *name == '\0' ? "name" : "prompt");
      return NULL;
    }

  template_ = px_template_new (name, prompt);
  if (preset)
    template_->preset_id = dup_member (object, "id");
  g_free (template_->category);
  template_->category = dup_member (object, "category");
  if (template_->category == NULL)
    template_->category = g_strdup ("");
  g_free (template_->description);
  template_->description = dup_member (object, "description");
  if (template_->description == NULL)
    template_->description = g_strdup ("");
  template_->feature = dup_member (object, "feature");
  template_->model = dup_member (object, "model");

  node = json_object_get_member (object, "settings");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    read_settings (template_->settings, json_node_get_object (node));
  node = json_object_get_member (object, "captions");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      template_->caption_top = dup_member (json_node_get_object (node), "top");
      template_->caption_bottom = dup_member (json_node_get_object (node), "bottom");
    }

  return g_steal_pointer (&template_);
}

static GPtrArray *
parse (const char  *data,
       gssize       length,
       gboolean     preset,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array = NULL;

  if ((length < 0 ? strlen (data) : (gsize) length) > PX_TEMPLATES_MAX_BYTES)
    {
      g_set_error (error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID,
                   _("This templates file is larger than %d MB; it cannot be a list of templates."),
                   PX_TEMPLATES_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!px_json_load (parser, data, length, &local_error))
    {
      g_set_error (error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID,
                   _("This is not a templates file: %s"), local_error->message);
      return NULL;
    }

  /* {"templates": […]}, {"presets": […]}, […] or one template. */
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *list = preset ? "presets" : "templates";

      if (json_object_has_member (object, list) && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, list)))
        array = json_object_get_array_member (object, list);
      else if (json_object_has_member (object, "prompt"))
        {
          PxTemplate *template_ = template_from_object (object, 0, preset, error);

          if (template_ == NULL)
            return NULL;
          g_ptr_array_add (templates, template_);
          return g_steal_pointer (&templates);
        }
    }

  if (array == NULL)
    {
      g_set_error (error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID,
                   _("This is not a templates file: it has no “templates” list."));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      PxTemplate *template_;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, PX_TEMPLATES_ERROR, PX_TEMPLATES_ERROR_INVALID,
                       _("Template %u is not an object."), i + 1);
          return NULL;
        }
      template_ = template_from_object (json_node_get_object (node), i, preset, error);
      if (template_ == NULL)
        return NULL;
      g_ptr_array_add (templates, template_);
    }

  return g_steal_pointer (&templates);
}

GPtrArray *
px_templates_from_json (const char  *data,
                        gssize       length,
                        GError     **error)
{
  g_return_val_if_fail (data != NULL, NULL);

  return parse (data, length, FALSE, error);
}

/* The presets are part of the program: broken data is a bug, not a user
 * error, so it is fatal. */
GPtrArray *
px_templates_get_presets (void)
{
  g_autoptr(GBytes) data = g_resource_lookup_data (px_core_get_resource (), PRESETS_PATH,
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *presets;

  g_assert (data != NULL);
  presets = parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), TRUE, &error);
  if (presets == NULL)
    g_error ("The built-in presets are broken: %s", error->message);

  /* Shown in the user's language (see px-presets-strings.c). */
  for (guint i = 0; i < presets->len; i++)
    {
      PxTemplate *preset = g_ptr_array_index (presets, i);
      char **fields[] = { &preset->name, &preset->category, &preset->description };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          const char *translated = g_dgettext (GETTEXT_PACKAGE, *fields[f]);

          if (translated != *fields[f])
            {
              g_free (*fields[f]);
              *fields[f] = g_strdup (translated);
            }
        }
    }
  return presets;
}

static void
add_settings (JsonBuilder *builder,
              GHashTable  *settings)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (settings);

  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    px_json_add_string (builder, l->data, g_hash_table_lookup (settings, l->data));
  json_builder_end_object (builder);
}

static char *
builder_to_string (JsonBuilder *builder,
                   gboolean     pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
px_template_settings_to_json (const PxTemplate *template_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_settings (builder, template_->settings);
  return builder_to_string (builder, FALSE);
}

void
px_template_set_settings_json (PxTemplate *template_,
                               const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_hash_table_remove_all (template_->settings);
  if (json != NULL && px_json_load (parser, json, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    read_settings (template_->settings, json_node_get_object (json_parser_get_root (parser)));
}

/* What export writes and import reads back; no library row ids. */
/* px_templates_from_json() on a file, read no further than a templates
 * file can be long. */
GPtrArray *
px_templates_from_file (const char  *path,
                        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (stream == NULL)
    return NULL;
  data = g_malloc (PX_TEMPLATES_MAX_BYTES + 2);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, PX_TEMPLATES_MAX_BYTES + 1, &length, NULL, error))
    return NULL;
  data[length] = '\0';

  return px_templates_from_json (data, length, error);
}

char *
px_templates_to_json (GPtrArray *templates)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "templates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < templates->len; i++)
    {
      const PxTemplate *template_ = g_ptr_array_index (templates, i);

      json_builder_begin_object (builder);
      px_json_add_string (builder, "name", template_->name);
      px_json_add_string (builder, "category", template_->category);
      px_json_add_string (builder, "description", template_->description);
      px_json_add_string (builder, "feature", template_->feature);
      px_json_add_string (builder, "prompt", template_->prompt);
      px_json_add_string (builder, "model", template_->model);
      json_builder_set_member_name (builder, "settings");
      add_settings (builder, template_->settings);
      if (template_->caption_top != NULL || template_->caption_bottom != NULL)
        {
          json_builder_set_member_name (builder, "captions");
          json_builder_begin_object (builder);
          px_json_add_string (builder, "top", template_->caption_top);
          px_json_add_string (builder, "bottom", template_->caption_bottom);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_string (builder, TRUE);
}
