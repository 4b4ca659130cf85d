/* pixmerge-cli-video.c: pixmerge-cli video — an image file or a library
 * image into a short video, rendered locally. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pixmerge-cli.h"
#include "px-video.h"

/* INPUT is a file, or the id of a library image. */
static GBytes *
read_input (const char  *input,
            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  guint64 id;
  gsize length;

  if (!g_file_test (input, G_FILE_TEST_EXISTS) && g_ascii_string_to_unsigned (input, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_autoptr(PxLibrary) library = px_cli_open_library ();
      g_autoptr(PxLibraryImage) image = NULL;

      if (library == NULL)
        return NULL;
      image = px_library_get_image (library, (gint64) id, error);
      if (image == NULL)
        return NULL;
      path = g_strdup (image->file);
    }
  else
    path = g_strdup (input);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

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

int
px_cli_cmd_video (int    argc,
                  char **argv)
{
  g_autofree char *output = NULL, *effect = NULL, *resolution = NULL, *fit = NULL;
  double seconds = 3;
  int fps = 30;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The video to write: .webm or .mp4"), N_("FILE") },
    { "effect", 0, 0, G_OPTION_ARG_STRING, &effect, N_("still, zoom-in, zoom-out, pan-left, pan-right, pan-up, "
                                                       "pan-down or ken-burns (the default)"), N_("EFFECT") },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, N_("Seconds, 1 to 10 (default 3)"), N_("S") },
    { "resolution", 0, 0, G_OPTION_ARG_STRING, &resolution, N_("480p, 720p (the default) or 1080p"), N_("RES") },
    { "fps", 0, 0, G_OPTION_ARG_INT, &fps, N_("Frames a second: 24, 30 (the default) or 60"), N_("N") },
    { "fit", 0, 0, G_OPTION_ARG_STRING, &fit, N_("crop (the default) or letterbox"), N_("FIT") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("INPUT — an image file or library image id into a video"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = NULL;
  PxVideoSettings settings;
  gboolean show;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc != 2 || output == NULL)
    return px_cli_usage (context, _("video needs one INPUT and -o FILE"));

  px_video_settings_init (&settings);
  settings.seconds = seconds;
  settings.fps = fps;
  if (!px_video_format_for_name (output, &settings.format))
    return px_cli_fail (_("%s: the video must end in .webm or .mp4"), output);
  if (effect != NULL && !px_video_effect_from_string (effect, &settings.effect))
    return px_cli_fail (_("Unknown effect “%s”; choose one of %s."), effect, px_video_effect_names ());
  if (resolution != NULL)
    {
      guint64 lines = 0;
      g_autofree char *number = g_str_has_suffix (resolution, "p") ? g_strndup (resolution, strlen (resolution) - 1)
                                                                   : g_strdup (resolution);

      if (!g_ascii_string_to_unsigned (number, 10, 1, 10000, &lines, NULL))
        return px_cli_fail (_("The resolution is 480p, 720p or 1080p, not “%s”."), resolution);
      settings.lines = (int) lines;
    }
  if (fit != NULL && g_str_equal (fit, "letterbox"))
    settings.fit = PX_VIDEO_FIT_LETTERBOX;
  else if (fit != NULL && !g_str_equal (fit, "crop"))
    return px_cli_fail (_("--fit is crop or letterbox, not “%s”."), fit);
  if (!px_video_settings_check (&settings, &error) || !px_video_check_encoder (settings.format, &error))
    return px_cli_fail ("%s", error->message);

  image = read_input (argv[1], &error);
  if (image == NULL)
    return px_cli_fail ("%s: %s", argv[1], error->message);

  show = !quiet && isatty (STDERR_FILENO);
  if (!px_video_render (image, &settings, output, NULL, on_progress, &show, &error))
    return px_cli_fail ("%s", error->message);

  g_print ("%s\n", output);
  return 0;
}
