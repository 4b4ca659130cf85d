/* px-result-card.c: a generated image as the Generate page shows it: the
 * picture (decoded before it gets here, on a worker), and buttons to open
 * it in the Gallery, generate again, copy, save a copy, and for memes draw
 * the captions again from the original ("raw"). Emits "regenerate" and
 * "update-captions"; the page does those. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "px-result-card.h"

struct _PxResultCard
{
  GtkBox                parent_instance;

  gint64                id;          /* 0: not in the library */
  GBytes               *bytes;       /* as kept: what Save As writes */
  char                 *mime_type;
  GBytes               *raw;         /* before captions, or NULL */
  GtkPicture           *picture;
  GtkWidget            *open;
  GtkWidget            *edit;        /* both need the library id */
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (PxResultCard, px_result_card, GTK_TYPE_BOX)

enum {
  REGENERATE,
  UPDATE_CAPTIONS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (PxResultCard *self,
       const char   *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
on_copy (PxResultCard *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);

  if (GDK_IS_TEXTURE (paintable))
    {
      gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), GDK_TEXTURE (paintable));
      toast (self, _("Image copied"));
    }
}

static void
on_open (PxResultCard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-image", "x", self->id);
}

static void
on_edit (PxResultCard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-image", "x", self->id);
}

static void
on_regenerate (PxResultCard *self)
{
  g_signal_emit (self, signals[REGENERATE], 0);
}

static void
on_update_captions (PxResultCard *self)
{
  g_signal_emit (self, signals[UPDATE_CAPTIONS], 0);
}

static void
on_saved_as (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxResultCard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not save the image: %s"), error->message);
      toast (self, message);
    }
  else
    toast (self, _("Image saved"));
}

static void
on_save_as_response (GtkNativeDialog *chooser,
                     int              response,
                     PxResultCard    *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && self->bytes != NULL)
    /* Written beside and renamed over, on a worker: a crash never leaves
     * half a file. */
    g_file_replace_contents_bytes_async (file, self->bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                        self->cancellable, on_saved_as, g_object_ref (self));
  g_clear_object (&self->chooser);
}

static void
on_save_as (PxResultCard *self)
{
  g_autofree char *name = g_strdup_printf ("pixmerge-%" G_GINT64_FORMAT ".%s", self->id,
                                           g_strcmp0 (self->mime_type, "image/jpeg") == 0 ? "jpg" :
                                           g_strcmp0 (self->mime_type, "image/webp") == 0 ? "webp" : "png");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save Image"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_as_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static GtkWidget *
add_button (PxResultCard *self,
            GtkWidget    *box,
            const char   *icon,
            const char   *tooltip,
            GCallback     clicked)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", clicked, self);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

/* The image as kept in the library (id; 0 when it could not be), and the
 * texture decoded from it. */
void
px_result_card_set_image (PxResultCard *self,
                          gint64        id,
                          GBytes       *bytes,
                          const char   *mime_type,
                          GdkTexture   *texture)
{
  g_return_if_fail (PX_IS_RESULT_CARD (self));

  self->id = id;
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  g_free (self->mime_type);
  self->mime_type = g_strdup (mime_type);
  gtk_picture_set_paintable (self->picture, texture ? GDK_PAINTABLE (texture) : NULL);
  gtk_widget_set_sensitive (self->open, id > 0);
  gtk_widget_set_sensitive (self->edit, id > 0);
}

gint64
px_result_card_get_id (PxResultCard *self)
{
  g_return_val_if_fail (PX_IS_RESULT_CARD (self), 0);

  return self->id;
}

GBytes *
px_result_card_get_raw (PxResultCard *self)
{
  g_return_val_if_fail (PX_IS_RESULT_CARD (self), NULL);

  return self->raw;
}

PxResultCard *
px_result_card_new (const char *prompt,
                    GBytes     *raw)
{
  PxResultCard *self = g_object_new (PX_TYPE_RESULT_CARD, "orientation", GTK_ORIENTATION_VERTICAL, "spacing", 6, NULL);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  self->raw = raw ? g_bytes_ref (raw) : NULL;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->picture), prompt);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL, prompt, -1);

  self->open = add_button (self, buttons, "image-x-generic-symbolic", _("Open in Gallery"), G_CALLBACK (on_open));
  self->edit = add_button (self, buttons, "document-edit-symbolic", _("Edit"), G_CALLBACK (on_edit));
  gtk_widget_set_name (self->edit, "edit-result");
  add_button (self, buttons, "view-refresh-symbolic", _("Regenerate"), G_CALLBACK (on_regenerate));
  add_button (self, buttons, "edit-copy-symbolic", _("Copy Image"), G_CALLBACK (on_copy));
  add_button (self, buttons, "document-save-as-symbolic", _("Save As…"), G_CALLBACK (on_save_as));
  if (raw != NULL)
    add_button (self, buttons, "format-text-bold-symbolic", _("Update Captions"), G_CALLBACK (on_update_captions));
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self), buttons);
  gtk_widget_set_sensitive (self->open, FALSE);
  gtk_widget_set_sensitive (self->edit, FALSE);
  return self;
}

static void
px_result_card_dispose (GObject *object)
{
  PxResultCard *self = PX_RESULT_CARD (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (px_result_card_parent_class)->dispose (object);
}

static void
px_result_card_finalize (GObject *object)
{
  PxResultCard *self = PX_RESULT_CARD (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_free (self->mime_type);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (px_result_card_parent_class)->finalize (object);
}

static void
px_result_card_class_init (PxResultCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_result_card_dispose;
  object_class->finalize = px_result_card_finalize;

  /* Generate again with the same prompt and settings. */
  signals[REGENERATE] = g_signal_new ("regenerate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 0);
  /* Draw the page's captions again over the original. */
  signals[UPDATE_CAPTIONS] = g_signal_new ("update-captions", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 0);
}

static void
px_result_card_init (PxResultCard *self)
{
  self->cancellable = g_cancellable_new ();
  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), 200, 200);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->picture), 6);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->picture));
}
