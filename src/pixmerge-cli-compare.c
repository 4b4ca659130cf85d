/* pixmerge-cli-compare.c: pixmerge-cli compare — one prompt sent to two to
 * six models for each of up to ten token rows (a CSV, or --token values for
 * one row), all at once within each provider's limits; every image kept in
 * the library like one made on the Compare page; the grid written as one
 * labelled PNG and its numbers as CSV. Nothing is sent if a row's prompt
 * cannot be filled or the month's budget is spent. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pixmerge-cli.h"
#include "px-compare-grid.h"
#include "px-csv.h"
#include "px-tokens.h"
#include "px-usage.h"

typedef struct {
  guint                row;
  guint                model;
  PxGenerationRequest *request;   /* what was asked, for the library */
  PxGenerationResult  *result;
  GError              *error;
  gboolean             done;
} Cell;

static void
cell_free (Cell *cell)
{
  g_clear_pointer (&cell->request, px_generation_request_free);
  g_clear_pointer (&cell->result, px_generation_result_free);
  g_clear_error (&cell->error);
  g_free (cell);
}

static guint pending;

static void
on_generated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cell *cell = user_data;

  cell->result = px_engine_generate_finish (PX_ENGINE (source), result, &cell->error);
  cell->done = TRUE;
  pending--;
}

/* The CSV's rows as token tables (at most the grid's ten). */
static GPtrArray *
read_rows (const char  *path,
           GHashTable  *globals,
           GError     **error)
{
  g_autoptr(PxCsvReader) reader = px_csv_reader_new_for_path (path, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  const char * const *columns;
  char **fields;

  if (reader == NULL || !px_csv_reader_read_header (reader, NULL, error))
    return NULL;
  columns = px_csv_reader_get_columns (reader);
  while ((fields = px_csv_reader_next_row (reader, NULL, error)) != NULL)
    {
      GHashTable *tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer name, value;

      if (rows->len == PX_COMPARE_GRID_MAX_ROWS)
        {
          g_strfreev (fields);
          g_hash_table_unref (tokens);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s has more than %d rows; a comparison grid takes up to %d."), path,
                       PX_COMPARE_GRID_MAX_ROWS, PX_COMPARE_GRID_MAX_ROWS);
          return NULL;
        }
      g_hash_table_iter_init (&iter, globals);
      while (g_hash_table_iter_next (&iter, &name, &value))
        g_hash_table_insert (tokens, g_strdup (name), g_strdup (value));
      for (guint i = 0; columns[i] != NULL && fields[i] != NULL; i++)
        if (*fields[i] != '\0')
          g_hash_table_insert (tokens, g_strdup (columns[i]), g_strdup (fields[i]));
      g_ptr_array_add (rows, tokens);
      g_strfreev (fields);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("%s has no rows."), path);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

int
px_cli_cmd_compare (int    argc,
                    char **argv)
{
  g_autofree char *prompt = NULL, *models_text = NULL, *csv_path = NULL, *out = NULL, *csv_out = NULL;
  g_autofree char *base_url = NULL;
  g_auto(GStrv) token_args = NULL;
  gboolean blind = FALSE;
  int cell_size = 256;
  const GOptionEntry entries[] = {
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt, N_("The prompt, with tokens like [NAME]"), N_("TEXT") },
    { "models", 'm', 0, G_OPTION_ARG_STRING, &models_text, N_("Two to six model ids, separated by commas"),
      N_("A,B,…") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("Up to ten rows of token values, one grid row each"),
      N_("FILE") },
    { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &token_args, N_("A token value for every row (repeat for more)"),
      N_("NAME=VALUE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("The grid as a PNG"), N_("FILE") },
    { "csv-out", 0, 0, G_OPTION_ARG_FILENAME, &csv_out, N_("The grid's numbers as CSV"), N_("FILE") },
    { "blind", 0, 0, G_OPTION_ARG_NONE, &blind, N_("Hide the models' names and shuffle the columns (the key goes to "
                                                   "stderr)"), NULL },
    { "cell-size", 0, 0, G_OPTION_ARG_INT, &cell_size, N_("Pixels per image in the grid (default 256)"), N_("N") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, N_("The provider's address (local servers)"), N_("URL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— one prompt, several models, several token rows"));
  g_autoptr(GHashTable) globals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = NULL;
  g_autoptr(PxEngine) engine = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
  g_autoptr(GPtrArray) prompts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PxCompareGrid) grid = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *bad = NULL;
  g_auto(GStrv) models = NULL;
  g_autoptr(GPtrArray) infos = g_ptr_array_new ();
  guint n_models, failed = 0;
  double cost = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (prompt == NULL || models_text == NULL || out == NULL || argc > 1)
    return px_cli_usage (context, _("compare needs --prompt, --models A,B and -o GRID.png"));
  if (!px_cli_parse_tokens (token_args, globals, &bad))
    return px_cli_usage (context, _("--token takes NAME=VALUE, with a name of letters, digits and _"));
  models = g_strsplit (models_text, ",", -1);
  n_models = g_strv_length (models);
  if (n_models < 2 || n_models > PX_COMPARE_GRID_MAX_MODELS)
    return px_cli_usage (context, _("--models takes two to six model ids"));
  if (cell_size < 32 || cell_size > 1024)
    return px_cli_usage (context, _("--cell-size takes 32 to 1024"));

  if (csv_path != NULL)
    {
      rows = read_rows (csv_path, globals, &error);
      if (rows == NULL)
        return px_cli_fail ("%s", error->message);
    }
  else
    {
      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
      g_ptr_array_add (rows, g_hash_table_ref (globals));
    }

  if ((catalog = px_cli_load_catalog ()) == NULL)
    return 1;
  for (guint m = 0; m < n_models; m++)
    {
      const PxModel *model = px_catalog_lookup_model (catalog, g_strstrip (models[m]), &error);

      if (model == NULL)
        return px_cli_fail ("%s", error->message);
      g_ptr_array_add (infos, (gpointer) px_catalog_lookup_provider (catalog, model->provider_id));
    }
  /* Every row's prompt first: a row that cannot be filled sends nothing. */
  for (guint r = 0; r < rows->len; r++)
    {
      char *resolved = px_tokens_resolve (prompt, g_ptr_array_index (rows, r), 0, &error);

      if (resolved == NULL)
        return px_cli_fail (_("Row %u: %s"), r + 1, error->message);
      g_ptr_array_add (prompts, resolved);
    }

  library = px_cli_open_library ();
  if (library == NULL)
    return 1;
  if (!px_cli_budget_allows (library, NULL))
    return 3;
  engine = px_cli_new_engine (catalog, g_ptr_array_index (infos, 0), base_url, 0, 0);
  for (guint m = 1; m < n_models; m++)
    {
      const PxProviderInfo *info = g_ptr_array_index (infos, m);
      g_autofree char *key = px_engine_has_api_key (engine, info->id) ? NULL : px_cli_find_key (info);

      if (key != NULL)
        {
          px_engine_set_api_key (engine, info->id, key);
          memset (key, 0, strlen (key));
        }
    }

  grid = px_compare_grid_new ((const char * const *) models, rows);
  for (guint r = 0; r < rows->len; r++)
    for (guint m = 0; m < n_models; m++)
      {
        Cell *cell = g_new0 (Cell, 1);
        PxGenerationRequest *request = px_generation_request_new (models[m], g_ptr_array_index (prompts, r));

        px_generation_request_set_template (request, prompt, g_ptr_array_index (rows, r));
        cell->row = r;
        cell->model = m;
        cell->request = px_generation_request_new (models[m], g_ptr_array_index (prompts, r));
        px_generation_request_set_template (cell->request, prompt, g_ptr_array_index (rows, r));
        g_ptr_array_add (cells, cell);
        pending++;
        px_engine_generate_async (engine, request, NULL, on_generated, cell);
      }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < cells->len; i++)
    {
      Cell *cell = g_ptr_array_index (cells, i);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (cell->result == NULL)
        {
          px_compare_grid_set_result (grid, cell->row, cell->model, NULL, 0, 0, cell->error->message);
          failed++;
          continue;
        }
      cost += cell->result->cost;
      px_compare_grid_set_result (grid, cell->row, cell->model,
                                  ((PxImage *) g_ptr_array_index (cell->result->images, 0))->bytes,
                                  cell->result->generation_ms, cell->result->cost, NULL);
      /* Paid for: kept in the library even if the grid cannot be written. */
      if (!px_library_keep_result (library, cell->request, cell->result, "compare", NULL, NULL, ids, NULL, &error))
        {
          g_printerr ("pixmerge-cli: %s\n", error->message);
          g_clear_error (&error);
        }
    }
  px_cli_budget_notice (library, NULL);

  if (blind)
    {
      px_compare_grid_shuffle (grid, g_random_int ());
      px_compare_grid_set_blind (grid, TRUE);
      for (guint c = 0; c < n_models; c++)
        for (guint m = 0; m < n_models; m++)
          if (px_compare_grid_column_of (grid, m) == c)
            /* Translators: the key of a blind grid: "Model A is gpt-image-2". */
            g_printerr (_("Model %c is %s\n"), 'A' + (int) c, models[m]);
    }
  png = px_compare_grid_render_png (grid, cell_size, &error);
  if (png == NULL || !g_file_set_contents (out, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error))
    return px_cli_fail ("%s", error->message);
  if (csv_out != NULL)
    {
      g_autofree char *csv = px_compare_grid_to_csv (grid);

      if (!g_file_set_contents (csv_out, csv, -1, &error))
        return px_cli_fail ("%s", error->message);
    }
  g_print ("%s\n", out);
  g_printerr (_("%u × %u grid, %u failed, $%.3f\n"), rows->len, n_models, failed, cost);
  return failed == cells->len ? 1 : 0;
}
