/* px-engine-check.c: the engine's cheap authenticated request, the
 * provider's model list: "Test" in Preferences, and the list that tells
 * which models this account can use (kept for a day, merged into the
 * catalog). */
#include "config.h"

#include <glib/gi18n.h>

#include "px-engine-private.h"
#include "px-model-list.h"
#include "px-provider.h"

typedef struct {
  const PxProviderInfo *info;
  PxProvider           *provider;
  char                 *base_url;
  char                 *api_key;
  SoupMessage          *message;
  GBytes               *body;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->provider);
  g_free (check->base_url);
  g_free (check->api_key);
  g_clear_object (&check->message);
  g_clear_pointer (&check->body, g_bytes_unref);
  g_free (check);
}

/* The list answer, parsed and cached off the main thread. */
static void
save_list_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Check *check = task_data;
  GError *error = NULL;
  GStrv ids = px_model_list_parse (check->info->wire, check->body, &error);

  if (ids == NULL || !px_model_list_save (check->info->id, (const char * const *) ids, &error))
    {
      g_clear_pointer (&ids, g_strfreev);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, ids, (GDestroyNotify) g_strfreev);
}

static void
on_list_saved (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_auto(GStrv) ids = g_task_propagate_pointer (G_TASK (result), NULL);

  /* The key works whatever the list said; a list Pixmerge cannot read
   * leaves the catalog as it was. */
  if (ids != NULL)
    px_model_list_merge (PX_ENGINE (source)->catalog, check->info->id, (const char * const *) ids);
  g_task_return_boolean (task, TRUE);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = px_http_send_finish (SOUP_SESSION (source), result, &local_error);
  guint status = soup_message_get_status (check->message);
  GError *error;

  if (body != NULL && status >= 200 && status < 300)
    {
      g_autoptr(GTask) save = NULL;

      /* The answer is the account's model list: keep it. */
      if (g_str_equal (check->info->wire, "openai") || g_str_equal (check->info->wire, "gemini"))
        {
          gpointer engine = g_task_get_source_object (task);

          check->body = g_steal_pointer (&body);
          save = g_task_new (engine, NULL, on_list_saved, g_steal_pointer (&task));
          g_task_set_task_data (save, check, NULL);
          g_task_run_in_thread (save, save_list_in_thread);
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (body == NULL)
    error = px_engine_transport_error (check->info, check->base_url, local_error);
  else
    error = px_provider_map_error (check->provider,
                                   &(PxProviderContext) { check->info, NULL, check->base_url, check->api_key },
                                   status, soup_message_get_response_headers (check->message), body, NULL);
  px_provider_scrub_key (error, check->api_key);
  g_task_return_error (task, error);
}

/* Asks the provider for something small (its model list) with the key and
 * address the engine has: "Test connection" in Preferences. */
void
px_engine_check_async (PxEngine            *self,
                       const char          *provider_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const PxProviderInfo *info;
  Check *check;
  GError *error = NULL;

  g_return_if_fail (PX_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, px_engine_check_async);
  info = px_catalog_lookup_provider (self->catalog, provider_id);
  if (info == NULL)
    {
      g_task_return_new_error (task, PX_CATALOG_ERROR, PX_CATALOG_ERROR_UNKNOWN_PROVIDER,
                               _("There is no provider “%s”."), provider_id);
      return;
    }

  check = g_new0 (Check, 1);
  check->info = info;
  check->provider = px_provider_new_for_wire (info->wire);
  check->base_url = px_engine_get_base_url (self, provider_id);
  check->api_key = g_strdup (g_hash_table_lookup (self->keys, provider_id));
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  if (info->key_policy == PX_KEY_REQUIRED && check->api_key == NULL)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH,
                               _("There is no API key for %s to test."), info->name);
      return;
    }
  check->message = px_provider_build_check_message (check->provider,
                                                    &(PxProviderContext) { info, NULL, check->base_url, check->api_key },
                                                    &error);
  if (check->message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  px_http_send_async (self->session, check->message, &self->http_limits, cancellable,
                      on_checked, g_steal_pointer (&task));
}

gboolean
px_engine_check_finish (PxEngine      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The app and the command-line tool ask the engine to keep model lists
 * current: at most once a day, when a provider is used. Tests leave it off,
 * so that they see only the requests they make. */
void
px_engine_set_refresh_model_lists (PxEngine *self,
                                   gboolean  refresh)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  self->refresh_lists = refresh;
}

static void
is_stale_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_task_return_boolean (task, px_model_list_is_stale (task_data));
}

static void
on_background_checked (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Nothing to tell: the generation that asked reports its own errors. */
  if (!px_engine_check_finish (PX_ENGINE (source), result, &error))
    g_debug ("Could not refresh a model list: %s", error->message);
}

static void
on_staleness_known (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PxEngine *self = PX_ENGINE (source);
  const char *provider_id = g_task_get_task_data (G_TASK (result));

  if (g_task_propagate_boolean (G_TASK (result), NULL) && self->session != NULL)
    px_engine_check_async (self, provider_id, NULL, on_background_checked, NULL);
}

/* Once per process and provider: when its list is a day old, fetch it in
 * the background (the cache file is read off the main thread). */
void
px_engine_refresh_list_when_old (PxEngine             *self,
                                 const PxProviderInfo *info)
{
  g_autoptr(GTask) task = NULL;

  if (!self->refresh_lists || g_hash_table_contains (self->lists_checked, info->id) ||
      (!g_str_equal (info->wire, "openai") && !g_str_equal (info->wire, "gemini")) ||
      (info->key_policy == PX_KEY_REQUIRED && !px_engine_has_api_key (self, info->id)))
    return;
  g_hash_table_add (self->lists_checked, g_strdup (info->id));
  task = g_task_new (self, NULL, on_staleness_known, NULL);
  g_task_set_task_data (task, g_strdup (info->id), g_free);
  g_task_run_in_thread (task, is_stale_in_thread);
}
