/* px-model-list.h: what a provider says its account can use (its model
 * list), parsed, cached for a day, and merged into the catalog. */
#pragma once

#include <gio/gio.h>

#include "px-catalog.h"

G_BEGIN_DECLS

#define PX_MODEL_LIST_MAX_AGE_SECONDS (24 * 3600)

GStrv     px_model_list_parse       (const char  *wire,
                                     GBytes      *body,
                                     GError     **error);
gboolean  px_model_list_save        (const char  *provider_id,
                                     const char * const *ids,
                                     GError     **error);
GStrv     px_model_list_load        (const char  *provider_id,
                                     gint64      *fetched);
gboolean  px_model_list_is_stale    (const char  *provider_id);
guint     px_model_list_merge       (PxCatalog   *catalog,
                                     const char  *provider_id,
                                     const char * const *ids);
void      px_model_list_merge_cached (PxCatalog  *catalog);

G_END_DECLS
