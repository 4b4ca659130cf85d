/* px-snapshot.c: renders a realized widget (usually the main window) into a
 * texture with the window's own renderer, so screenshots need no display
 * server support and show exactly what GTK draws. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-snapshot.h"

GdkTexture *
px_snapshot_widget (GtkWidget  *widget,
                    GError    **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The window has not been drawn yet, so there is nothing to capture."));
      return NULL;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);

  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The window drew nothing, so there is nothing to capture."));
      return NULL;
    }

  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

gboolean
px_snapshot_save_png (GtkWidget   *widget,
                      const char  *filename,
                      GError     **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  texture = px_snapshot_widget (widget, error);
  if (texture == NULL)
    return FALSE;

  png = gdk_texture_save_to_png_bytes (texture);

  /* g_file_set_contents writes a temporary file and renames it over the
   * target, so a reader never sees half a PNG. */
  return g_file_set_contents (filename,
                              g_bytes_get_data (png, NULL),
                              g_bytes_get_size (png),
                              error);
}
