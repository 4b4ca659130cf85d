/* fuzz-json.c: the guarded JSON reader every outside text goes through
 * (depth check, then json-glib), and the flat token and setting tables
 * the library keeps. */
#include "config.h"

#include "fuzz-common.h"
#include "px-json.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = px_fuzz_string (data, size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) table = px_json_to_table (text);
  g_autofree char *back = px_json_from_table (table);
  g_autoptr(GHashTable) again = px_json_to_table (back);

  px_json_load (parser, (const char *) data, size, NULL);
  g_assert_cmpuint (g_hash_table_size (again), ==, g_hash_table_size (table));

  return 0;
}
