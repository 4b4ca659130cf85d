/* px-library-query.c: searching and paging the library on read-only
 * connections, so a long read never waits for (or holds up) a write. */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "px-library-private.h"

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

/* The images a query matches, in its order; after/before (optional) keep
 * only those strictly after/before a row in that order (keyset paging, no
 * OFFSET to walk), from_end reads the order backwards. */
static sqlite3_stmt *
prepare_query (sqlite3              *db,
               const char           *select,
               const PxLibraryQuery *query,
               const PxLibraryKey   *after,
               const PxLibraryKey   *before,
               gboolean              from_end,
               const char           *tail,
               GError              **error)
{
  g_autoptr(GString) sql = g_string_new (select);
  g_autofree char *match = query && query->search ? fts_query (query->search) : NULL;
  gboolean ascending = query && query->sort == PX_LIBRARY_SORT_OLDEST;
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
  if (after != NULL)
    g_string_append_printf (sql, " AND (created, images.id) %s (?, ?)", ascending ? ">" : "<");
  if (before != NULL)
    g_string_append_printf (sql, " AND (created, images.id) %s (?, ?)", ascending ? "<" : ">");
  if (tail != NULL)
    {
      if (ascending != from_end)
        g_string_append (sql, " ORDER BY created ASC, images.id ASC");
      else
        g_string_append (sql, " ORDER BY created DESC, images.id DESC");
      g_string_append (sql, tail);
    }

  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("searching"));
      return NULL;
    }

  if (match != NULL) sqlite3_bind_text (stmt, i++, match, -1, SQLITE_TRANSIENT);
  if (query && query->provider) sqlite3_bind_text (stmt, i++, query->provider, -1, SQLITE_TRANSIENT);
  if (query && query->model) sqlite3_bind_text (stmt, i++, query->model, -1, SQLITE_TRANSIENT);
  if (query && query->feature) sqlite3_bind_text (stmt, i++, query->feature, -1, SQLITE_TRANSIENT);
  if (query && query->batch_id > 0) sqlite3_bind_int64 (stmt, i++, query->batch_id);
  if (query && query->created_from > 0) sqlite3_bind_int64 (stmt, i++, query->created_from);
  if (query && query->created_to > 0) sqlite3_bind_int64 (stmt, i++, query->created_to);
  if (after != NULL)
    {
      sqlite3_bind_int64 (stmt, i++, after->created);
      sqlite3_bind_int64 (stmt, i++, after->id);
    }
  if (before != NULL)
    {
      sqlite3_bind_int64 (stmt, i++, before->created);
      sqlite3_bind_int64 (stmt, i++, before->id);
    }

  return stmt;
}

guint
px_library_count (PxLibrary            *self,
                  const PxLibraryQuery *query,
                  GError              **error)
{
  PX_LIBRARY_READ (self);
  sqlite3 *db = px_library_reader_take (self, error);
  sqlite3_stmt *stmt = NULL;
  guint count = 0;

  if (db == NULL)
    return 0;
  stmt = prepare_query (db, "SELECT COUNT(*)", query, NULL, NULL, FALSE, NULL, error);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  px_library_reader_give (self, db);

  return count;
}

/* Up to limit images of the query, in its order: after skipping skip of
 * them from the start, or from the end when from_end (the last rows of the
 * order, still returned in order), within after/before when given. */
GPtrArray *
px_library_list_range (PxLibrary            *self,
                       const PxLibraryQuery *query,
                       const PxLibraryKey   *after,
                       const PxLibraryKey   *before,
                       guint                 skip,
                       guint                 limit,
                       gboolean              from_end,
                       GError              **error)
{
  PX_LIBRARY_READ (self);
  g_autofree char *tail = g_strdup_printf (" LIMIT %u OFFSET %u", limit, skip);
  sqlite3 *db = px_library_reader_take (self, error);
  sqlite3_stmt *stmt = NULL;
  GPtrArray *images;
  int rc;

  if (db == NULL)
    return NULL;
  stmt = prepare_query (db, "SELECT " PX_LIBRARY_IMAGE_COLUMNS, query, after, before, from_end, tail, error);
  if (stmt == NULL)
    {
      px_library_reader_give (self, db);
      return NULL;
    }

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) px_library_image_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (images, px_library_read_image (self, stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (images);
      px_library_sqlite_error (db, error, _("searching"));
      px_library_reader_give (self, db);
      return NULL;
    }
  px_library_reader_give (self, db);

  if (from_end)
    for (guint i = 0; i < images->len / 2; i++)
      {
        gpointer swap = images->pdata[i];

        images->pdata[i] = images->pdata[images->len - 1 - i];
        images->pdata[images->len - 1 - i] = swap;
      }

  return images;
}

GPtrArray *
px_library_list (PxLibrary            *self,
                 const PxLibraryQuery *query,
                 guint                 offset,
                 guint                 limit,
                 GError              **error)
{
  return px_library_list_range (self, query, NULL, NULL, offset, limit, FALSE, error);
}

/* The distinct values of one column over the images not in the trash,
 * most used first. Reads every row, so callers keep it off the main thread. */
static char **
list_values (PxLibrary   *self,
             const char  *sql,
             const char  *what,
             GError     **error)
{
  PX_LIBRARY_READ (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3 *db = px_library_reader_take (self, error);
  sqlite3_stmt *stmt = NULL;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, what);
      px_library_reader_give (self, db);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  px_library_reader_give (self, db);

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
