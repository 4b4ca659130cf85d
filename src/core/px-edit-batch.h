/* px-edit-batch.h: Apply Edits — one recipe over every image of a batch,
 * each row's tokens in its text, the edits kept as new images linked to
 * their parents. */
#pragma once

#include "px-library.h"
#include "px-recipe.h"

G_BEGIN_DECLS

/* Called on the thread that runs the batch, after each image. */
typedef void (*PxEditBatchProgress) (guint       done,
                                     guint       total,
                                     gint64      edit_id,
                                     gpointer    user_data);

gboolean px_edit_batch_run (PxLibrary           *library,
                            gint64               batch_id,
                            const PxRecipe      *recipe,
                            guint                threads,
                            PxEditBatchProgress  progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            guint               *skipped,
                            GError             **error);

G_END_DECLS
