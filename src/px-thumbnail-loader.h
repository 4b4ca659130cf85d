/* px-thumbnail-loader.h: thumbnails for a grid of library images, loaded
 * on worker threads, on-screen cells first, into a bounded texture cache. */
#pragma once

#include <gtk/gtk.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_THUMBNAIL_LOADER (px_thumbnail_loader_get_type ())

G_DECLARE_FINAL_TYPE (PxThumbnailLoader, px_thumbnail_loader, PX, THUMBNAIL_LOADER, GObject)

PxThumbnailLoader *px_thumbnail_loader_new    (PxLibrary            *library,
                                               GtkWidget            *viewport,
                                               int                   size,
                                               guint                 max_textures);
void               px_thumbnail_loader_show   (PxThumbnailLoader    *self,
                                               GtkPicture           *picture,
                                               const PxLibraryImage *image);
void               px_thumbnail_loader_cancel (PxThumbnailLoader    *self);

G_END_DECLS
