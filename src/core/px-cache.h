/* px-cache.h: answers an identical request again from disk, for free. */
#pragma once

#include "px-generation.h"

G_BEGIN_DECLS

#define PX_TYPE_CACHE (px_cache_get_type ())

G_DECLARE_FINAL_TYPE (PxCache, px_cache, PX, CACHE, GObject)

PxCache            *px_cache_new     (const char         *directory,
                                      guint               ttl_seconds);
void                px_cache_set_ttl (PxCache            *self,
                                      guint               ttl_seconds);
guint               px_cache_get_ttl (PxCache            *self);
char               *px_cache_key     (const char         *provider_id,
                                      const char         *model_id,
                                      const char         *prompt,
                                      GHashTable         *settings,
                                      GPtrArray          *references);
PxGenerationResult *px_cache_lookup  (PxCache            *self,
                                      const char         *key);
gboolean            px_cache_store   (PxCache            *self,
                                      const char         *key,
                                      PxGenerationResult *result,
                                      GError            **error);

G_END_DECLS
