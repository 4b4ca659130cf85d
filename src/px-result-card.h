/* px-result-card.h: one generated image on the Generate page, with what
 * can be done to it. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PX_TYPE_RESULT_CARD (px_result_card_get_type ())

G_DECLARE_FINAL_TYPE (PxResultCard, px_result_card, PX, RESULT_CARD, GtkBox)

PxResultCard *px_result_card_new       (const char   *prompt,
                                        GBytes       *raw);
void          px_result_card_set_image (PxResultCard *self,
                                        gint64        id,
                                        GBytes       *bytes,
                                        const char   *mime_type,
                                        GdkTexture   *texture);
gint64        px_result_card_get_id    (PxResultCard *self);
GBytes       *px_result_card_get_raw   (PxResultCard *self);

G_END_DECLS
