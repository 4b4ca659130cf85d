/* px-batch-runner-private.h: what the batch runner's two halves share —
 * the runner itself, and the database work it hands its own thread. */
#pragma once

#include "px-batch.h"
#include "px-library-private.h"

G_BEGIN_DECLS

/* All database work of a runner happens on one thread, in order, on the
 * runner's own connection: transactions never interleave, and the main
 * loop never waits for a disk. */
typedef enum {
  OP_RECOVER,
  OP_TAKE,
  OP_COMPLETE,
  OP_FAIL,
  OP_CANCEL_PENDING,
  OP_SET_STATUS,
  OP_REQUEUE,
  OP_REFRESH,
} OpKind;

typedef struct {
  OpKind               kind;
  guint                count;      /* TAKE */
  gint64               item_id;
  PxGenerationRequest *request;    /* COMPLETE */
  PxGenerationResult  *result;
  char                *text;       /* FAIL: error; SET_STATUS: status */
  char                *reason;     /* SET_STATUS: why it paused by itself */
  double               amount;     /* FAIL, REQUEUE: what lost requests may have cost */
} Op;


struct _PxBatchRunner
{
  GObject        parent_instance;

  PxEngine      *engine;
  PxLibrary     *library;      /* its own connection */
  gint64         job_id;
  PxBatchJob    *job;          /* counters kept up to date on the main thread */
  GThreadPool   *db;
  GTask         *run;
  GCancellable  *cancellable;  /* in-flight generations */
  guint          in_flight;
  guint          db_pending;
  gboolean       taking;
  gboolean       paused;
  gboolean       cancelled;
  gboolean       over_budget;
  gboolean       exhausted;    /* TAKE found nothing pending */
  GQueue         ready;        /* PxBatchItem: taken, not started yet */
  GError        *problem;      /* what paused the batch by itself: the account, the key, the model */
  char          *provider_id;  /* whose monthly budget it spends */
};

gboolean px_batch_runner_run_sql (PxLibrary   *library,
                                  const char  *sql,
                                  gint64       id,
                                  const char  *text,
                                  GError     **error);
gboolean px_batch_runner_run_sql_status (PxLibrary   *library,
                                         gint64       id,
                                         const char  *status,
                                         const char  *reason,
                                         GError     **error);
void px_batch_runner_op_free   (Op       *op);
void px_batch_runner_db_worker (gpointer  data,
                                gpointer  user_data);

G_END_DECLS
