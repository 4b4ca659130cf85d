/* px-batch.c: batches in the library (the store; px-batch-runner.c works
 * through them). Everything a batch is lives in batch_jobs / batch_items before the
 * first request, and each item ends in one transaction that adds its image
 * row and marks it completed, its file staged before and moved after, so a
 * process killed at any moment leaves each row either done once or still
 * to do. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-batch.h"
#include "px-batch-private.h"
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
  g_free (job->reason);
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

gint64
px_batch_now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
px_batch_db_error (PxLibrary   *library,
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

  if (json != NULL && px_json_load (parser, json, -1, NULL) &&
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
  PX_LIBRARY_WRITE (library);
  sqlite3 *db = px_library_get_db (library);
  g_autofree char *settings = px_json_from_table (spec->settings);
  g_autofree char *tokens = px_json_from_table (spec->tokens);
  g_auto(GStrv) names = NULL;
  g_autofree char *columns = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_columns = g_strv_length ((char **) spec->columns);
  gint64 now = px_batch_now_seconds ();
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
                              " budget, concurrency, created, updated, engine)"
                              " VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)",
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
  sqlite3_bind_text (stmt, 11, spec->provider_batch ? "provider" : "direct", -1, SQLITE_STATIC);
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
  px_batch_db_error (library, error, _("saving a batch"));
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
                          "SELECT status, COUNT(*), SUM(cost), SUM(possibly_paid) FROM batch_items WHERE job_id = ? GROUP BY status",
                          -1, &stmt, NULL) != SQLITE_OK)
    return;
  sqlite3_bind_int64 (stmt, 1, job->id);
  job->pending = job->completed = job->failed = job->cancelled = 0;
  job->cost = job->possibly_paid = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 0);
      guint n = sqlite3_column_int (stmt, 1);

      job->cost += sqlite3_column_double (stmt, 2);
      job->possibly_paid += sqlite3_column_double (stmt, 3);
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
  job->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  job->provider_batch = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 12), "provider") == 0;
  count_items (library, job);
  return job;
}

#define JOB_COLUMNS "id, template_prompt, model, settings, tokens, status, total, columns, budget, concurrency, created, reason, engine"

PxBatchJob *
px_batch_get (PxLibrary  *library,
              gint64      id,
              GError    **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3_stmt *stmt = NULL;
  PxBatchJob *job = NULL;

  if (sqlite3_prepare_v2 (px_library_get_db (library), "SELECT " JOB_COLUMNS " FROM batch_jobs WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_batch_db_error (library, error, _("reading a batch"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    job = job_from_row (library, stmt);
  sqlite3_finalize (stmt);
  if (job == NULL)
    g_set_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_NOT_FOUND,
                 _("There is no batch %" PRId64 " in the library."), id);
  return job;
}

/* Before a resume: another model (the batch's was retired) and/or another
 * concurrency. NULL / 0 keep what the batch has. */
gboolean
px_batch_update (PxLibrary   *library,
                 gint64       id,
                 const char  *model_id,
                 guint        concurrency,
                 GError     **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3 *db = px_library_get_db (library);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "UPDATE batch_jobs SET model = COALESCE (?2, model),"
                              " concurrency = COALESCE (?3, concurrency), updated = ?4 WHERE id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return px_batch_db_error (library, error, _("changing a batch"));
  sqlite3_bind_int64 (stmt, 1, id);
  if (model_id != NULL)
    sqlite3_bind_text (stmt, 2, model_id, -1, SQLITE_STATIC);
  if (concurrency > 0)
    sqlite3_bind_int (stmt, 3, (int) MIN (concurrency, 32));
  sqlite3_bind_int64 (stmt, 4, px_batch_now_seconds ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return px_batch_db_error (library, error, _("changing a batch"));
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_NOT_FOUND,
                   _("There is no batch %" PRId64 " in the library."), id);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
px_batch_list (PxLibrary  *library,
               GError    **error)
{
  PX_LIBRARY_WRITE (library);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) px_batch_job_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (px_library_get_db (library), "SELECT " JOB_COLUMNS " FROM batch_jobs ORDER BY id DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_batch_db_error (library, error, _("reading batches"));
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
  PX_LIBRARY_WRITE (library);
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
    return px_batch_db_error (library, error, _("exporting a batch"));
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
  g_autoptr(GHashTable) resolved = model ? px_model_resolve_settings (model, settings, NULL) : NULL;

  /* Priced with the settings as they will be sent, defaults filled in:
   * the price rules name quality and size together. */
  if (model == NULL)
    return 0;
  if (resolved == NULL)
    resolved = settings ? g_hash_table_ref (settings) : NULL;
  return px_model_price_per_image (model, resolved) * MAX (1u, px_model_get_count (model, resolved)) * n_images;
}

double
px_batch_estimate_seconds (guint  n_items,
                           guint  concurrency,
                           double seconds_per_image)
{
  return ((n_items + MAX (1u, concurrency) - 1) / MAX (1u, concurrency)) * seconds_per_image;
}

