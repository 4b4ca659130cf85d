/* px-provider-batch-private.h: the provider batch's database work, done on
 * a worker thread on the batch's own library connection. */
#pragma once

#include "px-catalog.h"
#include "px-batch-wire.h"
#include "px-library-private.h"
#include "px-provider-batch.h"

G_BEGIN_DECLS

struct _PxProviderBatch
{
  GObject        parent_instance;

  PxEngine      *engine;
  PxLibrary     *library;       /* its own connection, used on workers one at a time */
  char          *results_dir;
  gint64         batch_id;
  PxBatchJob    *job;
  const PxModel *model;
  PxBatchWire *wire;
  GPtrArray     *jobs;          /* PxProviderJob */
  guint          max_requests;
  guint          first_ms;
  guint          longest_ms;
  guint          interval_ms;

  GTask         *run;           /* a run or a cancel */
  gboolean       wait;
  gboolean       cancelling;
  guint          index;         /* the provider job this pass is at */
  gboolean       submit;        /* makes provider jobs (not "batch status", not cancel) */
  guint          timeout_id;
  GBytes        *upload;        /* the requests of the job being made */
  GPtrArray     *files;         /* the ended job's files to read, on the provider: answers, errors */
  gboolean       ended;         /* the current job has ended */
  guint          stored_shown;  /* results of the file being read counted in the job so far */
};

typedef enum {
  DB_ASSIGN,
  DB_REQUESTS,
  DB_SAVE,
  DB_INGEST,
  DB_CLOSE,
  DB_STATUS,
  DB_CANCEL_PENDING,
  DB_REFRESH,
  DB_CLEAR_FILE,
} DbKind;

typedef struct {
  DbKind         kind;
  PxProviderJob *part;          /* a copy: SAVE, REQUESTS, INGEST, CLOSE */
  char          *text;          /* SAVE: file; INGEST: path; CLOSE: item status; STATUS: status */
  char          *reason;        /* CLOSE, STATUS */
} DbOp;

typedef struct {
  PxBatchJob *job;
  GPtrArray  *jobs;
  GBytes     *bytes;
  guint       count;
} DbAnswer;


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

void      px_provider_batch_emit_changed    (PxProviderBatch     *self);
void      px_provider_batch_db_op_free      (DbOp                *op);
void      px_provider_batch_db_answer_free  (DbAnswer            *answer);
DbOp     *px_provider_batch_db_op           (DbKind               kind);
DbOp     *px_provider_batch_db_part_op      (DbKind               kind,
                                             const PxProviderJob *part);
void      px_provider_batch_db_call         (PxProviderBatch     *self,
                                             DbOp                *op,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
DbAnswer *px_provider_batch_db_finish       (PxProviderBatch     *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbAnswer, px_provider_batch_db_answer_free)

G_END_DECLS
