/* px-gallery-page.h: the Your Library page. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PX_TYPE_GALLERY_PAGE (px_gallery_page_get_type ())

G_DECLARE_FINAL_TYPE (PxGalleryPage, px_gallery_page, PX, GALLERY_PAGE, AdwBin)

G_END_DECLS
