/* px-batch-page-provider.c: the Batch page for a batch on a provider's
 * batch engine. The app follows such a batch (PxProviderBatches), not the
 * page: the page shows its counts and the provider's jobs as they change,
 * Pause stops checking (the provider goes on), Cancel cancels it at the
 * provider and keeps what was made, and closing the window loses nothing. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-application.h"
#include "px-batch-page-private.h"
#include "px-provider.h"

static void
show_counts (PxBatchPage      *self,
             const PxBatchJob *job,
             GPtrArray        *jobs)
{
  guint done = job->completed + job->failed + job->cancelled;
  guint ended = 0;
  g_autofree char *progress = g_strdup_printf (_("%u of %u"), done, job->total);
  g_autofree char *counts = NULL;
  g_autofree char *waiting = NULL;

  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    if (((PxProviderJob *) g_ptr_array_index (jobs, i))->ingested)
      ended++;
  gtk_progress_bar_set_fraction (self->progress_bar, job->total ? (double) done / job->total : 0);
  gtk_progress_bar_set_text (self->progress_bar, progress);
  if (jobs != NULL && jobs->len > 0 && ended < jobs->len)
    waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "\nAt the provider, half price: %u of %u job has ended; results come "
                                            "within 24 hours.",
                                            "\nAt the provider, half price: %u of %u jobs have ended; results come "
                                            "within 24 hours.", jobs->len),
                               ended, jobs->len);
  counts = g_strdup_printf (_("%u completed, %u failed, %u cancelled · $%.2f%s"), job->completed, job->failed,
                            job->cancelled, job->cost, waiting ? waiting : "");
  gtk_label_set_text (self->counts_label, counts);
}

static void
on_changed (PxBatchPage *self,
            gint64       id)
{
  PxProviderBatch *batch;

  if (!self->provider_shown || id != self->job_id ||
      (batch = px_provider_batches_lookup (self->provider_batches, id)) == NULL)
    return;
  show_counts (self, px_provider_batch_get_job (batch), px_provider_batch_get_jobs (batch));
}

static void
on_finished (PxBatchPage  *self,
             gint64        id,
             const GError *error)
{
  if (!self->provider_shown || id != self->job_id)
    return;
  px_batch_page_set_running (self, FALSE);
  px_batch_page_refresh_history (self);
  /* Shown again as stored: the banner says why it stopped, if it did. */
  px_batch_page_show_job (self, id, FALSE);
  if (error == NULL)
    px_batch_page_toast (self, _("The provider batch is done; its images are in the Gallery."));
}

static void
follow (PxBatchPage *self)
{
  self->provider_stopped = 0;
  px_provider_batches_follow (self->provider_batches, self->job_id);
  px_batch_page_set_running (self, TRUE);
  /* Pause only stops checking: the provider goes on. */
  gtk_button_set_label (self->pause_button, _("_Stop Checking"));
}

/* Shows @job if it runs on a provider's batch engine (and follows it when
 * @run, or when it is still waiting at the provider); FALSE for any other
 * batch. */
gboolean
px_batch_page_provider_show (PxBatchPage      *self,
                             const PxBatchJob *job,
                             gboolean          run)
{
  PxProviderBatch *batch;

  self->provider_shown = job->provider_batch;
  if (!job->provider_batch)
    {
      gtk_list_box_set_placeholder (self->items_list, NULL);
      return FALSE;
    }
  if (self->provider_batches == NULL)
    {
      self->provider_batches = px_application_get_provider_batches (self->application);
      if (self->provider_batches == NULL)
        return FALSE;
      g_object_ref (self->provider_batches);
      g_signal_connect_object (self->provider_batches, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->provider_batches, "finished", G_CALLBACK (on_finished), self,
                               G_CONNECT_SWAPPED);
    }
  g_clear_object (&self->runner);
  {
    GtkWidget *placeholder = gtk_label_new (_("The provider makes the images on its own time; each of its jobs "
                                              "brings its images into the Gallery when it ends."));

    gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
    gtk_label_set_justify (GTK_LABEL (placeholder), GTK_JUSTIFY_CENTER);
    gtk_widget_set_margin_top (placeholder, 24);
    gtk_widget_set_margin_bottom (placeholder, 24);
    gtk_widget_set_margin_start (placeholder, 12);
    gtk_widget_set_margin_end (placeholder, 12);
    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_list_box_set_placeholder (self->items_list, placeholder);
  }
  gtk_label_set_text (self->run_title, job->template_prompt);
  gtk_stack_set_visible_child_name (self->stack, "run");
  batch = px_provider_batches_lookup (self->provider_batches, job->id);
  show_counts (self, batch ? px_provider_batch_get_job (batch) : job, batch ? px_provider_batch_get_jobs (batch) : NULL);

  /* Still at the provider: checked again, unless the user stopped that. */
  if (run || px_provider_batches_is_following (self->provider_batches, job->id) ||
      (g_str_equal (job->status, "running") && self->provider_stopped != job->id))
    follow (self);
  else
    {
      px_batch_page_set_running (self, FALSE);
      if (job->pending > 0 && !g_str_equal (job->status, "cancelled"))
        {
          g_autofree char *text = job->reason != NULL
            ? g_strdup_printf (_("The batch paused: %s"), job->reason)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Pixmerge stopped checking the provider with %u row still to come.",
                                            "Pixmerge stopped checking the provider with %u rows still to come.",
                                            job->pending), job->pending);

          px_problem_banner_show (self->problem_banner, text, job->reason != NULL);
        }
    }
  return TRUE;
}

/* Resume: check the provider again. */
gboolean
px_batch_page_provider_resume (PxBatchPage *self)
{
  if (!self->provider_shown || self->provider_batches == NULL)
    return FALSE;
  px_problem_banner_hide (self->problem_banner);
  follow (self);
  return TRUE;
}

gboolean
px_batch_page_provider_pause (PxBatchPage *self)
{
  if (!self->provider_shown || self->provider_batches == NULL)
    return FALSE;
  if (px_provider_batches_is_following (self->provider_batches, self->job_id))
    {
      self->provider_stopped = self->job_id;
      px_provider_batches_stop (self->provider_batches, self->job_id);
    }
  else
    px_batch_page_provider_resume (self);
  return TRUE;
}

gboolean
px_batch_page_provider_cancel (PxBatchPage *self)
{
  if (!self->provider_shown || self->provider_batches == NULL)
    return FALSE;
  px_provider_batches_cancel (self->provider_batches, self->job_id);
  return TRUE;
}

void
px_batch_page_provider_dispose (PxBatchPage *self)
{
  /* The app goes on following it: the page only stops listening. */
  if (self->provider_batches != NULL)
    g_signal_handlers_disconnect_by_data (self->provider_batches, self);
  g_clear_object (&self->provider_batches);
}
