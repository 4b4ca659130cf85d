/* px-token-palette.h: the active token set's tokens and values beside the
 * prompt: drag or click a token into it, edit values, manage sets. */
#pragma once

#include <gtk/gtk.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_TOKEN_PALETTE (px_token_palette_get_type ())

G_DECLARE_FINAL_TYPE (PxTokenPalette, px_token_palette, PX, TOKEN_PALETTE, GtkBox)

void              px_token_palette_set_library   (PxTokenPalette     *self,
                                                  PxLibrary          *library,
                                                  gint64              select_id);
const PxTokenSet *px_token_palette_get_set       (PxTokenPalette     *self);
void              px_token_palette_ensure_tokens (PxTokenPalette     *self,
                                                  const char * const *names);
void              px_token_palette_set_value     (PxTokenPalette     *self,
                                                  const char         *name,
                                                  const char         *value);
gboolean          px_token_palette_add_set       (PxTokenPalette     *self,
                                                  PxTokenSet         *set,
                                                  GError            **error);
gboolean          px_token_palette_import_csv_row (PxTokenPalette    *self,
                                                  const char         *path,
                                                  guint               row,
                                                  GError            **error);

G_END_DECLS
