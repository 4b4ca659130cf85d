/* pixmerge-cli-edit.c: pixmerge-cli edit — an edit recipe applied to an
 * image file or a library image, here, with [TOKENS] from --token; and
 * batch edit, the recipe over every image of a batch, each row's own
 * tokens filling its text, kept as new images linked to their parents. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <errno.h>
#include <unistd.h>

#include "pixmerge-cli.h"
#include "px-edit-batch.h"

int
px_cli_cmd_edit (int    argc,
                 char **argv)
{
  g_autofree char *recipe_path = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) token_args = NULL;
  const GOptionEntry entries[] = {
    { "recipe", 0, 0, G_OPTION_ARG_FILENAME, &recipe_path, N_("The edit recipe (JSON)"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PNG to write"), N_("FILE") },
    { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &token_args, N_("A token value for the recipe's text (repeat "
                                                                   "for more)"), N_("NAME=VALUE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("INPUT — an image file or library image id, edited "
                                                              "by a recipe"));
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxRecipe) recipe = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *bad = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc != 2 || recipe_path == NULL || output == NULL)
    return px_cli_usage (context, _("edit needs one INPUT, --recipe FILE and -o FILE"));
  if (!px_cli_parse_tokens (token_args, tokens, &bad))
    return px_cli_usage (context, _("--token takes NAME=VALUE, with a name of letters, digits and _"));
  if ((recipe = px_recipe_new_from_file (recipe_path, &error)) == NULL)
    return px_cli_fail ("%s: %s", recipe_path, error->message);
  if ((image = px_cli_read_image (argv[1], &error)) == NULL)
    return px_cli_fail ("%s: %s", argv[1], error->message);
  if ((png = px_recipe_render_png (recipe, image, tokens, 0, &error)) == NULL)
    return px_cli_fail ("%s", error->message);
  if (!g_file_set_contents (output, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error))
    return px_cli_fail ("%s", error->message);
  g_print ("%s\n", output);
  return 0;
}

static guint edited;

static void
on_edited (guint     done,
           guint     total,
           gint64    edit_id,
           gpointer  user_data)
{
  gboolean *quiet = user_data;

  edited = done;
  g_print ("%" G_GINT64_FORMAT "\n", edit_id);
  if (!*quiet && isatty (STDERR_FILENO))
    g_printerr (_("Image %u of %u\n"), done, total);
}

/* pixmerge-cli batch edit ID --recipe FILE: each image of the batch (not
 * the edits already made of it) edited with its own row's tokens, kept as
 * a new image of the batch linked to it. One id printed per edit; memory
 * does not grow with the rows. */
int
px_cli_cmd_batch_edit (int    argc,
                       char **argv)
{
  g_autofree char *recipe_path = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "recipe", 0, 0, G_OPTION_ARG_FILENAME, &recipe_path, N_("The edit recipe (JSON)"), N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("No progress on stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID --recipe FILE — every image of a batch edited"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PxRecipe) recipe = NULL;
  g_autoptr(PxLibrary) library = NULL;
  guint64 id;
  guint made, skipped = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc != 2 || recipe_path == NULL || !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return px_cli_usage (context, _("batch edit needs a batch ID and --recipe FILE"));
  if ((recipe = px_recipe_new_from_file (recipe_path, &error)) == NULL)
    return px_cli_fail ("%s: %s", recipe_path, error->message);
  if ((library = px_cli_open_library ()) == NULL)
    return 1;

  if (!px_edit_batch_run (library, (gint64) id, recipe, 0, on_edited, &quiet, NULL, &skipped, &error))
    return px_cli_fail ("%s", error->message);
  made = edited;
  if (made == 0 && skipped == 0)
    return px_cli_fail (_("Batch %" PRIu64 " has no images yet."), id);
  if (!quiet)
    g_printerr (_("Edited: %u; already had this edit: %u.\n"), made, skipped);
  return 0;
}
