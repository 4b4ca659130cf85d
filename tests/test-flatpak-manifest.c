/* test-flatpak-manifest.c: the Flatpak manifests parse and agree with the
 * meson project (app id, command, module); the one for Flathub pins every
 * source (a git commit, or an archive's sha256) and the local one builds
 * this checkout; both use the current GNOME runtime; and the sandbox holes
 * are exactly the ones Pixmerge needs (a lint of finish-args): network,
 * Wayland with X11 as a fallback, the GPU. Keys go through the Secret
 * portal (libsecret uses it by itself in a sandbox), files through the
 * file chooser portal: no home folder, no keyring bus name. */
#include <string.h>

#include <json-glib/json-glib.h>

#define GNOME_RUNTIME "51"   /* GNOME 51, September 2026 */

static JsonObject *
load_manifest (JsonParser *parser,
               const char *path)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

/* The app is the last module, built with meson. */
static JsonArray *
app_sources (JsonObject *manifest)
{
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  JsonObject *app_module;

  g_assert_cmpstr (json_object_get_string_member (manifest, "id"), ==, EXPECTED_APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, EXPECTED_COMMAND);
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime-version"), ==, GNOME_RUNTIME);
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
  g_assert_cmpuint (json_array_get_length (modules), >=, 1);
  app_module = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_cmpstr (json_object_get_string_member (app_module, "name"), ==, EXPECTED_MODULE);
  g_assert_cmpstr (json_object_get_string_member (app_module, "buildsystem"), ==, "meson");

  return json_object_get_array_member (app_module, "sources");
}

static gboolean
is_hex (const char *text,
        gsize       length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* Flathub builds from sources that cannot change under it. */
static void
test_release_pinned (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser, FLATPAK_MANIFEST);
  JsonArray *modules = json_object_get_array_member (manifest, "modules");

  app_sources (manifest);
  for (guint m = 0; m < json_array_get_length (modules); m++)
    {
      JsonObject *module = json_array_get_object_element (modules, m);
      JsonArray *sources = json_object_get_array_member (module, "sources");

      g_assert_cmpuint (json_array_get_length (sources), >=, 1);
      for (guint i = 0; i < json_array_get_length (sources); i++)
        {
          JsonObject *source = json_array_get_object_element (sources, i);
          const char *type = json_object_get_string_member (source, "type");

          if (g_str_equal (type, "git"))
            {
              if (!is_hex (json_object_get_string_member_with_default (source, "commit", NULL), 40))
                g_error ("module %s: a git source without a full commit id",
                         json_object_get_string_member (module, "name"));
            }
          else if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
            {
              if (!is_hex (json_object_get_string_member_with_default (source, "sha256", NULL), 64))
                g_error ("module %s: an %s without its sha256", json_object_get_string_member (module, "name"), type);
            }
          else
            g_error ("module %s: a %s source cannot be pinned", json_object_get_string_member (module, "name"), type);
        }
    }
}

/* The local manifest builds this very checkout. */
static void
test_local_builds_checkout (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser, FLATPAK_LOCAL_MANIFEST);
  JsonArray *sources = app_sources (manifest);

  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "type"), ==, "dir");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "path"), ==, "..");
}

static void
check_finish_args (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser, path);
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");
  const char *needed[] = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    NULL
  };
  /* What a lint refuses, with why. */
  const struct { const char *prefix; const char *why; } refused[] = {
    { "--filesystem", "files come through the file chooser portal" },
    { "--socket=x11", "X11 is only the fallback to Wayland" },
    { "--talk-name=org.freedesktop.secrets", "keys go through the Secret portal" },
    { "--device=all", "only the GPU is needed" },
    { "--socket=session-bus", "no whole session bus" },
    { "--socket=system-bus", "no system bus" },
    { "--talk-name=org.freedesktop.Flatpak", "no way out of the sandbox" },
    { "--socket=pulseaudio", "Pixmerge plays no sound of its own" },
  };

  g_assert_cmpuint (json_array_get_length (args), ==, g_strv_length ((char **) needed));
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      for (guint r = 0; r < G_N_ELEMENTS (refused); r++)
        if (g_str_has_prefix (arg, refused[r].prefix))
          g_error ("%s: finish-arg %s: %s", path, arg, refused[r].why);
      if (!g_strv_contains (needed, arg))
        g_error ("%s: finish-arg %s is not one Pixmerge needs", path, arg);
    }
}

static void
test_sandbox_permissions (void)
{
  check_finish_args (FLATPAK_MANIFEST);
  check_finish_args (FLATPAK_LOCAL_MANIFEST);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flatpak/release-pinned", test_release_pinned);
  g_test_add_func ("/flatpak/local-builds-checkout", test_local_builds_checkout);
  g_test_add_func ("/flatpak/sandbox-permissions", test_sandbox_permissions);

  return g_test_run ();
}
