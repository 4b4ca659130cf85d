/* px-key-dialog.h: the one way a page asks for a provider's API key. */
#pragma once

#include <adwaita.h>

#include "px-engine.h"

G_BEGIN_DECLS

/* saved: a key was entered (the engine has it); keyring_error: it could not
 * also be kept in the keyring (it works for this session only), or NULL. */
typedef void (*PxKeyDialogDone) (gpointer      user_data,
                                 gboolean      saved,
                                 const GError *keyring_error);

void px_key_dialog_ask (GtkWidget            *from,
                        PxEngine             *engine,
                        const PxProviderInfo *info,
                        PxKeyDialogDone       done,
                        gpointer              user_data,
                        GDestroyNotify        destroy);

G_END_DECLS
