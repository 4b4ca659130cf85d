/* test-credentials.c: keys round-trip through the real Secret Service
 * (gnome-keyring in the test D-Bus session), providers do not see each
 * other's keys, and a missing keyring is a clear error, not a crash. */
#include "config.h"

#include <string.h>

#include "px-credentials.h"

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
lookup (const char  *provider,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_credentials_lookup_async (provider, NULL, on_done, &result);
  return px_credentials_lookup_finish (wait_for (&result), error);
}

static gboolean
store (const char  *provider,
       const char  *key,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_credentials_store_async (provider, provider, key, NULL, on_done, &result);
  return px_credentials_store_finish (wait_for (&result), error);
}

static gboolean
clear (const char  *provider,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_credentials_clear_async (provider, NULL, on_done, &result);
  return px_credentials_clear_finish (wait_for (&result), error);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openai = NULL;
  g_autofree char *gemini = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *gone = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL && g_getenv ("PIXMERGE_TESTS_STRICT") == NULL)
    {
      g_test_skip ("No D-Bus session: run the tests with build-aux/test");
      return;
    }

  g_assert_true (store ("openai", "sk-roundtrip-openai", &error));
  g_assert_no_error (error);
  g_assert_true (store ("gemini", "AIza-roundtrip-gemini", &error));
  g_assert_no_error (error);

  openai = lookup ("openai", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openai, ==, "sk-roundtrip-openai");
  gemini = lookup ("gemini", &error);
  g_assert_cmpstr (gemini, ==, "AIza-roundtrip-gemini");

  /* Storing again replaces, it does not add a second key. */
  g_assert_true (store ("openai", "sk-roundtrip-new", &error));
  replaced = lookup ("openai", &error);
  g_assert_cmpstr (replaced, ==, "sk-roundtrip-new");

  g_assert_true (clear ("openai", &error));
  g_assert_no_error (error);
  gone = lookup ("openai", &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  /* Clearing one provider leaves the others. */
  g_free (gemini);
  gemini = lookup ("gemini", &error);
  g_assert_cmpstr (gemini, ==, "AIza-roundtrip-gemini");
  g_assert_true (clear ("gemini", &error));
}

static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;

      /* A session bus that is not there. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/pixmerge-test-bus", TRUE);
      key = lookup ("openai", &error);
      g_assert_null (key);
      g_assert_error (error, PX_CREDENTIALS_ERROR, PX_CREDENTIALS_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "keyring is not available"));
      g_clear_error (&error);

      g_assert_false (store ("openai", "sk-never-stored", &error));
      g_assert_error (error, PX_CREDENTIALS_ERROR, PX_CREDENTIALS_ERROR_UNAVAILABLE);
      g_assert_null (strstr (error->message, "sk-never-stored"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/credentials/round-trip", test_round_trip);
  g_test_add_func ("/credentials/no-keyring", test_no_keyring);

  return g_test_run ();
}
