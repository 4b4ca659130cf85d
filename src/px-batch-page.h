/* px-batch-page.h: the Batch Generation page. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PX_TYPE_BATCH_PAGE (px_batch_page_get_type ())

G_DECLARE_FINAL_TYPE (PxBatchPage, px_batch_page, PX, BATCH_PAGE, AdwBin)

G_END_DECLS
