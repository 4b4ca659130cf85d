/* px-library.c: the library database and its image files. The database is
 * sqlite in WAL mode with foreign keys, its schema versioned with
 * PRAGMA user_version and migrated forward in a transaction at open. Image
 * files are content-addressed (images/ab/<sha256>.png), written durably
 * (temp, fsync, rename) before their row is committed; a failure in between
 * removes the new file, so neither half is left. Nothing here deletes what
 * it does not understand: a damaged database is copied aside and reported,
 * orphan files are reported, not removed. */
#include "config.h"

#include <errno.h>
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
#include "px-paths.h"
#include "px-png.h"
#include "px-tokens.h"

G_DEFINE_QUARK (px-library-error-quark, px_library_error)

struct _PxLibrary
{
  GObject   parent_instance;

  char     *directory;
  sqlite3  *db;
  gboolean  fail_after_file;
  gboolean  bulk;
  char     *staging;    /* a batch's folder for files not yet committed, or NULL */
  GPtrArray *staged;    /* relative final paths of the files staged there */
};

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
  "ALTER TABLE batch_jobs ADD COLUMN reason TEXT;"
  "ALTER TABLE batch_items ADD COLUMN possibly_paid REAL NOT NULL DEFAULT 0;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PX_LIBRARY_SCHEMA_VERSION);

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
  g_free (image);
}

static gboolean
set_sqlite_error (sqlite3     *db,
                  GError     **error,
                  const char  *what)
{
  g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE,
               _("The library database failed while %s: %s"), what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
set_db_error (PxLibrary  *self,
              GError    **error,
              const char *what)
{
  return set_sqlite_error (self->db, error, what);
}

/* A second, read-only connection for long reads run off the main thread
 * (WAL lets it read while the main connection writes), so they never hold
 * the main connection's mutex while the gallery wants a page. */
static sqlite3 *
open_reader (PxLibrary  *self,
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
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
close_reader (sqlite3 *db)
{
  sqlite3_close (db);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, close_reader)

static gboolean
exec (PxLibrary   *self,
      const char  *sql,
      const char  *what,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (self, error, what);
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

      if (!exec (self, "BEGIN IMMEDIATE", _("starting an upgrade"), error))
        return FALSE;
      if (!exec (self, migrations[next - 1], _("upgrading the library"), error) ||
          !exec (self, set_version, _("upgrading the library"), error) ||
          !exec (self, "COMMIT", _("upgrading the library"), error))
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
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
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

  sqlite3_busy_timeout (self->db, 5000);
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
      set_db_error (self, error, _("opening"));
      return NULL;
    }

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
  g_return_val_if_fail (!self->bulk, FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", _("starting an import"), error))
    return FALSE;
  self->bulk = TRUE;
  return TRUE;
}

gboolean
px_library_end_bulk (PxLibrary  *self,
                     GError    **error)
{
  g_return_val_if_fail (self->bulk, FALSE);

  self->bulk = FALSE;
  /* Files reach the disk before the rows that point to them commit. */
  sync ();
  return exec (self, "COMMIT", _("finishing an import"), error);
}

void
px_library_set_fail_after_file (PxLibrary *self,
                                gboolean   fail)
{
  self->fail_after_file = fail;
}

static const char *
extension_for (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "jpg";
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "webp";
  return "png";
}

/* Writes bytes under images/ by their hash. *created says whether this call
 * made the file (an identical image may be there already). */
static char *
store_file (PxLibrary   *self,
            GBytes      *bytes,
            const char  *mime_type,
            char       **sha256,
            gboolean    *created,
            GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *prefix = g_strndup (hash, 2);
  g_autofree char *name = g_strdup_printf ("%s.%s", hash, extension_for (mime_type));
  g_autofree char *relative = g_build_filename ("images", prefix, name, NULL);
  g_autofree char *dir = g_build_filename (self->directory, "images", prefix, NULL);
  g_autofree char *path = g_build_filename (self->directory, relative, NULL);

  *created = FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && self->staging != NULL)
    {
      /* Written whole beside, moved into place once the row is committed
       * (see px_library_move_staged). */
      g_autofree char *staged = g_build_filename (self->staging, name, NULL);

      if (g_mkdir_with_parents (self->staging, 0700) != 0 ||
          !g_file_set_contents_full (staged, data, size,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                         _("Could not create %s: %s"), self->staging, g_strerror (errno));
          return NULL;
        }
      g_ptr_array_add (self->staged, g_strdup (relative));
      *created = TRUE;
    }
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                       _("Could not create %s: %s"), dir, g_strerror (errno));
          return NULL;
        }
      /* Temp file, fsync, rename: the image is whole on disk before any row
       * points to it. A bulk import syncs once at its end instead. */
      if (!g_file_set_contents_full (path, data, size,
                                     self->bulk ? G_FILE_SET_CONTENTS_CONSISTENT
                                                : G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0600, error))
        return NULL;
      *created = TRUE;
    }

  *sha256 = g_steal_pointer (&hash);
  return g_steal_pointer (&relative);
}


/* The AUTOMATIC1111 "parameters" layout that other tools read: the prompt,
 * then "Key: value" pairs on one line. */
static char *
a1111_parameters (const char *prompt,
                  const char *model,
                  int         width,
                  int         height,
                  GHashTable *settings)
{
  g_autoptr(GString) out = g_string_new (prompt);
  const char *negative = settings ? g_hash_table_lookup (settings, "negative_prompt") : NULL;
  const char *steps = settings ? g_hash_table_lookup (settings, "steps") : NULL;
  const char *cfg = settings ? g_hash_table_lookup (settings, "cfg_scale") : NULL;
  const char *seed = settings ? g_hash_table_lookup (settings, "seed") : NULL;

  if (negative != NULL && *negative != '\0')
    g_string_append_printf (out, "\nNegative prompt: %s", negative);
  g_string_append_c (out, '\n');
  if (steps != NULL)
    g_string_append_printf (out, "Steps: %s, ", steps);
  if (cfg != NULL)
    g_string_append_printf (out, "CFG scale: %s, ", cfg);
  if (seed != NULL)
    g_string_append_printf (out, "Seed: %s, ", seed);
  g_string_append_printf (out, "Size: %dx%d, Model: %s", width, height, model);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct {
  const char *template_prompt;
  const char *prompt;
  const char *revised_prompt;
  const char *provider;
  const char *model;
  const char *tokens_json;
  const char *settings_json;
  const char *metadata_json;
  const char *mime_type;
  int         width;
  int         height;
  double      cost;
  gint64      generation_ms;
  const char *feature;
  gint64      parent_id;
  gint64      batch_id;
} Row;

static gint64
insert_image (PxLibrary   *self,
              const Row   *row,
              GBytes      *bytes,
              GError     **error)
{
  g_autofree char *relative = NULL;
  g_autofree char *sha256 = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean created = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = 0;
  int i = 1;

  relative = store_file (self, bytes, row->mime_type, &sha256, &created, error);
  if (relative == NULL)
    return 0;

  if (self->fail_after_file)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE, "Simulated failure after the file was written");
      goto undo_file;
    }

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO images (file, sha256, template_prompt, prompt, revised_prompt, provider, model,"
                          " tokens, settings, metadata, mime_type, width, height, bytes, cost, generation_ms, feature,"
                          " parent_id, batch_id, created, updated)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("saving an image"));
      goto undo_file;
    }

  sqlite3_bind_text (stmt, i++, relative, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->template_prompt ? row->template_prompt : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->revised_prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->model, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->tokens_json ? row->tokens_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->settings_json ? row->settings_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->metadata_json ? row->metadata_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->mime_type, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, i++, row->width);
  sqlite3_bind_int (stmt, i++, row->height);
  sqlite3_bind_int64 (stmt, i++, g_bytes_get_size (bytes));
  sqlite3_bind_double (stmt, i++, row->cost);
  sqlite3_bind_int64 (stmt, i++, row->generation_ms);
  sqlite3_bind_text (stmt, i++, row->feature, -1, SQLITE_STATIC);
  if (row->parent_id > 0)
    sqlite3_bind_int64 (stmt, i++, row->parent_id);
  else
    sqlite3_bind_null (stmt, i++);
  if (row->batch_id > 0)
    sqlite3_bind_int64 (stmt, i++, row->batch_id);
  else
    sqlite3_bind_null (stmt, i++);
  sqlite3_bind_int64 (stmt, i++, now);
  sqlite3_bind_int64 (stmt, i++, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error, _("saving an image"));
      sqlite3_finalize (stmt);
      goto undo_file;
    }
  sqlite3_finalize (stmt);
  id = sqlite3_last_insert_rowid (self->db);
  return id;

undo_file:
  /* Neither half: a file this call wrote goes again. One that was already
   * there belongs to other rows. */
  if (created && self->staging != NULL)
    {
      g_autofree char *base = g_path_get_basename (relative);
      g_autofree char *path = g_build_filename (self->staging, base, NULL);

      g_unlink (path);
      g_ptr_array_remove_index (self->staged, self->staged->len - 1);
    }
  else if (created)
    {
      g_autofree char *path = g_build_filename (self->directory, relative, NULL);
      g_unlink (path);
    }
  return 0;
}

gint64
px_library_add_generation (PxLibrary                 *self,
                           const PxGenerationRequest *request,
                           const PxGenerationResult  *result,
                           guint                      image_index,
                           const char                *feature,
                           GError                   **error)
{
  return px_library_add_batch_generation (self, request, result, image_index, feature, 0, error);
}

gint64
px_library_add_batch_generation (PxLibrary                 *self,
                                 const PxGenerationRequest *request,
                                 const PxGenerationResult  *result,
                                 guint                      image_index,
                                 const char                *feature,
                                 gint64                     batch_id,
                                 GError                   **error)
{
  PxImage *image;
  g_autofree char *tokens_json = NULL;
  g_autofree char *settings_json = NULL;
  g_autoptr(GBytes) stored = NULL;
  Row row = { 0, };

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (image_index < result->images->len, 0);

  image = g_ptr_array_index (result->images, image_index);
  tokens_json = px_json_from_table (request->tokens);
  settings_json = px_json_from_table (result->settings);

  /* Provenance inside the file itself, so an exported PNG keeps it. */
  if (g_strcmp0 (image->mime_type, "image/png") == 0)
    {
      g_autofree char *parameters = a1111_parameters (request->prompt, result->model_id,
                                                      image->width, image->height, result->settings);
      const char *keys[] = { "parameters", "Description", "pixmerge:prompt", "pixmerge:template",
                             "pixmerge:model", "pixmerge:tokens", "pixmerge:settings", NULL };
      const char *values[] = { parameters, request->prompt, request->prompt, request->template_prompt,
                               result->model_id, tokens_json, settings_json, NULL };

      stored = px_png_add_text (image->bytes, keys, values);
    }
  if (stored == NULL)
    stored = g_bytes_ref (image->bytes);

  row.template_prompt = request->template_prompt;
  row.prompt = request->prompt;
  row.revised_prompt = result->revised_prompt;
  row.provider = result->provider_id;
  row.model = result->model_id;
  row.tokens_json = tokens_json;
  row.settings_json = settings_json;
  row.metadata_json = result->provider_metadata;
  row.mime_type = image->mime_type;
  row.width = image->width;
  row.height = image->height;
  /* The cost is the request's; each image carries its share. */
  row.cost = result->cost / MAX (1u, result->images->len);
  row.generation_ms = result->generation_ms;
  row.feature = feature ? feature : "generate";
  row.batch_id = batch_id;

  return insert_image (self, &row, stored, error);
}

/* A new image made from a library image on this computer (meme captions,
 * edits): the parent's prompt, tokens and model, its own pixels, no cost,
 * and the parent recorded. */
gint64
px_library_add_derived (PxLibrary   *self,
                        gint64       parent_id,
                        GBytes      *bytes,
                        const char  *feature,
                        GError     **error)
{
  g_autoptr(PxLibraryImage) parent = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr(GBytes) stored = NULL;
  Row row = { 0, };
  int width, height;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);

  parent = px_library_get_image (self, parent_id, error);
  if (parent == NULL || !px_image_check (bytes, &mime_type, &width, &height, error))
    return 0;

  if (g_strcmp0 (mime_type, "image/png") == 0)
    {
      const char *keys[] = { "Description", "pixmerge:prompt", "pixmerge:template", "pixmerge:model",
                             "pixmerge:tokens", "pixmerge:settings", NULL };
      const char *values[] = { parent->prompt, parent->prompt, parent->template_prompt, parent->model,
                               parent->tokens_json, parent->settings_json, NULL };

      stored = px_png_add_text (bytes, keys, values);
    }
  if (stored == NULL)
    stored = g_bytes_ref (bytes);

  row.template_prompt = parent->template_prompt;
  row.prompt = parent->prompt;
  row.revised_prompt = parent->revised_prompt;
  row.provider = parent->provider;
  row.model = parent->model;
  row.tokens_json = parent->tokens_json;
  row.settings_json = parent->settings_json;
  row.mime_type = mime_type;
  row.width = width;
  row.height = height;
  row.feature = feature ? feature : parent->feature;
  row.parent_id = parent_id;
  row.batch_id = parent->batch_id;

  return insert_image (self, &row, stored, error);
}

gint64
px_library_import_file (PxLibrary   *self,
                        const char  *path,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) text = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *prompt;
  Row row = { 0, };
  gsize length;
  int width, height;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO, _("Could not read %s: %s"), path, local_error->message);
      return 0;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!px_image_check (bytes, &mime, &width, &height, &local_error))
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                   _("%s is not an image Pixmerge can keep: PNG, JPEG or WebP."), path);
      return 0;
    }

  /* An image made by Pixmerge (or AUTOMATIC1111) says what it was made from. */
  text = px_png_read_text (bytes);
  prompt = g_hash_table_lookup (text, "pixmerge:prompt");
  if (prompt == NULL)
    prompt = g_hash_table_lookup (text, "parameters");

  row.prompt = prompt ? prompt : basename;
  row.template_prompt = g_hash_table_lookup (text, "pixmerge:template");
  row.tokens_json = g_hash_table_lookup (text, "pixmerge:tokens");
  row.settings_json = g_hash_table_lookup (text, "pixmerge:settings");
  row.provider = "imported";
  row.model = g_hash_table_lookup (text, "pixmerge:model");
  if (row.model == NULL)
    row.model = "imported";
  row.mime_type = mime;
  row.width = width;
  row.height = height;
  row.feature = "imported";

  return insert_image (self, &row, bytes, error);
}

#define IMAGE_COLUMNS "images.id, images.file, images.sha256, images.template_prompt, images.prompt," \
                      " images.revised_prompt, images.provider, images.model, images.tokens, images.settings," \
                      " images.mime_type, images.width, images.height, images.bytes, images.cost," \
                      " images.generation_ms, images.feature, COALESCE (images.parent_id, 0)," \
                      " COALESCE (images.batch_id, 0), images.created"

static PxLibraryImage *
read_image (PxLibrary    *self,
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
#undef TEXT

  return image;
}

PxLibraryImage *
px_library_get_image (PxLibrary  *self,
                      gint64      id,
                      GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  PxLibraryImage *image = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT " IMAGE_COLUMNS " FROM images WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("reading an image"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    image = read_image (self, stmt);
  else
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND, _("There is no image %" G_GINT64_FORMAT " in the library."), id);
  sqlite3_finalize (stmt);

  return image;
}

/* Each word of the search as a quoted prefix term, so that what a user
 * types is never read as FTS5 syntax. */
static char *
fts_query (const char *search)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) words = g_strsplit_set (search, " \t\n\"*:^()+-", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (out, "%s\"%s\"*", out->len ? " " : "", words[i]);

  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static sqlite3_stmt *
prepare_query (PxLibrary            *self,
               const char           *select,
               const PxLibraryQuery *query,
               const char           *tail,
               GError              **error)
{
  g_autoptr(GString) sql = g_string_new (select);
  g_autofree char *match = query && query->search ? fts_query (query->search) : NULL;
  sqlite3_stmt *stmt = NULL;
  int i = 1;

  g_string_append (sql, " FROM images WHERE trashed = 0");
  /* The full-text index finds the matching rows first; a join would make
   * sqlite test every image against the index (minutes at 100,000). */
  if (match != NULL)
    g_string_append (sql, " AND images.id IN (SELECT rowid FROM images_fts WHERE images_fts MATCH ?)");
  if (query && query->provider) g_string_append (sql, " AND provider = ?");
  if (query && query->model) g_string_append (sql, " AND model = ?");
  if (query && query->feature) g_string_append (sql, " AND feature = ?");
  if (query && query->batch_id > 0) g_string_append (sql, " AND batch_id = ?");
  if (query && query->created_from > 0) g_string_append (sql, " AND created >= ?");
  if (query && query->created_to > 0) g_string_append (sql, " AND created < ?");
  if (tail != NULL)
    {
      if (query && query->sort == PX_LIBRARY_SORT_OLDEST)
        g_string_append (sql, " ORDER BY created ASC, images.id ASC");
      else
        g_string_append (sql, " ORDER BY created DESC, images.id DESC");
      g_string_append (sql, tail);
    }

  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("searching"));
      return NULL;
    }

  if (match != NULL) sqlite3_bind_text (stmt, i++, match, -1, SQLITE_TRANSIENT);
  if (query && query->provider) sqlite3_bind_text (stmt, i++, query->provider, -1, SQLITE_TRANSIENT);
  if (query && query->model) sqlite3_bind_text (stmt, i++, query->model, -1, SQLITE_TRANSIENT);
  if (query && query->feature) sqlite3_bind_text (stmt, i++, query->feature, -1, SQLITE_TRANSIENT);
  if (query && query->batch_id > 0) sqlite3_bind_int64 (stmt, i++, query->batch_id);
  if (query && query->created_from > 0) sqlite3_bind_int64 (stmt, i++, query->created_from);
  if (query && query->created_to > 0) sqlite3_bind_int64 (stmt, i++, query->created_to);

  return stmt;
}

guint
px_library_count (PxLibrary            *self,
                  const PxLibraryQuery *query,
                  GError              **error)
{
  sqlite3_stmt *stmt = prepare_query (self, "SELECT COUNT(*)", query, NULL, error);
  guint count = 0;

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

GPtrArray *
px_library_list (PxLibrary            *self,
                 const PxLibraryQuery *query,
                 guint                 offset,
                 guint                 limit,
                 GError              **error)
{
  g_autofree char *tail = g_strdup_printf (" LIMIT %u OFFSET %u", limit, offset);
  sqlite3_stmt *stmt = prepare_query (self, "SELECT " IMAGE_COLUMNS, query, tail, error);
  GPtrArray *images;
  int rc;

  if (stmt == NULL)
    return NULL;

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) px_library_image_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (images, read_image (self, stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (images);
      set_db_error (self, error, _("searching"));
      return NULL;
    }

  return images;
}

/* The models the library has images of, most used first, for the filter. */
/* The distinct values of one column over the images not in the trash,
 * most used first. Reads every row, so callers keep it off the main thread. */
static char **
list_values (PxLibrary   *self,
             const char  *sql,
             const char  *what,
             GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3) db = open_reader (self, error);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (db, error, what);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return g_strv_builder_end (builder);
}

char **
px_library_list_models (PxLibrary  *self,
                        GError    **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  return list_values (self, "SELECT model FROM images WHERE trashed = 0 GROUP BY model ORDER BY COUNT(*) DESC, model",
                      _("listing models"), error);
}

char **
px_library_list_features (PxLibrary  *self,
                          GError    **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  return list_values (self, "SELECT feature FROM images WHERE trashed = 0 AND feature IS NOT NULL AND feature <> '' "
                            "GROUP BY feature ORDER BY COUNT(*) DESC, feature",
                      _("listing features"), error);
}

static gboolean
set_trashed (PxLibrary     *self,
             const gint64  *ids,
             guint          n_ids,
             int            trashed,
             GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (!exec (self, "BEGIN IMMEDIATE", _("deleting"), error))
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
    }
  sqlite3_finalize (stmt);
  return exec (self, "COMMIT", _("deleting"), error);

fail:
  set_db_error (self, error, _("deleting"));
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

  if (!exec (self, "BEGIN IMMEDIATE", _("emptying the trash"), error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, select, -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (files, g_build_filename (self->directory, (const char *) sqlite3_column_text (stmt, 0), NULL));
  sqlite3_finalize (stmt);

  if (!exec (self, delete, _("emptying the trash"), error) ||
      !exec (self, "COMMIT", _("emptying the trash"), error))
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
  set_db_error (self, error, _("emptying the trash"));
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
collect_files (const char *root,
               const char *relative,
               GHashTable *found)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *full = g_build_filename (root, child, NULL);

      /* Hidden: temp files being written, a batch's uncommitted files. */
      if (g_str_has_prefix (name, "."))
        continue;
      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_files (root, child, found);
      else
        g_hash_table_add (found, g_steal_pointer (&child));
    }
}

/* Problems, one sentence each; empty when all is well. Reports, never
 * deletes. */
GPtrArray *
px_library_check (PxLibrary  *self,
                  GError    **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) on_disk = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) in_db = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) files = NULL;
  g_autoptr(sqlite3) db = open_reader (self, error);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *line = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (line, "ok") != 0)
            g_ptr_array_add (problems, g_strdup_printf (_("Database: %s"), line));
        }
      sqlite3_finalize (stmt);
    }

  collect_files (self->directory, "images", on_disk);

  if (sqlite3_prepare_v2 (db, "SELECT id, file FROM images ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (db, error, _("checking"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *file = (const char *) sqlite3_column_text (stmt, 1);

      g_hash_table_add (in_db, g_strdup (file));
      if (!g_hash_table_contains (on_disk, file))
        g_ptr_array_add (problems, g_strdup_printf (_("Image %" G_GINT64_FORMAT ": its file %s is missing."),
                                                    (gint64) sqlite3_column_int64 (stmt, 0), file));
    }
  sqlite3_finalize (stmt);

  files = g_hash_table_get_keys (on_disk);
  files = g_list_sort (files, (GCompareFunc) g_strcmp0);
  for (GList *l = files; l != NULL; l = l->next)
    if (!g_hash_table_contains (in_db, l->data))
      g_ptr_array_add (problems, g_strdup_printf (_("%s is in the library folder but not in the library; "
                                                    "it was left where it is."), (const char *) l->data));

  return g_steal_pointer (&problems);
}

/* A file name from a pattern with the image's tokens (plus ID, MODEL,
 * PROVIDER and DATE), made safe: no folders, no "..", no control
 * characters, at most 100 characters. No extension. */
char *
px_library_export_name (const PxLibraryImage  *image,
                        const char            *pattern,
                        GError               **error)
{
  g_autoptr(GHashTable) values = px_json_to_table (image->tokens_json);
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (image->created);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) safe = g_string_new (NULL);
  g_autofree char *resolved = NULL;
  glong n_chars = 0;

  g_hash_table_insert (values, g_strdup ("ID"), g_strdup_printf ("%" G_GINT64_FORMAT, image->id));
  g_hash_table_insert (values, g_strdup ("MODEL"), g_strdup (image->model));
  g_hash_table_insert (values, g_strdup ("PROVIDER"), g_strdup (image->provider));
  g_hash_table_insert (values, g_strdup ("DATE"), g_date_time_format (created, "%Y-%m-%d"));

  resolved = px_tokens_resolve (pattern, values, 0, &local_error);
  if (resolved == NULL)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_PATTERN,
                   _("Image %" G_GINT64_FORMAT ": %s Give the token a default, like [COMPANY|unknown]."),
                   image->id, local_error->message);
      return NULL;
    }

  for (const char *p = resolved; *p != '\0' && n_chars < 100; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || c == ':' || g_unichar_iscntrl (c))
        c = '-';
      g_string_append_unichar (safe, c);
      n_chars++;
    }

  /* No hidden files and no "..": strip leading dots and spaces. */
  while (safe->len > 0 && (safe->str[0] == '.' || safe->str[0] == ' '))
    g_string_erase (safe, 0, 1);
  while (strstr (safe->str, "..") != NULL)
    {
      char *dots = strstr (safe->str, "..");
      g_string_erase (safe, dots - safe->str, 1);
    }
  g_strchomp (safe->str);
  safe->len = strlen (safe->str);

  if (safe->len == 0)
    g_string_printf (safe, "image-%" G_GINT64_FORMAT, image->id);

  return g_string_free (g_steal_pointer (&safe), FALSE);
}

GPtrArray *
px_library_export (PxLibrary     *self,
                   const gint64  *ids,
                   guint          n_ids,
                   const char    *directory,
                   const char    *pattern,
                   GError       **error)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) px_library_image_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                   _("Could not create %s: %s"), directory, g_strerror (errno));
      return NULL;
    }

  /* Every name first: a pattern that fails for one image writes nothing. */
  for (guint i = 0; i < n_ids; i++)
    {
      PxLibraryImage *image = px_library_get_image (self, ids[i], error);
      char *name;

      if (image == NULL)
        return NULL;
      g_ptr_array_add (images, image);
      name = px_library_export_name (image, pattern ? pattern : "image-[ID]", error);
      if (name == NULL)
        return NULL;
      g_ptr_array_add (names, name);
    }

  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (images, i);
      g_autofree char *contents = NULL;
      g_autofree char *path = NULL;
      gsize length;

      /* Collisions get -2, -3, …, never an overwrite. */
      for (guint n = 1; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
        {
          g_autofree char *file = n == 1 ? g_strdup_printf ("%s.%s", (char *) g_ptr_array_index (names, i),
                                                            extension_for (image->mime_type))
                                         : g_strdup_printf ("%s-%u.%s", (char *) g_ptr_array_index (names, i), n,
                                                            extension_for (image->mime_type));
          g_free (path);
          path = g_build_filename (directory, file, NULL);
        }

      if (!g_file_get_contents (image->file, &contents, &length, error) ||
          !g_file_set_contents (path, contents, length, error))
        return NULL;
      g_ptr_array_add (written, g_steal_pointer (&path));
    }

  return g_steal_pointer (&written);
}

/* A PNG thumbnail at most size pixels a side in the cache folder, made
 * when missing; returns its path. */
char *
px_library_thumbnail (PxLibrary             *self,
                      const PxLibraryImage  *image,
                      int                    size,
                      GError               **error)
{
  g_autofree char *name = g_strdup_printf ("%s-%d.png", image->sha256, size);
  g_autofree char *dir = g_build_filename (px_paths_get_cache_dir (), "thumbnails", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  if (!g_file_get_contents (image->file, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  pixbuf = px_image_load_scaled (bytes, image->mime_type, size, error);
  if (pixbuf == NULL)
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO, _("Could not create %s: %s"), dir, g_strerror (errno));
      return NULL;
    }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", error, NULL) ||
      !g_file_set_contents (path, buffer, length, error))
    return NULL;

  return g_steal_pointer (&path);
}

static void
px_library_finalize (GObject *object)
{
  PxLibrary *self = PX_LIBRARY (object);

  g_clear_pointer (&self->db, sqlite3_close);
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
}

/* ---- templates and token sets ---- */

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

GPtrArray *
px_library_list_templates (PxLibrary  *self,
                           GError    **error)
{
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, name, category, description, feature, prompt, model, settings, caption_top, caption_bottom "
                          "FROM templates ORDER BY category, name COLLATE NOCASE, id", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("reading templates"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxTemplate *template_ = px_template_new ((const char *) sqlite3_column_text (stmt, 1),
                                               (const char *) sqlite3_column_text (stmt, 5));

      template_->row_id = sqlite3_column_int64 (stmt, 0);
      g_free (template_->category);
      template_->category = dup_column (stmt, 2);
      g_free (template_->description);
      template_->description = dup_column (stmt, 3);
      template_->feature = dup_column (stmt, 4);
      template_->model = dup_column (stmt, 6);
      px_template_set_settings_json (template_, (const char *) sqlite3_column_text (stmt, 7));
      template_->caption_top = dup_column (stmt, 8);
      template_->caption_bottom = dup_column (stmt, 9);
      g_ptr_array_add (templates, template_);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&templates);
}

/* Inserts a new template (row_id 0, which it then sets) or replaces the
 * saved one. */
gint64
px_library_save_template (PxLibrary   *self,
                          PxTemplate  *template_,
                          GError     **error)
{
  g_autofree char *settings = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (template_ != NULL, 0);

  settings = px_template_settings_to_json (template_);
  if (sqlite3_prepare_v2 (self->db,
                          template_->row_id == 0
                          ? "INSERT INTO templates (name, category, description, feature, prompt, model, settings, "
                            "caption_top, caption_bottom, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
                          : "UPDATE templates SET name = ?1, category = ?2, description = ?3, feature = ?4, prompt = ?5, "
                            "model = ?6, settings = ?7, caption_top = ?8, caption_bottom = ?9, updated = ?10 WHERE id = ?11",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("saving a template"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, template_->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, template_->category ? template_->category : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, template_->description ? template_->description : "", -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, template_->feature);
  sqlite3_bind_text (stmt, 5, template_->prompt, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 6, template_->model);
  sqlite3_bind_text (stmt, 7, settings, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 8, template_->caption_top);
  bind_text_or_null (stmt, 9, template_->caption_bottom);
  sqlite3_bind_int64 (stmt, 10, now);
  if (template_->row_id != 0)
    sqlite3_bind_int64 (stmt, 11, template_->row_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, _("saving a template"));
      return 0;
    }
  if (template_->row_id == 0)
    template_->row_id = sqlite3_last_insert_rowid (self->db);
  else if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                   _("The template “%s” is no longer in the library."), template_->name);
      return 0;
    }

  return template_->row_id;
}

static gboolean
delete_row (PxLibrary   *self,
            const char  *sql,
            gint64       id,
            const char  *what,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_db_error (self, error, what);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (self, error, what);
  return TRUE;
}

gboolean
px_library_delete_template (PxLibrary  *self,
                            gint64      id,
                            GError    **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return delete_row (self, "DELETE FROM templates WHERE id = ?", id, _("deleting a template"), error);
}

PxTokenSet *
px_token_set_new (const char *name)
{
  PxTokenSet *set = g_new0 (PxTokenSet, 1);

  set->name = g_strdup (name ? name : "");
  set->names = g_ptr_array_new_with_free_func (g_free);
  set->values = g_ptr_array_new_with_free_func (g_free);
  return set;
}

PxTokenSet *
px_token_set_copy (const PxTokenSet *set)
{
  PxTokenSet *copy = px_token_set_new (set->name);

  copy->id = set->id;
  for (guint i = 0; i < set->names->len; i++)
    px_token_set_set (copy, g_ptr_array_index (set->names, i), g_ptr_array_index (set->values, i));
  return copy;
}

void
px_token_set_free (PxTokenSet *set)
{
  if (set == NULL)
    return;

  g_free (set->name);
  g_ptr_array_unref (set->names);
  g_ptr_array_unref (set->values);
  g_free (set);
}

static gboolean
find_token (const PxTokenSet *set,
            const char       *name,
            guint            *index)
{
  g_autofree char *normal = px_tokens_normalize_name (name);

  return normal != NULL && g_ptr_array_find_with_equal_func (set->names, normal, g_str_equal, index);
}

/* Adds the token at the end, or changes its value. Names are normalised
 * the way prompts write them (upper case). */
void
px_token_set_set (PxTokenSet *set,
                  const char *name,
                  const char *value)
{
  g_autofree char *normal = px_tokens_normalize_name (name);
  guint index;

  g_return_if_fail (set != NULL);
  if (normal == NULL || *normal == '\0')
    return;

  if (find_token (set, normal, &index))
    {
      g_free (set->values->pdata[index]);
      set->values->pdata[index] = g_strdup (value ? value : "");
      return;
    }
  g_ptr_array_add (set->names, g_steal_pointer (&normal));
  g_ptr_array_add (set->values, g_strdup (value ? value : ""));
}

gboolean
px_token_set_remove (PxTokenSet *set,
                     const char *name)
{
  guint index;

  if (!find_token (set, name, &index))
    return FALSE;
  g_ptr_array_remove_index (set->names, index);
  g_ptr_array_remove_index (set->values, index);
  return TRUE;
}

const char *
px_token_set_lookup (const PxTokenSet *set,
                     const char       *name)
{
  guint index;

  return find_token (set, name, &index) ? g_ptr_array_index (set->values, index) : NULL;
}

/* Name -> value, as px_tokens_resolve wants; empty values count as missing. */
GHashTable *
px_token_set_to_table (const PxTokenSet *set)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; set != NULL && i < set->names->len; i++)
    if (*(const char *) g_ptr_array_index (set->values, i) != '\0')
      g_hash_table_insert (table, g_strdup (g_ptr_array_index (set->names, i)),
                           g_strdup (g_ptr_array_index (set->values, i)));
  return table;
}

/* A JSON object in the set's order (json-glib keeps member order). */
char *
px_token_set_to_json (const PxTokenSet *set)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < set->names->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (set->names, i));
      json_builder_add_string_value (builder, g_ptr_array_index (set->values, i));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

void
px_token_set_load_json (PxTokenSet *set,
                        const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  g_ptr_array_set_size (set->names, 0);
  g_ptr_array_set_size (set->values, 0);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        px_token_set_set (set, l->data, json_node_get_string (node));
    }
}

GPtrArray *
px_library_list_token_sets (PxLibrary  *self,
                            GError    **error)
{
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func ((GDestroyNotify) px_token_set_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT id, name, tokens FROM token_sets ORDER BY name COLLATE NOCASE, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("reading token sets"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxTokenSet *set = px_token_set_new ((const char *) sqlite3_column_text (stmt, 1));

      set->id = sqlite3_column_int64 (stmt, 0);
      px_token_set_load_json (set, (const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (sets, set);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&sets);
}

gint64
px_library_save_token_set (PxLibrary   *self,
                           PxTokenSet  *set,
                           GError     **error)
{
  g_autofree char *tokens = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (set != NULL, 0);

  tokens = px_token_set_to_json (set);
  if (sqlite3_prepare_v2 (self->db,
                          set->id == 0
                          ? "INSERT INTO token_sets (name, tokens, created, updated) VALUES (?1, ?2, ?3, ?3)"
                          : "UPDATE token_sets SET name = ?1, tokens = ?2, updated = ?3 WHERE id = ?4",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("saving a token set"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, set->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, tokens, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (set->id != 0)
    sqlite3_bind_int64 (stmt, 4, set->id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, _("saving a token set"));
      return 0;
    }
  if (set->id == 0)
    set->id = sqlite3_last_insert_rowid (self->db);
  else if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                   _("The token set “%s” is no longer in the library."), set->name);
      return 0;
    }

  return set->id;
}

gboolean
px_library_delete_token_set (PxLibrary  *self,
                             gint64      id,
                             GError    **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return delete_row (self, "DELETE FROM token_sets WHERE id = ?", id, _("deleting a token set"), error);
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
  return exec (self, sql, _("saving a batch"), error);
}

static char *
staging_dir (PxLibrary *self,
             gint64     job_id)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, job_id);

  return g_build_filename (self->directory, "images", ".staging", name, NULL);
}

/* Until px_library_stop_staging, new image files go to the job's staging
 * folder instead of their place. */
void
px_library_start_staging (PxLibrary *self,
                          gint64     job_id)
{
  g_free (self->staging);
  self->staging = staging_dir (self, job_id);
  g_ptr_array_set_size (self->staged, 0);
}

void
px_library_stop_staging (PxLibrary *self)
{
  g_clear_pointer (&self->staging, g_free);
}

static gboolean
row_has_file (PxLibrary  *self,
              const char *relative)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM images WHERE file = ? LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, relative, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* After a commit (or at recovery, for all of a job's staged files): files
 * whose rows were committed move into place, the others are deleted; a
 * crash between commit and move is finished here next time. */
guint
px_library_move_staged (PxLibrary *self,
                        gint64     job_id)
{
  g_autofree char *dir = staging_dir (self, job_id);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint moved = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *prefix = g_strndup (name, 2);
      g_autofree char *relative = g_build_filename ("images", prefix, name, NULL);
      g_autofree char *from = g_build_filename (dir, name, NULL);
      g_autofree char *to_dir = g_build_filename (self->directory, "images", prefix, NULL);
      g_autofree char *to = g_build_filename (self->directory, relative, NULL);

      if (row_has_file (self, relative) && !g_file_test (to, G_FILE_TEST_EXISTS) &&
          g_mkdir_with_parents (to_dir, 0700) == 0 && g_rename (from, to) == 0)
        moved++;
      else
        g_unlink (from);
    }
  g_rmdir (dir);
  g_ptr_array_set_size (self->staged, 0);
  return moved;
}

/* ---- comparisons ---- */

void
px_comparison_free (PxComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_free (comparison->template_prompt);
  g_free (comparison->prompt);
  g_strfreev (comparison->models);
  g_free (comparison);
}

gint64
px_library_add_comparison (PxLibrary          *self,
                           const char         *template_prompt,
                           const char         *prompt,
                           GHashTable         *tokens,
                           const char * const *models,
                           GError            **error)
{
  g_autofree char *tokens_json = px_json_from_table (tokens);
  g_autofree char *joined = g_strjoinv ("\n", (char **) models);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO comparisons (template_prompt, prompt, tokens, models, created)"
                                    " VALUES (?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("saving a comparison"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, template_prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tokens_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, joined, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, _("saving a comparison"));
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
update_ids (PxLibrary   *self,
            const char  *sql,
            gint64       first,
            gint64       second,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return set_db_error (self, error, _("saving a comparison"));
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, second);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || set_db_error (self, error, _("saving a comparison"));
}

/* Tags a library image as one result of a comparison. */
gboolean
px_library_tag_comparison (PxLibrary  *self,
                           gint64      image_id,
                           gint64      comparison_id,
                           GError    **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return update_ids (self, "UPDATE images SET comparison_id = ?2 WHERE id = ?1", image_id, comparison_id, error);
}

gboolean
px_library_set_comparison_winner (PxLibrary  *self,
                                  gint64      comparison_id,
                                  gint64      image_id,
                                  GError    **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return update_ids (self, "UPDATE comparisons SET winner_image_id = ?2 WHERE id = ?1", comparison_id, image_id, error);
}

GPtrArray *
px_library_list_comparisons (PxLibrary  *self,
                             GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) px_comparison_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT c.id, c.template_prompt, c.prompt, c.models, COALESCE (c.winner_image_id, 0),"
                                    " c.created, (SELECT COUNT(*) FROM images WHERE comparison_id = c.id AND trashed = 0)"
                                    " FROM comparisons c ORDER BY c.id DESC", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("reading comparisons"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxComparison *comparison = g_new0 (PxComparison, 1);

      comparison->id = sqlite3_column_int64 (stmt, 0);
      comparison->template_prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      comparison->prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      comparison->models = g_strsplit ((const char *) sqlite3_column_text (stmt, 3), "\n", -1);
      comparison->winner_image_id = sqlite3_column_int64 (stmt, 4);
      comparison->created = sqlite3_column_int64 (stmt, 5);
      comparison->n_images = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (list, comparison);
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&list);
}
