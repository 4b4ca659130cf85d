/* px-batch-page-run.c: the Batch page while a batch runs and after: the
 * runner (opened off the main thread), progress, the rows as they finish,
 * pause, cancel, retry, the problem banner (key, paused account, retired
 * model) and the results' CSV. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-batch-page-private.h"
#include "px-apply-edits-dialog.h"
#include "px-batch-video-dialog.h"
#include "px-credentials.h"
#include "px-csv.h"
#include "px-dialog.h"
#include "px-key-dialog.h"
#include "px-paths.h"
#include "px-provider.h"
#include "px-spending.h"
#include "px-tokens.h"

/* ---- running ---- */

static void offer_replacement (PxBatchPage *self, const PxBatchJob *job);

static void
update_progress (PxBatchPage *self)
{
  const PxBatchJob *job = self->runner ? px_batch_runner_get_job (self->runner) : NULL;
  guint done;
  g_autofree char *text = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *eta = NULL;
  double elapsed;

  if (job == NULL)
    return;
  done = job->completed + job->failed + job->cancelled;
  text = g_strdup_printf (_("%u of %u"), done, job->total);
  gtk_progress_bar_set_fraction (self->progress_bar, job->total ? (double) done / job->total : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);

  elapsed = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  if (self->running && done > self->done_at_start && done < job->total)
    eta = g_strdup_printf (_(", about %.0f s left"),
                           elapsed / (done - self->done_at_start) * (job->total - done));
  counts = g_strdup_printf (_("%u completed, %u failed, %u cancelled · $%.2f%s"),
                            job->completed, job->failed, job->cancelled, job->cost, eta ? eta : "");
  gtk_label_set_text (self->counts_label, counts);
}

typedef struct {
  PxLibrary      *library;
  gint64          image_id;
  PxLibraryImage *image;     /* read in the thread */
  GdkTexture     *texture;
} Thumb;

static void
thumb_free (Thumb *thumb)
{
  g_object_unref (thumb->library);
  px_library_image_free (thumb->image);
  g_clear_object (&thumb->texture);
  g_free (thumb);
}

/* The image's row and a small picture of it, off the main thread. */
static void
thumb_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Thumb *thumb = task_data;
  GError *error = NULL;
  g_autofree char *path = NULL;

  thumb->image = px_library_get_image (thumb->library, thumb->image_id, &error);
  if (thumb->image != NULL)
    path = px_library_thumbnail (thumb->library, thumb->image, 64, &error);
  if (path != NULL)
    thumb->texture = gdk_texture_new_from_filename (path, &error);
  if (thumb->texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_thumb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Thumb *thumb = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  if (thumb->image != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                                   thumb->image->prompt);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  gtk_picture_set_paintable (g_object_get_data (G_OBJECT (row), "picture"), GDK_PAINTABLE (thumb->texture));
}

typedef struct {
  gint64  item_id;
  char   *status;
  gint64  image_id;
} ItemEvent;

static void
item_event_free (ItemEvent *event)
{
  g_free (event->status);
  g_free (event);
}

static void
add_item_row (PxBatchPage *self,
              ItemEvent   *event)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (_("Item %" PRId64), event->item_id);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), g_str_equal (event->status, "completed") ? _("Completed")
                                                     : g_str_equal (event->status, "failed") ? _("Failed")
                                                     : _("Cancelled"));
  if (event->image_id > 0 && self->library != NULL)
    {
      GtkWidget *picture = gtk_picture_new ();
      g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_thumb, g_object_ref (row));
      Thumb *thumb = g_new0 (Thumb, 1);

      gtk_widget_set_size_request (picture, 40, 40);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), picture);
      g_object_set_data (G_OBJECT (row), "picture", picture);
      thumb->library = g_object_ref (self->library);
      thumb->image_id = event->image_id;
      g_task_set_task_data (task, thumb, (GDestroyNotify) thumb_free);
      g_task_run_in_thread (task, thumb_in_thread);
    }
  if (g_str_equal (event->status, "failed"))
    gtk_widget_add_css_class (row, "error");
  gtk_list_box_prepend (self->items_list, row);
  if (++self->n_items_shown > MAX_ITEMS_SHOWN)
    {
      gtk_list_box_remove (self->items_list, GTK_WIDGET (gtk_list_box_get_row_at_index (self->items_list, MAX_ITEMS_SHOWN)));
      self->n_items_shown--;
    }
}

/* Items finish many times a second in a big batch: the page shows them a
 * few times a second, the newest ones, so drawing never holds up the loop. */
static gboolean
flush_items (gpointer data)
{
  PxBatchPage *self = data;
  guint n = g_queue_get_length (&self->item_events);

  self->flush_source = 0;
  for (guint i = 0; i < n; i++)
    {
      ItemEvent *event = g_queue_pop_head (&self->item_events);

      if (n - i <= MAX_ITEMS_PER_FLUSH)
        add_item_row (self, event);
      item_event_free (event);
    }
  update_progress (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (PxBatchPage *self)
{
  if (self->flush_source == 0)
    self->flush_source = g_timeout_add (FLUSH_INTERVAL_MS, flush_items, self);
}

static void
on_item_changed (PxBatchRunner *runner,
                 gint64         item_id,
                 const char    *status,
                 gint64         image_id,
                 PxBatchPage   *self)
{
  ItemEvent *event;

  /* The list shows finished items; one put back to wait (the account had
   * a problem) is not finished. */
  if (g_str_equal (status, "processing") || g_str_equal (status, "pending"))
    return;
  event = g_new0 (ItemEvent, 1);
  event->item_id = item_id;
  event->status = g_strdup (status);
  event->image_id = image_id;
  g_queue_push_tail (&self->item_events, event);
  schedule_flush (self);
}

void
px_batch_page_set_running (PxBatchPage *self,
                           gboolean     running)
{
  self->running = running;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.retry", !running && self->runner != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.back", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.make-videos", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.apply-edits", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.import", !running);
  gtk_button_set_label (self->pause_button, _("_Pause"));
  /* A batch that has ended has nothing to pause or cancel: gone, not dimmed. */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->pause_button), GTK_TYPE_FLOW_BOX_CHILD), running);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  const PxBatchJob *job;
  g_autofree char *message = NULL;

  if (self->runner != PX_BATCH_RUNNER (source))
    return;
  px_batch_runner_run_finish (PX_BATCH_RUNNER (source), result, &error);
  px_batch_page_set_running (self, FALSE);
  /* The last items now, with the final count, not a moment later. */
  if (self->flush_source != 0)
    {
      g_clear_handle_id (&self->flush_source, g_source_remove);
      flush_items (self);
    }
  update_progress (self);
  job = px_batch_runner_get_job (self->runner);
  if (error != NULL)
    message = g_strdup (error->message);
  else
    message = g_strdup_printf (_("The batch is done: %u completed, %u failed."), job->completed, job->failed);
  /* Paused by a problem: the banner says it, with what to do. */
  if (g_error_matches (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED))
    {
      px_problem_banner_show (self->problem_banner, error->message,
                              g_error_matches (px_batch_runner_get_problem (self->runner), PX_PROVIDER_ERROR,
                                               PX_PROVIDER_ERROR_AUTH));
      offer_replacement (self, job);
    }
  else
    px_batch_page_toast (self, message);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.library-changed", NULL);
  px_batch_page_refresh_history (self);

  /* Run on with the window closed: say so when it ends. */
  if (self->in_background)
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Batch finished"));
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_notification_set_body (notification, message);

      g_application_send_notification (G_APPLICATION (self->application), "batch-finished", notification);
      self->in_background = FALSE;
      g_application_release (G_APPLICATION (self->application));
      /* The window was only hidden, to keep the batch; now it can go. */
      if (GTK_IS_WINDOW (root) && !gtk_widget_get_visible (GTK_WIDGET (root)))
        gtk_window_destroy (GTK_WINDOW (root));
      g_object_unref (self);
    }
}

static void
run_job (PxBatchPage *self)
{
  px_batch_page_set_running (self, TRUE);
  self->started_us = g_get_monotonic_time ();
  self->done_at_start = px_batch_runner_get_job (self->runner)->completed;
  px_batch_runner_run_async (self->runner, NULL, on_run_done, g_object_ref (self));
  update_progress (self);
}

static void
on_missing_key_answered (gpointer      user_data,
                         gboolean      saved,
                         const GError *keyring_error)
{
  PxBatchPage *self = user_data;

  if (self->stack != NULL)
    run_job (self);
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = px_credentials_find_finish (result, &error);
  const PxProviderInfo *info = self->key_provider;

  self->key_provider = NULL;
  if (self->stack == NULL)
    return;
  if (key != NULL && info != NULL)
    px_engine_set_api_key (self->engine, info->id, key);
  else if (info != NULL)
    {
      /* No key anywhere: the same dialog as everywhere, then the batch
       * goes (without a key it pauses at once and says why). */
      px_key_dialog_ask (GTK_WIDGET (self), self->engine, info, on_missing_key_answered, g_object_ref (self),
                         g_object_unref);
      return;
    }
  run_job (self);
}

/* A batch whose model was retired goes on with its successor, if the
 * catalog names one. */
static void
offer_replacement (PxBatchPage      *self,
                   const PxBatchJob *job)
{
  const PxModel *replacement = px_catalog_lookup_replacement (px_engine_get_catalog (self->engine), job->model_id);

  if (replacement != NULL)
    px_problem_banner_offer_model (self->problem_banner, replacement->name);
}

static gboolean
batch_needs_key (PxBatchPage      *self,
                 const PxBatchJob *job)
{
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  const PxModel *model = px_catalog_lookup_model (catalog, job->model_id, NULL);
  const PxProviderInfo *info = model ? px_catalog_lookup_provider (catalog, model->provider_id) : NULL;

  return info != NULL && info->key_policy != PX_KEY_NONE;
}

/* The batch reached 80 % (or all) of a monthly budget: told once a month. */
static void
on_budget_notice (PxBatchRunner *runner,
                  guint          level,
                  const char    *message)
{
  px_spending_notify (level, message);
}

/* The provider's key first (the environment or the keyring), then go. */
static void
on_runner_made (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchRunner) runner = px_batch_runner_new_finish (result, &error);
  const PxModel *model;
  const PxProviderInfo *info;

  if (runner == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_batch_page_toast (self, error->message);
      return;
    }
  if (self->stack == NULL)
    return;
  g_clear_object (&self->runner);
  self->runner = g_steal_pointer (&runner);
  /* The runner can outlive the page (a stopped batch finishes its writes):
   * its signals go only as long as the page is there. */
  g_signal_connect_object (self->runner, "progress", G_CALLBACK (schedule_flush), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "item-changed", G_CALLBACK (on_item_changed), self, 0);
  g_signal_connect (self->runner, "budget-notice", G_CALLBACK (on_budget_notice), NULL);
  gtk_label_set_text (self->run_title, px_batch_runner_get_job (self->runner)->template_prompt);
  gtk_stack_set_visible_child_name (self->stack, "run");

  model = px_catalog_lookup_model (px_engine_get_catalog (self->engine), px_batch_runner_get_job (self->runner)->model_id, NULL);
  info = model ? px_catalog_lookup_provider (px_engine_get_catalog (self->engine), model->provider_id) : NULL;
  if (info == NULL || px_engine_has_api_key (self->engine, info->id) || info->key_policy == PX_KEY_NONE)
    {
      run_job (self);
      return;
    }
  /* Without a key every item fails with "add a key in Preferences". */
  self->key_provider = info;
  px_credentials_find_async (info, NULL, on_key_found, g_object_ref (self));
}

/* The runner opens its own connection to the library: off the main thread. */
static void
start_runner (PxBatchPage *self)
{
  g_clear_object (&self->runner);
  px_batch_runner_new_async (self->engine, px_library_get_directory (self->library), self->job_id, self->cancellable,
                             on_runner_made, g_object_ref (self));
}

typedef struct {
  PxBatchPage *page;
  gint64       id;
  gboolean     run;
  PxBatchJob  *job;
} JobRead;

static void
job_read_free (JobRead *read)
{
  g_object_unref (read->page);
  g_clear_pointer (&read->job, px_batch_job_free);
  g_free (read);
}

static gboolean
read_job (PxLibrary     *library,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  JobRead *read = data;

  read->job = px_batch_get (library, read->id, error);
  return read->job != NULL;
}

static void show_read_job (PxBatchPage *self, PxBatchJob *job, gboolean run);

static void
on_shown_runner_made (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(PxBatchRunner) runner = px_batch_runner_new_finish (result, NULL);

  /* Not if another batch was opened (or this one started) meanwhile. */
  if (runner == NULL || self->stack == NULL || self->runner != NULL || self->running ||
      px_batch_runner_get_job (runner)->id != self->job_id)
    return;
  self->runner = g_steal_pointer (&runner);
  px_batch_page_set_running (self, FALSE);
  update_progress (self);
}

static void
on_job_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JobRead *read = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_batch_page_toast (read->page, error->message);
      return;
    }
  show_read_job (read->page, read->job, read->run);
}

/* Shows a batch (its row read off the main thread); run: start it too. */
void
px_batch_page_show_job (PxBatchPage *self,
                        gint64       id,
                        gboolean     run)
{
  JobRead *read = g_new0 (JobRead, 1);

  read->page = g_object_ref (self);
  read->id = id;
  read->run = run;
  px_library_read_async (self->library, read_job, read, (GDestroyNotify) job_read_free, self->cancellable,
                         on_job_read, NULL);
}

static void
show_read_job (PxBatchPage *self,
               PxBatchJob  *job,
               gboolean     run)
{
  gint64 id = job->id;

  self->job_id = id;
  g_free (self->job_model_id);
  self->job_model_id = g_strdup (job->model_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->gallery_button), "x", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->gallery_button), "win.show-batch");
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items_list))) != NULL)
      gtk_list_box_remove (self->items_list, child);
    self->n_items_shown = 0;
  }
  px_problem_banner_hide (self->problem_banner);
  if (px_batch_page_provider_show (self, job, run))
    return;
  if (run)
    start_runner (self);
  else
    {
      /* Opened from the list: shown, never started by itself. One with
       * rows left says why it stopped and offers Resume. */
      /* The runner that will show its rows comes when it is opened. */
      g_clear_object (&self->runner);
      px_batch_runner_new_async (self->engine, px_library_get_directory (self->library), id, self->cancellable,
                                 on_shown_runner_made, g_object_ref (self));
      gtk_label_set_text (self->run_title, job->template_prompt);
      px_batch_page_set_running (self, FALSE);
      update_progress (self);
      gtk_stack_set_visible_child_name (self->stack, "run");
      if (job->pending > 0 && !g_str_equal (job->status, "cancelled"))
        {
          PxCatalog *catalog = px_engine_get_catalog (self->engine);
          const PxModel *replacement = px_catalog_lookup_replacement (catalog, job->model_id);
          const PxModel *model = px_catalog_lookup_model (catalog, job->model_id, NULL);
          g_autofree char *text = NULL;

          if (replacement != NULL)
            text = g_strdup_printf (_("%s was retired by its provider: the batch can go on with %s."),
                                    model->name, replacement->name);
          else if (job->reason != NULL)
            text = g_strdup_printf (_("The batch paused: %s"), job->reason);
          else if (g_str_equal (job->status, "pending"))
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The batch has not started: %u row to do.",
                                                 "The batch has not started: %u rows to do.", job->pending),
                                    job->pending);
          else
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The batch stopped with %u row still to do.",
                                                 "The batch stopped with %u rows still to do.", job->pending),
                                    job->pending);

          px_problem_banner_show (self->problem_banner, text, job->reason != NULL && batch_needs_key (self, job));
          offer_replacement (self, job);
        }
    }
}

static void
on_banner_resume (PxBatchPage *self)
{
  px_problem_banner_hide (self->problem_banner);
  if (self->job_id != 0 && !self->running && !px_batch_page_provider_resume (self))
    start_runner (self);
}

static void
on_key_updated (gpointer      user_data,
                gboolean      saved,
                const GError *keyring_error)
{
  PxBatchPage *self = user_data;

  if (!saved)
    return;
  if (keyring_error != NULL)
    px_batch_page_toast (self, keyring_error->message);
  on_banner_resume (self);
}

static void
update_model_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  PxBatchPage *self = source_object;
  GError *error = NULL;

  if (px_batch_update (self->library, self->job_id, task_data, 0, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_model_updated (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PxBatchPage *self = PX_BATCH_PAGE (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_batch_page_toast (self, error->message);
      return;
    }
  on_banner_resume (self);
}

/* "Use GPT Image 2": the batch's model becomes the successor (saved with
 * the batch, off the main thread), then it goes on. */
static void
on_banner_replace_model (PxBatchPage *self)
{
  const PxBatchJob *job = self->runner ? px_batch_runner_get_job (self->runner) : NULL;
  const char *model_id = job ? job->model_id : self->job_model_id;
  const PxModel *replacement = model_id ? px_catalog_lookup_replacement (px_engine_get_catalog (self->engine),
                                                                         model_id) : NULL;
  g_autoptr(GTask) task = NULL;

  if (replacement == NULL || self->running)
    return;
  task = g_task_new (self, self->cancellable, on_model_updated, NULL);
  g_task_set_task_data (task, g_strdup (replacement->id), g_free);
  g_task_run_in_thread (task, update_model_in_thread);
}

/* The key was turned down: a new one, then the batch goes on. */
static void
on_banner_update_key (PxBatchPage *self)
{
  const PxBatchJob *job = self->runner ? px_batch_runner_get_job (self->runner) : NULL;
  const char *model_id = job ? job->model_id : self->job_model_id;
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  const PxModel *model = model_id ? px_catalog_lookup_model (catalog, model_id, NULL) : NULL;
  const PxProviderInfo *info = model ? px_catalog_lookup_provider (catalog, model->provider_id) : NULL;

  if (info != NULL)
    px_key_dialog_ask (GTK_WIDGET (self), self->engine, info, on_key_updated, g_object_ref (self), g_object_unref);
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (px_batch_page_provider_pause (self) || self->runner == NULL)
    return;
  if (px_batch_runner_is_paused (self->runner))
    {
      px_batch_runner_resume (self->runner);
      gtk_button_set_label (self->pause_button, _("_Pause"));
    }
  else
    {
      px_batch_runner_pause (self->runner);
      gtk_button_set_label (self->pause_button, _("_Resume"));
    }
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (!px_batch_page_provider_cancel (self) && self->runner != NULL)
    px_batch_runner_cancel (self->runner);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->runner == NULL || self->running)
    return;
  if (!px_batch_runner_retry_failed (self->runner, &error))
    {
      px_batch_page_toast (self, error->message);
      return;
    }
  start_runner (self);
}

typedef struct {
  gint64  job_id;
  char   *path;
} CsvExport;

static void
csv_export_free (CsvExport *export)
{
  g_free (export->path);
  g_free (export);
}

static gboolean
export_csv (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CsvExport *export = data;

  return px_batch_export_csv (library, export->job_id, export->path, error);
}

static void
on_csv_exported (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    px_batch_page_toast (self, _("Results exported"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    px_batch_page_toast (self, error->message);
}

static void
on_exported (GtkNativeDialog *chooser,
             int              response,
             PxBatchPage     *self)
{
  g_autoptr(GFile) file = NULL;
  CsvExport *export;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  /* Read and written on a worker: a batch of thousands of rows is a big file. */
  export = g_new0 (CsvExport, 1);
  export->job_id = self->job_id;
  export->path = g_file_get_path (file);
  px_library_read_async (self->library, export_csv, export, (GDestroyNotify) csv_export_free, self->cancellable,
                         on_csv_exported, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  g_autofree char *name = g_strdup_printf ("pixmerge-batch-%" G_GINT64_FORMAT ".csv", self->job_id);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Results"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_exported), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (self->running)
    return;
  px_batch_page_refresh_history (self);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

/* Make Videos: a video of each image the batch has made so far. */
static void
make_videos_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  PxBatchVideoDialog *dialog;

  if (self->running || self->library == NULL || self->job_id <= 0)
    return;
  dialog = px_batch_video_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->library, self->job_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Apply Edits: a saved edit or a recipe over the batch's images. */
static void
apply_edits_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (self->running || self->library == NULL || self->job_id <= 0)
    return;
  gtk_window_present (GTK_WINDOW (px_apply_edits_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->library,
                                                             self->job_id)));
}

void
px_batch_page_class_init_run (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "batch.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "batch.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "batch.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "batch.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "batch.make-videos", NULL, make_videos_action);
  gtk_widget_class_install_action (widget_class, "batch.apply-edits", NULL, apply_edits_action);
}

void
px_batch_page_init_run (PxBatchPage *self)
{
  g_signal_connect_object (self->problem_banner, "resume", G_CALLBACK (on_banner_resume), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->problem_banner, "update-key", G_CALLBACK (on_banner_update_key), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->problem_banner, "replace-model", G_CALLBACK (on_banner_replace_model), self,
                           G_CONNECT_SWAPPED);
}

/* Closing the window stops a batch it runs (unless it went to the
 * background); the batch is saved and resumes from Earlier Batches. */
void
px_batch_page_dispose_run (PxBatchPage *self)
{
  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_queue_clear_full (&self->item_events, (GDestroyNotify) item_event_free);
  if (self->runner != NULL)
    {
      /* Nothing it says after this may reach a page without its widgets. */
      g_signal_handlers_disconnect_by_data (self->runner, self);
      if (self->running)
        px_batch_runner_cancel (self->runner);
    }
  g_clear_object (&self->runner);
  px_batch_page_provider_dispose (self);
}
