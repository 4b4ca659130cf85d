/* px-ai-video-follower.h: the app's (or a tool's) one place that starts
 * provider videos and follows them to the end, whichever window asked and
 * whether or not it is still open; at start it picks up the jobs the last
 * run left running. */
#pragma once

#include "px-ai-video.h"

G_BEGIN_DECLS

#define PX_TYPE_AI_VIDEO_FOLLOWER (px_ai_video_follower_get_type ())

G_DECLARE_FINAL_TYPE (PxAiVideoFollower, px_ai_video_follower, PX, AI_VIDEO_FOLLOWER, GObject)

PxAiVideoFollower *px_ai_video_follower_new          (PxEngine               *engine,
                                                      PxLibrary              *library);
void               px_ai_video_follower_set_policy   (PxAiVideoFollower      *self,
                                                      const PxAiVideoPolicy  *policy);
void               px_ai_video_follower_start_async  (PxAiVideoFollower      *self,
                                                      const PxAiVideoRequest *request,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
gint64             px_ai_video_follower_start_finish (PxAiVideoFollower      *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);
void               px_ai_video_follower_resume       (PxAiVideoFollower      *self);
guint              px_ai_video_follower_get_n_following (PxAiVideoFollower   *self);
void               px_ai_video_follower_stop         (PxAiVideoFollower      *self);

G_END_DECLS
