/* px-png.h: PNG text chunks, so an exported image keeps its provenance. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint32     px_png_crc32          (guint32        crc,
                                   const guint8  *data,
                                   gsize          length);
GBytes     *px_png_add_text       (GBytes        *png,
                                   const char * const *keys,
                                   const char * const *values);
GHashTable *px_png_read_text      (GBytes        *png);

G_END_DECLS
