/* px-batch-wire.h: the providers' batch engines on the wire — the Gemini
 * API's Batch Mode and OpenAI's Batch API, both at half the price: request
 * lines keyed by item, the JSONL uploaded as a file, a batch job made from
 * it under a display name, polled, found again by that name, cancelled, its
 * results (and errors) files downloaded to disk and read a line at a time,
 * each line keyed as it was sent. What a batch of the library does with it
 * (storing the job first, ingesting results exactly once) is
 * PxProviderBatch's. */
#pragma once

#include "px-engine.h"
#include "px-generation.h"

G_BEGIN_DECLS

typedef enum {
  PX_BATCH_WIRE_PENDING,
  PX_BATCH_WIRE_RUNNING,
  PX_BATCH_WIRE_SUCCEEDED,
  PX_BATCH_WIRE_FAILED,
  PX_BATCH_WIRE_CANCELLED,
  PX_BATCH_WIRE_EXPIRED,
} PxBatchWireState;

/* A batch job as the provider reports it. */
typedef struct {
  char             *name;          /* batches/… (Gemini), batch_… (OpenAI) */
  char             *display_name;
  PxBatchWireState  state;
  gboolean          done;
  gint64            requests;
  gint64            succeeded;
  gint64            failed;
  char             *results_file;  /* once done: the answers */
  char             *errors_file;   /* once done: the failed lines (OpenAI), or NULL */
  char             *error;         /* the provider's words, when it failed */
} PxBatchWireJob;

typedef struct _PxBatchWire PxBatchWire;

gboolean          px_batch_wire_supports_provider (const char     *provider_id);
PxBatchWire      *px_batch_wire_new             (PxEngine          *engine,
                                                 const char        *provider_id);
void              px_batch_wire_free            (PxBatchWire       *self);
void              px_batch_wire_job_free        (PxBatchWireJob    *job);
const char       *px_batch_wire_state_name      (PxBatchWireState   state);

char             *px_batch_wire_line            (PxBatchWire       *self,
                                                 const char        *key,
                                                 const PxModel     *model,
                                                 const PxGenerationRequest *request,
                                                 GHashTable        *settings);
void              px_batch_wire_upload_async    (PxBatchWire       *self,
                                                 GBytes            *jsonl,
                                                 const char        *display_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
char             *px_batch_wire_upload_finish   (PxBatchWire       *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
void              px_batch_wire_create_async    (PxBatchWire       *self,
                                                 const char        *model_id,
                                                 const char        *display_name,
                                                 const char        *file_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void              px_batch_wire_get_async       (PxBatchWire       *self,
                                                 const char        *name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void              px_batch_wire_find_async      (PxBatchWire       *self,
                                                 const char        *display_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
void              px_batch_wire_cancel_async    (PxBatchWire       *self,
                                                 const char        *name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
/* create, get, find (NULL with no error: no such job) and cancel. */
PxBatchWireJob   *px_batch_wire_job_finish      (PxBatchWire       *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
void              px_batch_wire_download_async  (PxBatchWire       *self,
                                                 const char        *file_name,
                                                 GFile             *to,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
gboolean          px_batch_wire_download_finish (PxBatchWire       *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
gboolean          px_batch_wire_read_line       (PxBatchWire       *self,
                                                 const char        *line,
                                                 gsize              length,
                                                 char             **key,
                                                 PxGenerationResult *result,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxBatchWireJob, px_batch_wire_job_free)

G_END_DECLS
