/* px-token-set.c: PxTokenSet, named values for tokens in the user's
 * order, and their JSON form as the library stores it. */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "px-token-set.h"
#include "px-tokens.h"
#include "px-json.h"

PxTokenSet *
px_token_set_new (const char *name)
{
  PxTokenSet *set = g_new0 (PxTokenSet, 1);

  set->name = g_strdup (name ? name : "");
  set->names = g_ptr_array_new_with_free_func (g_free);
  set->values = g_ptr_array_new_with_free_func (g_free);
  return set;
}

PxTokenSet *
px_token_set_copy (const PxTokenSet *set)
{
  PxTokenSet *copy = px_token_set_new (set->name);

  copy->id = set->id;
  for (guint i = 0; i < set->names->len; i++)
    px_token_set_set (copy, g_ptr_array_index (set->names, i), g_ptr_array_index (set->values, i));
  return copy;
}

void
px_token_set_free (PxTokenSet *set)
{
  if (set == NULL)
    return;

  g_free (set->name);
  g_ptr_array_unref (set->names);
  g_ptr_array_unref (set->values);
  g_free (set);
}

static gboolean
find_token (const PxTokenSet *set,
            const char       *name,
            guint            *index)
{
  g_autofree char *normal = px_tokens_normalize_name (name);

  return normal != NULL && g_ptr_array_find_with_equal_func (set->names, normal, g_str_equal, index);
}

/* Adds the token at the end, or changes its value. Names are normalised
 * the way prompts write them (upper case). */
void
px_token_set_set (PxTokenSet *set,
                  const char *name,
                  const char *value)
{
  g_autofree char *normal = px_tokens_normalize_name (name);
  guint index;

  g_return_if_fail (set != NULL);
  if (normal == NULL || *normal == '\0')
    return;

  if (find_token (set, normal, &index))
    {
      g_free (set->values->pdata[index]);
      set->values->pdata[index] = g_strdup (value ? value : "");
      return;
    }
  g_ptr_array_add (set->names, g_steal_pointer (&normal));
  g_ptr_array_add (set->values, g_strdup (value ? value : ""));
}

gboolean
px_token_set_remove (PxTokenSet *set,
                     const char *name)
{
  guint index;

  if (!find_token (set, name, &index))
    return FALSE;
  g_ptr_array_remove_index (set->names, index);
  g_ptr_array_remove_index (set->values, index);
  return TRUE;
}

const char *
px_token_set_lookup (const PxTokenSet *set,
                     const char       *name)
{
  guint index;

  return find_token (set, name, &index) ? g_ptr_array_index (set->values, index) : NULL;
}

/* Name -> value, as px_tokens_resolve wants; empty values count as missing. */
GHashTable *
px_token_set_to_table (const PxTokenSet *set)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; set != NULL && i < set->names->len; i++)
    if (*(const char *) g_ptr_array_index (set->values, i) != '\0')
      g_hash_table_insert (table, g_strdup (g_ptr_array_index (set->names, i)),
                           g_strdup (g_ptr_array_index (set->values, i)));
  return table;
}

/* A JSON object in the set's order (json-glib keeps member order). */
char *
px_token_set_to_json (const PxTokenSet *set)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < set->names->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (set->names, i));
      json_builder_add_string_value (builder, g_ptr_array_index (set->values, i));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

void
px_token_set_load_json (PxTokenSet *set,
                        const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  g_ptr_array_set_size (set->names, 0);
  g_ptr_array_set_size (set->values, 0);
  if (json == NULL || !px_json_load (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        px_token_set_set (set, l->data, json_node_get_string (node));
    }
}
