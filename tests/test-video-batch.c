/* test-video-batch.c: Make Videos over a whole batch on real pipelines,
 * into a real library: one video per image, each playable (checked with the
 * discoverer), a second run makes no copies, pause holds the run between
 * images, cancel keeps what was made, a broken image is counted and named
 * while the others are made; deleting videos removes rows and files. */
#include "config.h"

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <glib/gstdio.h>
#include <string.h>

#include "px-batch.h"
#include "px-fake-image.h"
#include "px-library-private.h"
#include "px-video-batch.h"

typedef struct {
  char      *dir;
  char      *work;
  PxLibrary *library;
  gint64     batch_id;
  GArray    *image_ids;
} Fixture;

static const char *names[] = { "Ada", "Grace", "Linus", "Margaret" };

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *columns[] = { "NAME", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { .template_prompt = "Portrait of [NAME]", .model_id = "gpt-image-2", .columns = columns };
  static guint serial;

  f->dir = g_strdup_printf ("%s/video-batch-%u", g_get_user_data_dir (), ++serial);
  f->work = g_build_filename (f->dir, "work", NULL);
  f->library = px_library_open (f->dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (rows, g_strdupv ((char *[]) { (char *) names[i], NULL }));
  spec.rows = rows;
  f->batch_id = px_batch_create (f->library, &spec, &error);
  g_assert_no_error (error);

  f->image_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Portrait of %s", names[i]);
      g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gpt-image-2", prompt);
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GBytes) bytes = px_fake_render_image (prompt, 640, 480, "png");
      PxImage *image = px_image_new (bytes, "image/png");
      gint64 id;

      image->width = 640;
      image->height = 480;
      g_ptr_array_add (result->images, image);
      result->provider_id = g_strdup ("openai");
      result->model_id = g_strdup ("gpt-image-2");
      id = px_library_add_batch_generation (f->library, request, result, 0, "batch", f->batch_id, &error);
      g_assert_no_error (error);
      g_array_append_val (f->image_ids, id);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->library);
  g_array_unref (f->image_ids);
  g_free (f->dir);
  g_free (f->work);
}

static void
quick_settings (PxVideoSettings *settings)
{
  px_video_settings_init (settings);
  settings->seconds = 1;
  settings->lines = 480;
  settings->fps = 24;
  settings->effect = PX_VIDEO_EFFECT_PAN_LEFT;
}

static double
discovered_seconds (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  return (double) gst_discoverer_info_get_duration (info) / GST_SECOND;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

/* Every image of the batch gets one playable video with its poster, tied
 * to its image and showing its prompt; running it again adds none. */
static void
test_every_image (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PxVideoBatchControl) control = px_video_batch_control_new ();
  g_autoptr(PxVideoBatchControl) again = px_video_batch_control_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) videos = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  PxVideoBatchProgress progress;
  PxVideoSettings settings;

  quick_settings (&settings);
  g_assert_true (px_video_batch_run (f->library, f->batch_id, &settings, f->work, control, NULL, &error));
  g_assert_no_error (error);
  px_video_batch_control_get_progress (control, &progress);
  g_assert_cmpuint (progress.total, ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (progress.done, ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (progress.skipped, ==, 0);
  g_assert_cmpuint (progress.failed, ==, 0);

  videos = px_library_list_videos (f->library, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (videos->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < f->image_ids->len; i++)
    {
      gint64 image_id = g_array_index (f->image_ids, gint64, i);
      g_autoptr(GPtrArray) of_image = px_library_list_videos (f->library, image_id, &error);
      PxLibraryVideo *video;
      g_autofree char *prompt = g_strdup_printf ("Portrait of %s", names[i]);

      g_assert_cmpuint (of_image->len, ==, 1);
      video = g_ptr_array_index (of_image, 0);
      g_assert_cmpstr (video->prompt, ==, prompt);
      g_assert_cmpstr (video->effect, ==, "pan-left");
      g_assert_cmpint (video->width, ==, 640);
      g_assert_cmpint (video->height, ==, 480);
      g_assert_true (g_file_test (video->poster, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpfloat_with_epsilon (discovered_seconds (video->file), 1.0, 1.0 / 24 + 0.001);
    }
  /* Work files were all taken in. */
  g_assert_cmpuint (count_files (f->work), ==, 0);

  /* Again with the same settings: nothing new, each counted as there. */
  g_assert_true (px_video_batch_run (f->library, f->batch_id, &settings, f->work, again, NULL, &error));
  px_video_batch_control_get_progress (again, &progress);
  g_assert_cmpuint (progress.done, ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (progress.skipped, ==, G_N_ELEMENTS (names));
  g_clear_pointer (&videos, g_ptr_array_unref);
  videos = px_library_list_videos (f->library, 0, &error);
  g_assert_cmpuint (videos->len, ==, G_N_ELEMENTS (names));

  problems = px_library_check (f->library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* An image file broken on disk: that image is counted as failed with its
 * id in the reason, the others are made. */
static void
test_broken_image (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PxVideoBatchControl) control = px_video_batch_control_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibraryImage) image = px_library_get_image (f->library, g_array_index (f->image_ids, gint64, 1), &error);
  g_autoptr(GPtrArray) videos = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *id = NULL;
  PxVideoBatchProgress progress;
  PxVideoSettings settings;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (image->file, "not an image at all", -1, &error));
  quick_settings (&settings);
  g_assert_true (px_video_batch_run (f->library, f->batch_id, &settings, f->work, control, NULL, &error));
  g_assert_no_error (error);
  px_video_batch_control_get_progress (control, &progress);
  g_assert_cmpuint (progress.done, ==, G_N_ELEMENTS (names) - 1);
  g_assert_cmpuint (progress.failed, ==, 1);
  reason = px_video_batch_control_dup_last_error (control);
  id = g_strdup_printf ("Image %" G_GINT64_FORMAT ":", image->id);
  g_assert_true (g_str_has_prefix (reason, id));
  videos = px_library_list_videos (f->library, 0, &error);
  g_assert_cmpuint (videos->len, ==, G_N_ELEMENTS (names) - 1);
  g_assert_cmpuint (count_files (f->work), ==, 0);
}

typedef struct {
  Fixture             *fixture;
  PxVideoBatchControl *control;
  GCancellable        *cancellable;
  gboolean             ok;
  GError              *error;
} Run;

static gpointer
run_thread (gpointer data)
{
  Run *run = data;
  PxVideoSettings settings;

  quick_settings (&settings);
  run->ok = px_video_batch_run (run->fixture->library, run->fixture->batch_id, &settings, run->fixture->work,
                                run->control, run->cancellable, &run->error);
  return NULL;
}

static void
wait_for_done (PxVideoBatchControl *control,
               guint                done)
{
  PxVideoBatchProgress progress;
  gint64 end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  do
    {
      g_usleep (10000);
      px_video_batch_control_get_progress (control, &progress);
    }
  while (progress.done < done && g_get_monotonic_time () < end);
  g_assert_cmpuint (progress.done, >=, done);
}

/* Paused after the first video, nothing more is made while it stays
 * paused; cancelled then, it ends with CANCELLED and keeps what it made,
 * with no work file left; a new run makes only the rest. */
static void
test_pause_and_cancel (Fixture       *f,
                       gconstpointer  data)
{
  Run run = { f, px_video_batch_control_new (), g_cancellable_new (), FALSE, NULL };
  g_autoptr(PxVideoBatchControl) rest = px_video_batch_control_new ();
  g_autoptr(GPtrArray) videos = NULL;
  g_autoptr(GError) error = NULL;
  PxVideoBatchProgress progress;
  PxVideoSettings settings;
  GThread *thread;
  guint made;

  thread = g_thread_new ("video batch", run_thread, &run);
  wait_for_done (run.control, 1);
  px_video_batch_control_set_paused (run.control, TRUE);
  /* The one being made when paused is finished; then it holds. */
  g_usleep (G_USEC_PER_SEC * 3);
  px_video_batch_control_get_progress (run.control, &progress);
  made = progress.done;
  g_assert_true (progress.paused);
  g_assert_cmpuint (made, <, G_N_ELEMENTS (names));
  g_usleep (G_USEC_PER_SEC);
  px_video_batch_control_get_progress (run.control, &progress);
  g_assert_cmpuint (progress.done, ==, made);

  g_cancellable_cancel (run.cancellable);
  g_thread_join (thread);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  videos = px_library_list_videos (f->library, 0, &error);
  g_assert_cmpuint (videos->len, ==, made);
  g_assert_cmpuint (count_files (f->work), ==, 0);

  quick_settings (&settings);
  g_assert_true (px_video_batch_run (f->library, f->batch_id, &settings, f->work, rest, NULL, &error));
  px_video_batch_control_get_progress (rest, &progress);
  g_assert_cmpuint (progress.skipped, ==, made);
  g_clear_pointer (&videos, g_ptr_array_unref);
  videos = px_library_list_videos (f->library, 0, &error);
  g_assert_cmpuint (videos->len, ==, G_N_ELEMENTS (names));

  g_clear_error (&run.error);
  g_object_unref (run.cancellable);
  px_video_batch_control_unref (run.control);
}

/* Deleting videos removes their rows, files and posters, and nothing else. */
static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PxVideoBatchControl) control = px_video_batch_control_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) videos = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(PxLibraryImage) image = NULL;
  PxVideoSettings settings;
  PxLibraryVideo *gone, *kept;
  gint64 ids[1];

  quick_settings (&settings);
  g_assert_true (px_video_batch_run (f->library, f->batch_id, &settings, f->work, control, NULL, &error));
  videos = px_library_list_videos (f->library, 0, &error);
  gone = g_ptr_array_index (videos, 0);
  kept = g_ptr_array_index (videos, 1);
  ids[0] = gone->id;
  g_assert_true (px_library_delete_videos (f->library, ids, 1, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (gone->file, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (gone->poster, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept->file, G_FILE_TEST_IS_REGULAR));
  left = px_library_list_videos (f->library, 0, &error);
  g_assert_cmpuint (left->len, ==, G_N_ELEMENTS (names) - 1);
  /* Its image stays. */
  image = px_library_get_image (f->library, gone->image_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (image);
  problems = px_library_check (f->library, &error);
  g_assert_cmpuint (problems->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/video-batch/every-image", Fixture, NULL, fixture_set_up, test_every_image, fixture_tear_down);
  g_test_add ("/video-batch/broken-image", Fixture, NULL, fixture_set_up, test_broken_image, fixture_tear_down);
  g_test_add ("/video-batch/pause-and-cancel", Fixture, NULL, fixture_set_up, test_pause_and_cancel,
              fixture_tear_down);
  g_test_add ("/video-batch/delete", Fixture, NULL, fixture_set_up, test_delete, fixture_tear_down);

  return g_test_run ();
}
