/* px-batch-page.h: the Batch page: a CSV in, one image per row out. */
#pragma once

#include <adwaita.h>

#include "px-application.h"
#include "px-batch.h"
#include "px-token-editor.h"

G_BEGIN_DECLS

#define PX_TYPE_BATCH_PAGE (px_batch_page_get_type ())

G_DECLARE_FINAL_TYPE (PxBatchPage, px_batch_page, PX, BATCH_PAGE, AdwBin)

void           px_batch_page_set_application    (PxBatchPage   *self,
                                                 PxApplication *application);
void           px_batch_page_open_csv           (PxBatchPage   *self,
                                                 GFile         *file);
gboolean       px_batch_page_is_running         (PxBatchPage   *self);
void           px_batch_page_run_in_background  (PxBatchPage   *self);
gboolean       px_batch_page_select_model       (PxBatchPage   *self,
                                                 const char    *model_id);
PxTokenEditor *px_batch_page_get_editor         (PxBatchPage   *self);
const char    *px_batch_page_get_problems       (PxBatchPage   *self);
const char    *px_batch_page_get_error          (PxBatchPage   *self);
guint          px_batch_page_get_n_rows         (PxBatchPage   *self);
gint64         px_batch_page_get_job_id         (PxBatchPage   *self);
PxBatchRunner *px_batch_page_get_runner         (PxBatchPage   *self);

void            px_batch_page_open_batch       (PxBatchPage   *self,
                                                gint64         id);

void            px_batch_page_stop             (PxBatchPage   *self);

G_END_DECLS
