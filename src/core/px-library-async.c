/* px-library-async.c: how the app reaches the library without blocking its
 * window. Writes queue on the library's one writer thread, in the order they
 * were asked for; reads run on GIO's worker threads with their own read-only
 * connections. Either way the answer comes back on the caller's main
 * context. The main-thread guard makes a library call made from the main
 * loop abort, so the test suite catches any that slips back in. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "px-library-private.h"

#define MAX_IDLE_READERS 4

static gboolean main_thread_guard;

/* On in debug builds of the app and in every UI test: a library call from
 * the thread that is running the default main context is a bug. */
void
px_library_set_main_thread_guard (gboolean enabled)
{
  main_thread_guard = enabled;
}

gboolean
px_library_get_main_thread_guard (void)
{
  return main_thread_guard;
}

gboolean
px_library_check_thread (const char *function)
{
  if (main_thread_guard && g_main_context_is_owner (g_main_context_default ()))
    g_error ("%s ran on the main loop: library calls go through px_library_read_async() or "
             "px_library_write_async()", function);
  return TRUE;
}

/* The one-writer lock, held until the returned locker is freed. */
GRecMutexLocker *
px_library_write_lock (PxLibrary  *self,
                       const char *function)
{
  px_library_check_thread (function);
  return g_rec_mutex_locker_new (&self->lock);
}

/* A thread's reads that must agree (a count and the rows it counts) share
 * one read transaction on one connection. */
typedef struct {
  PxLibrary *library;
  sqlite3   *db;
} Snapshot;

static GPrivate snapshot_key = G_PRIVATE_INIT (g_free);

/* Until px_library_end_snapshot(), this thread's reads of self see the
 * library as it is now, whatever is committed meanwhile. */
gboolean
px_library_begin_snapshot (PxLibrary  *self,
                           GError    **error)
{
  Snapshot *snapshot;
  sqlite3 *db;

  g_return_val_if_fail (g_private_get (&snapshot_key) == NULL, FALSE);

  db = px_library_reader_take (self, error);
  if (db == NULL)
    return FALSE;
  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("reading"));
      px_library_reader_give (self, db);
      return FALSE;
    }
  snapshot = g_new0 (Snapshot, 1);
  snapshot->library = self;
  snapshot->db = db;
  g_private_set (&snapshot_key, snapshot);
  return TRUE;
}

void
px_library_end_snapshot (PxLibrary *self)
{
  Snapshot *snapshot = g_private_get (&snapshot_key);
  sqlite3 *db;

  g_return_if_fail (snapshot != NULL && snapshot->library == self);

  db = snapshot->db;
  g_private_replace (&snapshot_key, NULL);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  px_library_reader_give (self, db);
}

sqlite3 *
px_library_reader_take (PxLibrary  *self,
                        GError    **error)
{
  Snapshot *snapshot = g_private_get (&snapshot_key);
  sqlite3 *db = NULL;

  if (snapshot != NULL && snapshot->library == self)
    return snapshot->db;

  g_mutex_lock (&self->readers_lock);
  if (self->readers->len > 0)
    db = g_ptr_array_steal_index_fast (self->readers, self->readers->len - 1);
  g_mutex_unlock (&self->readers_lock);

  return db != NULL ? db : px_library_open_reader (self, error);
}

void
px_library_reader_give (PxLibrary *self,
                        sqlite3   *db)
{
  Snapshot *snapshot = g_private_get (&snapshot_key);

  if (db == NULL || (snapshot != NULL && snapshot->db == db))
    return;

  g_mutex_lock (&self->readers_lock);
  if (self->readers->len < MAX_IDLE_READERS)
    {
      g_ptr_array_add (self->readers, db);
      db = NULL;
    }
  g_mutex_unlock (&self->readers_lock);
  px_library_close_reader (db);
}

void
px_library_lock (PxLibrary *self)
{
  px_library_check_thread (G_STRFUNC);
  g_rec_mutex_lock (&self->lock);
}

void
px_library_unlock (PxLibrary *self)
{
  g_rec_mutex_unlock (&self->lock);
}

typedef struct {
  PxLibraryFunc  func;
  gpointer       data;
  GDestroyNotify data_free;
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
run_job (GTask *task)
{
  PxLibrary *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (job->func (self, job->data, g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE,
                             _("The library could not do what was asked."));
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  run_job (task);
}

static void
run_on_writer (gpointer data,
               gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PxLibrary *self = user_data;

  self->writer_thread = g_thread_self ();
  run_job (task);
}

static GTask *
new_task (PxLibrary           *self,
          PxLibraryFunc        func,
          gpointer             data,
          GDestroyNotify       data_free,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  return task;
}

/* Runs func (self, data, cancellable, error) on the writer thread after the
 * writes queued before it. A cancelled caller still gets its write done
 * (nothing half-written), but its callback is told G_IO_ERROR_CANCELLED. */
void
px_library_write_async (PxLibrary           *self,
                        PxLibraryFunc        func,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PX_IS_LIBRARY (self));
  g_return_if_fail (func != NULL);

  task = new_task (self, func, data, data_free, cancellable, callback, user_data, px_library_write_async);
  g_task_set_name (task, "[pixmerge] library write");
  if (self->writer == NULL)
    self->writer = g_thread_pool_new (run_on_writer, self, 1, FALSE, NULL);
  g_thread_pool_push (self->writer, task, NULL);
}

/* Runs func on a worker thread, beside other reads and the writer. */
void
px_library_read_async (PxLibrary           *self,
                       PxLibraryFunc        func,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PX_IS_LIBRARY (self));
  g_return_if_fail (func != NULL);

  task = new_task (self, func, data, data_free, cancellable, callback, user_data, px_library_read_async);
  g_task_set_name (task, "[pixmerge] library read");
  g_task_run_in_thread (task, run_in_thread);
}

/* TRUE when func succeeded; *data (optional) is the data given to the call,
 * with whatever func put there, owned by the result until the callback
 * returns. */
gboolean
px_library_run_finish (PxLibrary     *self,
                       GAsyncResult  *result,
                       gpointer      *data,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (data != NULL)
    *data = ((Job *) g_task_get_task_data (G_TASK (result)))->data;
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  PxLibraryListFunc list;
} List;

static void
list_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *items = ((List *) task_data)->list (source_object, &error);

  if (items != NULL)
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

/* One of the library's lists (px_library_list_token_sets,
 * px_library_list_templates, px_library_list_comparisons, px_batch_list…)
 * read on a worker. */
void
px_library_list_async (PxLibrary           *self,
                       PxLibraryListFunc    list,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  List *job;

  g_return_if_fail (PX_IS_LIBRARY (self));
  g_return_if_fail (list != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  job = g_new0 (List, 1);
  job->list = list;
  g_task_set_source_tag (task, px_library_list_async);
  g_task_set_name (task, "[pixmerge] library list");
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, list_in_thread);
}

GPtrArray *
px_library_list_finish (PxLibrary     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* px_library_list_finish() for a view that shows the list: on failure the
 * reason goes to the log as a warning (unless the caller cancelled), saying
 * @what could not be listed, and NULL comes back. */
GPtrArray *
px_library_list_finish_or_warn (PxLibrary    *self,
                                GAsyncResult *result,
                                const char   *what)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = px_library_list_finish (self, result, &error);

  if (list == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not list the %s: %s", what, error->message);

  return list;
}

/* The writer thread's queue, emptied before the library goes. */
void
px_library_stop_writer (PxLibrary *self)
{
  if (self->writer == NULL)
    return;
  /* The last reference can be dropped by the writer's own job: it cannot
   * wait for itself. */
  g_thread_pool_free (g_steal_pointer (&self->writer), FALSE, self->writer_thread != g_thread_self ());
}
