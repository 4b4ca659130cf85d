/* px-batch-private.h: what the batch store and the runner share. */
#pragma once

#include "px-library.h"

G_BEGIN_DECLS

gint64   px_batch_now_seconds (void);
gboolean px_batch_db_error    (PxLibrary   *library,
                               GError     **error,
                               const char  *what);

G_END_DECLS
