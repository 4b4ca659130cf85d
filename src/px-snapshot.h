/* px-snapshot.h: render a widget to a PNG file. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GdkTexture *px_snapshot_widget   (GtkWidget   *widget,
                                  GError     **error);
gboolean    px_snapshot_save_png (GtkWidget   *widget,
                                  const char  *filename,
                                  GError     **error);

G_END_DECLS
