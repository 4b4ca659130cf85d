/* px-editor-canvas.h: the Editor's picture: fitted, zoomed (Ctrl+scroll,
 * pinch, the zoom buttons) and panned (drag, scroll), and, for an AI edit,
 * a brush to paint the area the model may change. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PX_TYPE_EDITOR_CANVAS (px_editor_canvas_get_type ())

G_DECLARE_FINAL_TYPE (PxEditorCanvas, px_editor_canvas, PX, EDITOR_CANVAS, GtkWidget)

GtkWidget  *px_editor_canvas_new           (void);
void        px_editor_canvas_set_paintable (PxEditorCanvas *self,
                                            GdkPaintable   *paintable);
double      px_editor_canvas_get_zoom      (PxEditorCanvas *self);
void        px_editor_canvas_set_zoom      (PxEditorCanvas *self,
                                            double          zoom);
void        px_editor_canvas_zoom_by       (PxEditorCanvas *self,
                                            double          factor);
void        px_editor_canvas_get_pan       (PxEditorCanvas *self,
                                            double         *x,
                                            double         *y);
void        px_editor_canvas_set_painting  (PxEditorCanvas *self,
                                            gboolean        painting);
gboolean    px_editor_canvas_get_painting  (PxEditorCanvas *self);
void        px_editor_canvas_set_brush     (PxEditorCanvas *self,
                                            double          radius);
GPtrArray  *px_editor_canvas_get_strokes   (PxEditorCanvas *self);
void        px_editor_canvas_clear_strokes (PxEditorCanvas *self);
void        px_editor_canvas_undo_stroke   (PxEditorCanvas *self);
gboolean    px_editor_canvas_paint_at      (PxEditorCanvas *self,
                                            double          x,
                                            double          y,
                                            gboolean        start);

G_END_DECLS
