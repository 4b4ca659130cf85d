/* px-image-check.h: is this really an image, and a sane one? */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

#define PX_IMAGE_MAX_BYTES  (50 * 1024 * 1024)
#define PX_IMAGE_MAX_SIDE   8192
#define PX_IMAGE_MAX_PIXELS (40 * 1000 * 1000)

gboolean px_image_check (GBytes  *bytes,
                         char   **mime_type,
                         int     *width,
                         int     *height,
                         GError **error);

GdkPixbuf *px_image_load_scaled (GBytes      *bytes,
                                 const char  *mime_type,
                                 int          size,
                                 GError     **error);

G_END_DECLS
