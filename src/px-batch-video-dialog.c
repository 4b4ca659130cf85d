/* px-batch-video-dialog.c: Make Videos for a batch. The options are the
 * ones of Make Video; the videos are made one after the other on a worker
 * (px_video_batch_run), the bar shows videos done and how far the current
 * one is, Pause holds the run after the video being made, Cancel stops it
 * and keeps what was made. Making them again later skips the images that
 * already have a video with the same settings, so it carries on. Closing
 * the window while it runs cancels. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-batch-video-dialog.h"
#include "px-video-batch.h"
#include "px-video-options.h"

struct _PxBatchVideoDialog
{
  AdwWindow            parent_instance;

  PxLibrary           *library;
  gint64               batch_id;
  guint                n_images;
  PxVideoBatchControl *control;      /* while running */
  GCancellable        *cancellable;  /* while running */
  guint                progress_source;
  GCancellable        *counting;

  PxVideoOptions      *options;
  GtkLabel            *intro_label;
  GtkLabel            *status_label;
  GtkWidget           *progress_box;
  GtkProgressBar      *progress_bar;
  GtkButton           *pause_button;
  GtkWidget           *make_button;
  GtkWidget           *show_button;
};

G_DEFINE_FINAL_TYPE (PxBatchVideoDialog, px_batch_video_dialog, ADW_TYPE_WINDOW)

typedef struct {
  PxLibrary           *library;
  gint64               batch_id;
  PxVideoSettings      settings;
  char                *audio;
  char                *work_dir;
  PxVideoBatchControl *control;
} Run;

static void
run_free (Run *run)
{
  g_object_unref (run->library);
  g_free (run->audio);
  g_free (run->work_dir);
  px_video_batch_control_unref (run->control);
  g_free (run);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Run *run = task_data;
  GError *error = NULL;

  if (px_video_batch_run (run->library, run->batch_id, &run->settings, run->work_dir, run->control, cancellable,
                          &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
update_progress (gpointer user_data)
{
  PxBatchVideoDialog *self = user_data;
  PxVideoBatchProgress progress;
  g_autofree char *text = NULL;
  guint finished;

  if (self->control == NULL)
    return G_SOURCE_REMOVE;
  px_video_batch_control_get_progress (self->control, &progress);
  finished = progress.done + progress.failed;
  if (progress.total == 0)
    text = g_strdup (_("Starting…"));
  else if (progress.paused)
    text = g_strdup_printf (_("Paused after %u of %u videos"), finished, progress.total);
  else
    text = g_strdup_printf (_("%u of %u videos"), finished, progress.total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, progress.total > 0
                                                     ? MIN (1.0, (finished + progress.current) / progress.total)
                                                     : 0);
  return G_SOURCE_CONTINUE;
}

static void
set_running (PxBatchVideoDialog *self,
             gboolean            running)
{
  gtk_widget_set_visible (self->progress_box, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->options), !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "videos.make", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "videos.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "videos.cancel", running);
  gtk_button_set_label (self->pause_button, _("_Pause"));
  if (!running)
    {
      g_clear_handle_id (&self->progress_source, g_source_remove);
      g_clear_pointer (&self->control, px_video_batch_control_unref);
      g_clear_object (&self->cancellable);
    }
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxBatchVideoDialog *self = PX_BATCH_VIDEO_DIALOG (source);
  Run *run = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *last_error = px_video_batch_control_dup_last_error (run->control);
  g_autofree char *text = NULL;
  PxVideoBatchProgress progress;
  guint made;

  g_task_propagate_boolean (G_TASK (result), &error);
  px_video_batch_control_get_progress (run->control, &progress);
  made = progress.done - progress.skipped;
  if (self->control != run->control)
    return;   /* closed meanwhile */
  update_progress (self);
  set_running (self, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (ngettext ("Cancelled. %u video was made and is kept; Make Videos carries on "
                                               "from there.",
                                         "Cancelled. %u videos were made and are kept; Make Videos carries on "
                                         "from there.", made), made);
  else if (error != NULL)
    text = g_strdup (error->message);
  else if (progress.failed > 0)
    text = g_strdup_printf (ngettext ("%u video made; %u image could not be used. %s",
                                         "%u videos made; %u images could not be used. %s", progress.failed),
                            made, progress.failed, last_error ? last_error : "");
  else if (progress.skipped > 0)
    text = g_strdup_printf (_("%u videos made; %u images already had one like it."), made, progress.skipped);
  else
    text = g_strdup_printf (ngettext ("%u video made. It is in the Gallery under Videos.",
                                         "%u videos made. They are in the Gallery under Videos.", made), made);
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (self->show_button, progress.done > 0);
  if (made > 0 && gtk_window_get_transient_for (GTK_WINDOW (self)) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self))), "win.library-changed",
                                NULL);
}

static void
make_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxBatchVideoDialog *self = PX_BATCH_VIDEO_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  if (self->control != NULL)
    return;
  run = g_new0 (Run, 1);
  px_video_options_read (self->options, &run->settings);
  /* Say now, not after the first image, when the encoder is missing. */
  if (!px_video_check_encoder (run->settings.format, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      g_free (run);
      return;
    }
  run->audio = g_strdup (run->settings.audio);
  run->settings.audio = run->audio;
  run->library = g_object_ref (self->library);
  run->batch_id = self->batch_id;
  run->work_dir = g_build_filename (g_get_user_cache_dir (), "pixmerge", "video", NULL);
  run->control = px_video_batch_control_new ();
  self->control = px_video_batch_control_ref (run->control);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, on_run_done, NULL);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  g_task_set_name (task, "[pixmerge] make videos");
  set_running (self, TRUE);
  gtk_widget_set_visible (self->show_button, FALSE);
  gtk_label_set_text (self->status_label, "");
  update_progress (self);
  self->progress_source = g_timeout_add (100, update_progress, self);
  g_task_run_in_thread (task, run_in_thread);
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchVideoDialog *self = PX_BATCH_VIDEO_DIALOG (widget);
  PxVideoBatchProgress progress;

  if (self->control == NULL)
    return;
  px_video_batch_control_get_progress (self->control, &progress);
  px_video_batch_control_set_paused (self->control, !progress.paused);
  gtk_button_set_label (self->pause_button, progress.paused ? _("_Pause") : _("_Resume"));
  gtk_label_set_text (self->status_label, progress.paused ? ""
                                          : _("Pausing after the video being made…"));
  update_progress (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxBatchVideoDialog *self = PX_BATCH_VIDEO_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-videos", NULL);
  gtk_window_close (GTK_WINDOW (widget));
}

typedef struct {
  gint64 batch_id;
  guint  n_images;
} Count;

static gboolean
count_images (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Count *count = data;
  PxLibraryQuery query = { .batch_id = count->batch_id };
  GError *local_error = NULL;

  count->n_images = px_library_count (library, &query, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PxBatchVideoDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *intro = NULL;
  Count *count = NULL;
  guint n_images;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &count, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  n_images = self->n_images = count->n_images;
  intro = g_strdup_printf (ngettext ("A short video of the %u image of batch %" PRId64 ", made "
                                              "on this computer and kept in your library.",
                                        "A short video of each of the %u images of batch %" PRId64
                                        ", made on this computer and kept in your library.", n_images),
                           n_images, self->batch_id);
  gtk_label_set_text (self->intro_label, intro);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "videos.make", n_images > 0);
  if (n_images == 0)
    gtk_label_set_text (self->status_label, _("This batch has no images yet."));
}

/* Counts the batch's images first (off the main thread); Make Videos is
 * there once it knows there are some. */
PxBatchVideoDialog *
px_batch_video_dialog_new (GtkWindow *parent,
                           PxLibrary *library,
                           gint64     batch_id)
{
  PxBatchVideoDialog *self = g_object_new (PX_TYPE_BATCH_VIDEO_DIALOG, "transient-for", parent, NULL);
  Count *count = g_new0 (Count, 1);

  self->library = g_object_ref (library);
  self->batch_id = batch_id;
  count->batch_id = batch_id;
  self->counting = g_cancellable_new ();
  px_library_read_async (library, count_images, count, g_free, self->counting, on_counted, g_object_ref (self));
  return self;
}

gboolean
px_batch_video_dialog_is_running (PxBatchVideoDialog *self)
{
  g_return_val_if_fail (PX_IS_BATCH_VIDEO_DIALOG (self), FALSE);

  return self->control != NULL;
}

static gboolean
on_close_request (PxBatchVideoDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
px_batch_video_dialog_dispose (GObject *object)
{
  PxBatchVideoDialog *self = PX_BATCH_VIDEO_DIALOG (object);

  /* The worker holds its own references; it stops at the next frame. */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->control, px_video_batch_control_unref);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (px_batch_video_dialog_parent_class)->dispose (object);
}

static void
px_batch_video_dialog_class_init (PxBatchVideoDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_batch_video_dialog_dispose;

  g_type_ensure (PX_TYPE_VIDEO_OPTIONS);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-batch-video-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, options);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, make_button);
  gtk_widget_class_bind_template_child (widget_class, PxBatchVideoDialog, show_button);

  gtk_widget_class_install_action (widget_class, "videos.make", NULL, make_action);
  gtk_widget_class_install_action (widget_class, "videos.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "videos.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "videos.show", NULL, show_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
px_batch_video_dialog_init (PxBatchVideoDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_running (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "videos.make", FALSE);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}
