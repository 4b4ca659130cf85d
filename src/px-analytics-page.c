/* px-analytics-page.c: the Analytics page. The report for the chosen
 * range is read on a worker (the page shows a spinner only the first
 * time; afterwards the old report stays until the new one is in). Each
 * chart has real labels around it and a sentence saying what it shows,
 * which is also its accessible description. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <stdio.h>

#include "px-analytics-page.h"
#include "px-chart.h"

enum { RANGE_THIS_MONTH, RANGE_LAST_MONTH, RANGE_30_DAYS, RANGE_THIS_YEAR, RANGE_ALL };

typedef struct {
  GtkLabel *title;
  PxChart  *chart;
  GtkBox   *under;     /* axis labels (days) or the legend (shares) */
  GtkLabel *summary;
} Section;

struct _PxAnalyticsPage
{
  AdwBin               parent_instance;

  PxLibrary           *library;
  GCancellable        *cancellable;
  PxUsageReport       *report;
  gboolean             loading;
  GtkFileChooserNative *chooser;

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkDropDown         *range_dropdown;
  GtkLabel            *range_label;
  GtkFlowBox          *cards;
  GtkBox              *day_section;
  GtkBox              *model_section;
  GtkBox              *feature_section;
  GtkBox              *wins_section;
  AdwPreferencesGroup *batches_group;
  GPtrArray           *batch_rows;
  GtkLabel            *card_values[4];
  GtkLabel            *card_details[4];
  GtkLevelBar         *budget_bar;
  Section              days;
  Section              models;
  Section              features;
  Section              wins;
};

G_DEFINE_FINAL_TYPE (PxAnalyticsPage, px_analytics_page, ADW_TYPE_BIN)

/* ---- the range ---- */

static void
range_bounds (guint   range,
              gint64  now,
              gint64 *since,
              gint64 *until)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) month = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local), 1,
                                                      0, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                                      g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) other = NULL;

  *until = g_date_time_to_unix (tomorrow);
  switch (range)
    {
    case RANGE_LAST_MONTH:
      other = g_date_time_add_months (month, -1);
      *since = g_date_time_to_unix (other);
      *until = g_date_time_to_unix (month);
      break;
    case RANGE_30_DAYS:
      other = g_date_time_add_days (tomorrow, -30);
      *since = g_date_time_to_unix (other);
      break;
    case RANGE_THIS_YEAR:
      other = g_date_time_new_local (g_date_time_get_year (local), 1, 1, 0, 0, 0);
      *since = g_date_time_to_unix (other);
      break;
    case RANGE_ALL:
      *since = 0;
      *until = 0;
      break;
    case RANGE_THIS_MONTH:
    default:
      *since = g_date_time_to_unix (month);
      break;
    }
}

/* "3 November" from "2026-11-03". */
static char *
day_label (const char *key)
{
  int y, m, d;
  g_autoptr(GDateTime) day = NULL;

  if (sscanf (key, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (key);
  day = g_date_time_new_local (y, m, d, 12, 0, 0);
  /* Translators: a day in a chart, strftime format: "3 November". */
  return g_date_time_format (day, _("%-d %B"));
}

static char *
money (double dollars)
{
  /* A cent is too coarse for one image ($0.039), not for a total. The
   * digits follow the user's locale (LC_NUMERIC: 0,039 in German). */
  if (dollars > 0 && dollars < 0.0995)
    /* Translators: US dollars with three decimals; put the sign where your language puts it. */
    return g_strdup_printf (_("$%.3f"), dollars);
  /* Translators: US dollars with two decimals; put the sign where your language puts it. */
  return g_strdup_printf (_("$%.2f"), dollars);
}

/* ---- filling it in ---- */

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
set_card (PxAnalyticsPage *self,
          guint            index,
          const char      *value,
          const char      *detail)
{
  gtk_label_set_text (self->card_values[index], value);
  gtk_label_set_text (self->card_details[index], detail ? detail : "");
}

static void
fill_cards (PxAnalyticsPage *self)
{
  const PxUsageReport *report = self->report;
  g_autofree char *spent = money (report->totals.cost);
  g_autofree char *spent_detail = NULL;
  /* Grouped as the language writes thousands (2,778 · 2.778). */
  g_autofree char *images = g_strdup_printf ("%'" G_GUINT64_FORMAT, report->totals.images);
  g_autofree char *images_detail = NULL;
  g_autofree char *average = report->totals.images ? money (report->totals.cost / report->totals.images)
                                                   : g_strdup ("—");
  g_autofree char *seconds = report->totals.images
                             ? g_strdup_printf (_("%.1f s"), report->totals.duration_ms / 1000.0 / report->totals.images)
                             : g_strdup ("—");
  PxBudget *overall = NULL;

  for (guint i = 0; i < report->budgets->len; i++)
    if (*((PxBudget *) g_ptr_array_index (report->budgets, i))->provider == '\0')
      overall = g_ptr_array_index (report->budgets, i);
  if (overall != NULL)
    {
      g_autofree char *spent_month = money (overall->spent);
      g_autofree char *limit = money (overall->monthly);

      /* Translators: this month's spending against the monthly budget. */
      spent_detail = g_strdup_printf (_("This month: %s of %s"), spent_month, limit);
      gtk_level_bar_set_value (self->budget_bar, MIN (1.0, overall->spent / MAX (overall->monthly, 1e-9)));
    }
  else
    {
      g_autofree char *spent_month = money (report->month.cost);

      spent_detail = g_strdup_printf (_("This month: %s, no budget set"), spent_month);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->budget_bar), overall != NULL);
  if (report->totals.cached > 0)
    images_detail = g_strdup_printf (ngettext ("%" PRIu64 " from the cache, free",
                                               "%" PRIu64 " from the cache, free", report->totals.cached),
                                     report->totals.cached);
  set_card (self, 0, spent, spent_detail);
  set_card (self, 1, images, images_detail);
  set_card (self, 2, average, _("per image"));
  set_card (self, 3, seconds, _("per image"));
  if (report->totals.possibly_paid > 0)
    {
      g_autofree char *lost = money (report->totals.possibly_paid);
      g_autofree char *more = g_strdup_printf (_("%s — and up to %s for requests lost after they were sent"),
                                               spent_detail, lost);

      gtk_label_set_text (self->card_details[0], more);
    }
}

static void
fill_days (PxAnalyticsPage *self)
{
  GPtrArray *days = self->report->days;
  g_autofree double *values = g_new0 (double, MAX (1u, days->len));
  g_autoptr(GPtrArray) tips = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first = NULL, *last = NULL, *summary = NULL, *total = money (self->report->totals.cost);
  guint most = 0;
  GtkWidget *start, *end;

  for (guint i = 0; i < days->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (days, i);
      g_autofree char *label = day_label (row->key);
      g_autofree char *cost = money (row->cost);

      values[i] = row->cost;
      if (row->cost > ((PxUsageRow *) g_ptr_array_index (days, most))->cost)
        most = i;
      g_ptr_array_add (tips, g_strdup_printf (ngettext ("%s: %s, %" PRIu64 " image",
                                                        "%s: %s, %" PRIu64 " images", row->images),
                                              label, cost, row->images));
    }
  px_chart_set_items (self->days.chart, days->len, values, (const char * const *) tips->pdata);
  clear_box (self->days.under);
  if (days->len == 0)
    {
      gtk_label_set_text (self->days.summary, _("Nothing was spent in these days."));
      return;
    }
  first = day_label (((PxUsageRow *) g_ptr_array_index (days, 0))->key);
  last = day_label (((PxUsageRow *) g_ptr_array_index (days, days->len - 1))->key);
  start = gtk_label_new (first);
  end = gtk_label_new (last);
  gtk_widget_set_hexpand (start, TRUE);
  gtk_label_set_xalign (GTK_LABEL (start), 0);
  gtk_widget_add_css_class (start, "dim-label");
  gtk_widget_add_css_class (end, "dim-label");
  gtk_box_append (self->days.under, start);
  gtk_box_append (self->days.under, end);
  {
    PxUsageRow *top = g_ptr_array_index (days, most);
    g_autofree char *top_day = day_label (top->key);
    g_autofree char *top_cost = money (top->cost);

    summary = top->cost > 0
              ? g_strdup_printf (_("%s spent from %s to %s; the most on %s, %s."), total, first, last, top_day, top_cost)
              : g_strdup_printf (_("Nothing was spent from %s to %s."), first, last);
  }
  gtk_label_set_text (self->days.summary, summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->days.chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
}

/* One bar in shares, a legend line for each, and the sentence; the
 * amounts are images, wins (events) or dollars. */
typedef enum { SHARE_DOLLARS, SHARE_IMAGES, SHARE_WINS } ShareOf;

static void
fill_shares (Section    *section,
             GPtrArray  *rows,
             ShareOf     of,
             const char *empty)
{
  g_autofree double *values = g_new0 (double, MAX (1u, rows->len));
  g_autoptr(GPtrArray) tips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) summary = g_string_new (NULL);
  double sum = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (rows, i);

      values[i] = of == SHARE_IMAGES ? (double) row->images : of == SHARE_WINS ? (double) row->events : row->cost;
      sum += values[i];
    }
  clear_box (section->under);
  for (guint i = 0; i < rows->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (rows, i);
      const char *name = *row->key ? row->key : _("on this computer");
      g_autofree char *amount = of == SHARE_DOLLARS ? money (row->cost)
                                : g_strdup_printf ("%'" PRIu64, of == SHARE_WINS ? row->events : row->images);
      g_autofree char *line = g_strdup_printf ("%s — %s (%.0f%%)", name, amount, sum > 0 ? 100 * values[i] / sum : 0);
      g_autofree char *markup = NULL;
      g_autofree char *escaped = g_markup_escape_text (line, -1);
      GtkWidget *label;

      g_ptr_array_add (tips, g_strdup (line));
      if (values[i] <= 0)
        continue;
      markup = g_strdup_printf ("<span foreground=\"%s\">●</span> %s", px_chart_colour (i), escaped);
      label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (section->under, label);
      g_string_append_printf (summary, "%s%s", summary->len ? "; " : "", line);
    }
  px_chart_set_items (section->chart, rows->len, values, (const char * const *) tips->pdata);
  if (sum <= 0)
    g_string_assign (summary, empty);
  else
    g_string_append_c (summary, '.');
  gtk_label_set_text (section->summary, summary->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (section->chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary->str,
                                  -1);
}

static void
fill_batches (PxAnalyticsPage *self)
{
  for (guint i = 0; i < self->batch_rows->len; i++)
    adw_preferences_group_remove (self->batches_group, g_ptr_array_index (self->batch_rows, i));
  g_ptr_array_set_size (self->batch_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->batches_group), self->report->batches->len > 0);
  for (guint i = 0; i < self->report->batches->len; i++)
    {
      PxUsageBatch *batch = g_ptr_array_index (self->report->batches, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *cost = money (batch->cost);
      g_autofree char *count = g_strdup_printf (ngettext ("%" PRIu64 " image", "%" PRIu64 " images",
                                                          batch->images), batch->images);
      g_autofree char *subtitle = *batch->model ? g_strdup_printf (_("Batch %" PRId64 " · %s · %s"), batch->id,
                                                                   batch->model, count)
                                                : g_strdup_printf (_("Batch %" PRId64 " · %s"), batch->id, count);
      g_autofree char *title = g_markup_escape_text (batch->prompt, -1);
      GtkWidget *amount = gtk_label_new (cost);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      gtk_widget_add_css_class (amount, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);
      adw_preferences_group_add (self->batches_group, row);
      g_ptr_array_add (self->batch_rows, row);
    }
}

static void
show_report (PxAnalyticsPage *self)
{
  g_autofree char *range = NULL;

  if (self->report->all_events == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (self->report->since > 0)
    {
      g_autoptr(GDateTime) from = g_date_time_new_from_unix_local (self->report->since);
      g_autoptr(GDateTime) to = g_date_time_new_from_unix_local (self->report->until - 1);
      g_autofree char *a = g_date_time_format (from, "%x");
      g_autofree char *b = g_date_time_format (to, "%x");

      range = g_strdup_printf ("%s – %s", a, b);
    }
  gtk_label_set_text (self->range_label, range ? range : "");
  fill_cards (self);
  fill_days (self);
  fill_shares (&self->models, self->report->models, SHARE_DOLLARS, _("Nothing was spent in these days."));
  fill_shares (&self->features, self->report->features, SHARE_IMAGES, _("No images were made in these days."));
  fill_shares (&self->wins, self->report->wins, SHARE_WINS, _("No comparison has a winner yet."));
  gtk_widget_set_visible (GTK_WIDGET (self->wins_section), self->report->wins->len > 0);
  fill_batches (self);
  gtk_stack_set_visible_child_name (self->stack, "report");
}

/* ---- reading ---- */

typedef struct {
  gint64         since;
  gint64         until;
  PxUsageReport *report;
} Read;

static void
read_free (Read *read)
{
  px_usage_report_free (read->report);
  g_free (read);
}

static gboolean
read_report (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Read *read = data;

  read->report = px_usage_report_read (library, read->since, read->until, 0, error);
  return read->report != NULL;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PxAnalyticsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Read *read = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      gtk_spinner_stop (self->spinner);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);
  g_clear_pointer (&self->report, px_usage_report_free);
  self->report = g_steal_pointer (&read->report);
  show_report (self);
}

/* Reads the chosen range again (the library changed, or the range). */
void
px_analytics_page_reload (PxAnalyticsPage *self)
{
  Read *read;

  g_return_if_fail (PX_IS_ANALYTICS_PAGE (self));

  if (self->library == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  if (self->report == NULL)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  read = g_new0 (Read, 1);
  range_bounds (gtk_drop_down_get_selected (self->range_dropdown), g_get_real_time () / G_USEC_PER_SEC, &read->since,
                &read->until);
  px_library_read_async (self->library, read_report, read, (GDestroyNotify) read_free, self->cancellable, on_read,
                         g_object_ref (self));
}

void
px_analytics_page_set_library (PxAnalyticsPage *self,
                               PxLibrary       *library)
{
  g_return_if_fail (PX_IS_ANALYTICS_PAGE (self));

  g_set_object (&self->library, library);
  px_analytics_page_reload (self);
}

gboolean
px_analytics_page_is_loading (PxAnalyticsPage *self)
{
  g_return_val_if_fail (PX_IS_ANALYTICS_PAGE (self), FALSE);

  return self->loading;
}

const PxUsageReport *
px_analytics_page_get_report (PxAnalyticsPage *self)
{
  g_return_val_if_fail (PX_IS_ANALYTICS_PAGE (self), NULL);

  return self->report;
}

/* ---- export ---- */

typedef struct {
  gint64  since;
  gint64  until;
  char   *path;
} Export;

static void
export_free (Export *export)
{
  g_free (export->path);
  g_free (export);
}

/* The range by day, then by model, as one CSV, written whole or not at all. */
static gboolean
write_csv (PxLibrary     *library,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Export *export = data;
  g_autoptr(GPtrArray) days = px_usage_breakdown (library, export->since, export->until, PX_USAGE_BY_DAY, error);
  g_autoptr(GPtrArray) models = days ? px_usage_breakdown (library, export->since, export->until, PX_USAGE_BY_MODEL,
                                                           error)
                                     : NULL;
  g_autofree char *by_day = NULL, *by_model = NULL, *text = NULL;

  if (models == NULL)
    return FALSE;
  by_day = px_usage_to_csv (days, PX_USAGE_BY_DAY);
  by_model = px_usage_to_csv (models, PX_USAGE_BY_MODEL);
  text = g_strconcat (by_day, "\r\n", by_model, NULL);
  return g_file_set_contents (export->path, text, -1, error);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxAnalyticsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    title = g_strdup_printf (_("The CSV could not be saved: %s"), error->message);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title ? title : _("Usage exported")));
}

/* The range shown, as CSV at @path (on a worker). */
void
px_analytics_page_export_csv (PxAnalyticsPage *self,
                              const char      *path)
{
  Export *export;

  g_return_if_fail (PX_IS_ANALYTICS_PAGE (self));

  if (self->library == NULL)
    return;
  export = g_new0 (Export, 1);
  range_bounds (gtk_drop_down_get_selected (self->range_dropdown), g_get_real_time () / G_USEC_PER_SEC,
                &export->since, &export->until);
  export->path = g_strdup (path);
  px_library_read_async (self->library, write_csv, export, (GDestroyNotify) export_free, NULL, on_exported,
                         g_object_ref (self));
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  PxAnalyticsPage *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                           : NULL;

  if (file != NULL && g_file_peek_path (file) != NULL)
    px_analytics_page_export_csv (self, g_file_peek_path (file));
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxAnalyticsPage *self = PX_ANALYTICS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "pixmerge-usage-%Y-%m-%d.csv");

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Usage"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- life ---- */

static GtkWidget *
make_card (PxAnalyticsPage *self,
           guint            index,
           const char      *title,
           const char      *name)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *heading = gtk_label_new (title);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_top (heading, 12);
  gtk_widget_set_margin_start (heading, 12);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_widget_add_css_class (heading, "caption-heading");
  self->card_values[index] = GTK_LABEL (gtk_label_new ("—"));
  gtk_widget_set_name (GTK_WIDGET (self->card_values[index]), name);
  gtk_widget_add_css_class (GTK_WIDGET (self->card_values[index]), "title-2");
  gtk_widget_add_css_class (GTK_WIDGET (self->card_values[index]), "numeric");
  gtk_label_set_xalign (self->card_values[index], 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->card_values[index]), 12);
  self->card_details[index] = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->card_details[index], 0);
  gtk_label_set_wrap (self->card_details[index], TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->card_details[index]), "dim-label");
  gtk_widget_set_margin_start (GTK_WIDGET (self->card_details[index]), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->card_details[index]), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->card_details[index]), 12);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->card_values[index]));
  if (index == 0)
    {
      self->budget_bar = GTK_LEVEL_BAR (gtk_level_bar_new_for_interval (0, 1));
      gtk_widget_set_name (GTK_WIDGET (self->budget_bar), "budget-bar");
      gtk_widget_set_margin_start (GTK_WIDGET (self->budget_bar), 12);
      gtk_widget_set_margin_end (GTK_WIDGET (self->budget_bar), 12);
      gtk_level_bar_add_offset_value (self->budget_bar, GTK_LEVEL_BAR_OFFSET_LOW, 0.8);
      gtk_level_bar_add_offset_value (self->budget_bar, GTK_LEVEL_BAR_OFFSET_HIGH, 0.8);
      gtk_level_bar_add_offset_value (self->budget_bar, GTK_LEVEL_BAR_OFFSET_FULL, 1.0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->budget_bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("This month's budget used"), -1);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->budget_bar));
    }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->card_details[index]));
  return box;
}

static void
make_section (Section    *section,
              GtkBox     *box,
              const char *title,
              const char *name,
              gboolean    shares)
{
  section->title = GTK_LABEL (gtk_label_new (title));
  gtk_label_set_xalign (section->title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (section->title), "heading");
  section->chart = PX_CHART (px_chart_new (shares));
  gtk_widget_set_name (GTK_WIDGET (section->chart), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (section->chart), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  section->under = GTK_BOX (gtk_box_new (shares ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL, 4));
  section->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (section->summary), name);
  gtk_label_set_xalign (section->summary, 0);
  gtk_label_set_wrap (section->summary, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (section->summary), "dim-label");
  gtk_box_append (box, GTK_WIDGET (section->title));
  gtk_box_append (box, GTK_WIDGET (section->chart));
  gtk_box_append (box, GTK_WIDGET (section->under));
  /* Shares: the legend shows the same; the sentence is what is spoken. */
  gtk_widget_set_visible (GTK_WIDGET (section->summary), !shares);
  gtk_box_append (box, GTK_WIDGET (section->summary));
}

static void
px_analytics_page_dispose (GObject *object)
{
  PxAnalyticsPage *self = PX_ANALYTICS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->report, px_usage_report_free);
  g_clear_pointer (&self->batch_rows, g_ptr_array_unref);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (px_analytics_page_parent_class)->dispose (object);
}

static void
px_analytics_page_class_init (PxAnalyticsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_analytics_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-analytics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, cards);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, day_section);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, model_section);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, feature_section);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, wins_section);
  gtk_widget_class_bind_template_child (widget_class, PxAnalyticsPage, batches_group);
  gtk_widget_class_install_action (widget_class, "analytics.export", NULL, export_action);
}

static void
px_analytics_page_init (PxAnalyticsPage *self)
{
  static const char *titles[] = { N_("Spent"), N_("Images"), N_("Average Cost"), N_("Average Time") };
  static const char *names[] = { "card-spent", "card-images", "card-average-cost", "card-average-time" };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->batch_rows = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    gtk_flow_box_append (self->cards, make_card (self, i, _(titles[i]), names[i]));
  make_section (&self->days, self->day_section, _("Spend per Day"), "chart-days", FALSE);
  make_section (&self->models, self->model_section, _("Spend per Model"), "chart-models", TRUE);
  make_section (&self->features, self->feature_section, _("Images per Feature"), "chart-features", TRUE);
  make_section (&self->wins, self->wins_section, _("Which Model Wins Your Comparisons"), "chart-wins", TRUE);
  g_signal_connect_swapped (self->range_dropdown, "notify::selected", G_CALLBACK (px_analytics_page_reload), self);
}
