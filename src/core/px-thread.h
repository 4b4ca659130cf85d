/* px-thread.h: how Pixmerge's background threads behave. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void px_thread_yield_to_ui (void);

G_END_DECLS
