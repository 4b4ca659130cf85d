/* px-edit-look.h: what the Editor's controls hold — crop shape, turns,
 * flip, straighten, adjustments, sharpness, filter, text, a logo, an
 * enlargement — and the recipe it stands for, both ways; a state for undo
 * and redo. */
#pragma once

#include "px-recipe.h"

G_BEGIN_DECLS

typedef struct {
  guint    aspect;          /* 0: as it is; then 1:1, 4:5, 16:9, 9:16, 3:2 */
  guint    turns;           /* clockwise quarter turns, 0 to 3 */
  gboolean flipped;
  double   straighten;      /* degrees, −45 to 45 */
  double   exposure, contrast, saturation, warmth;
  double   sharpen;         /* 0 to 1 */
  guint    filter;          /* 0: none; then bw, sepia, vignette, fade, vivid, cool, warm */
  char    *text;            /* may hold [TOKENS]; NULL or empty: none */
  guint    position;        /* 0: bottom, 1: center, 2: top */
  double   text_size;       /* pixels of the full image */
  guint    text_colour;     /* 0: white, then black, yellow, red, blue, green */
  guint    text_font;       /* 0: sans, 1: serif, 2: monospace */
  gboolean meme;            /* the text in the meme look (upper case, outlined, fitted) */
  char    *overlay;         /* a logo's file; NULL: none */
  guint    overlay_corner;  /* 0: bottom right, 1: bottom left, 2: top right, 3: top left, 4: center */
  double   overlay_scale;   /* its width, a fraction of the image's */
  double   overlay_opacity;
  guint    enlarge;         /* 1, 2 or 4 */
} PxEditLook;

PxEditLook *px_edit_look_new         (void);
PxEditLook *px_edit_look_copy        (const PxEditLook *look);
void        px_edit_look_free        (PxEditLook       *look);
gboolean    px_edit_look_equal       (const PxEditLook *a,
                                      const PxEditLook *b);
gboolean    px_edit_look_is_original (const PxEditLook *look);
PxRecipe   *px_edit_look_to_recipe   (const PxEditLook *look);
PxEditLook *px_edit_look_from_recipe (const PxRecipe   *recipe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxEditLook, px_edit_look_free)

G_END_DECLS
