/* px-token-set.h: named values for tokens, in the user's order. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Named values for tokens, in the user's order. */
typedef struct {
  gint64     id;            /* 0: not saved yet */
  char      *name;
  GPtrArray *names;         /* upper-case token names */
  GPtrArray *values;        /* same length as names */
} PxTokenSet;

PxTokenSet     *px_token_set_new         (const char      *name);
PxTokenSet     *px_token_set_copy        (const PxTokenSet *set);
void            px_token_set_free        (PxTokenSet      *set);
void            px_token_set_set         (PxTokenSet      *set,
                                          const char      *name,
                                          const char      *value);
gboolean        px_token_set_remove      (PxTokenSet      *set,
                                          const char      *name);
const char     *px_token_set_lookup      (const PxTokenSet *set,
                                          const char      *name);
GHashTable     *px_token_set_to_table    (const PxTokenSet *set);
char           *px_token_set_to_json     (const PxTokenSet *set);
void            px_token_set_load_json   (PxTokenSet      *set,
                                          const char      *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxTokenSet, px_token_set_free)

G_END_DECLS
