/* px-compare-cell.h: one model's place in a comparison. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PX_TYPE_COMPARE_CELL (px_compare_cell_get_type ())

G_DECLARE_FINAL_TYPE (PxCompareCell, px_compare_cell, PX, COMPARE_CELL, GtkBox)

PxCompareCell *px_compare_cell_new          (const char    *model_id,
                                             const char    *model_name);
const char    *px_compare_cell_get_model_id (PxCompareCell *self);
gint64         px_compare_cell_get_image_id (PxCompareCell *self);
const char    *px_compare_cell_get_text     (PxCompareCell *self);
void           px_compare_cell_show_saving  (PxCompareCell *self);
void           px_compare_cell_show_error   (PxCompareCell *self,
                                             const char    *message);
void           px_compare_cell_show_result  (PxCompareCell *self,
                                             GdkTexture    *texture,
                                             const char    *text,
                                             gint64         image_id);
void           px_compare_cell_set_winner   (PxCompareCell *self,
                                             gboolean       winner);
void           px_compare_cell_set_title    (PxCompareCell *self,
                                             const char    *title);
void           px_compare_cell_set_picture_size (PxCompareCell *self,
                                             int            size);
void           px_compare_cell_set_numbers  (PxCompareCell *self,
                                             gint64         generation_ms,
                                             double         cost);
gint64         px_compare_cell_get_generation_ms (PxCompareCell *self);
double         px_compare_cell_get_cost     (PxCompareCell *self);
gboolean       px_compare_cell_has_error    (PxCompareCell *self);

G_END_DECLS
