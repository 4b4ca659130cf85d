/* px-tokens.h: personalisation tokens in prompts: [NAME], [NAME|default],
 * [NAME:upper], literal [[ and ]]. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PX_TOKENS_ERROR (px_tokens_error_quark ())

typedef enum {
  PX_TOKENS_ERROR_SYNTAX,    /* a [ that does not start a valid token */
  PX_TOKENS_ERROR_MISSING,   /* tokens without a value or a default */
  PX_TOKENS_ERROR_EMPTY,     /* nothing left to send */
  PX_TOKENS_ERROR_TOO_LONG,  /* longer than the model accepts */
} PxTokensError;

typedef enum {
  PX_TOKEN_FILTER_NONE,
  PX_TOKEN_FILTER_UPPER,
  PX_TOKEN_FILTER_LOWER,
  PX_TOKEN_FILTER_TITLE,
} PxTokenFilter;

/* One token as written in a template. Offsets are in bytes, [start, end)
 * covers the brackets; column is the 1-based character position of '['. */
typedef struct {
  char          *name;          /* upper-case */
  char          *default_value; /* NULL when there is none */
  PxTokenFilter  filter;
  gsize          start;
  gsize          end;
  glong          column;
} PxToken;

#define PX_TOKEN_VALUE_MAX_CHARS 500

GQuark     px_tokens_error_quark     (void);

void       px_token_free             (PxToken     *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxToken, px_token_free)

char      *px_tokens_normalize_name  (const char  *name);
GPtrArray *px_tokens_parse           (const char  *template_text,
                                      GError     **error);
char     **px_tokens_list_names      (const char  *template_text,
                                      GError     **error);
char      *px_tokens_clean_value     (const char  *value);
char      *px_tokens_clean_prompt    (const char  *prompt);
char      *px_tokens_resolve         (const char  *template_text,
                                      GHashTable  *values,
                                      glong        max_chars,
                                      GError     **error);

G_END_DECLS
