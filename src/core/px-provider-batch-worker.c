/* px-provider-batch-worker.c: a provider batch's steps that touch the
 * library, one at a time on a worker thread with the batch's own
 * connection: each brings back the batch's counts and provider jobs as they
 * now are (and, while results are stored, counts them in as each chunk
 * commits). The steps themselves are px-provider-batch-db.c's. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "px-batch-runner-private.h"
#include "px-engine.h"
#include "px-provider-batch-private.h"
#include "px-usage.h"

void
px_provider_batch_db_op_free (DbOp *op)
{
  g_clear_pointer (&op->part, px_provider_job_free);
  g_free (op->text);
  g_free (op->reason);
  g_free (op);
}

void
px_provider_batch_db_answer_free (DbAnswer *answer)
{
  g_clear_pointer (&answer->job, px_batch_job_free);
  g_clear_pointer (&answer->jobs, g_ptr_array_unref);
  g_clear_pointer (&answer->bytes, g_bytes_unref);
  g_free (answer);
}

static PxProviderJob *
job_copy (const PxProviderJob *job)
{
  PxProviderJob *copy = g_memdup2 (job, sizeof *job);

  copy->display_name = g_strdup (job->display_name);
  copy->name = g_strdup (job->name);
  copy->state = g_strdup (job->state);
  copy->error = g_strdup (job->error);
  return copy;
}

/* The month's budgets, overall and the provider's: NULL when they leave
 * room for @estimate more, else why not. A provider batch is paid for as a
 * whole once it is made, so it must fit in what is left before it is sent. */
static char *
budget_problem (PxProviderBatch  *self,
                double            estimate,
                GError          **error)
{
  g_autoptr(GPtrArray) budgets = px_budget_list (self->library, 0, error);

  for (guint i = 0; budgets != NULL && i < budgets->len; i++)
    {
      PxBudget *budget = g_ptr_array_index (budgets, i);
      double left = MAX (0, budget->monthly - budget->spent);

      if (*budget->provider != '\0' && g_strcmp0 (budget->provider, self->model->provider_id) != 0)
        continue;
      if (budget->spent + 1e-9 >= budget->monthly || estimate > left + 1e-9)
        return g_strdup_printf (_("The batch would cost about $%.2f at half price; $%.2f is left of this month’s "
                                  "budget of $%.2f. It waits until the budget is raised or the month turns."),
                                estimate, left, budget->monthly);
    }
  return NULL;
}

static gboolean
assign (PxProviderBatch *self,
        GError         **error)
{
  g_autofree char *reason = NULL;
  GError *local = NULL;
  /* Rows not sent yet: all the pending ones, the first time. */
  guint unsent = self->jobs->len == 0 ? self->job->pending : 0;
  double estimate = unsent == 0 ? 0 :
    px_batch_estimate_cost (px_engine_get_catalog (self->engine), self->job->model_id, self->job->settings, unsent) *
    PX_PROVIDER_BATCH_PRICE;

  /* Collecting what was sent before costs nothing more: only a first
   * submission is held to the budget. */
  reason = unsent > 0 ? budget_problem (self, estimate, &local) : NULL;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (reason != NULL)
    {
      px_provider_batch_db_set_status (self->library, self->batch_id, "paused", reason, NULL);
      g_set_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_BUDGET_SPENT, "%s", reason);
      return FALSE;
    }
  px_provider_batch_db_assign (self->library, self->job, self->model->provider_id, self->max_requests, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  PxProviderBatch *self;
  guint            stored;
} Progress;

static gboolean
show_progress (gpointer data)
{
  g_autofree Progress *progress = data;
  PxProviderBatch *self = progress->self;
  guint delta = progress->stored - MIN (progress->stored, self->stored_shown);

  /* Counted here until the step's answer brings the library's own counts. */
  self->stored_shown = progress->stored;
  delta = MIN (delta, self->job->pending);
  self->job->completed += delta;
  self->job->pending -= delta;
  px_provider_batch_emit_changed (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* From the worker, after each chunk of results is stored: a window shows
 * them coming in, not only when the whole file is read. */
static void
ingest_progress (gpointer data,
                 guint    stored)
{
  GTask *task = data;
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (g_task_get_source_object (task));
  progress->stored = stored;
  g_main_context_invoke (g_task_get_context (task), show_progress, progress);
}

static void
db_in_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  PxProviderBatch *self = source;
  DbOp *op = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DbAnswer) answer = g_new0 (DbAnswer, 1);
  gboolean ok = TRUE;

  switch (op->kind)
    {
    case DB_ASSIGN:
      ok = assign (self, &error);
      break;

    case DB_REQUESTS:
      answer->bytes = px_provider_batch_db_requests (self->library, self->wire, self->job, self->model, op->part->id,
                                                     &answer->count, &error);
      ok = answer->bytes != NULL;
      break;

    case DB_SAVE:
      ok = px_provider_batch_db_save_job (self->library, op->part, op->text, &error);
      break;

    case DB_INGEST:
      ok = px_provider_batch_db_ingest (self->library, self->wire, self->job, self->model, op->part->id, op->text,
                                        ingest_progress, task, &answer->count, &error);
      /* Read whole: kept until then, so a killed process reads it again. */
      if (ok)
        g_unlink (op->text);
      break;

    case DB_CLOSE:
      ok = px_provider_batch_db_close_job (self->library, op->part->id, op->text, op->reason, &error);
      break;

    case DB_STATUS:
      ok = px_provider_batch_db_set_status (self->library, self->batch_id, op->text, op->reason, &error);
      break;

    case DB_CLEAR_FILE:
      /* What a killed process had half downloaded: gone, so the download
       * writes the file directly (a replaced one leaves a temporary file
       * behind when killed). */
      if (g_unlink (op->text) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not remove %s: %s"), op->text,
                       g_strerror (saved));
          ok = FALSE;
        }
      break;

    case DB_REFRESH:
    default:
      break;

    case DB_CANCEL_PENDING:
      ok = px_batch_runner_run_sql (self->library, "UPDATE batch_items SET status = 'cancelled', updated = ?2"
                                    " WHERE job_id = ?1 AND status = 'pending' AND provider_job IS NULL",
                                    self->batch_id, NULL, &error);
      break;
    }
  /* Every answer brings the batch's counts and jobs as they now are. */
  if (ok)
    {
      answer->job = px_batch_get (self->library, self->batch_id, &error);
      answer->jobs = answer->job ? px_provider_batch_db_jobs (self->library, self->batch_id, &error) : NULL;
      ok = answer->jobs != NULL;
    }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) px_provider_batch_db_answer_free);
}

void
px_provider_batch_db_call (PxProviderBatch     *self,
         DbOp                *op,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_task_data (task, op, (GDestroyNotify) px_provider_batch_db_op_free);
  g_task_run_in_thread (task, db_in_thread);
}

DbOp *
px_provider_batch_db_op (DbKind kind)
{
  DbOp *op = g_new0 (DbOp, 1);

  op->kind = kind;
  return op;
}

/* An operation on the current provider job (a copy of it). */
DbOp *
px_provider_batch_db_part_op (DbKind               kind,
            const PxProviderJob *part)
{
  DbOp *op = g_new0 (DbOp, 1);

  op->kind = kind;
  op->part = job_copy (part);
  return op;
}

/* The answer's counts and jobs become the batch's. */
DbAnswer *
px_provider_batch_db_finish (PxProviderBatch *self,
           GAsyncResult    *result,
           GError         **error)
{
  DbAnswer *answer = g_task_propagate_pointer (G_TASK (result), error);

  if (answer == NULL)
    return NULL;
  px_batch_job_free (self->job);
  self->job = g_steal_pointer (&answer->job);
  g_ptr_array_unref (self->jobs);
  self->jobs = g_steal_pointer (&answer->jobs);
  px_provider_batch_emit_changed (self);
  return answer;
}

