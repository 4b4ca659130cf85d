/* test-paths.c: the library and the cache land where the user (or a test)
 * said, never in a real user's folders by accident. */
#include "config.h"

#include <glib/gstdio.h>

#include "px-paths.h"

static void
test_library_default_and_override (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "pixmerge", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("px-paths-XXXXXX", NULL);
  g_autofree char *relative = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *expected_relative = g_build_filename (cwd, "some-library", NULL);

  g_assert_cmpstr (px_paths_get_library_dir (), ==, expected);

  px_paths_set_library_dir (tmp);
  g_assert_cmpstr (px_paths_get_library_dir (), ==, tmp);

  /* A relative folder from the command line is made absolute at once, so a
   * later change of working directory cannot move the library. */
  px_paths_set_library_dir ("some-library/");
  g_assert_cmpstr (px_paths_get_library_dir (), ==, expected_relative);

  g_rmdir (tmp);
}

static void
test_cache_under_xdg_cache (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "pixmerge", NULL);

  g_assert_cmpstr (px_paths_get_cache_dir (), ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/paths/library", test_library_default_and_override);
  g_test_add_func ("/paths/cache", test_cache_under_xdg_cache);

  return g_test_run ();
}
