/* px-gemini-batch.h: the Gemini API's Batch Mode, on the wire: a JSONL of
 * requests uploaded through the Files API (resumable protocol), a batch job
 * made from it at half the price, polled, found again by its display name,
 * cancelled, and its results file downloaded to disk and read line by line,
 * each line keyed as it was sent. What a batch of the library does with it
 * (storing the job first, ingesting results exactly once) is built on this. */
#pragma once

#include "px-engine.h"
#include "px-generation.h"

G_BEGIN_DECLS

typedef enum {
  PX_GEMINI_BATCH_PENDING,
  PX_GEMINI_BATCH_RUNNING,
  PX_GEMINI_BATCH_SUCCEEDED,
  PX_GEMINI_BATCH_FAILED,
  PX_GEMINI_BATCH_CANCELLED,
  PX_GEMINI_BATCH_EXPIRED,
} PxGeminiBatchState;

/* A batch job as the provider reports it. */
typedef struct {
  char               *name;          /* batches/… */
  char               *display_name;
  PxGeminiBatchState  state;
  gboolean            done;
  gint64              requests;
  gint64              succeeded;
  gint64              failed;
  char               *results_file;  /* files/…, once done (from a file) */
  char               *error;         /* the provider's words, when it failed */
} PxGeminiBatchJob;

typedef struct _PxGeminiBatch PxGeminiBatch;

PxGeminiBatch    *px_gemini_batch_new           (PxEngine          *engine);
void              px_gemini_batch_free          (PxGeminiBatch     *self);
void              px_gemini_batch_job_free      (PxGeminiBatchJob  *job);
const char       *px_gemini_batch_state_name    (PxGeminiBatchState state);

char             *px_gemini_batch_line          (const char        *key,
                                                 const PxGenerationRequest *request,
                                                 GHashTable        *settings);

void              px_gemini_batch_upload_async  (PxGeminiBatch     *self,
                                                 GBytes            *jsonl,
                                                 const char        *display_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
char             *px_gemini_batch_upload_finish (PxGeminiBatch     *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
void              px_gemini_batch_create_async  (PxGeminiBatch     *self,
                                                 const char        *model_id,
                                                 const char        *display_name,
                                                 const char        *file_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void              px_gemini_batch_get_async     (PxGeminiBatch     *self,
                                                 const char        *name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void              px_gemini_batch_find_async    (PxGeminiBatch     *self,
                                                 const char        *display_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void              px_gemini_batch_cancel_async  (PxGeminiBatch     *self,
                                                 const char        *name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
/* create, get, find (NULL with no error: no such job) and cancel. */
PxGeminiBatchJob *px_gemini_batch_job_finish    (PxGeminiBatch     *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
void              px_gemini_batch_download_async (PxGeminiBatch    *self,
                                                 const char        *file_name,
                                                 GFile             *to,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
gboolean          px_gemini_batch_download_finish (PxGeminiBatch   *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

gboolean          px_gemini_batch_read_line     (PxGeminiBatch     *self,
                                                 const char        *line,
                                                 gsize              length,
                                                 char             **key,
                                                 PxGenerationResult *result,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxGeminiBatchJob, px_gemini_batch_job_free)

G_END_DECLS
