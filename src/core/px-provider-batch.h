/* px-provider-batch.h: a batch of the library run on the provider's own
 * batch engine (the Gemini API's Batch Mode) at half the price: its rows
 * become request lines keyed by item, split into provider jobs no larger
 * than the provider takes, each job's row (and the display name it is found
 * again by) stored before anything is sent; then polled with backoff, its
 * results downloaded and stored exactly once, through the same checks and
 * into the library like a direct result. A killed process resumes where it
 * was: no job made twice, no image lost or doubled. */
#pragma once

#include "px-batch.h"

G_BEGIN_DECLS

/* One provider job of a batch, as last seen. */
typedef struct {
  gint64  id;
  char   *display_name;
  char   *name;         /* the provider's (batches/…), NULL until known */
  char   *state;        /* preparing, pending, running, succeeded, failed, cancelled, expired */
  gint64  requests;
  gint64  succeeded;
  gint64  failed;
  char   *error;        /* the provider's words, when it failed */
  gboolean ingested;    /* its results are in the library */
} PxProviderJob;

void px_provider_job_free (PxProviderJob *job);

/* Whether a model can run on a provider batch engine. */
gboolean px_provider_batch_supports (PxCatalog  *catalog,
                                     const char *model_id);

#define PX_TYPE_PROVIDER_BATCH (px_provider_batch_get_type ())

G_DECLARE_FINAL_TYPE (PxProviderBatch, px_provider_batch, PX, PROVIDER_BATCH, GObject)

PxProviderBatch  *px_provider_batch_new          (PxEngine        *engine,
                                                  const char      *library_dir,
                                                  gint64           batch_id,
                                                  GError         **error);
void              px_provider_batch_new_async    (PxEngine        *engine,
                                                  const char      *library_dir,
                                                  gint64           batch_id,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
PxProviderBatch  *px_provider_batch_new_finish   (GAsyncResult    *result,
                                                  GError         **error);

/* At most this many request lines per provider job (the default is what
 * fits the provider's 2 GB input file with room to spare). */
void              px_provider_batch_set_max_requests (PxProviderBatch *self,
                                                  guint            max_requests);
/* The first wait between polls, doubled up to the longest. */
void              px_provider_batch_set_poll_interval (PxProviderBatch *self,
                                                  guint            first_ms,
                                                  guint            longest_ms);

/* Submits what is not submitted yet, then polls and stores results until
 * every provider job has ended (@wait), or polls each once and stores
 * what is ready (!@wait: "batch status"). */
void              px_provider_batch_run_async    (PxProviderBatch *self,
                                                  gboolean         wait,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
gboolean          px_provider_batch_run_finish   (PxProviderBatch *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);
/* Cancels every provider job; what they made before is stored. */
void              px_provider_batch_cancel_async (PxProviderBatch *self,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
gboolean          px_provider_batch_cancel_finish (PxProviderBatch *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);

const PxBatchJob *px_provider_batch_get_job      (PxProviderBatch *self);
/* PxProviderJob, in order. */
GPtrArray        *px_provider_batch_get_jobs     (PxProviderBatch *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxProviderJob, px_provider_job_free)

G_END_DECLS
