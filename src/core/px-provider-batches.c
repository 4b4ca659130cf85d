/* px-provider-batches.c: follows provider batches for the app (see the
 * header). Each followed batch has its own PxProviderBatch, opened off the
 * main thread, and its own cancellable: stopping one stops its polling
 * (the provider goes on; the next follow picks it up), cancelling one stops
 * the polling, then cancels the provider's jobs and stores what they made. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-credentials.h"
#include "px-library-private.h"
#include "px-provider-batches.h"

struct _PxProviderBatches
{
  GObject       parent_instance;

  PxEngine     *engine;
  PxLibrary    *library;
  GHashTable   *following;   /* gint64 * -> Follow */
  GCancellable *cancellable;  /* everything, at dispose */
  guint         first_ms;
  guint         longest_ms;
};

typedef struct {
  PxProviderBatches *owner;
  gint64             id;
  PxProviderBatch   *batch;         /* NULL while it opens */
  GCancellable      *cancellable;   /* its polling */
  gboolean           cancel;        /* cancel at the provider once polling stops */
} Follow;

enum { CHANGED, FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PxProviderBatches, px_provider_batches, G_TYPE_OBJECT)

static void
follow_free (Follow *follow)
{
  if (follow->batch != NULL)
    g_signal_handlers_disconnect_by_data (follow->batch, follow);
  g_clear_object (&follow->batch);
  g_clear_object (&follow->cancellable);
  g_free (follow);
}

static void
finish (PxProviderBatches *self,
        Follow            *follow,
        const GError      *error)
{
  gint64 id = follow->id;

  g_hash_table_remove (self->following, &id);
  g_signal_emit (self, signals[FINISHED], 0, id, error);
}

static Follow *
find (PxProviderBatches *self,
      gint64             id)
{
  return g_hash_table_lookup (self->following, &id);
}

static void
on_cancelled (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PxProviderBatches) self = user_data;
  PxProviderBatch *batch = PX_PROVIDER_BATCH (source);
  g_autoptr(GError) error = NULL;
  gint64 id = px_provider_batch_get_job (batch)->id;
  Follow *follow;

  px_provider_batch_cancel_finish (batch, result, &error);
  if ((follow = find (self, id)) != NULL && follow->batch == batch)
    finish (self, follow, error);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxProviderBatches) self = user_data;
  PxProviderBatch *batch = PX_PROVIDER_BATCH (source);
  g_autoptr(GError) error = NULL;
  gint64 id = px_provider_batch_get_job (batch)->id;
  Follow *follow = find (self, id);

  px_provider_batch_run_finish (batch, result, &error);
  if (follow == NULL || follow->batch != batch)
    return;
  if (follow->cancel)
    {
      px_provider_batch_cancel_async (batch, self->cancellable, on_cancelled, g_object_ref (self));
      return;
    }
  finish (self, follow, error);
}

static void
on_changed (PxProviderBatch *batch,
            Follow          *follow)
{
  g_signal_emit (follow->owner, signals[CHANGED], 0, follow->id);
}

typedef struct {
  PxProviderBatches *self;
  gint64             id;
} Opening;

static void
opening_free (Opening *opening)
{
  g_object_unref (opening->self);
  g_free (opening);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opening, opening_free)

static void
on_made (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Opening) opening = user_data;
  PxProviderBatches *self = opening->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxProviderBatch) batch = px_provider_batch_new_finish (result, &error);
  Follow *follow = find (self, opening->id);

  if (follow == NULL || follow->batch != NULL)
    return;   /* stopped meanwhile */
  if (batch == NULL)
    {
      finish (self, follow, error);
      return;
    }
  follow->batch = g_steal_pointer (&batch);
  if (self->first_ms > 0)
    px_provider_batch_set_poll_interval (follow->batch, self->first_ms, self->longest_ms);
  g_signal_connect (follow->batch, "changed", G_CALLBACK (on_changed), follow);
  g_signal_emit (self, signals[CHANGED], 0, follow->id);
  if (follow->cancel)
    px_provider_batch_cancel_async (follow->batch, self->cancellable, on_cancelled, g_object_ref (self));
  else
    px_provider_batch_run_async (follow->batch, TRUE, follow->cancellable, on_run_done, g_object_ref (self));
}

static void
open_batch (Opening *opening)
{
  px_provider_batch_new_async (opening->self->engine, px_library_get_directory (opening->self->library),
                               opening->id, opening->self->cancellable, on_made, opening);
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Opening *opening = user_data;
  g_autofree char *key = px_credentials_find_finish (result, NULL);

  /* Without a key the provider says so, and the batch pauses with it. */
  if (key != NULL && *key != '\0' && !px_engine_has_api_key (opening->self->engine, "gemini"))
    px_engine_set_api_key (opening->self->engine, "gemini", key);
  open_batch (opening);
}

static Follow *
start (PxProviderBatches *self,
       gint64             id,
       gboolean           cancel)
{
  const PxProviderInfo *info = px_catalog_lookup_provider (px_engine_get_catalog (self->engine), "gemini");
  Follow *follow = g_new0 (Follow, 1);
  Opening *opening = g_new0 (Opening, 1);

  follow->owner = self;
  follow->id = id;
  follow->cancel = cancel;
  follow->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->following, g_memdup2 (&id, sizeof id), follow);

  opening->self = g_object_ref (self);
  opening->id = id;
  /* The batch reads the key when it opens: from the keyring first. */
  if (info != NULL && !px_engine_has_api_key (self->engine, "gemini"))
    px_credentials_find_async (info, self->cancellable, on_key_found, opening);
  else
    open_batch (opening);
  return follow;
}

/* Submits what is not submitted yet and follows the batch to its end. */
void
px_provider_batches_follow (PxProviderBatches *self,
                            gint64             batch_id)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCHES (self));

  if (find (self, batch_id) == NULL)
    start (self, batch_id, FALSE);
}

gboolean
px_provider_batches_is_following (PxProviderBatches *self,
                                  gint64             batch_id)
{
  g_return_val_if_fail (PX_IS_PROVIDER_BATCHES (self), FALSE);
  return find (self, batch_id) != NULL;
}

/* The batch as it is being followed, or NULL (not followed, or opening). */
PxProviderBatch *
px_provider_batches_lookup (PxProviderBatches *self,
                            gint64             batch_id)
{
  Follow *follow;

  g_return_val_if_fail (PX_IS_PROVIDER_BATCHES (self), NULL);
  follow = find (self, batch_id);
  return follow ? follow->batch : NULL;
}

/* Stops polling; the provider goes on, and the next follow picks it up. */
void
px_provider_batches_stop (PxProviderBatches *self,
                          gint64             batch_id)
{
  Follow *follow;

  g_return_if_fail (PX_IS_PROVIDER_BATCHES (self));
  if ((follow = find (self, batch_id)) != NULL && !follow->cancel)
    g_cancellable_cancel (follow->cancellable);
}

void
px_provider_batches_cancel (PxProviderBatches *self,
                            gint64             batch_id)
{
  Follow *follow;

  g_return_if_fail (PX_IS_PROVIDER_BATCHES (self));
  follow = find (self, batch_id);
  if (follow == NULL)
    start (self, batch_id, TRUE);
  else if (!follow->cancel)
    {
      follow->cancel = TRUE;
      g_cancellable_cancel (follow->cancellable);
    }
}

static gboolean
list_waiting (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  GArray *ids = data;
  g_autoptr(GPtrArray) jobs = px_batch_list (library, error);

  if (jobs == NULL)
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    {
      PxBatchJob *job = g_ptr_array_index (jobs, i);

      if (job->provider_batch && g_str_equal (job->status, "running"))
        g_array_append_val (ids, job->id);
    }
  return TRUE;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PxProviderBatches) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *ids = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &ids, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The provider batches could not be read: %s", error->message);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    px_provider_batches_follow (self, g_array_index (ids, gint64, i));
}

/* At start: the batches the last run left waiting at the provider. */
void
px_provider_batches_resume (PxProviderBatches *self)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCHES (self));

  px_library_read_async (self->library, list_waiting, g_array_new (FALSE, FALSE, sizeof (gint64)),
                         (GDestroyNotify) g_array_unref, self->cancellable, on_listed, g_object_ref (self));
}

void
px_provider_batches_set_poll_interval (PxProviderBatches *self,
                                       guint              first_ms,
                                       guint              longest_ms)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCHES (self));
  self->first_ms = first_ms;
  self->longest_ms = longest_ms;
}

PxProviderBatches *
px_provider_batches_new (PxEngine  *engine,
                         PxLibrary *library)
{
  PxProviderBatches *self = g_object_new (PX_TYPE_PROVIDER_BATCHES, NULL);

  self->engine = g_object_ref (engine);
  self->library = g_object_ref (library);
  return self;
}

static void
px_provider_batches_dispose (GObject *object)
{
  PxProviderBatches *self = PX_PROVIDER_BATCHES (object);

  g_cancellable_cancel (self->cancellable);
  if (self->following != NULL)
    {
      GHashTableIter iter;
      gpointer follow;

      g_hash_table_iter_init (&iter, self->following);
      while (g_hash_table_iter_next (&iter, NULL, &follow))
        g_cancellable_cancel (((Follow *) follow)->cancellable);
    }
  g_clear_pointer (&self->following, g_hash_table_unref);
  g_clear_object (&self->library);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (px_provider_batches_parent_class)->dispose (object);
}

static void
px_provider_batches_finalize (GObject *object)
{
  PxProviderBatches *self = PX_PROVIDER_BATCHES (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (px_provider_batches_parent_class)->finalize (object);
}

static void
px_provider_batches_class_init (PxProviderBatchesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_provider_batches_dispose;
  object_class->finalize = px_provider_batches_finalize;

  /* A followed batch's counts or provider jobs changed (its id). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_INT64);
  /* A followed batch ended, was stopped or cancelled: its id, and the
   * error (NULL when its results are all in). */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_ERROR);
}

static void
px_provider_batches_init (PxProviderBatches *self)
{
  self->following = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) follow_free);
  self->cancellable = g_cancellable_new ();
}
