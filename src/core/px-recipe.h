/* px-recipe.h: an edit as data — an ordered list of operations (crop,
 * rotate, flip, straighten, adjust, sharpen, filter, text, overlay,
 * resize) read from and written to JSON, rendered on this computer the
 * same way every time. The original image is never changed. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define PX_RECIPE_ERROR (px_recipe_error_quark ())

typedef enum {
  PX_RECIPE_ERROR_INVALID,    /* not a recipe, or a step that is wrong; the message names the step */
  PX_RECIPE_ERROR_IMAGE,      /* the image (or an overlay) cannot be used */
  PX_RECIPE_ERROR_TOO_LARGE,  /* the result would be larger than Pixmerge makes */
} PxRecipeError;

typedef enum {
  PX_RECIPE_CROP,
  PX_RECIPE_ROTATE,
  PX_RECIPE_FLIP,
  PX_RECIPE_STRAIGHTEN,
  PX_RECIPE_ADJUST,
  PX_RECIPE_SHARPEN,
  PX_RECIPE_FILTER,
  PX_RECIPE_TEXT,
  PX_RECIPE_OVERLAY,
  PX_RECIPE_RESIZE,
} PxRecipeOpKind;

typedef struct {
  PxRecipeOpKind kind;
  /* crop: an aspect ("1:1", "4:5", "16:9", "9:16", "3:2") centred on (x, y),
   * or "free" with x, y, width, height; all fractions of the image */
  char     *aspect;
  double    x, y, width, height;
  gboolean  has_xy;
  /* rotate: 90, 180 or 270 clockwise; flip: horizontal or vertical */
  int       degrees;
  gboolean  vertical;
  /* straighten: −45 to 45 degrees, the image enlarged to cover the frame */
  double    angle;
  /* adjust: each −1 to 1 */
  double    exposure, contrast, saturation, warmth;
  /* sharpen, filter: 0 to 1 */
  double    amount;
  char     *filter;         /* bw, sepia, vignette, fade, vivid, cool, warm */
  /* text: may hold [TOKENS]; size in pixels of the full image */
  char     *text;
  char     *font;
  double    size;
  guint32   color;          /* 0xRRGGBB */
  guint32   outline;
  gboolean  has_outline;
  gboolean  shadow;
  char     *position;       /* top, center, bottom, top-left, top-right, bottom-left, bottom-right; or x/y */
  char     *align;          /* left, center, right */
  double    wrap;           /* text box width, fraction of the image */
  gboolean  meme;           /* style "meme": upper case, heavy condensed type, white with a black outline,
                             * shrunk to fit a quarter of the height; size 0: an eighth of the height */
  gboolean  literal;        /* not in JSON: the text is drawn as it is, no [TOKENS] filled */
  /* overlay: a PNG/JPEG/WebP file, its width a fraction of the image */
  char     *file;
  double    scale;
  double    opacity;
  /* resize: 2 or 4 */
  int       factor;
} PxRecipeOp;

typedef struct _PxRecipe PxRecipe;

GQuark      px_recipe_error_quark     (void);
PxRecipe   *px_recipe_new             (void);
PxRecipe   *px_recipe_new_from_json   (const char     *json,
                                       gssize          length,
                                       GError        **error);
PxRecipe   *px_recipe_new_from_file   (const char     *path,
                                       GError        **error);
void        px_recipe_free            (PxRecipe       *recipe);
PxRecipe   *px_recipe_copy            (const PxRecipe *recipe);
guint       px_recipe_get_n_ops       (const PxRecipe *recipe);
const PxRecipeOp *px_recipe_get_op    (const PxRecipe *recipe,
                                       guint           index);
void        px_recipe_append          (PxRecipe       *recipe,
                                       const PxRecipeOp *op);
void        px_recipe_remove_last     (PxRecipe       *recipe);
char       *px_recipe_to_json         (const PxRecipe *recipe);
const char *px_recipe_op_name         (PxRecipeOpKind  kind);
char       *px_recipe_describe        (const PxRecipe *recipe);
gboolean    px_recipe_uses_tokens     (const PxRecipe *recipe);

cairo_surface_t *px_recipe_render_surface (const PxRecipe *recipe,
                                           GBytes         *image,
                                           GHashTable     *tokens,
                                           int             max_size,
                                           GError        **error);
cairo_surface_t *px_recipe_decode     (GBytes         *image,
                                       int             max_size,
                                       double         *scale,
                                       GError        **error);
cairo_surface_t *px_recipe_apply      (const PxRecipe *recipe,
                                       cairo_surface_t *source,
                                       double          scale,
                                       GHashTable     *tokens,
                                       GError        **error);
GBytes     *px_recipe_render_png      (const PxRecipe *recipe,
                                       GBytes         *image,
                                       GHashTable     *tokens,
                                       int             max_size,
                                       GError        **error);

void        px_recipe_export_async    (const char     *file,
                                       const PxRecipe *recipe,
                                       GHashTable     *tokens,
                                       const char     *target,
                                       GCancellable   *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer        user_data);
gboolean    px_recipe_export_finish   (GAsyncResult   *result,
                                       GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxRecipe, px_recipe_free)

G_END_DECLS
