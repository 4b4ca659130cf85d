/* px-ai-video-private.h: what the two halves of a provider video share:
 * starting one (px-ai-video.c) and following it (px-ai-video-follow.c). */
#pragma once

#include "px-ai-video.h"
#include "px-engine-private.h"
#include "px-json.h"

G_BEGIN_DECLS

#define PX_AI_VIDEO_PROVIDER_ID "gemini"

typedef struct _Job Job;
typedef void (*JobStep) (GTask *task);

struct _Job
{
  PxEngine             *engine;
  PxLibrary            *library;
  const PxProviderInfo *info;
  char                 *base_url;
  char                 *api_key;
  PxAiVideoJob         *job;
  GBytes               *image;
  char                 *mime_type;
  PxAiVideoPolicy       policy;
  guint                 attempt;
  guint                 wait_ms;
  gint64                deadline_us;
  guint                 source;
  char                 *video_uri;
  GBytes               *video;
  char                 *work_file;
  gint64                video_id;
  JobStep               later;
};

Job     *px_ai_video_job_data_new    (PxEngine     *engine,
                                      PxLibrary    *library);
void     px_ai_video_job_data_free   (Job          *job);
GError  *px_ai_video_answer_error    (Job          *job,
                                      SoupMessage  *message,
                                      GBytes       *body,
                                      gint64       *retry_after_ms);
GError  *px_ai_video_transport_error (Job          *job,
                                      const GError *error);
GError  *px_ai_video_missing_key     (Job          *job);
void     px_ai_video_end_with        (GTask        *task,
                                      const char   *state,
                                      const char   *operation,
                                      GError       *outcome);
void     px_ai_video_later           (GTask        *task,
                                      guint         ms,
                                      JobStep       step);

G_END_DECLS
