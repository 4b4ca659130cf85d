/* px-dialog.c: a question over the window of `from`, with Cancel and one
 * answer (the default, so Enter gives it), and an optional widget for the
 * answer's details. The caller connects ::response and presents it. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-dialog.h"

AdwMessageDialog *
px_dialog_ask (GtkWidget             *from,
               const char            *heading,
               const char            *body,
               GtkWidget             *extra,
               const char            *response,
               const char            *label,
               AdwResponseAppearance  appearance)
{
  GtkRoot *root = gtk_widget_get_root (from);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                         heading, body));

  if (extra != NULL)
    adw_message_dialog_set_extra_child (dialog, extra);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  if (appearance != ADW_RESPONSE_DESTRUCTIVE)
    adw_message_dialog_set_default_response (dialog, response);
  return dialog;
}

/* The portal file chooser over the window of `from`, showing files of one
 * kind (by MIME type and, for systems that do not know it, by suffix). */
GtkFileChooserNative *
px_dialog_file_chooser (GtkWidget            *from,
                        const char           *title,
                        GtkFileChooserAction  action,
                        const char           *accept,
                        const char           *filter_name,
                        const char * const   *mime_types,
                        const char           *suffix)
{
  GtkRoot *root = gtk_widget_get_root (from);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               action, accept, _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  if (suffix != NULL)
    gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  return chooser;
}

static void
on_items_shown (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_autofree char *folder_uri = user_data;

  /* No file manager answers on the bus: open the folder instead. */
  if (reply == NULL)
    gtk_show_uri (NULL, folder_uri, GDK_CURRENT_TIME);
}

/* Shows @path selected in its folder in the file manager (the FileManager1
 * interface Files and others serve), or the folder when none answers. */
void
px_dialog_show_in_files (GtkWidget  *from,
                         const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (file);
  const char *uris[] = { uri, NULL };
  GDBusConnection *bus = g_application_get_default ()
                         ? g_application_get_dbus_connection (g_application_get_default ()) : NULL;

  if (bus == NULL)
    {
      g_autofree char *folder_uri = g_file_get_uri (folder);
      GtkRoot *root = gtk_widget_get_root (from);

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, folder_uri, GDK_CURRENT_TIME);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems", g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, on_items_shown, g_file_get_uri (folder));
}

typedef struct {
  GtkWidget            *from;
  char                 *source;
  PxDialogSavedFunc     done;
  GtkFileChooserNative *chooser;
} SaveCopy;

static void
save_copy_free (SaveCopy *save)
{
  g_object_unref (save->from);
  g_free (save->source);
  g_clear_object (&save->chooser);
  g_free (save);
}

static void
on_copied (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SaveCopy *save = user_data;
  g_autoptr(GError) error = NULL;

  g_file_copy_finish (G_FILE (source), result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    save->done (save->from, error);
  save_copy_free (save);
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  SaveCopy        *save)
{
  g_autoptr(GFile) target = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                             : NULL;
  g_autoptr(GFile) source = g_file_new_for_path (save->source);

  if (target == NULL)
    {
      save_copy_free (save);
      return;
    }
  g_file_copy_async (source, target, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, NULL, NULL, NULL, on_copied, save);
}

/* Asks where to save a copy of the file @source (as @name at first), copies
 * it there off the main thread, then calls @done with the outcome. */
void
px_dialog_save_copy (GtkWidget         *from,
                     const char        *title,
                     const char        *source,
                     const char        *name,
                     PxDialogSavedFunc  done)
{
  GtkRoot *root = gtk_widget_get_root (from);
  SaveCopy *save = g_new0 (SaveCopy, 1);

  save->from = g_object_ref (from);
  save->source = g_strdup (source);
  save->done = done;
  save->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (save->chooser), name);
  g_signal_connect (save->chooser, "response", G_CALLBACK (on_save_response), save);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (save->chooser));
}
