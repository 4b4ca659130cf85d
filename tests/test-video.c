/* test-video.c: videos rendered on real GStreamer pipelines and checked
 * from outside: the discoverer for container, codec, size and duration, and
 * a decoding pipeline for the frames themselves (moving effects move,
 * smoothly; a still stays still). Cancel and bad input leave nothing. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <math.h>
#include <string.h>

#include "px-fake-image.h"
#include "px-library.h"
#include "px-video.h"

static char *
out_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "videos", NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

/* A picture with its caption drawn on it: a move shows as the words move. */
static GBytes *
source_image (int width,
              int height)
{
  return px_fake_render_image ("A lighthouse on a cliff at dusk, seen from the sea", width, height, "png");
}

typedef struct {
  char    *container;
  char    *codec;
  int      width;
  int      height;
  double   seconds;
  double   fps;
} Facts;

static void
facts_clear (Facts *facts)
{
  g_free (facts->container);
  g_free (facts->codec);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static void
discover (const char *path,
          Facts      *facts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autoptr(GstDiscovererInfo) info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_autoptr(GstDiscovererStreamInfo) top = NULL;
  GList *videos;
  GstDiscovererVideoInfo *video;
  g_autoptr(GstCaps) caps = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
  top = gst_discoverer_info_get_stream_info (info);
  caps = gst_discoverer_stream_info_get_caps (top);
  facts->container = g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
  videos = gst_discoverer_info_get_video_streams (info);
  g_assert_cmpuint (g_list_length (videos), ==, 1);
  video = videos->data;
  {
    g_autoptr(GstCaps) video_caps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (video));

    facts->codec = g_strdup (gst_structure_get_name (gst_caps_get_structure (video_caps, 0)));
  }
  facts->width = gst_discoverer_video_info_get_width (video);
  facts->height = gst_discoverer_video_info_get_height (video);
  facts->fps = (double) gst_discoverer_video_info_get_framerate_num (video) /
               MAX (1, gst_discoverer_video_info_get_framerate_denom (video));
  facts->seconds = gst_discoverer_info_get_duration (info) / (double) GST_SECOND;
  gst_discoverer_stream_info_list_free (videos);
}

/* Every frame, decoded to RGB. */
static GPtrArray *
decode_frames (const char *path,
               int        *width,
               int        *height)
{
  g_autofree char *description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! videoconvert ! "
                                                  "video/x-raw,format=RGB ! appsink name=sink sync=false", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GstSample *sample;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      GstStructure *s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
      GstMapInfo map;

      gst_structure_get_int (s, "width", width);
      gst_structure_get_int (s, "height", height);
      gst_buffer_map (buffer, &map, GST_MAP_READ);
      g_ptr_array_add (frames, g_bytes_new (map.data, map.size));
      gst_buffer_unmap (buffer, &map);
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return frames;
}

/* A frame as the mean grey of each 16 × 16 block: fine texture gone, so
 * how far two of these differ follows how far the picture moved. */
static GBytes *
blocks (GBytes *frame,
        int     width,
        int     height)
{
  const guint8 *rgb = g_bytes_get_data (frame, NULL);
  int bw = width / 16, bh = height / 16;
  int stride = GST_ROUND_UP_4 (width * 3);
  guint8 *out = g_malloc (bw * bh);

  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        guint sum = 0;

        for (int y = by * 16; y < by * 16 + 16; y++)
          for (int x = bx * 16; x < bx * 16 + 16; x++)
            {
              const guint8 *p = rgb + (gsize) y * stride + x * 3;

              sum += (p[0] + p[1] + p[2]) / 3;
            }
        out[by * bw + bx] = sum / 256;
      }
  return g_bytes_new_take (out, bw * bh);
}

/* Mean absolute difference of two frames, 0 to 255. */
static double
difference (GBytes *a,
            GBytes *b)
{
  gsize size;
  const guint8 *pa = g_bytes_get_data (a, &size);
  const guint8 *pb = g_bytes_get_data (b, NULL);
  guint64 sum = 0;

  g_assert_cmpuint (g_bytes_get_size (b), ==, size);
  for (gsize i = 0; i < size; i++)
    sum += ABS ((int) pa[i] - (int) pb[i]);
  return (double) sum / size;
}

static void
render (GBytes                *image,
        const PxVideoSettings *settings,
        const char            *path)
{
  g_autoptr(GError) error = NULL;

  if (!px_video_render (image, settings, path, NULL, NULL, NULL, &error))
    g_error ("%s: %s", path, error->message);
}

/* Each effect at 480p, 24 fps, 2 s: a VP8 WebM of the image's shape that
 * lasts two seconds to the frame; a moving effect ends somewhere else than
 * it began and never jumps between two frames; a still does not move. */
static void
test_effects (void)
{
  g_autoptr(GBytes) image = source_image (900, 600);

  for (PxVideoEffect effect = PX_VIDEO_EFFECT_STILL; effect <= PX_VIDEO_EFFECT_KEN_BURNS; effect++)
    {
      g_autofree char *name = g_strdup_printf ("%s.webm", px_video_effect_to_string (effect));
      g_autofree char *path = out_path (name);
      g_autoptr(GPtrArray) frames = NULL;
      g_auto(Facts) facts = { 0, };
      PxVideoSettings settings;
      double first_last, largest_step = 0;
      int width = 0, height = 0;

      px_video_settings_init (&settings);
      settings.effect = effect;
      settings.seconds = 2;
      settings.lines = 480;
      settings.fps = 24;
      render (image, &settings, path);

      discover (path, &facts);
      g_assert_cmpstr (facts.container, ==, "video/webm");
      g_assert_cmpstr (facts.codec, ==, "video/x-vp8");
      g_assert_cmpint (facts.width, ==, 720);   /* 3:2 at 480 lines */
      g_assert_cmpint (facts.height, ==, 480);
      g_assert_cmpfloat (facts.fps, ==, 24);
      g_assert_cmpfloat_with_epsilon (facts.seconds, 2.0, 1.0 / 24);

      frames = decode_frames (path, &width, &height);
      g_assert_cmpuint (frames->len, ==, 48);
      for (guint i = 0; i < frames->len; i++)
        {
          GBytes *coarse = blocks (g_ptr_array_index (frames, i), width, height);

          g_bytes_unref (g_ptr_array_index (frames, i));
          frames->pdata[i] = coarse;
        }
      first_last = difference (g_ptr_array_index (frames, 0), g_ptr_array_index (frames, frames->len - 1));
      for (guint i = 1; i < frames->len; i++)
        largest_step = MAX (largest_step, difference (g_ptr_array_index (frames, i - 1), g_ptr_array_index (frames, i)));
      g_test_message ("%s: first to last %.2f, largest step %.2f", px_video_effect_to_string (effect), first_last,
                      largest_step);
      if (effect == PX_VIDEO_EFFECT_STILL)
        g_assert_cmpfloat (first_last, <, 0.3);
      else
        {
          /* It moved, and no step between two frames is anywhere near
           * the whole move (a cut or a jump would be). */
          g_assert_cmpfloat (first_last, >, 1.5);
          g_assert_cmpfloat (largest_step, <, first_last / 2);
        }
    }
}

/* Each resolution in the image's shape: landscape, portrait, square; the
 * frame never wider than 16:9. */
static void
test_resolutions (void)
{
  static const struct {
    int image_w, image_h, lines, width, height;
  } cases[] = {
    { 1600, 900, 480, 854, 480 },
    { 1600, 900, 720, 1280, 720 },
    { 1600, 900, 1080, 1920, 1080 },
    { 600, 900, 720, 720, 1080 },
    { 800, 800, 720, 720, 720 },
    { 3000, 500, 480, 854, 480 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) image = source_image (cases[i].image_w, cases[i].image_h);
      g_autofree char *name = g_strdup_printf ("resolution-%u.webm", i);
      g_autofree char *path = out_path (name);
      g_auto(Facts) facts = { 0, };
      PxVideoSettings settings;

      px_video_settings_init (&settings);
      settings.seconds = 1;
      settings.lines = cases[i].lines;
      settings.fit = i % 2 ? PX_VIDEO_FIT_LETTERBOX : PX_VIDEO_FIT_CROP;
      render (image, &settings, path);
      discover (path, &facts);
      g_assert_cmpint (facts.width, ==, cases[i].width);
      g_assert_cmpint (facts.height, ==, cases[i].height);
      g_assert_cmpfloat_with_epsilon (facts.seconds, 1.0, 1.0 / 30);
    }
}

/* MP4 is H.264 in an MP4 (QuickTime) container, at 60 fps here. */
static void
test_mp4 (void)
{
  g_autoptr(GBytes) image = source_image (1280, 720);
  g_autofree char *path = out_path ("ken-burns.mp4");
  g_autoptr(GError) error = NULL;
  g_auto(Facts) facts = { 0, };
  PxVideoSettings settings;

  px_video_settings_init (&settings);
  settings.format = PX_VIDEO_FORMAT_MP4;
  settings.fps = 60;
  settings.seconds = 1.5;
  g_assert_true (px_video_check_encoder (PX_VIDEO_FORMAT_MP4, &error));
  render (image, &settings, path);
  discover (path, &facts);
  g_assert_cmpstr (facts.container, ==, "video/quicktime");
  g_assert_cmpstr (facts.codec, ==, "video/x-h264");
  g_assert_cmpint (facts.width, ==, 1280);
  g_assert_cmpfloat (facts.fps, ==, 60);
  g_assert_cmpfloat_with_epsilon (facts.seconds, 1.5, 1.0 / 60);
}

static void
cancel_early (guint    done,
              guint    total,
              gpointer user_data)
{
  if (done == 5)
    g_cancellable_cancel (user_data);
}

static guint
files_in (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

/* Cancelled part-way: no video, and no temporary file either. */
static void
test_cancel_leaves_nothing (void)
{
  g_autoptr(GBytes) image = source_image (640, 480);
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "cancelled", NULL);
  g_autofree char *path = g_build_filename (dir, "cancelled.webm", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  PxVideoSettings settings;

  g_mkdir_with_parents (dir, 0700);
  px_video_settings_init (&settings);
  settings.seconds = 10;
  g_assert_false (px_video_render (image, &settings, path, cancellable, cancel_early, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (files_in (dir), ==, 0);
}

/* What is not an image, a decompression bomb and settings out of range are
 * refused with words a person understands, before anything is written. */
static void
test_bad_input (void)
{
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>502 Bad Gateway</html>", 28);
  g_autoptr(GBytes) bomb = px_fake_bomb_png (60000, 60000);
  g_autoptr(GBytes) image = source_image (64, 64);
  g_autofree char *path = out_path ("never.webm");
  PxVideoSettings settings;
  PxVideoEffect effect;

  px_video_settings_init (&settings);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (px_video_render (html, &settings, path, NULL, NULL, NULL, &error));
    g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_NOT_IMAGE);
    g_assert_nonnull (strstr (error->message, "not an image"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (px_video_render (bomb, &settings, path, NULL, NULL, NULL, &error));
    g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_NOT_IMAGE);
    g_assert_nonnull (strstr (error->message, "60000 × 60000"));
  }
  {
    g_autoptr(GError) error = NULL;

    settings.seconds = 11;
    g_assert_false (px_video_render (image, &settings, path, NULL, NULL, NULL, &error));
    g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "from 1 to 10 seconds, not 11"));
    settings.seconds = 3;
  }
  {
    g_autoptr(GError) error = NULL;

    settings.lines = 1440;
    g_assert_false (px_video_render (image, &settings, path, NULL, NULL, NULL, &error));
    g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "480p, 720p or 1080p"));
  }
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (px_video_effect_from_string ("spin", &effect));
  g_assert_true (px_video_effect_from_string ("ken-burns", &effect));
  g_assert_cmpint (effect, ==, PX_VIDEO_EFFECT_KEN_BURNS);
}

/* A tone of @seconds as WAV, made by GStreamer. */
static char *
tone (double seconds)
{
  g_autofree char *name = g_strdup_printf ("tone-%g.wav", seconds);
  char *path = out_path (name);
  g_autofree char *description = g_strdup_printf ("audiotestsrc num-buffers=%d samplesperbuffer=441 freq=440 volume=0.5 "
                                                  "! audio/x-raw,rate=44100,channels=1 ! wavenc ! filesink location=\"%s\"",
                                                  (int) (seconds * 100), path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) done = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  done = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_cmpint (GST_MESSAGE_TYPE (done), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return path;
}

/* The sound of a video: its length in seconds, and how loud (RMS) its
 * middle and its last 100 ms are. */
static void
measure_sound (const char *path,
               double     *seconds,
               double     *middle,
               double     *end)
{
  g_autofree char *description = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! audioconvert ! audioresample ! "
                                                  "audio/x-raw,format=F32LE,channels=1,rate=48000 ! appsink name=sink "
                                                  "sync=false", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (float));
  GstSample *sample;
  double sum_middle = 0, sum_end = 0;
  guint n_end;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstMapInfo map;

      gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
      g_array_append_vals (all, map.data, map.size / sizeof (float));
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  *seconds = all->len / 48000.0;
  n_end = MIN (all->len, 4800);
  for (guint i = 0; i < 4800 && all->len > 9600; i++)
    sum_middle += g_array_index (all, float, all->len / 2 + i) * g_array_index (all, float, all->len / 2 + i);
  for (guint i = all->len - n_end; i < all->len; i++)
    sum_end += g_array_index (all, float, i) * g_array_index (all, float, i);
  *middle = sqrt (sum_middle / 4800);
  *end = sqrt (sum_end / MAX (n_end, 1));
}

/* Sound laid under the video: longer sound is cut to the video's length and
 * faded out; shorter sound ends where it ends; WebM gets Opus, MP4 AAC; a
 * file that is not sound is refused by name. */
static void
test_audio (void)
{
  g_autoptr(GBytes) image = source_image (640, 360);
  g_autofree char *long_tone = tone (5);
  g_autofree char *short_tone = tone (1);
  g_autofree char *not_sound = out_path ("not-sound.wav");
  PxVideoSettings settings;

  px_video_settings_init (&settings);
  settings.seconds = 2;
  settings.lines = 480;
  for (PxVideoFormat format = PX_VIDEO_FORMAT_WEBM; format <= PX_VIDEO_FORMAT_MP4; format++)
    {
      g_autofree char *path = out_path (format == PX_VIDEO_FORMAT_WEBM ? "sound.webm" : "sound.mp4");
      g_autoptr(GError) error = NULL;
      g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
      g_autofree char *uri = gst_filename_to_uri (path, NULL);
      g_autoptr(GstDiscovererInfo) info = NULL;
      GList *audio;
      double seconds, middle, end;

      settings.format = format;
      settings.audio = long_tone;
      render (image, &settings, path);
      info = gst_discoverer_discover_uri (discoverer, uri, &error);
      g_assert_no_error (error);
      audio = gst_discoverer_info_get_audio_streams (info);
      g_assert_cmpuint (g_list_length (audio), ==, 1);
      {
        g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (audio->data);

        g_assert_cmpstr (gst_structure_get_name (gst_caps_get_structure (caps, 0)), ==,
                         format == PX_VIDEO_FORMAT_WEBM ? "audio/x-opus" : "audio/mpeg");
      }
      gst_discoverer_stream_info_list_free (audio);
      g_assert_cmpfloat_with_epsilon (gst_discoverer_info_get_duration (info) / (double) GST_SECOND, 2.0, 1.0 / 30);

      measure_sound (path, &seconds, &middle, &end);
      g_test_message ("%s: sound %.3f s, middle %.3f, last 100 ms %.3f", path, seconds, middle, end);
      g_assert_cmpfloat_with_epsilon (seconds, 2.0, 1.0 / 30);
      g_assert_cmpfloat (middle, >, 0.1);
      g_assert_cmpfloat (end, <, middle / 3);   /* faded out */
    }

  {
    g_autofree char *path = out_path ("short-sound.webm");
    double seconds, middle, end;

    settings.format = PX_VIDEO_FORMAT_WEBM;
    settings.seconds = 3;
    settings.audio = short_tone;
    render (image, &settings, path);
    measure_sound (path, &seconds, &middle, &end);
    g_assert_cmpfloat_with_epsilon (seconds, 1.0, 1.0 / 30);
  }
  {
    g_autofree char *path = out_path ("never-sound.webm");
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (not_sound, "RIFF....WAVEnot really", -1, NULL));
    settings.audio = not_sound;
    g_assert_false (px_video_render (image, &settings, path, NULL, NULL, NULL, &error));
    g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "not a sound file"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* A video of a library image, with its poster, moves into the library with
 * how it was made; deleting the image keeps the video (its image set to
 * none); the library checks clean throughout. */
static void
test_library (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "video-library", NULL);
  g_autofree char *rendered = out_path ("for-library.webm");
  g_autofree char *poster = out_path ("for-library.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gpt-image-2", "A lighthouse");
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GBytes) image = source_image (1280, 720);
  g_autoptr(GPtrArray) videos = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(PxLibraryVideo) video = NULL;
  g_autoptr(GdkPixbuf) poster_pixbuf = NULL;
  PxImage *generated = px_image_new (image, "image/png");
  PxVideoSettings settings;
  gint64 image_id, video_id;

  g_assert_no_error (error);
  generated->width = 1280;
  generated->height = 720;
  g_ptr_array_add (result->images, generated);
  result->provider_id = g_strdup ("openai");
  result->model_id = g_strdup ("gpt-image-2");
  image_id = px_library_add_generation (library, request, result, 0, "generate", &error);
  g_assert_no_error (error);

  px_video_settings_init (&settings);
  settings.seconds = 1;
  render (image, &settings, rendered);
  g_assert_true (px_video_poster (image, &settings, poster, NULL, NULL, &error));
  video_id = px_library_add_video (library, image_id, rendered, poster, &settings, 1280, 720, &error);
  g_assert_no_error (error);
  g_assert_cmpint (video_id, >, 0);
  g_assert_false (g_file_test (rendered, G_FILE_TEST_EXISTS));   /* moved in, not copied */

  videos = px_library_list_videos (library, image_id, &error);
  g_assert_cmpuint (videos->len, ==, 1);
  video = px_library_get_video (library, video_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (video->image_id, ==, image_id);
  g_assert_cmpstr (video->effect, ==, "ken-burns");
  g_assert_nonnull (strstr (video->settings_json, "\"resolution\": \"720p\""));
  g_assert_cmpint (video->duration_ms, ==, 1000);
  g_assert_true (g_str_has_prefix (video->file, dir));
  g_assert_true (g_file_test (video->file, G_FILE_TEST_IS_REGULAR));
  poster_pixbuf = gdk_pixbuf_new_from_file (video->poster, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (poster_pixbuf), ==, 1280);
  problems = px_library_check (library, &error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The image goes; the video stays, of no image now. */
  g_assert_true (px_library_trash (library, &image_id, 1, &error));
  g_assert_true (px_library_purge (library, &image_id, 1, &error));
  g_clear_pointer (&video, px_library_video_free);
  video = px_library_get_video (library, video_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (video->image_id, ==, 0);
  g_assert_true (g_file_test (video->file, G_FILE_TEST_IS_REGULAR));
  problems = px_library_check (library, &error);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
mean_colour (GBytes *frame,
             int     width,
             int     height,
             double  rgb[3])
{
  const guint8 *data = g_bytes_get_data (frame, NULL);
  int stride = GST_ROUND_UP_4 (width * 3);
  guint64 sum[3] = { 0, 0, 0 };

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        sum[c] += data[(gsize) y * stride + x * 3 + c];
  for (int c = 0; c < 3; c++)
    rgb[c] = (double) sum[c] / ((double) width * height);
}

/* A slideshow of three images: each shown for its time, the next fading in
 * over the end of the one before (half-way through a crossfade the picture
 * is half of each), no jump between two frames, as long as the images less
 * the overlaps to the frame; a broken second image is named and leaves no
 * file; more than the limit is refused. */
static void
test_slideshow (void)
{
  const char *prompts[] = { "A red barn in a green field", "The blue sea under a pale sky", "Yellow tulips" };
  g_autoptr(GBytes) a = px_fake_render_image (prompts[0], 640, 480, "png");
  g_autoptr(GBytes) b = px_fake_render_image (prompts[1], 640, 480, "png");
  g_autoptr(GBytes) c = px_fake_render_image (prompts[2], 640, 480, "png");
  g_autoptr(GBytes) broken = g_bytes_new_static ("not an image", 12);
  GBytes *images[] = { a, b, c };
  GBytes *with_broken[] = { a, broken, c };
  g_autofree char *path = out_path ("slideshow.webm");
  g_autofree char *failed = out_path ("slideshow-broken.webm");
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Facts) facts = { 0 };
  PxVideoSettings settings;
  double seconds, solo[3][3], middle[3], worst = 0;
  int width = 0, height = 0;
  guint total;

  px_video_settings_init (&settings);
  settings.effect = PX_VIDEO_EFFECT_STILL;
  settings.seconds = 2;
  settings.lines = 480;
  settings.fps = 24;
  g_assert_true (px_video_render_slideshow (images, 3, &settings, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  seconds = px_video_slideshow_seconds (&settings, 3);
  g_assert_cmpfloat (seconds, >, 4);
  g_assert_cmpfloat (seconds, <, 6);
  discover (path, &facts);
  g_assert_cmpfloat_with_epsilon (facts.seconds, seconds, 1.0 / 24 + 0.001);

  frames = decode_frames (path, &width, &height);
  total = frames->len;
  g_assert_cmpuint (total, ==, (guint) lround (seconds * 24));
#define FRAME_AT(at) ((GBytes *) g_ptr_array_index (frames, (guint) lround ((at) * (total - 1) / seconds)))
  /* Each image alone: well inside its own time. */
  mean_colour (FRAME_AT (0.5), width, height, solo[0]);
  mean_colour (FRAME_AT (seconds / 2), width, height, solo[1]);
  mean_colour (FRAME_AT (seconds - 0.3), width, height, solo[2]);
  for (int i = 0; i < 3; i++)
    for (int j = i + 1; j < 3; j++)
      g_assert_cmpfloat (fabs (solo[i][0] - solo[j][0]) + fabs (solo[i][1] - solo[j][1]) +
                         fabs (solo[i][2] - solo[j][2]), >, 30);
  /* Half-way through the first crossfade: half of each. */
  {
    double fade = (3 * settings.seconds - seconds) / 2;   /* each overlap */
    double step = settings.seconds - fade;

    mean_colour (FRAME_AT (step + fade / 2), width, height, middle);
    for (int ch = 0; ch < 3; ch++)
      g_assert_cmpfloat (fabs (middle[ch] - (solo[0][ch] + solo[1][ch]) / 2), <, 12);
  }
#undef FRAME_AT
  /* No cut: consecutive frames stay close all the way. */
  for (guint i = 1; i < total; i++)
    {
      g_autoptr(GBytes) before = blocks (g_ptr_array_index (frames, i - 1), width, height);
      g_autoptr(GBytes) after = blocks (g_ptr_array_index (frames, i), width, height);

      worst = MAX (worst, difference (before, after));
    }
  g_test_message ("slideshow: %u frames, %.2f s, worst step %.1f", total, seconds, worst);
  g_assert_cmpfloat (worst, <, 20);

  g_assert_false (px_video_render_slideshow (with_broken, 3, &settings, failed, NULL, NULL, NULL, &error));
  g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_NOT_IMAGE);
  g_assert_nonnull (strstr (error->message, "Image 2 of 3"));
  g_assert_false (g_file_test (failed, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  {
    g_autofree GBytes **many = g_new (GBytes *, PX_VIDEO_MAX_SLIDES + 1);

    for (guint i = 0; i <= PX_VIDEO_MAX_SLIDES; i++)
      many[i] = a;
    g_assert_false (px_video_render_slideshow (many, PX_VIDEO_MAX_SLIDES + 1, &settings, failed, NULL, NULL, NULL,
                                               &error));
    g_assert_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID);
    g_assert_false (g_file_test (failed, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/video/effects", test_effects);
  g_test_add_func ("/video/resolutions", test_resolutions);
  g_test_add_func ("/video/mp4", test_mp4);
  g_test_add_func ("/video/cancel-leaves-nothing", test_cancel_leaves_nothing);
  g_test_add_func ("/video/bad-input", test_bad_input);
  g_test_add_func ("/video/audio", test_audio);
  g_test_add_func ("/video/library", test_library);
  g_test_add_func ("/video/slideshow", test_slideshow);

  return g_test_run ();
}
