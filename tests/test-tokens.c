/* test-tokens.c: every token rule a user writes prompts with, as a table:
 * names, case, defaults, filters, literal brackets, cleaning, missing tokens
 * with their positions, syntax errors and the model's length limit. */
#include "config.h"

#include <string.h>

#include "px-json.h"
#include "px-tokens.h"

typedef struct {
  const char *template_text;
  const char *values;        /* "NAME=value;NAME=value" */
  glong       max_chars;
  const char *expected;      /* NULL: an error is expected */
  int         error_code;
  const char *message_part;  /* must appear in the error message */
} ResolveCase;

static const ResolveCase resolve_cases[] = {
  { "Portrait of [FIRSTNAME] from [COMPANY]", "FIRSTNAME=Ada;COMPANY=Acme", 0, "Portrait of Ada from Acme" },
  /* Names are case-insensitive. */
  { "Hi [FirstName] and [firstname]", "FIRSTNAME=Ada", 0, "Hi Ada and Ada" },
  { "Hi [first_name_2]", "FIRST_NAME_2=Bo", 0, "Hi Bo" },
  /* Defaults apply when the value is missing or empty, not otherwise. */
  { "Hello [FIRSTNAME|there]", "", 0, "Hello there" },
  { "Hello [FIRSTNAME|there]", "FIRSTNAME=", 0, "Hello there" },
  { "Hello [FIRSTNAME|there]", "FIRSTNAME=Ada", 0, "Hello Ada" },
  { "Hello [FIRSTNAME|dear: friend]", "", 0, "Hello dear: friend" },
  { "A [ADJ|]cat", "", 0, "A cat" },
  /* Filters, alone and with a default. */
  { "[NAME:upper]", "NAME=ada lovelace", 0, "ADA LOVELACE" },
  { "[NAME:lower]", "NAME=ADA Lovelace", 0, "ada lovelace" },
  { "[NAME:title]", "NAME=ada LOVELACE-king", 0, "Ada Lovelace-King" },
  { "[NAME:UPPER|friend]", "", 0, "FRIEND" },
  { "[name : lower]", "NAME=ÉCOLE", 0, "école" },
  /* Literal brackets. */
  { "A sign that says [[SALE]] for [NAME]", "NAME=Ada", 0, "A sign that says [SALE] for Ada" },
  { "array[[0]]", "", 0, "array[0]" },
  { "a lone ] is text", "", 0, "a lone ] is text" },
  /* Values are inserted literally, never resolved again. */
  { "Hi [A]", "A=[B];B=x", 0, "Hi [B]" },
  /* Values are cleaned: control characters, markup, white space. */
  { "Hi [A].", "A=  Ada\t\nLovelace\x01 ", 0, "Hi Ada Lovelace." },
  { "Hi [A]", "A=<b>Ada</b><script>x</script>", 0, "Hi Ada x" },
  { "Hi [A]", "A=Ada\xE2\x80\x8B\xE2\x80\xAE", 0, "Hi Ada" },
  /* The prompt itself is cleaned too. */
  { "  a\n\n cat  ", "", 0, "a cat" },
  { "Unicode names: [NOMBRE_ÑU]", "NOMBRE_ÑU=Iñigo", 0, "Unicode names: Iñigo" },
  /* Missing tokens: every one, with its character position. */
  { "Hi [FIRSTNAME] from [COMPANY]", "", 0, NULL, PX_TOKENS_ERROR_MISSING,
    "[FIRSTNAME] (character 4), [COMPANY] (character 21)" },
  { "Ünï [A]", "", 0, NULL, PX_TOKENS_ERROR_MISSING, "[A] (character 5)" },
  { "Hi [A]", "A=<br>", 0, NULL, PX_TOKENS_ERROR_MISSING, "[A]" },
  /* Syntax errors name the place. */
  { "Hi [FIRSTNAME", "", 0, NULL, PX_TOKENS_ERROR_SYNTAX, "character 4" },
  { "Hi [FIRST NAME]", "", 0, NULL, PX_TOKENS_ERROR_SYNTAX, "“[FIRST NAME]” at character 4" },
  { "Hi []", "", 0, NULL, PX_TOKENS_ERROR_SYNTAX, "character 4" },
  { "Hi [A[B]]", "", 0, NULL, PX_TOKENS_ERROR_SYNTAX, "character 4" },
  { "Hi [A:shout]", "", 0, NULL, PX_TOKENS_ERROR_SYNTAX, "Unknown filter “shout” in token [A]" },
  /* Empty and over-long prompts. */
  { "   ", "", 0, NULL, PX_TOKENS_ERROR_EMPTY, "empty" },
  { "[A]", "A= ", 0, NULL, PX_TOKENS_ERROR_MISSING, "[A]" },
  { "abcdef [A]", "A=ghij", 10, NULL, PX_TOKENS_ERROR_TOO_LONG, "11 characters long, but this model accepts at most 10" },
  { "abcdef [A]", "A=ghi", 10, "abcdef ghi" },
  { "ééééé", "", 5, "ééééé" },
};

static GHashTable *
parse_values (const char *spec)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit (spec, ";", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');

      if (eq != NULL)
        g_hash_table_insert (values, g_strndup (pairs[i], eq - pairs[i]), g_strdup (eq + 1));
    }

  return values;
}

static void
test_resolve_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (resolve_cases); i++)
    {
      const ResolveCase *c = &resolve_cases[i];
      g_autoptr(GHashTable) values = parse_values (c->values);
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      g_test_message ("case %u: %s", i, c->template_text);
      result = px_tokens_resolve (c->template_text, values, c->max_chars, &error);

      if (c->expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, c->expected);
        }
      else
        {
          g_assert_null (result);
          g_assert_error (error, PX_TOKENS_ERROR, c->error_code);
          if (strstr (error->message, c->message_part) == NULL)
            g_error ("case %u: “%s” does not contain “%s”", i, error->message, c->message_part);
        }
    }
}

static void
test_parse_positions (void)
{
  const char *text = "é [A|x] [[ [b:upper]";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = px_tokens_parse (text, &error);
  PxToken *a, *b;

  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);
  a = g_ptr_array_index (tokens, 0);
  b = g_ptr_array_index (tokens, 1);

  g_assert_cmpstr (a->name, ==, "A");
  g_assert_cmpstr (a->default_value, ==, "x");
  g_assert_cmpint (a->filter, ==, PX_TOKEN_FILTER_NONE);
  g_assert_cmpuint (a->start, ==, 3); /* é is two bytes */
  g_assert_cmpuint (a->end, ==, 8);
  g_assert_cmpint (a->column, ==, 3);

  g_assert_cmpstr (b->name, ==, "B");
  g_assert_null (b->default_value);
  g_assert_cmpint (b->filter, ==, PX_TOKEN_FILTER_UPPER);
  g_assert_cmpuint (b->start, ==, 12);
  g_assert_cmpint (b->column, ==, 12);
}

static void
test_list_names (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = px_tokens_list_names ("[b] [A] [[C]] [a|x] [D:lower]", &error);
  const char *expected[] = { "B", "A", "D", NULL };

  g_assert_no_error (error);
  g_assert_cmpstrv (names, expected);

  g_assert_null (px_tokens_list_names ("[bad name]", &error));
  g_assert_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX);
}

static void
test_normalize_name (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "firstName", "FIRSTNAME" }, { "A_1", "A_1" }, { "_", "_" }, { "ñu", "ÑU" },
    { "", NULL }, { "a b", NULL }, { "a-b", NULL }, { "a.b", NULL }, { "a]", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = px_tokens_normalize_name (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_value_length_cap (void)
{
  g_autofree char *long_value = NULL;
  g_autofree char *cleaned = NULL;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < PX_TOKEN_VALUE_MAX_CHARS + 50; i++)
    g_string_append (s, "é");
  long_value = g_string_free (s, FALSE);

  cleaned = px_tokens_clean_value (long_value);
  g_assert_cmpint (g_utf8_strlen (cleaned, -1), ==, PX_TOKEN_VALUE_MAX_CHARS);
  g_assert_true (g_utf8_validate (cleaned, -1, NULL));
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cleaned = px_tokens_clean_value ("Ad\xFF" "a");

  g_assert_null (px_tokens_resolve ("Hi \xC3", NULL, 0, &error));
  g_assert_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX);
  /* A broken value becomes valid text rather than breaking the request. */
  g_assert_true (g_utf8_validate (cleaned, -1, NULL));
  g_assert_true (g_str_has_prefix (cleaned, "Ad"));
}

/* A token set stored in the library as JSON reads back the same after a
 * save, even when its file escaped a lone surrogate (found by fuzz-json). */
static void
test_table_round_trip (void)
{
  g_autoptr(GHashTable) table = px_json_to_table ("{\"NAME\": \"Ada \\udc00x\", \"CITY\": \"K\u00f6ln\"}");
  g_autofree char *json = px_json_from_table (table);
  g_autoptr(GHashTable) back = px_json_to_table (json);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (table), ==, 2);
  g_assert_cmpuint (g_hash_table_size (back), ==, 2);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (g_utf8_validate (key, -1, NULL));
      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_cmpstr (g_hash_table_lookup (back, key), ==, value);
    }
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (back, "NAME"), "Ada "));
  g_assert_cmpstr (g_hash_table_lookup (back, "CITY"), ==, "K\u00f6ln");
}

/* Counts in a provider's answer that no gint64 holds (1e300, found by
 * fuzz-batch-openai) read as the fallback. */
static void
test_int_member (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, "{\"a\": 1e300, \"b\": -1e300, \"c\": 1056, \"d\": 12.0}",
                                             -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (px_json_int_member (object, "a", -1), ==, -1);
  g_assert_cmpint (px_json_int_member (object, "b", -1), ==, -1);
  g_assert_cmpint (px_json_int_member (object, "c", -1), ==, 1056);
  g_assert_cmpint (px_json_int_member (object, "d", -1), ==, 12);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tokens/resolve", test_resolve_table);
  g_test_add_func ("/tokens/parse-positions", test_parse_positions);
  g_test_add_func ("/tokens/list-names", test_list_names);
  g_test_add_func ("/tokens/normalize-name", test_normalize_name);
  g_test_add_func ("/tokens/value-length-cap", test_value_length_cap);
  g_test_add_func ("/tokens/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/tokens/table-round-trip", test_table_round_trip);
  g_test_add_func ("/tokens/int-member", test_int_member);

  return g_test_run ();
}
