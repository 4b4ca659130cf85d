/* px-video-dialog.c: Make Video. A quick 480p preview of the chosen effect
 * plays as soon as the dialog opens (and again a moment after any change);
 * Make Video renders at the chosen quality on a worker, with progress and
 * Cancel, keeps the result in the library with a poster frame, and plays
 * it, with Save As and Show in Files. Nothing here blocks the main loop:
 * decoding, rendering, writing and deleting happen on workers. */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "px-dialog.h"
#include "px-video-dialog.h"
#include "px-ai-video-group.h"
#include "px-video-options.h"

/* Frames done, shared by the rendering thread and the progress bar. */
typedef struct {
  gint done;
  gint total;
} Progress;

struct _PxVideoDialog
{
  AdwWindow        parent_instance;

  PxLibrary       *library;
  gint64           image_id;
  char            *image_path;
  char            *preview_path;   /* the preview playing now, deleted when replaced */
  guint            preview_serial;
  gint64           video_id;
  char            *video_path;
  GCancellable    *cancellable;    /* the dialog's life */
  GCancellable    *preview_cancellable;
  GCancellable    *render_cancellable;
  Progress        *progress;
  guint            preview_source;
  guint            progress_source;

  GtkVideo        *video;
  GtkLabel        *status_label;
  PxVideoOptions  *options;
  PxAiVideoGroup  *ai_group;
  GtkWidget       *progress_box;
  GtkProgressBar  *progress_bar;
  GtkWidget       *make_button;
  GtkWidget       *save_button;
  GtkWidget       *show_button;
};

G_DEFINE_FINAL_TYPE (PxVideoDialog, px_video_dialog, ADW_TYPE_WINDOW)

static void
read_settings (PxVideoDialog   *self,
               PxVideoSettings *settings)
{
  px_video_options_read (self->options, settings);
}

/* ---- rendering, on a worker ---- */

typedef struct {
  char            *image_path;
  PxVideoSettings  settings;
  char            *audio;
  char            *output;
  char            *discard;    /* a file done with (the old preview) */
  Progress        *progress;
} Render;

static void
render_free (Render *render)
{
  g_free (render->image_path);
  g_free (render->audio);
  g_free (render->output);
  g_free (render->discard);
  if (render->progress != NULL)
    g_atomic_rc_box_release (render->progress);
  g_free (render);
}

static void
on_frame (guint    done,
          guint    total,
          gpointer user_data)
{
  Progress *progress = user_data;

  g_atomic_int_set (&progress->total, (gint) total);
  g_atomic_int_set (&progress->done, (gint) done);
}

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Render *render = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *dir = g_path_get_dirname (render->output);
  GError *error = NULL;
  gsize length;

  if (render->discard != NULL)
    g_unlink (render->discard);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_get_contents (render->image_path, &contents, &length, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("The image could not be read: %s"),
                               error ? error->message : g_strerror (errno));
      g_clear_error (&error);
      return;
    }
  image = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (px_video_render (image, &render->settings, render->output, cancellable,
                       render->progress ? on_frame : NULL, render->progress, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GTask *
start_render (PxVideoDialog         *self,
              const PxVideoSettings *settings,
              const char            *output,
              GCancellable          *cancellable,
              Progress              *progress,
              GAsyncReadyCallback    callback)
{
  GTask *task = g_task_new (self, cancellable, callback, NULL);
  Render *render = g_new0 (Render, 1);

  render->image_path = g_strdup (self->image_path);
  render->settings = *settings;
  render->audio = g_strdup (settings->audio);
  render->settings.audio = render->audio;
  render->output = g_strdup (output);
  render->progress = progress ? g_atomic_rc_box_acquire (progress) : NULL;
  g_task_set_task_data (task, render, (GDestroyNotify) render_free);
  g_task_set_name (task, "[pixmerge] video dialog render");
  return task;
}

static char *
work_file (const char *name)
{
  return g_build_filename (g_get_user_cache_dir (), "pixmerge", "video", name, NULL);
}

/* ---- preview ---- */

static void
on_preview_rendered (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (source);
  Render *render = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_free (self->preview_path);
  self->preview_path = g_strdup (render->output);
  if (self->video_id == 0)
    {
      gtk_video_set_filename (self->video, self->preview_path);
      gtk_label_set_text (self->status_label, _("A preview at 480p. Make Video renders it at the quality chosen "
                                                "and keeps it in your library."));
    }
}

static gboolean
start_preview (gpointer user_data)
{
  PxVideoDialog *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = g_strdup_printf ("preview-%p-%u.webm", (void *) self, ++self->preview_serial);
  g_autofree char *output = work_file (name);
  PxVideoSettings settings;

  self->preview_source = 0;
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();

  read_settings (self, &settings);
  settings.lines = 480;
  settings.fps = 24;
  settings.format = PX_VIDEO_FORMAT_WEBM;
  task = start_render (self, &settings, output, self->preview_cancellable, NULL, on_preview_rendered);
  /* The preview playing now is deleted once the next one is made. */
  ((Render *) g_task_get_task_data (task))->discard = g_steal_pointer (&self->preview_path);
  gtk_label_set_text (self->status_label, _("Making a preview…"));
  g_task_run_in_thread (task, render_in_thread);
  return G_SOURCE_REMOVE;
}

/* A moment after the last change, so turning a spin button does not start
 * a render per step. */
static void
schedule_preview (PxVideoDialog *self)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->render_cancellable == NULL)
    self->preview_source = g_timeout_add (400, start_preview, self);
}

static void
on_setting_changed (PxVideoDialog *self)
{
  schedule_preview (self);
}

/* ---- make ---- */

static gboolean
update_progress (gpointer user_data)
{
  PxVideoDialog *self = user_data;
  int total = g_atomic_int_get (&self->progress->total), done = g_atomic_int_get (&self->progress->done);
  g_autofree char *text = g_strdup_printf (_("%d of %d frames"), done, total);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
  gtk_progress_bar_set_text (self->progress_bar, total > 0 ? text : _("Starting…"));
  return G_SOURCE_CONTINUE;
}

static void
end_render (PxVideoDialog *self)
{
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->render_cancellable);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_widget_set_sensitive (self->make_button, TRUE);
}

typedef struct {
  gint64           image_id;
  char            *image_path;
  char            *rendered;
  char            *poster;
  PxVideoSettings  settings;
  gint64           video_id;
  char            *video_path;
} Keep;

static void
keep_free (Keep *keep)
{
  g_free (keep->image_path);
  g_free (keep->rendered);
  g_free (keep->poster);
  g_free (keep->video_path);
  g_free (keep);
}

/* On the library's writer: the poster, then the video and its row. */
static gboolean
keep_video (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Keep *keep = data;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(PxLibraryVideo) video = NULL;
  gsize length;
  int width, height;

  if (!g_file_get_contents (keep->image_path, &contents, &length, error))
    return FALSE;
  image = g_bytes_new_take (g_steal_pointer (&contents), length);
  /* The poster is drawn at the video's frame size: that is the video's size. */
  if (!px_video_poster (image, &keep->settings, keep->poster, &width, &height, error))
    return FALSE;
  keep->video_id = px_library_add_video (library, keep->image_id, keep->rendered, keep->poster, &keep->settings,
                                         width, height, error);
  if (keep->video_id == 0)
    return FALSE;
  video = px_library_get_video (library, keep->video_id, error);
  if (video == NULL)
    return FALSE;
  keep->video_path = g_strdup (video->file);
  return TRUE;
}

static void
on_kept (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PxVideoDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  Keep *keep = NULL;

  end_render (self);
  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &keep, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  self->video_id = keep->video_id;
  g_free (self->video_path);
  self->video_path = g_strdup (keep->video_path);
  gtk_video_set_filename (self->video, self->video_path);
  gtk_label_set_text (self->status_label, _("The video is in your library."));
  gtk_widget_set_visible (self->save_button, TRUE);
  gtk_widget_set_visible (self->show_button, TRUE);
}

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (source);
  Render *render = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  Keep *keep;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      end_render (self);
      gtk_label_set_text (self->status_label, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                              ? _("Cancelled; no video was made.") : error->message);
      return;
    }
  gtk_label_set_text (self->status_label, _("Keeping the video in your library…"));
  keep = g_new0 (Keep, 1);
  keep->image_id = self->image_id;
  keep->image_path = g_strdup (self->image_path);
  keep->rendered = g_strdup (render->output);
  keep->poster = g_strconcat (render->output, ".png", NULL);
  keep->settings = render->settings;
  keep->settings.audio = NULL;
  px_library_write_async (self->library, keep_video, keep, (GDestroyNotify) keep_free, self->cancellable, on_kept,
                          g_object_ref (self));
}

static void
make_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = NULL;
  g_autofree char *output = NULL;
  PxVideoSettings settings;

  if (self->render_cancellable != NULL)
    return;
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_cancellable_cancel (self->preview_cancellable);

  read_settings (self, &settings);
  name = g_strdup_printf ("render-%s.%s", uuid, settings.format == PX_VIDEO_FORMAT_MP4 ? "mp4" : "webm");
  output = work_file (name);
  self->render_cancellable = g_cancellable_new ();
  self->progress = g_atomic_rc_box_new0 (Progress);
  task = start_render (self, &settings, output, self->render_cancellable, self->progress, on_rendered);

  gtk_widget_set_sensitive (self->make_button, FALSE);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_label_set_text (self->status_label, _("Making the video…"));
  update_progress (self);
  self->progress_source = g_timeout_add (100, update_progress, self);
  g_task_run_in_thread (task, render_in_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (widget);

  g_cancellable_cancel (self->render_cancellable);
}

/* ---- after ---- */

static void
on_saved (GtkWidget    *from,
          const GError *error)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (from);

  gtk_label_set_text (self->status_label, error ? error->message : _("Saved."));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (widget);
  g_autofree char *base = self->video_path ? g_path_get_basename (self->video_path) : NULL;
  const char *suffix = base != NULL ? strrchr (base, '.') : NULL;
  g_autofree char *name = g_strdup_printf ("video-%" G_GINT64_FORMAT "%s", self->video_id, suffix ? suffix : ".webm");

  if (self->video_path != NULL)
    px_dialog_save_copy (widget, _("Save Video"), self->video_path, name, on_saved);
}

static void
show_in_files_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (widget);

  if (self->video_path != NULL)
    px_dialog_show_in_files (widget, self->video_path);
}

/* ---- a provider's video ---- */

static void
on_ai_status (PxVideoDialog *self,
              const char    *text)
{
  gtk_label_set_text (self->status_label, text);
}

typedef struct {
  gint64  id;
  char   *path;
} VideoRead;

static void
video_read_free (VideoRead *read)
{
  g_free (read->path);
  g_free (read);
}

static gboolean
read_video (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  VideoRead *read = data;
  g_autoptr(PxLibraryVideo) video = px_library_get_video (library, read->id, error);

  if (video == NULL)
    return FALSE;
  read->path = g_strdup (video->file);
  return TRUE;
}

static void
on_ai_video_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PxVideoDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  VideoRead *read = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_cancellable_cancel (self->preview_cancellable);
  self->video_id = read->id;
  g_free (self->video_path);
  self->video_path = g_strdup (read->path);
  gtk_video_set_filename (self->video, self->video_path);
  gtk_widget_set_visible (self->save_button, TRUE);
  gtk_widget_set_visible (self->show_button, TRUE);
}

/* Plays it here, with Save As and Show in Files. */
static void
on_ai_video_made (PxVideoDialog *self,
                  gint64         video_id)
{
  VideoRead *read = g_new0 (VideoRead, 1);

  read->id = video_id;
  px_library_read_async (self->library, read_video, read, (GDestroyNotify) video_read_free, self->cancellable,
                         on_ai_video_read, g_object_ref (self));
}

/* ---- life ---- */

static void
remove_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_unlink (task_data);
}

PxVideoDialog *
px_video_dialog_new (GtkWindow            *parent,
                     PxLibrary            *library,
                     const PxLibraryImage *image)
{
  PxVideoDialog *self = g_object_new (PX_TYPE_VIDEO_DIALOG, "transient-for", parent, NULL);

  self->library = g_object_ref (library);
  self->image_id = image->id;
  self->image_path = g_strdup (image->file);
  px_ai_video_group_set_image (self->ai_group, image);
  schedule_preview (self);
  return self;
}

/* The library id of the video made, or 0 before one is. */
gint64
px_video_dialog_get_video_id (PxVideoDialog *self)
{
  g_return_val_if_fail (PX_IS_VIDEO_DIALOG (self), 0);

  return self->video_id;
}

/* The video stops and lets go of the window's surface while the window is
 * still there: tearing a playing GL-backed stream down after the surface
 * went is where GStreamer's sink and GTK disagree about who is alive. */
static gboolean
on_close_request (PxVideoDialog *self)
{
  g_cancellable_cancel (self->preview_cancellable);
  g_cancellable_cancel (self->render_cancellable);
  gtk_video_set_media_stream (self->video, NULL);
  return FALSE;
}

static void
px_video_dialog_dispose (GObject *object)
{
  PxVideoDialog *self = PX_VIDEO_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  g_cancellable_cancel (self->render_cancellable);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  if (self->preview_path != NULL)
    {
      /* Stop playing it, then delete it on a worker. */
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      gtk_video_set_media_stream (self->video, NULL);
      g_task_set_task_data (task, g_steal_pointer (&self->preview_path), g_free);
      g_task_run_in_thread (task, remove_in_thread);
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->render_cancellable);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  g_clear_object (&self->library);
  g_clear_pointer (&self->image_path, g_free);
  g_clear_pointer (&self->video_path, g_free);

  G_OBJECT_CLASS (px_video_dialog_parent_class)->dispose (object);
}

static void
px_video_dialog_class_init (PxVideoDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_video_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-video-dialog.ui");
  g_type_ensure (PX_TYPE_VIDEO_OPTIONS);
  g_type_ensure (PX_TYPE_AI_VIDEO_GROUP);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, ai_group);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, options);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, video);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, make_button);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, PxVideoDialog, show_button);

  gtk_widget_class_install_action (widget_class, "video.make", NULL, make_action);
  gtk_widget_class_install_action (widget_class, "video.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "video.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "video.show-in-files", NULL, show_in_files_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
px_video_dialog_init (PxVideoDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->options, "changed", G_CALLBACK (on_setting_changed), self);
  g_signal_connect_swapped (self->ai_group, "status", G_CALLBACK (on_ai_status), self);
  g_signal_connect_swapped (self->ai_group, "video-made", G_CALLBACK (on_ai_video_made), self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}
