/* px-batch-runner.c: runs one batch through the engine: keeps as many
 * items in flight as the batch may have, saves each result with its item in
 * one transaction on the runner's own connection, pauses at the spend cap
 * and when the provider reports a problem with the account (the rows not
 * done stay pending; resume goes on with them). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-batch.h"
#include "px-batch-private.h"
#include "px-batch-runner-private.h"
#include "px-json.h"
#include "px-library-private.h"
#include "px-provider.h"
#include "px-thread.h"
#include "px-tokens.h"
#include "px-usage.h"

G_DEFINE_FINAL_TYPE (PxBatchRunner, px_batch_runner, G_TYPE_OBJECT)

enum {
  PROGRESS,
  ITEM_CHANGED,
  BUDGET_NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fill (PxBatchRunner *self);
static void return_ready (PxBatchRunner *self);

static void
push_op (PxBatchRunner       *self,
         Op                  *op,
         GAsyncReadyCallback  callback)
{
  GTask *task = g_task_new (self, NULL, callback, NULL);

  g_task_set_task_data (task, op, (GDestroyNotify) px_batch_runner_op_free);
  self->db_pending++;
  g_thread_pool_push (self->db, task, NULL);
}

static Op *
op_new (OpKind kind)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  return op;
}

static void maybe_finish (PxBatchRunner *self);
static void db_failed (PxBatchRunner *self,
                       GError        *error);

static void
fail_run (PxBatchRunner *self,
          GError        *error)
{
  if (self->run != NULL)
    {
      g_autoptr(GTask) run = g_steal_pointer (&self->run);

      g_task_return_error (run, error);
    }
  else
    g_error_free (error);
}

static void
on_op_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PxBatchRunner *self = PX_BATCH_RUNNER (source);
  GError *error = NULL;

  self->db_pending--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      db_failed (self, error);
      return;
    }
  maybe_finish (self);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PxBatchRunner *self = PX_BATCH_RUNNER (source);
  PxBatchJob *job = g_task_propagate_pointer (G_TASK (result), NULL);

  self->db_pending--;
  if (job != NULL)
    {
      px_batch_job_free (self->job);
      self->job = job;
      g_signal_emit (self, signals[PROGRESS], 0);
    }
  maybe_finish (self);
}

/* The status, and the reason when the batch paused by itself (any other
 * status clears it). */
static void
set_status_for (PxBatchRunner *self,
                const char    *status,
                const char    *reason)
{
  Op *op = op_new (OP_SET_STATUS);

  op->text = g_strdup (status);
  op->reason = g_strdup (reason);
  g_free (self->job->status);
  self->job->status = g_strdup (status);
  g_free (self->job->reason);
  self->job->reason = g_strdup (reason);
  push_op (self, op, on_op_done);
}

static void
set_status (PxBatchRunner *self,
            const char    *status)
{
  set_status_for (self, status, NULL);
}

/* What a retry cannot mend and every further request would meet too: the
 * batch stops sending and waits for the user, its rows still to do. */
static gboolean
pauses_batch (const GError *error)
{
  return px_provider_error_is_account_problem (error) ||
         g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_RATE_LIMITED);
}

static void
pause_for_problem (PxBatchRunner *self,
                   const GError  *error)
{
  if (self->problem != NULL)
    return;
  self->problem = g_error_copy (error);
  self->paused = TRUE;
  return_ready (self);
  set_status_for (self, "paused", error->message);
}

/* A write to the library failed. A problem with where it lives (a full
 * disk, a read-only folder, a lock) is not the rows' fault: the batch
 * pauses with the reason, its rows still to do (a result that was paid for
 * and could not be saved waits in the response cache), and resumes once it
 * is mended. Anything else ends the run. */
static void
db_failed (PxBatchRunner *self,
           GError        *error)
{
  if (!px_library_error_is_storage (error))
    {
      fail_run (self, error);
      return;
    }
  pause_for_problem (self, error);
  g_error_free (error);
  maybe_finish (self);
}

/* The run ends when nothing is left to do (or it was cancelled) and every
 * write is on disk. */
static void
maybe_finish (PxBatchRunner *self)
{
  g_autoptr(GTask) run = NULL;

  if (self->run == NULL || self->in_flight > 0 || self->db_pending > 0 || self->taking)
    return;

  if (self->cancelled)
    {
      run = g_steal_pointer (&self->run);
      g_task_return_new_error (run, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The batch was cancelled."));
      return;
    }
  if (self->problem != NULL)
    {
      run = g_steal_pointer (&self->run);
      g_task_return_new_error (run, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED, _("The batch paused: %s"),
                               self->problem->message);
      return;
    }
  /* Reaching the cap with the last item is just the end. */
  if (self->over_budget && self->job->pending == 0)
    {
      self->over_budget = self->paused = FALSE;
      self->exhausted = TRUE;
    }
  if (self->over_budget)
    {
      run = g_steal_pointer (&self->run);
      g_task_return_new_error (run, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET,
                               _("The batch paused itself: it has cost $%.2f, its spend cap is $%.2f."),
                               self->job->cost, self->job->budget);
      return;
    }
  if (!self->exhausted || self->paused || !g_queue_is_empty (&self->ready))
    return;
  if (!g_str_equal (self->job->status, "completed"))
    {
      set_status (self, "completed");
      return;
    }
  run = g_steal_pointer (&self->run);
  g_task_return_boolean (run, TRUE);
}

typedef struct {
  PxBatchRunner       *runner;
  gint64               item_id;
  PxGenerationRequest *request;   /* the twin kept to save the result with */
} Flight;

static void
on_item_saved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PxBatchRunner *self = PX_BATCH_RUNNER (source);
  Op *op = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gint64 image_id = g_task_propagate_int (G_TASK (result), &error);

  self->db_pending--;
  if (error != NULL)
    {
      db_failed (self, error);
      return;
    }
  self->job->completed++;
  self->job->pending--;
  g_signal_emit (self, signals[ITEM_CHANGED], 0, op->item_id, "completed", image_id);
  g_signal_emit (self, signals[PROGRESS], 0);
  if (op->count > 0 && op->reason != NULL)
    g_signal_emit (self, signals[BUDGET_NOTICE], 0, op->count, op->reason);
  fill (self);
  maybe_finish (self);
}

static void
on_generated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Flight *flight = user_data;
  PxBatchRunner *self = flight->runner;
  g_autoptr(GError) error = NULL;
  PxGenerationResult *generated = px_engine_generate_finish (PX_ENGINE (source), result, &error);
  double possibly_paid = generated ? generated->possibly_paid
                                   : px_engine_generate_get_possibly_paid (PX_ENGINE (source), result);
  Op *op;

  self->in_flight--;
  self->job->possibly_paid += possibly_paid;
  if (generated != NULL)
    {
      /* The spend cap counts an image as soon as it is paid for, so no new
       * item starts once the cost reaches it (those in flight still land);
       * what lost requests may have cost counts too. */
      self->job->cost += generated->cost;
      if (self->job->budget > 0 && self->job->cost + self->job->possibly_paid >= self->job->budget &&
          !self->over_budget)
        {
          self->over_budget = TRUE;
          self->paused = TRUE;
          return_ready (self);
          set_status (self, "paused");
        }
      op = op_new (OP_COMPLETE);
      op->item_id = flight->item_id;
      op->request = g_steal_pointer (&flight->request);
      op->result = generated;
      push_op (self, op, on_item_saved);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED))
    ;  /* Cancel marks every unfinished item at once. */
  else if (pauses_batch (error))
    {
      /* The row did nothing wrong: back to pending, and nothing more is
       * sent until the user has mended the account and resumes. */
      op = op_new (OP_REQUEUE);
      op->item_id = flight->item_id;
      op->text = g_strdup (error->message);
      op->amount = possibly_paid;
      g_signal_emit (self, signals[ITEM_CHANGED], 0, flight->item_id, "pending", (gint64) 0);
      push_op (self, op, on_op_done);
      pause_for_problem (self, error);
    }
  else
    {
      op = op_new (OP_FAIL);
      op->item_id = flight->item_id;
      op->text = g_strdup (error->message);
      op->amount = possibly_paid;
      self->job->failed++;
      self->job->pending--;
      g_signal_emit (self, signals[ITEM_CHANGED], 0, flight->item_id, "failed", (gint64) 0);
      g_signal_emit (self, signals[PROGRESS], 0);
      push_op (self, op, on_op_done);
    }

  g_clear_pointer (&flight->request, px_generation_request_free);
  g_object_unref (flight->runner);
  g_free (flight);
  fill (self);
  maybe_finish (self);
}

static PxGenerationRequest *
make_request (PxBatchRunner  *self,
              const char     *prompt,
              GHashTable     *tokens)
{
  PxGenerationRequest *request = px_generation_request_new (self->job->model_id, prompt);
  GHashTableIter iter;
  gpointer name, value;

  px_generation_request_set_template (request, self->job->template_prompt, tokens);
  g_hash_table_iter_init (&iter, self->job->settings);
  while (g_hash_table_iter_next (&iter, &name, &value))
    px_generation_request_set_setting (request, name, value);
  return request;
}

static void
start_item (PxBatchRunner *self,
            PxBatchItem   *item)
{
  const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (self->engine), self->job->model_id, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = px_tokens_resolve (self->job->template_prompt, item->tokens,
                                               model ? model->max_prompt_chars : 0, &error);
  Flight *flight;

  /* A row that cannot make a prompt fails alone, with the reason. */
  if (prompt == NULL)
    {
      Op *op = op_new (OP_FAIL);
      g_autofree char *message = g_strdup_printf (_("Row %u: %s"), item->row_number, error->message);

      op->item_id = item->id;
      op->text = g_steal_pointer (&message);
      self->job->failed++;
      self->job->pending--;
      g_signal_emit (self, signals[ITEM_CHANGED], 0, item->id, "failed", (gint64) 0);
      push_op (self, op, on_op_done);
      return;
    }

  flight = g_new0 (Flight, 1);
  flight->runner = g_object_ref (self);
  flight->item_id = item->id;
  flight->request = make_request (self, prompt, item->tokens);
  self->in_flight++;
  g_signal_emit (self, signals[ITEM_CHANGED], 0, item->id, "processing", (gint64) 0);
  px_engine_generate_async (self->engine, make_request (self, prompt, item->tokens), self->cancellable,
                            on_generated, flight);
}

static void
on_taken (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PxBatchRunner *self = PX_BATCH_RUNNER (source);
  GError *error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  self->db_pending--;
  self->taking = FALSE;
  if (g_error_matches (error, PX_BATCH_ERROR, PX_BATCH_ERROR_BUDGET_SPENT))
    {
      /* Like an account problem: the rows wait, the reason shows. */
      pause_for_problem (self, error);
      g_error_free (error);
      maybe_finish (self);
      return;
    }
  if (items == NULL)
    {
      db_failed (self, error);
      return;
    }
  if (items->len == 0)
    self->exhausted = TRUE;
  while (items->len > 0)
    g_queue_push_tail (&self->ready, g_ptr_array_steal_index (items, 0));
  fill (self);
  maybe_finish (self);
}

/* Items taken but not started go back to pending: the batch stopped. */
static void
return_ready (PxBatchRunner *self)
{
  PxBatchItem *item;

  while ((item = g_queue_pop_head (&self->ready)) != NULL)
    {
      Op *op = op_new (OP_REQUEUE);

      op->item_id = item->id;
      push_op (self, op, on_op_done);
      px_batch_item_free (item);
    }
}

/* Keeps as many items in the engine as the batch may run at once (the
 * engine's own per-provider limits apply on top), and a round more taken
 * ahead: the database thread is busy saving results, and a free slot must
 * not wait for it. */
static void
fill (PxBatchRunner *self)
{
  guint limit = self->job->concurrency > 0 ? self->job->concurrency : 4;
  Op *op;

  if (self->run == NULL || self->paused || self->cancelled)
    return;
  while (self->in_flight < limit && !g_queue_is_empty (&self->ready))
    {
      g_autoptr(PxBatchItem) item = g_queue_pop_head (&self->ready);

      start_item (self, item);
    }
  if (self->taking || self->exhausted || self->ready.length >= limit)
    return;

  op = op_new (OP_TAKE);
  op->count = 2 * limit - MIN (2 * limit, self->in_flight + self->ready.length);
  if (op->count == 0)
    {
      px_batch_runner_op_free (op);
      return;
    }
  self->taking = TRUE;
  push_op (self, op, on_taken);
}

PxBatchRunner *
px_batch_runner_new (PxEngine    *engine,
                     const char  *library_dir,
                     gint64       job_id,
                     GError     **error)
{
  g_autoptr(PxBatchRunner) self = g_object_new (PX_TYPE_BATCH_RUNNER, NULL);

  g_return_val_if_fail (PX_IS_ENGINE (engine), NULL);

  self->engine = g_object_ref (engine);
  self->job_id = job_id;
  self->library = px_library_open (library_dir, error);
  if (self->library == NULL)
    return NULL;
  self->job = px_batch_get (self->library, job_id, error);
  if (self->job == NULL)
    return NULL;
  self->db = g_thread_pool_new (px_batch_runner_db_worker, self, 1, FALSE, NULL);
  {
    const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (engine), self->job->model_id, NULL);

    self->provider_id = g_strdup (model ? model->provider_id : NULL);
  }
  return g_steal_pointer (&self);
}

typedef struct {
  PxEngine *engine;
  char     *library_dir;
  gint64    job_id;
} NewRunner;

static void
new_runner_free (NewRunner *made)
{
  g_object_unref (made->engine);
  g_free (made->library_dir);
  g_free (made);
}

static void
new_runner_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  NewRunner *made = task_data;
  GError *error = NULL;
  PxBatchRunner *runner = px_batch_runner_new (made->engine, made->library_dir, made->job_id, &error);

  if (runner != NULL)
    g_task_return_pointer (task, runner, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* px_batch_runner_new() off the caller's thread: it opens the library and
 * reads the batch. */
void
px_batch_runner_new_async (PxEngine            *engine,
                           const char          *library_dir,
                           gint64               job_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  NewRunner *made = g_new0 (NewRunner, 1);

  made->engine = g_object_ref (engine);
  made->library_dir = g_strdup (library_dir);
  made->job_id = job_id;
  g_task_set_source_tag (task, px_batch_runner_new_async);
  g_task_set_task_data (task, made, (GDestroyNotify) new_runner_free);
  g_task_run_in_thread (task, new_runner_in_thread);
}

PxBatchRunner *
px_batch_runner_new_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const PxBatchJob *
px_batch_runner_get_job (PxBatchRunner *self)
{
  return self->job;
}

static void
on_recovered (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PxBatchRunner *self = PX_BATCH_RUNNER (source);
  GError *error = NULL;

  self->db_pending--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      db_failed (self, error);
      return;
    }
  push_op (self, op_new (OP_REFRESH), on_refreshed);
  fill (self);
}

/* Runs (or resumes) the batch to its end: every item completed, failed or
 * cancelled. Fails at once, before any request, when the estimate for the
 * items left is above the spend cap. */
void
px_batch_runner_run_async (PxBatchRunner       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  double estimate;

  g_return_if_fail (PX_IS_BATCH_RUNNER (self));
  g_return_if_fail (self->run == NULL);

  self->run = g_task_new (self, cancellable, callback, user_data);
  estimate = px_batch_estimate_cost (px_engine_get_catalog (self->engine), self->job->model_id, self->job->settings,
                                     self->job->pending);
  if (self->job->budget > 0 && self->job->cost + self->job->possibly_paid + estimate > self->job->budget)
    {
      g_autoptr(GTask) run = g_steal_pointer (&self->run);

      g_task_return_new_error (run, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET,
                               _("The batch would cost about $%.2f, more than its spend cap of $%.2f; it was not "
                                 "started."), self->job->cost + self->job->possibly_paid + estimate,
                               self->job->budget);
      return;
    }

  {
    const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (self->engine), self->job->model_id, NULL);

    if (model != NULL)
      px_engine_ensure_concurrency (self->engine, model->provider_id, self->job->concurrency);
  }
  self->cancelled = self->over_budget = self->exhausted = self->paused = FALSE;
  g_clear_error (&self->problem);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_status (self, "running");
  push_op (self, op_new (OP_RECOVER), on_recovered);
}

gboolean
px_batch_runner_run_finish (PxBatchRunner  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Items in flight finish; no new ones start. */
void
px_batch_runner_pause (PxBatchRunner *self)
{
  if (self->paused || self->run == NULL)
    return;
  self->paused = TRUE;
  set_status (self, "paused");
}

void
px_batch_runner_resume (PxBatchRunner *self)
{
  if (!self->paused)
    return;
  self->paused = FALSE;
  self->over_budget = FALSE;
  g_clear_error (&self->problem);
  set_status (self, "running");
  fill (self);
}

gboolean
px_batch_runner_is_paused (PxBatchRunner *self)
{
  return self->paused;
}

/* Why the batch paused by itself (the account, the key, the model, a long
 * rate limit), or NULL. */
const GError *
px_batch_runner_get_problem (PxBatchRunner *self)
{
  g_return_val_if_fail (PX_IS_BATCH_RUNNER (self), NULL);

  return self->problem;
}

/* Stops requests in flight and marks everything unfinished cancelled. */
void
px_batch_runner_cancel (PxBatchRunner *self)
{
  if (self->run == NULL || self->cancelled)
    return;
  self->cancelled = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->ready, (GDestroyNotify) px_batch_item_free);
  push_op (self, op_new (OP_CANCEL_PENDING), on_op_done);
  set_status (self, "cancelled");
  push_op (self, op_new (OP_REFRESH), on_refreshed);
}

/* Failed and cancelled items go back to pending; run again to do them. */
gboolean
px_batch_runner_retry_failed (PxBatchRunner  *self,
                              GError        **error)
{
  g_return_val_if_fail (self->run == NULL, FALSE);

  if (!px_batch_runner_run_sql (self->library, "UPDATE batch_items SET status = 'pending', error = NULL, updated = ?2"
                               " WHERE job_id = ?1 AND status IN ('failed', 'cancelled')", self->job_id, NULL, error))
    return FALSE;
  px_batch_job_free (self->job);
  self->job = px_batch_get (self->library, self->job_id, error);
  return self->job != NULL;
}

static void
px_batch_runner_dispose (GObject *object)
{
  PxBatchRunner *self = PX_BATCH_RUNNER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* Every write queued is done before the connection closes. */
  if (self->db != NULL)
    g_thread_pool_free (g_steal_pointer (&self->db), FALSE, TRUE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->library);
  g_clear_pointer (&self->job, px_batch_job_free);
  g_clear_error (&self->problem);
  g_clear_pointer (&self->provider_id, g_free);
  g_queue_clear_full (&self->ready, (GDestroyNotify) px_batch_item_free);

  G_OBJECT_CLASS (px_batch_runner_parent_class)->dispose (object);
}

static void
px_batch_runner_class_init (PxBatchRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = px_batch_runner_dispose;

  /* The counters of px_batch_runner_get_job() changed. */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* One item: its id, its new status and, once completed, its image. */
  signals[ITEM_CHANGED] = g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                        G_TYPE_INT64, G_TYPE_STRING, G_TYPE_INT64);
  /* A monthly budget reached 80 % (or 100 %) this month, for the first
   * time: the level and a sentence to show. */
  signals[BUDGET_NOTICE] = g_signal_new ("budget-notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
px_batch_runner_init (PxBatchRunner *self)
{
  g_queue_init (&self->ready);
}
