/* px-tokens.c: parses and resolves personalisation tokens. Values are
 * inserted literally (a value that contains [X] is not resolved again), and
 * both values and the final prompt are cleaned the same way for every
 * provider. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-tokens.h"

G_DEFINE_QUARK (px-tokens-error-quark, px_tokens_error)

void
px_token_free (PxToken *token)
{
  if (token == NULL)
    return;

  g_free (token->name);
  g_free (token->default_value);
  g_free (token);
}

static gboolean
is_name_char (gunichar c)
{
  return c == '_' || g_unichar_isalnum (c);
}

/* Returns the canonical (upper-case) form of a token name, or NULL when it
 * is not one: names are letters, digits and _, compared case-insensitively. */
char *
px_tokens_normalize_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    return NULL;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_name_char (g_utf8_get_char (p)))
      return NULL;

  return g_utf8_strup (name, -1);
}

static glong
column_at (const char *text,
           gsize       offset)
{
  return g_utf8_pointer_to_offset (text, text + offset) + 1;
}

static gboolean
parse_filter (const char    *text,
              gsize          len,
              PxTokenFilter *filter)
{
  static const struct { const char *name; PxTokenFilter filter; } filters[] = {
    { "upper", PX_TOKEN_FILTER_UPPER },
    { "lower", PX_TOKEN_FILTER_LOWER },
    { "title", PX_TOKEN_FILTER_TITLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (strlen (filters[i].name) == len && g_ascii_strncasecmp (text, filters[i].name, len) == 0)
      {
        *filter = filters[i].filter;
        return TRUE;
      }

  return FALSE;
}

/* Parses the token whose '[' is at text[start]. Grammar:
 * [ NAME (:FILTER)? (|DEFAULT)? ] where DEFAULT has no brackets. */
static PxToken *
parse_token (const char  *text,
             gsize        start,
             GError     **error)
{
  const char *open = text + start;
  const char *close = open + 1;
  const char *bar, *colon, *name_end;
  g_autoptr(PxToken) token = g_new0 (PxToken, 1);
  g_autofree char *raw_name = NULL;
  glong column = column_at (text, start);

  while (*close != '\0' && *close != ']' && *close != '[')
    close++;

  if (*close != ']')
    {
      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX,
                   _("The “[” at character %ld is not closed. Write “[[” for a literal bracket."),
                   column);
      return NULL;
    }

  bar = memchr (open + 1, '|', close - open - 1);
  name_end = bar != NULL ? bar : close;
  colon = memchr (open + 1, ':', name_end - open - 1);
  raw_name = g_strndup (open + 1, (colon != NULL ? colon : name_end) - open - 1);
  g_strstrip (raw_name);

  token->name = px_tokens_normalize_name (raw_name);
  if (token->name == NULL)
    {
      g_autofree char *shown = g_strndup (open, close - open + 1);

      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX,
                   _("“%s” at character %ld is not a valid token: names use only letters, digits and _. "
                     "Write “[[” for a literal bracket."),
                   shown, column);
      return NULL;
    }

  if (colon != NULL)
    {
      g_autofree char *filter = g_strstrip (g_strndup (colon + 1, name_end - colon - 1));

      if (!parse_filter (filter, strlen (filter), &token->filter))
        {
          g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX,
                       _("Unknown filter “%s” in token [%s] at character %ld: use upper, lower or title."),
                       filter, token->name, column);
          return NULL;
        }
    }

  if (bar != NULL)
    token->default_value = g_strndup (bar + 1, close - bar - 1);

  token->start = start;
  token->end = close - text + 1;
  token->column = column;

  return g_steal_pointer (&token);
}

/* Walks a template and collects its tokens in order; with literal_out, also
 * writes the text with brackets unescaped and a NUL byte where each token
 * stands. NULL with error on the first syntax error. */
static GPtrArray *
scan (const char *text,
      GString    *literal_out,
      GError    **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) px_token_free);
  gsize i = 0;

  while (text[i] != '\0')
    {
      if (text[i] == '[' && text[i + 1] == '[')
        {
          if (literal_out)
            g_string_append_c (literal_out, '[');
          i += 2;
        }
      else if (text[i] == ']' && text[i + 1] == ']')
        {
          if (literal_out)
            g_string_append_c (literal_out, ']');
          i += 2;
        }
      else if (text[i] == '[')
        {
          PxToken *token = parse_token (text, i, error);

          if (token == NULL)
            return NULL;
          if (literal_out)
            g_string_append_c (literal_out, '\0'); /* placeholder, see resolve */
          i = token->end;
          g_ptr_array_add (tokens, token);
        }
      else
        {
          if (literal_out)
            g_string_append_c (literal_out, text[i]);
          i++;
        }
    }

  return g_steal_pointer (&tokens);
}

GPtrArray *
px_tokens_parse (const char  *template_text,
                 GError     **error)
{
  g_return_val_if_fail (template_text != NULL, NULL);

  if (!g_utf8_validate (template_text, -1, NULL))
    {
      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX,
                   _("The prompt is not valid UTF-8 text."));
      return NULL;
    }

  return scan (template_text, NULL, error);
}

/* The distinct token names of a template, in order of first use. */
char **
px_tokens_list_names (const char  *template_text,
                      GError     **error)
{
  g_autoptr(GPtrArray) tokens = px_tokens_parse (template_text, error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (tokens == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < tokens->len; i++)
    {
      PxToken *token = g_ptr_array_index (tokens, i);

      if (g_hash_table_add (seen, token->name))
        g_strv_builder_add (builder, token->name);
    }

  return g_strv_builder_end (builder);
}

/* Removes control characters, folds white space to single spaces and trims.
 * With strip_markup, also drops anything that looks like a tag. */
static char *
clean_text (const char *text,
            gboolean    strip_markup,
            glong       max_chars)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (text));
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  gboolean pending_space = FALSE;
  glong n_chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (strip_markup && c == '<')
        {
          const char *end = strchr (p, '>');

          if (end != NULL)
            {
              pending_space = out->len > 0;
              p = end;
              continue;
            }
        }

      if (g_unichar_isspace (c) || c == 0x2028 || c == 0x2029)
        {
          pending_space = out->len > 0;
          continue;
        }

      /* Control, format (zero-width, bidi overrides) and unassigned characters. */
      switch (g_unichar_type (c))
        {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_UNASSIGNED:
        case G_UNICODE_SURROGATE:
        case G_UNICODE_PRIVATE_USE:
          continue;
        default:
          break;
        }

      if (max_chars > 0 && n_chars + (pending_space ? 1 : 0) + 1 > max_chars)
        break;

      if (pending_space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          pending_space = FALSE;
        }
      g_string_append_unichar (out, c);
      n_chars++;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
px_tokens_clean_value (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return clean_text (value, TRUE, PX_TOKEN_VALUE_MAX_CHARS);
}

char *
px_tokens_clean_prompt (const char *prompt)
{
  g_return_val_if_fail (prompt != NULL, NULL);

  return clean_text (prompt, FALSE, 0);
}

static char *
apply_filter (const char    *value,
              PxTokenFilter  filter)
{
  g_autoptr(GString) out = NULL;
  gboolean word_start = TRUE;

  switch (filter)
    {
    case PX_TOKEN_FILTER_UPPER:
      return g_utf8_strup (value, -1);
    case PX_TOKEN_FILTER_LOWER:
      return g_utf8_strdown (value, -1);
    case PX_TOKEN_FILTER_TITLE:
      out = g_string_new (NULL);
      for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_string_append_unichar (out, word_start ? g_unichar_totitle (c) : g_unichar_tolower (c));
          word_start = g_unichar_isspace (c) || c == '-';
        }
      return g_string_free (g_steal_pointer (&out), FALSE);
    case PX_TOKEN_FILTER_NONE:
    default:
      return g_strdup (value);
    }
}

/* Resolves a template with values keyed by upper-case token name. Returns
 * the cleaned prompt, or an error that names every missing token with its
 * position, or says by how much the prompt is too long for max_chars (0: no
 * limit). */
char *
px_tokens_resolve (const char  *template_text,
                   GHashTable  *values,
                   glong        max_chars,
                   GError     **error)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GString) literal = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *result = NULL;
  guint n_missing = 0;
  guint next = 0;
  glong length;

  g_return_val_if_fail (template_text != NULL, NULL);

  if (!g_utf8_validate (template_text, -1, NULL))
    {
      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_SYNTAX,
                   _("The prompt is not valid UTF-8 text."));
      return NULL;
    }

  tokens = scan (template_text, literal, error);
  if (tokens == NULL)
    return NULL;

  for (gsize i = 0; i < literal->len; i++)
    {
      PxToken *token;
      const char *raw;
      g_autofree char *value = NULL;
      g_autofree char *filtered = NULL;

      if (literal->str[i] != '\0')
        {
          g_string_append_c (out, literal->str[i]);
          continue;
        }

      token = g_ptr_array_index (tokens, next++);
      raw = values != NULL ? g_hash_table_lookup (values, token->name) : NULL;
      value = px_tokens_clean_value (raw != NULL ? raw : "");
      if (*value == '\0' && token->default_value != NULL)
        {
          g_free (value);
          value = px_tokens_clean_value (token->default_value);
        }

      if (*value == '\0' && token->default_value == NULL)
        {
          g_string_append_printf (missing, "%s[%s] (character %ld)",
                                  n_missing > 0 ? ", " : "", token->name, token->column);
          n_missing++;
          continue;
        }

      filtered = apply_filter (value, token->filter);
      g_string_append (out, filtered);
    }

  if (n_missing > 0)
    {
      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_MISSING,
                   g_dngettext (GETTEXT_PACKAGE,
                                "No value for the token %s.",
                                "No values for the tokens %s.", n_missing),
                   missing->str);
      return NULL;
    }

  result = px_tokens_clean_prompt (out->str);

  if (*result == '\0')
    {
      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_EMPTY,
                   _("The prompt is empty."));
      return NULL;
    }

  length = g_utf8_strlen (result, -1);
  if (max_chars > 0 && length > max_chars)
    {
      g_set_error (error, PX_TOKENS_ERROR, PX_TOKENS_ERROR_TOO_LONG,
                   _("The prompt is %ld characters long, but this model accepts at most %ld; "
                     "shorten it by %ld characters."),
                   length, max_chars, length - max_chars);
      return NULL;
    }

  return g_steal_pointer (&result);
}
