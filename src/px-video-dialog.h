/* px-video-dialog.h: Make Video — an image into a short video, previewed,
 * rendered with progress, kept in the library. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_VIDEO_DIALOG (px_video_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PxVideoDialog, px_video_dialog, PX, VIDEO_DIALOG, AdwWindow)

PxVideoDialog *px_video_dialog_new         (GtkWindow            *parent,
                                            PxLibrary            *library,
                                            const PxLibraryImage *image);
gint64         px_video_dialog_get_video_id (PxVideoDialog       *self);

G_END_DECLS
