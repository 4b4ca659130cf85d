/* px-chart.h: a small chart drawn with GtkSnapshot: bars side by side (a
 * value over time) or one bar split into shares (a total by model); each
 * bar or share has a tooltip. Labels, legend and the spoken summary are
 * the page's (real labels, so the theme and screen readers see them). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PX_TYPE_CHART (px_chart_get_type ())

G_DECLARE_FINAL_TYPE (PxChart, px_chart, PX, CHART, GtkWidget)

GtkWidget  *px_chart_new          (gboolean            shares);
void        px_chart_set_items    (PxChart            *self,
                                   guint               n_items,
                                   const double       *values,
                                   const char * const *tooltips);
guint       px_chart_get_n_items  (PxChart            *self);
int         px_chart_item_at      (PxChart            *self,
                                   double              x,
                                   double              y);
const char *px_chart_colour       (guint               index);

G_END_DECLS
