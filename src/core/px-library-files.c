/* px-library-files.c: the library's files seen from outside: the check
 * that reports (never deletes) missing and stray files, export under
 * names made from a pattern, and cached thumbnails. */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "px-image-check.h"
#include "px-json.h"
#include "px-library-private.h"
#include "px-usage.h"
#include "px-paths.h"
#include "px-tokens.h"
#include "px-xmp.h"

/* Writes @data to @path whole or not at all: a temporary file beside it,
 * flushed to disk when @durable, then renamed over. A full disk (or a file
 * size limit), and a folder that cannot be written, get their own errors. */
gboolean
px_library_write_atomic (const char  *path,
                         const void  *data,
                         gsize        size,
                         gboolean     durable,
                         GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  const guint8 *at = data;
  gsize left = size;
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  int saved = 0;

  if (fd < 0)
    saved = errno;
  while (fd >= 0 && left > 0 && saved == 0)
    {
      gssize wrote = write (fd, at, left);

      if (wrote < 0 && errno == EINTR)
        continue;
      if (wrote <= 0)
        saved = wrote < 0 ? errno : ENOSPC;
      else
        {
          at += wrote;
          left -= wrote;
        }
    }
  if (fd >= 0 && saved == 0 && durable && fsync (fd) != 0)
    saved = errno;
  if (fd >= 0 && close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved == 0 && g_rename (tmp, path) != 0)
    saved = errno;
  if (saved == 0)
    return TRUE;

  if (fd >= 0)
    g_unlink (tmp);
  if (saved == ENOSPC || saved == EFBIG || saved == EDQUOT)
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DISK_FULL,
                 _("The disk holding %s is full (%s). Free some space, then try again."), path, g_strerror (saved));
  else if (saved == EROFS || saved == EACCES || saved == EPERM)
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY,
                 _("Could not write %s: %s. Check that the folder is yours and not read-only."), path,
                 g_strerror (saved));
  else
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO, _("Could not write %s: %s"), path,
                 g_strerror (saved));
  return FALSE;
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
  PX_LIBRARY_READ (self);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) on_disk = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) in_db = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) files = NULL;
  g_autoptr(sqlite3) db = px_library_open_reader (self, error);
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
      px_library_sqlite_error (db, error, _("checking"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *file = (const char *) sqlite3_column_text (stmt, 1);

      g_hash_table_add (in_db, g_strdup (file));
      if (!g_hash_table_contains (on_disk, file))
        g_ptr_array_add (problems, g_strdup_printf (_("Image %" PRId64 ": its file %s is missing."),
                                                    (gint64) sqlite3_column_int64 (stmt, 0), file));
    }
  sqlite3_finalize (stmt);

  /* Videos and their posters, the same way. */
  collect_files (self->directory, "videos", on_disk);
  if (sqlite3_prepare_v2 (db, "SELECT id, file, poster FROM videos ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("checking"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int column = 1; column <= 2; column++)
      {
        const char *file = (const char *) sqlite3_column_text (stmt, column);

        if (file == NULL)
          continue;
        g_hash_table_add (in_db, g_strdup (file));
        if (!g_hash_table_contains (on_disk, file))
          g_ptr_array_add (problems, g_strdup_printf (_("Video %" PRId64 ": its file %s is missing."),
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
                   _("Image %" PRId64 ": %s Give the token a default, like [COMPANY|unknown]."),
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

static const char *
mime_for_format (const char *format)
{
  if (g_strcmp0 (format, "jpeg") == 0)
    return "image/jpeg";
  if (g_strcmp0 (format, "webp") == 0)
    return "image/webp";
  return "image/png";
}

/* The format a file name asks for ("png", "jpeg", "webp"), or NULL. */
const char *
px_library_format_for_name (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg"))
    return "jpeg";
  if (g_str_has_suffix (lower, ".webp"))
    return "webp";
  if (g_str_has_suffix (lower, ".png"))
    return "png";
  return NULL;
}

/* Writes one image to path, whole or not at all (temp + rename), in format
 * ("png", "jpeg", "webp"; NULL: as it is kept). A file in its own format is
 * copied as it is, with its provenance chunks; a converted one carries the
 * provenance as XMP (PNG text chunks do not survive conversion). */
gboolean
px_library_export_file (const PxLibraryImage  *image,
                        const char            *path,
                        const char            *format,
                        GError               **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *converted = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) tagged = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *packet = NULL;
  const char *mime_type = mime_for_format (format);
  GBytes *out;
  gsize length;

  if (!g_file_get_contents (image->file, &contents, &length, error))
    return FALSE;
  if (format == NULL || g_strcmp0 (image->mime_type, mime_type) == 0)
    return g_file_set_contents (path, contents, length, error);

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  pixbuf = px_image_load_scaled (bytes, image->mime_type, G_MAXINT, error);
  if (pixbuf == NULL)
    return FALSE;
  if (g_str_equal (format, "png"))
    {
      if (!gdk_pixbuf_save_to_buffer (pixbuf, &converted, &length, "png", error, NULL))
        return FALSE;
      return g_file_set_contents (path, converted, length, error);
    }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &converted, &length, format, error, "quality", "92", NULL))
    return FALSE;

  plain = g_bytes_new_take (g_steal_pointer (&converted), length);
  packet = px_xmp_packet (image->prompt, image->template_prompt, image->model, image->tokens_json,
                          image->settings_json);
  tagged = px_xmp_embed (plain, mime_type, packet);
  out = tagged ? tagged : plain;
  return g_file_set_contents (path, g_bytes_get_data (out, NULL), g_bytes_get_size (out), error);
}

GPtrArray *
px_library_export (PxLibrary     *self,
                   const gint64  *ids,
                   guint          n_ids,
                   const char    *directory,
                   const char    *pattern,
                   const char    *format,
                   GError       **error)
{
  PX_LIBRARY_READ (self);
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
      const char *extension = px_library_extension_for (format ? mime_for_format (format) : image->mime_type);
      g_autofree char *path = NULL;

      /* Collisions get -2, -3, …, never an overwrite. */
      for (guint n = 1; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
        {
          g_autofree char *file = n == 1 ? g_strdup_printf ("%s.%s", (char *) g_ptr_array_index (names, i), extension)
                                         : g_strdup_printf ("%s-%u.%s", (char *) g_ptr_array_index (names, i), n,
                                                            extension);
          g_free (path);
          path = g_build_filename (directory, file, NULL);
        }

      if (!px_library_export_file (image, path, format, error))
        return NULL;
      g_ptr_array_add (written, g_steal_pointer (&path));
    }

  /* Noted in the usage; the files are out whether or not that works. */
  {
    PxUsageEvent event = { .kind = "export", .feature = "export", .images = written->len };
    g_autoptr(GError) usage_error = NULL;

    if (written->len > 0 && !px_usage_record (self, &event, &usage_error))
      g_warning ("The export was not noted in the usage: %s", usage_error->message);
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
  PX_LIBRARY_READ (self);
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
