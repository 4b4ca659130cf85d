/* px-a11y.h: what a screen reader hears, where GTK 4.8 needs help. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void px_a11y_install (void);

G_END_DECLS
