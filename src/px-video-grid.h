/* px-video-grid.h: the Gallery's videos: posters with a play badge,
 * searched by their image's prompt, opened, exported, dragged out,
 * deleted with Undo. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_VIDEO_GRID (px_video_grid_get_type ())

G_DECLARE_FINAL_TYPE (PxVideoGrid, px_video_grid, PX, VIDEO_GRID, AdwBin)

void        px_video_grid_set_library     (PxVideoGrid *self,
                                           PxLibrary   *library);
void        px_video_grid_reload          (PxVideoGrid *self);
void        px_video_grid_set_search      (PxVideoGrid *self,
                                           const char  *search);
GListModel *px_video_grid_get_model       (PxVideoGrid *self);
void        px_video_grid_export_selected (PxVideoGrid *self);
void        px_video_grid_export_to       (PxVideoGrid *self,
                                           const char  *folder);
void        px_video_grid_delete_selected (PxVideoGrid *self);
void        px_video_grid_delete          (PxVideoGrid *self,
                                           gint64       id);

G_END_DECLS
