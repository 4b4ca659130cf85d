/* px-xmp.h: provenance in JPEG and WebP files, as XMP. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char   *px_xmp_packet (const char *prompt,
                       const char *template_prompt,
                       const char *model,
                       const char *tokens_json,
                       const char *settings_json);
GBytes *px_xmp_embed  (GBytes     *image,
                       const char *mime_type,
                       const char *packet);

G_END_DECLS
