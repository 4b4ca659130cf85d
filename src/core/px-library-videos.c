/* px-library-videos.c: videos made from library images. A rendered video
 * and its poster frame move into the library's videos/ folder and get a
 * row, together or not at all; deleting the image keeps the video. */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "px-library-private.h"
#include "px-usage.h"

void
px_library_video_free (PxLibraryVideo *video)
{
  if (video == NULL)
    return;
  g_free (video->file);
  g_free (video->poster);
  g_free (video->effect);
  g_free (video->settings_json);
  g_free (video->prompt);
  g_free (video);
}

/* Moves @from into the library's videos/ folder under a new name with
 * @suffix; the relative name, or NULL. Across file systems it is copied,
 * then the original removed. */
static char *
move_in (PxLibrary   *self,
         const char  *from,
         const char  *suffix,
         GError     **error)
{
  g_autofree char *dir = g_build_filename (self->directory, "videos", NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strconcat (uuid, suffix, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO, _("Could not create %s: %s"), dir,
                   g_strerror (errno));
      return NULL;
    }
  if (!g_file_move (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &local_error))
    {
      g_set_error (error, PX_LIBRARY_ERROR, g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE)
                                              ? PX_LIBRARY_ERROR_DISK_FULL : PX_LIBRARY_ERROR_IO,
                   _("Could not keep the video in the library: %s"), local_error->message);
      return NULL;
    }
  return g_build_filename ("videos", name, NULL);
}

static void
remove_relative (PxLibrary  *self,
                 const char *relative)
{
  g_autofree char *path = relative ? g_build_filename (self->directory, relative, NULL) : NULL;

  if (path != NULL)
    g_unlink (path);
}

/* The row and files of a video, together or not at all. */
static gint64
add_video_row (PxLibrary  *self,
               gint64      image_id,
               const char *video,
               const char *suffix,
               const char *poster,
               const char *effect,
               const char *settings_json,
               int         duration_ms,
               int         width,
               int         height,
               double      cost,
               const char *provider,
               GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *poster_file = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;

  file = move_in (self, video, suffix, error);
  if (file == NULL)
    return 0;
  if (poster != NULL && (poster_file = move_in (self, poster, ".png", error)) == NULL)
    goto fail;

  if (!px_library_run_sql (self, "SAVEPOINT video", _("saving a video"), error))
    goto fail;
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO videos (image_id, file, poster, effect, settings, duration_ms, width,"
                                    " height, created, cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving a video"));
      goto undo_row;
    }
  if (image_id > 0)
    sqlite3_bind_int64 (stmt, 1, image_id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, file, -1, SQLITE_TRANSIENT);
  if (poster_file != NULL)
    sqlite3_bind_text (stmt, 3, poster_file, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, effect, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, settings_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, duration_ms);
  sqlite3_bind_int (stmt, 7, width);
  sqlite3_bind_int (stmt, 8, height);
  sqlite3_bind_int64 (stmt, 9, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_double (stmt, 10, cost);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      px_library_db_error (self, error, _("saving a video"));
      goto undo_row;
    }
  id = sqlite3_last_insert_rowid (self->db);
  g_clear_pointer (&stmt, sqlite3_finalize);
  {
    /* What it cost, with it: a video made here costs nothing. */
    PxUsageEvent event = {
      .kind = provider ? "ai-video" : "video", .provider = provider ? provider : "", .model = provider ? effect : "",
      .feature = "video", .image_id = image_id, .cost = cost, .duration_ms = 0,
    };

    if (!px_usage_record (self, &event, error) ||
        !px_library_run_sql (self, "RELEASE video", _("saving a video"), error))
      goto undo_row;
  }
  return id;

undo_row:
  sqlite3_exec (self->db, "ROLLBACK TO video; RELEASE video", NULL, NULL, NULL);
  id = 0;
fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  remove_relative (self, file);
  remove_relative (self, poster_file);
  return 0;
}

/* Takes the rendered @video (and @poster, a PNG, when not NULL) into the
 * library as a video of image @image_id (0: none). The id of its row. */
gint64
px_library_add_video (PxLibrary             *self,
                      gint64                 image_id,
                      const char            *video,
                      const char            *poster,
                      const PxVideoSettings *settings,
                      int                    width,
                      int                    height,
                      GError               **error)
{
  PX_LIBRARY_WRITE (self);
  g_autofree char *settings_json = px_video_settings_to_json (settings);

  return add_video_row (self, image_id, video, settings->format == PX_VIDEO_FORMAT_MP4 ? ".mp4" : ".webm", poster,
                        px_video_effect_to_string (settings->effect), settings_json, (int) (settings->seconds * 1000),
                        width, height, 0, NULL, error);
}

/* Takes a video a provider made (an MP4) into the library; its effect is
 * the model that made it. */
gint64
px_library_add_ai_video (PxLibrary  *self,
                         gint64      image_id,
                         const char *video,
                         const char *poster,
                         const char *model,
                         const char *settings_json,
                         int         duration_ms,
                         int         width,
                         int         height,
                         double      cost,
                         GError    **error)
{
  PX_LIBRARY_WRITE (self);
  const char *suffix = strrchr (video, '.');

  return add_video_row (self, image_id, video, suffix != NULL ? suffix : ".mp4", poster, model, settings_json,
                        duration_ms, width, height, cost, "gemini", error);
}

static PxLibraryVideo *
read_video (PxLibrary    *self,
            sqlite3_stmt *stmt)
{
  PxLibraryVideo *video = g_new0 (PxLibraryVideo, 1);
  const char *poster = (const char *) sqlite3_column_text (stmt, 3);

  video->id = sqlite3_column_int64 (stmt, 0);
  video->image_id = sqlite3_column_int64 (stmt, 1);
  video->file = g_build_filename (self->directory, (const char *) sqlite3_column_text (stmt, 2), NULL);
  video->poster = poster != NULL ? g_build_filename (self->directory, poster, NULL) : NULL;
  video->effect = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  video->settings_json = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  video->duration_ms = sqlite3_column_int (stmt, 6);
  video->width = sqlite3_column_int (stmt, 7);
  video->height = sqlite3_column_int (stmt, 8);
  video->created = sqlite3_column_int64 (stmt, 9);
  video->prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  video->cost = sqlite3_column_double (stmt, 11);
  return video;
}

#define VIDEO_COLUMNS "videos.id, videos.image_id, videos.file, videos.poster, videos.effect, videos.settings," \
                      " videos.duration_ms, videos.width," \
                      " videos.height, videos.created, images.prompt, videos.cost" \
                      " FROM videos LEFT JOIN images ON images.id = videos.image_id"

PxLibraryVideo *
px_library_get_video (PxLibrary  *self,
                      gint64      id,
                      GError    **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  PxLibraryVideo *video = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT " VIDEO_COLUMNS " WHERE videos.id = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading a video"));
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    video = read_video (self, stmt);
  else
    g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                 _("There is no video %" PRId64 " in the library."), id);
  sqlite3_finalize (stmt);
  return video;
}

/* The videos of image @image_id, or every video for 0; newest first. */
GPtrArray *
px_library_list_videos (PxLibrary  *self,
                        gint64      image_id,
                        GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) videos = g_ptr_array_new_with_free_func ((GDestroyNotify) px_library_video_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, image_id > 0 ? "SELECT " VIDEO_COLUMNS " WHERE videos.image_id = ?"
                                                   " ORDER BY videos.created DESC, videos.id DESC"
                                                 : "SELECT " VIDEO_COLUMNS " ORDER BY videos.created DESC, videos.id DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading the videos"));
      return NULL;
    }
  if (image_id > 0)
    sqlite3_bind_int64 (stmt, 1, image_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (videos, read_video (self, stmt));
  sqlite3_finalize (stmt);
  return g_steal_pointer (&videos);
}

/* Deletes videos @ids: their rows in one transaction, then their files
 * and posters (a file left by a crash between the two is found by the
 * library check as one no row names). */
gboolean
px_library_delete_videos (PxLibrary     *self,
                          const gint64  *ids,
                          guint          n_ids,
                          GError       **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *select = NULL, *delete = NULL;
  gboolean ok = FALSE;

  if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("deleting videos"), error))
    return FALSE;
  if (sqlite3_prepare_v2 (self->db, "SELECT file, poster FROM videos WHERE id = ?", -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "DELETE FROM videos WHERE id = ?", -1, &delete, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("deleting videos"));
      goto out;
    }
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_bind_int64 (select, 1, ids[i]);
      if (sqlite3_step (select) == SQLITE_ROW)
        for (int column = 0; column < 2; column++)
          if (sqlite3_column_text (select, column) != NULL)
            g_ptr_array_add (files, g_strdup ((const char *) sqlite3_column_text (select, column)));
      sqlite3_reset (select);
      sqlite3_bind_int64 (delete, 1, ids[i]);
      if (sqlite3_step (delete) != SQLITE_DONE)
        {
          px_library_db_error (self, error, _("deleting videos"));
          goto out;
        }
      sqlite3_reset (delete);
    }
  ok = px_library_run_sql (self, "COMMIT", _("deleting videos"), error);

out:
  g_clear_pointer (&select, sqlite3_finalize);
  g_clear_pointer (&delete, sqlite3_finalize);
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  for (guint i = 0; i < files->len; i++)
    remove_relative (self, g_ptr_array_index (files, i));
  return TRUE;
}
