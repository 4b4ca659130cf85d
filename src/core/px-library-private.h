/* px-library-private.h: what the batch store needs of the library beyond
 * its public API: the connection, transactions, batch-tagged images and the
 * staging of files until their rows are committed. */
#pragma once

#include <sqlite3.h>

#include "px-library.h"

G_BEGIN_DECLS

sqlite3  *px_library_get_db               (PxLibrary                 *self);
gboolean  px_library_exec                 (PxLibrary                 *self,
                                           const char                *sql,
                                           GError                   **error);
gint64    px_library_add_batch_generation (PxLibrary                 *self,
                                           const PxGenerationRequest *request,
                                           const PxGenerationResult  *result,
                                           guint                      image_index,
                                           const char                *feature,
                                           gint64                     batch_id,
                                           GError                   **error);
void      px_library_start_staging        (PxLibrary                 *self,
                                           gint64                     job_id);
void      px_library_stop_staging         (PxLibrary                 *self);
guint     px_library_move_staged          (PxLibrary                 *self,
                                           gint64                     job_id);

G_END_DECLS
