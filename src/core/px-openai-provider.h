/* px-openai-provider.h: the Openai wire format. */
#pragma once

#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TYPE_OPENAI_PROVIDER (px_openai_provider_get_type ())

G_DECLARE_FINAL_TYPE (PxOpenaiProvider, px_openai_provider, PX, OPENAI_PROVIDER, GObject)

G_END_DECLS
