/* pixmerge-cli-video.c: pixmerge-cli video — an image file or a library
 * image into a short video, rendered locally; several into a slideshow
 * with crossfades; and batch video, a video of each image of a batch or one
 * slideshow of them all. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pixmerge-cli.h"
#include "px-video.h"

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  gboolean *show = user_data;

  if (!*show)
    return;
  g_printerr ("\r");
  g_printerr (_("Rendering… %u of %u frames"), done, total);
  if (done == total)
    g_printerr ("\n");
}

typedef struct {
  char     *output;
  char     *effect;
  char     *resolution;
  char     *fit;
  char     *format;
  char     *pattern;
  char     *audio;
  double    seconds;
  int       fps;
  gboolean  quiet;
  gboolean  slideshow;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->output);
  g_free (options->effect);
  g_free (options->resolution);
  g_free (options->fit);
  g_free (options->format);
  g_free (options->pattern);
  g_free (options->audio);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* The options both commands take, into @settings: 0, or the exit status
 * after the message saying which one is wrong. */
static int
read_settings (Options         *options,
               PxVideoSettings *settings)
{
  g_autoptr(GError) error = NULL;

  px_video_settings_init (settings);
  settings->seconds = options->seconds;
  settings->fps = options->fps;
  settings->audio = options->audio;
  if (options->effect != NULL && !px_video_effect_from_string (options->effect, &settings->effect))
    return px_cli_fail (_("Unknown effect “%s”; choose one of %s."), options->effect, px_video_effect_names ());
  if (options->resolution != NULL)
    {
      guint64 lines = 0;
      g_autofree char *number = g_str_has_suffix (options->resolution, "p")
                                ? g_strndup (options->resolution, strlen (options->resolution) - 1)
                                : g_strdup (options->resolution);

      if (!g_ascii_string_to_unsigned (number, 10, 1, 10000, &lines, NULL))
        return px_cli_fail (_("The resolution is 480p, 720p or 1080p, not “%s”."), options->resolution);
      settings->lines = (int) lines;
    }
  if (options->fit != NULL && g_str_equal (options->fit, "letterbox"))
    settings->fit = PX_VIDEO_FIT_LETTERBOX;
  else if (options->fit != NULL && !g_str_equal (options->fit, "crop"))
    return px_cli_fail (_("--fit is crop or letterbox, not “%s”."), options->fit);
  if (options->format != NULL && g_str_equal (options->format, "mp4"))
    settings->format = PX_VIDEO_FORMAT_MP4;
  else if (options->format != NULL && !g_str_equal (options->format, "webm"))
    return px_cli_fail (_("--format is webm or mp4, not “%s”."), options->format);
  if (!px_video_settings_check (settings, &error) || !px_video_check_encoder (settings->format, &error))
    return px_cli_fail ("%s", error->message);
  return 0;
}

static GOptionContext *
video_context (Options    *options,
               const char *usage,
               gboolean    batch)
{
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
      batch ? N_("The folder for the videos") : N_("The video to write: .webm or .mp4"), batch ? N_("DIR") : N_("FILE") },
    { "effect", 0, 0, G_OPTION_ARG_STRING, &options->effect, N_("still, zoom-in, zoom-out, pan-left, pan-right, "
                                                                "pan-up, pan-down or ken-burns (the default)"), N_("EFFECT") },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &options->seconds, N_("Seconds, 1 to 10 (default 3)"), N_("S") },
    { "resolution", 0, 0, G_OPTION_ARG_STRING, &options->resolution, N_("480p, 720p (the default) or 1080p"), N_("RES") },
    { "fps", 0, 0, G_OPTION_ARG_INT, &options->fps, N_("Frames a second: 24, 30 (the default) or 60"), N_("N") },
    { "fit", 0, 0, G_OPTION_ARG_STRING, &options->fit, N_("crop (the default) or letterbox"), N_("FIT") },
    { "audio", 0, 0, G_OPTION_ARG_FILENAME, &options->audio, N_("A sound file to lay under it, cut and faded to "
                                                                "the length"), N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };
  const GOptionEntry batch_entries[] = {
    { "slideshow", 0, 0, G_OPTION_ARG_NONE, &options->slideshow, N_("One slideshow of all the images, with "
                                                                    "crossfades; -o is then the video file"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format, N_("webm (the default) or mp4"), N_("FORMAT") },
    { "pattern", 0, 0, G_OPTION_ARG_STRING, &options->pattern, N_("File names from tokens, like [FIRSTNAME]-[ID] "
                                                                  "(default [ID])"), N_("PATTERN") },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (usage);

  options->seconds = 3;
  options->fps = 30;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (batch)
    g_option_context_add_main_entries (context, batch_entries, GETTEXT_PACKAGE);
  return context;
}

int
px_cli_cmd_video (int    argc,
                  char **argv)
{
  g_auto(Options) options = { 0, };
  g_autoptr(GOptionContext) context = video_context (&options, _("INPUT… — an image file or library image id into "
                                                                 "a video; several into a slideshow"), FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  PxVideoSettings settings;
  gboolean show;
  int status;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc < 2 || options.output == NULL)
    return px_cli_usage (context, _("video needs an INPUT and -o FILE"));
  if (argc - 1 > PX_VIDEO_MAX_SLIDES)
    return px_cli_fail (_("A slideshow takes up to %d images, not %d."), PX_VIDEO_MAX_SLIDES, argc - 1);
  if (!px_video_format_for_name (options.output, &settings.format))
    return px_cli_fail (_("%s: the video must end in .webm or .mp4"), options.output);
  options.format = g_strdup (settings.format == PX_VIDEO_FORMAT_MP4 ? "mp4" : "webm");
  if ((status = read_settings (&options, &settings)) != 0)
    return status;

  for (int i = 1; i < argc; i++)
    {
      GBytes *image = px_cli_read_image (argv[i], &error);

      if (image == NULL)
        return px_cli_fail ("%s: %s", argv[i], error->message);
      g_ptr_array_add (images, image);
    }

  show = !options.quiet && isatty (STDERR_FILENO);
  if (!px_video_render_slideshow ((GBytes * const *) images->pdata, images->len, &settings, options.output, NULL,
                                  on_progress, &show, &error))
    return px_cli_fail ("%s", error->message);

  g_print ("%s\n", options.output);
  return 0;
}

/* pixmerge-cli batch video ID --slideshow -o FILE: every image of the
 * batch, oldest first, in one slideshow. */
static int
batch_slideshow (Options               *options,
                 const PxVideoSettings *settings,
                 gint64                 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_cli_open_library ();
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  PxLibraryQuery query = { .sort = PX_LIBRARY_SORT_OLDEST, .batch_id = id };
  gboolean show = !options->quiet && isatty (STDERR_FILENO);
  guint n;

  if (library == NULL)
    return 1;
  n = px_library_count (library, &query, &error);
  if (error == NULL && n == 0)
    return px_cli_fail (_("Batch %" PRId64 " has no images yet."), id);
  if (n > PX_VIDEO_MAX_SLIDES)
    return px_cli_fail (_("Batch %" PRId64 " has %u images; a slideshow takes up to %d."), id, n,
                        PX_VIDEO_MAX_SLIDES);
  images = error == NULL ? px_library_list (library, &query, 0, n, &error) : NULL;
  if (images == NULL)
    return px_cli_fail ("%s", error->message);
  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (images, i);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (image->file, &contents, &length, &error))
        return px_cli_fail ("%s", error->message);
      g_ptr_array_add (bytes, g_bytes_new_take (g_steal_pointer (&contents), length));
    }
  if (!px_video_render_slideshow ((GBytes * const *) bytes->pdata, bytes->len, settings, options->output, NULL,
                                  on_progress, &show, &error))
    return px_cli_fail ("%s", error->message);
  g_print ("%s\n", options->output);
  return 0;
}

/* pixmerge-cli batch video ID -o DIR: one video per completed row, named
 * from the row's tokens; one path printed per video. Memory does not grow
 * with the rows: each video is made and let go before the next. */
int
px_cli_cmd_batch_video (int    argc,
                        char **argv)
{
  g_auto(Options) options = { 0, };
  g_autoptr(GOptionContext) context = video_context (&options, _("ID -o DIR — a video of each image of a batch"), TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PxLibraryQuery query = { .sort = PX_LIBRARY_SORT_OLDEST };
  PxVideoSettings settings;
  guint64 id;
  guint n;
  int status;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc != 2 || options.output == NULL || !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return px_cli_usage (context, _("batch video needs a batch ID and -o DIR"));
  if (options.slideshow)
    {
      if (!px_video_format_for_name (options.output, &settings.format))
        return px_cli_fail (_("%s: with --slideshow, -o is the video, ending in .webm or .mp4"), options.output);
      g_free (options.format);
      options.format = g_strdup (settings.format == PX_VIDEO_FORMAT_MP4 ? "mp4" : "webm");
    }
  if ((status = read_settings (&options, &settings)) != 0)
    return status;
  if (options.slideshow)
    return batch_slideshow (&options, &settings, (gint64) id);
  if (g_mkdir_with_parents (options.output, 0755) != 0)
    return px_cli_fail (_("Could not create %s: %s"), options.output, g_strerror (errno));
  if ((library = px_cli_open_library ()) == NULL)
    return 1;

  query.batch_id = (gint64) id;
  n = px_library_count (library, &query, &error);
  if (error == NULL && n == 0)
    return px_cli_fail (_("Batch %" PRIu64 " has no images yet."), id);
  images = error == NULL ? px_library_list (library, &query, 0, n, &error) : NULL;
  if (images == NULL)
    return px_cli_fail ("%s", error->message);

  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (images, i);
      g_autofree char *name = px_library_export_name (image, options.pattern ? options.pattern : "[ID]", &error);
      g_autofree char *unique = NULL, *path = NULL, *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length;

      if (name == NULL)
        return px_cli_fail ("%s", error->message);
      unique = g_strdup (name);
      for (guint k = 2; g_hash_table_contains (taken, unique); k++)
        {
          g_free (unique);
          unique = g_strdup_printf ("%s-%u", name, k);
        }
      g_hash_table_add (taken, g_strdup (unique));
      path = g_strdup_printf ("%s/%s.%s", options.output, unique, settings.format == PX_VIDEO_FORMAT_MP4 ? "mp4" : "webm");
      if (!g_file_get_contents (image->file, &contents, &length, &error))
        return px_cli_fail ("%s", error->message);
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      if (!options.quiet && isatty (STDERR_FILENO))
        g_printerr (_("Video %u of %u\n"), i + 1, images->len);
      if (!px_video_render (bytes, &settings, path, NULL, NULL, NULL, &error))
        return px_cli_fail (_("Image %" PRId64 ": %s"), image->id, error->message);
      g_print ("%s\n", path);
    }
  return 0;
}
