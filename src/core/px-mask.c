/* px-mask.c: painted strokes and the mask PNG they make. OpenAI documents
 * the mask as "an additional image whose fully transparent areas (e.g.
 * where alpha is zero) indicate where image should be edited", a PNG of the
 * image's size; so the mask is painted opaque, and each stroke (round caps
 * and joins, its radius a fraction of the shorter side) is cleared out. */
#include "config.h"

#include <cairo.h>
#include <glib/gi18n.h>

#include "px-mask.h"
#include "px-png.h"
#include "px-recipe.h"

PxMaskStroke *
px_mask_stroke_new (double radius)
{
  PxMaskStroke *stroke = g_new0 (PxMaskStroke, 1);

  stroke->radius = radius;
  stroke->points = g_array_new (FALSE, FALSE, sizeof (double));
  return stroke;
}

void
px_mask_stroke_free (PxMaskStroke *stroke)
{
  if (stroke == NULL)
    return;
  g_array_unref (stroke->points);
  g_free (stroke);
}

PxMaskStroke *
px_mask_stroke_copy (const PxMaskStroke *stroke)
{
  PxMaskStroke *copy = px_mask_stroke_new (stroke->radius);

  g_array_append_vals (copy->points, stroke->points->data, stroke->points->len);
  return copy;
}

void
px_mask_stroke_add (PxMaskStroke *stroke,
                    double        x,
                    double        y)
{
  double point[2] = { CLAMP (x, 0, 1), CLAMP (y, 0, 1) };

  g_array_append_vals (stroke->points, point, 2);
}

GPtrArray *
px_mask_strokes_copy (GPtrArray *strokes)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) px_mask_stroke_free);

  for (guint i = 0; strokes != NULL && i < strokes->len; i++)
    g_ptr_array_add (copy, px_mask_stroke_copy (g_ptr_array_index (strokes, i)));
  return copy;
}

/* The mask for an image of @width × @height (work for a worker thread). */
GBytes *
px_mask_render_png (GPtrArray  *strokes,
                    int         width,
                    int         height,
                    GError    **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *png;
  double side = MIN (width, height);

  if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
    {
      g_set_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_TOO_LARGE, _("A mask of %d × %d cannot be made."), width,
                   height);
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; strokes != NULL && i < strokes->len; i++)
    {
      PxMaskStroke *stroke = g_ptr_array_index (strokes, i);
      const double *p = (const double *) (gpointer) stroke->points->data;
      guint n = stroke->points->len / 2;

      if (n == 0)
        continue;
      cairo_set_line_width (cr, 2 * stroke->radius * side);
      cairo_move_to (cr, p[0] * width, p[1] * height);
      /* One point is a dot: a line of no length with round caps. */
      cairo_line_to (cr, p[0] * width, p[1] * height);
      for (guint j = 1; j < n; j++)
        cairo_line_to (cr, p[2 * j] * width, p[2 * j + 1] * height);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  png = px_png_from_surface (surface, error);
  cairo_surface_destroy (surface);
  return png;
}
