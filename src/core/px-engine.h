/* px-engine.h: runs generations: one HTTP session, per-provider concurrency
 * and rate limits, retries, the cache, image checks and cost. */
#pragma once

#include <libsoup/soup.h>

#include "px-cache.h"
#include "px-catalog.h"
#include "px-http.h"
#include "px-generation.h"

G_BEGIN_DECLS

#define PX_TYPE_ENGINE (px_engine_get_type ())

G_DECLARE_FINAL_TYPE (PxEngine, px_engine, PX, ENGINE, GObject)

PxEngine           *px_engine_new                 (PxCatalog           *catalog);
PxCatalog          *px_engine_get_catalog         (PxEngine            *self);
void                px_engine_set_cache           (PxEngine            *self,
                                                   PxCache             *cache);
void                px_engine_set_api_key         (PxEngine            *self,
                                                   const char          *provider_id,
                                                   const char          *api_key);
gboolean            px_engine_has_api_key         (PxEngine            *self,
                                                   const char          *provider_id);
SoupSession        *px_engine_get_session         (PxEngine            *self);
char               *px_engine_dup_api_key         (PxEngine            *self,
                                                   const char          *provider_id);
void                px_engine_set_base_url        (PxEngine            *self,
                                                   const char          *provider_id,
                                                   const char          *base_url);
char               *px_engine_get_base_url        (PxEngine            *self,
                                                   const char          *provider_id);
void                px_engine_set_limits          (PxEngine            *self,
                                                   const char          *provider_id,
                                                   guint                concurrency,
                                                   guint                requests_per_minute);
void                px_engine_set_retry_policy    (PxEngine            *self,
                                                   guint                max_attempts,
                                                   guint                base_backoff_ms,
                                                   guint                max_backoff_ms);
void                px_engine_ensure_concurrency  (PxEngine            *self,
                                                   const char          *provider_id,
                                                   guint                concurrency);
void                px_engine_set_refresh_model_lists (PxEngine        *self,
                                                   gboolean             refresh);
void                px_engine_set_max_rate_wait   (PxEngine            *self,
                                                   guint                seconds);
void                px_engine_set_http_limits     (PxEngine            *self,
                                                   const PxHttpLimits  *limits);
void                px_engine_get_pace            (PxEngine            *self,
                                                   const char          *provider_id,
                                                   guint               *concurrency,
                                                   double              *per_minute);

double              px_engine_cost_of             (const PxModel       *model,
                                                   GHashTable          *settings,
                                                   const PxGenerationResult *result);
void                px_engine_generate_async      (PxEngine            *self,
                                                   PxGenerationRequest *request,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
PxGenerationResult *px_engine_generate_finish     (PxEngine            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
double              px_engine_generate_get_possibly_paid (PxEngine     *self,
                                                   GAsyncResult        *result);

void                px_engine_check_async         (PxEngine            *self,
                                                   const char          *provider_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean            px_engine_check_finish        (PxEngine            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
