/* px-compare-page.h: the Compare Models page. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PX_TYPE_COMPARE_PAGE (px_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (PxComparePage, px_compare_page, PX, COMPARE_PAGE, AdwBin)

G_END_DECLS
