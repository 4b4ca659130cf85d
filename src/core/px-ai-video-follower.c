/* px-ai-video-follower.c: starts provider videos and follows each job to
 * its end. The key comes from the keyring when the engine has none yet.
 * "finished" (job id, video id or 0, the error or NULL) says how each
 * ended; a job that was only left for later (no answer for a long time,
 * the app quitting) does not finish here and is picked up by the next
 * px_ai_video_follower_resume(). */
#include "config.h"

#include <glib/gi18n.h>

#include "px-ai-video-follower.h"
#include "px-credentials.h"
#include "px-provider.h"

struct _PxAiVideoFollower
{
  GObject          parent_instance;

  PxEngine        *engine;
  PxLibrary       *library;
  PxAiVideoPolicy  policy;
  GHashTable      *following;    /* job ids */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (PxAiVideoFollower, px_ai_video_follower, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

PxAiVideoFollower *
px_ai_video_follower_new (PxEngine  *engine,
                          PxLibrary *library)
{
  PxAiVideoFollower *self = g_object_new (PX_TYPE_AI_VIDEO_FOLLOWER, NULL);

  self->engine = g_object_ref (engine);
  self->library = g_object_ref (library);
  return self;
}

void
px_ai_video_follower_set_policy (PxAiVideoFollower     *self,
                                 const PxAiVideoPolicy *policy)
{
  g_return_if_fail (PX_IS_AI_VIDEO_FOLLOWER (self));

  self->policy = *policy;
}

guint
px_ai_video_follower_get_n_following (PxAiVideoFollower *self)
{
  g_return_val_if_fail (PX_IS_AI_VIDEO_FOLLOWER (self), 0);

  return g_hash_table_size (self->following);
}

/* ---- following ---- */

typedef struct {
  PxAiVideoFollower *self;
  gint64             job_id;
} Following;

static void
on_followed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree Following *following = user_data;
  g_autoptr(PxAiVideoFollower) self = following->self;
  gint64 job_id = following->job_id;
  g_autoptr(GError) error = NULL;
  gint64 video_id = px_ai_video_follow_finish (PX_ENGINE (source), result, &error);

  g_hash_table_remove (self->following, &job_id);
  /* Stopped or left for later: not an end. */
  if (g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT))
    return;
  g_signal_emit (self, signals[FINISHED], 0, job_id, video_id, error);
}

static void
follow (PxAiVideoFollower *self,
        gint64             job_id)
{
  Following *following;

  if (g_hash_table_contains (self->following, &job_id))
    return;
  g_hash_table_add (self->following, g_memdup2 (&job_id, sizeof job_id));
  following = g_new0 (Following, 1);
  following->self = g_object_ref (self);
  following->job_id = job_id;
  px_ai_video_follow_async (self->engine, self->library, job_id, &self->policy, self->cancellable, on_followed,
                            following);
}

/* ---- the key ---- */

typedef struct {
  PxAiVideoFollower *self;
  GTask             *task;
  PxAiVideoRequest   request;
  char              *model_id;
  char              *prompt;
  char              *mime_type;
  char              *resolution;
  char              *aspect_ratio;
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->self);
  g_clear_object (&pending->task);
  g_clear_pointer (&pending->request.image, g_bytes_unref);
  g_free (pending->model_id);
  g_free (pending->prompt);
  g_free (pending->mime_type);
  g_free (pending->resolution);
  g_free (pending->aspect_ratio);
  g_free (pending);
}

typedef void (*KeyReady) (gpointer data);

typedef struct {
  PxAiVideoFollower *self;
  KeyReady           ready;
  gpointer           data;
} KeyLookup;

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree KeyLookup *lookup = user_data;
  g_autofree char *key = px_credentials_find_finish (result, NULL);

  if (key != NULL && *key != '\0')
    px_engine_set_api_key (lookup->self->engine, "gemini", key);
  lookup->ready (lookup->data);
}

/* Calls @ready once the engine has the Gemini key from the keyring (or
 * the environment), when there is one: without, the request says so. */
static void
ensure_key (PxAiVideoFollower *self,
            KeyReady           ready,
            gpointer           data)
{
  const PxProviderInfo *info = px_catalog_lookup_provider (px_engine_get_catalog (self->engine), "gemini");
  KeyLookup *lookup;

  if (info == NULL || px_engine_has_api_key (self->engine, "gemini"))
    {
      ready (data);
      return;
    }
  lookup = g_new0 (KeyLookup, 1);
  lookup->self = self;
  lookup->ready = ready;
  lookup->data = data;
  px_credentials_find_async (info, self->cancellable, on_key_found, lookup);
}

/* ---- start ---- */

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;
  GError *error = NULL;
  gint64 job_id = px_ai_video_start_finish (PX_ENGINE (source), result, &error);

  if (job_id > 0)
    {
      follow (pending->self, job_id);
      g_task_return_int (pending->task, job_id);
    }
  else
    g_task_return_error (pending->task, error);
  pending_free (pending);
}

static void
with_key (gpointer data)
{
  Pending *pending = data;

  /* Not cancellable once asked: the job's state must be written. */
  px_ai_video_start_async (pending->self->engine, pending->self->library, &pending->request, NULL, on_started,
                           pending);
}

/* Starts a provider video (written down, sent once) and follows it; the
 * start ends with the job's id, the end comes as "finished". */
void
px_ai_video_follower_start_async (PxAiVideoFollower      *self,
                                  const PxAiVideoRequest *request,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  Pending *pending = g_new0 (Pending, 1);

  g_return_if_fail (PX_IS_AI_VIDEO_FOLLOWER (self));

  pending->self = g_object_ref (self);
  pending->task = g_task_new (self, cancellable, callback, user_data);
  pending->request = *request;
  pending->request.image = request->image ? g_bytes_ref (request->image) : NULL;
  pending->request.model_id = pending->model_id = g_strdup (request->model_id);
  pending->request.prompt = pending->prompt = g_strdup (request->prompt);
  pending->request.mime_type = pending->mime_type = g_strdup (request->mime_type);
  pending->request.resolution = pending->resolution = g_strdup (request->resolution);
  pending->request.aspect_ratio = pending->aspect_ratio = g_strdup (request->aspect_ratio);
  ensure_key (self, with_key, pending);
}

gint64
px_ai_video_follower_start_finish (PxAiVideoFollower  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

/* ---- resume ---- */

typedef struct {
  PxAiVideoFollower *self;
  GArray            *ids;
} Resume;

static void
resume_free (Resume *resume)
{
  g_object_unref (resume->self);
  g_array_unref (resume->ids);
  g_free (resume);
}

/* On the writer: jobs caught while sending are marked, running ones listed. */
static gboolean
on_resume_listed (PxLibrary     *library,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Resume *resume = data;
  g_autoptr(GPtrArray) jobs = NULL;
  GError *local_error = NULL;

  px_library_recover_ai_video_jobs (library, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  jobs = px_library_list_ai_video_jobs (library, TRUE, error);
  if (jobs == NULL)
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    g_array_append_val (resume->ids, ((PxAiVideoJob *) g_ptr_array_index (jobs, i))->id);
  return TRUE;
}

static void
follow_all (gpointer data)
{
  Resume *resume = data;

  for (guint i = 0; i < resume->ids->len; i++)
    follow (resume->self, g_array_index (resume->ids, gint64, i));
  resume_free (resume);
}

static void
on_jobs_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Resume *resume = user_data;
  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The video jobs could not be read: %s", error->message);
      resume_free (resume);
      return;
    }
  if (resume->ids->len == 0)
    {
      resume_free (resume);
      return;
    }
  ensure_key (resume->self, follow_all, resume);
}

/* Picks up what the last run left: jobs still running at the provider
 * are followed again; jobs caught while being sent are marked unknown. */
void
px_ai_video_follower_resume (PxAiVideoFollower *self)
{
  Resume *resume;

  g_return_if_fail (PX_IS_AI_VIDEO_FOLLOWER (self));

  resume = g_new0 (Resume, 1);
  resume->self = g_object_ref (self);
  resume->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  px_library_write_async (self->library, on_resume_listed, resume, NULL, self->cancellable, on_jobs_listed, resume);
}

/* Stops following (the jobs go on at the provider, and are picked up by
 * the next resume). */
void
px_ai_video_follower_stop (PxAiVideoFollower *self)
{
  g_return_if_fail (PX_IS_AI_VIDEO_FOLLOWER (self));

  g_cancellable_cancel (self->cancellable);
}

static void
px_ai_video_follower_dispose (GObject *object)
{
  PxAiVideoFollower *self = PX_AI_VIDEO_FOLLOWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (px_ai_video_follower_parent_class)->dispose (object);
}

static void
px_ai_video_follower_finalize (GObject *object)
{
  PxAiVideoFollower *self = PX_AI_VIDEO_FOLLOWER (object);

  g_hash_table_unref (self->following);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (px_ai_video_follower_parent_class)->finalize (object);
}

static void
px_ai_video_follower_class_init (PxAiVideoFollowerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_ai_video_follower_dispose;
  object_class->finalize = px_ai_video_follower_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_ERROR);
}

static void
px_ai_video_follower_init (PxAiVideoFollower *self)
{
  self->following = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  px_ai_video_policy_init (&self->policy);
}
