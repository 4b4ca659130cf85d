/* px-ai-video-group.c: asks Veo for a video of the image. The button
 * says what it costs; the request goes through the application's
 * follower, which writes the job down first, sends it once and follows it
 * to its end even if this window closes. "status" says where it is,
 * "video-made" gives the video's id when it is in the library. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-ai-video-group.h"
#include "px-application.h"

struct _PxAiVideoGroup
{
  AdwBin       parent_instance;

  gint64       image_id;
  char        *image_path;
  char        *mime_type;
  int          width;
  int          height;
  gint64       job_id;
  gboolean     asking;
  GCancellable *cancellable;

  AdwComboRow *ai_model_row;
  AdwEntryRow *ai_prompt_row;
  AdwComboRow *ai_length_row;
  AdwComboRow *ai_resolution_row;
  GtkButton   *ai_button;
};

G_DEFINE_FINAL_TYPE (PxAiVideoGroup, px_ai_video_group, ADW_TYPE_BIN)

enum {
  STATUS,
  VIDEO_MADE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const int lengths[] = { 4, 6, 8 };

static const PxAiVideoModel *
chosen_model (PxAiVideoGroup *self)
{
  guint n;
  const PxAiVideoModel *models = px_ai_video_models (&n);

  return &models[MIN (adw_combo_row_get_selected (self->ai_model_row), n - 1)];
}

static int
chosen_seconds (PxAiVideoGroup *self)
{
  return lengths[MIN (adw_combo_row_get_selected (self->ai_length_row), G_N_ELEMENTS (lengths) - 1)];
}

static const char *
chosen_resolution (PxAiVideoGroup *self)
{
  return adw_combo_row_get_selected (self->ai_resolution_row) == 1 ? "1080p" : "720p";
}

static void
status (PxAiVideoGroup *self,
        const char     *text)
{
  g_signal_emit (self, signals[STATUS], 0, text);
}

/* The price on the button, in the user's currency format for dollars. */
static void
update_button (PxAiVideoGroup *self)
{
  const PxAiVideoModel *model = chosen_model (self);
  double price = px_ai_video_price (model, chosen_seconds (self), chosen_resolution (self));
  g_autofree char *label = g_strdup_printf (_("_Ask %s — $%.2f"), model->name, price);

  gtk_button_set_label (self->ai_button, label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai-video.ask", !self->asking && self->image_path != NULL);
}

static void
on_choice_changed (PxAiVideoGroup *self)
{
  /* Veo makes 1080p at 8 seconds only. */
  if (g_str_equal (chosen_resolution (self), "1080p") && chosen_seconds (self) != 8)
    adw_combo_row_set_selected (self->ai_length_row, G_N_ELEMENTS (lengths) - 1);
  if (chosen_seconds (self) != 8 && g_str_equal (chosen_resolution (self), "1080p"))
    adw_combo_row_set_selected (self->ai_resolution_row, 0);
  update_button (self);
}

static void
on_finished (PxAiVideoGroup *self,
             gint64          job_id,
             gint64          video_id,
             const GError   *error)
{
  if (job_id != self->job_id)
    return;
  self->asking = FALSE;
  update_button (self);
  if (video_id > 0)
    {
      status (self, _("Veo made the video; it is in your library."));
      g_signal_emit (self, signals[VIDEO_MADE], 0, video_id);
    }
  else
    status (self, error ? error->message : _("The video could not be made."));
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PxAiVideoGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 job_id = px_ai_video_follower_start_finish (PX_AI_VIDEO_FOLLOWER (source), result, &error);

  if (job_id == 0)
    {
      self->asking = FALSE;
      update_button (self);
      status (self, error->message);
      return;
    }
  self->job_id = job_id;
  status (self, _("Sent to Google. Veo is making the video; it takes a minute or two. You can close this window: "
                  "the video will be in the Gallery when it is ready."));
}

static void
on_image_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PxAiVideoGroup *self = PX_AI_VIDEO_GROUP (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = g_task_propagate_pointer (G_TASK (result), &error);
  PxApplication *app = PX_IS_APPLICATION (g_application_get_default ())
                       ? PX_APPLICATION (g_application_get_default ()) : NULL;
  PxAiVideoFollower *follower = app ? px_application_get_ai_videos (app) : NULL;
  g_autofree char *prompt = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ai_prompt_row)));
  PxAiVideoRequest request;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (image == NULL || follower == NULL)
    {
      self->asking = FALSE;
      update_button (self);
      status (self, error ? error->message : _("The library is not open."));
      return;
    }
  request = (PxAiVideoRequest) {
    .image_id = self->image_id, .model_id = chosen_model (self)->id, .prompt = g_strstrip (prompt),
    .image = image, .mime_type = self->mime_type, .seconds = chosen_seconds (self),
    .resolution = chosen_resolution (self), .aspect_ratio = px_ai_video_aspect_for (self->width, self->height),
  };
  g_signal_connect_object (follower, "finished", G_CALLBACK (on_finished), self, G_CONNECT_SWAPPED);
  /* Once asked it is not cancelled: the job must be written down. */
  px_ai_video_follower_start_async (follower, &request, NULL, on_started, g_object_ref (self));
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  char *contents = NULL;
  gsize length;

  if (g_file_get_contents (task_data, &contents, &length, &error))
    g_task_return_pointer (task, g_bytes_new_take (contents, length), (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

static void
ask_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PxAiVideoGroup *self = PX_AI_VIDEO_GROUP (widget);
  g_autoptr(GTask) task = NULL;

  if (self->asking || self->image_path == NULL)
    return;
  self->asking = TRUE;
  update_button (self);
  status (self, _("Asking Google…"));
  task = g_task_new (self, self->cancellable, on_image_read, NULL);
  g_task_set_task_data (task, g_strdup (self->image_path), g_free);
  g_task_run_in_thread (task, read_in_thread);
}

void
px_ai_video_group_set_image (PxAiVideoGroup       *self,
                             const PxLibraryImage *image)
{
  g_return_if_fail (PX_IS_AI_VIDEO_GROUP (self));

  self->image_id = image->id;
  g_free (self->image_path);
  self->image_path = g_strdup (image->file);
  g_free (self->mime_type);
  self->mime_type = g_strdup (image->mime_type);
  self->width = image->width;
  self->height = image->height;
  update_button (self);
}

/* The job asked from here, or 0. */
gint64
px_ai_video_group_get_job_id (PxAiVideoGroup *self)
{
  g_return_val_if_fail (PX_IS_AI_VIDEO_GROUP (self), 0);

  return self->job_id;
}

static void
px_ai_video_group_dispose (GObject *object)
{
  PxAiVideoGroup *self = PX_AI_VIDEO_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->image_path, g_free);
  g_clear_pointer (&self->mime_type, g_free);

  G_OBJECT_CLASS (px_ai_video_group_parent_class)->dispose (object);
}

static void
px_ai_video_group_class_init (PxAiVideoGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_ai_video_group_dispose;

  signals[STATUS] = g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[VIDEO_MADE] = g_signal_new ("video-made", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-ai-video-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PxAiVideoGroup, ai_model_row);
  gtk_widget_class_bind_template_child (widget_class, PxAiVideoGroup, ai_prompt_row);
  gtk_widget_class_bind_template_child (widget_class, PxAiVideoGroup, ai_length_row);
  gtk_widget_class_bind_template_child (widget_class, PxAiVideoGroup, ai_resolution_row);
  gtk_widget_class_bind_template_child (widget_class, PxAiVideoGroup, ai_button);
  gtk_widget_class_install_action (widget_class, "ai-video.ask", NULL, ask_action);
}

static void
px_ai_video_group_init (PxAiVideoGroup *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const PxAiVideoModel *models;
  guint n;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  models = px_ai_video_models (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, models[i].name);
  adw_combo_row_set_model (self->ai_model_row, G_LIST_MODEL (names));
  g_signal_connect_swapped (self->ai_model_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->ai_length_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->ai_resolution_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  update_button (self);
}
