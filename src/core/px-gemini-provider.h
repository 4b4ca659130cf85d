/* px-gemini-provider.h: the Gemini wire format. */
#pragma once

#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TYPE_GEMINI_PROVIDER (px_gemini_provider_get_type ())

G_DECLARE_FINAL_TYPE (PxGeminiProvider, px_gemini_provider, PX, GEMINI_PROVIDER, GObject)

void px_gemini_add_request (JsonBuilder               *builder,
                            const PxGenerationRequest *request,
                            GHashTable                *settings);

G_END_DECLS
