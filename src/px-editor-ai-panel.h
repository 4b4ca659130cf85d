/* px-editor-ai-panel.h: the Editor's AI mode: an instruction (with
 * tokens) sent with the picture as it is shown, and with the area painted
 * on it, to a model that edits; the answer kept as a new version. */
#pragma once

#include <adwaita.h>

#include "px-editor-canvas.h"
#include "px-engine.h"
#include "px-library.h"
#include "px-recipe.h"

G_BEGIN_DECLS

#define PX_TYPE_EDITOR_AI_PANEL (px_editor_ai_panel_get_type ())

G_DECLARE_FINAL_TYPE (PxEditorAiPanel, px_editor_ai_panel, PX, EDITOR_AI_PANEL, GtkBox)

void     px_editor_ai_panel_setup       (PxEditorAiPanel      *self,
                                         PxEngine             *engine,
                                         PxLibrary            *library,
                                         PxEditorCanvas       *canvas);
void     px_editor_ai_panel_set_image   (PxEditorAiPanel      *self,
                                         const PxLibraryImage *image,
                                         GHashTable           *tokens);
void     px_editor_ai_panel_set_recipe  (PxEditorAiPanel      *self,
                                         const PxRecipe       *recipe);
gboolean px_editor_ai_panel_select_model (PxEditorAiPanel     *self,
                                         const char           *model_id);
void     px_editor_ai_panel_run         (PxEditorAiPanel      *self);
gboolean px_editor_ai_panel_is_running  (PxEditorAiPanel      *self);

G_END_DECLS
