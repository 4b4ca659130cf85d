/* px-compare-grid-view.h: the Compare page's results as models × token
 * rows: column headers (the models, or Model A, B… when blind and
 * shuffled), row headers (the rows' token values), a PxCompareCell in each
 * place, each row's winner marked; blind columns are revealed once every
 * row has a winner. */
#pragma once

#include <gtk/gtk.h>

#include "px-compare-cell.h"
#include "px-compare-grid.h"
#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_COMPARE_GRID_VIEW (px_compare_grid_view_get_type ())

G_DECLARE_FINAL_TYPE (PxCompareGridView, px_compare_grid_view, PX, COMPARE_GRID_VIEW, GtkGrid)

void           px_compare_grid_view_reset        (PxCompareGridView  *self,
                                                  const char * const *model_ids,
                                                  const char * const *model_names,
                                                  GPtrArray          *rows,
                                                  gboolean            blind);
void           px_compare_grid_view_add_cell     (PxCompareGridView  *self,
                                                  guint               row,
                                                  guint               model,
                                                  PxCompareCell      *cell);
PxCompareCell *px_compare_grid_view_get_cell     (PxCompareGridView  *self,
                                                  guint               row,
                                                  guint               model);
void           px_compare_grid_view_set_winner   (PxCompareGridView  *self,
                                                  guint               row,
                                                  guint               model);
void           px_compare_grid_view_reveal       (PxCompareGridView  *self);
gboolean       px_compare_grid_view_is_hidden    (PxCompareGridView  *self);
char          *px_compare_grid_view_column_label (PxCompareGridView  *self,
                                                  guint               column);
PxCompareGrid *px_compare_grid_view_get_grid     (PxCompareGridView  *self);
void           px_compare_grid_view_export_async (PxCompareGridView  *self,
                                                  PxLibrary          *library,
                                                  const char         *path,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean       px_compare_grid_view_export_finish (PxCompareGridView *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);

G_END_DECLS
