/* pixmerge-cli.c: Pixmerge for scripts and machines without a display. Uses
 * only the core library. Exit codes: 0 ok, 1 error (one line on stderr), 2
 * usage. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "px-batch.h"
#include "px-cache.h"
#include "px-catalog.h"
#include "px-credentials.h"
#include "px-csv.h"
#include "px-engine.h"
#include "px-library.h"
#include "px-model-list.h"
#include "px-paths.h"
#include "px-provider.h"
#include "px-tokens.h"
#include "pixmerge-cli.h"
#include "px-usage.h"

int
px_cli_fail (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

int
px_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, whatever the message holds. */
  g_strdelimit (message, "\n\r", ' ');
  g_printerr ("pixmerge-cli: %s\n", message);
  return 1;
}

int
px_cli_usage (GOptionContext *context,
              const char     *message)
{
  g_autofree char *help = context ? g_option_context_get_help (context, TRUE, NULL) : NULL;

  g_printerr ("pixmerge-cli: %s\n", message);
  if (help != NULL)
    g_printerr ("\n%s", help);
  return EXIT_USAGE;
}

/* NAME=VALUE pairs into a table keyed by the canonical token name. */
gboolean
px_cli_parse_tokens (char       **pairs,
                     GHashTable  *tokens,
                     char       **bad)
{
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *raw = eq ? g_strndup (pairs[i], eq - pairs[i]) : NULL;
      char *name = raw ? px_tokens_normalize_name (raw) : NULL;

      if (name == NULL)
        {
          *bad = g_strdup (pairs[i]);
          return FALSE;
        }
      g_hash_table_insert (tokens, name, g_strdup (eq + 1));
    }

  return TRUE;
}

static int
cmd_resolve (int    argc,
             char **argv)
{
  g_autofree char *prompt = NULL;
  g_auto(GStrv) token_args = NULL;
  const GOptionEntry entries[] = {
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt, N_("The prompt, with tokens like [NAME]"), N_("TEXT") },
    { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &token_args, N_("A token value (repeat for more)"), N_("NAME=VALUE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— print a prompt with its tokens filled in"));
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *resolved = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (prompt == NULL || argc > 1)
    return px_cli_usage (context, _("resolve needs --prompt and nothing else"));
  if (!px_cli_parse_tokens (token_args, tokens, &bad))
    return px_cli_usage (context, _("--token takes NAME=VALUE, with a name of letters, digits and _"));

  resolved = px_tokens_resolve (prompt, tokens, 0, &error);
  if (resolved == NULL)
    return px_cli_fail ("%s", error->message);

  g_print ("%s\n", resolved);
  return 0;
}

/* One row as a pretty JSON object, indented as an element of the array. */
static void
print_row_json (const char * const *columns,
                char              **row,
                gboolean            first)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      json_builder_set_member_name (builder, columns[i]);
      json_builder_add_string_value (builder, row[i]);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  lines = g_strsplit (text, "\n", -1);
  g_print ("%s", first ? "" : ",\n");
  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("  %s%s", lines[i], lines[i + 1] != NULL ? "\n" : "");
}

/* Reads the file to its end: the row count, or 0 and an error. */
static gboolean
check_rows (const char          *path,
            gboolean             print,
            guint               *rows,
            char              ***columns_out,
            GError             **error)
{
  g_autoptr(PxCsvReader) reader = px_csv_reader_new_for_path (path, error);
  const char * const *columns;
  char **row;

  *rows = 0;
  if (reader == NULL || !px_csv_reader_read_header (reader, NULL, error))
    return FALSE;
  columns = px_csv_reader_get_columns (reader);
  while ((row = px_csv_reader_next_row (reader, NULL, error)) != NULL)
    {
      if (print)
        print_row_json (columns, row, *rows == 0);
      g_strfreev (row);
      (*rows)++;
    }
  if (columns_out != NULL)
    *columns_out = g_strdupv ((char **) columns);

  return *error == NULL;
}

static int
cmd_csv_check (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the rows as a JSON array of objects"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — check a CSV file for a batch"));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) columns = NULL;
  guint rows = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc != 2)
    return px_cli_usage (context, _("csv-check needs one FILE"));

  /* The whole file is checked before anything is printed, so a script
   * never reads half an array; then it is read again, row by row, so
   * memory stays the same for two rows or two million. */
  if (!check_rows (argv[1], FALSE, &rows, &columns, &error))
    return px_cli_fail ("%s", error->message);

  if (json)
    {
      g_print ("[\n");
      if (!check_rows (argv[1], TRUE, &rows, NULL, &error))
        return px_cli_fail ("%s", error->message);
      g_print ("%s]\n", rows > 0 ? "\n" : "");
    }
  else
    {
      g_autofree char *joined = g_strjoinv (",", columns);

      g_print ("rows: %u\ncolumns: %s\n", rows, joined);
    }

  return 0;
}

PxCatalog *
px_cli_load_catalog (void)
{
  g_autoptr(GError) error = NULL;
  PxCatalog *catalog = px_catalog_new_default (&error);

  if (catalog == NULL)
    px_cli_fail ("%s", error->message);
  else
    /* What the providers said last time they were asked. */
    px_model_list_merge_cached (catalog);
  return catalog;
}


static void
on_list_checked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* providers --refresh: every provider with a key (or none needed) is asked
 * for its list now; one that cannot be reached is said so and skipped. */
static void
refresh_lists (PxCatalog *catalog)
{
  g_autoptr(PxEngine) engine = px_engine_new (catalog);
  GPtrArray *providers = px_catalog_get_providers (catalog);

  for (guint i = 0; i < providers->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (providers, i);
      g_autofree char *key = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_equal (info->wire, "openai") && !g_str_equal (info->wire, "gemini"))
        continue;
      key = px_cli_find_key (info);
      if (key == NULL && info->key_policy == PX_KEY_REQUIRED)
        continue;
      px_engine_set_api_key (engine, info->id, key);
      if (key != NULL)
        memset (key, 0, strlen (key));
      px_engine_check_async (engine, info->id, NULL, on_list_checked, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (!px_engine_check_finish (engine, result, &error))
        g_printerr (_("%s: the model list could not be fetched: %s\n"), info->name, error->message);
    }
}

static int
cmd_providers (int    argc,
               char **argv)
{
  g_autoptr(PxCatalog) catalog = NULL;
  GPtrArray *providers, *models;
  gboolean refresh = argc == 2 && g_str_equal (argv[1], "--refresh");

  if (argc > 1 && !refresh)
    return px_cli_usage (NULL, _("providers takes only --refresh (ask each provider for its model list now)"));
  if ((catalog = px_cli_load_catalog ()) == NULL)
    return 1;
  if (refresh)
    refresh_lists (catalog);

  providers = px_catalog_get_providers (catalog);
  models = px_catalog_get_models (catalog);
  for (guint i = 0; i < providers->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (providers, i);

      g_print ("%s\t%s\t%s\n", info->id, info->name,
               info->key_policy == PX_KEY_REQUIRED ? _("key required") :
               info->key_policy == PX_KEY_OPTIONAL ? _("key optional") : _("no key"));
      for (guint k = 0; k < models->len; k++)
        {
          const PxModel *model = g_ptr_array_index (models, k);
          g_autoptr(GString) caps = g_string_new (NULL);

          if (!g_str_equal (model->provider_id, info->id))
            continue;

          g_string_append_printf (caps, "prompt ≤ %ld", model->max_prompt_chars);
          g_string_append_printf (caps, "; references %u", model->reference_images);
          g_string_append_printf (caps, _("; $%.3f/image"), model->price_default);
          for (guint s = 0; s < model->settings->len; s++)
            {
              const PxSettingSpec *spec = g_ptr_array_index (model->settings, s);

              if (spec->kind == PX_SETTING_CHOICE)
                {
                  g_autofree char *values = g_strjoinv ("|", spec->values);
                  g_string_append_printf (caps, "; %s %s", spec->name, values);
                }
              else if (spec->kind == PX_SETTING_INTEGER)
                g_string_append_printf (caps, "; %s %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                                        spec->name, spec->min, spec->max);
              else
                g_string_append_printf (caps, "; %s TEXT", spec->name);
            }
          /* What the provider's own list says about it, and its lifecycle. */
          if (model->retired != NULL)
            g_string_append_printf (caps, _("; retired (%s), use %s"), model->retired,
                                    model->replacement ? model->replacement : _("another model"));
          else if (model->deprecated != NULL)
            g_string_append_printf (caps, _("; deprecated, shuts down %s"), model->deprecated);
          if (model->unavailable && model->retired == NULL)
            g_string_append (caps, _("; not available to this account"));
          if (model->discovered)
            g_string_append (caps, _("; offered by the provider, not in Pixmerge's list: usual settings"));
          g_print ("  %s\t%s\t%s\n", model->id, model->name, caps->str);
        }
    }

  return 0;
}

/* Providers rename models often: a user adds the new id, which gets the
 * provider's usual capabilities and stays in the list from then on. */
static int
cmd_models (int    argc,
            char **argv)
{
  g_autoptr(PxCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = px_catalog_get_custom_models_path ();

  if (argc != 4 || !g_str_equal (argv[1], "add"))
    return px_cli_usage (NULL, _("usage: pixmerge-cli models add PROVIDER MODEL"));
  if ((catalog = px_cli_load_catalog ()) == NULL)
    return 1;

  if (px_catalog_add_custom_model (catalog, argv[2], argv[3], &error) == NULL ||
      !px_catalog_save_custom_models (catalog, path, &error))
    return px_cli_fail ("%s", error->message);

  g_printerr (_("Added %s to %s.\n"), argv[3], px_catalog_lookup_provider (catalog, argv[2])->name);
  return 0;
}

PxLibrary *
px_cli_open_library (void)
{
  g_autoptr(GError) error = NULL;
  PxLibrary *library = px_library_open (px_paths_get_library_dir (), &error);

  if (library == NULL)
    px_cli_fail ("%s", error->message);
  return library;
}

static void
print_image_line (const PxLibraryImage *image)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (image->created);
  g_autofree char *date = g_date_time_format (created, "%Y-%m-%d %H:%M:%S");
  g_autofree char *prompt = g_strdup (image->prompt);

  g_strdelimit (prompt, "\t\n\r", ' ');
  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", image->id, date, image->model, prompt);
}

static int
list_images (PxLibrary            *library,
             const PxLibraryQuery *query)
{
  g_autoptr(GError) error = NULL;
  guint offset = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = px_library_list (library, query, offset, 500, &error);

      if (page == NULL)
        return px_cli_fail ("%s", error->message);
      for (guint i = 0; i < page->len; i++)
        print_image_line (g_ptr_array_index (page, i));
      if (page->len < 500)
        return 0;
      offset += page->len;
    }
}

static int
cmd_library (int    argc,
             char **argv)
{
  g_autofree char *to = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to, N_("Folder to export to"), N_("DIR") },
    { "pattern", 0, 0, G_OPTION_ARG_STRING, &pattern, N_("File names from tokens, like [FIRSTNAME]-[COMPANY]"), N_("PATTERN") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Convert to png, jpeg or webp (the prompt goes along as XMP)"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("list | search QUERY | export --to DIR [--pattern PATTERN] [--format png|jpeg|webp] [ID…] | check"));
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  PxLibraryQuery query = { 0, };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc < 2)
    return px_cli_usage (context, _("library needs list, search, export or check"));

  if (g_str_equal (argv[1], "list") && argc == 2)
    {
      if ((library = px_cli_open_library ()) == NULL)
        return 1;
      return list_images (library, NULL);
    }

  if (g_str_equal (argv[1], "search") && argc == 3)
    {
      if ((library = px_cli_open_library ()) == NULL)
        return 1;
      query.search = argv[2];
      return list_images (library, &query);
    }

  if (g_str_equal (argv[1], "export") && to != NULL)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) written = NULL;

      if (g_strcmp0 (format, "jpg") == 0)
        {
          g_free (format);
          format = g_strdup ("jpeg");
        }
      if (format != NULL && !g_strv_contains ((const char * const[]) { "png", "jpeg", "webp", NULL }, format))
        return px_cli_usage (context, _("--format is png, jpeg or webp"));
      if ((library = px_cli_open_library ()) == NULL)
        return 1;
      for (int i = 2; i < argc; i++)
        {
          gint64 id;

          if (!g_ascii_string_to_signed (argv[i], 10, 1, G_MAXINT64, &id, NULL))
            return px_cli_usage (context, _("image ids are whole numbers, as “pixmerge-cli library list” shows them"));
          g_array_append_val (ids, id);
        }
      if (ids->len == 0)
        {
          guint offset = 0;

          for (;;)
            {
              g_autoptr(GPtrArray) page = px_library_list (library, NULL, offset, 500, &error);

              if (page == NULL)
                return px_cli_fail ("%s", error->message);
              for (guint i = 0; i < page->len; i++)
                g_array_append_val (ids, ((PxLibraryImage *) g_ptr_array_index (page, i))->id);
              if (page->len < 500)
                break;
              offset += page->len;
            }
        }

      written = px_library_export (library, (const gint64 *) ids->data, ids->len, to, pattern, format, &error);
      if (written == NULL)
        return px_cli_fail ("%s", error->message);
      for (guint i = 0; i < written->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (written, i));
      return 0;
    }

  if (g_str_equal (argv[1], "check") && argc == 2)
    {
      g_autoptr(GPtrArray) problems = NULL;

      if ((library = px_cli_open_library ()) == NULL)
        return 1;
      problems = px_library_check (library, &error);
      if (problems == NULL)
        return px_cli_fail ("%s", error->message);
      for (guint i = 0; i < problems->len; i++)
        g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
      if (problems->len > 0)
        return 1;
      g_print (_("The library is in order: %u images.\n"), px_library_count (library, NULL, NULL));
      return 0;
    }

  return px_cli_usage (context, _("library needs list, search QUERY, export --to DIR or check"));
}

/* ---- keys and generate ---- */

void
px_cli_on_async_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* INPUT is an image file, or the id of a library image: its bytes. */
GBytes *
px_cli_read_image (const char  *input,
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

GAsyncResult *
px_cli_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
read_key_from_stdin (void)
{
  g_autoptr(GString) key = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (key, (char) c);

  return g_strstrip (g_string_free (g_steal_pointer (&key), FALSE));
}

static int
cmd_keys (int    argc,
          char **argv)
{
  g_autoptr(PxCatalog) catalog = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const PxProviderInfo *info;

  if (argc != 3 || (!g_str_equal (argv[1], "set") && !g_str_equal (argv[1], "clear")))
    return px_cli_usage (NULL, _("usage: pixmerge-cli keys set|clear PROVIDER (the key is read from standard input)"));
  if ((catalog = px_cli_load_catalog ()) == NULL)
    return 1;

  info = px_catalog_lookup_provider (catalog, argv[2]);
  if (info == NULL)
    return px_cli_fail (_("Unknown provider “%s”; run “pixmerge-cli providers” for the list."), argv[2]);

  if (g_str_equal (argv[1], "set"))
    {
      g_autofree char *key = read_key_from_stdin ();

      if (*key == '\0')
        return px_cli_fail (_("No key on standard input."));
      px_credentials_store_async (info->id, info->name, key, NULL, px_cli_on_async_done, &result);
      memset (key, 0, strlen (key));
      if (!px_credentials_store_finish (px_cli_wait_for (&result), &error))
        return px_cli_fail ("%s", error->message);
      g_printerr (_("Saved the %s key in the keyring.\n"), info->name);
    }
  else
    {
      px_credentials_clear_async (info->id, NULL, px_cli_on_async_done, &result);
      if (!px_credentials_clear_finish (px_cli_wait_for (&result), &error))
        return px_cli_fail ("%s", error->message);
      g_printerr (_("Removed the %s key from the keyring.\n"), info->name);
    }

  return 0;
}

/* The key for scripts: the environment variable, then the keyring. */
char *
px_cli_find_key (const PxProviderInfo *info)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  px_credentials_find_async (info, NULL, px_cli_on_async_done, &result);
  key = px_credentials_find_finish (px_cli_wait_for (&result), &error);
  if (error != NULL)
    g_printerr ("pixmerge-cli: %s\n", error->message);

  return key;
}

static guint
cache_ttl_seconds (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;

  /* Without the installed schema (a build tree), use the default. */
  if (schema == NULL)
    return 15 * 60;

  settings = g_settings_new (APP_ID);
  return g_settings_get_int (settings, "cache-ttl-minutes") * 60;
}

/* An engine for one provider as the CLI runs it: the user's base URL and
 * limits, the key from the keyring or the environment (wiped from memory once
 * the engine has it), fresh model lists, and the shared response cache. */
PxEngine *
px_cli_new_engine (PxCatalog            *catalog,
                   const PxProviderInfo *info,
                   const char           *base_url,
                   guint                 concurrency,
                   guint                 rpm)
{
  g_autofree char *key = NULL;
  g_autofree char *cache_dir = NULL;
  g_autoptr(PxCache) cache = NULL;
  PxEngine *engine = px_engine_new (catalog);

  if (base_url != NULL)
    px_engine_set_base_url (engine, info->id, base_url);
  px_engine_set_limits (engine, info->id, concurrency, rpm);
  px_engine_set_refresh_model_lists (engine, TRUE);
  key = px_cli_find_key (info);
  px_engine_set_api_key (engine, info->id, key);
  if (key != NULL)
    memset (key, 0, strlen (key));
  cache_dir = g_build_filename (px_paths_get_cache_dir (), "responses", NULL);
  cache = px_cache_new (cache_dir, cache_ttl_seconds ());
  px_engine_set_cache (engine, cache);

  return engine;
}

static char *
output_name (const char *out,
             guint       index)
{
  const char *dot = strrchr (out, '.');
  const char *slash = strrchr (out, '/');

  if (index == 0)
    return g_strdup (out);
  if (dot == NULL || (slash != NULL && dot < slash))
    return g_strdup_printf ("%s-%u", out, index + 1);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - out), out, index + 1, dot);
}

static int
cmd_generate (int    argc,
              char **argv)
{
  g_autofree char *model_id = NULL, *prompt = NULL, *out = NULL, *reference = NULL, *base_url = NULL;
  g_autofree char *size = NULL, *aspect = NULL, *quality = NULL, *style = NULL, *count = NULL;
  g_auto(GStrv) token_args = NULL;
  g_auto(GStrv) set_args = NULL;
  gboolean no_cache = FALSE;
  int concurrency = 0, rpm = 0;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_id, N_("Model id, or PROVIDER/MODEL for one not in the list"), N_("ID") },
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt, N_("The prompt, with tokens like [NAME]"), N_("TEXT") },
    { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &token_args, N_("A token value (repeat for more)"), N_("NAME=VALUE") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("Image size"), N_("WxH") },
    { "aspect-ratio", 0, 0, G_OPTION_ARG_STRING, &aspect, N_("Aspect ratio"), N_("W:H") },
    { "quality", 0, 0, G_OPTION_ARG_STRING, &quality, N_("Quality"), N_("QUALITY") },
    { "style", 0, 0, G_OPTION_ARG_STRING, &style, N_("Style"), N_("STYLE") },
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count, N_("How many images"), N_("N") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &set_args, N_("Any other model setting"), N_("NAME=VALUE") },
    { "reference", 'r', 0, G_OPTION_ARG_FILENAME, &reference, N_("A reference image to edit from"), N_("FILE") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, N_("The provider's address (local servers)"), N_("URL") },
    { "no-cache", 0, 0, G_OPTION_ARG_NONE, &no_cache, N_("Ask the provider even for a request made before"), NULL },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, N_("Requests in flight at most (default: the provider's usual; up to 32)"), N_("N") },
    { "rpm", 0, 0, G_OPTION_ARG_INT, &rpm, N_("Requests a minute at most (default: as fast as the provider allows)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Where to write the image"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— generate one image"));
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = NULL;
  g_autoptr(PxEngine) engine = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(PxGenerationResult) result = NULL;
  g_autofree char *bad = NULL, *resolved = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PxGenerationRequest) request_copy = NULL;
  PxGenerationRequest *request;
  const PxModel *model;
  const PxProviderInfo *info;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (model_id == NULL || prompt == NULL || out == NULL || argc > 1)
    return px_cli_usage (context, _("generate needs --model, --prompt and -o FILE"));
  if (!px_cli_parse_tokens (token_args, tokens, &bad))
    return px_cli_usage (context, _("--token takes NAME=VALUE, with a name of letters, digits and _"));

  if ((catalog = px_cli_load_catalog ()) == NULL)
    return 1;
  model = px_catalog_lookup_model (catalog, model_id, &error);
  if (model == NULL)
    return px_cli_fail ("%s", error->message);
  info = px_catalog_lookup_provider (catalog, model->provider_id);

  resolved = px_tokens_resolve (prompt, tokens, model->max_prompt_chars, &error);
  if (resolved == NULL)
    return px_cli_fail ("%s", error->message);

  request = px_generation_request_new (model_id, resolved);
  px_generation_request_set_template (request, prompt, tokens);
  request->bypass_cache = no_cache;
  if (size) px_generation_request_set_setting (request, "size", size);
  if (aspect) px_generation_request_set_setting (request, "aspect_ratio", aspect);
  if (quality) px_generation_request_set_setting (request, "quality", quality);
  if (style) px_generation_request_set_setting (request, "style", style);
  if (count) px_generation_request_set_setting (request, "count", count);
  for (guint i = 0; set_args != NULL && set_args[i] != NULL; i++)
    {
      const char *eq = strchr (set_args[i], '=');
      g_autofree char *name = eq ? g_strndup (set_args[i], eq - set_args[i]) : NULL;

      if (name == NULL)
        {
          px_generation_request_free (request);
          return px_cli_usage (context, _("--set takes NAME=VALUE"));
        }
      px_generation_request_set_setting (request, name, eq + 1);
    }
  if (reference != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (reference, &contents, &length, &error))
        {
          px_generation_request_free (request);
          return px_cli_fail (_("Could not read the reference image: %s"), error->message);
        }
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

        /* The engine checks it is an image and finds its type. */
        px_generation_request_add_reference (request, bytes, NULL);
      }
    }

  if (concurrency < 0 || concurrency > 32 || rpm < 0)
    {
      px_generation_request_free (request);
      return px_cli_usage (context, _("--concurrency takes 1 to 32, --rpm a positive number"));
    }
  /* The library keeps what it costs; a spent budget sends nothing. */
  library = px_library_open (px_paths_get_library_dir (), &error);
  if (library == NULL)
    {
      px_generation_request_free (request);
      return px_cli_fail ("%s", error->message);
    }
  if (!px_cli_budget_allows (library, model->provider_id))
    {
      px_generation_request_free (request);
      return 3;
    }
  engine = px_cli_new_engine (catalog, info, base_url, concurrency, rpm);

  /* The engine takes the request; the library needs what it asked for. */
  request_copy = px_generation_request_new (model_id, resolved);
  px_generation_request_set_template (request_copy, prompt, tokens);

  px_engine_generate_async (engine, request, NULL, px_cli_on_async_done, &async_result);
  result = px_engine_generate_finish (engine, px_cli_wait_for (&async_result), &error);
  if (result == NULL)
    {
      double possibly_paid = px_engine_generate_get_possibly_paid (engine, async_result);

      /* A request lost after it was sent may still be charged: noted. */
      if (possibly_paid > 0)
        {
          PxUsageEvent lost = { .kind = "generation", .provider = model->provider_id, .model = model->id,
                                .feature = "generate", .possibly_paid = possibly_paid };

          px_usage_record (library, &lost, NULL);
        }
      return px_cli_fail ("%s", error->message);
    }

  for (guint i = 0; i < result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (result->images, i);
      g_autofree char *path = output_name (out, i);

      /* Written atomically: a failure leaves nothing half-written. */
      if (!g_file_set_contents (path, g_bytes_get_data (image->bytes, NULL), g_bytes_get_size (image->bytes), &error))
        {
          for (guint k = 0; k < written->len; k++)
            g_unlink (g_ptr_array_index (written, k));
          return px_cli_fail (_("Could not write the image: %s"), error->message);
        }
      g_ptr_array_add (written, g_steal_pointer (&path));
    }

  /* Every image also goes to the library, like one made in the app. */
  {
    for (guint i = 0; i < result->images->len; i++)
      if (px_library_add_generation (library, request_copy, result, i, "generate", &error) == 0)
        break;
    if (error != NULL)
      {
        for (guint i = 0; i < written->len; i++)
          g_print ("%s\n", (const char *) g_ptr_array_index (written, i));
        return px_cli_fail (_("The image was written but not added to the library: %s"), error->message);
      }
  }

  px_cli_budget_notice (library, model->provider_id);
  for (guint i = 0; i < written->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (written, i));
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u image from %s in %.1f s, $%.3f%s\n",
                           "%u images from %s in %.1f s, $%.3f%s\n", result->images->len),
              result->images->len, model->name, result->generation_ms / 1000.0, result->cost,
              result->cached ? _(" (from the cache)") : "");
  if (result->unknown_outcomes > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u request was lost after it was sent and may have been charged too (up to $%.3f).\n",
                             "%u requests were lost after they were sent and may have been charged too (up to $%.3f).\n",
                             result->unknown_outcomes), result->unknown_outcomes, result->possibly_paid);
  return 0;
}

static void
print_template (const char       *id,
                const PxTemplate *template_)
{
  g_print ("%s\t%s\t%s\n", id, *template_->category ? template_->category : _("Uncategorized"), template_->name);
}

/* Built-in presets (id "preset:NAME") and the library's templates (their
 * row id), tab-separated: id, category, name. */
static int
cmd_templates (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("list | import FILE | export FILE"));
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc < 2 || !(g_str_equal (argv[1], "list") ? argc == 2 : argc == 3))
    return px_cli_usage (context, _("templates needs list, import FILE or export FILE"));
  if ((library = px_cli_open_library ()) == NULL)
    return 1;

  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) presets = px_templates_get_presets ();

      for (guint i = 0; i < presets->len; i++)
        {
          const PxTemplate *preset = g_ptr_array_index (presets, i);
          g_autofree char *id = g_strconcat ("preset:", preset->preset_id, NULL);

          print_template (id, preset);
        }
      templates = px_library_list_templates (library, &error);
      for (guint i = 0; templates != NULL && i < templates->len; i++)
        {
          const PxTemplate *template_ = g_ptr_array_index (templates, i);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, template_->row_id);

          print_template (id, template_);
        }
    }
  else if (g_str_equal (argv[1], "import"))
    {
      if ((templates = px_templates_from_file (argv[2], &error)) != NULL)
        for (guint i = 0; i < templates->len && error == NULL; i++)
          if (px_library_save_template (library, g_ptr_array_index (templates, i), &error) != 0)
            g_print ("%" G_GINT64_FORMAT "\n", ((PxTemplate *) g_ptr_array_index (templates, i))->row_id);
    }
  else if (g_str_equal (argv[1], "export"))
    {
      templates = px_library_list_templates (library, &error);
      if (templates != NULL)
        {
          g_autofree char *json = px_templates_to_json (templates);

          g_file_set_contents_full (argv[2], json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error);
        }
    }
  else
    return px_cli_usage (context, _("templates needs list, import FILE or export FILE"));

  if (error != NULL)
    {
      g_printerr ("pixmerge-cli: %s\n", error->message);
      return 1;
    }
  return 0;
}

static const struct {
  const char *name;
  int       (*run) (int, char **);
  const char *summary;
} commands[] = {
  { "resolve", cmd_resolve, N_("Print a prompt with its tokens filled in") },
  { "csv-check", cmd_csv_check, N_("Check a CSV file for a batch") },
  { "providers", cmd_providers, N_("List providers, models and their settings") },
  { "generate", cmd_generate, N_("Generate one image") },
  { "library", cmd_library, N_("List, search, export and check the library") },
  { "batch", px_cli_cmd_batch, N_("Generate one image per CSV row, resumable") },
  { "video", px_cli_cmd_video, N_("Make a short video of an image, rendered here") },
  { "edit", px_cli_cmd_edit, N_("Edit an image with a recipe (crop, adjust, filters, text with tokens, …)") },
  { "templates", cmd_templates, N_("List, import and export templates and presets") },
  { "models", cmd_models, N_("Add a model id the list does not know yet") },
  { "keys", cmd_keys, N_("Save or remove a provider's API key in the keyring") },
  { "compare", px_cli_cmd_compare, N_("One prompt, several models, several token rows: a labelled grid") },
  { "usage", px_cli_cmd_usage, N_("What was spent, by day, model, provider, feature, …") },
  { "budget", px_cli_cmd_budget, N_("Show or set the monthly budgets") },
};

static int
print_help (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: pixmerge-cli COMMAND [OPTION…]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s  %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “pixmerge-cli COMMAND --help” for a command's options."));
  return stream == stdout ? 0 : EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  px_paths_init_i18n ();

  if (argc < 2)
    return print_help (stderr);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    return print_help (stdout);
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("pixmerge-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("pixmerge-cli: unknown command “%s”\n", argv[1]);
  return print_help (stderr);
}
