/* px-generate-page.h: the Generate Images page. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PX_TYPE_GENERATE_PAGE (px_generate_page_get_type ())

G_DECLARE_FINAL_TYPE (PxGeneratePage, px_generate_page, PX, GENERATE_PAGE, AdwBin)

G_END_DECLS
