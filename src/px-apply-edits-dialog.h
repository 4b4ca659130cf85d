/* px-apply-edits-dialog.h: Apply Edits — a saved edit or a recipe file
 * over every image of a batch, with progress and cancel. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_APPLY_EDITS_DIALOG (px_apply_edits_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PxApplyEditsDialog, px_apply_edits_dialog, PX, APPLY_EDITS_DIALOG, AdwWindow)

PxApplyEditsDialog *px_apply_edits_dialog_new          (GtkWindow          *parent,
                                                        PxLibrary          *library,
                                                        gint64              batch_id);
gboolean            px_apply_edits_dialog_use_file     (PxApplyEditsDialog *self,
                                                        const char         *path);
gboolean            px_apply_edits_dialog_is_ready     (PxApplyEditsDialog *self);
gboolean            px_apply_edits_dialog_is_running   (PxApplyEditsDialog *self);

G_END_DECLS
