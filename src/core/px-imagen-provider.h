/* px-imagen-provider.h: the Imagen wire format. */
#pragma once

#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TYPE_IMAGEN_PROVIDER (px_imagen_provider_get_type ())

G_DECLARE_FINAL_TYPE (PxImagenProvider, px_imagen_provider, PX, IMAGEN_PROVIDER, GObject)

G_END_DECLS
