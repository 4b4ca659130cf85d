/* px-chart.c: bars scaled to the largest value (a value of 0 draws no
 * bar, but its place is kept), or shares of one bar in proportion. The
 * colours are GNOME's palette at a shade that reads on light and dark
 * backgrounds alike; the bar under the pointer is drawn lighter. */
#include "config.h"

#include "px-chart.h"

struct _PxChart
{
  GtkWidget  parent_instance;

  gboolean   shares;
  GArray    *values;     /* double */
  GPtrArray *tooltips;   /* char * */
  int        hover;
};

G_DEFINE_FINAL_TYPE (PxChart, px_chart, GTK_TYPE_WIDGET)

/* Blue 3, green 4, orange 3, purple 3, red 3, yellow 5, brown 3, teal. */
static const char * const palette[] = { "#3584e4", "#2ec27e", "#ff7800", "#9141ac", "#e01b24", "#e5a50a",
                                        "#986a44", "#1c9b9b" };

const char *
px_chart_colour (guint index)
{
  return palette[index % G_N_ELEMENTS (palette)];
}

static double
total (PxChart *self)
{
  double sum = 0;

  for (guint i = 0; i < self->values->len; i++)
    sum += MAX (0, g_array_index (self->values, double, i));
  return sum;
}

static double
largest (PxChart *self)
{
  double max = 0;

  for (guint i = 0; i < self->values->len; i++)
    max = MAX (max, g_array_index (self->values, double, i));
  return max;
}

/* The rectangle of item @i in widget coordinates; FALSE if it has none. */
static gboolean
item_rect (PxChart         *self,
           guint            i,
           graphene_rect_t *rect)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double value = MAX (0, g_array_index (self->values, double, i));

  if (self->shares)
    {
      double sum = total (self), x = 0;

      if (sum <= 0 || value <= 0)
        return FALSE;
      for (guint k = 0; k < i; k++)
        x += MAX (0, g_array_index (self->values, double, k)) / sum * width;
      graphene_rect_init (rect, x, 0, value / sum * width, height);
    }
  else
    {
      double slot = width / MAX (1u, self->values->len);
      double gap = MIN (4, slot * 0.2);
      double max = largest (self);
      double bar = max > 0 ? value / max * height : 0;

      graphene_rect_init (rect, i * slot + gap / 2, height - bar, MAX (1, slot - gap), bar);
    }
  return TRUE;
}

static void
px_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  PxChart *self = PX_CHART (widget);

  for (guint i = 0; i < self->values->len; i++)
    {
      graphene_rect_t rect;
      GdkRGBA colour;
      GskRoundedRect rounded;

      if (!item_rect (self, i, &rect) || rect.size.height <= 0 || rect.size.width <= 0)
        continue;
      gdk_rgba_parse (&colour, self->shares ? palette[i % G_N_ELEMENTS (palette)] : palette[0]);
      if ((int) i == self->hover)
        colour.alpha = 0.7;
      gsk_rounded_rect_init_from_rect (&rounded, &rect, self->shares ? 0 : MIN (3, rect.size.width / 2));
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, &colour, &rect);
      gtk_snapshot_pop (snapshot);
    }
}

/* Which item is at (x, y), or -1. */
int
px_chart_item_at (PxChart *self,
                  double   x,
                  double   y)
{
  g_return_val_if_fail (PX_IS_CHART (self), -1);

  for (guint i = 0; i < self->values->len; i++)
    {
      graphene_rect_t rect;

      if (!item_rect (self, i, &rect))
        continue;
      /* A short bar is still easy to point at: its whole column counts. */
      if (!self->shares)
        {
          rect.size.height = gtk_widget_get_height (GTK_WIDGET (self));
          rect.origin.y = 0;
        }
      if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        return (int) i;
    }
  return -1;
}

static gboolean
on_query_tooltip (PxChart    *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  int index = px_chart_item_at (self, x, y);

  if (index < 0 || (guint) index >= self->tooltips->len)
    return FALSE;
  gtk_tooltip_set_text (tooltip, g_ptr_array_index (self->tooltips, index));
  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           PxChart                  *self)
{
  int index = px_chart_item_at (self, x, y);

  if (index != self->hover)
    {
      self->hover = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave (GtkEventControllerMotion *motion,
          PxChart                  *self)
{
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
px_chart_set_items (PxChart            *self,
                    guint               n_items,
                    const double       *values,
                    const char * const *tooltips)
{
  g_return_if_fail (PX_IS_CHART (self));

  g_array_set_size (self->values, 0);
  g_ptr_array_set_size (self->tooltips, 0);
  g_array_append_vals (self->values, values, n_items);
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (self->tooltips, g_strdup (tooltips ? tooltips[i] : NULL));
  self->hover = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
px_chart_get_n_items (PxChart *self)
{
  g_return_val_if_fail (PX_IS_CHART (self), 0);

  return self->values->len;
}

static void
px_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  PxChart *self = PX_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 120;
  else
    *minimum = *natural = self->shares ? 20 : 140;
}

static void
px_chart_finalize (GObject *object)
{
  PxChart *self = PX_CHART (object);

  g_array_unref (self->values);
  g_ptr_array_unref (self->tooltips);

  G_OBJECT_CLASS (px_chart_parent_class)->finalize (object);
}

static void
px_chart_class_init (PxChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = px_chart_finalize;
  widget_class->snapshot = px_chart_snapshot;
  widget_class->measure = px_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "px-chart");
}

static void
px_chart_init (PxChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->tooltips = g_ptr_array_new_with_free_func (g_free);
  self->hover = -1;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

GtkWidget *
px_chart_new (gboolean shares)
{
  PxChart *self = g_object_new (PX_TYPE_CHART, NULL);

  self->shares = shares;
  return GTK_WIDGET (self);
}
