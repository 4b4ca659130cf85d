/* px-batch-runner-db.c: the batch runner's database work, on its own
 * thread and its own connection, in order: taking pending items (unless
 * the month's budget is spent), saving a result with its item in one
 * transaction (and noticing a budget reached), failing, requeueing,
 * cancelling, the status. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-batch-private.h"
#include "px-batch-runner-private.h"
#include "px-json.h"
#include "px-thread.h"
#include "px-usage.h"

void
px_batch_runner_op_free (Op *op)
{
  g_clear_pointer (&op->request, px_generation_request_free);
  g_clear_pointer (&op->result, px_generation_result_free);
  g_free (op->text);
  g_free (op->reason);
  g_free (op);
}

/* ?1 id, ?2 now, ?3 text and, where the statement has them, ?4 an
 * amount and ?5 a second text. */
static gboolean
run_sql_full (PxLibrary   *library,
              const char  *sql,
              gint64       id,
              const char  *text,
              double       amount,
              const char  *text2,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (px_library_get_db (library), sql, -1, &stmt, NULL) != SQLITE_OK)
    return px_batch_db_error (library, error, _("updating a batch"));
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, px_batch_now_seconds ());
  if (text != NULL)
    sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= 4)
    sqlite3_bind_double (stmt, 4, amount);
  if (sqlite3_bind_parameter_count (stmt) >= 5 && text2 != NULL)
    sqlite3_bind_text (stmt, 5, text2, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || px_batch_db_error (library, error, _("updating a batch"));
}

gboolean
px_batch_runner_run_sql (PxLibrary   *library,
                         const char  *sql,
                         gint64       id,
                         const char  *text,
                         GError     **error)
{
  return run_sql_full (library, sql, id, text, 0, NULL, error);
}

gboolean
px_batch_runner_run_sql_status (PxLibrary   *library,
                                gint64       id,
                                const char  *status,
                                const char  *reason,
                                GError     **error)
{
  return run_sql_full (library, "UPDATE batch_jobs SET status = ?3, updated = ?2, reason = ?5 WHERE id = ?1",
                       id, status, 0, reason, error);
}

static GPtrArray *
take_pending (PxBatchRunner  *self,
              guint           count,
              GError        **error)
{
  sqlite3 *db = px_library_get_db (self->library);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) px_batch_item_free);
  sqlite3_stmt *stmt = NULL;

  if (!px_library_exec (self->library, "BEGIN IMMEDIATE", error))
    return NULL;
  if (sqlite3_prepare_v2 (db, "SELECT id, row_number, tokens FROM batch_items WHERE job_id = ? AND status = 'pending'"
                              " ORDER BY row_number LIMIT ?", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, self->job_id);
  sqlite3_bind_int (stmt, 2, count);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxBatchItem *item = g_new0 (PxBatchItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->row_number = sqlite3_column_int (stmt, 1);
      item->tokens = px_json_to_table ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (items, item);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < items->len; i++)
    if (!px_batch_runner_run_sql (self->library, "UPDATE batch_items SET status = 'processing', attempts = attempts + 1, updated = ?2"
                                  " WHERE id = ?1", ((PxBatchItem *) g_ptr_array_index (items, i))->id, NULL, error))
      goto fail;
  if (!px_library_exec (self->library, "COMMIT", error))
    goto fail;
  return g_steal_pointer (&items);

fail:
  if (error != NULL && *error == NULL)
    px_batch_db_error (self->library, error, _("taking batch items"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_exec (self->library, "ROLLBACK", NULL);
  return NULL;
}

/* The image row and the item's completion in one transaction. */
static gint64
complete_item (PxBatchRunner  *self,
               Op             *op,
               GError        **error)
{
  sqlite3 *db = px_library_get_db (self->library);
  sqlite3_stmt *stmt = NULL;
  gint64 image_id = 0;

  if (!px_library_exec (self->library, "BEGIN IMMEDIATE", error))
    return 0;
  px_library_start_staging (self->library, self->job_id);
  for (guint i = 0; i < op->result->images->len; i++)
    {
      gint64 id = px_library_add_batch_generation (self->library, op->request, op->result, i, "batch",
                                                   self->job_id, error);

      if (id == 0)
        goto fail;
      if (image_id == 0)
        image_id = id;
    }
  px_library_stop_staging (self->library);
  if (sqlite3_prepare_v2 (db, "UPDATE batch_items SET status = 'completed', error = NULL, image_id = ?1, cost = ?2,"
                              " generation_ms = ?3, updated = ?4, possibly_paid = possibly_paid + ?6"
                              " WHERE id = ?5 AND status = 'processing'",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, image_id);
  sqlite3_bind_double (stmt, 2, op->result->cost);
  sqlite3_bind_int64 (stmt, 3, op->result->generation_ms);
  sqlite3_bind_int64 (stmt, 4, px_batch_now_seconds ());
  sqlite3_bind_int64 (stmt, 5, op->item_id);
  sqlite3_bind_double (stmt, 6, op->result->possibly_paid);
  if (sqlite3_step (stmt) != SQLITE_DONE || sqlite3_changes (db) != 1)
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!px_library_exec (self->library, "COMMIT", error))
    goto fail;
  px_library_move_staged (self->library, self->job_id);
  return image_id;

fail:
  if (error != NULL && *error == NULL)
    px_batch_db_error (self->library, error, _("saving a batch image"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_stop_staging (self->library);
  px_library_exec (self->library, "ROLLBACK", NULL);
  px_library_move_staged (self->library, self->job_id);
  return 0;
}

/* Requests lost after they were sent may have been charged: in the usage
 * (and so against the budget) with what they may have cost. */
static void
note_lost (PxBatchRunner *self,
           double         amount)
{
  PxUsageEvent event = { .kind = "generation", .provider = self->provider_id, .model = self->job->model_id,
                         .feature = "batch", .batch_id = self->job_id, .possibly_paid = amount };

  if (amount > 0)
    px_usage_record (self->library, &event, NULL);
}

void
px_batch_runner_db_worker (gpointer data,
                           gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PxBatchRunner *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  PX_LIBRARY_WRITE (self->library);
  GError *error = NULL;
  gboolean ok = TRUE;

  px_thread_yield_to_ui ();
  switch (op->kind)
    {
    case OP_RECOVER:
      /* Work a killed process had started is to be done again; files it
       * staged either became rows (move them) or did not (delete them). */
      ok = px_batch_runner_run_sql (self->library, "UPDATE batch_items SET status = 'pending', updated = ?2"
                                   " WHERE job_id = ?1 AND status = 'processing'", self->job_id, NULL, &error);
      px_library_move_staged (self->library, self->job_id);
      break;

    case OP_TAKE:
      {
        g_autofree char *reason = NULL;
        GPtrArray *items;

        /* No new paid work once the month's budget is spent. */
        if (self->provider_id != NULL && !px_budget_allows (self->library, self->provider_id, 0, &reason, &error))
          {
            if (error != NULL)
              g_task_return_error (task, error);
            else
              g_task_return_new_error (task, PX_BATCH_ERROR, PX_BATCH_ERROR_BUDGET_SPENT, "%s", reason);
            return;
          }
        items = take_pending (self, op->count, &error);

        if (items == NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
        return;
      }

    case OP_COMPLETE:
      {
        gint64 image_id = complete_item (self, op, &error);

        if (image_id == 0)
          g_task_return_error (task, error);
        else
          {
            op->count = px_budget_take_notice (self->library, self->provider_id, 0, &op->reason, NULL);
            g_task_return_int (task, image_id);
          }
        return;
      }

    case OP_FAIL:
      note_lost (self, op->amount);
      ok = run_sql_full (self->library, "UPDATE batch_items SET status = 'failed', updated = ?2, error = ?3,"
                                        " possibly_paid = possibly_paid + ?4 WHERE id = ?1",
                         op->item_id, op->text, op->amount, NULL, &error);
      break;

    case OP_REQUEUE:
      /* Not failed: the account had a problem. It waits for resume. */
      note_lost (self, op->amount);
      ok = run_sql_full (self->library, "UPDATE batch_items SET status = 'pending', updated = ?2, error = ?3,"
                                        " possibly_paid = possibly_paid + ?4 WHERE id = ?1 AND status = 'processing'",
                         op->item_id, op->text, op->amount, NULL, &error);
      break;

    case OP_CANCEL_PENDING:
      ok = px_batch_runner_run_sql (self->library, "UPDATE batch_items SET status = 'cancelled', updated = ?2"
                                   " WHERE job_id = ?1 AND status IN ('pending', 'processing')", self->job_id, NULL, &error);
      break;

    case OP_SET_STATUS:
      ok = px_batch_runner_run_sql_status (self->library, self->job_id, op->text, op->reason, &error);
      break;

    case OP_REFRESH:
      {
        PxBatchJob *job = px_batch_get (self->library, self->job_id, &error);

        if (job == NULL)
          g_task_return_error (task, error);
        else
          g_task_return_pointer (task, job, (GDestroyNotify) px_batch_job_free);
        return;
      }

    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}
