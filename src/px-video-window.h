/* px-video-window.h: a video of the library, playing with the standard
 * media controls, with Save As, Show in Files and Delete. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_VIDEO_WINDOW (px_video_window_get_type ())

G_DECLARE_FINAL_TYPE (PxVideoWindow, px_video_window, PX, VIDEO_WINDOW, AdwWindow)

PxVideoWindow *px_video_window_new       (GtkWindow            *parent,
                                          const PxLibraryVideo *video);
GtkVideo      *px_video_window_get_video (PxVideoWindow        *self);

G_END_DECLS
