/* px-provider-batches.h: the app's one place that follows the batches it
 * handed to providers' batch engines: submits a new one, polls each until
 * its results are in the library (whichever window asked, open or not),
 * cancels one on request, and at start picks up the ones the last run left
 * waiting at the provider. */
#pragma once

#include "px-provider-batch.h"

G_BEGIN_DECLS

#define PX_TYPE_PROVIDER_BATCHES (px_provider_batches_get_type ())

G_DECLARE_FINAL_TYPE (PxProviderBatches, px_provider_batches, PX, PROVIDER_BATCHES, GObject)

PxProviderBatches *px_provider_batches_new        (PxEngine          *engine,
                                                   PxLibrary         *library);
void               px_provider_batches_set_poll_interval (PxProviderBatches *self,
                                                   guint              first_ms,
                                                   guint              longest_ms);
void               px_provider_batches_follow     (PxProviderBatches *self,
                                                   gint64             batch_id);
gboolean           px_provider_batches_is_following (PxProviderBatches *self,
                                                   gint64             batch_id);
PxProviderBatch   *px_provider_batches_lookup     (PxProviderBatches *self,
                                                   gint64             batch_id);
void               px_provider_batches_stop       (PxProviderBatches *self,
                                                   gint64             batch_id);
void               px_provider_batches_cancel     (PxProviderBatches *self,
                                                   gint64             batch_id);
void               px_provider_batches_resume     (PxProviderBatches *self);

G_END_DECLS
