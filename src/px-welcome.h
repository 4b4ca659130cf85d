/* px-welcome.h: what a first start shows: what Pixmerge does, Add a
 * Provider Key, and Try Without a Key (the demo provider). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PX_TYPE_WELCOME (px_welcome_get_type ())

G_DECLARE_FINAL_TYPE (PxWelcome, px_welcome, PX, WELCOME, AdwBin)

void px_welcome_set_busy  (PxWelcome  *self,
                           gboolean    busy);
void px_welcome_set_error (PxWelcome  *self,
                           const char *message);

G_END_DECLS
