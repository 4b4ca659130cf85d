/* px-key-dialog.c: asks for a provider's API key (a missing one, or one the
 * provider turned down), gives it to the engine and keeps it in the keyring,
 * then lets the caller go on with what was asked. Generate and Batch use it,
 * so a key is entered the same way wherever it is found missing. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-credentials.h"
#include "px-dialog.h"
#include "px-key-dialog.h"

typedef struct {
  PxEngine             *engine;
  const PxProviderInfo *info;
  PxKeyDialogDone       done;
  gpointer              user_data;
  GDestroyNotify        destroy;
} KeyRequest;

static void
key_request_finish (KeyRequest   *request,
                    gboolean      saved,
                    const GError *keyring_error)
{
  request->done (request->user_data, saved, keyring_error);
  if (request->destroy != NULL)
    request->destroy (request->user_data);
  g_object_unref (request->engine);
  g_free (request);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  px_credentials_store_finish (result, &error);
  key_request_finish (user_data, TRUE, error);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             KeyRequest       *request)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  /* Once: closing the dialog afterwards must not answer again. */
  g_signal_handlers_disconnect_by_data (dialog, request);
  gtk_editable_set_text (entry, "");
  if (!g_str_equal (response, "save") || *key == '\0')
    {
      key_request_finish (request, FALSE, NULL);
      return;
    }
  px_engine_set_api_key (request->engine, request->info->id, key);
  px_credentials_store_async (request->info->id, request->info->name, key, NULL, on_key_stored, request);
  memset (key, 0, strlen (key));
}

void
px_key_dialog_ask (GtkWidget            *from,
                   PxEngine             *engine,
                   const PxProviderInfo *info,
                   PxKeyDialogDone       done,
                   gpointer              user_data,
                   GDestroyNotify        destroy)
{
  g_autofree char *heading = g_strdup_printf (_("Add an API Key for %s"), info->name);
  GtkWidget *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;
  KeyRequest *request = g_new0 (KeyRequest, 1);

  request->engine = g_object_ref (engine);
  request->info = info;
  request->done = done;
  request->user_data = user_data;
  request->destroy = destroy;
  /* A masked GtkEntry: GTK 4.8's GtkPasswordEntry warns when its dialog
   * is destroyed. */
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("API key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("API key"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  dialog = px_dialog_ask (from, heading,
                          _("Pixmerge keeps it in your keyring and sends it only to this provider. "
                            "You can change or remove it in Preferences."),
                          entry, "save", _("_Save Key"), ADW_RESPONSE_SUGGESTED);
  gtk_widget_set_name (GTK_WIDGET (dialog), "key-dialog");
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
}
