/* px-demo.h: Pixmerge's demo provider, for trying the app without a key.
 * It is the bundled pixmerge-demo-provider program (the same server the
 * tests use), started on 127.0.0.1 by the app; every provider is pointed
 * at it with a demo key that never reaches the keyring. Its images are drawn
 * on this computer, show their prompt and cost nothing. */
#pragma once

#include <gio/gio.h>

#include "px-engine.h"

G_BEGIN_DECLS

#define PX_DEMO_KEY "pixmerge-demo"

#define PX_TYPE_DEMO (px_demo_get_type ())

G_DECLARE_FINAL_TYPE (PxDemo, px_demo, PX, DEMO, GObject)

PxDemo     *px_demo_new          (void);
void        px_demo_start_async  (PxDemo              *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean    px_demo_start_finish (PxDemo              *self,
                                  GAsyncResult        *result,
                                  GError             **error);
const char *px_demo_get_url      (PxDemo              *self);
void        px_demo_apply        (PxDemo              *self,
                                  PxEngine            *engine);
void        px_demo_stop         (PxDemo              *self);

G_END_DECLS
