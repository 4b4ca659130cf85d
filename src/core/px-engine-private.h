/* px-engine-private.h: what the engine's files share. */
#pragma once

#include "px-engine.h"
#include "px-http.h"
#include "px-provider.h"
#include "px-rate-limiter.h"

G_BEGIN_DECLS

struct _PxEngine
{
  GObject      parent_instance;

  PxCatalog   *catalog;
  SoupSession *session;
  PxCache     *cache;
  GHashTable  *queues;     /* provider id -> ProviderQueue */
  GHashTable  *keys;       /* provider id -> key, memory only */
  GHashTable  *base_urls;  /* provider id -> URL */

  GThreadPool *decoders;   /* one per core: decoding is CPU-bound */

  guint        max_attempts;
  guint        base_backoff_ms;
  guint        max_backoff_ms;
  gint64       max_rate_wait_ms;
  PxHttpLimits http_limits;    /* per attempt: connect, headers, stalls, total */
  gboolean     refresh_lists;  /* fetch a provider's model list when it is a day old */
  GHashTable  *lists_checked;  /* provider ids whose list this process looked at */
};

/* One provider's requests: its slots, its pace, who waits. */
typedef struct {
  const PxProviderInfo *info;
  PxProvider           *provider;
  guint                 limit;            /* in flight now: lowered after a 429 */
  guint                 max_limit;        /* what the user asked, or the catalog's */
  gboolean              user_limit;       /* the user fixed max_limit */
  guint                 active;
  guint                 clean_answers;    /* since the limit last changed */
  gint64                lowered_us;
  PxRateLimiter        *limiter;
  GQueue                waiting;          /* GTask */
  gint64                blocked_until_us; /* after a 429 with a wait */
} ProviderQueue;

ProviderQueue *px_engine_get_queue   (PxEngine             *self,
                                      const PxProviderInfo *info);
GHashTable    *px_engine_new_queues  (void);
void           px_engine_queue_adjust (ProviderQueue *queue,
                                       gboolean       limited);
void           px_engine_refresh_list_when_old (PxEngine             *self,
                                                const PxProviderInfo *info);
GError  *px_engine_invalid_request (GError             *error);
gboolean px_engine_check_request (PxEngine             *self,
                                  const PxModel        *model,
                                  const PxProviderInfo *info,
                                  PxGenerationRequest  *request,
                                  const char           *api_key,
                                  GHashTable          **settings,
                                  GError              **error);
GError *px_engine_transport_error (const PxProviderInfo *info,
                                   const char           *base_url,
                                   const GError         *error);

G_END_DECLS
