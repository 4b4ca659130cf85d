/* px-key-ensure.c: the key looked up in the keyring first (off the main
 * loop, by libsecret), and asked for only when it is not there. The key
 * itself is wiped from memory once the engine has it. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-credentials.h"
#include "px-key-dialog.h"
#include "px-key-ensure.h"

typedef struct {
  GtkWidget            *from;
  PxEngine             *engine;
  const PxProviderInfo *info;
  PxKeyEnsured          done;
} Ensure;

static void
ensure_free (Ensure *ensure)
{
  g_object_unref (ensure->from);
  g_object_unref (ensure->engine);
  g_free (ensure);
}

static void
on_key_entered (gpointer      user_data,
                gboolean      saved,
                const GError *keyring_error)
{
  Ensure *ensure = user_data;
  g_autofree char *note = keyring_error ? g_strdup_printf (_("The key works for now, but it could not be kept in "
                                                             "the keyring: %s"), keyring_error->message)
                                        : NULL;

  ensure->done (ensure->from, saved, note);
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Ensure *ensure = user_data;
  g_autoptr(GError) error = NULL;
  char *key = px_credentials_find_finish (result, &error);

  if (key != NULL)
    {
      px_engine_set_api_key (ensure->engine, ensure->info->id, key);
      memset (key, 0, strlen (key));
      g_free (key);
      ensure->done (ensure->from, TRUE, NULL);
      ensure_free (ensure);
    }
  else if (ensure->info->key_policy == PX_KEY_REQUIRED && gtk_widget_get_root (ensure->from) != NULL)
    /* No keyring is not the end: the key can still be typed in (unless
     * what asked has gone from the screen meanwhile). */
    px_key_dialog_ask (ensure->from, ensure->engine, ensure->info, on_key_entered, ensure,
                       (GDestroyNotify) ensure_free);
  else
    {
      ensure->done (ensure->from, ensure->info->key_policy != PX_KEY_REQUIRED, NULL);
      ensure_free (ensure);
    }
}

/* Calls @done once the engine has @info's key, or knows it will not. */
void
px_key_ensure (GtkWidget            *from,
               PxEngine             *engine,
               const PxProviderInfo *info,
               PxKeyEnsured          done)
{
  Ensure *ensure;

  if (info->key_policy == PX_KEY_NONE || px_engine_has_api_key (engine, info->id))
    {
      done (from, TRUE, NULL);
      return;
    }
  ensure = g_new0 (Ensure, 1);
  ensure->from = g_object_ref (from);
  ensure->engine = g_object_ref (engine);
  ensure->info = info;
  ensure->done = done;
  px_credentials_find_async (info, NULL, on_key_found, ensure);
}
