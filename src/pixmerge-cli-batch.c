/* pixmerge-cli-batch.c: `pixmerge-cli batch`: a CSV file into a batch in
 * the library, run (or resumed) with progress on stderr, its status, and
 * its results as CSV. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "px-batch.h"
#include "px-cache.h"
#include "px-csv.h"
#include "px-engine.h"
#include "px-model-list.h"
#include "px-paths.h"
#include "px-provider.h"
#include "px-provider-batch.h"
#include "px-tokens.h"
#include "pixmerge-cli.h"

/* ---- batch ---- */

static PxEngine *
engine_for (PxCatalog  *catalog,
            const char *model_id,
            const char *base_url,
            guint       concurrency,
            guint       rpm,
            GError    **error)
{
  const PxModel *model = px_catalog_lookup_model (catalog, model_id, error);
  const PxProviderInfo *info;

  if (model == NULL)
    return NULL;
  info = px_catalog_lookup_provider (catalog, model->provider_id);
  /* The batch's concurrency is what it keeps in flight: the provider's
   * limit follows it, even above the catalog's usual (the provider's own
   * rate limits pace it from the first answer on). */
  return px_cli_new_engine (catalog, info, base_url, concurrency, rpm);
}

static void
on_batch_progress (PxBatchRunner *runner)
{
  const PxBatchJob *job = px_batch_runner_get_job (runner);

  g_printerr (_("%u of %u done: %u completed, %u failed, $%.2f\n"), job->completed + job->failed + job->cancelled,
              job->total, job->completed, job->failed, job->cost);
}

static int
run_batch (gint64      id,
           PxCatalog  *catalog,
           const char *base_url,
           guint       rpm)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_cli_open_library ();
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(PxEngine) engine = NULL;
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  if (library == NULL)
    return 1;
  if ((job = px_batch_get (library, id, &error)) == NULL)
    return px_cli_fail ("%s", error->message);
  if ((engine = engine_for (catalog, job->model_id, base_url, job->concurrency, rpm, &error)) == NULL ||
      (runner = px_batch_runner_new (engine, px_paths_get_library_dir (), id, &error)) == NULL)
    return px_cli_fail ("%s", error->message);

  g_signal_connect (runner, "progress", G_CALLBACK (on_batch_progress), NULL);
  px_batch_runner_run_async (runner, NULL, px_cli_on_async_done, &result);
  ok = px_batch_runner_run_finish (runner, px_cli_wait_for (&result), &error);
  job = (px_batch_job_free (job), px_batch_get (library, id, NULL));
  if (job != NULL && job->possibly_paid > 0)
    g_printerr (_("Requests lost after they were sent may have been charged too: up to $%.2f on top of $%.2f.\n"),
                job->possibly_paid, job->cost);
  if (!ok && g_error_matches (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED))
    return px_cli_fail (_("%s\nFix it, then go on with “pixmerge-cli batch resume %" PRId64 "”."), error->message, id);
  if (!ok)
    return px_cli_fail ("%s", error->message);
  if (job != NULL && job->failed > 0)
    return px_cli_fail (g_dngettext (GETTEXT_PACKAGE, "The batch ended with %u failed item; see “batch export”.",
                              "The batch ended with %u failed items; see “batch export”.", job->failed), job->failed);
  return 0;
}

static gboolean
is_provider_batch (PxLibrary *library,
                   gint64     id)
{
  g_autoptr(PxBatchJob) job = px_batch_get (library, id, NULL);

  return job != NULL && job->provider_batch;
}

static char **
read_csv (const char  *path,
          char      ***columns,
          GPtrArray   *rows,
          GError     **error)
{
  g_autoptr(PxCsvReader) reader = px_csv_reader_new_for_path (path, error);
  char **row;

  if (reader == NULL || !px_csv_reader_read_header (reader, NULL, error))
    return NULL;
  *columns = g_strdupv ((char **) px_csv_reader_get_columns (reader));
  while ((row = px_csv_reader_next_row (reader, NULL, error)) != NULL)
    g_ptr_array_add (rows, row);
  if (error != NULL && *error != NULL)
    {
      g_clear_pointer (columns, g_strfreev);
      return NULL;
    }
  return *columns;
}

/* batch run prints "batch: ID" first, progress on stderr, and returns when
 * the batch ends; resume picks one up after a crash or a stop. */
int
px_cli_cmd_batch (int    argc,
                  char **argv)
{
  g_autofree char *csv = NULL, *prompt = NULL, *model_id = NULL, *base_url = NULL, *out = NULL;
  g_autofree char *images_dir = NULL, *pattern = NULL;
  g_auto(GStrv) token_args = NULL;
  g_auto(GStrv) set_args = NULL;
  int concurrency = 0, rpm = 0;
  double budget = 0, poll = 0;
  gboolean provider_batch = FALSE;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Rows of token values; the header names the tokens"), N_("FILE") },
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt, N_("The prompt template, with tokens like [NAME]"), N_("TEXT") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_id, N_("Model id"), N_("ID") },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency, N_("Requests in flight (default 4, up to 32; the provider's rate limits pace them)"), N_("N") },
    { "rpm", 0, 0, G_OPTION_ARG_INT, &rpm, N_("Requests a minute at most (default: as fast as the provider allows)"), N_("N") },
    { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &token_args, N_("A value for every row (rows override it)"), N_("NAME=VALUE") },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &set_args, N_("A model setting"), N_("NAME=VALUE") },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &budget, N_("Spend cap in dollars: not started above it, paused at it"), N_("DOLLARS") },
    { "provider-batch", 0, 0, G_OPTION_ARG_NONE, &provider_batch, N_("Run on the provider's batch engine: half "
      "price, results within 24 hours (Gemini and OpenAI image models)"), NULL },
    { "poll", 0, 0, G_OPTION_ARG_DOUBLE, &poll, N_("A provider batch: seconds before the first look at it (default "
      "10, then doubling up to 5 minutes)"), N_("SECONDS") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, N_("The provider's address (local servers)"), N_("URL") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Where export writes the results CSV"), N_("FILE") },
    { "images", 0, 0, G_OPTION_ARG_FILENAME, &images_dir, N_("export: also copy the images into this folder"), N_("DIR") },
    { "pattern", 0, 0, G_OPTION_ARG_STRING, &pattern, N_("export: image file names from tokens, like [NAME]-[ID]"), N_("PATTERN") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("run --csv FILE --prompt TEXT --model ID | resume ID | "
                                                              "status ID | cancel ID | export ID -o FILE | video ID -o DIR | "
                                                              "edit ID --recipe FILE | list"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autofree char *bad = NULL;

  /* batch video has the video command's options. */
  if (argc >= 2 && g_str_equal (argv[1], "video"))
    return px_cli_cmd_batch_video (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "edit"))
    return px_cli_cmd_batch_edit (argc - 1, argv + 1);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc < 2)
    return px_cli_usage (context, _("batch needs run, resume, status, cancel, export, video, edit or list"));
  if (concurrency < 0 || concurrency > 32 || rpm < 0)
    return px_cli_usage (context, _("--concurrency takes 1 to 32, --rpm a positive number"));
  if (poll < 0 || poll > 86400)
    return px_cli_usage (context, _("--poll takes seconds, up to a day"));

  if (g_str_equal (argv[1], "run") && argc == 2)
    {
      g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_auto(GStrv) columns = NULL;
      PxBatchSpec spec = { 0, };
      gint64 id;

      if (csv == NULL || prompt == NULL || model_id == NULL)
        return px_cli_usage (context, _("batch run needs --csv, --prompt and --model"));
      if (!px_cli_parse_tokens (token_args, tokens, &bad))
        return px_cli_usage (context, _("--token takes NAME=VALUE, with a name of letters, digits and _"));
      for (guint i = 0; set_args != NULL && set_args[i] != NULL; i++)
        {
          const char *eq = strchr (set_args[i], '=');

          if (eq == NULL)
            return px_cli_usage (context, _("--set takes NAME=VALUE"));
          g_hash_table_insert (settings, g_strndup (set_args[i], eq - set_args[i]), g_strdup (eq + 1));
        }
      if ((catalog = px_cli_load_catalog ()) == NULL || (library = px_cli_open_library ()) == NULL)
        return 1;
      if (px_catalog_lookup_model (catalog, model_id, &error) == NULL)
        return px_cli_fail ("%s", error->message);
      /* A new batch does not start on a model that is gone. */
      {
        const PxModel *model = px_catalog_lookup_model (catalog, model_id, NULL);
        g_autofree char *alternatives = model->retired ? px_catalog_describe_alternatives (catalog, model) : NULL;

        if (model->retired != NULL)
          return px_cli_fail (_("%s (%s) has been retired by its provider (%s). Choose another model: %s."),
                       model->name, model->id, model->retired, alternatives ? alternatives : _("none known"));
      }
      if (provider_batch && !px_provider_batch_supports (catalog, model_id))
        return px_cli_fail (_("%s cannot run on a provider’s batch engine; only the Gemini API’s and OpenAI’s image models can."),
                            model_id);
      if (read_csv (csv, &columns, rows, &error) == NULL)
        return px_cli_fail ("%s", error->message);

      spec.template_prompt = prompt;
      spec.model_id = model_id;
      spec.settings = settings;
      spec.tokens = tokens;
      spec.columns = (const char * const *) columns;
      spec.rows = rows;
      spec.concurrency = MAX (0, concurrency);
      spec.budget = budget;
      spec.provider_batch = provider_batch;
      if ((id = px_batch_create (library, &spec, &error)) == 0)
        return px_cli_fail ("%s", error->message);
      g_print ("batch: %" G_GINT64_FORMAT "\n", id);
      fflush (stdout);
      if (provider_batch)
        return px_cli_run_provider_batch (id, catalog, base_url, poll);
      return run_batch (id, catalog, base_url, rpm);
    }

  if (g_str_equal (argv[1], "resume") && argc == 3)
    {
      gint64 id = g_ascii_strtoll (argv[2], NULL, 10);

      if ((catalog = px_cli_load_catalog ()) == NULL || (library = px_cli_open_library ()) == NULL)
        return 1;
      /* --model replaces a model the provider retired; --concurrency
       * changes what the batch keeps in flight from now on. */
      if (model_id != NULL && px_catalog_lookup_model (catalog, model_id, &error) == NULL)
        return px_cli_fail ("%s", error->message);
      if ((model_id != NULL || concurrency > 0) && !px_batch_update (library, id, model_id, concurrency, &error))
        return px_cli_fail ("%s", error->message);
      if (is_provider_batch (library, id))
        return px_cli_run_provider_batch (id, catalog, base_url, poll);
      return run_batch (id, catalog, base_url, rpm);
    }

  if (g_str_equal (argv[1], "cancel") && argc == 3)
    {
      gint64 id = g_ascii_strtoll (argv[2], NULL, 10);

      if ((catalog = px_cli_load_catalog ()) == NULL || (library = px_cli_open_library ()) == NULL)
        return 1;
      if (!is_provider_batch (library, id))
        return px_cli_fail (_("Batch %" PRId64 " runs on this computer: stop its “batch run” or “batch resume” to "
                              "stop it."), id);
      return px_cli_cancel_provider_batch (id, catalog, base_url, poll);
    }

  if ((g_str_equal (argv[1], "status") && argc == 3) || (g_str_equal (argv[1], "export") && argc == 3))
    {
      g_autoptr(PxBatchJob) job = NULL;
      gint64 id = g_ascii_strtoll (argv[2], NULL, 10);

      if ((library = px_cli_open_library ()) == NULL)
        return 1;
      if (g_str_equal (argv[1], "export"))
        {
          if (out == NULL)
            return px_cli_usage (context, _("batch export needs -o FILE"));
          if (!px_batch_export_csv (library, id, out, &error))
            return px_cli_fail ("%s", error->message);
          /* The images too, named from their tokens: all or nothing. */
          if (images_dir != NULL)
            {
              PxLibraryQuery query = { .batch_id = id, .sort = PX_LIBRARY_SORT_OLDEST };
              guint n = px_library_count (library, &query, &error);
              g_autoptr(GPtrArray) images = n ? px_library_list (library, &query, 0, n, &error) : NULL;
              g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
              g_autoptr(GPtrArray) written = NULL;

              for (guint i = 0; images != NULL && i < images->len; i++)
                g_array_append_val (ids, ((PxLibraryImage *) g_ptr_array_index (images, i))->id);
              if (error == NULL && g_mkdir_with_parents (images_dir, 0755) == 0)
                written = px_library_export (library, (gint64 *) ids->data, ids->len, images_dir,
                                             pattern ? pattern : "[ID]", NULL, &error);
              if (written == NULL)
                return px_cli_fail ("%s", error ? error->message : g_strerror (errno));
              for (guint i = 0; i < written->len; i++)
                g_print ("%s\n", (const char *) g_ptr_array_index (written, i));
            }
          return 0;
        }
      /* A provider batch is asked first: what is ready is stored. */
      if (is_provider_batch (library, id))
        {
          if ((catalog = px_cli_load_catalog ()) == NULL)
            return 1;
          px_cli_poll_provider_batch (id, catalog, base_url);
        }
      if ((job = px_batch_get (library, id, &error)) == NULL)
        return px_cli_fail ("%s", error->message);
      g_print ("status: %s\ncompleted: %u\nfailed: %u\npending: %u\ncancelled: %u\ntotal: %u\ncost: %.4f\n",
               job->status, job->completed, job->failed, job->pending, job->cancelled, job->total, job->cost);
      if (job->provider_batch)
        g_print ("engine: provider batch\n");
      if (job->possibly_paid > 0)
        g_print ("possibly charged: %.4f\n", job->possibly_paid);
      if (job->reason != NULL)
        g_print ("reason: %s\n", job->reason);
      return 0;
    }

  if (g_str_equal (argv[1], "list") && argc == 2)
    {
      g_autoptr(GPtrArray) jobs = NULL;

      if ((library = px_cli_open_library ()) == NULL)
        return 1;
      if ((jobs = px_batch_list (library, &error)) == NULL)
        return px_cli_fail ("%s", error->message);
      for (guint i = 0; i < jobs->len; i++)
        {
          PxBatchJob *job = g_ptr_array_index (jobs, i);

          g_print ("%" G_GINT64_FORMAT "\t%s\t%u/%u\t%s\t%s\n", job->id, job->status, job->completed, job->total,
                   job->model_id, job->template_prompt);
        }
      return 0;
    }

  return px_cli_usage (context, _("batch needs run, resume, status, cancel, export, video, edit or list"));
}
