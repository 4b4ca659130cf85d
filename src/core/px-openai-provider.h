/* px-openai-provider.h: the Openai wire format. */
#pragma once

#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TYPE_OPENAI_PROVIDER (px_openai_provider_get_type ())

G_DECLARE_FINAL_TYPE (PxOpenaiProvider, px_openai_provider, PX, OPENAI_PROVIDER, GObject)

void px_openai_add_generation (JsonBuilder               *builder,
                               const PxModel             *model,
                               const PxGenerationRequest *request,
                               GHashTable                *settings);

G_END_DECLS
