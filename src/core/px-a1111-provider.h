/* px-a1111-provider.h: the A1111 wire format. */
#pragma once

#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TYPE_A1111_PROVIDER (px_a1111_provider_get_type ())

G_DECLARE_FINAL_TYPE (PxA1111Provider, px_a1111_provider, PX, A1111_PROVIDER, GObject)

G_END_DECLS
