/* px-batch.c: batches in the library and the runner that works through
 * them. Everything a batch is lives in batch_jobs / batch_items before the
 * first request, and each item ends in one transaction that adds its image
 * row and marks it completed, its file staged before and moved after, so a
 * process killed at any moment leaves each row either done once or still
 * to do. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-batch.h"
#include "px-csv.h"
#include "px-json.h"
#include "px-library-private.h"
#include "px-provider.h"
#include "px-tokens.h"

G_DEFINE_QUARK (px-batch-error-quark, px_batch_error)

void
px_batch_job_free (PxBatchJob *job)
{
  if (job == NULL)
    return;
  g_free (job->template_prompt);
  g_free (job->model_id);
  g_clear_pointer (&job->settings, g_hash_table_unref);
  g_clear_pointer (&job->tokens, g_hash_table_unref);
  g_strfreev (job->columns);
  g_free (job->status);
  g_free (job);
}

void
px_batch_item_free (PxBatchItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->tokens, g_hash_table_unref);
  g_free (item);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
db_error (PxLibrary   *library,
          GError     **error,
          const char  *what)
{
  g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE,
               _("The library database failed while %s: %s"), what, sqlite3_errmsg (px_library_get_db (library)));
  return FALSE;
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
strv_to_json (const char * const *values,
              guint               n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (builder, values[i] ? values[i] : "");
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return node_to_string (root);
}

static char **
json_to_strv (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL) &&
      JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      array = json_node_get_array (json_parser_get_root (parser));
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }
  return g_strv_builder_end (builder);
}

/* Saves the batch and all its items in one transaction: after this, the
 * batch survives anything. */
gint64
px_batch_create (PxLibrary          *library,
                 const PxBatchSpec  *spec,
                 GError            **error)
{
  sqlite3 *db = px_library_get_db (library);
  g_autofree char *settings = px_json_from_table (spec->settings);
  g_autofree char *tokens = px_json_from_table (spec->tokens);
  g_auto(GStrv) names = NULL;
  g_autofree char *columns = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_columns = g_strv_length ((char **) spec->columns);
  gint64 now = now_seconds ();
  gint64 id;

  g_return_val_if_fail (PX_IS_LIBRARY (library), 0);

  if (spec->rows == NULL || spec->rows->len == 0)
    {
      g_set_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_INVALID, _("The batch has no rows."));
      return 0;
    }

  names = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    names[c] = px_csv_normalize_header (spec->columns[c]);
  columns = strv_to_json (spec->columns, n_columns);

  if (!px_library_exec (library, "BEGIN IMMEDIATE", error))
    return 0;

  if (sqlite3_prepare_v2 (db, "INSERT INTO batch_jobs (template_prompt, model, settings, tokens, status, total, columns,"
                              " budget, concurrency, created, updated) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, spec->template_prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, spec->model_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, settings, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, tokens, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, spec->rows->len);
  sqlite3_bind_text (stmt, 6, columns, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 7, spec->budget);
  sqlite3_bind_int (stmt, 8, spec->concurrency);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_int64 (stmt, 10, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);
  id = sqlite3_last_insert_rowid (db);

  if (sqlite3_prepare_v2 (db, "INSERT INTO batch_items (job_id, row_number, tokens, cells, status, created, updated)"
                              " VALUES (?, ?, ?, ?, 'pending', ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint r = 0; r < spec->rows->len; r++)
    {
      const char * const *cells = g_ptr_array_index (spec->rows, r);
      g_autoptr(GHashTable) merged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autofree char *row_tokens = NULL;
      g_autofree char *row_cells = NULL;
      GHashTableIter iter;
      gpointer key, value;

      if (spec->tokens != NULL)
        {
          g_hash_table_iter_init (&iter, spec->tokens);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_insert (merged, g_strdup (key), g_strdup (value));
        }
      /* An empty cell does not override a global value. */
      for (guint c = 0; c < n_columns && cells[c] != NULL; c++)
        if (names[c] != NULL && *cells[c] != '\0')
          g_hash_table_insert (merged, g_strdup (names[c]), g_strdup (cells[c]));
      row_tokens = px_json_from_table (merged);
      row_cells = strv_to_json (cells, n_columns);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, r + 1);
      sqlite3_bind_text (stmt, 3, row_tokens, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, row_cells, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, now);
      sqlite3_bind_int64 (stmt, 6, now);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!px_library_exec (library, "COMMIT", error))
    return 0;
  return id;

fail:
  db_error (library, error, _("saving a batch"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_exec (library, "ROLLBACK", NULL);
  return 0;
}

static void
count_items (PxLibrary  *library,
             PxBatchJob *job)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (px_library_get_db (library),
                          "SELECT status, COUNT(*), SUM(cost) FROM batch_items WHERE job_id = ? GROUP BY status",
                          -1, &stmt, NULL) != SQLITE_OK)
    return;
  sqlite3_bind_int64 (stmt, 1, job->id);
  job->pending = job->completed = job->failed = job->cancelled = 0;
  job->cost = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 0);
      guint n = sqlite3_column_int (stmt, 1);

      job->cost += sqlite3_column_double (stmt, 2);
      if (g_str_equal (status, "completed"))
        job->completed = n;
      else if (g_str_equal (status, "failed"))
        job->failed = n;
      else if (g_str_equal (status, "cancelled"))
        job->cancelled = n;
      else
        job->pending += n;
    }
  sqlite3_finalize (stmt);
}

static PxBatchJob *
job_from_row (PxLibrary    *library,
              sqlite3_stmt *stmt)
{
  PxBatchJob *job = g_new0 (PxBatchJob, 1);

  job->id = sqlite3_column_int64 (stmt, 0);
  job->template_prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  job->model_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  job->settings = px_json_to_table ((const char *) sqlite3_column_text (stmt, 3));
  job->tokens = px_json_to_table ((const char *) sqlite3_column_text (stmt, 4));
  job->status = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  job->total = sqlite3_column_int (stmt, 6);
  job->columns = json_to_strv ((const char *) sqlite3_column_text (stmt, 7));
  job->budget = sqlite3_column_double (stmt, 8);
  job->concurrency = sqlite3_column_int (stmt, 9);
  job->created = sqlite3_column_int64 (stmt, 10);
  count_items (library, job);
  return job;
}

#define JOB_COLUMNS "id, template_prompt, model, settings, tokens, status, total, columns, budget, concurrency, created"

PxBatchJob *
px_batch_get (PxLibrary  *library,
              gint64      id,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  PxBatchJob *job = NULL;

  if (sqlite3_prepare_v2 (px_library_get_db (library), "SELECT " JOB_COLUMNS " FROM batch_jobs WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      db_error (library, error, _("reading a batch"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    job = job_from_row (library, stmt);
  sqlite3_finalize (stmt);
  if (job == NULL)
    g_set_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_NOT_FOUND,
                 _("There is no batch %" G_GINT64_FORMAT " in the library."), id);
  return job;
}

GPtrArray *
px_batch_list (PxLibrary  *library,
               GError    **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) px_batch_job_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (px_library_get_db (library), "SELECT " JOB_COLUMNS " FROM batch_jobs ORDER BY id DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      db_error (library, error, _("reading batches"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (jobs, job_from_row (library, stmt));
  sqlite3_finalize (stmt);
  return g_steal_pointer (&jobs);
}

/* The input columns, then what became of each row. Formula-safe, written
 * whole or not at all. */
gboolean
px_batch_export_csv (PxLibrary   *library,
                     gint64       id,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(PxBatchJob) job = px_batch_get (library, id, error);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) header = g_ptr_array_new ();
  sqlite3_stmt *stmt = NULL;
  guint n_columns;

  if (job == NULL)
    return FALSE;

  n_columns = g_strv_length (job->columns);
  for (guint c = 0; c < n_columns; c++)
    g_ptr_array_add (header, job->columns[c]);
  g_ptr_array_add (header, (gpointer) "status");
  g_ptr_array_add (header, (gpointer) "error");
  g_ptr_array_add (header, (gpointer) "image_file");
  g_ptr_array_add (header, (gpointer) "model");
  g_ptr_array_add (header, (gpointer) "cost");
  g_ptr_array_add (header, (gpointer) "time_ms");
  px_csv_append_row (out, (const char * const *) header->pdata, header->len);

  if (sqlite3_prepare_v2 (px_library_get_db (library),
                          "SELECT batch_items.cells, batch_items.status, batch_items.error, images.file,"
                          " batch_items.cost, batch_items.generation_ms"
                          " FROM batch_items LEFT JOIN images ON images.id = batch_items.image_id"
                          " WHERE batch_items.job_id = ? ORDER BY batch_items.row_number", -1, &stmt, NULL) != SQLITE_OK)
    return db_error (library, error, _("exporting a batch"));
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) cells = json_to_strv ((const char *) sqlite3_column_text (stmt, 0));
      const char *file = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *full = file ? g_build_filename (px_library_get_directory (library), file, NULL) : NULL;
      g_autofree char *cost = g_strdup_printf ("%.4f", sqlite3_column_double (stmt, 4));
      g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 5));
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (fields, c < g_strv_length (cells) ? cells[c] : (char *) "");
      g_ptr_array_add (fields, (gpointer) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (fields, (gpointer) (sqlite3_column_text (stmt, 2) ? (const char *) sqlite3_column_text (stmt, 2) : ""));
      g_ptr_array_add (fields, full ? full : (char *) "");
      g_ptr_array_add (fields, job->model_id);
      g_ptr_array_add (fields, cost);
      g_ptr_array_add (fields, ms);
      px_csv_append_row (out, (const char * const *) fields->pdata, fields->len);
    }
  sqlite3_finalize (stmt);

  return g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

double
px_batch_estimate_cost (PxCatalog  *catalog,
                        const char *model_id,
                        GHashTable *settings,
                        guint       n_images)
{
  const PxModel *model = px_catalog_lookup_model (catalog, model_id, NULL);

  return model ? px_model_price_per_image (model, settings) * MAX (1u, px_model_get_count (model, settings)) * n_images : 0;
}

double
px_batch_estimate_seconds (guint  n_items,
                           guint  concurrency,
                           double seconds_per_image)
{
  return ((n_items + MAX (1u, concurrency) - 1) / MAX (1u, concurrency)) * seconds_per_image;
}

/* ---- the runner ---- */

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
  OP_REFRESH,
} OpKind;

typedef struct {
  OpKind               kind;
  guint                count;      /* TAKE */
  gint64               item_id;
  PxGenerationRequest *request;    /* COMPLETE */
  PxGenerationResult  *result;
  char                *text;       /* FAIL: error; SET_STATUS: status */
} Op;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->request, px_generation_request_free);
  g_clear_pointer (&op->result, px_generation_result_free);
  g_free (op->text);
  g_free (op);
}

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
};

G_DEFINE_FINAL_TYPE (PxBatchRunner, px_batch_runner, G_TYPE_OBJECT)

enum {
  PROGRESS,
  ITEM_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fill (PxBatchRunner *self);

static gboolean
run_sql (PxLibrary   *library,
          const char  *sql,
          gint64       id,
          const char  *text,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (px_library_get_db (library), sql, -1, &stmt, NULL) != SQLITE_OK)
    return db_error (library, error, _("updating a batch"));
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  if (text != NULL)
    sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || db_error (library, error, _("updating a batch"));
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
    if (!run_sql (self->library, "UPDATE batch_items SET status = 'processing', attempts = attempts + 1, updated = ?2"
                                  " WHERE id = ?1", ((PxBatchItem *) g_ptr_array_index (items, i))->id, NULL, error))
      goto fail;
  if (!px_library_exec (self->library, "COMMIT", error))
    goto fail;
  return g_steal_pointer (&items);

fail:
  if (error != NULL && *error == NULL)
    db_error (self->library, error, _("taking batch items"));
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
  if (sqlite3_prepare_v2 (db, "UPDATE batch_items SET status = 'completed', error = NULL, image_id = ?, cost = ?,"
                              " generation_ms = ?, updated = ? WHERE id = ? AND status = 'processing'",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, image_id);
  sqlite3_bind_double (stmt, 2, op->result->cost);
  sqlite3_bind_int64 (stmt, 3, op->result->generation_ms);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  sqlite3_bind_int64 (stmt, 5, op->item_id);
  if (sqlite3_step (stmt) != SQLITE_DONE || sqlite3_changes (db) != 1)
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!px_library_exec (self->library, "COMMIT", error))
    goto fail;
  px_library_move_staged (self->library, self->job_id);
  return image_id;

fail:
  if (error != NULL && *error == NULL)
    db_error (self->library, error, _("saving a batch image"));
  g_clear_pointer (&stmt, sqlite3_finalize);
  px_library_stop_staging (self->library);
  px_library_exec (self->library, "ROLLBACK", NULL);
  px_library_move_staged (self->library, self->job_id);
  return 0;
}

static void
db_worker (gpointer data,
           gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PxBatchRunner *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = TRUE;

  switch (op->kind)
    {
    case OP_RECOVER:
      /* Work a killed process had started is to be done again; files it
       * staged either became rows (move them) or did not (delete them). */
      ok = run_sql (self->library, "UPDATE batch_items SET status = 'pending', updated = ?2"
                                   " WHERE job_id = ?1 AND status = 'processing'", self->job_id, NULL, &error);
      px_library_move_staged (self->library, self->job_id);
      break;

    case OP_TAKE:
      {
        GPtrArray *items = take_pending (self, op->count, &error);

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
          g_task_return_int (task, image_id);
        return;
      }

    case OP_FAIL:
      ok = run_sql (self->library, "UPDATE batch_items SET status = 'failed', updated = ?2, error = ?3 WHERE id = ?1",
                    op->item_id, op->text, &error);
      break;

    case OP_CANCEL_PENDING:
      ok = run_sql (self->library, "UPDATE batch_items SET status = 'cancelled', updated = ?2"
                                   " WHERE job_id = ?1 AND status IN ('pending', 'processing')", self->job_id, NULL, &error);
      break;

    case OP_SET_STATUS:
      ok = run_sql (self->library, "UPDATE batch_jobs SET status = ?3, updated = ?2 WHERE id = ?1",
                    self->job_id, op->text, &error);
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

static void
push_op (PxBatchRunner       *self,
         Op                  *op,
         GAsyncReadyCallback  callback)
{
  GTask *task = g_task_new (self, NULL, callback, NULL);

  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
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
      fail_run (self, error);
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

static void
set_status (PxBatchRunner *self,
            const char    *status)
{
  Op *op = op_new (OP_SET_STATUS);

  op->text = g_strdup (status);
  g_free (self->job->status);
  self->job->status = g_strdup (status);
  push_op (self, op, on_op_done);
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
  if (!self->exhausted || self->paused)
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
      fail_run (self, error);
      return;
    }
  self->job->completed++;
  self->job->pending--;
  g_signal_emit (self, signals[ITEM_CHANGED], 0, op->item_id, "completed", image_id);
  g_signal_emit (self, signals[PROGRESS], 0);
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
  Op *op;

  self->in_flight--;
  if (generated != NULL)
    {
      /* The spend cap counts an image as soon as it is paid for, so no new
       * item starts once the cost reaches it (those in flight still land). */
      self->job->cost += generated->cost;
      if (self->job->budget > 0 && self->job->cost >= self->job->budget && !self->over_budget)
        {
          self->over_budget = TRUE;
          self->paused = TRUE;
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
  else
    {
      op = op_new (OP_FAIL);
      op->item_id = flight->item_id;
      op->text = g_strdup (error->message);
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
  if (items == NULL)
    {
      fail_run (self, error);
      return;
    }
  if (items->len == 0)
    self->exhausted = TRUE;
  for (guint i = 0; i < items->len; i++)
    start_item (self, g_ptr_array_index (items, i));
  fill (self);
  maybe_finish (self);
}

/* Keeps as many items in the engine as the batch may run at once (the
 * engine's own per-provider limits apply on top). */
static void
fill (PxBatchRunner *self)
{
  guint limit = self->job->concurrency > 0 ? self->job->concurrency : 4;
  Op *op;

  if (self->run == NULL || self->paused || self->cancelled || self->taking || self->exhausted ||
      self->in_flight >= limit)
    return;

  op = op_new (OP_TAKE);
  op->count = limit - self->in_flight;
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
  self->db = g_thread_pool_new (db_worker, self, 1, FALSE, NULL);
  return g_steal_pointer (&self);
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
      fail_run (self, error);
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
  if (self->job->budget > 0 && self->job->cost + estimate > self->job->budget)
    {
      g_autoptr(GTask) run = g_steal_pointer (&self->run);

      g_task_return_new_error (run, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET,
                               _("The batch would cost about $%.2f, more than its spend cap of $%.2f; it was not "
                                 "started."), self->job->cost + estimate, self->job->budget);
      return;
    }

  self->cancelled = self->over_budget = self->exhausted = FALSE;
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
  set_status (self, "running");
  fill (self);
}

gboolean
px_batch_runner_is_paused (PxBatchRunner *self)
{
  return self->paused;
}

/* Stops requests in flight and marks everything unfinished cancelled. */
void
px_batch_runner_cancel (PxBatchRunner *self)
{
  if (self->run == NULL || self->cancelled)
    return;
  self->cancelled = TRUE;
  g_cancellable_cancel (self->cancellable);
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

  if (!run_sql (self->library, "UPDATE batch_items SET status = 'pending', error = NULL, updated = ?2"
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
}

static void
px_batch_runner_init (PxBatchRunner *self)
{
}
