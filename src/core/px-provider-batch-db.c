/* px-provider-batch-db.c: a provider batch's database work, on a worker
 * thread: provider job rows made (with their display names) before
 * anything is sent, the request lines built from the items, what the
 * provider says stored as it says it, and results stored exactly once —
 * an item takes a result only while the provider has it ('submitted'),
 * in the same transaction as its image. */
#include "config.h"

#include <inttypes.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "px-batch-private.h"
#include "px-batch-runner-private.h"
#include "px-engine.h"
#include "px-json.h"
#include "px-provider-batch-private.h"
#include "px-thread.h"
#include "px-tokens.h"

#define INGEST_CHUNK 256

void
px_provider_job_free (PxProviderJob *job)
{
  if (job == NULL)
    return;
  g_free (job->display_name);
  g_free (job->name);
  g_free (job->state);
  g_free (job->error);
  g_free (job);
}

GPtrArray *
px_provider_batch_db_jobs (PxLibrary  *library,
                           gint64      batch_id,
                           GError    **error)
{
  PX_LIBRARY_WRITE (library);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) px_provider_job_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (px_library_get_db (library),
                          "SELECT id, display_name, name, state, requests, succeeded, failed, error, ingested"
                          " FROM provider_jobs WHERE batch_id = ? ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_batch_db_error (library, error, _("reading a provider batch"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, batch_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxProviderJob *job = g_new0 (PxProviderJob, 1);

      job->id = sqlite3_column_int64 (stmt, 0);
      job->display_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      job->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      job->state = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      job->requests = sqlite3_column_int64 (stmt, 4);
      job->succeeded = sqlite3_column_int64 (stmt, 5);
      job->failed = sqlite3_column_int64 (stmt, 6);
      job->error = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      job->ingested = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (jobs, job);
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&jobs);
}

/* The pending items no provider job has yet go into new ones of at most
 * @max_requests, each named before it exists: the name is how a job made
 * by a process killed before it heard back is found again. Returns how
 * many jobs were made. */
guint
px_provider_batch_db_assign (PxLibrary        *library,
                             const PxBatchJob *batch,
                             const char       *provider_id,
                             guint             max_requests,
                             GError          **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3 *db = px_library_get_db (library);
  sqlite3_stmt *stmt = NULL;
  gint64 pending;
  guint made = 0;

  if (!px_library_exec (library, "BEGIN IMMEDIATE", error))
    return 0;
  if (sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM batch_items WHERE job_id = ? AND status = 'pending'"
                              " AND provider_job IS NULL", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, batch->id);
  pending = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  g_clear_pointer (&stmt, sqlite3_finalize);

  while (pending > 0)
    {
      g_autofree char *display_name = NULL;
      gint64 now = px_batch_now_seconds ();
      gint64 job_id;

      /* Unique across every library on the account: the batch, its part
       * and 64 random bits. */
      display_name = g_strdup_printf ("pixmerge-batch-%" PRId64 "-%u-%08x%08x", batch->id, made + 1,
                                      g_random_int (), g_random_int ());
      if (sqlite3_prepare_v2 (db, "INSERT INTO provider_jobs (batch_id, provider, display_name, created, updated)"
                                  " VALUES (?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, batch->id);
      sqlite3_bind_text (stmt, 2, provider_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, display_name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, now);
      sqlite3_bind_int64 (stmt, 5, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
      g_clear_pointer (&stmt, sqlite3_finalize);
      job_id = sqlite3_last_insert_rowid (db);

      if (sqlite3_prepare_v2 (db, "UPDATE batch_items SET status = 'submitted', provider_job = ?1, updated = ?2,"
                                  " attempts = attempts + 1 WHERE id IN (SELECT id FROM batch_items WHERE job_id = ?3"
                                  " AND status = 'pending' AND provider_job IS NULL ORDER BY row_number LIMIT ?4)",
                              -1, &stmt, NULL) != SQLITE_OK)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, job_id);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, batch->id);
      sqlite3_bind_int64 (stmt, 4, max_requests);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
      g_clear_pointer (&stmt, sqlite3_finalize);
      pending -= MIN ((gint64) max_requests, pending);
      made++;
    }
  if (!px_batch_runner_run_sql_status (library, batch->id, "running", NULL, error) ||
      !px_library_exec (library, "COMMIT", error))
    goto fail;
  return made;

fail:
  if (error != NULL && *error == NULL)
    px_batch_db_error (library, error, _("preparing a provider batch"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_exec (library, "ROLLBACK", NULL);
  return 0;
}

static PxGenerationRequest *
make_request (const PxBatchJob *batch,
              const char       *prompt,
              GHashTable       *tokens)
{
  PxGenerationRequest *request = px_generation_request_new (batch->model_id, prompt);
  GHashTableIter iter;
  gpointer name, value;

  px_generation_request_set_template (request, batch->template_prompt, tokens);
  g_hash_table_iter_init (&iter, batch->settings);
  while (g_hash_table_iter_next (&iter, &name, &value))
    px_generation_request_set_setting (request, name, value);
  return request;
}

static gboolean
fail_item (PxLibrary   *library,
           gint64       item_id,
           const char  *message,
           GError     **error)
{
  return px_batch_runner_run_sql (library, "UPDATE batch_items SET status = 'failed', error = ?3, updated = ?2"
                                  " WHERE id = ?1 AND status = 'submitted'", item_id, message, error);
}

/* The JSONL of a provider job: one line per item, keyed by the item's id.
 * A row that cannot make a prompt fails alone, with the reason, and is not
 * sent. */
GBytes *
px_provider_batch_db_requests (PxLibrary        *library,
                               PxBatchWire      *wire,
                               const PxBatchJob *batch,
                               const PxModel    *model,
                               gint64            provider_job,
                               guint            *n_lines,
                               GError          **error)
{
  PX_LIBRARY_WRITE (library);
  g_autoptr(GHashTable) settings = px_model_resolve_settings (model, batch->settings, NULL);
  GString *out = g_string_sized_new (4096);
  sqlite3_stmt *stmt = NULL;

  *n_lines = 0;
  if (settings == NULL)
    settings = g_hash_table_ref (batch->settings);
  if (!px_library_exec (library, "BEGIN IMMEDIATE", error))
    goto fail;
  if (sqlite3_prepare_v2 (px_library_get_db (library),
                          "SELECT id, row_number, tokens FROM batch_items WHERE provider_job = ? AND status = 'submitted'"
                          " ORDER BY row_number", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_batch_db_error (library, error, _("preparing a provider batch"));
      goto fail;
    }
  sqlite3_bind_int64 (stmt, 1, provider_job);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 item_id = sqlite3_column_int64 (stmt, 0);
      g_autoptr(GHashTable) tokens = px_json_to_table ((const char *) sqlite3_column_text (stmt, 2));
      g_autoptr(GError) row_error = NULL;
      g_autofree char *prompt = px_tokens_resolve (batch->template_prompt, tokens, model->max_prompt_chars,
                                                   &row_error);
      g_autoptr(PxGenerationRequest) request = NULL;
      g_autofree char *key = NULL;
      g_autofree char *line = NULL;

      if (prompt == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Row %u: %s"), (guint) sqlite3_column_int (stmt, 1),
                                                      row_error->message);

          if (!fail_item (library, item_id, message, error))
            goto fail;
          continue;
        }
      request = make_request (batch, prompt, tokens);
      key = g_strdup_printf ("%" PRId64, item_id);
      line = px_batch_wire_line (wire, key, model, request, settings);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
      (*n_lines)++;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!px_library_exec (library, "COMMIT", error))
    goto fail;
  return g_string_free_to_bytes (out);

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_exec (library, "ROLLBACK", NULL);
  g_string_free (out, TRUE);
  return NULL;
}

/* What the provider said of a job (and the file its requests went up in,
 * when @file is not NULL). */
gboolean
px_provider_batch_db_save_job (PxLibrary           *library,
                               const PxProviderJob *job,
                               const char          *file,
                               GError             **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (px_library_get_db (library),
                          "UPDATE provider_jobs SET name = ?2, state = ?3, requests = ?4, succeeded = ?5, failed = ?6,"
                          " error = ?7, file = COALESCE (?8, file), updated = ?9 WHERE id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return px_batch_db_error (library, error, _("saving a provider batch"));
  sqlite3_bind_int64 (stmt, 1, job->id);
  sqlite3_bind_text (stmt, 2, job->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, job->state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, job->requests);
  sqlite3_bind_int64 (stmt, 5, job->succeeded);
  sqlite3_bind_int64 (stmt, 6, job->failed);
  sqlite3_bind_text (stmt, 7, job->error, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, file, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, px_batch_now_seconds ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || px_batch_db_error (library, error, _("saving a provider batch"));
}

/* One result line: its image(s) and its item, or the item failed with the
 * provider's words. FALSE only when the library could not be written. */
static gboolean
ingest_line (PxLibrary        *library,
             PxBatchWire    *wire,
             const PxBatchJob *batch,
             const PxModel    *model,
             GHashTable       *settings,
             gint64            provider_job,
             const char       *line,
             gsize             length,
             guint            *stored,
             GError          **error)
{
  sqlite3 *db = px_library_get_db (library);
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GError) line_error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GHashTable) tokens = NULL;
  g_autoptr(PxGenerationRequest) request = NULL;
  g_autofree char *prompt = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 item_id, image_id = 0;
  gboolean ok;

  ok = px_batch_wire_read_line (wire, line, length, &key, result, &line_error);
  if (key == NULL)
    return TRUE;   /* not one of ours: every item without an answer fails at the end */
  item_id = g_ascii_strtoll (key, NULL, 10);

  if (sqlite3_prepare_v2 (db, "SELECT tokens FROM batch_items WHERE id = ? AND provider_job = ? AND status = 'submitted'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return px_batch_db_error (library, error, _("saving a batch image"));
  sqlite3_bind_int64 (stmt, 1, item_id);
  sqlite3_bind_int64 (stmt, 2, provider_job);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    tokens = px_json_to_table ((const char *) sqlite3_column_text (stmt, 0));
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (tokens == NULL)
    return TRUE;   /* stored already (a resumed download), or not this job's */

  if (!ok)
    return fail_item (library, item_id, line_error->message, error);

  prompt = px_tokens_resolve (batch->template_prompt, tokens, model->max_prompt_chars, NULL);
  request = make_request (batch, prompt ? prompt : batch->template_prompt, tokens);
  result->provider_id = g_strdup (model->provider_id);
  result->model_id = g_strdup (model->id);
  result->settings = g_hash_table_ref (settings);
  result->attempts = 1;
  result->cost = px_engine_cost_of (model, settings, result) * PX_PROVIDER_BATCH_PRICE;

  for (guint i = 0; i < result->images->len; i++)
    {
      gint64 id = px_library_add_batch_generation (library, request, result, i, "batch", batch->id, error);

      if (id == 0)
        return FALSE;
      if (image_id == 0)
        image_id = id;
    }
  if (sqlite3_prepare_v2 (db, "UPDATE batch_items SET status = 'completed', error = NULL, image_id = ?1, cost = ?2,"
                              " updated = ?3 WHERE id = ?4 AND status = 'submitted'", -1, &stmt, NULL) != SQLITE_OK)
    return px_batch_db_error (library, error, _("saving a batch image"));
  sqlite3_bind_int64 (stmt, 1, image_id);
  sqlite3_bind_double (stmt, 2, result->cost);
  sqlite3_bind_int64 (stmt, 3, px_batch_now_seconds ());
  sqlite3_bind_int64 (stmt, 4, item_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_finalize (stmt);
      return px_batch_db_error (library, error, _("saving a batch image"));
    }
  sqlite3_finalize (stmt);
  (*stored)++;
  return TRUE;
}

static gboolean
commit_chunk (PxLibrary  *library,
              gint64      batch_id,
              gboolean    commit,
              GError    **error)
{
  gboolean ok;

  /* The chunk's files on the disk before the rows that point to them. */
  ok = commit && px_library_sync_staged (library, error);
  px_library_stop_staging (library);
  ok = ok && px_library_exec (library, "COMMIT", error);
  if (!ok)
    px_library_exec (library, "ROLLBACK", NULL);
  px_library_move_staged (library, batch_id);
  return ok;
}

/* Stores the results file of a provider job a chunk of lines per
 * transaction; a line already stored (a killed process read it before) is
 * skipped, so reading the file again is always safe. */
gboolean
px_provider_batch_db_ingest (PxLibrary        *library,
                             PxBatchWire    *wire,
                             const PxBatchJob *batch,
                             const PxModel    *model,
                             gint64            provider_job,
                             const char       *path,
                             PxIngestProgress  progress,
                             gpointer          progress_data,
                             guint            *stored,
                             GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, error);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GHashTable) settings = px_model_resolve_settings (model, batch->settings, NULL);
  guint in_chunk = 0;
  gboolean open = FALSE;

  *stored = 0;
  if (input == NULL)
    return FALSE;
  if (settings == NULL)
    settings = g_hash_table_ref (batch->settings);
  lines = g_data_input_stream_new (G_INPUT_STREAM (input));
  for (;;)
    {
      g_autoptr(GError) read_error = NULL;
      gsize length = 0;
      g_autofree char *line = g_data_input_stream_read_upto (lines, "\n", 1, &length, NULL, &read_error);

      if (line == NULL && read_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          break;
        }
      if (line == NULL)
        break;
      g_data_input_stream_read_byte (lines, NULL, NULL);   /* the newline */
      if (length == 0)
        continue;
      if (!open)
        {
          px_library_lock (library);
          if (!px_library_exec (library, "BEGIN IMMEDIATE", error))
            {
              px_library_unlock (library);
              return FALSE;
            }
          px_library_start_staging_many (library, batch->id);
          open = TRUE;
        }
      if (!ingest_line (library, wire, batch, model, settings, provider_job, line, length, stored, error))
        {
          commit_chunk (library, batch->id, FALSE, NULL);
          px_library_unlock (library);
          return FALSE;
        }
      if (++in_chunk == INGEST_CHUNK)
        {
          gboolean ok = commit_chunk (library, batch->id, TRUE, error);

          px_library_unlock (library);
          open = FALSE;
          in_chunk = 0;
          if (!ok)
            return FALSE;
          if (progress != NULL)
            progress (progress_data, *stored);
          px_thread_yield_to_ui ();
        }
    }
  if (open)
    {
      gboolean ok = commit_chunk (library, batch->id, error == NULL || *error == NULL, error);

      px_library_unlock (library);
      return ok;
    }
  return error == NULL || *error == NULL;
}

/* A job has ended and what it made is stored: the items it still has end
 * as @item_status with @reason, and the job is done with. */
gboolean
px_provider_batch_db_close_job (PxLibrary   *library,
                                gint64       provider_job,
                                const char  *item_status,
                                const char  *reason,
                                GError     **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!px_library_exec (library, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (sqlite3_prepare_v2 (px_library_get_db (library),
                          "UPDATE batch_items SET status = ?2, error = ?3, updated = ?4"
                          " WHERE provider_job = ?1 AND status = 'submitted'", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, provider_job);
  sqlite3_bind_text (stmt, 2, item_status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, px_batch_now_seconds ());
  rc = sqlite3_step (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_DONE ||
      !px_batch_runner_run_sql (library, "UPDATE provider_jobs SET ingested = 1, updated = ?2 WHERE id = ?1",
                                provider_job, NULL, error) ||
      !px_library_exec (library, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  if (error != NULL && *error == NULL)
    px_batch_db_error (library, error, _("saving a provider batch"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_exec (library, "ROLLBACK", NULL);
  return FALSE;
}

gboolean
px_provider_batch_db_set_status (PxLibrary   *library,
                                 gint64       batch_id,
                                 const char  *status,
                                 const char  *reason,
                                 GError     **error)
{
  PX_LIBRARY_WRITE (library);

  return px_batch_runner_run_sql_status (library, batch_id, status, reason, error);
}
