/* px-mask.h: the area painted over an image for an AI edit, as brush
 * strokes in fractions of the image, and the mask PNG OpenAI's image edits
 * take for it: the image's size, opaque where nothing may change and fully
 * transparent where the model may paint. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  double  radius;     /* a fraction of the image's shorter side */
  GArray *points;     /* doubles, in pairs: x and y as fractions of the width and height */
} PxMaskStroke;

PxMaskStroke *px_mask_stroke_new    (double              radius);
void          px_mask_stroke_free   (PxMaskStroke       *stroke);
PxMaskStroke *px_mask_stroke_copy   (const PxMaskStroke *stroke);
void          px_mask_stroke_add    (PxMaskStroke       *stroke,
                                     double              x,
                                     double              y);
GPtrArray    *px_mask_strokes_copy  (GPtrArray          *strokes);
GBytes       *px_mask_render_png    (GPtrArray          *strokes,
                                     int                 width,
                                     int                 height,
                                     GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxMaskStroke, px_mask_stroke_free)

G_END_DECLS
