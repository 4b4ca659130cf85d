/* px-adaptive.h: what pages share to fit from 360 px to a wide window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void px_adaptive_follow_fold (AdwFlap         *flap,
                              GtkToggleButton *toggle);

void px_adaptive_wrap_button_labels (GtkWidget *box);

G_END_DECLS
