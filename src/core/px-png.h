/* px-png.h: PNG text chunks, so an exported image keeps its provenance;
 * a cairo surface encoded as a PNG in memory. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

guint32     px_png_crc32          (guint32        crc,
                                   const guint8  *data,
                                   gsize          length);
GBytes     *px_png_add_text       (GBytes        *png,
                                   const char * const *keys,
                                   const char * const *values);
GHashTable *px_png_read_text      (GBytes        *png);
GBytes     *px_png_from_surface   (cairo_surface_t *surface,
                                   GError        **error);

G_END_DECLS
