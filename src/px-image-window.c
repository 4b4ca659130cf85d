/* px-image-window.c: the detail view of a library image: the picture, its
 * prompt and template, tokens, model, settings, size, cost and time, and
 * what a user does with one image: copy the prompt or the image, save it as
 * PNG, JPEG or WebP, show it in Files, delete it (the Gallery does the
 * delete, with undo). */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "px-image-check.h"
#include "px-image-window.h"
#include "px-xmp.h"

struct _PxImageWindow
{
  AdwWindow        parent_instance;

  PxLibraryImage  *image;
  GdkTexture      *texture;
  GtkFileChooserNative *chooser;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkPicture      *picture;
  GtkLabel        *prompt_label;
  AdwActionRow    *template_row;
  AdwActionRow    *tokens_row;
  AdwActionRow    *model_row;
  AdwActionRow    *settings_row;
  AdwActionRow    *size_row;
  AdwActionRow    *cost_row;
};

G_DEFINE_FINAL_TYPE (PxImageWindow, px_image_window, ADW_TYPE_WINDOW)

enum {
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static PxLibraryImage *
copy_image (const PxLibraryImage *image)
{
  PxLibraryImage *copy = g_memdup2 (image, sizeof *image);

  copy->file = g_strdup (image->file);
  copy->sha256 = g_strdup (image->sha256);
  copy->template_prompt = g_strdup (image->template_prompt);
  copy->prompt = g_strdup (image->prompt);
  copy->revised_prompt = g_strdup (image->revised_prompt);
  copy->provider = g_strdup (image->provider);
  copy->model = g_strdup (image->model);
  copy->tokens_json = g_strdup (image->tokens_json);
  copy->settings_json = g_strdup (image->settings_json);
  copy->mime_type = g_strdup (image->mime_type);
  copy->feature = g_strdup (image->feature);

  return copy;
}

/* {"A":"x","B":"y"} as "A: x, B: y". */
static char *
describe_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
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
  g_autoptr(GFile) file = g_file_new_for_path (self->image->file);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (folder);

  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
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

/* PNG keeps the file as it is, with its provenance chunks; JPEG and WebP
 * are converted. The file is written whole or not at all. */
static gboolean
save_as (PxImageWindow  *self,
         GFile          *target,
         GError        **error)
{
  g_autofree char *path = g_file_get_path (target);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *contents = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *format = NULL;
  gsize length;

  if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg"))
    format = "jpeg";
  else if (g_str_has_suffix (lower, ".webp"))
    format = "webp";

  if (!g_file_get_contents (self->image->file, &contents, &length, error))
    return FALSE;
  if (format == NULL || g_strcmp0 (self->image->mime_type, format[0] == 'j' ? "image/jpeg" : "image/webp") == 0)
    return g_file_set_contents (path, contents, length, error);

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  pixbuf = px_image_load_scaled (bytes, self->image->mime_type, G_MAXINT, error);
  if (pixbuf == NULL ||
      !gdk_pixbuf_save_to_buffer (pixbuf, &converted, &length, format, error, "quality", "92", NULL))
    return FALSE;

  /* Converting drops the PNG's text chunks: carry the provenance as XMP. */
  {
    g_autoptr(GBytes) plain = g_bytes_new_take (g_steal_pointer (&converted), length);
    g_autofree char *packet = px_xmp_packet (self->image->prompt, self->image->template_prompt, self->image->model,
                                             self->image->tokens_json, self->image->settings_json);
    g_autoptr(GBytes) tagged = px_xmp_embed (plain, format[0] == 'j' ? "image/jpeg" : "image/webp", packet);
    GBytes *out = tagged ? tagged : plain;

    return g_file_set_contents (path, g_bytes_get_data (out, NULL), g_bytes_get_size (out), error);
  }
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  PxImageWindow   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (save_as (self, file, &error))
        show_toast (self, _("Image saved"));
      else
        {
          g_autofree char *message = g_strdup_printf (_("Could not save the image: %s"), error->message);
          show_toast (self, message);
        }
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
  g_autoptr(GError) error = NULL;

  adw_window_title_set_subtitle (self->window_title, date);
  gtk_label_set_text (self->prompt_label, image->prompt);
  adw_action_row_set_subtitle (self->template_row,
                               image->template_prompt && *image->template_prompt ? image->template_prompt : image->prompt);
  adw_action_row_set_subtitle (self->tokens_row, tokens);
  adw_action_row_set_subtitle (self->model_row, model);
  adw_action_row_set_subtitle (self->settings_row, settings);
  adw_action_row_set_subtitle (self->size_row, dimensions);
  adw_action_row_set_subtitle (self->cost_row, cost);

  self->texture = gdk_texture_new_from_filename (image->file, &error);
  if (self->texture != NULL)
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
  else
    gtk_picture_set_paintable (self->picture, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL, image->prompt, -1);
}

PxImageWindow *
px_image_window_new (GtkWindow            *parent,
                     const PxLibraryImage *image)
{
  PxImageWindow *self = g_object_new (PX_TYPE_IMAGE_WINDOW, "transient-for", parent, NULL);

  self->image = copy_image (image);
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
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, template_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, tokens_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, settings_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, size_row);
  gtk_widget_class_bind_template_child (widget_class, PxImageWindow, cost_row);

  gtk_widget_class_install_action (widget_class, "image.copy-prompt", NULL, copy_prompt_action);
  gtk_widget_class_install_action (widget_class, "image.reuse", NULL, reuse_action);
  gtk_widget_class_install_action (widget_class, "image.copy-image", NULL, copy_image_action);
  gtk_widget_class_install_action (widget_class, "image.show-in-files", NULL, show_in_files_action);
  gtk_widget_class_install_action (widget_class, "image.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "image.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "image.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "image.save-as", NULL);
}

static void
px_image_window_init (PxImageWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
