/* px-usage-report.c: the Analytics page's data. Days without events are
 * filled in so a chart of the range has a bar (of nothing) for each; a
 * range that is open at the start begins with the first event. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "px-batch.h"
#include "px-usage-report.h"

static void
usage_batch_free (PxUsageBatch *batch)
{
  g_free (batch->prompt);
  g_free (batch->model);
  g_free (batch);
}

void
px_usage_report_free (PxUsageReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->days, g_ptr_array_unref);
  g_clear_pointer (&report->models, g_ptr_array_unref);
  g_clear_pointer (&report->features, g_ptr_array_unref);
  g_clear_pointer (&report->batches, g_ptr_array_unref);
  g_clear_pointer (&report->wins, g_ptr_array_unref);
  g_clear_pointer (&report->budgets, g_ptr_array_unref);
  g_free (report);
}

static char *
day_key (GDateTime *day)
{
  return g_date_time_format (day, "%Y-%m-%d");
}

/* Every day from the first to the last (local), with the rows that exist. */
static GPtrArray *
fill_days (GPtrArray *rows,
           gint64     since,
           gint64     until)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *days = g_ptr_array_new_with_free_func ((GDestroyNotify) px_usage_row_free);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) last = NULL;
  guint guard = 0;

  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (by_key, ((PxUsageRow *) g_ptr_array_index (rows, i))->key, g_ptr_array_index (rows, i));
  if (since <= 0 && rows->len == 0)
    return days;
  if (since <= 0)
    {
      int y, m, d;

      sscanf (((PxUsageRow *) g_ptr_array_index (rows, 0))->key, "%d-%d-%d", &y, &m, &d);
      day = g_date_time_new_local (y, m, d, 12, 0, 0);
    }
  else
    day = g_date_time_new_from_unix_local (since + 12 * 3600);
  last = g_date_time_new_from_unix_local ((until > 0 ? until : g_get_real_time () / G_USEC_PER_SEC) - 1);
  /* Noon, so a daylight-saving change never skips or repeats a day. */
  while (guard++ < 10000)
    {
      g_autofree char *key = day_key (day);
      g_autofree char *last_key = day_key (last);
      PxUsageRow *found = g_hash_table_lookup (by_key, key);
      PxUsageRow *row = g_new0 (PxUsageRow, 1);
      GDateTime *next;

      if (found != NULL)
        *row = *found;
      row->key = g_strdup (key);
      g_ptr_array_add (days, row);
      if (g_strcmp0 (key, last_key) >= 0)
        break;
      next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }
  return days;
}

/* The five batches that cost most in the range, with their prompt. */
static GPtrArray *
top_batches (PxLibrary  *library,
             gint64      since,
             gint64      until,
             GError    **error)
{
  g_autoptr(GPtrArray) rows = px_usage_breakdown (library, since, until, PX_USAGE_BY_BATCH, error);
  GPtrArray *batches;

  if (rows == NULL)
    return NULL;
  batches = g_ptr_array_new_with_free_func ((GDestroyNotify) usage_batch_free);
  for (guint i = 0; i < rows->len && batches->len < 5; i++)
    {
      PxUsageRow *row = g_ptr_array_index (rows, i);
      gint64 id = g_ascii_strtoll (row->key, NULL, 10);
      g_autoptr(PxBatchJob) job = id > 0 ? px_batch_get (library, id, NULL) : NULL;
      PxUsageBatch *batch;

      if (id <= 0 || row->cost <= 0)
        continue;
      batch = g_new0 (PxUsageBatch, 1);
      batch->id = id;
      batch->prompt = g_strdup (job ? job->template_prompt : _("(deleted)"));
      batch->model = g_strdup (job ? job->model_id : "");
      batch->images = row->images;
      batch->cost = row->cost;
      g_ptr_array_add (batches, batch);
    }
  return batches;
}

/* The page's data for [@since, @until) (0: open), this month counted from
 * @now (0: the clock). Reads only: for a worker thread. */
PxUsageReport *
px_usage_report_read (PxLibrary  *library,
                      gint64      since,
                      gint64      until,
                      gint64      now,
                      GError    **error)
{
  g_autoptr(PxUsageReport) report = g_new0 (PxUsageReport, 1);
  g_autoptr(GPtrArray) days = NULL;
  PxUsageRow all;

  if (now <= 0)
    now = g_get_real_time () / G_USEC_PER_SEC;
  report->since = since;
  report->until = until;
  if (!px_usage_totals (library, 0, 0, &all, error) ||
      !px_usage_totals (library, since, until, &report->totals, error) ||
      !px_usage_totals (library, px_usage_month_start (now), 0, &report->month, error))
    return NULL;
  report->all_events = all.events;
  days = px_usage_breakdown (library, since, until, PX_USAGE_BY_DAY, error);
  if (days == NULL)
    return NULL;
  report->days = fill_days (days, since, until);
  report->models = px_usage_breakdown (library, since, until, PX_USAGE_BY_MODEL, error);
  if (report->models == NULL)
    return NULL;
  report->features = px_usage_breakdown (library, since, until, PX_USAGE_BY_FEATURE, error);
  if (report->features == NULL)
    return NULL;
  report->batches = top_batches (library, since, until, error);
  if (report->batches == NULL)
    return NULL;
  report->wins = px_usage_wins (library, since, until, error);
  if (report->wins == NULL)
    return NULL;
  report->budgets = px_budget_list (library, now, error);
  if (report->budgets == NULL)
    return NULL;
  return g_steal_pointer (&report);
}
