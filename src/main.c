/* main.c: starts Pixmerge. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "px-application.h"
#include "px-paths.h"
#include "px-video.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PxApplication) app = NULL;

  px_video_setup_environment ();
  px_paths_init_i18n ();

  app = px_application_new (APP_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
