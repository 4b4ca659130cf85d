/* px-json.h: the flat {"NAME": "value"} objects the library keeps tokens
 * and settings in. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper JSON than this is refused before it is parsed: json-glib parses
 * by recursion, and a few hundred kilobytes of brackets overflow a thread's
 * stack. No answer, template or setting Pixmerge reads comes near it. */
#define PX_JSON_MAX_DEPTH 64

gboolean    px_json_check_depth (const char *data,
                                 gssize      length,
                                 GError    **error);
gboolean    px_json_load       (JsonParser *parser,
                                const char *data,
                                gssize      length,
                                GError    **error);
gboolean    px_json_load_file  (JsonParser *parser,
                                const char *path,
                                GError    **error);
JsonArray  *px_json_array_member   (JsonObject *object,
                                    const char *name);
JsonObject *px_json_object_member  (JsonObject *object,
                                    const char *name);
JsonObject *px_json_object_element (JsonArray  *array,
                                    guint       index);
const char *px_json_string_member  (JsonObject *object,
                                    const char *name,
                                    const char *fallback);
gint64      px_json_int_member     (JsonObject *object,
                                    const char *name,
                                    gint64      fallback);
void        px_json_add_string     (JsonBuilder *builder,
                                    const char  *name,
                                    const char  *value);
char       *px_json_from_table (GHashTable *table);
GHashTable *px_json_to_table   (const char *json);

G_END_DECLS
