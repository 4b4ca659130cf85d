/* px-provider-batch-private.h: the provider batch's database work, done on
 * a worker thread on the batch's own library connection. */
#pragma once

#include "px-catalog.h"
#include "px-batch-wire.h"
#include "px-library-private.h"
#include "px-provider-batch.h"

G_BEGIN_DECLS

GPtrArray *px_provider_batch_db_jobs     (PxLibrary         *library,
                                          gint64             batch_id,
                                          GError           **error);
guint      px_provider_batch_db_assign   (PxLibrary         *library,
                                          const PxBatchJob  *batch,
                                          const char        *provider_id,
                                          guint              max_requests,
                                          GError           **error);
GBytes    *px_provider_batch_db_requests (PxLibrary         *library,
                                          PxBatchWire       *wire,
                                          const PxBatchJob  *batch,
                                          const PxModel     *model,
                                          gint64             provider_job,
                                          guint             *n_lines,
                                          GError           **error);
gboolean   px_provider_batch_db_save_job (PxLibrary         *library,
                                          const PxProviderJob *job,
                                          const char        *file,
                                          GError           **error);
/* Told from the worker after each committed chunk: how many results are
 * stored so far. */
typedef void (*PxIngestProgress) (gpointer data,
                                  guint    stored);

gboolean   px_provider_batch_db_ingest   (PxLibrary         *library,
                                          PxBatchWire       *wire,
                                          const PxBatchJob  *batch,
                                          const PxModel     *model,
                                          gint64             provider_job,
                                          const char        *path,
                                          PxIngestProgress   progress,
                                          gpointer           progress_data,
                                          guint             *stored,
                                          GError           **error);
gboolean   px_provider_batch_db_close_job (PxLibrary        *library,
                                          gint64             provider_job,
                                          const char        *item_status,
                                          const char        *reason,
                                          GError           **error);
gboolean   px_provider_batch_db_set_status (PxLibrary       *library,
                                          gint64             batch_id,
                                          const char        *status,
                                          const char        *reason,
                                          GError           **error);

G_END_DECLS
