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
