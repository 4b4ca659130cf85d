/* px-gallery-page.h: the Gallery page. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_GALLERY_PAGE (px_gallery_page_get_type ())

G_DECLARE_FINAL_TYPE (PxGalleryPage, px_gallery_page, PX, GALLERY_PAGE, AdwBin)

void        px_gallery_page_set_library (PxGalleryPage *self,
                                         PxLibrary     *library,
                                         const GError  *error);
GListModel *px_gallery_page_get_model   (PxGalleryPage *self);
void        px_gallery_page_reload      (PxGalleryPage *self);

void        px_gallery_page_show_image  (PxGalleryPage *self,
                                         gint64         id);
void        px_gallery_page_show_batch  (PxGalleryPage *self,
                                         gint64         batch_id);
void        px_gallery_page_show_videos (PxGalleryPage *self,
                                         gboolean       videos);
GListModel *px_gallery_page_get_video_model (PxGalleryPage *self);

G_END_DECLS
