/* px-compare-grid.h: a comparison of models × token rows as one labelled
 * PNG (column headers the models, row headers the token values, under each
 * image its time and cost or its error) and as CSV; in blind mode the
 * columns are shuffled and named "Model A", "Model B"… until revealed. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PX_COMPARE_GRID_MAX_ROWS 10
#define PX_COMPARE_GRID_MAX_MODELS 6

typedef struct _PxCompareGrid PxCompareGrid;

PxCompareGrid *px_compare_grid_new          (const char * const *models,
                                             GPtrArray          *rows);
void           px_compare_grid_free         (PxCompareGrid      *grid);
PxCompareGrid *px_compare_grid_copy_layout  (PxCompareGrid      *grid);
gboolean       px_compare_grid_is_blind     (PxCompareGrid      *grid);
const char    *px_compare_grid_get_model    (PxCompareGrid      *grid,
                                             guint               model);
guint          px_compare_grid_get_n_models (PxCompareGrid      *grid);
guint          px_compare_grid_get_n_rows   (PxCompareGrid      *grid);
void           px_compare_grid_shuffle      (PxCompareGrid      *grid,
                                             guint32             seed);
void           px_compare_grid_set_blind    (PxCompareGrid      *grid,
                                             gboolean            blind);
guint          px_compare_grid_column_of    (PxCompareGrid      *grid,
                                             guint               model);
char          *px_compare_grid_column_label (PxCompareGrid      *grid,
                                             guint               column);
char          *px_compare_grid_row_label    (PxCompareGrid      *grid,
                                             guint               row);
void           px_compare_grid_set_result   (PxCompareGrid      *grid,
                                             guint               row,
                                             guint               model,
                                             GBytes             *image,
                                             gint64              generation_ms,
                                             double              cost,
                                             const char         *error);
void           px_compare_grid_set_winner   (PxCompareGrid      *grid,
                                             guint               row,
                                             int                 model);
int            px_compare_grid_get_winner   (PxCompareGrid      *grid,
                                             guint               row);
GBytes        *px_compare_grid_render_png   (PxCompareGrid      *grid,
                                             int                 cell_size,
                                             GError            **error);
char          *px_compare_grid_to_csv       (PxCompareGrid      *grid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxCompareGrid, px_compare_grid_free)

G_END_DECLS
