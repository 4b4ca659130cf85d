/* px-ai-video-group.h: Make Video's "Or Ask a Video Model": Veo makes a
 * video from the image, priced before it is asked. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_AI_VIDEO_GROUP (px_ai_video_group_get_type ())

G_DECLARE_FINAL_TYPE (PxAiVideoGroup, px_ai_video_group, PX, AI_VIDEO_GROUP, AdwBin)

void   px_ai_video_group_set_image  (PxAiVideoGroup       *self,
                                     const PxLibraryImage *image);
gint64 px_ai_video_group_get_job_id (PxAiVideoGroup       *self);

G_END_DECLS
