/* px-credentials.c: stores, finds and removes API keys with libsecret, one
 * schema per provider. Keys are never written anywhere else. When no Secret
 * Service can be reached the error says why in words a user can act on, so
 * the app can offer to keep the key in memory for this run. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "px-credentials.h"

G_DEFINE_QUARK (px-credentials-error-quark, px_credentials_error)

/* Schemas live for the whole run; one per provider. */
static const SecretSchema *
schema_for (const char *provider_id)
{
  static GHashTable *schemas;
  static GMutex lock;
  SecretSchema *schema;

  g_mutex_lock (&lock);
  if (schemas == NULL)
    schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) secret_schema_unref);

  schema = g_hash_table_lookup (schemas, provider_id);
  if (schema == NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s.ApiKey.%s", APP_ID, provider_id);

      schema = secret_schema_new (name, SECRET_SCHEMA_NONE,
                                  "provider", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                  NULL);
      g_hash_table_insert (schemas, g_strdup (provider_id), schema);
    }
  g_mutex_unlock (&lock);

  return schema;
}

/* libsecret's errors come from D-Bus; say what they mean. */
static GError *
translate_error (GError *error)
{
  g_autoptr(GError) owned = error;
  gboolean unavailable =
    error->domain == G_DBUS_ERROR ||
    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
    g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
    g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
    strstr (error->message, "org.freedesktop.secrets") != NULL ||
    strstr (error->message, "D-Bus") != NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (unavailable)
    return g_error_new (PX_CREDENTIALS_ERROR, PX_CREDENTIALS_ERROR_UNAVAILABLE,
                        _("The system keyring is not available (%s). Keys can be kept until "
                          "Pixmerge closes, but not saved."),
                        error->message);

  return g_error_new (PX_CREDENTIALS_ERROR, PX_CREDENTIALS_ERROR_FAILED,
                      _("The system keyring reported an error: %s"), error->message);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
px_credentials_store_async (const char          *provider_id,
                            const char          *provider_name,
                            const char          *api_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  /* Translators: the name of a saved key in the keyring; %s is a provider such as OpenAI */
  g_autofree char *label = g_strdup_printf (_("Pixmerge API key for %s"), provider_name);

  g_task_set_source_tag (task, px_credentials_store_async);
  secret_password_store (schema_for (provider_id), SECRET_COLLECTION_DEFAULT, label, api_key,
                         cancellable, on_stored, task,
                         "provider", provider_id,
                         NULL);
}

gboolean
px_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_pointer (task, key, (GDestroyNotify) secret_password_free);
}

void
px_credentials_lookup_async (const char          *provider_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, px_credentials_lookup_async);
  secret_password_lookup (schema_for (provider_id), cancellable, on_looked_up, task,
                          "provider", provider_id,
                          NULL);
}

/* The key, NULL with no error when none is stored. Free with g_free. */
char *
px_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  char *secure = g_task_propagate_pointer (G_TASK (result), error);
  char *plain;

  if (secure == NULL)
    return NULL;

  /* Callers free with g_free; libsecret's own copy is wiped and freed here. */
  plain = g_strdup (secure);
  secret_password_free (secure);
  return plain;
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
px_credentials_clear_async (const char          *provider_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, px_credentials_clear_async);
  secret_password_clear (schema_for (provider_id), cancellable, on_cleared, task,
                         "provider", provider_id,
                         NULL);
}

gboolean
px_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key = px_credentials_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_free);
}

/* The key to use for a provider: the ecosystem's environment variable
 * (OPENAI_API_KEY, …; for scripts and the demo, never stored) first, then
 * the keyring. */
void
px_credentials_find_async (const PxProviderInfo *info,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  const char *env = info->key_env ? g_getenv (info->key_env) : NULL;

  g_task_set_source_tag (task, px_credentials_find_async);
  if (env != NULL && *env != '\0')
    {
      g_task_return_pointer (task, g_strdup (env), g_free);
      g_object_unref (task);
      return;
    }
  if (info->key_policy == PX_KEY_NONE)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  px_credentials_lookup_async (info->id, cancellable, on_found, task);
}

/* NULL with no error when there is no key anywhere. */
char *
px_credentials_find_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
