/* px-json.c: tokens and settings as JSON objects of strings. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-json.h"

/* Counts brackets outside strings: linear, no allocation. Whether the rest
 * is valid JSON is the parser's to say. */
gboolean
px_json_check_depth (const char *data,
                     gssize      length,
                     GError    **error)
{
  gsize size = length < 0 ? strlen (data) : (gsize) length;
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > PX_JSON_MAX_DEPTH)
            {
              g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("its JSON is nested more than %d levels deep"), PX_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* json_parser_load_from_data() for text from outside: too deep a nesting is
 * an error instead of a crash, and blank text an error instead of no root. */
gboolean
px_json_load (JsonParser *parser,
              const char *data,
              gssize      length,
              GError    **error)
{
  if (data == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, _("it is empty"));
      return FALSE;
    }
  if (!px_json_check_depth (data, length, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, data, length, error))
    return FALSE;
  /* Blank text parses to no root at all: say so, rather than hand callers
   * a NULL node. */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, _("it is empty"));
      return FALSE;
    }

  return TRUE;
}

gboolean
px_json_load_file (JsonParser *parser,
                   const char *path,
                   GError    **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;

  return px_json_load (parser, data, (gssize) length, error);
}

/* Members of JSON from outside (a provider's answer, a file), only when they
 * are of the type asked
 * for: what comes over the network is checked before it is used (json-glib
 * warns, and returns nonsense, for a member of another type). NULL or the
 * fallback otherwise. */
JsonArray *
px_json_array_member (JsonObject *object,
                          const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
px_json_object_member (JsonObject *object,
                           const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonObject *
px_json_object_element (JsonArray *array,
                            guint      index)
{
  JsonNode *node = array != NULL && index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
px_json_string_member (JsonObject *object,
                           const char *name,
                           const char *fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : fallback;
}

gint64
px_json_int_member (JsonObject *object,
                        const char *name,
                        gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* 1e300 (or NaN) has no gint64: the fallback, not undefined behaviour. */
      if (!(value > -9.2e18 && value < 9.2e18))
        return fallback;
      return (gint64) value;
    }
  return fallback;
}

/* Keys sorted, so equal tables give equal text. */
char *
px_json_from_table (GHashTable *table)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = table ? g_hash_table_get_keys (table) : NULL;

  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (table, l->data));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* Anything but an object of strings gives what it can: an empty table at
 * worst, never an error; keys and values are always valid UTF-8. */
GHashTable *
px_json_to_table (const char *json)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!px_json_load (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return table;

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      /* json-glib decodes a lone surrogate ("\udc00") into bytes that are
       * not UTF-8, which no generator writes back as JSON: they become
       * U+FFFD, so a stored table always reads back the same. */
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_hash_table_insert (table, g_utf8_make_valid (l->data, -1),
                             g_utf8_make_valid (json_node_get_string (node), -1));
    }

  return table;
}

/* A string member, left out when @value is NULL. */
void
px_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}
