/* px-batch-video-dialog.h: Make Videos — a video of every image of a
 * batch, with progress, pause and cancel. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_BATCH_VIDEO_DIALOG (px_batch_video_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PxBatchVideoDialog, px_batch_video_dialog, PX, BATCH_VIDEO_DIALOG, AdwWindow)

PxBatchVideoDialog *px_batch_video_dialog_new        (GtkWindow          *parent,
                                                      PxLibrary          *library,
                                                      gint64              batch_id);
gboolean            px_batch_video_dialog_is_running (PxBatchVideoDialog *self);

G_END_DECLS
