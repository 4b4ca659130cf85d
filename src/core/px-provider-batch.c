/* px-provider-batch.c: a batch run on the provider's batch engine (see the
 * header). One pass visits each provider job in order: a job without the
 * provider's name is first looked for by its display name (a killed process
 * may have made it), and only made when it is not there; a made job is
 * polled; an ended one has its results downloaded and stored. Passes repeat
 * with a doubling wait until every job has ended. The database work runs on
 * a worker thread; nothing here waits for a disk or the network. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>

#include "px-engine.h"
#include "px-provider.h"
#include "px-provider-batch-private.h"

/* Lines of up to ~40 kB (a long prompt, every setting) under the Gemini
 * API's 2 GB input file. */
#define DEFAULT_MAX_REQUESTS 50000
#define DEFAULT_FIRST_POLL_MS 10000
#define DEFAULT_LONGEST_POLL_MS (5 * 60 * 1000)


enum { CHANGED, WAITING, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PxProviderBatch, px_provider_batch, G_TYPE_OBJECT)

void
px_provider_batch_emit_changed (PxProviderBatch *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
px_provider_batch_supports (PxCatalog  *catalog,
                            const char *model_id)
{
  const PxModel *model = px_catalog_lookup_model (catalog, model_id, NULL);

  /* The Gemini API's image models (Batch Mode), and OpenAI's GPT image
   * models (the Batch API's /v1/images/generations). */
  if (model == NULL)
    return FALSE;
  return (g_strcmp0 (model->provider_id, "gemini") == 0 && g_str_has_prefix (model->id, "gemini-")) ||
         (g_strcmp0 (model->provider_id, "openai") == 0 && g_str_has_prefix (model->id, "gpt-image-"));
}

/* ---- a pass ---- */

static void next_part (PxProviderBatch *self);
static void finish_run (PxProviderBatch *self, GError *error);

/* px_provider_batch_db_finish() for the steps of a run: a failure ends the run with it. */
static DbAnswer *
db_done (GObject      *source,
         GAsyncResult *result)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  GError *error = NULL;
  DbAnswer *answer = px_provider_batch_db_finish (self, result, &error);

  if (answer == NULL)
    finish_run (self, error);
  return answer;
}
static void step_failed (PxProviderBatch *self, GError *error);

static PxProviderJob *
current (PxProviderBatch *self)
{
  return g_ptr_array_index (self->jobs, self->index);
}

static GCancellable *
run_cancellable (PxProviderBatch *self)
{
  return g_task_get_cancellable (self->run);
}

static void
finish_run (PxProviderBatch *self,
            GError          *error)
{
  g_autoptr(GTask) run = g_steal_pointer (&self->run);

  g_clear_pointer (&self->upload, g_bytes_unref);
  g_ptr_array_set_size (self->files, 0);
  if (error != NULL)
    g_task_return_error (run, error);
  else
    g_task_return_boolean (run, TRUE);
}

/* Answers that only need the pass to go on to the next provider job. */
static void
on_part_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  g_autoptr(DbAnswer) answer = db_done (source, result);

  if (answer == NULL)
    return;
  self->index++;
  next_part (self);
}

static gboolean
on_timeout (gpointer user_data)
{
  PxProviderBatch *self = user_data;

  self->timeout_id = 0;
  self->index = 0;
  if (g_cancellable_set_error_if_cancelled (run_cancellable (self), NULL))
    finish_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  else
    next_part (self);
  return G_SOURCE_REMOVE;
}

static void
on_status_set (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  GError *problem = user_data;
  GError *error = NULL;
  g_autoptr(DbAnswer) answer = px_provider_batch_db_finish (self, result, &error);

  if (problem != NULL)
    g_clear_error (&error);
  finish_run (self, problem ? problem : error);
}

static void
end_pass (PxProviderBatch *self)
{
  gboolean open = self->job->pending > 0;
  DbOp *op;

  for (guint i = 0; i < self->jobs->len; i++)
    if (!((PxProviderJob *) g_ptr_array_index (self->jobs, i))->ingested)
      open = TRUE;
  if (open && self->wait)
    {
      guint delay = self->interval_ms;

      self->interval_ms = MIN (self->interval_ms * 2, self->longest_ms);
      self->timeout_id = g_timeout_add (delay, on_timeout, self);
      return;
    }
  if (open || g_str_equal (self->job->status, "cancelled") || g_str_equal (self->job->status, "completed"))
    {
      finish_run (self, NULL);
      return;
    }
  op = px_provider_batch_db_op (DB_STATUS);
  op->text = g_strdup (self->cancelling ? "cancelled" : "completed");
  px_provider_batch_db_call (self, op, on_status_set, NULL);
}

static const char *
state_of (PxBatchWireState state)
{
  static const char * const names[] = {
    [PX_BATCH_WIRE_PENDING] = "pending", [PX_BATCH_WIRE_RUNNING] = "running",
    [PX_BATCH_WIRE_SUCCEEDED] = "succeeded", [PX_BATCH_WIRE_FAILED] = "failed",
    [PX_BATCH_WIRE_CANCELLED] = "cancelled", [PX_BATCH_WIRE_EXPIRED] = "expired",
  };

  return state < G_N_ELEMENTS (names) ? names[state] : "pending";
}

/* What the provider says of the current job, to be saved. */
static DbOp *
adopt (PxProviderBatch  *self,
       PxBatchWireJob *job)
{
  DbOp *op = px_provider_batch_db_part_op (DB_SAVE, current (self));

  g_free (op->part->name);
  op->part->name = g_strdup (job->name);
  g_free (op->part->state);
  op->part->state = g_strdup (state_of (job->state));
  op->part->requests = job->requests;
  op->part->succeeded = job->succeeded;
  op->part->failed = job->failed;
  g_free (op->part->error);
  op->part->error = g_strdup (job->error);
  g_ptr_array_set_size (self->files, 0);
  if (job->done && job->results_file != NULL)
    g_ptr_array_add (self->files, g_strdup (job->results_file));
  if (job->done && job->errors_file != NULL)
    g_ptr_array_add (self->files, g_strdup (job->errors_file));
  self->ended = job->done;
  return op;
}

/* The job has ended and what it made is stored: the rows it still has end
 * with the reason. */
static void
close_part (PxProviderBatch *self)
{
  PxProviderJob *part = current (self);
  DbOp *op = px_provider_batch_db_part_op (DB_CLOSE, part);

  if (g_strcmp0 (part->state, "cancelled") == 0)
    op->text = g_strdup ("cancelled");
  else
    {
      op->text = g_strdup ("failed");
      if (g_strcmp0 (part->state, "expired") == 0)
        op->reason = g_strdup (_("The provider’s batch expired before it made this image: the provider drops "
                                 "what it cannot finish in time."));
      else if (g_strcmp0 (part->state, "failed") == 0)
        op->reason = g_strdup_printf (_("The provider’s batch failed: %s"),
                                      part->error ? part->error : _("no reason given"));
      else
        op->reason = g_strdup (_("The provider’s batch returned no result for this row."));
    }
  px_provider_batch_db_call (self, op, on_part_done, NULL);
}

static void next_file (PxProviderBatch *self);

static void
on_ingested (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  g_autoptr(DbAnswer) answer = db_done (source, result);

  if (answer == NULL)
    return;
  g_ptr_array_remove_index (self->files, 0);
  next_file (self);
}

/* Where the job's next file is downloaded: named after the job and the
 * file, in the library's provider-batches folder. */
static char *
results_path (PxProviderBatch *self)
{
  g_autofree char *base = g_strdup_printf ("%s-%u.jsonl", current (self)->display_name, self->files->len);

  return g_build_filename (self->results_dir, base, NULL);
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PxProviderBatch *self = user_data;
  GError *error = NULL;
  DbOp *op;

  if (!px_batch_wire_download_finish (self->wire, result, &error))
    {
      step_failed (self, error);
      return;
    }
  op = px_provider_batch_db_part_op (DB_INGEST, current (self));
  op->text = results_path (self);
  self->stored_shown = 0;
  px_provider_batch_db_call (self, op, on_ingested, NULL);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  g_autoptr(DbAnswer) answer = db_done (source, result);
  g_autofree char *path = NULL;
  g_autoptr(GFile) to = NULL;

  if (answer == NULL)
    return;
  path = results_path (self);
  to = g_file_new_for_path (path);
  px_batch_wire_download_async (self->wire, g_ptr_array_index (self->files, 0), to, run_cancellable (self),
                                on_downloaded, self);
}

/* The ended job's files one after the other (answers, then failed lines),
 * then the rows it still has are closed. */
static void
next_file (PxProviderBatch *self)
{
  DbOp *op;

  if (self->files->len == 0)
    {
      close_part (self);
      return;
    }
  op = px_provider_batch_db_op (DB_CLEAR_FILE);
  op->text = results_path (self);
  px_provider_batch_db_call (self, op, on_cleared, NULL);
}

/* Saved what the provider said; an ended job's results come next. */
static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  g_autoptr(DbAnswer) answer = db_done (source, result);

  if (answer == NULL)
    return;
  if (!self->ended)
    {
      self->index++;
      next_part (self);
    }
  else
    next_file (self);
}

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PxProviderBatch *self = user_data;
  GError *error = NULL;
  g_autoptr(PxBatchWireJob) job = px_batch_wire_job_finish (self->wire, result, &error);

  if (job == NULL)
    {
      step_failed (self, error ? error : g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                                                      _("The provider no longer knows the batch job %s."),
                                                      current (self)->name));
      return;
    }
  px_provider_batch_db_call (self, adopt (self, job), on_saved, NULL);
}

static void
on_cancel_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PxProviderBatch *self = user_data;
  GError *error = NULL;
  g_autoptr(PxBatchWireJob) job = px_batch_wire_job_finish (self->wire, result, &error);

  if (error != NULL)
    {
      step_failed (self, error);
      return;
    }
  px_batch_wire_get_async (self->wire, current (self)->name, run_cancellable (self), on_polled, self);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PxProviderBatch *self = user_data;
  GError *error = NULL;
  g_autoptr(PxBatchWireJob) job = px_batch_wire_job_finish (self->wire, result, &error);

  /* Not known to be made: the next pass looks for it by name first. */
  if (job == NULL)
    {
      step_failed (self, error);
      return;
    }
  g_clear_pointer (&self->upload, g_bytes_unref);
  px_provider_batch_db_call (self, adopt (self, job), on_saved, NULL);
}

static void
on_file_saved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  char *file = user_data;
  g_autoptr(DbAnswer) answer = db_done (source, result);

  if (answer != NULL)
    px_batch_wire_create_async (self->wire, self->model->id, current (self)->display_name, file,
                                  run_cancellable (self), on_created, self);
  g_free (file);
}

static void
on_uploaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxProviderBatch *self = user_data;
  GError *error = NULL;
  g_autofree char *file = px_batch_wire_upload_finish (self->wire, result, &error);
  DbOp *op;

  if (file == NULL)
    {
      step_failed (self, error);
      return;
    }
  op = px_provider_batch_db_part_op (DB_SAVE, current (self));
  op->text = g_strdup (file);
  px_provider_batch_db_call (self, op, on_file_saved, g_steal_pointer (&file));
}

static void
on_requests (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  g_autoptr(DbAnswer) answer = db_done (source, result);

  if (answer == NULL)
    return;
  if (answer->count == 0)
    close_part (self);   /* no row made a prompt: each failed with its reason */
  else
    {
      self->upload = g_steal_pointer (&answer->bytes);
      px_batch_wire_upload_async (self->wire, self->upload, current (self)->display_name, run_cancellable (self),
                                    on_uploaded, self);
    }
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PxProviderBatch *self = user_data;
  GError *error = NULL;
  g_autoptr(PxBatchWireJob) job = px_batch_wire_job_finish (self->wire, result, &error);

  if (error != NULL)
    step_failed (self, error);
  else if (job != NULL)   /* made by a process killed before it heard back */
    px_provider_batch_db_call (self, adopt (self, job), on_saved, NULL);
  else if (self->cancelling)
    {
      g_free (current (self)->state);
      current (self)->state = g_strdup ("cancelled");
      close_part (self);
    }
  else if (!self->submit)
    {
      self->index++;
      next_part (self);
    }
  else
    px_provider_batch_db_call (self, px_provider_batch_db_part_op (DB_REQUESTS, current (self)), on_requests, NULL);
}

static void
next_part (PxProviderBatch *self)
{
  PxProviderJob *part;

  while (self->index < self->jobs->len && current (self)->ingested)
    self->index++;
  if (self->index >= self->jobs->len)
    {
      end_pass (self);
      return;
    }
  part = current (self);
  self->ended = FALSE;
  if (part->name == NULL)
    px_batch_wire_find_async (self->wire, part->display_name, run_cancellable (self), on_found, self);
  else if (self->cancelling &&
           (g_strcmp0 (part->state, "pending") == 0 || g_strcmp0 (part->state, "running") == 0))
    px_batch_wire_cancel_async (self->wire, part->name, run_cancellable (self), on_cancel_sent, self);
  else
    px_batch_wire_get_async (self->wire, part->name, run_cancellable (self), on_polled, self);
}

static gboolean
transient (const GError *error)
{
  return g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_SERVER) ||
         g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK) ||
         g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT) ||
         g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_RATE_LIMITED);
}

/* A step could not be done. A hiccup of the network or the service waits
 * for the next pass (when waiting); anything else (the key, the account,
 * the model) pauses the batch with the provider's words. */
static void
step_failed (PxProviderBatch *self,
             GError          *error)
{
  DbOp *op;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED) || !self->submit ||
      (transient (error) && !self->wait))
    {
      finish_run (self, error);
      return;
    }
  if (transient (error))
    {
      guint delay = self->interval_ms;

      g_signal_emit (self, signals[WAITING], 0, error->message, delay);
      g_clear_error (&error);
      self->interval_ms = MIN (self->interval_ms * 2, self->longest_ms);
      self->timeout_id = g_timeout_add (delay, on_timeout, self);
      return;
    }
  op = px_provider_batch_db_op (DB_STATUS);
  op->text = g_strdup ("paused");
  op->reason = g_strdup (error->message);
  px_provider_batch_db_call (self, op, on_status_set, error);
}

/* ---- the object ---- */

static void
on_assigned (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (source);
  g_autoptr(DbAnswer) answer = db_done (source, result);

  if (answer == NULL)
    return;
  self->index = 0;
  next_part (self);
}

static void
start (PxProviderBatch     *self,
       DbOp                *first,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_return_if_fail (self->run == NULL);

  self->run = g_task_new (self, cancellable, callback, user_data);
  self->interval_ms = self->first_ms;
  px_provider_batch_db_call (self, first, on_assigned, NULL);
}

void
px_provider_batch_run_async (PxProviderBatch     *self,
                             gboolean             wait,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCH (self));

  self->wait = self->submit = wait;
  self->cancelling = FALSE;
  /* "batch status" looks; it sends nothing new. */
  if (wait && self->job->budget > 0)
    {
      double estimate = px_batch_estimate_cost (px_engine_get_catalog (self->engine), self->job->model_id,
                                                self->job->settings, self->job->pending) * PX_PROVIDER_BATCH_PRICE;

      if (self->job->cost + self->job->possibly_paid + estimate > self->job->budget)
        {
          g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

          g_task_return_new_error (task, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET,
                                   _("The batch would cost about $%.2f, more than its spend cap of $%.2f; it was not "
                                     "started."), self->job->cost + self->job->possibly_paid + estimate,
                                   self->job->budget);
          return;
        }
    }
  start (self, px_provider_batch_db_op (wait ? DB_ASSIGN : DB_REFRESH), cancellable, callback, user_data);
}

gboolean
px_provider_batch_run_finish (PxProviderBatch  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Rows not sent yet are cancelled here; every provider job is cancelled
 * there (one made by a killed process too, found by its name) and polled
 * until it says so; what it made before is stored. */
void
px_provider_batch_cancel_async (PxProviderBatch     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCH (self));

  self->wait = self->cancelling = TRUE;
  self->submit = FALSE;
  start (self, px_provider_batch_db_op (DB_CANCEL_PENDING), cancellable, callback, user_data);
}

gboolean
px_provider_batch_cancel_finish (PxProviderBatch  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

const PxBatchJob *
px_provider_batch_get_job (PxProviderBatch *self)
{
  g_return_val_if_fail (PX_IS_PROVIDER_BATCH (self), NULL);
  return self->job;
}

GPtrArray *
px_provider_batch_get_jobs (PxProviderBatch *self)
{
  g_return_val_if_fail (PX_IS_PROVIDER_BATCH (self), NULL);
  return self->jobs;
}

void
px_provider_batch_set_max_requests (PxProviderBatch *self,
                                    guint            max_requests)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCH (self));
  self->max_requests = MAX (1u, max_requests);
}

void
px_provider_batch_set_poll_interval (PxProviderBatch *self,
                                     guint            first_ms,
                                     guint            longest_ms)
{
  g_return_if_fail (PX_IS_PROVIDER_BATCH (self));
  self->first_ms = MAX (1u, first_ms);
  self->longest_ms = MAX (self->first_ms, longest_ms);
}

/* Blocks on the disk: on a worker (new_async), or in a command-line tool. */
PxProviderBatch *
px_provider_batch_new (PxEngine    *engine,
                       const char  *library_dir,
                       gint64       batch_id,
                       GError     **error)
{
  g_autoptr(PxProviderBatch) self = g_object_new (PX_TYPE_PROVIDER_BATCH, NULL);

  g_return_val_if_fail (PX_IS_ENGINE (engine), NULL);

  self->engine = g_object_ref (engine);
  self->batch_id = batch_id;
  self->library = px_library_open (library_dir, error);
  if (self->library == NULL)
    return NULL;
  self->job = px_batch_get (self->library, batch_id, error);
  if (self->job == NULL)
    return NULL;
  self->model = px_catalog_lookup_model (px_engine_get_catalog (engine), self->job->model_id, NULL);
  if (!px_provider_batch_supports (px_engine_get_catalog (engine), self->job->model_id))
    {
      g_set_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_INVALID,
                   _("%s cannot run on a provider’s batch engine; only the Gemini API’s and OpenAI’s image models can."),
                   self->job->model_id);
      return NULL;
    }
  self->jobs = px_provider_batch_db_jobs (self->library, batch_id, error);
  if (self->jobs == NULL)
    return NULL;
  self->results_dir = g_build_filename (library_dir, "provider-batches", NULL);
  if (g_mkdir_with_parents (self->results_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not make the folder %s: %s"),
                   self->results_dir, g_strerror (saved));
      return NULL;
    }
  self->wire = px_batch_wire_new (engine, self->model->provider_id);
  return g_steal_pointer (&self);
}

typedef struct {
  PxEngine *engine;
  char     *library_dir;
  gint64    batch_id;
} NewBatch;

static void
new_batch_free (NewBatch *made)
{
  g_object_unref (made->engine);
  g_free (made->library_dir);
  g_free (made);
}

static void
new_in_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  NewBatch *made = data;
  GError *error = NULL;
  PxProviderBatch *self = px_provider_batch_new (made->engine, made->library_dir, made->batch_id, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
px_provider_batch_new_async (PxEngine            *engine,
                             const char          *library_dir,
                             gint64               batch_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  NewBatch *made = g_new0 (NewBatch, 1);

  made->engine = g_object_ref (engine);
  made->library_dir = g_strdup (library_dir);
  made->batch_id = batch_id;
  g_task_set_task_data (task, made, (GDestroyNotify) new_batch_free);
  g_task_run_in_thread (task, new_in_thread);
}

PxProviderBatch *
px_provider_batch_new_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
px_provider_batch_dispose (GObject *object)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->wire, px_batch_wire_free);
  g_clear_object (&self->library);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (px_provider_batch_parent_class)->dispose (object);
}

static void
px_provider_batch_finalize (GObject *object)
{
  PxProviderBatch *self = PX_PROVIDER_BATCH (object);

  g_clear_pointer (&self->job, px_batch_job_free);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->upload, g_bytes_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_free (self->results_dir);
  G_OBJECT_CLASS (px_provider_batch_parent_class)->finalize (object);
}

static void
px_provider_batch_class_init (PxProviderBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_provider_batch_dispose;
  object_class->finalize = px_provider_batch_finalize;

  /* The batch's counts or a provider job's state changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /* The provider could not be reached (or was busy): the message, and the
   * milliseconds until the next try. */
  signals[WAITING] = g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
px_provider_batch_init (PxProviderBatch *self)
{
  self->max_requests = DEFAULT_MAX_REQUESTS;
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->first_ms = DEFAULT_FIRST_POLL_MS;
  self->longest_ms = DEFAULT_LONGEST_POLL_MS;
}
