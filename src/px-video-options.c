/* px-video-options.c: the rows that say how a video is made. "changed" is
 * emitted when what a preview shows changes (effect, length, fit, sound),
 * not for quality settings a 480p preview ignores. The sound file is
 * chosen here and owned here; settings read from it borrow its path. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-video-options.h"

struct _PxVideoOptions
{
  AdwBin                parent_instance;

  char                 *audio;
  GtkFileChooserNative *chooser;

  AdwComboRow          *effect_row;
  GtkSpinButton        *duration_spin;
  AdwComboRow          *resolution_row;
  AdwComboRow          *fps_row;
  AdwComboRow          *fit_row;
  AdwComboRow          *format_row;
  AdwActionRow         *audio_row;
  GtkWidget            *audio_clear_button;
};

G_DEFINE_FINAL_TYPE (PxVideoOptions, px_video_options, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of the Effect list. */
static const PxVideoEffect effects[] = {
  PX_VIDEO_EFFECT_KEN_BURNS, PX_VIDEO_EFFECT_ZOOM_IN, PX_VIDEO_EFFECT_ZOOM_OUT, PX_VIDEO_EFFECT_PAN_LEFT,
  PX_VIDEO_EFFECT_PAN_RIGHT, PX_VIDEO_EFFECT_PAN_UP, PX_VIDEO_EFFECT_PAN_DOWN, PX_VIDEO_EFFECT_STILL,
};
static const int resolutions[] = { 480, 720, 1080 };
static const int rates[] = { 24, 30, 60 };

/* The settings the rows show; settings->audio is borrowed from @self. */
void
px_video_options_read (PxVideoOptions  *self,
                       PxVideoSettings *settings)
{
  g_return_if_fail (PX_IS_VIDEO_OPTIONS (self));

  px_video_settings_init (settings);
  settings->effect = effects[MIN (adw_combo_row_get_selected (self->effect_row), G_N_ELEMENTS (effects) - 1)];
  settings->seconds = gtk_spin_button_get_value (self->duration_spin);
  settings->lines = resolutions[MIN (adw_combo_row_get_selected (self->resolution_row), G_N_ELEMENTS (resolutions) - 1)];
  settings->fps = rates[MIN (adw_combo_row_get_selected (self->fps_row), G_N_ELEMENTS (rates) - 1)];
  settings->fit = adw_combo_row_get_selected (self->fit_row) == 1 ? PX_VIDEO_FIT_LETTERBOX : PX_VIDEO_FIT_CROP;
  settings->format = adw_combo_row_get_selected (self->format_row) == 1 ? PX_VIDEO_FORMAT_MP4 : PX_VIDEO_FORMAT_WEBM;
  settings->audio = self->audio;
}

static void
emit_changed (PxVideoOptions *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_audio (PxVideoOptions *self,
           const char     *path)
{
  g_autofree char *name = path ? g_path_get_basename (path) : NULL;

  g_free (self->audio);
  self->audio = g_strdup (path);
  adw_action_row_set_subtitle (self->audio_row, name ? name : _("None"));
  gtk_widget_set_visible (self->audio_clear_button, path != NULL);
  emit_changed (self);
}

static void
on_audio_response (GtkNativeDialog *chooser,
                   int              response,
                   PxVideoOptions  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      set_audio (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_audio_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PxVideoOptions *self = PX_VIDEO_OPTIONS (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileFilter *filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose Sound"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Sound"));
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_audio_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_audio_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  set_audio (PX_VIDEO_OPTIONS (widget), NULL);
}

static void
px_video_options_dispose (GObject *object)
{
  PxVideoOptions *self = PX_VIDEO_OPTIONS (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->audio, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_VIDEO_OPTIONS);

  G_OBJECT_CLASS (px_video_options_parent_class)->dispose (object);
}

static void
px_video_options_class_init (PxVideoOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_video_options_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-video-options.ui");
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, effect_row);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, fps_row);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, fit_row);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, format_row);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, audio_row);
  gtk_widget_class_bind_template_child (widget_class, PxVideoOptions, audio_clear_button);

  gtk_widget_class_install_action (widget_class, "video-options.choose-audio", NULL, choose_audio_action);
  gtk_widget_class_install_action (widget_class, "video-options.clear-audio", NULL, clear_audio_action);
}

static void
px_video_options_init (PxVideoOptions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->effect_row, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->fit_row, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->duration_spin, "value-changed", G_CALLBACK (emit_changed), self);
}
