/* px-library-ai-videos.c: videos asked of a provider. A job's row is
 * written before its request is sent ("sending"), gets the provider's
 * operation name as soon as it answers ("running"), and ends "done" (with
 * the video) or "failed" (with the provider's reason). A row still
 * "sending" after a crash cannot be looked up again: it becomes "unknown",
 * which the app reports as possibly paid, and is never sent again. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-library-private.h"

void
px_ai_video_job_free (PxAiVideoJob *job)
{
  if (job == NULL)
    return;
  g_free (job->provider);
  g_free (job->model);
  g_free (job->prompt);
  g_free (job->resolution);
  g_free (job->aspect_ratio);
  g_free (job->state);
  g_free (job->operation);
  g_free (job->error);
  g_free (job);
}

#define JOB_COLUMNS "id, image_id, provider, model, prompt, seconds, resolution, aspect_ratio, estimate, state," \
                    " operation, error, video_id, created"

static PxAiVideoJob *
read_job (sqlite3_stmt *stmt)
{
  PxAiVideoJob *job = g_new0 (PxAiVideoJob, 1);

  job->id = sqlite3_column_int64 (stmt, 0);
  job->image_id = sqlite3_column_int64 (stmt, 1);
  job->provider = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  job->model = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  job->prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  job->seconds = sqlite3_column_int (stmt, 5);
  job->resolution = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  job->aspect_ratio = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  job->estimate = sqlite3_column_double (stmt, 8);
  job->state = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  job->operation = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  job->error = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  job->video_id = sqlite3_column_int64 (stmt, 12);
  job->created = sqlite3_column_int64 (stmt, 13);
  return job;
}

/* Writes @job (state "sending") before anything is sent; its id. */
gint64
px_library_add_ai_video_job (PxLibrary           *self,
                             const PxAiVideoJob  *job,
                             GError             **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = 0;

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO ai_video_jobs (image_id, provider, model, prompt, seconds, resolution,"
                                    " aspect_ratio, estimate, state, created, updated)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'sending', ?9, ?9)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving a video job"));
      return 0;
    }
  if (job->image_id > 0)
    sqlite3_bind_int64 (stmt, 1, job->image_id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, job->provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, job->model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, job->prompt ? job->prompt : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, job->seconds);
  sqlite3_bind_text (stmt, 6, job->resolution, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, job->aspect_ratio, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 8, job->estimate);
  sqlite3_bind_int64 (stmt, 9, now);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    id = sqlite3_last_insert_rowid (self->db);
  else
    px_library_db_error (self, error, _("saving a video job"));
  sqlite3_finalize (stmt);
  return id;
}

/* Moves job @id on: its state, and the operation, error or video when
 * given (NULL/0 keep what is there). */
gboolean
px_library_update_ai_video_job (PxLibrary   *self,
                                gint64       id,
                                const char  *state,
                                const char  *operation,
                                const char  *error_message,
                                gint64       video_id,
                                GError     **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (self->db, "UPDATE ai_video_jobs SET state = ?2, operation = COALESCE (?3, operation),"
                                    " error = COALESCE (?4, error), video_id = COALESCE (?5, video_id), updated = ?6"
                                    " WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (self, error, _("saving a video job"));
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_TRANSIENT);
  if (operation != NULL)
    sqlite3_bind_text (stmt, 3, operation, -1, SQLITE_TRANSIENT);
  if (error_message != NULL)
    sqlite3_bind_text (stmt, 4, error_message, -1, SQLITE_TRANSIENT);
  if (video_id > 0)
    sqlite3_bind_int64 (stmt, 5, video_id);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (!ok)
    return px_library_db_error (self, error, _("saving a video job"));
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                   _("There is no video job %" PRId64 " in the library."), id);
      return FALSE;
    }
  return TRUE;
}

PxAiVideoJob *
px_library_get_ai_video_job (PxLibrary  *self,
                             gint64      id,
                             GError    **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  PxAiVideoJob *job = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT " JOB_COLUMNS " FROM ai_video_jobs WHERE id = ?", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading a video job"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    job = read_job (stmt);
  else
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                 _("There is no video job %" PRId64 " in the library."), id);
  sqlite3_finalize (stmt);
  return job;
}

/* Every job, newest first; or only those still running at the provider. */
GPtrArray *
px_library_list_ai_video_jobs (PxLibrary  *self,
                               gboolean    unfinished,
                               GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) px_ai_video_job_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, unfinished ? "SELECT " JOB_COLUMNS " FROM ai_video_jobs WHERE state = 'running'"
                                                 " ORDER BY id"
                                               : "SELECT " JOB_COLUMNS " FROM ai_video_jobs ORDER BY id DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading the video jobs"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (jobs, read_job (stmt));
  sqlite3_finalize (stmt);
  return g_steal_pointer (&jobs);
}

/* After a crash: jobs that were being sent may or may not exist at the
 * provider, and cannot be found again; they are marked so (never sent
 * twice). How many. */
guint
px_library_recover_ai_video_jobs (PxLibrary  *self,
                                  GError    **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  guint changed = 0;

  if (sqlite3_prepare_v2 (self->db, "UPDATE ai_video_jobs SET state = 'unknown', error = ?1, updated = ?2"
                                    " WHERE state = 'sending'", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving a video job"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, _("Pixmerge stopped while the request was being sent. The provider may have made the "
                                "video, and may charge for it, but it cannot be found again; it was not asked a "
                                "second time."), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    changed = sqlite3_changes (self->db);
  else
    px_library_db_error (self, error, _("saving a video job"));
  sqlite3_finalize (stmt);
  return changed;
}
