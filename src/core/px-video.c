/* px-video.c: renders a still image into a short video with a camera move
 * (zoom, pan, Ken Burns) through a GStreamer pipeline: frames are drawn
 * straight into the pipeline's buffers from a canvas scaled once, then
 * encoded (VP8 in WebM, or H.264 in MP4) into a temporary file that is
 * renamed over the output only when it is complete. */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "px-image-check.h"
#include "px-png.h"
#include "px-video.h"

G_DEFINE_QUARK (px-video-error-quark, px_video_error)

/* How far moving effects zoom in: room for the camera to travel. */
#define ZOOM 1.25

static const char * const effect_names[] = {
  "still", "zoom-in", "zoom-out", "pan-left", "pan-right", "pan-up", "pan-down", "ken-burns",
};

const char *
px_video_effect_to_string (PxVideoEffect effect)
{
  g_return_val_if_fail ((guint) effect < G_N_ELEMENTS (effect_names), NULL);

  return effect_names[effect];
}

/* The effect's name as the app shows it ("Ken Burns"); the id, for a name
 * this version does not know. */
const char *
px_video_effect_label (const char *name)
{
  static const char * const labels[] = {
    N_("Still"), N_("Zoom In"), N_("Zoom Out"), N_("Pan Left"), N_("Pan Right"), N_("Pan Up"), N_("Pan Down"),
    N_("Ken Burns"),
  };
  PxVideoEffect effect;

  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == G_N_ELEMENTS (effect_names));
  if (!px_video_effect_from_string (name, &effect))
    return name;
  return _(labels[effect]);
}

gboolean
px_video_effect_from_string (const char    *name,
                             PxVideoEffect *effect)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (effect_names); i++)
    if (g_str_equal (name, effect_names[i]))
      {
        *effect = (PxVideoEffect) i;
        return TRUE;
      }
  return FALSE;
}

/* "still, zoom-in, …", for messages and --help. */
const char *
px_video_effect_names (void)
{
  static gsize done;
  static char *names;

  if (g_once_init_enter (&done))
    {
      names = g_strjoinv (", ", (char **) effect_names);
      g_once_init_leave (&done, 1);
    }
  return names;
}

void
px_video_settings_init (PxVideoSettings *settings)
{
  settings->effect = PX_VIDEO_EFFECT_KEN_BURNS;
  settings->seconds = 3;
  settings->lines = 720;
  settings->fps = 30;
  settings->format = PX_VIDEO_FORMAT_WEBM;
  settings->fit = PX_VIDEO_FIT_CROP;
  settings->audio = NULL;
}

gboolean
px_video_settings_check (const PxVideoSettings *settings,
                         GError               **error)
{
  if ((guint) settings->effect >= G_N_ELEMENTS (effect_names))
    g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID, _("There is no such effect; choose one of %s."),
                 px_video_effect_names ());
  else if (!(settings->seconds >= PX_VIDEO_MIN_SECONDS && settings->seconds <= PX_VIDEO_MAX_SECONDS))
    g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID,
                 _("A video lasts from %g to %g seconds, not %g."), PX_VIDEO_MIN_SECONDS, PX_VIDEO_MAX_SECONDS,
                 settings->seconds);
  else if (settings->lines != 480 && settings->lines != 720 && settings->lines != 1080)
    g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID,
                 _("The resolution is 480p, 720p or 1080p, not %dp."), settings->lines);
  else if (settings->fps != 24 && settings->fps != 30 && settings->fps != 60)
    g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID,
                 _("The frame rate is 24, 30 or 60 frames a second, not %d."), settings->fps);
  else
    return TRUE;
  return FALSE;
}

gboolean
px_video_format_for_name (const char    *path,
                          PxVideoFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".webm"))
    *format = PX_VIDEO_FORMAT_WEBM;
  else if (g_str_has_suffix (lower, ".mp4"))
    *format = PX_VIDEO_FORMAT_MP4;
  else
    return FALSE;
  return TRUE;
}

/* Video sinks that bring another toolkit or display system into the
 * process (gtkwaylandsink loads GTK 3; DirectFB's sink starts a thread that
 * crashes without a framebuffer) must never be picked when a media pipeline
 * (GtkVideo's) plugs one in. Called first thing in main(), before any
 * thread: GStreamer reads this when it starts. The user's own ranks stay. */
void
px_video_setup_environment (void)
{
  static const char ours[] = "gtkwaylandsink:NONE,dfbvideosink:NONE";
  const char *theirs = g_getenv ("GST_PLUGIN_FEATURE_RANK");
  g_autofree char *ranks = theirs != NULL && *theirs != '\0' ? g_strconcat (ours, ",", theirs, NULL) : g_strdup (ours);

  g_setenv ("GST_PLUGIN_FEATURE_RANK", ranks, TRUE);
}

static gboolean
init_gstreamer (GError **error)
{
  static gsize done;
  static gboolean ok;
  static char *message;

  if (g_once_init_enter (&done))
    {
      GError *local_error = NULL;

      ok = gst_init_check (NULL, NULL, &local_error);
      if (!ok)
        message = g_strdup (local_error->message);
      g_clear_error (&local_error);
      g_once_init_leave (&done, 1);
    }
  if (!ok)
    g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_MISSING_ENCODER,
                 _("GStreamer could not start: %s"), message);
  return ok;
}

/* The elements each format needs, and the Debian package that has them. */
static const struct {
  const char *elements[4];
  const char *package;
  const char *name;
} formats[] = {
  [PX_VIDEO_FORMAT_WEBM] = { { "vp8enc", "webmmux", NULL }, "gstreamer1.0-plugins-good", "WebM" },
  [PX_VIDEO_FORMAT_MP4] = { { "x264enc", "h264parse", "mp4mux", NULL }, "gstreamer1.0-plugins-ugly and "
                            "gstreamer1.0-plugins-bad", "MP4" },
};

/* Whether this system can write @format; if not, which element is missing
 * and where it comes from. */
gboolean
px_video_check_encoder (PxVideoFormat   format,
                        GError        **error)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (formats), FALSE);

  if (!init_gstreamer (error))
    return FALSE;
  for (guint i = 0; formats[format].elements[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (formats[format].elements[i]);

      if (factory == NULL)
        {
          g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_MISSING_ENCODER,
                       _("%s videos need the GStreamer element “%s”, which is not installed (it comes with %s). "
                         "Choose WebM, or install it."),
                       formats[format].name, formats[format].elements[i], formats[format].package);
          return FALSE;
        }
    }
  return TRUE;
}

/* Sound needs an encoder of its own: Opus in WebM, AAC in MP4. */
static gboolean
check_audio_encoder (PxVideoFormat   format,
                     GError        **error)
{
  const char *element = format == PX_VIDEO_FORMAT_WEBM ? "opusenc" : "avenc_aac";
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (element);

  if (factory != NULL)
    return TRUE;
  g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_MISSING_ENCODER,
               _("Sound in %s videos needs the GStreamer element “%s”, which is not installed (it comes with %s)."),
               format == PX_VIDEO_FORMAT_WEBM ? "WebM" : "MP4", element,
               format == PX_VIDEO_FORMAT_WEBM ? "gstreamer1.0-plugins-base" : "gstreamer1.0-libav");
  return FALSE;
}

/* The frame keeps the image's orientation and shape, between 9:16 and
 * 16:9, with @lines on its short side; sides are even for the encoders. */
void
px_video_frame_size (const PxVideoSettings *settings,
                     int                    image_width,
                     int                    image_height,
                     int                   *width,
                     int                   *height)
{
  double aspect = CLAMP ((double) image_width / MAX (image_height, 1), 9.0 / 16.0, 16.0 / 9.0);
  int lines = settings->lines;

  if (aspect >= 1)
    {
      *height = lines;
      *width = ((int) lround (lines * aspect) + 1) & ~1;
    }
  else
    {
      *width = lines;
      *height = ((int) lround (lines / aspect) + 1) & ~1;
    }
}

/* The image scaled once to what the widest view needs: the frame at full
 * zoom, covered (crop) or contained with black around (letterbox). */
static cairo_surface_t *
make_canvas (GdkPixbuf             *pixbuf,
             const PxVideoSettings *settings,
             int                    frame_width,
             int                    frame_height)
{
  double zoom = settings->effect == PX_VIDEO_EFFECT_STILL ? 1.0 : ZOOM;
  double need_w = frame_width * zoom, need_h = frame_height * zoom;
  int w = gdk_pixbuf_get_width (pixbuf), h = gdk_pixbuf_get_height (pixbuf);
  double scale = settings->fit == PX_VIDEO_FIT_CROP ? MAX (need_w / w, need_h / h) : MIN (need_w / w, need_h / h);
  int sw = MAX (1, (int) ceil (w * scale)), sh = MAX (1, (int) ceil (h * scale));
  int cw = settings->fit == PX_VIDEO_FIT_CROP ? sw : (int) ceil (need_w);
  int ch = settings->fit == PX_VIDEO_FIT_CROP ? sh : (int) ceil (need_h);
  g_autoptr(GdkPixbuf) scaled = gdk_pixbuf_scale_simple (pixbuf, sw, sh, GDK_INTERP_HYPER);
  cairo_surface_t *canvas = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cw, ch);
  int ox = (cw - sw) / 2, oy = (ch - sh) / 2;
  int stride = cairo_image_surface_get_stride (canvas);
  guint8 *out = cairo_image_surface_get_data (canvas);
  const guint8 *in = gdk_pixbuf_read_pixels (scaled);
  int in_stride = gdk_pixbuf_get_rowstride (scaled);
  int channels = gdk_pixbuf_get_n_channels (scaled);
  gboolean alpha = gdk_pixbuf_get_has_alpha (scaled);

  cairo_surface_flush (canvas);
  memset (out, 0, (gsize) stride * ch);
  /* RGB(A) to cairo's native-endian xRGB; transparency over black. */
  for (int y = 0; y < sh; y++)
    {
      const guint8 *src = in + (gsize) y * in_stride;
      guint32 *dst = (guint32 *) (out + (gsize) (y + oy) * stride) + ox;

      for (int x = 0; x < sw; x++, src += channels)
        {
          guint a = alpha ? src[3] : 255;

          dst[x] = (src[0] * a / 255) << 16 | (src[1] * a / 255) << 8 | (src[2] * a / 255);
        }
    }
  cairo_surface_mark_dirty (canvas);
  return canvas;
}

static double
ease (double t)
{
  return t * t * (3 - 2 * t);
}

/* Where the camera is at @t (0 to 1): the zoom (1: the whole canvas, ZOOM:
 * the frame's own size) and the centre of the view, in canvas pixels. */
static void
camera (PxVideoEffect  effect,
        double         t,
        double         canvas_w,
        double         canvas_h,
        double        *zoom,
        double        *cx,
        double        *cy)
{
  double e = ease (t);
  double travel_x = canvas_w * (1 - 1 / ZOOM) / 2, travel_y = canvas_h * (1 - 1 / ZOOM) / 2;

  *zoom = 1;
  *cx = canvas_w / 2;
  *cy = canvas_h / 2;
  switch (effect)
    {
    case PX_VIDEO_EFFECT_STILL:
      break;
    case PX_VIDEO_EFFECT_ZOOM_IN:
      *zoom = 1 + (ZOOM - 1) * e;
      break;
    case PX_VIDEO_EFFECT_ZOOM_OUT:
      *zoom = ZOOM - (ZOOM - 1) * e;
      break;
    case PX_VIDEO_EFFECT_PAN_LEFT:   /* the view travels left */
      *zoom = ZOOM;
      *cx += travel_x * (1 - 2 * e);
      break;
    case PX_VIDEO_EFFECT_PAN_RIGHT:
      *zoom = ZOOM;
      *cx -= travel_x * (1 - 2 * e);
      break;
    case PX_VIDEO_EFFECT_PAN_UP:
      *zoom = ZOOM;
      *cy += travel_y * (1 - 2 * e);
      break;
    case PX_VIDEO_EFFECT_PAN_DOWN:
      *zoom = ZOOM;
      *cy -= travel_y * (1 - 2 * e);
      break;
    case PX_VIDEO_EFFECT_KEN_BURNS:
      /* In towards a point a little off centre, drifting as it goes. */
      *zoom = 1 + (ZOOM - 1) * e;
      *cx += travel_x * 0.6 * (e - 0.5) * 2 * (*zoom - 1) / (ZOOM - 1);
      *cy -= travel_y * 0.4 * (e - 0.5) * 2 * (*zoom - 1) / (ZOOM - 1);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Draws the view of @canvas at @t into the frame; with @alpha under 1 it
 * is laid over what the frame holds (a crossfade), else it replaces it. */
static void
draw_frame (cairo_surface_t *canvas,
            PxVideoEffect    effect,
            double           t,
            double           alpha,
            guint8          *data,
            int              width,
            int              height,
            int              stride)
{
  cairo_surface_t *target = cairo_image_surface_create_for_data (data, CAIRO_FORMAT_RGB24, width, height, stride);
  cairo_t *cr = cairo_create (target);
  double cw = cairo_image_surface_get_width (canvas), ch = cairo_image_surface_get_height (canvas);
  double zoom, cx, cy, view_w, view_h, scale;

  camera (effect, t, cw, ch, &zoom, &cx, &cy);
  /* At zoom 1 the view is the whole canvas, at ZOOM the frame's size. */
  scale = MAX (width / cw, height / ch) * zoom;
  view_w = width / scale;
  view_h = height / scale;
  cx = CLAMP (cx, view_w / 2, cw - view_w / 2);
  cy = CLAMP (cy, view_h / 2, ch - view_h / 2);

  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, canvas, -(cx - view_w / 2), -(cy - view_h / 2));
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  if (alpha < 1)
    cairo_paint_with_alpha (cr, alpha);
  else
    {
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (target);
  cairo_surface_destroy (target);
}

static GdkPixbuf *
decode (GBytes  *image,
        GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (!px_image_check (image, &mime, NULL, NULL, &local_error) ||
      (pixbuf = px_image_load_scaled (image, mime, G_MAXINT, &local_error)) == NULL)
    {
      g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_NOT_IMAGE, _("This is not an image Pixmerge can use: %s"),
                   local_error->message);
      return NULL;
    }
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

#define AUDIO_RATE 48000

/* The sound file decoded to 48 kHz stereo float and cut to @seconds, with a
 * 20 ms fade in and a fade out (half a second when it was cut, so it ends
 * rather than stops). Ten seconds are under 4 MB: it is decoded whole. */
static GBytes *
decode_audio (const char  *path,
              double       seconds,
              GError     **error)
{
  g_autoptr(GError) failure = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch ("filesrc name=in ! decodebin ! audioconvert ! audioresample "
                                                     "! audio/x-raw,format=F32LE,rate=48000,channels=2,"
                                                     "layout=interleaved ! appsink name=sink sync=false", &failure);
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GByteArray) samples = g_byte_array_new ();
  gsize wanted = (gsize) (seconds * AUDIO_RATE) * 2 * sizeof (float);
  gboolean cut = FALSE;
  GstSample *sample;
  float *data;
  gsize frames, fade_in, fade_out;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID, _("There is no sound file %s."), path);
      return NULL;
    }
  if (pipeline == NULL)
    {
      g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_MISSING_ENCODER, _("Sound cannot be read: %s"),
                   failure->message);
      return NULL;
    }
  source = gst_bin_get_by_name (GST_BIN (pipeline), "in");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "location", path, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Until enough, the end, or an error (a file that is not sound ends in
   * an error on the bus, and no end on the sink). */
  while (samples->len < wanted && !gst_app_sink_is_eos (GST_APP_SINK (sink)))
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
      g_autoptr(GstMessage) message = NULL;
      GstMapInfo map;

      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      if (sample == NULL)
        {
          message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
          if (message != NULL)
            {
              g_autoptr(GError) gst_error = NULL;

              gst_message_parse_error (message, &gst_error, NULL);
              g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID,
                           _("%s is not a sound file Pixmerge can read: %s"), path, gst_error->message);
              gst_element_set_state (pipeline, GST_STATE_NULL);
              return NULL;
            }
          continue;
        }
      if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
        {
          g_byte_array_append (samples, map.data, map.size);
          gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
        }
      gst_sample_unref (sample);
    }
  if (samples->len >= wanted)
    {
      cut = TRUE;
      g_byte_array_set_size (samples, wanted);
    }
  else
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (message != NULL || samples->len == 0)
        {
          g_autoptr(GError) gst_error = NULL;

          if (message != NULL)
            gst_message_parse_error (message, &gst_error, NULL);
          g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID, _("%s is not a sound file Pixmerge can read%s%s"),
                       path, gst_error ? ": " : ".", gst_error ? gst_error->message : "");
          gst_element_set_state (pipeline, GST_STATE_NULL);
          return NULL;
        }
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  data = (float *) samples->data;
  frames = samples->len / (2 * sizeof (float));
  fade_in = MIN (frames, AUDIO_RATE / 50);
  fade_out = MIN (frames, cut ? AUDIO_RATE / 2 : AUDIO_RATE / 50);
  for (gsize i = 0; i < fade_in; i++)
    for (int c = 0; c < 2; c++)
      data[i * 2 + c] *= (float) i / fade_in;
  for (gsize i = 0; i < fade_out; i++)
    for (int c = 0; c < 2; c++)
      data[(frames - 1 - i) * 2 + c] *= (float) i / fade_out;

  return g_byte_array_free_to_bytes (g_steal_pointer (&samples));
}

static char *
pipeline_description (const PxVideoSettings *settings,
                      int                    width,
                      int                    height)
{
  /* About a tenth of a bit a pixel a frame: sharp for slow camera moves. */
  int kbps = MAX (500, (int) ((double) width * height * settings->fps * 0.1 / 1000));
  guint threads = MIN (g_get_num_processors (), 8);
  g_autofree char *encoder = NULL;

  if (settings->format == PX_VIDEO_FORMAT_WEBM)
    encoder = g_strdup_printf ("vp8enc deadline=1 cpu-used=16 threads=%u target-bitrate=%d keyframe-max-dist=%d",
                               threads, kbps * 1000, settings->fps * 2);
  else
    encoder = g_strdup_printf ("x264enc speed-preset=veryfast tune=stillimage bitrate=%d key-int-max=%d threads=%u "
                               "! video/x-h264,profile=high ! h264parse", kbps, settings->fps * 2, threads);

  return g_strdup_printf ("appsrc name=frames format=time is-live=false block=true max-bytes=%d "
                          "caps=video/x-raw,format=BGRx,width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1 "
                          "! videoconvert ! video/x-raw,format=I420 "
                          "! queue max-size-buffers=4 max-size-bytes=0 max-size-time=0 ! %s ! mux. "
                          "%s%s%s"
                          "%s name=mux ! filesink name=out",
                          width * height * 4 * 4, width, height, settings->fps, encoder,
                          settings->audio != NULL ? "appsrc name=sound format=time is-live=false max-bytes=0 "
                                                    "caps=audio/x-raw,format=F32LE,rate=48000,channels=2,"
                                                    "layout=interleaved ! audioconvert ! " : "",
                          settings->audio == NULL ? "" : settings->format == PX_VIDEO_FORMAT_WEBM
                                                    ? "opusenc bitrate=128000" : "avenc_aac bitrate=160000",
                          settings->audio != NULL ? " ! queue ! mux. " : "",
                          settings->format == PX_VIDEO_FORMAT_WEBM ? "webmmux" : "mp4mux faststart=true");
}

/* The pipeline's first error, or NULL once it reached the end. */
static GError *
wait_for_end (GstElement   *pipeline,
              GCancellable *cancellable)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);

  for (;;)
    {
      g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
                                                                  GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

      if (g_cancellable_is_cancelled (cancellable))
        return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The video was cancelled."));
      if (message == NULL)
        continue;
      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
        return NULL;
      {
        g_autoptr(GError) gst_error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        return g_error_new (PX_VIDEO_ERROR, PX_VIDEO_ERROR_FAILED, _("The video could not be made: %s"),
                            gst_error->message);
      }
    }
}

/* Checks for a pipeline error while frames are pushed (a failing encoder
 * would otherwise leave appsrc blocked). */
static GError *
pending_error (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr(GError) gst_error = NULL;

  if (message == NULL)
    return NULL;
  gst_message_parse_error (message, &gst_error, NULL);
  return g_error_new (PX_VIDEO_ERROR, PX_VIDEO_ERROR_FAILED, _("The video could not be made: %s"),
                      gst_error->message);
}

/* How long the crossfade between two images of a slideshow is: under a
 * second, and never more than a third of an image's time. */
static double
crossfade_seconds (const PxVideoSettings *settings)
{
  return MIN (0.75, settings->seconds / 3);
}

/* The length of a slideshow of @n_images, each shown settings->seconds,
 * the next fading in over the end of the one before. */
double
px_video_slideshow_seconds (const PxVideoSettings *settings,
                            guint                  n_images)
{
  if (n_images == 0)
    return 0;
  return n_images * settings->seconds - (n_images - 1) * crossfade_seconds (settings);
}

/* Image @index of a slideshow decoded and scaled into its canvas; the error
 * names the image when there are several. */
static cairo_surface_t *
slide_canvas (GBytes * const        *images,
              guint                  n_images,
              guint                  index,
              const PxVideoSettings *settings,
              int                    width,
              int                    height,
              GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = decode (images[index], &local_error);

  if (pixbuf == NULL)
    {
      if (n_images > 1)
        g_prefix_error (&local_error, _("Image %u of %u: "), index + 1, n_images);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return make_canvas (pixbuf, settings, width, height);
}

/* Renders on the calling thread (a worker: it takes as long as encoding
 * does). The output appears only complete; on an error or a cancel nothing
 * is left behind. */
gboolean
px_video_render (GBytes                *image,
                 const PxVideoSettings *settings,
                 const char            *output,
                 GCancellable          *cancellable,
                 PxVideoProgressFunc    progress,
                 gpointer               progress_data,
                 GError               **error)
{
  return px_video_render_slideshow (&image, 1, settings, output, cancellable, progress, progress_data, error);
}

/* A slideshow: each of @images for settings->seconds with the effect, the
 * next fading in over the last moments of the one before; one image is a
 * plain video. The frame's size comes from the first image. Images are
 * decoded when their turn comes and let go after it, so memory does not
 * grow with their number. */
gboolean
px_video_render_slideshow (GBytes * const        *images,
                           guint                  n_images,
                           const PxVideoSettings *settings,
                           const char            *output,
                           GCancellable          *cancellable,
                           PxVideoProgressFunc    progress,
                           gpointer               progress_data,
                           GError               **error)
{
  g_autoptr(GdkPixbuf) first = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autofree char *description = NULL;
  g_autofree char *dir = g_path_get_dirname (output);
  g_autofree char *base = g_path_get_basename (output);
  g_autofree char *partial = NULL;
  g_autoptr(GBytes) sound = NULL;
  g_autofree cairo_surface_t **canvases = NULL;
  PxVideoSettings whole;
  GError *failure = NULL;
  double seconds, step, fade;
  int width, height, fd;
  guint total;

  if (!px_video_settings_check (settings, error) || !px_video_check_encoder (settings->format, error))
    return FALSE;
  if (n_images == 0 || n_images > PX_VIDEO_MAX_SLIDES)
    {
      g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_INVALID,
                   _("A slideshow takes from 1 to %d images, not %u."), PX_VIDEO_MAX_SLIDES, n_images);
      return FALSE;
    }
  /* The first image sets the frame; every image is checked before any
   * work, so a broken tenth image does not cost nine images' time. */
  for (guint i = 0; i < n_images; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!px_image_check (images[i], NULL, NULL, NULL, &local_error))
        {
          if (n_images > 1)
            g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_NOT_IMAGE,
                         _("Image %u of %u is not an image Pixmerge can use: %s"), i + 1, n_images,
                         local_error->message);
          else
            g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_NOT_IMAGE,
                         _("This is not an image Pixmerge can use: %s"), local_error->message);
          return FALSE;
        }
    }
  first = decode (images[0], error);
  if (first == NULL)
    return FALSE;
  fade = n_images > 1 ? crossfade_seconds (settings) : 0;
  seconds = px_video_slideshow_seconds (settings, n_images);
  step = settings->seconds - fade;
  whole = *settings;
  whole.seconds = seconds;
  if (settings->audio != NULL && !check_audio_encoder (settings->format, error))
    return FALSE;
  if (settings->audio != NULL && (sound = decode_audio (settings->audio, seconds, error)) == NULL)
    return FALSE;

  partial = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp (partial);
  if (fd < 0)
    {
      g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_FAILED, _("Could not write in %s: %s"), dir,
                   g_strerror (errno));
      return FALSE;
    }
  close (fd);

  px_video_frame_size (settings, gdk_pixbuf_get_width (first), gdk_pixbuf_get_height (first), &width, &height);
  description = pipeline_description (&whole, width, height);
  pipeline = gst_parse_launch (description, &failure);
  if (pipeline == NULL)
    {
      g_set_error (error, PX_VIDEO_ERROR, PX_VIDEO_ERROR_FAILED, _("The video could not be made: %s"),
                   failure->message);
      g_clear_error (&failure);
      g_unlink (partial);
      return FALSE;
    }
  g_clear_error (&failure);   /* a warning about an optional property */
  source = gst_bin_get_by_name (GST_BIN (pipeline), "frames");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  g_object_set (sink, "location", partial, NULL);
  canvases = g_new0 (cairo_surface_t *, n_images);
  canvases[0] = make_canvas (first, settings, width, height);
  g_clear_object (&first);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (sound != NULL)
    {
      g_autoptr(GstElement) sound_source = gst_bin_get_by_name (GST_BIN (pipeline), "sound");
      GstBuffer *buffer = gst_buffer_new_wrapped_bytes (sound);

      GST_BUFFER_PTS (buffer) = 0;
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (g_bytes_get_size (sound) / (2 * sizeof (float)),
                                                            GST_SECOND, AUDIO_RATE);
      gst_app_src_push_buffer (GST_APP_SRC (sound_source), buffer);
      gst_app_src_end_of_stream (GST_APP_SRC (sound_source));
    }
  total = (guint) lround (seconds * settings->fps);
  for (guint i = 0; i < total && failure == NULL; i++)
    {
      GstBuffer *buffer = gst_buffer_new_allocate (NULL, (gsize) width * height * 4, NULL);
      /* The time of this frame, spread so the last frame is each image's
       * end (as a single image's last frame is its effect's end). */
      double at = total > 1 ? seconds * i / (total - 1) : 0;
      /* The oldest image still on: each stays until the next has faded in. */
      guint k = step > 0 && at > fade ? MIN ((guint) ((at - fade) / step), n_images - 1) : 0;
      GstMapInfo map;

      gst_buffer_map (buffer, &map, GST_MAP_WRITE);
      /* Image k is on; k+1 fades in over its last moments. */
      for (guint j = k; j <= MIN (k + 1, n_images - 1) && failure == NULL; j++)
        {
          double from = j * step;
          double t = CLAMP ((at - from) / settings->seconds, 0, 1);
          double alpha = j == k ? 1 : (fade > 0 ? CLAMP ((at - from) / fade, 0, 1) : 0);

          if (alpha <= 0)
            continue;
          if (canvases[j] == NULL)
            canvases[j] = slide_canvas (images, n_images, j, settings, width, height, &failure);
          if (canvases[j] == NULL)
            break;
          draw_frame (canvases[j], settings->effect, t, alpha, map.data, width, height, width * 4);
        }
      gst_buffer_unmap (buffer, &map);
      if (failure != NULL)
        {
          gst_buffer_unref (buffer);
          break;
        }
      /* Images done with are let go. */
      for (guint j = 0; j < k; j++)
        g_clear_pointer (&canvases[j], cairo_surface_destroy);
      GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (i, GST_SECOND, settings->fps);
      GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (i + 1, GST_SECOND, settings->fps) - GST_BUFFER_PTS (buffer);
      if (gst_app_src_push_buffer (GST_APP_SRC (source), buffer) != GST_FLOW_OK)
        failure = pending_error (pipeline);
      if (failure == NULL && g_cancellable_is_cancelled (cancellable))
        failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The video was cancelled."));
      if (failure == NULL)
        failure = pending_error (pipeline);
      if (progress != NULL)
        progress (i + 1, total, progress_data);
    }
  for (guint j = 0; j < n_images; j++)
    g_clear_pointer (&canvases[j], cairo_surface_destroy);
  if (failure == NULL)
    {
      gst_app_src_end_of_stream (GST_APP_SRC (source));
      failure = wait_for_end (pipeline, cancellable);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (failure == NULL && g_rename (partial, output) != 0)
    failure = g_error_new (PX_VIDEO_ERROR, PX_VIDEO_ERROR_FAILED, _("Could not write %s: %s"), output,
                           g_strerror (errno));
  if (failure != NULL)
    {
      g_unlink (partial);
      g_propagate_error (error, failure);
      return FALSE;
    }
  return TRUE;
}

/* What the library keeps of how a video was made. */
char *
px_video_settings_to_json (const PxVideoSettings *settings)
{
  return g_strdup_printf ("{\"effect\": \"%s\", \"seconds\": %g, \"resolution\": \"%dp\", \"fps\": %d, "
                          "\"format\": \"%s\", \"fit\": \"%s\"}",
                          px_video_effect_to_string (settings->effect), settings->seconds, settings->lines,
                          settings->fps, settings->format == PX_VIDEO_FORMAT_MP4 ? "mp4" : "webm",
                          settings->fit == PX_VIDEO_FIT_CROP ? "crop" : "letterbox");
}

/* The video's middle frame as a PNG, for the gallery: drawn the way the
 * video draws it, without decoding the video. */
gboolean
px_video_poster (GBytes                *image,
                 const PxVideoSettings *settings,
                 const char            *output,
                 int                   *out_width,
                 int                   *out_height,
                 GError               **error)
{
  g_autoptr(GdkPixbuf) pixbuf = decode (image, error);
  g_autoptr(GBytes) png = NULL;
  cairo_surface_t *canvas, *frame;
  int width, height;

  if (pixbuf == NULL)
    return FALSE;
  px_video_frame_size (settings, gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf), &width, &height);
  canvas = make_canvas (pixbuf, settings, width, height);
  frame = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_surface_flush (frame);
  draw_frame (canvas, settings->effect, 0.5, 1, cairo_image_surface_get_data (frame), width, height,
              cairo_image_surface_get_stride (frame));
  cairo_surface_mark_dirty (frame);
  png = px_png_from_surface (frame, error);
  cairo_surface_destroy (frame);
  cairo_surface_destroy (canvas);
  if (out_width != NULL)
    *out_width = width;
  if (out_height != NULL)
    *out_height = height;

  return png != NULL && g_file_set_contents (output, g_bytes_get_data (png, NULL), g_bytes_get_size (png), error);
}
