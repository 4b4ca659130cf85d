/* px-library-usage.c: usage events and budgets in the library. Times are
 * unix seconds; days, weeks and months are the local time zone's (sqlite's
 * 'localtime' and GLib's local time both follow TZ), so a month turns at
 * local midnight. Spending counts what the engine computed and what lost
 * requests may have cost, so a budget errs on the safe side. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "px-csv.h"
#include "px-library-private.h"
#include "px-usage.h"

void
px_usage_row_free (PxUsageRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row);
}

void
px_budget_free (PxBudget *budget)
{
  if (budget == NULL)
    return;
  g_free (budget->provider);
  g_free (budget);
}

static const char * const group_names[] = { "day", "week", "month", "model", "provider", "feature", "kind", "batch" };

gboolean
px_usage_group_from_string (const char   *name,
                            PxUsageGroup *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (group_names); i++)
    if (g_strcmp0 (name, group_names[i]) == 0)
      {
        *group = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- recording ---- */

/* One event; on the writer (in the caller's transaction, if any). */
gboolean
px_usage_record (PxLibrary           *library,
                 const PxUsageEvent  *event,
                 GError             **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3_stmt *stmt = NULL;
  gboolean done;
  int i = 1;

  /* A library kept at an older schema (a test of migration) has no place for it. */
  if (library->version < 11)
    return TRUE;
  if (sqlite3_prepare_v2 (library->db,
                          "INSERT INTO usage_events (kind, provider, model, feature, batch_id, image_id, images, cost,"
                          " possibly_paid, cached, duration_ms, tokens, created)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (library, error, _("recording what it cost"));
  sqlite3_bind_text (stmt, i++, event->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, i++, event->provider ? event->provider : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, i++, event->model ? event->model : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, i++, event->feature ? event->feature : "", -1, SQLITE_TRANSIENT);
  if (event->batch_id > 0)
    sqlite3_bind_int64 (stmt, i++, event->batch_id);
  else
    sqlite3_bind_null (stmt, i++);
  if (event->image_id > 0)
    sqlite3_bind_int64 (stmt, i++, event->image_id);
  else
    sqlite3_bind_null (stmt, i++);
  sqlite3_bind_int (stmt, i++, (int) event->images);
  sqlite3_bind_double (stmt, i++, event->cached ? 0 : event->cost);
  sqlite3_bind_double (stmt, i++, event->possibly_paid);
  sqlite3_bind_int (stmt, i++, event->cached ? 1 : 0);
  sqlite3_bind_int64 (stmt, i++, event->duration_ms);
  sqlite3_bind_int64 (stmt, i++, event->tokens);
  sqlite3_bind_int64 (stmt, i++, event->created > 0 ? event->created : g_get_real_time () / G_USEC_PER_SEC);
  done = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return done || px_library_db_error (library, error, _("recording what it cost"));
}

/* ---- dates ---- */

/* "2026-11-01" as local midnight (or the next midnight, for an end). */
gint64
px_usage_parse_date (const char  *date,
                     gboolean     end_of_day,
                     GError     **error)
{
  int year, month, day;
  char extra;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d%c", &year, &month, &day, &extra) != 3 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("“%s” is not a date; write it as YYYY-MM-DD."),
                   date ? date : "");
      return -1;
    }
  start = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (!end_of_day)
    return g_date_time_to_unix (start);
  next = g_date_time_add_days (start, 1);
  return g_date_time_to_unix (next);
}

/* The first second of @now's month, local time. */
gint64
px_usage_month_start (gint64 now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) first = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local), 1,
                                                      0, 0, 0);

  return g_date_time_to_unix (first);
}

static char *
month_name (gint64 now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);

  return g_date_time_format (local, "%Y-%m");
}

/* ---- queries ---- */

/* The range in quarter hours of the rollups: a bound inside one counts
 * the whole quarter hour (days and months begin on one in every zone). */
static void
bind_range (sqlite3_stmt *stmt,
            gint64        since,
            gint64        until)
{
  sqlite3_bind_int64 (stmt, 1, since > 0 ? since / 900 : G_MININT64);
  sqlite3_bind_int64 (stmt, 2, until > 0 ? (until + 899) / 900 : G_MAXINT64);
}

static PxUsageRow *
read_row (sqlite3_stmt *stmt,
          int           first)
{
  PxUsageRow *row = g_new0 (PxUsageRow, 1);

  row->events = sqlite3_column_int64 (stmt, first);
  row->images = sqlite3_column_int64 (stmt, first + 1);
  row->cached = sqlite3_column_int64 (stmt, first + 2);
  row->cost = sqlite3_column_double (stmt, first + 3);
  row->possibly_paid = sqlite3_column_double (stmt, first + 4);
  row->duration_ms = sqlite3_column_int64 (stmt, first + 5);
  return row;
}

#define SUMS "COALESCE (SUM (events), 0), COALESCE (SUM (images), 0), COALESCE (SUM (cached), 0)," \
             " COALESCE (SUM (cost), 0), COALESCE (SUM (possibly_paid), 0), COALESCE (SUM (duration_ms), 0)"

/* Everything from @since up to (not including) @until; 0 leaves a side open. */
gboolean
px_usage_totals (PxLibrary   *library,
                 gint64       since,
                 gint64       until,
                 PxUsageRow  *totals,
                 GError     **error)
{
  PX_LIBRARY_READ (library);
  sqlite3 *db = px_library_reader_take (library, error);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(PxUsageRow) row = NULL;

  if (db == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT " SUMS " FROM usage_rollup WHERE bucket >= ? AND bucket < ?", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("reading what was spent"));
      px_library_reader_give (library, db);
      return FALSE;
    }
  bind_range (stmt, since, until);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    row = read_row (stmt, 0);
  else
    px_library_sqlite_error (db, error, _("reading what was spent"));
  sqlite3_finalize (stmt);
  px_library_reader_give (library, db);
  if (row == NULL)
    return FALSE;
  *totals = *row;
  totals->key = NULL;
  return TRUE;
}

static void
add_into (PxUsageRow       *into,
          const PxUsageRow *row)
{
  into->events += row->events;
  into->images += row->images;
  into->cached += row->cached;
  into->cost += row->cost;
  into->possibly_paid += row->possibly_paid;
  into->duration_ms += row->duration_ms;
}

/* Days into ISO weeks or months, in order. */
static GPtrArray *
fold_days (GPtrArray    *days,
           PxUsageGroup  by)
{
  GPtrArray *folded = g_ptr_array_new_with_free_func ((GDestroyNotify) px_usage_row_free);
  PxUsageRow *current = NULL;

  for (guint i = 0; i < days->len; i++)
    {
      PxUsageRow *day = g_ptr_array_index (days, i);
      g_autofree char *key = NULL;
      int year, month, mday;

      if (sscanf (day->key, "%d-%d-%d", &year, &month, &mday) != 3)
        continue;
      if (by == PX_USAGE_BY_MONTH)
        key = g_strdup_printf ("%04d-%02d", year, month);
      else
        {
          g_autoptr(GDateTime) date = g_date_time_new_local (year, month, mday, 12, 0, 0);

          key = g_strdup_printf ("%04d-W%02d", g_date_time_get_week_numbering_year (date),
                                 g_date_time_get_week_of_year (date));
        }
      if (current == NULL || g_strcmp0 (current->key, key) != 0)
        {
          current = g_new0 (PxUsageRow, 1);
          current->key = g_steal_pointer (&key);
          g_ptr_array_add (folded, current);
        }
      add_into (current, day);
    }
  return folded;
}

static int
by_cost (gconstpointer a,
         gconstpointer b)
{
  const PxUsageRow *x = *(const PxUsageRow * const *) a, *y = *(const PxUsageRow * const *) b;

  return x->cost < y->cost ? 1 : x->cost > y->cost ? -1 : g_strcmp0 (x->key, y->key);
}

/* What was not in a batch, as the row "", so the batches add up too. */
static gboolean
add_unbatched (PxLibrary  *library,
               gint64      since,
               gint64      until,
               GPtrArray  *rows,
               GError    **error)
{
  PxUsageRow totals;
  PxUsageRow *rest = g_new0 (PxUsageRow, 1);

  if (!px_usage_totals (library, since, until, &totals, error))
    {
      g_free (rest);
      return FALSE;
    }
  *rest = totals;
  rest->key = g_strdup ("");
  for (guint i = 0; i < rows->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (rows, i);

      rest->events -= row->events;
      rest->images -= row->images;
      rest->cached -= row->cached;
      rest->cost -= row->cost;
      rest->possibly_paid -= row->possibly_paid;
      rest->duration_ms -= row->duration_ms;
    }
  if (rest->events > 0)
    g_ptr_array_add (rows, rest);
  else
    px_usage_row_free (rest);
  g_ptr_array_sort (rows, by_cost);
  return TRUE;
}

/* Totals for each day (week, month, model, …) in the range: times in
 * order, the rest most spent first. */
GPtrArray *
px_usage_breakdown (PxLibrary     *library,
                    gint64         since,
                    gint64         until,
                    PxUsageGroup   by,
                    GError       **error)
{
  PX_LIBRARY_READ (library);
  static const char * const keys[] = {
    "strftime ('%Y-%m-%d', bucket * 900, 'unixepoch', 'localtime')", NULL, NULL, "model", "provider", "feature",
    "kind", "CAST (batch_id AS TEXT)",
  };
  gboolean by_time = by == PX_USAGE_BY_DAY || by == PX_USAGE_BY_WEEK || by == PX_USAGE_BY_MONTH;
  const char *key = by_time ? keys[0] : keys[by];
  g_autofree char *sql = g_strdup_printf ("SELECT %s AS k, " SUMS " FROM %s"
                                          " WHERE bucket >= ? AND bucket < ? GROUP BY k ORDER BY %s",
                                          key, by == PX_USAGE_BY_BATCH ? "usage_batch_rollup" : "usage_rollup",
                                          by_time ? "k" : "SUM (cost) DESC, k");
  sqlite3 *db = px_library_reader_take (library, error);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) px_usage_row_free);
  int rc;

  g_return_val_if_fail (by <= PX_USAGE_BY_BATCH, NULL);

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("reading what was spent"));
      px_library_reader_give (library, db);
      return NULL;
    }
  bind_range (stmt, since, until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PxUsageRow *row = read_row (stmt, 1);

      row->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      px_library_sqlite_error (db, error, _("reading what was spent"));
      px_library_reader_give (library, db);
      return NULL;
    }
  px_library_reader_give (library, db);
  if (by == PX_USAGE_BY_WEEK || by == PX_USAGE_BY_MONTH)
    return fold_days (rows, by);
  if (by == PX_USAGE_BY_BATCH && !add_unbatched (library, since, until, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* Which model won the comparisons made in the range (blind or not): one
 * row per model, its wins in "events", most wins first. */
GPtrArray *
px_usage_wins (PxLibrary  *library,
               gint64      since,
               gint64      until,
               GError    **error)
{
  PX_LIBRARY_READ (library);
  sqlite3 *db = px_library_reader_take (library, error);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) px_usage_row_free);
  int rc;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, "SELECT i.model, COUNT(*) FROM comparisons c JOIN images i ON i.id = c.winner_image_id"
                              " WHERE c.created >= ? AND c.created < ? GROUP BY i.model ORDER BY COUNT(*) DESC, i.model",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("reading the comparisons"));
      px_library_reader_give (library, db);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, since > 0 ? since : G_MININT64);
  sqlite3_bind_int64 (stmt, 2, until > 0 ? until : G_MAXINT64);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PxUsageRow *row = g_new0 (PxUsageRow, 1);

      row->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->events = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      px_library_sqlite_error (db, error, _("reading the comparisons"));
      px_library_reader_give (library, db);
      return NULL;
    }
  px_library_reader_give (library, db);
  return g_steal_pointer (&rows);
}

/* The rows as CSV, safe to open in a spreadsheet (no cell starts a
 * formula). */
char *
px_usage_to_csv (GPtrArray    *rows,
                 PxUsageGroup  by)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { group_names[by], "events", "images", "cached", "cost_usd", "possibly_paid_usd",
                           "average_seconds" };

  px_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < rows->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (rows, i);
      g_autofree char *events = g_strdup_printf ("%" G_GUINT64_FORMAT, row->events);
      g_autofree char *images = g_strdup_printf ("%" G_GUINT64_FORMAT, row->images);
      g_autofree char *cached = g_strdup_printf ("%" G_GUINT64_FORMAT, row->cached);
      char cost[G_ASCII_DTOSTR_BUF_SIZE], possibly[G_ASCII_DTOSTR_BUF_SIZE], average[G_ASCII_DTOSTR_BUF_SIZE];
      const char *fields[7];

      g_ascii_formatd (cost, sizeof cost, "%.4f", row->cost);
      g_ascii_formatd (possibly, sizeof possibly, "%.4f", row->possibly_paid);
      g_ascii_formatd (average, sizeof average, "%.2f",
                       row->images > 0 ? row->duration_ms / 1000.0 / row->images : 0);
      fields[0] = row->key;
      fields[1] = events;
      fields[2] = images;
      fields[3] = cached;
      fields[4] = cost;
      fields[5] = possibly;
      fields[6] = average;
      px_csv_append_row (out, fields, G_N_ELEMENTS (fields));
    }
  return g_string_free (out, FALSE);
}

/* ---- budgets ---- */

/* A monthly budget for @provider (NULL: all providers together); 0 or less
 * removes it. */
gboolean
px_budget_set (PxLibrary   *library,
               const char  *provider,
               double       monthly,
               GError     **error)
{
  PX_LIBRARY_WRITE (library);
  sqlite3_stmt *stmt = NULL;
  gboolean done;

  if (sqlite3_prepare_v2 (library->db, monthly > 0 ? "INSERT OR REPLACE INTO budgets (provider, monthly, updated)"
                                                     " VALUES (?1, ?2, ?3)"
                                                   : "DELETE FROM budgets WHERE provider = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (library, error, _("saving the budget"));
  sqlite3_bind_text (stmt, 1, provider ? provider : "", -1, SQLITE_TRANSIENT);
  if (monthly > 0)
    {
      sqlite3_bind_double (stmt, 2, monthly);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
    }
  done = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return done || px_library_db_error (library, error, _("saving the budget"));
}

/* Every budget with what was spent against it in @now's month, the
 * overall one first. */
GPtrArray *
px_budget_list (PxLibrary  *library,
                gint64      now,
                GError    **error)
{
  PX_LIBRARY_READ (library);
  sqlite3 *db = px_library_reader_take (library, error);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) budgets = g_ptr_array_new_with_free_func ((GDestroyNotify) px_budget_free);
  int rc;

  if (db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (db, "SELECT b.provider, b.monthly,"
                              " (SELECT COALESCE (SUM (cost + possibly_paid), 0) FROM usage_rollup"
                              "  WHERE bucket >= ?1 / 900 AND (b.provider = '' OR provider = b.provider))"
                              " FROM budgets b ORDER BY b.provider", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_sqlite_error (db, error, _("reading the budgets"));
      px_library_reader_give (library, db);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, px_usage_month_start (now > 0 ? now : g_get_real_time () / G_USEC_PER_SEC));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PxBudget *budget = g_new0 (PxBudget, 1);

      budget->provider = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      budget->monthly = sqlite3_column_double (stmt, 1);
      budget->spent = sqlite3_column_double (stmt, 2);
      g_ptr_array_add (budgets, budget);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      px_library_sqlite_error (db, error, _("reading the budgets"));
      px_library_reader_give (library, db);
      return NULL;
    }
  px_library_reader_give (library, db);
  return g_steal_pointer (&budgets);
}

static char *
describe_spent (const PxBudget *budget)
{
  if (*budget->provider == '\0')
    return g_strdup_printf (_("This month’s budget of $%.2f is spent ($%.2f so far)."), budget->monthly,
                            budget->spent);
  return g_strdup_printf (_("This month’s budget for %s, $%.2f, is spent ($%.2f so far)."), budget->provider,
                          budget->monthly, budget->spent);
}

/* Whether new paid work for @provider may start (NULL: work for any
 * provider, so every budget counts); when not, *@reason says which budget
 * is spent and what to do. */
gboolean
px_budget_allows (PxLibrary   *library,
                  const char  *provider,
                  gint64       now,
                  char       **reason,
                  GError     **error)
{
  g_autoptr(GPtrArray) budgets = px_budget_list (library, now, error);

  if (budgets == NULL)
    return FALSE;
  for (guint i = 0; i < budgets->len; i++)
    {
      PxBudget *budget = g_ptr_array_index (budgets, i);
      g_autofree char *spent = NULL;

      if (*budget->provider != '\0' && provider != NULL && g_strcmp0 (budget->provider, provider) != 0)
        continue;
      if (budget->spent + 1e-9 < budget->monthly)
        continue;
      if (reason != NULL)
        {
          spent = describe_spent (budget);
          *reason = g_strdup_printf (_("%s Paid work waits until the budget is raised or the month turns."), spent);
        }
      return FALSE;
    }
  return TRUE;
}

/* 80 or 100 when spending for @provider (or overall) has just reached
 * that share of a budget this month, for the first time this month (with
 * *@message to show); otherwise 0. */
guint
px_budget_take_notice (PxLibrary   *library,
                       const char  *provider,
                       gint64       now,
                       char       **message,
                       GError     **error)
{
  g_autoptr(GPtrArray) budgets = px_budget_list (library, now, error);
  g_autofree char *month = month_name (now > 0 ? now : g_get_real_time () / G_USEC_PER_SEC);
  PX_LIBRARY_WRITE (library);
  guint noticed = 0;

  for (guint i = 0; budgets != NULL && i < budgets->len; i++)
    {
      PxBudget *budget = g_ptr_array_index (budgets, i);
      guint level = budget->spent + 1e-9 >= budget->monthly ? 100 : budget->spent >= 0.8 * budget->monthly ? 80 : 0;
      sqlite3_stmt *stmt = NULL;

      if ((*budget->provider != '\0' && g_strcmp0 (budget->provider, provider) != 0) || level <= noticed)
        continue;
      if (sqlite3_prepare_v2 (library->db, "INSERT OR IGNORE INTO budget_notices (month, provider, level)"
                                           " VALUES (?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
        {
          px_library_db_error (library, error, _("saving the budget"));
          return 0;
        }
      sqlite3_bind_text (stmt, 1, month, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, budget->provider, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, (int) level);
      if (sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (library->db) == 1)
        {
          noticed = level;
          if (message != NULL)
            {
              g_free (*message);
              *message = level == 100 ? describe_spent (budget)
                                      : *budget->provider == '\0'
                                        ? g_strdup_printf (_("You have spent %.0f%% of this month’s budget ($%.2f of "
                                                             "$%.2f)."), 100 * budget->spent / budget->monthly,
                                                           budget->spent, budget->monthly)
                                        : g_strdup_printf (_("You have spent %.0f%% of this month’s budget for %s "
                                                             "($%.2f of $%.2f)."),
                                                           100 * budget->spent / budget->monthly, budget->provider,
                                                           budget->spent, budget->monthly);
            }
        }
      sqlite3_finalize (stmt);
    }
  return noticed;
}
