/* px-editor-window.h: the Editor: classic edits of a library image with a
 * live preview, zoom, undo and redo, saved as a new version; and edits by
 * instruction, asked of a model and kept as a version of their own. */
#pragma once

#include <adwaita.h>

#include "px-library.h"
#include "px-recipe.h"

G_BEGIN_DECLS

#define PX_TYPE_EDITOR_WINDOW (px_editor_window_get_type ())

G_DECLARE_FINAL_TYPE (PxEditorWindow, px_editor_window, PX, EDITOR_WINDOW, AdwWindow)

PxEditorWindow *px_editor_window_new          (GtkWindow            *parent,
                                               PxLibrary            *library,
                                               const PxLibraryImage *image);
PxRecipe       *px_editor_window_get_recipe   (PxEditorWindow       *self);
gboolean        px_editor_window_is_ready     (PxEditorWindow       *self);
gint64          px_editor_window_get_saved_id (PxEditorWindow       *self);
gint64          px_editor_window_get_image_id (PxEditorWindow       *self);
void            px_editor_window_save_as      (PxEditorWindow       *self,
                                               const char           *path);

G_END_DECLS
