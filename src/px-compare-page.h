/* px-compare-page.h: the Compare Models page: one prompt, several models. */
#pragma once

#include <adwaita.h>

#include "px-application.h"
#include "px-compare-grid-view.h"
#include "px-token-editor.h"

G_BEGIN_DECLS

#define PX_TYPE_COMPARE_PAGE (px_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (PxComparePage, px_compare_page, PX, COMPARE_PAGE, AdwBin)

void           px_compare_page_set_application (PxComparePage *self,
                                                PxApplication *application);
gboolean       px_compare_page_choose_model    (PxComparePage *self,
                                                const char    *model_id,
                                                gboolean       chosen);
PxTokenEditor *px_compare_page_get_editor      (PxComparePage *self);
gboolean       px_compare_page_is_running      (PxComparePage *self);
gint64         px_compare_page_get_comparison  (PxComparePage *self);
guint          px_compare_page_get_n_cells     (PxComparePage *self);
const char    *px_compare_page_get_cell_text   (PxComparePage *self,
                                                const char    *model_id);
gboolean       px_compare_page_keep            (PxComparePage *self,
                                                const char    *model_id);
gboolean       px_compare_page_keep_row        (PxComparePage *self,
                                                guint          row,
                                                const char    *model_id);
gboolean       px_compare_page_choose_rows     (PxComparePage *self,
                                                const char * const *names);
guint          px_compare_page_get_n_token_sets (PxComparePage *self);
void           px_compare_page_set_blind       (PxComparePage *self,
                                                gboolean       blind);
PxCompareGridView *px_compare_page_get_grid_view (PxComparePage *self);
void           px_compare_page_export_grid     (PxComparePage *self,
                                                const char    *path);

G_END_DECLS
