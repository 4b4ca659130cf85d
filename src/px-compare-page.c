/* px-compare-page.c: one prompt sent to two to six models at once, for
 * one token set or for up to ten (the grid's rows); a grid of what each
 * made, with its time and cost or its error; every result saved in the
 * library tagged with its row's comparison, one per row kept as the
 * winner. Blind: the columns shuffled and unnamed until every row has its
 * winner. The grid exports as a labelled PNG with its CSV. Earlier
 * comparisons are listed. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-adaptive.h"
#include "px-compare-cell.h"
#include "px-compare-grid-view.h"
#include "px-compare-page.h"
#include "px-spending.h"
#include "px-key-ensure.h"
#include "px-tokens.h"

#define MIN_MODELS 2
#define MAX_MODELS 6
#define MAX_ROWS PX_COMPARE_GRID_MAX_ROWS

struct _PxComparePage
{
  AdwBin          parent_instance;

  PxApplication  *application;
  PxEngine       *engine;
  PxLibrary      *library;
  gboolean        checking_budget;
  GPtrArray      *models;        /* const PxModel *, as the check buttons */
  GPtrArray      *checks;        /* GtkCheckButton */
  GPtrArray      *token_sets;    /* PxTokenSet */
  GHashTable     *cells;         /* "ROW:MODEL-ID" -> PxCompareCell */
  GArray         *row_ids;       /* gint64: each row's comparison */
  GPtrArray      *row_checks;    /* GtkCheckButton per token set */
  GtkFileChooserNative *chooser;
  GCancellable   *cancellable;      /* the running comparison */
  GCancellable   *page_cancellable; /* the page's own calls: cancelled when it goes */
  gint64          comparison_id;
  guint           running;
  guint           pending_keys;
  gboolean        starting;         /* the comparison is being saved */

  GtkDropDown    *token_sets_dropdown;
  PxTokenEditor  *editor;
  GtkFlowBox     *model_choices;
  GtkLabel       *status_label;
  GtkFlowBox     *row_choices;
  GtkSwitch      *blind_switch;
  GtkWidget      *reveal_button;
  PxCompareGridView *results;
  AdwPreferencesGroup *history_group;
  GtkListBox     *history_list;
};

G_DEFINE_FINAL_TYPE (PxComparePage, px_compare_page, ADW_TYPE_BIN)

static guint
n_chosen (PxComparePage *self)
{
  guint n = 0;

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  return n;
}

static void
update_sensitivity (PxComparePage *self)
{
  guint n = n_chosen (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.run",
                                 self->running == 0 && self->pending_keys == 0 && !self->starting &&
                                 !self->checking_budget && n >= MIN_MODELS && n <= MAX_MODELS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.export",
                                 self->running == 0 && g_hash_table_size (self->cells) > 0);
  gtk_widget_set_visible (self->reveal_button, px_compare_grid_view_is_hidden (self->results));
  if (self->running == 0 && (n < MIN_MODELS || n > MAX_MODELS))
    gtk_label_set_text (self->status_label, _("Choose two to six models."));
  else if (self->running == 0)
    gtk_label_set_text (self->status_label, "");
}

static char *
cell_key (guint       row,
          const char *model_id)
{
  return g_strdup_printf ("%u:%s", row, model_id);
}

static GHashTable *
chosen_tokens (PxComparePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->token_sets_dropdown);

  if (self->token_sets == NULL || selected >= self->token_sets->len)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return px_token_set_to_table (g_ptr_array_index (self->token_sets, selected));
}

/* The grid's rows: the ticked token sets, or the one chosen above. */
static GPtrArray *
chosen_rows (PxComparePage *self,
             GPtrArray    **names)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

  *names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->row_checks != NULL && i < self->row_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->row_checks, i)) && i < self->token_sets->len)
      {
        g_ptr_array_add (rows, px_token_set_to_table (g_ptr_array_index (self->token_sets, i)));
        g_ptr_array_add (*names, g_strdup (gtk_check_button_get_label (g_ptr_array_index (self->row_checks, i))));
      }
  if (rows->len == 0)
    {
      g_ptr_array_add (rows, chosen_tokens (self));
      g_ptr_array_add (*names, g_strdup (""));
    }
  return rows;
}

/* ---- history ---- */

static void
on_history_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PxComparePage) self = user_data;
  g_autoptr(GPtrArray) list = px_library_list_finish_or_warn (PX_LIBRARY (source), result, "comparisons");
  GtkWidget *row;

  if (list == NULL)
    return;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), list->len > 0);
  /* The twenty newest, newest first. */
  for (guint i = 0; i < MIN (list->len, 20); i++)
    {
      PxComparison *comparison = g_ptr_array_index (list, i);
      g_autofree char *models = g_strjoinv (", ", comparison->models);
      g_autofree char *subtitle = g_strdup_printf (comparison->winner_image_id ? _("%s · %u images · winner kept")
                                                                               : _("%s · %u images"),
                                                   models, comparison->n_images);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), comparison->prompt);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
refresh_history (PxComparePage *self)
{
  if (self->library != NULL)
    px_library_list_async (self->library, px_library_list_comparisons, self->page_cancellable, on_history_read,
                           g_object_ref (self));
}

static void
on_cell_keep (PxCompareCell *cell,
              PxComparePage *self)
{
  px_compare_page_keep_row (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cell), "row")),
                            px_compare_cell_get_model_id (cell));
}

typedef struct {
  PxComparePage       *page;
  PxCompareCell       *cell;
  PxGenerationRequest *request;
  gint64               comparison_id;
} Run;

static void
run_free (Run *run)
{
  px_generation_request_free (run->request);
  g_object_unref (run->cell);
  g_object_unref (run->page);
  g_free (run);
}

static void
finish_one (PxComparePage *self)
{
  if (--self->running == 0)
    {
      gtk_label_set_text (self->status_label, _("Done. Keep the one you like best; every result is in the Gallery."));
      gtk_widget_activate_action (GTK_WIDGET (self), "win.library-changed", NULL);
      refresh_history (self);
      update_sensitivity (self);
    }
}

/* One model's result on its way to the library and the grid: kept, tagged
 * with the comparison and decoded on a worker. */
typedef struct {
  Run                *run;
  PxLibrary          *library;
  PxGenerationResult *result;
  gint64              comparison_id;
  GArray             *ids;
  GdkTexture         *texture;
} Kept;

static void
kept_free (Kept *kept)
{
  run_free (kept->run);
  g_clear_object (&kept->library);
  px_generation_result_free (kept->result);
  g_array_unref (kept->ids);
  g_clear_object (&kept->texture);
  g_free (kept);
}

static void
keep_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Kept *kept = task_data;
  PxImage *image = g_ptr_array_index (kept->result->images, 0);
  GError *error = NULL;

  kept->texture = gdk_texture_new_from_bytes (image->bytes, NULL);
  /* Paid for: kept even when the page has gone meanwhile. */
  if (kept->library != NULL &&
      (!px_library_keep_result (kept->library, kept->run->request, kept->result, "compare", NULL, NULL, kept->ids,
                                NULL, &error) ||
       !px_library_tag_comparison (kept->library, g_array_index (kept->ids, gint64, 0), kept->comparison_id, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_kept (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Kept *kept = g_task_get_task_data (G_TASK (result));
  PxComparePage *self = kept->run->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf (_("%.1f s · $%.3f%s"), kept->result->generation_ms / 1000.0,
                                           kept->result->cost, kept->result->cached ? _(" · from the cache") : "");
  gboolean saved = g_task_propagate_boolean (G_TASK (result), &error);
  gint64 id = saved && kept->ids->len > 0 ? g_array_index (kept->ids, gint64, 0) : 0;

  if (saved && kept->library != NULL && !kept->result->cached)
    px_spending_notice (kept->library, kept->result->provider_id);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->results == NULL)
    return;

  px_compare_cell_set_numbers (kept->run->cell, kept->result->generation_ms, kept->result->cost);
  px_compare_cell_show_result (kept->run->cell, kept->texture, error ? error->message : text, id);
  finish_one (self);
}

static void
on_generated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  PxComparePage *self = run->page;
  g_autoptr(GError) error = NULL;
  PxGenerationResult *generated = px_engine_generate_finish (PX_ENGINE (source), result, &error);
  g_autoptr(GTask) task = NULL;
  Kept *kept;

  if (generated == NULL)
    {
      if (self->results != NULL)
        {
          px_compare_cell_show_error (run->cell, error->message);
          finish_one (self);
        }
      run_free (run);
      return;
    }

  if (self->results != NULL)
    px_compare_cell_show_saving (run->cell);
  kept = g_new0 (Kept, 1);
  kept->run = run;
  kept->library = self->library ? g_object_ref (self->library) : NULL;
  kept->result = generated;
  kept->comparison_id = run->comparison_id;
  kept->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  task = g_task_new (NULL, self->page_cancellable, on_kept, NULL);
  g_task_set_task_data (task, kept, (GDestroyNotify) kept_free);
  g_task_run_in_thread (task, keep_in_thread);
}

/* What one comparison asks for: each row saved as a comparison first (its
 * id tags the row's results), then every row sent to every chosen model
 * at once. */
typedef struct {
  PxComparePage *page;
  char          *template_text;
  GPtrArray     *rows;         /* GHashTable: token values */
  GPtrArray     *prompts;      /* char *, each row's */
  GStrv          model_ids;
  GStrv          model_names;
  GArray        *ids;          /* gint64, each row's comparison */
  gboolean       blind;
} Comparison;

static void
comparison_free (Comparison *comparison)
{
  g_object_unref (comparison->page);
  g_free (comparison->template_text);
  g_ptr_array_unref (comparison->rows);
  g_ptr_array_unref (comparison->prompts);
  g_strfreev (comparison->model_ids);
  g_strfreev (comparison->model_names);
  g_array_unref (comparison->ids);
  g_free (comparison);
}

static void
send_all (PxComparePage *self,
          Comparison    *comparison)
{
  guint n_models = g_strv_length (comparison->model_ids);

  g_array_set_size (self->row_ids, 0);
  g_array_append_vals (self->row_ids, comparison->ids->data, comparison->ids->len);
  self->comparison_id = comparison->ids->len > 0 ? g_array_index (comparison->ids, gint64, 0) : 0;
  g_hash_table_remove_all (self->cells);
  px_compare_grid_view_reset (self->results, (const char * const *) comparison->model_ids,
                              (const char * const *) comparison->model_names, comparison->rows, comparison->blind);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->results), GTK_TYPE_SCROLLED_WINDOW), TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* All at once: the engine keeps each provider within its limits. */
  for (guint r = 0; r < comparison->rows->len; r++)
    for (guint m = 0; m < n_models; m++)
      {
        const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (self->engine),
                                                        comparison->model_ids[m], NULL);
        g_autofree char *qualified = NULL;
        const char *prompt = g_ptr_array_index (comparison->prompts, r);
        GHashTable *tokens = g_ptr_array_index (comparison->rows, r);
        PxGenerationRequest *request;
        Run *run;

        if (model == NULL)
          continue;
        qualified = g_strdup_printf ("%s/%s", model->provider_id, model->id);
        run = g_new0 (Run, 1);
        run->page = g_object_ref (self);
        run->cell = g_object_ref_sink (px_compare_cell_new (model->id, model->name));
        run->comparison_id = r < comparison->ids->len ? g_array_index (comparison->ids, gint64, r) : 0;
        g_object_set_data (G_OBJECT (run->cell), "row", GUINT_TO_POINTER (r));
        g_signal_connect_object (run->cell, "keep", G_CALLBACK (on_cell_keep), self, 0);
        px_compare_grid_view_add_cell (self->results, r, m, run->cell);
        g_hash_table_insert (self->cells, cell_key (r, model->id), run->cell);
        run->request = px_generation_request_new (qualified, prompt);
        px_generation_request_set_template (run->request, comparison->template_text, tokens);
        request = px_generation_request_new (qualified, prompt);
        px_generation_request_set_template (request, comparison->template_text, tokens);
        self->running++;
        px_engine_generate_async (self->engine, request, self->cancellable, on_generated, run);
      }
  self->starting = FALSE;
  gtk_label_set_text (self->status_label, _("Generating with every model at once…"));
  update_sensitivity (self);
}

static gboolean
add_comparison (PxLibrary     *library,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Comparison *comparison = data;

  for (guint r = 0; r < comparison->rows->len; r++)
    {
      gint64 id = px_library_add_comparison (library, comparison->template_text,
                                             g_ptr_array_index (comparison->prompts, r),
                                             g_ptr_array_index (comparison->rows, r),
                                             (const char * const *) comparison->model_ids, error);

      if (id == 0)
        return FALSE;
      g_array_append_val (comparison->ids, id);
    }
  return TRUE;
}

static void
on_comparison_added (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Comparison *comparison = NULL;
  PxComparePage *self;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &comparison, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self = comparison->page;
      self->starting = FALSE;
      gtk_label_set_text (self->status_label, error->message);
      update_sensitivity (self);
      return;
    }
  send_all (comparison->page, comparison);
}

static void
start_all (PxComparePage *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GPtrArray) row_names = NULL;
  Comparison *comparison = g_new0 (Comparison, 1);

  comparison->page = g_object_ref (self);
  comparison->template_text = px_token_editor_get_text (self->editor);
  comparison->rows = chosen_rows (self, &row_names);
  comparison->prompts = g_ptr_array_new_with_free_func (g_free);
  comparison->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  comparison->blind = gtk_switch_get_active (self->blind_switch);
  /* Every row's prompt first: a row that cannot be filled sends nothing. */
  for (guint r = 0; r < comparison->rows->len; r++)
    {
      g_autoptr(GError) error = NULL;
      char *prompt = px_tokens_resolve (comparison->template_text, g_ptr_array_index (comparison->rows, r), 0,
                                        &error);

      if (prompt == NULL)
        {
          const char *name = g_ptr_array_index (row_names, r);
          g_autofree char *message = *name ? g_strdup_printf (_("Row %u (%s): %s"), r + 1, name, error->message)
                                           : g_strdup (error->message);

          gtk_label_set_text (self->status_label, message);
          update_sensitivity (self);
          gtk_label_set_text (self->status_label, message);
          comparison_free (comparison);
          return;
        }
      g_ptr_array_add (comparison->prompts, prompt);
    }

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      {
        g_strv_builder_add (ids, ((PxModel *) g_ptr_array_index (self->models, i))->id);
        g_strv_builder_add (names, ((PxModel *) g_ptr_array_index (self->models, i))->name);
      }
  comparison->model_ids = g_strv_builder_end (ids);
  comparison->model_names = g_strv_builder_end (names);

  if (self->library == NULL)
    {
      send_all (self, comparison);
      comparison_free (comparison);
      return;
    }
  self->starting = TRUE;
  update_sensitivity (self);
  px_library_write_async (self->library, add_comparison, comparison, (GDestroyNotify) comparison_free,
                          self->page_cancellable, on_comparison_added, NULL);
}

/* A provider's key is known (or will not be): the comparison starts when
 * the last one is; without a key, that provider's cells say so. */
static void
on_key_ensured (GtkWidget  *from,
                gboolean    ready,
                const char *note)
{
  PxComparePage *self = PX_COMPARE_PAGE (from);

  /* The page went away meanwhile: nothing to start. */
  if (self->cancellable == NULL)
    return;
  if (--self->pending_keys == 0)
    start_all (self);
  else
    update_sensitivity (self);
}

static void look_up_keys (PxComparePage *self);

/* A spent monthly budget (overall or a provider's) sends nothing: the
 * reason shows where the progress would. */
static void
on_budget_checked (GtkWidget  *from,
                   gboolean    go_on,
                   const char *reason)
{
  PxComparePage *self = PX_COMPARE_PAGE (from);

  self->checking_budget = FALSE;
  /* The page may have gone while the budget was read. */
  if (self->engine == NULL || self->results == NULL)
    return;
  update_sensitivity (self);
  if (go_on)
    look_up_keys (self);
  else
    gtk_label_set_text (self->status_label, reason);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PxComparePage *self = PX_COMPARE_PAGE (widget);

  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (self->checking_budget)
    return;
  rows = chosen_rows (self, &names);
  if (rows->len > MAX_ROWS)
    {
      gtk_label_set_text (self->status_label, _("Choose up to ten token sets as rows."));
      return;
    }
  self->checking_budget = TRUE;
  update_sensitivity (self);
  px_spending_check (widget, self->library, NULL, FALSE, on_budget_checked);
}

/* Each provider's key first (from the environment or the keyring, else
 * asked for); a provider still without one shows its error in its cells. */
static void
look_up_keys (PxComparePage *self)
{
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);
  PxCatalog *catalog = px_engine_get_catalog (self->engine);

  self->pending_keys = 1;
  for (guint i = 0; i < self->checks->len; i++)
    {
      const PxModel *model = g_ptr_array_index (self->models, i);
      const PxProviderInfo *info = px_catalog_lookup_provider (catalog, model->provider_id);

      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks, i)) || info == NULL ||
          g_hash_table_contains (asked, info->id) || px_engine_has_api_key (self->engine, info->id) ||
          info->key_policy == PX_KEY_NONE)
        continue;
      g_hash_table_add (asked, info->id);
      self->pending_keys++;
      px_key_ensure (GTK_WIDGET (self), self->engine, info, on_key_ensured);
    }
  update_sensitivity (self);
  if (--self->pending_keys == 0)
    start_all (self);
}

/* ---- public ---- */

typedef struct {
  PxComparePage *page;
  PxCompareCell *cell;
  guint          row;
  gint64         comparison_id;
  gint64         image_id;
} Winner;

static void
winner_free (Winner *winner)
{
  g_object_unref (winner->page);
  g_object_unref (winner->cell);
  g_free (winner);
}

static gboolean
set_winner (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Winner *winner = data;

  return px_library_set_comparison_winner (library, winner->comparison_id, winner->image_id, error);
}

static void
on_winner_set (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Winner *winner = NULL;
  PxComparePage *self;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &winner, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (winner->page->status_label, error->message);
      return;
    }
  self = winner->page;
  if (self->results == NULL)
    return;
  /* The grid marks the row's winner (and reveals a blind grid once every
   * row has one). */
  {
    PxCompareGrid *grid = px_compare_grid_view_get_grid (self->results);

    for (guint m = 0; grid != NULL && m < px_compare_grid_get_n_models (grid); m++)
      if (g_strcmp0 (px_compare_grid_get_model (grid, m), px_compare_cell_get_model_id (winner->cell)) == 0)
        px_compare_grid_view_set_winner (self->results, winner->row, m);
  }
  gtk_label_set_text (self->status_label, px_compare_grid_view_is_hidden (self->results)
                                          ? _("Kept. Pick the best in every row to see which model made it.")
                                          : _("Kept. All results stay in the Gallery, tagged with this comparison."));
  update_sensitivity (self);
  refresh_history (self);
}

/* Keeps model_id's image as row @row's winner (saved off the main thread;
 * the cell is marked then). FALSE when that model has no image there. */
gboolean
px_compare_page_keep_row (PxComparePage *self,
                          guint          row,
                          const char    *model_id)
{
  g_autofree char *key = cell_key (row, model_id);
  PxCompareCell *cell = g_hash_table_lookup (self->cells, key);
  gint64 image_id = cell ? px_compare_cell_get_image_id (cell) : 0;
  Winner *winner;

  if (image_id == 0 || self->library == NULL || row >= self->row_ids->len)
    return FALSE;
  winner = g_new0 (Winner, 1);
  winner->page = g_object_ref (self);
  winner->cell = g_object_ref (cell);
  winner->row = row;
  winner->comparison_id = g_array_index (self->row_ids, gint64, row);
  winner->image_id = image_id;
  px_library_write_async (self->library, set_winner, winner, (GDestroyNotify) winner_free, self->page_cancellable,
                          on_winner_set, NULL);
  return TRUE;
}

/* The first (or only) row's winner. */
gboolean
px_compare_page_keep (PxComparePage *self,
                      const char    *model_id)
{
  return px_compare_page_keep_row (self, 0, model_id);
}

static void
on_check_toggled (PxComparePage *self)
{
  update_sensitivity (self);
}

static void
reveal_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxComparePage *self = PX_COMPARE_PAGE (widget);

  px_compare_grid_view_reveal (self->results);
  update_sensitivity (self);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxComparePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (px_compare_grid_view_export_finish (PX_COMPARE_GRID_VIEW (source), result, &error))
    text = g_strdup (_("The grid was exported, with its numbers as CSV beside it."));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (_("The grid could not be exported: %s"), error->message);
  if (text != NULL && self->status_label != NULL)
    gtk_label_set_text (self->status_label, text);
}

/* The grid as shown, as a PNG at @path (and @path's .csv), on a worker. */
void
px_compare_page_export_grid (PxComparePage *self,
                             const char    *path)
{
  if (self->library == NULL || g_hash_table_size (self->cells) == 0)
    return;
  px_compare_grid_view_export_async (self->results, self->library, path, self->page_cancellable, on_exported,
                                     g_object_ref (self));
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  PxComparePage   *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                           : NULL;

  if (file != NULL && g_file_peek_path (file) != NULL)
    px_compare_page_export_grid (self, g_file_peek_path (file));
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxComparePage *self = PX_COMPARE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export the Grid"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "comparison.png");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_token_sets_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PxComparePage) self = user_data;
  g_auto(GStrv) names = NULL;
  g_autoptr(GtkStringList) list = NULL;
  GPtrArray *sets = px_library_token_sets_finish (PX_LIBRARY (source), result, NULL, &names);

  if (sets == NULL)
    return;
  g_clear_pointer (&self->token_sets, g_ptr_array_unref);
  self->token_sets = sets;
  list = gtk_string_list_new ((const char * const *) names);
  gtk_drop_down_set_model (self->token_sets_dropdown, G_LIST_MODEL (list));
  /* The same sets, as the grid's possible rows. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->row_choices))) != NULL)
      gtk_flow_box_remove (self->row_choices, child);
    g_ptr_array_set_size (self->row_checks, 0);
    for (guint i = 0; names != NULL && names[i] != NULL; i++)
      {
        GtkWidget *check = gtk_check_button_new_with_label (names[i]);

        gtk_widget_set_name (check, names[i]);
        gtk_flow_box_append (self->row_choices, check);
        /* One Tab stop per choice: the check, not the box's cell around it. */
        gtk_widget_set_focusable (gtk_widget_get_parent (check), FALSE);
        g_ptr_array_add (self->row_checks, check);
      }
  }
}

void
px_compare_page_set_application (PxComparePage *self,
                                 PxApplication *application)
{
  g_autoptr(GPtrArray) models = NULL;

  self->application = application;
  self->engine = g_object_ref (px_application_get_engine (application));
  self->library = px_application_get_library (application, NULL);
  if (self->library != NULL)
    g_object_ref (self->library);

  /* Retired models stay known (what names them still opens) but are not offered. */
  models = px_catalog_list_offered (px_engine_get_catalog (self->engine));
  for (guint i = 0; i < models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (models, i);
      GtkWidget *check = gtk_check_button_new_with_label (model->name);

      gtk_widget_set_name (check, model->id);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);
      gtk_flow_box_append (self->model_choices, check);
      gtk_widget_set_focusable (gtk_widget_get_parent (check), FALSE);
      g_ptr_array_add (self->models, (gpointer) model);
      g_ptr_array_add (self->checks, check);
    }

  if (self->library != NULL)
    px_library_list_async (self->library, px_library_list_token_sets, self->page_cancellable, on_token_sets_read,
                           g_object_ref (self));
  refresh_history (self);
  update_sensitivity (self);
}

gboolean
px_compare_page_choose_model (PxComparePage *self,
                              const char    *model_id,
                              gboolean       chosen)
{
  for (guint i = 0; i < self->models->len; i++)
    if (g_str_equal (((PxModel *) g_ptr_array_index (self->models, i))->id, model_id))
      {
        gtk_check_button_set_active (g_ptr_array_index (self->checks, i), chosen);
        return TRUE;
      }
  return FALSE;
}

PxTokenEditor *
px_compare_page_get_editor (PxComparePage *self)
{
  return self->editor;
}

gboolean
px_compare_page_is_running (PxComparePage *self)
{
  return self->running > 0 || self->pending_keys > 0 || self->starting || self->checking_budget;
}

gint64
px_compare_page_get_comparison (PxComparePage *self)
{
  return self->comparison_id;
}

guint
px_compare_page_get_n_cells (PxComparePage *self)
{
  return g_hash_table_size (self->cells);
}

const char *
px_compare_page_get_cell_text (PxComparePage *self,
                               const char    *model_id)
{
  g_autofree char *key = cell_key (0, model_id);
  PxCompareCell *cell = g_hash_table_lookup (self->cells, key);

  return cell ? px_compare_cell_get_text (cell) : NULL;
}

/* Ticks the token sets named in @names as the grid's rows (the others
 * not); FALSE if one is not there. */
gboolean
px_compare_page_choose_rows (PxComparePage      *self,
                             const char * const *names)
{
  guint found = 0;

  for (guint i = 0; i < self->row_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->row_checks, i);
      gboolean chosen = names != NULL && g_strv_contains (names, gtk_check_button_get_label (check));

      gtk_check_button_set_active (check, chosen);
      found += chosen;
    }
  return names == NULL || found == g_strv_length ((char **) names);
}

guint
px_compare_page_get_n_token_sets (PxComparePage *self)
{
  return self->row_checks->len;
}

void
px_compare_page_set_blind (PxComparePage *self,
                           gboolean       blind)
{
  gtk_switch_set_active (self->blind_switch, blind);
}

PxCompareGridView *
px_compare_page_get_grid_view (PxComparePage *self)
{
  return self->results;
}

static void
px_compare_page_dispose (GObject *object)
{
  PxComparePage *self = PX_COMPARE_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_COMPARE_PAGE);
  g_clear_object (&self->engine);
  g_clear_object (&self->library);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->token_sets, g_ptr_array_unref);
  g_clear_pointer (&self->cells, g_hash_table_unref);
  g_clear_pointer (&self->row_ids, g_array_unref);
  g_clear_pointer (&self->row_checks, g_ptr_array_unref);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (px_compare_page_parent_class)->dispose (object);
}

static void
px_compare_page_class_init (PxComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_compare_page_dispose;

  g_type_ensure (PX_TYPE_TOKEN_EDITOR);
  g_type_ensure (PX_TYPE_COMPARE_GRID_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-compare-page.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "token_sets", FALSE,
                                             G_STRUCT_OFFSET (PxComparePage, token_sets_dropdown));
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, editor);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, model_choices);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, results);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, row_choices);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, blind_switch);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, history_group);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, history_list);
  gtk_widget_class_install_action (widget_class, "compare.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "compare.reveal", NULL, reveal_action);
  gtk_widget_class_install_action (widget_class, "compare.export", NULL, export_action);
}

static void
px_compare_page_init (PxComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  px_adaptive_wrap_button_labels (gtk_widget_get_parent (self->reveal_button));
  self->models = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();
  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->row_checks = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  self->page_cancellable = g_cancellable_new ();
  px_token_editor_set_text (self->editor, _("A lighthouse on a cliff at dusk, [STYLE|oil painting]"));
  update_sensitivity (self);
}
