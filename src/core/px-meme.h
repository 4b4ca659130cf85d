/* px-meme.h: top and bottom captions drawn over an image on this computer
 * (no provider involved), so they can be changed after generation. */
#pragma once

#include <gio/gio.h>

#include "px-generation.h"

G_BEGIN_DECLS

GBytes *px_meme_render (GBytes      *image,
                        const char  *mime_type,
                        const char  *top,
                        const char  *bottom,
                        GError     **error);
gboolean px_meme_caption_result (PxGenerationResult *result,
                                 const char         *top,
                                 const char         *bottom,
                                 GPtrArray          *raw,
                                 GError            **error);

G_END_DECLS
