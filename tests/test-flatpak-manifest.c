/* test-flatpak-manifest.c: the Flatpak manifest parses and agrees with the
 * meson project (app id, command, module), and its sandbox holes are exactly
 * the ones Pixmerge needs: no home folder, files come through portals. */
#include <json-glib/json-glib.h>

static JsonObject *
load_manifest (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, FLATPAK_MANIFEST, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_matches_project (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  JsonArray *modules;
  JsonObject *app_module;
  JsonArray *sources;

  g_assert_cmpstr (json_object_get_string_member (manifest, "id"), ==, EXPECTED_APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, EXPECTED_COMMAND);
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");

  /* The app is the last module, built with meson from this source tree. */
  modules = json_object_get_array_member (manifest, "modules");
  g_assert_cmpuint (json_array_get_length (modules), >=, 1);
  app_module = json_array_get_object_element (modules, json_array_get_length (modules) - 1);
  g_assert_cmpstr (json_object_get_string_member (app_module, "name"), ==, EXPECTED_MODULE);
  g_assert_cmpstr (json_object_get_string_member (app_module, "buildsystem"), ==, "meson");
  sources = json_object_get_array_member (app_module, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "type"), ==, "dir");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "path"), ==, "..");
}

static void
test_sandbox_permissions (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *manifest = load_manifest (parser);
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");
  const char *allowed[] = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--talk-name=org.freedesktop.secrets",
    NULL
  };

  g_assert_cmpuint (json_array_get_length (args), ==, g_strv_length ((char **) allowed));
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      if (!g_strv_contains (allowed, arg))
        g_error ("finish-arg %s is not one Pixmerge needs", arg);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flatpak/matches-project", test_matches_project);
  g_test_add_func ("/flatpak/sandbox-permissions", test_sandbox_permissions);

  return g_test_run ();
}
