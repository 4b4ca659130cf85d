/* px-video-item.h: a video of the library as an item of a list model. */
#pragma once

#include <glib-object.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_VIDEO_ITEM (px_video_item_get_type ())

G_DECLARE_FINAL_TYPE (PxVideoItem, px_video_item, PX, VIDEO_ITEM, GObject)

PxVideoItem          *px_video_item_new       (PxLibraryVideo *video);
const PxLibraryVideo *px_video_item_get_video (PxVideoItem    *self);
char                 *px_video_item_describe  (PxVideoItem    *self);

G_END_DECLS
