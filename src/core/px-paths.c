/* px-paths.c: one place that decides where the library and the cache live,
 * so that tests and the screenshot tool can point the whole app elsewhere. */
#include "config.h"

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
