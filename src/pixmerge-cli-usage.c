/* pixmerge-cli-usage.c: pixmerge-cli usage — what was spent, in total or
 * by day, week, month, model, provider, feature, kind or batch, over a
 * date range, as a table or formula-safe CSV; and pixmerge-cli budget —
 * the monthly budgets, shown or set. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <stdio.h>

#include "pixmerge-cli.h"
#include "px-usage.h"

int
px_cli_cmd_usage (int    argc,
                  char **argv)
{
  g_autofree char *since_text = NULL, *until_text = NULL, *by_text = NULL;
  gboolean csv = FALSE;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("From this day on (local time)"), N_("YYYY-MM-DD") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text, N_("Up to and including this day"), N_("YYYY-MM-DD") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text, N_("One line per day, week, month, model, provider, feature, kind or "
                                                    "batch"), N_("GROUP") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Write CSV (safe to open in a spreadsheet)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— what Pixmerge spent, from the library"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 since = 0, until = 0;
  PxUsageGroup by = PX_USAGE_BY_DAY;
  PxUsageRow totals;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc > 1)
    return px_cli_usage (context, _("usage takes no arguments"));
  if (by_text != NULL && !px_usage_group_from_string (by_text, &by))
    return px_cli_usage (context, _("--by takes day, week, month, model, provider, feature, kind or batch"));
  if (since_text != NULL && (since = px_usage_parse_date (since_text, FALSE, &error)) < 0)
    return px_cli_usage (context, error->message);
  if (until_text != NULL && (until = px_usage_parse_date (until_text, TRUE, &error)) < 0)
    return px_cli_usage (context, error->message);
  if ((library = px_cli_open_library ()) == NULL)
    return 1;

  if (by_text == NULL && !csv)
    {
      if (!px_usage_totals (library, since, until, &totals, &error))
        return px_cli_fail ("%s", error->message);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " image, $%.2f", "%" PRIu64 " images, $%.2f",
                            totals.images), totals.images, totals.cost);
      if (totals.possibly_paid > 0)
        g_print (_(" (and up to $%.2f for requests lost after they were sent)"), totals.possibly_paid);
      g_print ("\n");
      return 0;
    }
  rows = px_usage_breakdown (library, since, until, by, &error);
  if (rows == NULL)
    return px_cli_fail ("%s", error->message);
  if (csv)
    {
      g_autofree char *text = px_usage_to_csv (rows, by);

      fputs (text, stdout);
      return 0;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (rows, i);

      g_print ("%-24s %8" G_GUINT64_FORMAT " %10.2f\n", *row->key ? row->key : "—", row->images, row->cost);
    }
  return 0;
}

int
px_cli_cmd_budget (int    argc,
                   char **argv)
{
  double monthly = -1;
  g_autofree char *provider = NULL;
  const GOptionEntry entries[] = {
    { "monthly", 0, 0, G_OPTION_ARG_DOUBLE, &monthly, N_("With set: the monthly budget in dollars (0 removes it)"),
      N_("DOLLARS") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider, N_("With set: one provider's budget (default: all together)"),
      N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("show | set — the monthly budgets"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GPtrArray) budgets = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return px_cli_usage (context, error->message);
  if (argc != 2 || (!g_str_equal (argv[1], "show") && !g_str_equal (argv[1], "set")))
    return px_cli_usage (context, _("budget takes show, or set --monthly DOLLARS [--provider ID]"));
  if (g_str_equal (argv[1], "set") && monthly < 0)
    return px_cli_usage (context, _("budget set needs --monthly DOLLARS"));
  if ((library = px_cli_open_library ()) == NULL)
    return 1;
  if (g_str_equal (argv[1], "set") && !px_budget_set (library, provider, monthly, &error))
    return px_cli_fail ("%s", error->message);

  budgets = px_budget_list (library, 0, &error);
  if (budgets == NULL)
    return px_cli_fail ("%s", error->message);
  if (budgets->len == 0)
    g_print ("%s\n", _("No budget: paid work is not limited."));
  for (guint i = 0; i < budgets->len; i++)
    {
      PxBudget *budget = g_ptr_array_index (budgets, i);

      /* Translators: who the budget is for, then what was spent this month of how much. */
      g_print (_("%-12s $%.2f of $%.2f this month (%.0f%%)\n"), *budget->provider ? budget->provider : _("all"),
               budget->spent, budget->monthly, 100 * budget->spent / budget->monthly);
    }
  return 0;
}

/* Whether paid work for @provider may start; when not, why, on stderr. */
gboolean
px_cli_budget_allows (PxLibrary  *library,
                      const char *provider)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (px_budget_allows (library, provider, 0, &reason, &error))
    return TRUE;
  g_printerr ("pixmerge-cli: %s\n", error ? error->message : reason);
  return FALSE;
}

/* The 80 % and 100 % notices, once a month, on stderr. */
void
px_cli_budget_notice (PxLibrary  *library,
                      const char *provider)
{
  g_autofree char *message = NULL;

  if (px_budget_take_notice (library, provider, 0, &message, NULL) > 0)
    g_printerr ("pixmerge-cli: %s\n", message);
}
