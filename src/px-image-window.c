/* px-image-window.c: the detail view of a library image: the picture, its
 * prompt and template, tokens, model, settings, size, cost and time, and
 * what a user does with one image: copy the prompt or the image, save it as
 * PNG, JPEG or WebP, show it in Files, delete it (the Gallery does the
 * delete, with undo). */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "px-application.h"
#include "px-dialog.h"
#include "px-editor-window.h"
#include "px-adaptive.h"
#include "px-image-window.h"
#include "px-video-dialog.h"
#include "px-json.h"
#include "px-recipe.h"

struct _PxImageWindow
{
  AdwWindow        parent_instance;

  PxLibraryImage  *image;
  GdkTexture      *texture;
  GtkFileChooserNative *chooser;
  GCancellable    *cancellable;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkPicture      *picture;
  GtkToggleButton *details_button;
  GtkLabel        *prompt_label;
  AdwActionRow    *template_row;
  AdwActionRow    *tokens_row;
  AdwActionRow    *model_row;
  AdwActionRow    *settings_row;
  AdwActionRow    *size_row;
  AdwActionRow    *cost_row;
  AdwActionRow    *edit_row;
};

G_DEFINE_FINAL_TYPE (PxImageWindow, px_image_window, ADW_TYPE_WINDOW)

enum {
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {"A":"x","B":"y"} as "A: x, B: y". */
static char *
describe_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (json == NULL || !px_json_load (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup (_("None"));

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (out, "%s%s: %s", out->len ? ", " : "", (const char *) l->data,
                            json_object_get_string_member_with_default (object, l->data, ""));

  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : g_strdup (_("None"));
}

static void
show_toast (PxImageWindow *self,
            const char    *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
copy_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->image->prompt);
  show_toast (self, _("Prompt copied"));
}

/* The main window puts it on the Generate page. */
static void
reuse_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL &&
      gtk_widget_activate_action (GTK_WIDGET (parent), "win.reuse-image", "x", self->image->id))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
copy_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);

  if (self->texture == NULL)
    return;
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), self->texture);
  show_toast (self, _("Image copied"));
}

static void
show_in_files_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);

  px_dialog_show_in_files (widget, self->image->file);
}

static void
make_video_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *application = gtk_window_get_application (parent ? parent : GTK_WINDOW (self));
  const GError *problem = NULL;
  PxLibrary *library = PX_IS_APPLICATION (application)
                       ? px_application_get_library (PX_APPLICATION (application), &problem) : NULL;
  PxVideoDialog *dialog;

  if (library == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (problem ? problem->message : _("The library is not open.")));
      return;
    }
  dialog = px_video_dialog_new (GTK_WINDOW (self), library, self->image);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkApplication *application = gtk_window_get_application (parent ? parent : GTK_WINDOW (self));
  PxLibrary *library = PX_IS_APPLICATION (application)
                       ? px_application_get_library (PX_APPLICATION (application), NULL) : NULL;

  if (library == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("The library is not open.")));
      return;
    }
  gtk_window_present (GTK_WINDOW (px_editor_window_new (GTK_WINDOW (self), library, self->image)));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);

  g_signal_emit (self, signals[DELETE_REQUESTED], 0, self->image->id);
  gtk_window_close (GTK_WINDOW (self));
}

typedef struct {
  PxLibraryImage *image;
  char           *path;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  px_library_image_free (job->image);
  g_free (job->path);
  g_free (job);
}

/* PNG keeps the file as it is, with its provenance chunks; JPEG and WebP
 * are converted (px_library_export_file). Whole or not at all, on a worker. */
static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (px_library_export_file (job->image, job->path, px_library_format_for_name (job->path), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (source);
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    show_toast (self, _("Image saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the image: %s"), error->message);
      show_toast (self, message);
    }
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  PxImageWindow   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_saved, NULL);
      SaveJob *job = g_new0 (SaveJob, 1);

      job->image = px_library_image_copy (self->image);
      job->path = g_file_get_path (file);
      g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
      g_task_run_in_thread (task, save_in_thread);
    }

  g_clear_object (&self->chooser);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (widget);
  g_autofree char *name = px_library_export_name (self->image, "[NAME|image]-[ID]", NULL);
  g_autofree char *file_name = g_strdup_printf ("%s.png", name ? name : "image");
  GtkFileFilter *filter = gtk_file_filter_new ();

  /* The portal file chooser: no home-folder access in the sandbox. */
  self->chooser = gtk_file_chooser_native_new (_("Save Image"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), file_name);
  gtk_file_filter_set_name (filter, _("PNG, JPEG or WebP image"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_filename (task_data, &error);

  if (texture != NULL)
    g_task_return_pointer (task, texture, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_texture_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (source);
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not show %s: %s", self->image->file, error->message);
      return;
    }
  g_clear_object (&self->texture);
  self->texture = texture;
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
load_texture (PxImageWindow *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_texture_loaded, NULL);

  g_task_set_task_data (task, g_strdup (self->image->file), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

/* A version made from another: what was done to it. */
static void
show_edit (PxImageWindow *self)
{
  g_autoptr(PxRecipe) recipe = self->image->recipe_json ? px_recipe_new_from_json (self->image->recipe_json, -1, NULL)
                                                        : NULL;
  g_autofree char *steps = recipe ? px_recipe_describe (recipe) : NULL;
  g_autofree char *asked = self->image->instruction ? g_strdup_printf (_("Asked of %s: “%s”"), self->image->model,
                                                                       self->image->instruction)
                                                    : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->edit_row), steps != NULL || asked != NULL);
  adw_action_row_set_subtitle (self->edit_row, asked ? asked : steps ? steps : "");
}

static void
fill (PxImageWindow *self)
{
  const PxLibraryImage *image = self->image;
  g_autofree char *tokens = describe_json (image->tokens_json);
  g_autofree char *settings = describe_json (image->settings_json);
  g_autofree char *model = g_strdup_printf ("%s (%s)", image->model, image->provider);
  g_autofree char *size = g_format_size (image->bytes);
  g_autofree char *dimensions = g_strdup_printf ("%d × %d, %s, %s", image->width, image->height, image->mime_type, size);
  g_autofree char *cost = g_strdup_printf (_("$%.3f, %.1f s"), image->cost, image->generation_ms / 1000.0);
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (image->created);
  g_autofree char *date = g_date_time_format (created, "%x %X");

  adw_window_title_set_subtitle (self->window_title, date);
  gtk_label_set_text (self->prompt_label, image->prompt);
  adw_action_row_set_subtitle (self->template_row,
                               image->template_prompt && *image->template_prompt ? image->template_prompt : image->prompt);
  adw_action_row_set_subtitle (self->tokens_row, tokens);
  adw_action_row_set_subtitle (self->model_row, model);
  adw_action_row_set_subtitle (self->settings_row, settings);
  adw_action_row_set_subtitle (self->size_row, dimensions);
  adw_action_row_set_subtitle (self->cost_row, cost);
  show_edit (self);

  /* The picture comes when it is decoded, on a worker. */
  load_texture (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL, image->prompt, -1);
}

PxImageWindow *
px_image_window_new (GtkWindow            *parent,
                     const PxLibraryImage *image)
{
  PxImageWindow *self = g_object_new (PX_TYPE_IMAGE_WINDOW, "transient-for", parent, NULL);

  self->image = px_library_image_copy (image);
  fill (self);
  return self;
}

const PxLibraryImage *
px_image_window_get_image (PxImageWindow *self)
{
  return self->image;
}

static void
px_image_window_dispose (GObject *object)
{
  PxImageWindow *self = PX_IMAGE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_IMAGE_WINDOW);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->image, px_library_image_free);

  G_OBJECT_CLASS (px_image_window_parent_class)->dispose (object);
}

static void
px_image_window_class_init (PxImageWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_image_window_dispose;

  signals[DELETE_REQUESTED] = g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-image-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, picture);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, template_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, tokens_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, settings_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, size_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, cost_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, edit_row);

  gtk_widget_class_install_action (widget_class, "image.copy-prompt", NULL, copy_prompt_action);
  gtk_widget_class_install_action (widget_class, "image.reuse", NULL, reuse_action);
  gtk_widget_class_install_action (widget_class, "image.copy-image", NULL, copy_image_action);
  gtk_widget_class_install_action (widget_class, "image.show-in-files", NULL, show_in_files_action);
  gtk_widget_class_install_action (widget_class, "image.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "image.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "image.make-video", NULL, make_video_action);
  gtk_widget_class_install_action (widget_class, "image.edit", NULL, edit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "image.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "image.save-as", NULL);
}

static void
px_image_window_init (PxImageWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The flap is found, not bound: GTK 4.8 would unparent its children twice. */
  px_adaptive_follow_fold (ADW_FLAP (gtk_widget_get_ancestor (GTK_WIDGET (self->picture), ADW_TYPE_FLAP)),
                           self->details_button);
  self->cancellable = g_cancellable_new ();
}
