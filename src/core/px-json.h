/* px-json.h: the flat {"NAME": "value"} objects the library keeps tokens
 * and settings in. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *px_json_from_table (GHashTable *table);
GHashTable *px_json_to_table   (const char *json);

G_END_DECLS
