/* px-video-options.h: how a video is made (effect, length, resolution,
 * frame rate, fit, format, sound), as rows; shared by Make Video and Make
 * Videos. */
#pragma once

#include <adwaita.h>

#include "px-video.h"

G_BEGIN_DECLS

#define PX_TYPE_VIDEO_OPTIONS (px_video_options_get_type ())

G_DECLARE_FINAL_TYPE (PxVideoOptions, px_video_options, PX, VIDEO_OPTIONS, AdwBin)

void px_video_options_read (PxVideoOptions  *self,
                            PxVideoSettings *settings);

G_END_DECLS
