/* px-editor-canvas.c: the picture fitted to the widget at zoom 1; a zoom
 * above 1 enlarges it around the pointer (or the middle) and a drag or a
 * scroll moves it, never further than its edges. While painting, a drag
 * lays a brush stroke instead, kept in fractions of the picture so the
 * mask can be made at any size; the strokes show in red, as a quick mask does.
 * "strokes-changed" is emitted when they change. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "px-editor-canvas.h"
#include "px-mask.h"

#define MARGIN 12
#define MAX_ZOOM 16.0

struct _PxEditorCanvas
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
  double        zoom;        /* 1: fitted */
  double        pan_x;       /* the picture's middle, away from the widget's, in pixels */
  double        pan_y;
  double        drag_pan_x;
  double        drag_pan_y;
  gboolean      painting;
  double        brush;       /* a fraction of the picture's shorter side */
  GPtrArray    *strokes;     /* PxMaskStroke */
  double        zoom_start;
  double        pointer_x;   /* where the pointer was last: Ctrl+scroll zooms around it */
  double        pointer_y;
};

G_DEFINE_FINAL_TYPE (PxEditorCanvas, px_editor_canvas, GTK_TYPE_WIDGET)

enum { STROKES_CHANGED, ZOOM_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Where the picture is drawn, in widget pixels. */
static gboolean
picture_rect (PxEditorCanvas  *self,
              graphene_rect_t *rect)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN;
  int height = gtk_widget_get_height (GTK_WIDGET (self)) - 2 * MARGIN;
  double pw, ph, fit;

  if (self->paintable == NULL || width <= 0 || height <= 0)
    return FALSE;
  pw = gdk_paintable_get_intrinsic_width (self->paintable);
  ph = gdk_paintable_get_intrinsic_height (self->paintable);
  if (pw <= 0 || ph <= 0)
    return FALSE;
  fit = MIN (width / pw, height / ph) * self->zoom;
  graphene_rect_init (rect, MARGIN + (width - pw * fit) / 2 + self->pan_x, MARGIN + (height - ph * fit) / 2 +
                      self->pan_y, pw * fit, ph * fit);
  return TRUE;
}

/* No further than the picture's edges: a picture smaller than the widget
 * stays in the middle. */
static void
clamp_pan (PxEditorCanvas *self)
{
  graphene_rect_t rect;
  double limit_x, limit_y;

  if (self->zoom <= 1 || !picture_rect (self, &rect))
    {
      self->pan_x = self->pan_y = 0;
      return;
    }
  limit_x = MAX (0, (rect.size.width - (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN)) / 2);
  limit_y = MAX (0, (rect.size.height - (gtk_widget_get_height (GTK_WIDGET (self)) - 2 * MARGIN)) / 2);
  self->pan_x = CLAMP (self->pan_x, -limit_x, limit_x);
  self->pan_y = CLAMP (self->pan_y, -limit_y, limit_y);
}

static void
draw_strokes (PxEditorCanvas        *self,
              GtkSnapshot           *snapshot,
              const graphene_rect_t *rect)
{
  GdkRGBA accent = { 0.88, 0.11, 0.14, 0.45 };   /* a quick mask: red over any picture */
  double side = MIN (rect->size.width, rect->size.height);
  cairo_t *cr;

  if (self->strokes->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, rect);
  cairo_translate (cr, rect->origin.x, rect->origin.y);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_push_group (cr);
  for (guint i = 0; i < self->strokes->len; i++)
    {
      PxMaskStroke *stroke = g_ptr_array_index (self->strokes, i);
      const double *p = (const double *) (gpointer) stroke->points->data;
      guint n = stroke->points->len / 2;

      if (n == 0)
        continue;
      cairo_set_line_width (cr, 2 * stroke->radius * side);
      cairo_move_to (cr, p[0] * rect->size.width, p[1] * rect->size.height);
      cairo_line_to (cr, p[0] * rect->size.width, p[1] * rect->size.height);
      for (guint j = 1; j < n; j++)
        cairo_line_to (cr, p[2 * j] * rect->size.width, p[2 * j + 1] * rect->size.height);
      cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 1);
      cairo_stroke (cr);
    }
  /* Overlapping strokes are one area, one shade. */
  cairo_pop_group_to_source (cr);
  cairo_paint_with_alpha (cr, accent.alpha);
  cairo_destroy (cr);
}

static void
px_editor_canvas_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PxEditorCanvas *self = PX_EDITOR_CANVAS (widget);
  graphene_rect_t rect;

  if (!picture_rect (self, &rect))
    return;
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                         gtk_widget_get_height (widget)));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &rect.origin);
  gdk_paintable_snapshot (self->paintable, snapshot, rect.size.width, rect.size.height);
  gtk_snapshot_restore (snapshot);
  draw_strokes (self, snapshot, &rect);
  gtk_snapshot_pop (snapshot);
}

static void
px_editor_canvas_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 120;
  *natural = 400;
}

static void
px_editor_canvas_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  clamp_pan (PX_EDITOR_CANVAS (widget));
}

/* ---- zoom ---- */

static void
zoom_around (PxEditorCanvas *self,
             double          zoom,
             double          x,
             double          y)
{
  double cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double old = self->zoom;

  zoom = CLAMP (zoom, 1, MAX_ZOOM);
  if (zoom == old)
    return;
  /* The point under (x, y) stays under it. */
  self->pan_x = (self->pan_x - (x - cx)) * zoom / old + (x - cx);
  self->pan_y = (self->pan_y - (y - cy)) * zoom / old + (y - cy);
  self->zoom = zoom;
  clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[ZOOM_CHANGED], 0);
}

double
px_editor_canvas_get_zoom (PxEditorCanvas *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_CANVAS (self), 1);

  return self->zoom;
}

/* 1 fits the picture; up to 16 times that. */
void
px_editor_canvas_set_zoom (PxEditorCanvas *self,
                           double          zoom)
{
  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  zoom_around (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
px_editor_canvas_zoom_by (PxEditorCanvas *self,
                          double          factor)
{
  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  px_editor_canvas_set_zoom (self, self->zoom * factor);
}

void
px_editor_canvas_get_pan (PxEditorCanvas *self,
                          double         *x,
                          double         *y)
{
  *x = self->pan_x;
  *y = self->pan_y;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PxEditorCanvas           *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      zoom_around (self, self->zoom * pow (1.1, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (self->zoom <= 1)
    return FALSE;
  self->pan_x -= dx * 30;
  self->pan_y -= dy * 30;
  clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           PxEditorCanvas           *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                PxEditorCanvas   *self)
{
  self->zoom_start = self->zoom;
}

static void
on_pinch (GtkGestureZoom *gesture,
          double          scale,
          PxEditorCanvas *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  zoom_around (self, self->zoom_start * scale, x, y);
}

/* ---- painting and panning ---- */

/* A brush dab at widget point (x, y); @start begins a stroke. FALSE when
 * the point is off the picture. */
gboolean
px_editor_canvas_paint_at (PxEditorCanvas *self,
                           double          x,
                           double          y,
                           gboolean        start)
{
  graphene_rect_t rect;
  PxMaskStroke *stroke;

  g_return_val_if_fail (PX_IS_EDITOR_CANVAS (self), FALSE);

  if (!picture_rect (self, &rect))
    return FALSE;
  if (start)
    {
      if (!graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        return FALSE;
      g_ptr_array_add (self->strokes, px_mask_stroke_new (self->brush));
    }
  if (self->strokes->len == 0)
    return FALSE;
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  px_mask_stroke_add (stroke, (x - rect.origin.x) / rect.size.width, (y - rect.origin.y) / rect.size.height);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[STROKES_CHANGED], 0);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PxEditorCanvas *self)
{
  if (self->painting)
    {
      if (!px_editor_canvas_paint_at (self, x, y, TRUE))
        gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  if (self->zoom <= 1)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_pan_x = self->pan_x;
  self->drag_pan_y = self->pan_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PxEditorCanvas *self)
{
  double x, y;

  if (self->painting)
    {
      gtk_gesture_drag_get_start_point (gesture, &x, &y);
      px_editor_canvas_paint_at (self, x + dx, y + dy, FALSE);
      return;
    }
  self->pan_x = self->drag_pan_x + dx;
  self->pan_y = self->drag_pan_y + dy;
  clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             PxEditorCanvas *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), self->painting ? "crosshair" : NULL);
}

void
px_editor_canvas_set_painting (PxEditorCanvas *self,
                               gboolean        painting)
{
  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  self->painting = painting;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), painting ? "crosshair" : NULL);
}

gboolean
px_editor_canvas_get_painting (PxEditorCanvas *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_CANVAS (self), FALSE);

  return self->painting;
}

/* The brush's radius, a fraction of the picture's shorter side. */
void
px_editor_canvas_set_brush (PxEditorCanvas *self,
                            double          radius)
{
  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  self->brush = CLAMP (radius, 0.005, 0.5);
}

/* The strokes painted so far (the canvas's own; copy to keep). */
GPtrArray *
px_editor_canvas_get_strokes (PxEditorCanvas *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_CANVAS (self), NULL);

  return self->strokes;
}

void
px_editor_canvas_clear_strokes (PxEditorCanvas *self)
{
  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  if (self->strokes->len == 0)
    return;
  g_ptr_array_set_size (self->strokes, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[STROKES_CHANGED], 0);
}

void
px_editor_canvas_undo_stroke (PxEditorCanvas *self)
{
  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  if (self->strokes->len == 0)
    return;
  g_ptr_array_set_size (self->strokes, self->strokes->len - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[STROKES_CHANGED], 0);
}

/* ---- the picture ---- */

static void
on_contents_changed (PxEditorCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_size_changed (PxEditorCanvas *self)
{
  clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Another picture of the same shape keeps the zoom and the place; one of
 * another shape (turned, cropped) is fitted again. */
void
px_editor_canvas_set_paintable (PxEditorCanvas *self,
                                GdkPaintable   *paintable)
{
  gboolean same_shape;

  g_return_if_fail (PX_IS_EDITOR_CANVAS (self));

  if (self->paintable == paintable)
    return;
  same_shape = self->paintable != NULL && paintable != NULL &&
               gdk_paintable_get_intrinsic_aspect_ratio (self->paintable) ==
               gdk_paintable_get_intrinsic_aspect_ratio (paintable);
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_set_object (&self->paintable, paintable);
  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (on_contents_changed), self);
      g_signal_connect_swapped (paintable, "invalidate-size", G_CALLBACK (on_size_changed), self);
    }
  if (!same_shape && self->zoom != 1)
    {
      self->zoom = 1;
      g_signal_emit (self, signals[ZOOM_CHANGED], 0);
    }
  if (!same_shape)
    g_ptr_array_set_size (self->strokes, 0);
  clamp_pan (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- life ---- */

static void
px_editor_canvas_dispose (GObject *object)
{
  PxEditorCanvas *self = PX_EDITOR_CANVAS (object);

  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_clear_object (&self->paintable);
  g_clear_pointer (&self->strokes, g_ptr_array_unref);

  G_OBJECT_CLASS (px_editor_canvas_parent_class)->dispose (object);
}

static void
px_editor_canvas_class_init (PxEditorCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_editor_canvas_dispose;
  widget_class->snapshot = px_editor_canvas_snapshot;
  widget_class->measure = px_editor_canvas_measure;
  widget_class->size_allocate = px_editor_canvas_size_allocate;

  signals[STROKES_CHANGED] = g_signal_new ("strokes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 0);
  signals[ZOOM_CHANGED] = g_signal_new ("zoom-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                        NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "px-editor-canvas");
}

static void
px_editor_canvas_init (PxEditorCanvas *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->zoom = 1;
  self->brush = 0.05;
  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) px_mask_stroke_free);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
}

GtkWidget *
px_editor_canvas_new (void)
{
  return g_object_new (PX_TYPE_EDITOR_CANVAS, NULL);
}
