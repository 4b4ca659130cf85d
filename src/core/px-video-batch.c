/* px-video-batch.c: Make Videos for a batch. One image after the other on
 * the caller's (worker) thread: render to a work file, draw the poster,
 * move both into the library with a row. An image that already has a video
 * with the same settings is skipped, so running it again after a cancel or
 * a crash carries on where it stopped instead of making copies. An image
 * that cannot be read is counted as failed and the run goes on; a full disk
 * or a missing encoder stops it (every next image would fail the same way). */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "px-video-batch.h"

struct _PxVideoBatchControl
{
  gint                 ref_count;
  GMutex               mutex;
  GCond                cond;
  PxVideoBatchProgress progress;
  char                *last_error;
};

PxVideoBatchControl *
px_video_batch_control_new (void)
{
  PxVideoBatchControl *control = g_new0 (PxVideoBatchControl, 1);

  control->ref_count = 1;
  g_mutex_init (&control->mutex);
  g_cond_init (&control->cond);
  return control;
}

PxVideoBatchControl *
px_video_batch_control_ref (PxVideoBatchControl *control)
{
  g_atomic_int_inc (&control->ref_count);
  return control;
}

void
px_video_batch_control_unref (PxVideoBatchControl *control)
{
  if (control == NULL || !g_atomic_int_dec_and_test (&control->ref_count))
    return;
  g_mutex_clear (&control->mutex);
  g_cond_clear (&control->cond);
  g_free (control->last_error);
  g_free (control);
}

/* Paused, the run stops before the next image (the one being made is
 * finished) and waits. */
void
px_video_batch_control_set_paused (PxVideoBatchControl *control,
                                   gboolean             paused)
{
  g_mutex_lock (&control->mutex);
  control->progress.paused = paused;
  g_cond_broadcast (&control->cond);
  g_mutex_unlock (&control->mutex);
}

void
px_video_batch_control_get_progress (PxVideoBatchControl  *control,
                                     PxVideoBatchProgress *progress)
{
  g_mutex_lock (&control->mutex);
  *progress = control->progress;
  g_mutex_unlock (&control->mutex);
}

/* Why the last image that failed did (NULL: none failed). */
char *
px_video_batch_control_dup_last_error (PxVideoBatchControl *control)
{
  char *copy;

  g_mutex_lock (&control->mutex);
  copy = g_strdup (control->last_error);
  g_mutex_unlock (&control->mutex);
  return copy;
}

static void
on_frame (guint    done,
          guint    total,
          gpointer user_data)
{
  PxVideoBatchControl *control = user_data;

  g_mutex_lock (&control->mutex);
  control->progress.current = total > 0 ? (double) done / total : 0;
  g_mutex_unlock (&control->mutex);
}

/* Waits while paused; FALSE when cancelled meanwhile. */
static gboolean
wait_while_paused (PxVideoBatchControl *control,
                   GCancellable        *cancellable)
{
  g_mutex_lock (&control->mutex);
  while (control->progress.paused && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait_until (&control->cond, &control->mutex, g_get_monotonic_time () + G_TIME_SPAN_MILLISECOND * 100);
  g_mutex_unlock (&control->mutex);
  return !g_cancellable_is_cancelled (cancellable);
}

static void
count (PxVideoBatchControl *control,
       gboolean             skipped,
       const GError        *error)
{
  g_mutex_lock (&control->mutex);
  control->progress.current = 0;
  if (error != NULL)
    {
      control->progress.failed++;
      g_free (control->last_error);
      control->last_error = g_strdup (error->message);
    }
  else
    {
      control->progress.done++;
      control->progress.skipped += skipped ? 1 : 0;
    }
  g_mutex_unlock (&control->mutex);
}

static gboolean
has_video_like (PxLibrary  *library,
                gint64      image_id,
                const char *settings_json,
                GError    **error)
{
  g_autoptr(GPtrArray) videos = px_library_list_videos (library, image_id, error);

  for (guint i = 0; videos != NULL && i < videos->len; i++)
    {
      PxLibraryVideo *video = g_ptr_array_index (videos, i);

      if (g_strcmp0 (video->settings_json, settings_json) == 0)
        return TRUE;
    }
  return FALSE;
}

/* One image into a video in the library. */
static gboolean
make_one (PxLibrary             *library,
          const PxLibraryImage  *image,
          const PxVideoSettings *settings,
          const char            *work_dir,
          PxVideoBatchControl   *control,
          GCancellable          *cancellable,
          GError               **error)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("batch-%s.%s", uuid, settings->format == PX_VIDEO_FORMAT_MP4 ? "mp4" : "webm");
  g_autofree char *output = g_build_filename (work_dir, name, NULL);
  g_autofree char *poster = g_strconcat (output, ".png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  int width, height;
  gboolean ok;

  if (!g_file_get_contents (image->file, &contents, &length, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  ok = px_video_render (bytes, settings, output, cancellable, on_frame, control, error) &&
       px_video_poster (bytes, settings, poster, &width, &height, error) &&
       px_library_add_video (library, image->id, output, poster, settings, width, height, error) > 0;
  /* Taken into the library when it worked; otherwise not left behind. */
  g_unlink (output);
  g_unlink (poster);
  return ok;
}

/* Makes a video of every image of batch @batch_id with @settings, oldest
 * first, work files in @work_dir. FALSE with @error when cancelled
 * (G_IO_ERROR_CANCELLED), when the library cannot be read or written, or
 * the encoder is missing; videos made until then are kept. */
gboolean
px_video_batch_run (PxLibrary             *library,
                    gint64                 batch_id,
                    const PxVideoSettings *settings,
                    const char            *work_dir,
                    PxVideoBatchControl   *control,
                    GCancellable          *cancellable,
                    GError               **error)
{
  PxLibraryQuery query = { .sort = PX_LIBRARY_SORT_OLDEST, .batch_id = batch_id };
  g_autofree char *settings_json = px_video_settings_to_json (settings);
  g_autoptr(GPtrArray) images = NULL;
  GError *local_error = NULL;
  guint n;

  if (!px_video_settings_check (settings, error) || !px_video_check_encoder (settings->format, error))
    return FALSE;
  if (g_mkdir_with_parents (work_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Could not create %s: %s"), work_dir,
                   g_strerror (errno));
      return FALSE;
    }
  n = px_library_count (library, &query, &local_error);
  images = local_error == NULL ? px_library_list (library, &query, 0, n, &local_error) : NULL;
  if (images == NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_mutex_lock (&control->mutex);
  control->progress.total = images->len;
  g_mutex_unlock (&control->mutex);

  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (images, i);
      gboolean done_before;

      if (!wait_while_paused (control, cancellable))
        break;
      done_before = has_video_like (library, image->id, settings_json, &local_error);
      if (local_error == NULL && !done_before)
        make_one (library, image, settings, work_dir, control, cancellable, &local_error);
      if (local_error != NULL &&
          (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           px_library_error_is_storage (local_error) ||
           g_error_matches (local_error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_MISSING_ENCODER)))
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (local_error != NULL)
        g_prefix_error (&local_error, _("Image %" PRId64 ": "), image->id);
      count (control, done_before, local_error);
      g_clear_error (&local_error);
    }

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
