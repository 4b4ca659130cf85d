/* px-key-ensure.h: "this provider's key, please": from the engine, the
 * keyring, or asked for in the shared key dialog. */
#pragma once

#include <adwaita.h>

#include "px-engine.h"

G_BEGIN_DECLS

/* ready: the engine has the key (or the provider needs none); note: a
 * problem worth showing even so (the keyring could not keep it), or NULL. */
typedef void (*PxKeyEnsured) (GtkWidget  *from,
                              gboolean    ready,
                              const char *note);

void px_key_ensure (GtkWidget            *from,
                    PxEngine             *engine,
                    const PxProviderInfo *info,
                    PxKeyEnsured          done);

G_END_DECLS
