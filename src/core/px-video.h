/* px-video.h: a still image into a short video with a camera move, rendered
 * locally by a GStreamer pipeline. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PX_VIDEO_ERROR (px_video_error_quark ())

typedef enum {
  PX_VIDEO_ERROR_INVALID,          /* a setting out of range */
  PX_VIDEO_ERROR_NOT_IMAGE,        /* the input is not an image Pixmerge reads */
  PX_VIDEO_ERROR_MISSING_ENCODER,  /* a GStreamer element is not installed */
  PX_VIDEO_ERROR_FAILED,           /* the pipeline failed */
} PxVideoError;

typedef enum {
  PX_VIDEO_EFFECT_STILL,
  PX_VIDEO_EFFECT_ZOOM_IN,
  PX_VIDEO_EFFECT_ZOOM_OUT,
  PX_VIDEO_EFFECT_PAN_LEFT,
  PX_VIDEO_EFFECT_PAN_RIGHT,
  PX_VIDEO_EFFECT_PAN_UP,
  PX_VIDEO_EFFECT_PAN_DOWN,
  PX_VIDEO_EFFECT_KEN_BURNS,
} PxVideoEffect;

typedef enum {
  PX_VIDEO_FORMAT_WEBM,   /* VP8 */
  PX_VIDEO_FORMAT_MP4,    /* H.264, when x264enc is installed */
} PxVideoFormat;

typedef enum {
  PX_VIDEO_FIT_CROP,       /* the image fills the frame; what overflows is cut */
  PX_VIDEO_FIT_LETTERBOX,  /* the whole image, with black bars */
} PxVideoFit;

#define PX_VIDEO_MIN_SECONDS 1.0
#define PX_VIDEO_MAX_SECONDS 10.0
#define PX_VIDEO_MAX_SLIDES 100

typedef struct {
  PxVideoEffect effect;
  double        seconds;   /* 1 to 10 */
  int           lines;     /* 480, 720 or 1080: the short side of the frame */
  int           fps;       /* 24, 30 or 60 */
  PxVideoFormat format;
  PxVideoFit    fit;
  const char   *audio;     /* a sound file to lay under it (cut and faded to the length), or NULL; the
                            * caller's */
} PxVideoSettings;

/* Called on the rendering thread with frames done and frames in all. */
typedef void (*PxVideoProgressFunc) (guint    done,
                                     guint    total,
                                     gpointer user_data);

GQuark       px_video_error_quark       (void);
void         px_video_setup_environment (void);
void         px_video_settings_init     (PxVideoSettings       *settings);
gboolean     px_video_settings_check    (const PxVideoSettings *settings,
                                         GError               **error);
const char  *px_video_effect_to_string  (PxVideoEffect          effect);
gboolean     px_video_effect_from_string (const char           *name,
                                         PxVideoEffect         *effect);
const char  *px_video_effect_names      (void);
const char  *px_video_effect_label      (const char            *name);
gboolean     px_video_format_for_name   (const char            *path,
                                         PxVideoFormat         *format);
gboolean     px_video_check_encoder     (PxVideoFormat          format,
                                         GError               **error);
void         px_video_frame_size        (const PxVideoSettings *settings,
                                         int                    image_width,
                                         int                    image_height,
                                         int                   *width,
                                         int                   *height);
gboolean     px_video_render            (GBytes                *image,
                                         const PxVideoSettings *settings,
                                         const char            *output,
                                         GCancellable          *cancellable,
                                         PxVideoProgressFunc    progress,
                                         gpointer               progress_data,
                                         GError               **error);
gboolean     px_video_render_slideshow  (GBytes * const        *images,
                                         guint                  n_images,
                                         const PxVideoSettings *settings,
                                         const char            *output,
                                         GCancellable          *cancellable,
                                         PxVideoProgressFunc    progress,
                                         gpointer               progress_data,
                                         GError               **error);
double       px_video_slideshow_seconds (const PxVideoSettings *settings,
                                         guint                  n_images);
char        *px_video_settings_to_json  (const PxVideoSettings *settings);
gboolean     px_video_poster            (GBytes                *image,
                                         const PxVideoSettings *settings,
                                         const char            *output,
                                         int                   *width,
                                         int                   *height,
                                         GError               **error);

G_END_DECLS
