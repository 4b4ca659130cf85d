/* px-test-ui.h: helpers shared by the tests and tools that drive real windows. */
#pragma once

#include <gtk/gtk.h>

#include "px-application.h"

G_BEGIN_DECLS

gboolean       px_test_ui_init          (void);
PxApplication *px_test_ui_application   (void);
gboolean       px_test_ui_wait_for_draw (GtkWidget  *widget,
                                         guint       settle_ms);
void           px_test_ui_spin          (guint       ms);
GtkWidget     *px_test_ui_find_by_name  (GtkWidget  *root,
                                         GType       type,
                                         const char *name);
GtkWidget     *px_test_ui_find_toplevel (GType       type);
gboolean       px_test_ui_wait_until    (gboolean  (*done) (gpointer data),
                                         gpointer    data);
gboolean       px_test_ui_wait_for_n_items (GListModel *model,
                                         guint       n);

GPtrArray     *px_test_ui_serve_notifications (void);
GPtrArray     *px_test_ui_tab_through   (GtkWindow  *window,
                                         GtkWidget  *start,
                                         GtkWidget  *unordered);

G_END_DECLS
