/* pixmerge-cli-provider-batch.c: a batch on the provider's batch engine
 * from the command line: `batch run --provider-batch` submits and waits
 * for the results, `batch resume` picks one up (after a crash too: a job
 * made before the crash is found, not made again), `batch status` asks the
 * provider once and stores what is ready, `batch cancel` cancels it. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-batch.h"
#include "px-paths.h"
#include "px-provider-batch.h"
#include "pixmerge-cli.h"

static void
on_changed (PxProviderBatch *batch,
            guint           *last)
{
  const PxBatchJob *job = px_provider_batch_get_job (batch);
  GPtrArray *jobs = px_provider_batch_get_jobs (batch);
  guint made = 0, done = job->completed + job->failed + job->cancelled;

  for (guint i = 0; i < jobs->len; i++)
    if (((PxProviderJob *) g_ptr_array_index (jobs, i))->name != NULL)
      made++;
  /* One line when something moved, not one per poll. */
  if (done + made * 1000003u == *last)
    return;
  *last = done + made * 1000003u;
  g_printerr (_("%u of %u done: %u completed, %u failed, $%.2f (provider jobs: %u of %u made)\n"), done,
              job->total, job->completed, job->failed, job->cost, made, jobs->len);
}

static void
on_waiting (PxProviderBatch *batch,
            const char      *message,
            guint            delay_ms)
{
  g_printerr (_("%s\nTrying again in %u s.\n"), message, (delay_ms + 999) / 1000);
}

static PxProviderBatch *
open_batch (gint64       id,
            PxCatalog   *catalog,
            const char  *base_url,
            double       poll_seconds,
            GError     **error)
{
  g_autoptr(PxLibrary) library = px_cli_open_library ();
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(PxEngine) engine = NULL;
  const PxModel *model;
  PxProviderBatch *batch;

  if (library == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The library could not be opened."));
      return NULL;
    }
  if ((job = px_batch_get (library, id, error)) == NULL ||
      (model = px_catalog_lookup_model (catalog, job->model_id, error)) == NULL)
    return NULL;
  engine = px_cli_new_engine (catalog, px_catalog_lookup_provider (catalog, model->provider_id), base_url, 0, 0);
  batch = px_provider_batch_new (engine, px_paths_get_library_dir (), id, error);
  if (batch != NULL && poll_seconds > 0)
    px_provider_batch_set_poll_interval (batch, (guint) (poll_seconds * 1000),
                                         (guint) (poll_seconds * 1000) * 16);
  return batch;
}

static void
print_jobs (PxProviderBatch *batch)
{
  GPtrArray *jobs = px_provider_batch_get_jobs (batch);

  for (guint i = 0; i < jobs->len; i++)
    {
      PxProviderJob *part = g_ptr_array_index (jobs, i);

      g_print ("provider job: %s\t%s\t%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " succeeded, %" G_GINT64_FORMAT
               " failed\t%s%s%s\n", part->name ? part->name : part->display_name, part->state, part->succeeded,
               part->requests, part->failed, part->ingested ? "stored" : "not stored yet",
               part->error ? "\t" : "", part->error ? part->error : "");
    }
}

/* Submits what is not submitted yet and waits until every provider job has
 * ended and its results are in the library. */
int
px_cli_run_provider_batch (gint64      id,
                           PxCatalog  *catalog,
                           const char *base_url,
                           double      poll_seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxProviderBatch) batch = open_batch (id, catalog, base_url, poll_seconds, &error);
  g_autoptr(GAsyncResult) result = NULL;
  const PxBatchJob *job;
  guint last = G_MAXUINT;
  gboolean ok;

  if (batch == NULL)
    return px_cli_fail ("%s", error->message);
  g_signal_connect (batch, "changed", G_CALLBACK (on_changed), &last);
  g_signal_connect (batch, "waiting", G_CALLBACK (on_waiting), NULL);
  px_provider_batch_run_async (batch, TRUE, NULL, px_cli_on_async_done, &result);
  ok = px_provider_batch_run_finish (batch, px_cli_wait_for (&result), &error);
  job = px_provider_batch_get_job (batch);
  if (!ok && (g_error_matches (error, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET) ||
              g_error_matches (error, PX_BATCH_ERROR, PX_BATCH_ERROR_BUDGET_SPENT)))
    return px_cli_fail ("%s", error->message);
  if (!ok)
    return px_cli_fail (_("%s\nFix it, then go on with “pixmerge-cli batch resume %" PRId64 "”."), error->message, id);
  if (job->failed > 0)
    return px_cli_fail (g_dngettext (GETTEXT_PACKAGE, "The batch ended with %u failed item; see “batch export”.",
                                     "The batch ended with %u failed items; see “batch export”.", job->failed),
                        job->failed);
  return 0;
}

/* Asks the provider once (nothing new is sent) and stores what is ready;
 * the counts are printed by the caller. Without a connection it says so
 * and the counts are the library's. */
int
px_cli_poll_provider_batch (gint64      id,
                            PxCatalog  *catalog,
                            const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxProviderBatch) batch = open_batch (id, catalog, base_url, 0, &error);
  g_autoptr(GAsyncResult) result = NULL;

  if (batch == NULL)
    return px_cli_fail ("%s", error->message);
  px_provider_batch_run_async (batch, FALSE, NULL, px_cli_on_async_done, &result);
  if (!px_provider_batch_run_finish (batch, px_cli_wait_for (&result), &error))
    g_printerr (_("pixmerge-cli: could not ask the provider: %s\n"), error->message);
  print_jobs (batch);
  return 0;
}

int
px_cli_cancel_provider_batch (gint64      id,
                              PxCatalog  *catalog,
                              const char *base_url,
                              double      poll_seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxProviderBatch) batch = open_batch (id, catalog, base_url, poll_seconds, &error);
  g_autoptr(GAsyncResult) result = NULL;
  const PxBatchJob *job;

  if (batch == NULL)
    return px_cli_fail ("%s", error->message);
  px_provider_batch_cancel_async (batch, NULL, px_cli_on_async_done, &result);
  if (!px_provider_batch_cancel_finish (batch, px_cli_wait_for (&result), &error))
    return px_cli_fail ("%s", error->message);
  job = px_provider_batch_get_job (batch);
  g_printerr (_("Cancelled. Images made before the cancel, kept: %u. Rows cancelled: %u.\n"), job->completed,
              job->cancelled);
  return 0;
}
