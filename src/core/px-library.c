/* px-library.c: the library database and its image files. The database is
 * sqlite in WAL mode with foreign keys, its schema versioned with
 * PRAGMA user_version and migrated forward in a transaction at open. Image
 * files are content-addressed (images/ab/<sha256>.png), written durably
 * (temp, fsync, rename) before their row is committed; a failure in between
 * removes the new file, so neither half is left. Nothing here deletes what
 * it does not understand: a damaged database is copied aside and reported,
 * orphan files are reported, not removed. */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "px-image-check.h"
#include "px-json.h"
#include "px-library-private.h"

#define PX_LIBRARY_BUSY_MS 30000
#include "px-paths.h"
#include "px-png.h"
#include "px-tokens.h"

G_DEFINE_QUARK (px-library-error-quark, px_library_error)

G_DEFINE_FINAL_TYPE (PxLibrary, px_library, G_TYPE_OBJECT)

/* Each entry takes the schema from the version before it to its own
 * number (index + 1). Never edit one that has shipped: add another. */
static const char * const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE batch_jobs ("
  "  id INTEGER PRIMARY KEY,"
  "  template_prompt TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  settings TEXT NOT NULL DEFAULT '{}',"
  "  tokens TEXT NOT NULL DEFAULT '{}',"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  total INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL);"
  "CREATE TABLE images ("
  "  id INTEGER PRIMARY KEY,"
  "  file TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  template_prompt TEXT NOT NULL DEFAULT '',"
  "  prompt TEXT NOT NULL,"
  "  revised_prompt TEXT,"
  "  provider TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  tokens TEXT NOT NULL DEFAULT '{}',"
  "  settings TEXT NOT NULL DEFAULT '{}',"
  "  metadata TEXT NOT NULL DEFAULT '{}',"
  "  status TEXT NOT NULL DEFAULT 'completed',"
  "  mime_type TEXT NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  bytes INTEGER NOT NULL,"
  "  cost REAL NOT NULL DEFAULT 0,"
  "  generation_ms INTEGER NOT NULL DEFAULT 0,"
  "  feature TEXT NOT NULL DEFAULT 'generate',"
  "  parent_id INTEGER REFERENCES images (id) ON DELETE SET NULL,"
  "  batch_id INTEGER REFERENCES batch_jobs (id) ON DELETE SET NULL,"
  "  comparison_id TEXT,"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL);"
  "CREATE INDEX images_created ON images (created DESC, id DESC);"
  "CREATE INDEX images_model ON images (provider, model, created);"
  "CREATE INDEX images_feature ON images (feature, created);"
  "CREATE INDEX images_batch ON images (batch_id);"
  "CREATE INDEX images_file ON images (file);"
  "CREATE TABLE batch_items ("
  "  id INTEGER PRIMARY KEY,"
  "  job_id INTEGER NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,"
  "  row_number INTEGER NOT NULL,"
  "  tokens TEXT NOT NULL DEFAULT '{}',"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  error TEXT,"
  "  image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  UNIQUE (job_id, row_number));"
  "CREATE TABLE templates ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  category TEXT NOT NULL DEFAULT '',"
  "  prompt TEXT NOT NULL,"
  "  model TEXT,"
  "  settings TEXT NOT NULL DEFAULT '{}',"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL);"
  "CREATE TABLE token_sets ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  tokens TEXT NOT NULL DEFAULT '{}',"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL);"
  "CREATE VIRTUAL TABLE images_fts USING fts5 ("
  "  prompt, template_prompt, tokens,"
  "  content='images', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
  "CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN"
  "  INSERT INTO images_fts (rowid, prompt, template_prompt, tokens)"
  "  VALUES (new.id, new.prompt, new.template_prompt, new.tokens); END;"
  "CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN"
  "  INSERT INTO images_fts (images_fts, rowid, prompt, template_prompt, tokens)"
  "  VALUES ('delete', old.id, old.prompt, old.template_prompt, old.tokens); END;"
  "CREATE TRIGGER images_fts_update AFTER UPDATE OF prompt, template_prompt, tokens ON images BEGIN"
  "  INSERT INTO images_fts (images_fts, rowid, prompt, template_prompt, tokens)"
  "  VALUES ('delete', old.id, old.prompt, old.template_prompt, old.tokens);"
  "  INSERT INTO images_fts (rowid, prompt, template_prompt, tokens)"
  "  VALUES (new.id, new.prompt, new.template_prompt, new.tokens); END;",

  /* 2: trash for undoable deletes, videos, usage */
  "ALTER TABLE images ADD COLUMN trashed INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX images_trashed ON images (trashed, created DESC, id DESC);"
  "CREATE TABLE videos ("
  "  id INTEGER PRIMARY KEY,"
  "  image_id INTEGER REFERENCES images (id) ON DELETE CASCADE,"
  "  file TEXT NOT NULL,"
  "  duration_ms INTEGER NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  created INTEGER NOT NULL);"
  "CREATE TABLE usage_events ("
  "  id INTEGER PRIMARY KEY,"
  "  provider TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  images INTEGER NOT NULL,"
  "  cost REAL NOT NULL,"
  "  cached INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL);"
  "CREATE INDEX usage_events_created ON usage_events (created);",

  /* 3: what a template needs to fill the Generate page */
  "ALTER TABLE templates ADD COLUMN description TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE templates ADD COLUMN feature TEXT;"
  "ALTER TABLE templates ADD COLUMN caption_top TEXT;"
  "ALTER TABLE templates ADD COLUMN caption_bottom TEXT;"
  "CREATE INDEX templates_category ON templates (category, name);",

  /* 4: what a batch needs to run, resume and export */
  "ALTER TABLE batch_jobs ADD COLUMN columns TEXT NOT NULL DEFAULT '[]';"
  "ALTER TABLE batch_jobs ADD COLUMN budget REAL NOT NULL DEFAULT 0;"
  "ALTER TABLE batch_jobs ADD COLUMN concurrency INTEGER NOT NULL DEFAULT 4;"
  "ALTER TABLE batch_items ADD COLUMN cells TEXT NOT NULL DEFAULT '[]';"
  "ALTER TABLE batch_items ADD COLUMN cost REAL NOT NULL DEFAULT 0;"
  "ALTER TABLE batch_items ADD COLUMN generation_ms INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX batch_items_status ON batch_items (job_id, status, row_number);",

  /* 5: model comparisons */
  "CREATE TABLE comparisons ("
  "  id INTEGER PRIMARY KEY,"
  "  template_prompt TEXT NOT NULL,"
  "  prompt TEXT NOT NULL,"
  "  tokens TEXT NOT NULL DEFAULT '{}',"
  "  models TEXT NOT NULL DEFAULT '',"
  "  winner_image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,"
  "  created INTEGER NOT NULL);"
  /* images.comparison_id exists since version 1 */
  "CREATE INDEX images_comparison ON images (comparison_id);",

  /* 6: why a batch paused; what lost requests may have cost */
  ("ALTER TABLE batch_jobs ADD COLUMN reason TEXT;"
   "ALTER TABLE batch_items ADD COLUMN possibly_paid REAL NOT NULL DEFAULT 0;"),

  /* 7: videos keep their file when their image goes (its id set to NULL),
   * and how they were made: effect, settings, a poster frame */
  ("CREATE TABLE videos_7 ("
   "  id INTEGER PRIMARY KEY,"
   "  image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,"
   "  file TEXT NOT NULL,"
   "  poster TEXT,"
   "  effect TEXT NOT NULL DEFAULT 'still',"
   "  settings TEXT NOT NULL DEFAULT '{}',"
   "  duration_ms INTEGER NOT NULL,"
   "  width INTEGER NOT NULL,"
   "  height INTEGER NOT NULL,"
   "  created INTEGER NOT NULL);"
   "INSERT INTO videos_7 (id, image_id, file, duration_ms, width, height, created)"
   "  SELECT id, image_id, file, duration_ms, width, height, created FROM videos;"
   "DROP TABLE videos;"
   "ALTER TABLE videos_7 RENAME TO videos;"
   "CREATE INDEX videos_image ON videos (image_id);"),

  /* 8: videos a provider made (what they cost), and the provider's jobs
   * that make them: kept before the request is sent, so a job survives a
   * restart and a crash cannot hide a paid one */
  ("ALTER TABLE videos ADD COLUMN cost REAL NOT NULL DEFAULT 0;"
   "CREATE TABLE ai_video_jobs ("
   "  id INTEGER PRIMARY KEY,"
   "  image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,"
   "  provider TEXT NOT NULL,"
   "  model TEXT NOT NULL,"
   "  prompt TEXT NOT NULL,"
   "  seconds INTEGER NOT NULL,"
   "  resolution TEXT NOT NULL,"
   "  aspect_ratio TEXT NOT NULL,"
   "  estimate REAL NOT NULL,"
   "  state TEXT NOT NULL,"        /* sending, running, done, failed, unknown */
   "  operation TEXT,"
   "  error TEXT,"
   "  video_id INTEGER REFERENCES videos (id) ON DELETE SET NULL,"
   "  created INTEGER NOT NULL,"
   "  updated INTEGER NOT NULL);"
   "CREATE INDEX ai_video_jobs_state ON ai_video_jobs (state);"),

  /* 9: an edited image keeps the recipe that made it from its parent */
  "ALTER TABLE images ADD COLUMN recipe TEXT;",

  /* 10: an image edited by a model keeps the instruction it was given */
  "ALTER TABLE images ADD COLUMN instruction TEXT;",

  /* 11: what every paid or notable action cost, and monthly budgets */
  ("ALTER TABLE usage_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'generation';"
   "ALTER TABLE usage_events ADD COLUMN feature TEXT NOT NULL DEFAULT '';"
   "ALTER TABLE usage_events ADD COLUMN batch_id INTEGER;"
   "ALTER TABLE usage_events ADD COLUMN image_id INTEGER;"
   "ALTER TABLE usage_events ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0;"
   "ALTER TABLE usage_events ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0;"
   "ALTER TABLE usage_events ADD COLUMN possibly_paid REAL NOT NULL DEFAULT 0;"
   "CREATE INDEX usage_events_provider ON usage_events (provider, created);"
   "CREATE INDEX usage_events_batch ON usage_events (batch_id) WHERE batch_id IS NOT NULL;"
   "CREATE TABLE budgets ("
   "  provider TEXT PRIMARY KEY,"          /* '' for all providers together */
   "  monthly REAL NOT NULL,"
   "  updated INTEGER NOT NULL);"
   "CREATE TABLE budget_notices ("
   "  month TEXT NOT NULL,"
   "  provider TEXT NOT NULL,"
   "  level INTEGER NOT NULL,"            /* percent: 80, 100 */
   "  PRIMARY KEY (month, provider, level));"
   /* Sums per quarter hour (every time zone's midnight is on one), kept
    * by triggers: a month of a million events is read in milliseconds. */
   "CREATE TABLE usage_rollup ("
   "  bucket INTEGER NOT NULL,"           /* created / 900 */
   "  kind TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, feature TEXT NOT NULL,"
   "  events INTEGER NOT NULL, images INTEGER NOT NULL, cached INTEGER NOT NULL,"
   "  cost REAL NOT NULL, possibly_paid REAL NOT NULL, duration_ms INTEGER NOT NULL,"
   "  PRIMARY KEY (bucket, kind, provider, model, feature)) WITHOUT ROWID;"
   "CREATE TABLE usage_batch_rollup ("
   "  bucket INTEGER NOT NULL, batch_id INTEGER NOT NULL,"
   "  events INTEGER NOT NULL, images INTEGER NOT NULL, cached INTEGER NOT NULL,"
   "  cost REAL NOT NULL, possibly_paid REAL NOT NULL, duration_ms INTEGER NOT NULL,"
   "  PRIMARY KEY (bucket, batch_id)) WITHOUT ROWID;"
   "CREATE TRIGGER usage_events_rollup AFTER INSERT ON usage_events BEGIN"
   "  INSERT INTO usage_rollup VALUES (new.created / 900, new.kind, new.provider, new.model, new.feature, 1,"
   "    new.images, new.cached, new.cost, new.possibly_paid, new.duration_ms)"
   "  ON CONFLICT (bucket, kind, provider, model, feature) DO UPDATE SET events = events + 1,"
   "    images = images + excluded.images, cached = cached + excluded.cached, cost = cost + excluded.cost,"
   "    possibly_paid = possibly_paid + excluded.possibly_paid, duration_ms = duration_ms + excluded.duration_ms;"
   "  INSERT INTO usage_batch_rollup SELECT new.created / 900, new.batch_id, 1, new.images, new.cached, new.cost,"
   "    new.possibly_paid, new.duration_ms WHERE new.batch_id IS NOT NULL"
   "  ON CONFLICT (bucket, batch_id) DO UPDATE SET events = events + 1,"
   "    images = images + excluded.images, cached = cached + excluded.cached, cost = cost + excluded.cost,"
   "    possibly_paid = possibly_paid + excluded.possibly_paid, duration_ms = duration_ms + excluded.duration_ms;"
   " END;"
   "INSERT INTO usage_rollup SELECT created / 900, kind, provider, model, feature, COUNT(*), SUM (images),"
   "  SUM (cached), SUM (cost), SUM (possibly_paid), SUM (duration_ms) FROM usage_events"
   "  GROUP BY created / 900, kind, provider, model, feature;"
   "INSERT INTO usage_batch_rollup SELECT created / 900, batch_id, COUNT(*), SUM (images), SUM (cached),"
   "  SUM (cost), SUM (possibly_paid), SUM (duration_ms) FROM usage_events WHERE batch_id IS NOT NULL"
   "  GROUP BY created / 900, batch_id;"),

  /* 12: a video asked of a provider whose answer was lost may be charged:
   * in the usage with its estimate, the moment it is marked so */
  ("CREATE TRIGGER ai_video_jobs_unknown AFTER UPDATE OF state ON ai_video_jobs"
   " WHEN new.state = 'unknown' AND old.state != 'unknown' BEGIN"
   "  INSERT INTO usage_events (kind, provider, model, feature, images, cost, possibly_paid, cached, duration_ms,"
   "   tokens, created)"
   "  VALUES ('ai-video', new.provider, new.model, 'video', 0, 0, new.estimate, 0, 0, 0, new.updated);"
   " END;"),

  /* 13: batches run on the provider's own batch engine: each provider job
   * is a row made (with the display name it is found again by) before
   * anything is sent, its items point at it while the provider has them */
  ("ALTER TABLE batch_jobs ADD COLUMN engine TEXT NOT NULL DEFAULT 'direct';"
   "CREATE TABLE provider_jobs ("
   "  id INTEGER PRIMARY KEY,"
   "  batch_id INTEGER NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,"
   "  provider TEXT NOT NULL,"
   "  display_name TEXT NOT NULL UNIQUE,"
   "  file TEXT,"                          /* the uploaded requests */
   "  name TEXT,"                          /* the provider's job, once it is known */
   "  state TEXT NOT NULL DEFAULT 'preparing',"
   "  requests INTEGER NOT NULL DEFAULT 0,"
   "  succeeded INTEGER NOT NULL DEFAULT 0,"
   "  failed INTEGER NOT NULL DEFAULT 0,"
   "  error TEXT,"
   "  ingested INTEGER NOT NULL DEFAULT 0,"
   "  created INTEGER NOT NULL,"
   "  updated INTEGER NOT NULL);"
   "CREATE INDEX provider_jobs_batch ON provider_jobs (batch_id);"
   "ALTER TABLE batch_items ADD COLUMN provider_job INTEGER REFERENCES provider_jobs (id) ON DELETE SET NULL;"
   "CREATE INDEX batch_items_provider_job ON batch_items (provider_job) WHERE provider_job IS NOT NULL;"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PX_LIBRARY_SCHEMA_VERSION);

PxLibraryImage *
px_library_image_copy (const PxLibraryImage *image)
{
  PxLibraryImage *copy = g_memdup2 (image, sizeof *image);

  copy->file = g_strdup (image->file);
  copy->sha256 = g_strdup (image->sha256);
  copy->template_prompt = g_strdup (image->template_prompt);
  copy->prompt = g_strdup (image->prompt);
  copy->revised_prompt = g_strdup (image->revised_prompt);
  copy->provider = g_strdup (image->provider);
  copy->model = g_strdup (image->model);
  copy->tokens_json = g_strdup (image->tokens_json);
  copy->settings_json = g_strdup (image->settings_json);
  copy->mime_type = g_strdup (image->mime_type);
  copy->feature = g_strdup (image->feature);
  copy->recipe_json = g_strdup (image->recipe_json);
  copy->instruction = g_strdup (image->instruction);
  return copy;
}

void
px_library_image_free (PxLibraryImage *image)
{
  if (image == NULL)
    return;

  g_free (image->file);
  g_free (image->sha256);
  g_free (image->template_prompt);
  g_free (image->prompt);
  g_free (image->revised_prompt);
  g_free (image->provider);
  g_free (image->model);
  g_free (image->tokens_json);
  g_free (image->settings_json);
  g_free (image->mime_type);
  g_free (image->feature);
  g_free (image->recipe_json);
  g_free (image->instruction);
  g_free (image);
}

/* sqlite does not always keep the errno of a failed write: a disk with
 * almost nothing free, or a file size limit on the process (ulimit -f),
 * is taken as the reason. */
static gboolean
disk_is_full (const char *path)
{
  g_autofree char *dir = path != NULL ? g_path_get_dirname (path) : NULL;
  struct statvfs st;
  struct rlimit limit;

  if (dir != NULL && statvfs (dir, &st) == 0 && (guint64) st.f_bavail * st.f_frsize < 16 * 1024 * 1024)
    return TRUE;
  return getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
}

gboolean
px_library_sqlite_error (sqlite3     *db,
                  GError     **error,
                  const char  *what)
{
  int code = sqlite3_extended_errcode (db);
  int system = sqlite3_system_errno (db);
  const char *path = sqlite3_db_filename (db, "main");

  /* What the user can do something about, said so: a full disk, a file
   * they cannot write, another program holding the lock. */
  if ((code & 0xff) == SQLITE_FULL ||
      ((code & 0xff) == SQLITE_IOERR && (system == ENOSPC || system == EFBIG || system == EDQUOT ||
                                         disk_is_full (path))))
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DISK_FULL,
                 _("The disk holding the library is full, or a file size limit was reached (while %s, in %s). "
                   "Free some space, then try again; nothing was saved half-way."), what, path ? path : "?");
  else if ((code & 0xff) == SQLITE_IOERR)
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                 _("The library's disk could not be read or written (while %s, in %s): %s."), what,
                 path ? path : "?", sqlite3_errmsg (db));
  else if ((code & 0xff) == SQLITE_READONLY ||
           ((code & 0xff) == SQLITE_IOERR && (system == EROFS || system == EACCES || system == EPERM)))
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY,
                 _("The library database %s cannot be written to (while %s): %s. Check that the file and its "
                   "folder are yours and not read-only."), path ? path : "?", what, sqlite3_errmsg (db));
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_BUSY,
                 _("Another program kept the library database %s locked (while %s). Close other copies of "
                   "Pixmerge or tools using it, then try again."), path ? path : "?", what);
  else
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE,
                 _("The library database failed while %s: %s"), what, sqlite3_errmsg (db));
  return FALSE;
}

/* A problem with where the library lives (the disk, its permissions, a
 * lock), not with what was being saved: work waits for it to be mended. */
gboolean
px_library_error_is_storage (const GError *error)
{
  return g_error_matches (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DISK_FULL) ||
         g_error_matches (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY) ||
         g_error_matches (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_BUSY) ||
         g_error_matches (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO) ||
         (error != NULL && error->domain == G_FILE_ERROR);
}

gboolean
px_library_db_error (PxLibrary  *self,
              GError    **error,
              const char *what)
{
  return px_library_sqlite_error (self->db, error, what);
}

/* A second, read-only connection for long reads run off the main thread
 * (WAL lets it read while the main connection writes), so they never hold
 * the main connection's mutex while the gallery wants a page. */
sqlite3 *
px_library_open_reader (PxLibrary  *self,
             GError    **error)
{
  g_autofree char *db_path = g_build_filename (self->directory, "library.db", NULL);
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE,
                   _("Could not open the library database %s: %s"), db_path,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  /* Another connection's write (a batch's round, an import) may take a
   * while on a loaded machine: wait for it rather than fail. Nothing waits
   * on the main loop: the library is never used there. */
  sqlite3_busy_timeout (db, PX_LIBRARY_BUSY_MS);
  return db;
}

void
px_library_close_reader (sqlite3 *db)
{
  sqlite3_close (db);
}

gboolean
px_library_run_sql (PxLibrary   *self,
      const char  *sql,
      const char  *what,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return px_library_db_error (self, error, what);
  return TRUE;
}

static gboolean
is_corruption (int code)
{
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

/* Copies the damaged database (and its WAL) aside, leaves it in place and
 * says where the copy is. */
static void
report_corrupt (const char  *db_path,
                const char  *reason,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (db_path);
  g_autofree char *contents = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;
  g_autofree char *backup = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (db_path);
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) copy_error = NULL;
  gsize length = 0;

  /* Named by what it holds: the same damage seen again (every start until
   * it is mended) is one copy, not one more each time, and two starts in
   * the same second do not collide. */
  if (g_file_get_contents (db_path, &contents, &length, NULL))
    digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  g_clear_pointer (&contents, g_free);
  name = g_strdup_printf ("library-damaged-%.12s.db", digest ? digest : "unreadable");
  backup = g_build_filename (dir, name, NULL);
  target = g_file_new_for_path (backup);

  if (g_file_test (backup, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_CORRUPT,
                   _("The library database %s is damaged (%s). A copy was saved before as %s; "
                     "Pixmerge has not changed the original."),
                   db_path, reason, backup);
      return;
    }
  if (!g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &copy_error))
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_CORRUPT,
                   _("The library database %s is damaged (%s), and a backup copy could not be made (%s). "
                     "Pixmerge has not changed it."),
                   db_path, reason, copy_error->message);
      return;
    }

  g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_CORRUPT,
               _("The library database %s is damaged (%s). A copy was saved as %s; "
                 "Pixmerge has not changed the original."),
               db_path, reason, backup);
}

static int
get_user_version (PxLibrary *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

static gboolean
migrate (PxLibrary  *self,
         int         target,
         GError    **error)
{
  int version = get_user_version (self);

  if (version > PX_LIBRARY_SCHEMA_VERSION)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_TOO_NEW,
                   _("This library was made by a newer Pixmerge (schema %d; this version knows %d). "
                     "Update Pixmerge to open it."),
                   version, PX_LIBRARY_SCHEMA_VERSION);
      return FALSE;
    }

  for (int next = version + 1; next <= target; next++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", next);

      if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("starting an upgrade"), error))
        return FALSE;
      if (!px_library_run_sql (self, migrations[next - 1], _("upgrading the library"), error) ||
          !px_library_run_sql (self, set_version, _("upgrading the library"), error) ||
          !px_library_run_sql (self, "COMMIT", _("upgrading the library"), error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

PxLibrary *
px_library_open_at_version (const char  *directory,
                            int          version,
                            GError     **error)
{
  g_autoptr(PxLibrary) self = g_object_new (PX_TYPE_LIBRARY, NULL);
  g_autofree char *images = g_build_filename (directory, "images", NULL);
  g_autofree char *db_path = g_build_filename (directory, "library.db", NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  px_library_check_thread (G_STRFUNC);
  self->directory = g_canonicalize_filename (directory, NULL);
  if (g_mkdir_with_parents (images, 0700) != 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                   _("Could not create the library folder %s: %s"), images, g_strerror (errno));
      return NULL;
    }

  rc = sqlite3_open_v2 (db_path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK && g_access (self->directory, W_OK) != 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY,
                   _("The library folder %s cannot be written to (it is read-only, or belongs to another user): "
                     "%s. Choose a folder you can write to, or set PIXMERGE_LIBRARY_DIR."),
                   self->directory, g_strerror (errno));
      return NULL;
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                   _("Could not open the library database %s: %s"), db_path, sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, PX_LIBRARY_BUSY_MS);
  rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                     NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    {
      /* Reading the schema catches a file that is not a database or has a
       * damaged header. A full integrity check reads every page, too slow
       * for every start with a large library: `library check` runs it. */
      rc = sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM sqlite_master", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
    }

  if (is_corruption (rc))
    {
      g_autofree char *reason = g_strdup (sqlite3_errstr (rc));

      g_clear_pointer (&self->db, sqlite3_close);
      report_corrupt (db_path, reason, error);
      return NULL;
    }
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      px_library_db_error (self, error, _("opening"));
      return NULL;
    }

  /* sqlite opens a file it may not write read-only, without a word: say
   * so now rather than at the first image. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY,
                   _("The library database %s cannot be written to (it is read-only, or belongs to another user). "
                     "Check its permissions, or set PIXMERGE_LIBRARY_DIR to another folder."), db_path);
      return NULL;
    }

  self->version = version;
  if (!migrate (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

PxLibrary *
px_library_open (const char  *directory,
                 GError     **error)
{
  return px_library_open_at_version (directory, PX_LIBRARY_SCHEMA_VERSION, error);
}

int
px_library_get_schema_version (PxLibrary *self)
{
  PX_LIBRARY_WRITE (self);
  return get_user_version (self);
}

const char *
px_library_get_directory (PxLibrary *self)
{
  return self->directory;
}

/* Many images at once (importing a folder, seeding a test library): one
 * transaction and one sync for all of them. A crash before the end loses
 * the whole bulk, never half of one image. */
gboolean
px_library_begin_bulk (PxLibrary  *self,
                       GError    **error)
{
  /* The writer lock is held from here to px_library_end_bulk(), on this
   * thread: no other write lands inside the import's transaction. */
  px_library_lock (self);
  g_return_val_if_fail (!self->bulk, FALSE);

  if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("starting an import"), error))
    {
      px_library_unlock (self);
      return FALSE;
    }
  self->bulk = TRUE;
  return TRUE;
}

gboolean
px_library_end_bulk (PxLibrary  *self,
                     GError    **error)
{
  gboolean done;

  g_return_val_if_fail (self->bulk, FALSE);

  self->bulk = FALSE;
  /* Files reach the disk before the rows that point to them commit. */
  sync ();
  done = px_library_run_sql (self, "COMMIT", _("finishing an import"), error);
  if (!done)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  px_library_unlock (self);
  return done;
}

void
px_library_set_fail_after_file (PxLibrary *self,
                                gboolean   fail)
{
  self->fail_after_file = fail;
}

const char *
px_library_extension_for (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  return "png";
}

PxLibraryImage *
px_library_read_image (PxLibrary    *self,
                       sqlite3_stmt *stmt)
{
  PxLibraryImage *image = g_new0 (PxLibraryImage, 1);
  int i = 0;

#define TEXT() g_strdup ((const char *) sqlite3_column_text (stmt, i++))
  image->id = sqlite3_column_int64 (stmt, i++);
  image->file = g_build_filename (self->directory, (const char *) sqlite3_column_text (stmt, i++), NULL);
  image->sha256 = TEXT ();
  image->template_prompt = TEXT ();
  image->prompt = TEXT ();
  image->revised_prompt = TEXT ();
  image->provider = TEXT ();
  image->model = TEXT ();
  image->tokens_json = TEXT ();
  image->settings_json = TEXT ();
  image->mime_type = TEXT ();
  image->width = sqlite3_column_int (stmt, i++);
  image->height = sqlite3_column_int (stmt, i++);
  image->bytes = sqlite3_column_int64 (stmt, i++);
  image->cost = sqlite3_column_double (stmt, i++);
  image->generation_ms = sqlite3_column_int64 (stmt, i++);
  image->feature = TEXT ();
  image->parent_id = sqlite3_column_int64 (stmt, i++);
  image->batch_id = sqlite3_column_int64 (stmt, i++);
  image->created = sqlite3_column_int64 (stmt, i++);
  image->recipe_json = TEXT ();
  image->instruction = TEXT ();
#undef TEXT

  return image;
}

PxLibraryImage *
px_library_get_image (PxLibrary  *self,
                      gint64      id,
                      GError    **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  PxLibraryImage *image = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT " PX_LIBRARY_IMAGE_COLUMNS " FROM images WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading an image"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    image = px_library_read_image (self, stmt);
  else
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND, _("There is no image %" PRId64 " in the library."), id);
  sqlite3_finalize (stmt);

  return image;
}

static gboolean
set_trashed (PxLibrary     *self,
             const gint64  *ids,
             guint          n_ids,
             int            trashed,
             GError       **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  guint changed = 0;

  if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("deleting"), error))
    return FALSE;
  if (sqlite3_prepare_v2 (self->db, "UPDATE images SET trashed = ?, updated = ? WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, trashed);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_int64 (stmt, 3, ids[i]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
      changed += sqlite3_changes (self->db);
    }
  sqlite3_finalize (stmt);
  if (!px_library_run_sql (self, "COMMIT", _("deleting"), error))
    return FALSE;
  /* Undo never fails silently: what is no longer there is said. */
  if (changed < n_ids)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                   g_dngettext (GETTEXT_PACKAGE, "%u image is no longer in the library (it was deleted for good)",
                                "%u images are no longer in the library (they were deleted for good)",
                                n_ids - changed), n_ids - changed);
      return FALSE;
    }
  return TRUE;

fail:
  px_library_db_error (self, error, _("deleting"));
  sqlite3_finalize (stmt);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Deleting is two steps, so that it can be undone: trash hides the images,
 * restore brings them back, purge removes rows and files for good. */
gboolean
px_library_trash (PxLibrary     *self,
                  const gint64  *ids,
                  guint          n_ids,
                  GError       **error)
{
  return set_trashed (self, ids, n_ids, 1, error);
}

gboolean
px_library_restore (PxLibrary     *self,
                    const gint64  *ids,
                    guint          n_ids,
                    GError       **error)
{
  return set_trashed (self, ids, n_ids, 0, error);
}

/* Deletes trashed rows for good: those of ids (n of them), or every one
 * when ids is NULL. A file goes only when no other row keeps it, trashed
 * ones included: another deletion's Undo may still bring one back. */
static gboolean
purge (PxLibrary     *self,
       const gint64  *ids,
       guint          n,
       GError       **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) which = g_string_new (ids ? "trashed = 1 AND id IN (" : "trashed = 1");
  g_autofree char *select = NULL, *delete = NULL;
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; ids != NULL && i < n; i++)
    g_string_append_printf (which, "%s%" G_GINT64_FORMAT, i ? ", " : "", ids[i]);
  if (ids != NULL)
    g_string_append_c (which, ')');
  if (ids != NULL && n == 0)
    return TRUE;
  select = g_strdup_printf ("SELECT DISTINCT file FROM images WHERE %s AND file NOT IN"
                            " (SELECT file FROM images WHERE NOT (%s))", which->str, which->str);
  delete = g_strdup_printf ("DELETE FROM images WHERE %s", which->str);

  if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("emptying the trash"), error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, select, -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (files, g_build_filename (self->directory, (const char *) sqlite3_column_text (stmt, 0), NULL));
  sqlite3_finalize (stmt);

  if (!px_library_run_sql (self, delete, _("emptying the trash"), error) ||
      !px_library_run_sql (self, "COMMIT", _("emptying the trash"), error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  /* Rows first, then files: a crash in between leaves orphan files, which
   * the check reports, never rows without files. */
  for (guint i = 0; i < files->len; i++)
    g_unlink (g_ptr_array_index (files, i));

  return TRUE;

fail:
  px_library_db_error (self, error, _("emptying the trash"));
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Everything in the trash: at start, what a quit left behind. */
gboolean
px_library_purge_trash (PxLibrary  *self,
                        GError    **error)
{
  return purge (self, NULL, 0, error);
}

/* One deletion's images, when its Undo is no longer offered. */
gboolean
px_library_purge (PxLibrary     *self,
                  const gint64  *ids,
                  guint          n_ids,
                  GError       **error)
{
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  return purge (self, ids, n_ids, error);
}

static void
px_library_finalize (GObject *object)
{
  PxLibrary *self = PX_LIBRARY (object);

  px_library_stop_writer (self);
  g_clear_pointer (&self->readers, g_ptr_array_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_rec_mutex_clear (&self->lock);
  g_mutex_clear (&self->readers_lock);
  g_free (self->directory);
  g_free (self->staging);
  g_clear_pointer (&self->staged, g_ptr_array_unref);

  G_OBJECT_CLASS (px_library_parent_class)->finalize (object);
}

static void
px_library_class_init (PxLibraryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_library_finalize;
}

static void
px_library_init (PxLibrary *self)
{
  self->staged = g_ptr_array_new_with_free_func (g_free);
  self->readers = g_ptr_array_new_with_free_func ((GDestroyNotify) px_library_close_reader);
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->readers_lock);
}

/* ---- for batches (px-library-private.h) ---- */

sqlite3 *
px_library_get_db (PxLibrary *self)
{
  return self->db;
}

gboolean
px_library_exec (PxLibrary   *self,
                 const char  *sql,
                 GError     **error)
{
  PX_LIBRARY_WRITE (self);
  return px_library_run_sql (self, sql, _("saving a batch"), error);
}

