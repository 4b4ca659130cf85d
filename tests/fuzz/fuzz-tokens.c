/* fuzz-tokens.c: the token parser and resolver on any text. The input is a
 * template; its tokens are filled with values cut from the input itself. */
#include "config.h"

#include "fuzz-common.h"
#include "px-tokens.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = px_fuzz_string (data, size);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) tokens = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *resolved = NULL, *clean = NULL, *prompt = NULL, *normal = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return 0;

  tokens = px_tokens_parse (text, NULL);
  names = px_tokens_list_names (text, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_hash_table_insert (values, g_strdup (names[i]), i % 2 ? g_strdup (text) : g_strdup (""));
  resolved = px_tokens_resolve (text, values, 4000, &error);
  clean = px_tokens_clean_value (text);
  prompt = px_tokens_clean_prompt (text);
  normal = px_tokens_normalize_name (text);

  return 0;
}
