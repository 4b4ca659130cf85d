/* px-budget-group.c: one row per budget, a dollar amount in a spin
 * button. The budgets and this month's spending are read on a worker when
 * the group is shown; a changed amount is written once it rests (the
 * library's writer), then read again for the spending lines. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-budget-group.h"
#include "px-usage.h"

#define WRITE_DELAY_MS 600

struct _PxBudgetGroup
{
  AdwPreferencesGroup  parent_instance;

  PxLibrary           *library;
  GCancellable        *cancellable;
  GPtrArray           *rows;        /* AdwActionRow, with "provider" data ("" for all) */
  GHashTable          *pending;     /* provider → dollars, to write */
  guint                write_source;
  guint                busy;
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (PxBudgetGroup, px_budget_group, ADW_TYPE_PREFERENCES_GROUP)

static GtkSpinButton *
spin_of (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "spin");
}

/* ---- reading ---- */

typedef struct {
  GPtrArray *budgets;
  PxUsageRow month;
  GPtrArray *providers;   /* PxUsageRow by provider, this month */
} Read;

static void
read_free (Read *read)
{
  g_clear_pointer (&read->budgets, g_ptr_array_unref);
  g_clear_pointer (&read->providers, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_budgets (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Read *read = data;
  gint64 month = px_usage_month_start (g_get_real_time () / G_USEC_PER_SEC);

  read->budgets = px_budget_list (library, 0, error);
  return read->budgets != NULL && px_usage_totals (library, month, 0, &read->month, error) &&
         (read->providers = px_usage_breakdown (library, month, 0, PX_USAGE_BY_PROVIDER, error)) != NULL;
}

static double
spent_by (Read       *read,
          const char *provider)
{
  if (*provider == '\0')
    return read->month.cost + read->month.possibly_paid;
  for (guint i = 0; i < read->providers->len; i++)
    {
      PxUsageRow *row = g_ptr_array_index (read->providers, i);

      if (g_strcmp0 (row->key, provider) == 0)
        return row->cost + row->possibly_paid;
    }
  return 0;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PxBudgetGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  Read *read = NULL;

  self->busy--;
  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), error->message);
      return;
    }
  self->updating = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      const char *provider = g_object_get_data (G_OBJECT (row), "provider");
      double monthly = 0, spent = spent_by (read, provider);
      g_autofree char *subtitle = NULL;

      for (guint k = 0; k < read->budgets->len; k++)
        if (g_strcmp0 (((PxBudget *) g_ptr_array_index (read->budgets, k))->provider, provider) == 0)
          monthly = ((PxBudget *) g_ptr_array_index (read->budgets, k))->monthly;
      if (!g_hash_table_contains (self->pending, provider))
        gtk_spin_button_set_value (spin_of (row), monthly);
      subtitle = monthly > 0 ? g_strdup_printf (_("$%.2f spent this month (%.0f%%)"), spent, 100 * spent / monthly)
                             : g_strdup_printf (_("$%.2f spent this month; no budget"), spent);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  self->updating = FALSE;
}

static void
reload (PxBudgetGroup *self)
{
  self->busy++;
  px_library_read_async (self->library, read_budgets, g_new0 (Read, 1), (GDestroyNotify) read_free,
                         self->cancellable, on_read, g_object_ref (self));
}

/* ---- writing ---- */

static gboolean
write_budgets (PxLibrary     *library,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  GHashTableIter iter;
  gpointer provider, dollars;

  g_hash_table_iter_init (&iter, data);
  while (g_hash_table_iter_next (&iter, &provider, &dollars))
    if (!px_budget_set (library, *(const char *) provider ? provider : NULL, *(double *) dollars, error))
      return FALSE;
  return TRUE;
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PxBudgetGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), error->message);
      return;
    }
  reload (self);
}

static gboolean
on_write_delay (gpointer data)
{
  PxBudgetGroup *self = data;
  GHashTable *pending = g_steal_pointer (&self->pending);

  self->write_source = 0;
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->busy++;
  /* Not cancelled with the window: a budget set is kept. */
  px_library_write_async (self->library, write_budgets, pending, (GDestroyNotify) g_hash_table_unref, NULL,
                          on_written, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_value_changed (GtkSpinButton *spin,
                  PxBudgetGroup *self)
{
  double *dollars;

  if (self->updating)
    return;
  dollars = g_new (double, 1);
  *dollars = gtk_spin_button_get_value (spin);
  g_hash_table_replace (self->pending, g_strdup (g_object_get_data (G_OBJECT (spin), "provider")), dollars);
  g_clear_handle_id (&self->write_source, g_source_remove);
  self->write_source = g_timeout_add (WRITE_DELAY_MS, on_write_delay, self);
}

/* Something is being read or written, or waits to be. */
gboolean
px_budget_group_is_busy (PxBudgetGroup *self)
{
  g_return_val_if_fail (PX_IS_BUDGET_GROUP (self), FALSE);

  return self->busy > 0 || self->write_source != 0;
}

/* ---- life ---- */

static void
add_row (PxBudgetGroup *self,
         const char    *provider,
         const char    *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 100000, 1);
  g_autofree char *name = g_strdup_printf ("budget-%s", *provider ? provider : "all");
  g_autofree char *label = g_strdup_printf (_("Monthly budget for %s, in dollars"), title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_spin_button_set_increments (GTK_SPIN_BUTTON (spin), 1, 10);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (spin), "provider", g_strdup (provider), g_free);
  g_object_set_data_full (G_OBJECT (row), "provider", g_strdup (provider), g_free);
  g_object_set_data (G_OBJECT (row), "spin", spin);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_value_changed), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static void
px_budget_group_dispose (GObject *object)
{
  PxBudgetGroup *self = PX_BUDGET_GROUP (object);

  /* An amount typed just before closing is still kept. */
  if (self->write_source != 0)
    {
      g_clear_handle_id (&self->write_source, g_source_remove);
      if (self->library != NULL && g_hash_table_size (self->pending) > 0)
        px_library_write_async (self->library, write_budgets, g_steal_pointer (&self->pending),
                                (GDestroyNotify) g_hash_table_unref, NULL, NULL, NULL);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->library);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);

  G_OBJECT_CLASS (px_budget_group_parent_class)->dispose (object);
}

static void
px_budget_group_class_init (PxBudgetGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = px_budget_group_dispose;
}

static void
px_budget_group_init (PxBudgetGroup *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Monthly Budget"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("When a budget is spent, paid work stops: Generate asks first, batches and "
                                           "comparisons wait until it is raised or the month turns. You are told at "
                                           "80 %. 0 means no budget."));
}

GtkWidget *
px_budget_group_new (PxLibrary *library,
                     PxCatalog *catalog)
{
  PxBudgetGroup *self = g_object_new (PX_TYPE_BUDGET_GROUP, NULL);
  GPtrArray *providers = px_catalog_get_providers (catalog);

  self->library = g_object_ref (library);
  add_row (self, "", _("All Providers"));
  for (guint i = 0; i < providers->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (providers, i);

      if (info->key_policy == PX_KEY_REQUIRED)
        add_row (self, info->id, info->name);
    }
  reload (self);
  return GTK_WIDGET (self);
}
