/* px-fake-image.h: images that show the prompt they were made for. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *px_fake_render_image (const char *prompt,
                              int         width,
                              int         height,
                              const char *format);
GBytes *px_fake_bomb_png     (guint32     width,
                              guint32     height);

G_END_DECLS
