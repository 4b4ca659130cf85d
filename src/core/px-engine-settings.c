/* px-engine-settings.c: what the engine is told (keys, addresses, the
 * user's limits, retry policy) and what it tells about its pace. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-engine-private.h"
#include "px-provider.h"
#include "px-rate-limiter.h"

#define MAX_CONCURRENCY 32

static void
provider_queue_free (ProviderQueue *queue)
{
  g_clear_object (&queue->provider);
  g_clear_pointer (&queue->limiter, px_rate_limiter_free);
  g_queue_clear (&queue->waiting);
  g_free (queue);
}

GHashTable *
px_engine_new_queues (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) provider_queue_free);
}

PxCatalog *
px_engine_get_catalog (PxEngine *self)
{
  g_return_val_if_fail (PX_IS_ENGINE (self), NULL);

  return self->catalog;
}

void
px_engine_set_cache (PxEngine *self,
                     PxCache  *cache)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  g_set_object (&self->cache, cache);
}

void
px_engine_set_api_key (PxEngine   *self,
                       const char *provider_id,
                       const char *api_key)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  if (api_key == NULL || *api_key == '\0')
    g_hash_table_remove (self->keys, provider_id);
  else
    g_hash_table_insert (self->keys, g_strdup (provider_id), g_strdup (api_key));
}

gboolean
px_engine_has_api_key (PxEngine   *self,
                       const char *provider_id)
{
  g_return_val_if_fail (PX_IS_ENGINE (self), FALSE);

  return g_hash_table_contains (self->keys, provider_id);
}

/* For the few calls the engine does not make itself (the prompt helper):
 * the session, so they share connections, proxies and TLS settings. */
SoupSession *
px_engine_get_session (PxEngine *self)
{
  g_return_val_if_fail (PX_IS_ENGINE (self), NULL);

  return self->session;
}

/* The key in memory, for those same calls; never log it. */
char *
px_engine_dup_api_key (PxEngine   *self,
                       const char *provider_id)
{
  g_return_val_if_fail (PX_IS_ENGINE (self), NULL);

  return g_strdup (g_hash_table_lookup (self->keys, provider_id));
}

void
px_engine_set_base_url (PxEngine   *self,
                        const char *provider_id,
                        const char *base_url)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  if (base_url == NULL || *base_url == '\0')
    g_hash_table_remove (self->base_urls, provider_id);
  else
    g_hash_table_insert (self->base_urls, g_strdup (provider_id), g_strdup (base_url));
}

/* An explicit setting, else the provider's environment variable (as the
 * official SDKs read OPENAI_BASE_URL), else the default; no trailing slash. */
char *
px_engine_get_base_url (PxEngine   *self,
                        const char *provider_id)
{
  const PxProviderInfo *info = px_catalog_lookup_provider (self->catalog, provider_id);
  const char *url = g_hash_table_lookup (self->base_urls, provider_id);
  char *out;
  gsize len;

  if (url == NULL && info != NULL && info->base_url_env != NULL)
    url = g_getenv (info->base_url_env);
  if ((url == NULL || *url == '\0') && info != NULL)
    url = info->base_url;

  out = g_strdup (url != NULL ? url : "");
  len = strlen (out);
  while (len > 0 && out[len - 1] == '/')
    out[--len] = '\0';

  return out;
}

ProviderQueue *
px_engine_get_queue (PxEngine             *self,
                     const PxProviderInfo *info)
{
  ProviderQueue *queue = g_hash_table_lookup (self->queues, info->id);

  if (queue == NULL)
    {
      queue = g_new0 (ProviderQueue, 1);
      queue->info = info;
      queue->provider = px_provider_new_for_wire (info->wire);
      queue->limit = queue->max_limit = info->concurrency;
      queue->limiter = px_rate_limiter_new (info->requests_per_minute, queue->limit);
      g_queue_init (&queue->waiting);
      g_hash_table_insert (self->queues, g_strdup (info->id), queue);
    }

  return queue;
}

/* What the user asked: concurrency requests in flight (0: the catalog's
 * default; at most 32, above the default when asked) and at most
 * requests_per_minute (0: as fast as the provider allows). */
void
px_engine_set_limits (PxEngine   *self,
                      const char *provider_id,
                      guint       concurrency,
                      guint       requests_per_minute)
{
  const PxProviderInfo *info;
  ProviderQueue *queue;

  g_return_if_fail (PX_IS_ENGINE (self));

  info = px_catalog_lookup_provider (self->catalog, provider_id);
  g_return_if_fail (info != NULL);

  queue = px_engine_get_queue (self, info);
  queue->limit = queue->max_limit = concurrency > 0 ? MIN (concurrency, MAX_CONCURRENCY) : info->concurrency;
  queue->user_limit = concurrency > 0;
  /* What was learned about the provider stays. */
  px_rate_limiter_set_first_burst (queue->limiter, queue->limit);
  px_rate_limiter_set_user_cap (queue->limiter, requests_per_minute);
}

/* A batch that asks for more in flight than the provider's usual gets it,
 * unless the user fixed the provider's number (then that holds). */
void
px_engine_ensure_concurrency (PxEngine   *self,
                              const char *provider_id,
                              guint       concurrency)
{
  const PxProviderInfo *info;
  ProviderQueue *queue;

  g_return_if_fail (PX_IS_ENGINE (self));

  info = px_catalog_lookup_provider (self->catalog, provider_id);
  if (info == NULL)
    return;
  queue = px_engine_get_queue (self, info);
  concurrency = MIN (concurrency, MAX_CONCURRENCY);
  if (queue->user_limit || concurrency <= queue->max_limit)
    return;
  queue->limit = queue->max_limit = concurrency;
  px_rate_limiter_set_first_burst (queue->limiter, concurrency);
}

/* The longest a job waits in all for a provider that keeps answering 429
 * with a time; past it, the job fails as rate limited (a batch pauses). */
void
px_engine_set_max_rate_wait (PxEngine *self,
                             guint     seconds)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  self->max_rate_wait_ms = (gint64) seconds * 1000;
}

/* How long each part of an attempt may take (px-http.h); NULL: the
 * defaults. Tests shorten them to see stalls end quickly. */
void
px_engine_set_http_limits (PxEngine           *self,
                           const PxHttpLimits *limits)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  if (limits != NULL)
    self->http_limits = *limits;
  else
    px_http_limits_init (&self->http_limits);
}

void
px_engine_set_retry_policy (PxEngine *self,
                            guint     max_attempts,
                            guint     base_backoff_ms,
                            guint     max_backoff_ms)
{
  g_return_if_fail (PX_IS_ENGINE (self));

  self->max_attempts = MAX (1, max_attempts);
  self->base_backoff_ms = base_backoff_ms;
  self->max_backoff_ms = MAX (base_backoff_ms, max_backoff_ms);
}

/* What the engine paces a provider by now: requests in flight and
 * requests a minute (0: not limited). For tests and the CLI's summary. */
void
px_engine_get_pace (PxEngine   *self,
                    const char *provider_id,
                    guint      *concurrency,
                    double     *per_minute)
{
  const PxProviderInfo *info;
  ProviderQueue *queue;

  g_return_if_fail (PX_IS_ENGINE (self));

  info = px_catalog_lookup_provider (self->catalog, provider_id);
  g_return_if_fail (info != NULL);
  queue = px_engine_get_queue (self, info);
  if (concurrency != NULL)
    *concurrency = queue->limit;
  if (per_minute != NULL)
    *per_minute = px_rate_limiter_get_per_minute (queue->limiter);
}

/* After a 429 the provider wants fewer at once; after as many clean answers
 * as may be in flight, one more again, up to what was asked. */
void
px_engine_queue_adjust (ProviderQueue *queue,
                        gboolean       limited)
{
  gint64 now = g_get_monotonic_time ();

  if (limited)
    {
      /* One cut per burst of 429s, not one per request of the burst. */
      if (now - queue->lowered_us > G_USEC_PER_SEC)
        {
          queue->limit = MAX (1, queue->limit / 2);
          queue->lowered_us = now;
        }
      queue->clean_answers = 0;
      return;
    }

  if (queue->limit < queue->max_limit && ++queue->clean_answers >= queue->limit)
    {
      queue->limit++;
      queue->clean_answers = 0;
    }
}
