/* px-library-private.h: what the library's own files (px-library*.c) and
 * the batch store share: the object's fields, the one-writer lock, the
 * read connections, errors, and the staging of a batch's files until their
 * rows are committed.
 *
 * One writer: every write (and the transaction around it) holds `lock`, so
 * a statement from one thread never lands inside another thread's
 * BEGIN … COMMIT and sqlite3_last_insert_rowid() is always this call's row.
 * Reads that scan (counts, pages, filters, checks) use their own read-only
 * connections, which WAL lets run while a write is in progress. */
#pragma once

#include <sqlite3.h>

#include "px-library.h"

G_BEGIN_DECLS

struct _PxLibrary
{
  GObject      parent_instance;

  char        *directory;
  sqlite3     *db;        /* the writer connection: used under lock */
  GRecMutex    lock;
  GMutex       readers_lock;
  GPtrArray   *readers;   /* idle read-only connections */
  GThreadPool *writer;    /* the writer thread for px_library_write_async() */
  GThread     *writer_thread;
  gboolean     fail_after_file;
  gboolean     bulk;
  char        *staging;   /* a batch's folder for files not yet committed, or NULL */
  GPtrArray   *staged;    /* relative final paths of the files staged there */
  gboolean     staging_synced_later; /* staged files are synced together (px_library_sync_staged) */
  int          version;   /* the schema it was opened at (older only in tests of migration) */
};

#define PX_LIBRARY_IMAGE_COLUMNS \
  "images.id, images.file, images.sha256, images.template_prompt, images.prompt," \
  " images.revised_prompt, images.provider, images.model, images.tokens, images.settings," \
  " images.mime_type, images.width, images.height, images.bytes, images.cost," \
  " images.generation_ms, images.feature, COALESCE (images.parent_id, 0)," \
  " COALESCE (images.batch_id, 0), images.created, images.recipe, images.instruction"

/* Every public call that reads or writes: aborts when the main-thread guard
 * is on (debug builds of the app, the test suite) and this thread is
 * running the main loop. */
void      px_library_stop_writer          (PxLibrary                 *self);
gboolean  px_library_check_thread         (const char                *function);
GRecMutexLocker *px_library_write_lock    (PxLibrary                 *self,
                                           const char                *function);

/* First in the function, among its declarations. */
#define PX_LIBRARY_READ(self) \
  G_GNUC_UNUSED gboolean G_PASTE (px_library_guard_, __LINE__) = px_library_check_thread (G_STRFUNC)
#define PX_LIBRARY_WRITE(self) \
  G_GNUC_UNUSED g_autoptr(GRecMutexLocker) G_PASTE (px_library_locker_, __LINE__) = px_library_write_lock ((self), G_STRFUNC)

sqlite3  *px_library_reader_take          (PxLibrary                 *self,
                                           GError                   **error);
void      px_library_reader_give          (PxLibrary                 *self,
                                           sqlite3                   *db);
sqlite3  *px_library_open_reader          (PxLibrary                 *self,
                                           GError                   **error);
void      px_library_close_reader         (sqlite3                   *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, px_library_close_reader)

gboolean  px_library_write_atomic         (const char                *path,
                                           const void                *data,
                                           gsize                      size,
                                           gboolean                   durable,
                                           GError                   **error);
gboolean  px_library_sqlite_error         (sqlite3                   *db,
                                           GError                   **error,
                                           const char                *what);
gboolean  px_library_db_error             (PxLibrary                 *self,
                                           GError                   **error,
                                           const char                *what);
gboolean  px_library_run_sql              (PxLibrary                 *self,
                                           const char                *sql,
                                           const char                *what,
                                           GError                   **error);
const char *px_library_extension_for      (const char                *mime_type);
PxLibraryImage *px_library_read_image     (PxLibrary                 *self,
                                           sqlite3_stmt              *stmt);

/* For the batch store: the writer connection, taken with the lock held
 * around a whole transaction. */
void      px_library_lock                 (PxLibrary                 *self);
void      px_library_unlock               (PxLibrary                 *self);
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
void      px_library_start_staging_many   (PxLibrary                 *self,
                                           gint64                     job_id);
gboolean  px_library_sync_staged          (PxLibrary                 *self,
                                           GError                   **error);
guint     px_library_move_staged          (PxLibrary                 *self,
                                           gint64                     job_id);

G_END_DECLS
