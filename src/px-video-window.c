/* px-video-window.c: the detail view of a video: it plays at once, looped,
 * with GtkVideo's own controls (play/pause, seek, volume); its image's
 * prompt and how it was made underneath. Delete asks the Gallery (signal
 * "delete-requested"), which offers Undo. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-dialog.h"
#include "px-ai-video.h"
#include "px-video.h"
#include "px-video-window.h"

struct _PxVideoWindow
{
  AdwWindow        parent_instance;

  gint64           id;
  char            *file;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkVideo        *video;
  GtkLabel        *prompt_label;
  GtkLabel        *details_label;
};

G_DEFINE_FINAL_TYPE (PxVideoWindow, px_video_window, ADW_TYPE_WINDOW)

enum {
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_saved (GtkWidget    *from,
          const GError *error)
{
  PxVideoWindow *self = PX_VIDEO_WINDOW (from);
  g_autofree char *title = error ? g_strdup_printf (_("The video could not be saved: %s"), error->message) : NULL;

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title ? title : _("Video saved")));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PxVideoWindow *self = PX_VIDEO_WINDOW (widget);
  const char *suffix = strrchr (self->file, '.');
  g_autofree char *name = g_strdup_printf ("video-%" G_GINT64_FORMAT "%s", self->id, suffix ? suffix : ".webm");

  px_dialog_save_copy (widget, _("Save Video"), self->file, name, on_saved);
}

static void
show_in_files_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  px_dialog_show_in_files (widget, PX_VIDEO_WINDOW (widget)->file);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxVideoWindow *self = PX_VIDEO_WINDOW (widget);

  g_signal_emit (self, signals[DELETE_REQUESTED], 0, self->id);
  gtk_window_close (GTK_WINDOW (self));
}

PxVideoWindow *
px_video_window_new (GtkWindow            *parent,
                     const PxLibraryVideo *video)
{
  PxVideoWindow *self = g_object_new (PX_TYPE_VIDEO_WINDOW, "transient-for", parent, NULL);
  g_autofree char *details = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (video->created);
  g_autofree char *when = created ? g_date_time_format (created, "%x %X") : g_strdup ("");

  self->id = video->id;
  self->file = g_strdup (video->file);
  subtitle = g_strdup_printf (_("%d × %d, %.1f seconds"), video->width, video->height, video->duration_ms / 1000.0);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_label_set_text (self->prompt_label, video->prompt ? video->prompt
                                                        : _("Its image is no longer in the library."));
  if (px_ai_video_find_model (video->effect) != NULL)
    details = g_strdup_printf (_("Made by %s for $%.2f · %s"), px_ai_video_find_model (video->effect)->name,
                               video->cost, when);
  else
    details = g_strdup_printf (_("Effect: %s · Made %s"), video->effect ? px_video_effect_label (video->effect) : "?",
                               when);
  gtk_label_set_text (self->details_label, details);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->video), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  video->prompt ? video->prompt : _("Video"), -1);
  gtk_video_set_filename (self->video, video->file);
  return self;
}

GtkVideo *
px_video_window_get_video (PxVideoWindow *self)
{
  g_return_val_if_fail (PX_IS_VIDEO_WINDOW (self), NULL);

  return self->video;
}

/* Stop the stream while the window's surface is still there (see the
 * Make Video dialog). */
static gboolean
on_close_request (PxVideoWindow *self)
{
  gtk_video_set_media_stream (self->video, NULL);
  return FALSE;
}

static void
px_video_window_dispose (GObject *object)
{
  PxVideoWindow *self = PX_VIDEO_WINDOW (object);

  g_clear_pointer (&self->file, g_free);

  G_OBJECT_CLASS (px_video_window_parent_class)->dispose (object);
}

static void
px_video_window_class_init (PxVideoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_video_window_dispose;

  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-video-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PxVideoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PxVideoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PxVideoWindow, video);
  gtk_widget_class_bind_template_child (widget_class, PxVideoWindow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, PxVideoWindow, details_label);

  gtk_widget_class_install_action (widget_class, "video-window.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "video-window.show-in-files", NULL, show_in_files_action);
  gtk_widget_class_install_action (widget_class, "video-window.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "video-window.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "video-window.save-as", NULL);
}

static void
px_video_window_init (PxVideoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}
