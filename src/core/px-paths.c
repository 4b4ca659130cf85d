/* px-paths.c: one place that decides where the library and the cache live,
 * so that tests and the screenshot tool can point the whole app elsewhere. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "px-paths.h"

static char *library_dir;
static char *cache_dir;

/* The library is the user's work: the database and the image files. It lives
 * in the XDG data folder unless the caller (the screenshot tool, a test, the
 * PIXMERGE_LIBRARY_DIR environment variable) chose another folder. */
const char *
px_paths_get_library_dir (void)
{
  if (library_dir == NULL)
    {
      const char *env = g_getenv ("PIXMERGE_LIBRARY_DIR");

      if (env != NULL && *env != '\0')
        library_dir = g_strdup (env);
      else
        library_dir = g_build_filename (g_get_user_data_dir (), "pixmerge", NULL);
    }

  return library_dir;
}

void
px_paths_set_library_dir (const char *dir)
{
  g_return_if_fail (dir != NULL);

  g_free (library_dir);
  library_dir = g_canonicalize_filename (dir, NULL);
}

const char *
px_paths_get_cache_dir (void)
{
  if (cache_dir == NULL)
    cache_dir = g_build_filename (g_get_user_cache_dir (), "pixmerge", NULL);

  return cache_dir;
}

/* The user's language, from the environment; translations from LOCALEDIR,
 * or from PIXMERGE_LOCALEDIR (the build tree's, for build-aux/run, the
 * screenshots and the tests). */
void
px_paths_init_i18n (void)
{
  const char *dir = g_getenv ("PIXMERGE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
