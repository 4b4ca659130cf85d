/* px-editor-tools.h: the Editor's classic tools — crop and turn,
 * straighten, adjustments, sharpness, filter, text with token chips, a
 * logo, enlarging — shown from and read into a PxEditLook. */
#pragma once

#include <adwaita.h>

#include "px-edit-look.h"

G_BEGIN_DECLS

#define PX_TYPE_EDITOR_TOOLS (px_editor_tools_get_type ())

G_DECLARE_FINAL_TYPE (PxEditorTools, px_editor_tools, PX, EDITOR_TOOLS, GtkBox)

void px_editor_tools_show       (PxEditorTools    *self,
                                 const PxEditLook *look);
void px_editor_tools_read       (PxEditorTools    *self,
                                 PxEditLook       *look);
void px_editor_tools_set_tokens (PxEditorTools    *self,
                                 GHashTable       *tokens);
void px_editor_tools_set_logo   (PxEditorTools    *self,
                                 const char       *path);

G_END_DECLS
