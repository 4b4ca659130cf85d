/* px-video-batch.h: a video of every image of a batch, kept in the library,
 * on one worker thread, with progress, pause and cancel. */
#pragma once

#include "px-library.h"
#include "px-video.h"

G_BEGIN_DECLS

/* Shared by the worker and whoever shows its progress; thread-safe. */
typedef struct _PxVideoBatchControl PxVideoBatchControl;

typedef struct {
  guint  total;      /* images of the batch */
  guint  done;       /* made now or already there with these settings */
  guint  skipped;    /* of done: had a video with these settings already */
  guint  failed;     /* images that could not be made into a video */
  double current;    /* 0–1: how far the video being made is */
  gboolean paused;
} PxVideoBatchProgress;

PxVideoBatchControl *px_video_batch_control_new       (void);
PxVideoBatchControl *px_video_batch_control_ref       (PxVideoBatchControl  *control);
void                 px_video_batch_control_unref     (PxVideoBatchControl  *control);
void                 px_video_batch_control_set_paused (PxVideoBatchControl *control,
                                                       gboolean              paused);
void                 px_video_batch_control_get_progress (PxVideoBatchControl *control,
                                                       PxVideoBatchProgress *progress);
char                *px_video_batch_control_dup_last_error (PxVideoBatchControl *control);

gboolean             px_video_batch_run               (PxLibrary             *library,
                                                       gint64                 batch_id,
                                                       const PxVideoSettings *settings,
                                                       const char            *work_dir,
                                                       PxVideoBatchControl   *control,
                                                       GCancellable          *cancellable,
                                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxVideoBatchControl, px_video_batch_control_unref)

G_END_DECLS
