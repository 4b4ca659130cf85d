/* px-ai-video.h: a video of an image made by a provider's video model —
 * Veo through the Gemini API, a long-running operation: sent once, polled
 * with backoff, downloaded, checked, kept in the library. Every step is
 * written down first, so a job carries on after a restart and a paid job
 * is never asked twice. */
#pragma once

#include "px-engine.h"
#include "px-library.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;
  const char *name;
  double      per_second_720p;    /* dollars a second of video, with sound */
  double      per_second_1080p;
} PxAiVideoModel;

/* How a job is followed: the first wait between polls, the longest, and
 * when following gives up for now (the job stays and can be followed
 * again later). */
typedef struct {
  guint first_poll_ms;
  guint max_poll_ms;
  guint give_up_ms;
} PxAiVideoPolicy;

/* What to ask for. */
typedef struct {
  gint64      image_id;       /* the library image it starts from; 0: none */
  const char *model_id;
  const char *prompt;         /* how it should move; may be empty with an image */
  GBytes     *image;          /* the first frame, or NULL */
  const char *mime_type;
  int         seconds;        /* 4, 6 or 8 */
  const char *resolution;     /* 720p or 1080p (8 s only) */
  const char *aspect_ratio;   /* 16:9 or 9:16 */
} PxAiVideoRequest;

const PxAiVideoModel *px_ai_video_models        (guint                  *n_models);
const PxAiVideoModel *px_ai_video_find_model    (const char             *id);
double                px_ai_video_price         (const PxAiVideoModel   *model,
                                                 int                     seconds,
                                                 const char             *resolution);
const char           *px_ai_video_aspect_for    (int                     width,
                                                 int                     height);
gboolean              px_ai_video_check_request (const PxAiVideoRequest *request,
                                                 GError                **error);
void                  px_ai_video_policy_init   (PxAiVideoPolicy        *policy);

void                  px_ai_video_start_async   (PxEngine               *engine,
                                                 PxLibrary              *library,
                                                 const PxAiVideoRequest *request,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
gint64                px_ai_video_start_finish  (PxEngine               *engine,
                                                 GAsyncResult           *result,
                                                 GError                **error);
void                  px_ai_video_follow_async  (PxEngine               *engine,
                                                 PxLibrary              *library,
                                                 gint64                  job_id,
                                                 const PxAiVideoPolicy  *policy,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
gint64                px_ai_video_follow_finish (PxEngine               *engine,
                                                 GAsyncResult           *result,
                                                 GError                **error);

G_END_DECLS
