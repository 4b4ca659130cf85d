/* px-test-fake.c: a library folder in /tmp for the test's app, the fake
 * provider on 127.0.0.1 with every provider's base URL pointed at it and
 * the OpenAI and Gemini keys set (Vertex's is each test's choice). */
#include "config.h"

#include "px-test-fake.h"

/* A new folder for the app's library ("px-NAME-XXXXXX"), in the environment. */
char *
px_test_fake_library_dir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("px-%s-XXXXXX", name);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  g_setenv ("PIXMERGE_LIBRARY_DIR", dir, TRUE);
  return dir;
}

PxFakeProvider *
px_test_fake_start (const char *key)
{
  g_autoptr(GError) error = NULL;
  PxFakeProvider *fake = px_fake_provider_new (0, key, &error);
  g_autofree char *openai = NULL;

  g_assert_no_error (error);
  openai = g_strconcat (px_fake_provider_get_url (fake), "/v1", NULL);
  g_setenv ("PIXMERGE_OPENAI_BASE_URL", openai, TRUE);
  g_setenv ("PIXMERGE_GEMINI_BASE_URL", px_fake_provider_get_url (fake), TRUE);
  g_setenv ("PIXMERGE_VERTEX_BASE_URL", px_fake_provider_get_url (fake), TRUE);
  g_setenv ("OPENAI_API_KEY", key, TRUE);
  g_setenv ("GEMINI_API_KEY", key, TRUE);
  return fake;
}

void
px_test_fake_remove_dir (const char *dir)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}
