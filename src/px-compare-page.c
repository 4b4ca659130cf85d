/* px-compare-page.c: one prompt (tokens filled from a token set) sent to
 * two to six models at once; a grid of what each made, with its time and
 * cost or its error; every result saved in the library tagged with the
 * comparison, one of them kept as the winner. Earlier comparisons are
 * listed. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-compare-cell.h"
#include "px-compare-page.h"
#include "px-spending.h"
#include "px-credentials.h"
#include "px-key-dialog.h"
#include "px-tokens.h"

#define MIN_MODELS 2
#define MAX_MODELS 6

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
  GHashTable     *cells;         /* model id -> PxCompareCell */
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
  GtkFlowBox     *results;
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
  if (self->running == 0 && (n < MIN_MODELS || n > MAX_MODELS))
    gtk_label_set_text (self->status_label, _("Choose two to six models."));
  else if (self->running == 0)
    gtk_label_set_text (self->status_label, "");
}

static GHashTable *
chosen_tokens (PxComparePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->token_sets_dropdown);

  if (self->token_sets == NULL || selected >= self->token_sets->len)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return px_token_set_to_table (g_ptr_array_index (self->token_sets, selected));
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
  px_compare_page_keep (self, px_compare_cell_get_model_id (cell));
}

typedef struct {
  PxComparePage       *page;
  PxCompareCell       *cell;
  PxGenerationRequest *request;
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
  kept->comparison_id = self->comparison_id;
  kept->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  task = g_task_new (NULL, self->page_cancellable, on_kept, NULL);
  g_task_set_task_data (task, kept, (GDestroyNotify) kept_free);
  g_task_run_in_thread (task, keep_in_thread);
}

/* What one comparison asks for: saved as a comparison first (its id tags
 * every result), then sent to every chosen model at once. */
typedef struct {
  PxComparePage *page;
  char          *template_text;
  char          *prompt;
  GHashTable    *tokens;
  GStrv          model_ids;
  gint64         id;
} Comparison;

static void
comparison_free (Comparison *comparison)
{
  g_object_unref (comparison->page);
  g_free (comparison->template_text);
  g_free (comparison->prompt);
  g_hash_table_unref (comparison->tokens);
  g_strfreev (comparison->model_ids);
  g_free (comparison);
}

static void
send_all (PxComparePage *self,
          Comparison    *comparison)
{
  GtkWidget *child;

  self->comparison_id = comparison->id;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_flow_box_remove (self->results, child);
  g_hash_table_remove_all (self->cells);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* All at once: the engine keeps each provider within its limits. */
  for (guint i = 0; i < self->checks->len; i++)
    {
      const PxModel *model = g_ptr_array_index (self->models, i);
      g_autofree char *qualified = g_strdup_printf ("%s/%s", model->provider_id, model->id);
      PxGenerationRequest *request;
      Run *run;

      if (!g_strv_contains ((const char * const *) comparison->model_ids, model->id))
        continue;
      run = g_new0 (Run, 1);
      run->page = g_object_ref (self);
      run->cell = g_object_ref_sink (px_compare_cell_new (model->id, model->name));
      g_signal_connect_object (run->cell, "keep", G_CALLBACK (on_cell_keep), self, 0);
      gtk_flow_box_append (self->results, GTK_WIDGET (run->cell));
      g_hash_table_insert (self->cells, g_strdup (model->id), run->cell);
      run->request = px_generation_request_new (qualified, comparison->prompt);
      px_generation_request_set_template (run->request, comparison->template_text, comparison->tokens);
      request = px_generation_request_new (qualified, comparison->prompt);
      px_generation_request_set_template (request, comparison->template_text, comparison->tokens);
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

  comparison->id = px_library_add_comparison (library, comparison->template_text, comparison->prompt,
                                              comparison->tokens, (const char * const *) comparison->model_ids,
                                              error);
  return comparison->id != 0;
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
  g_autoptr(GError) error = NULL;
  Comparison *comparison = g_new0 (Comparison, 1);

  comparison->page = g_object_ref (self);
  comparison->template_text = px_token_editor_get_text (self->editor);
  comparison->tokens = chosen_tokens (self);
  comparison->prompt = px_tokens_resolve (comparison->template_text, comparison->tokens, 0, &error);
  if (comparison->prompt == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      update_sensitivity (self);
      comparison_free (comparison);
      return;
    }

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_strv_builder_add (ids, ((PxModel *) g_ptr_array_index (self->models, i))->id);
  comparison->model_ids = g_strv_builder_end (ids);

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

typedef struct {
  PxComparePage        *page;
  const PxProviderInfo *info;
} KeyLookup;

static void
key_lookup_free (KeyLookup *lookup)
{
  g_object_unref (lookup->page);
  g_free (lookup);
}

static void
key_lookup_done (KeyLookup *lookup)
{
  PxComparePage *self = lookup->page;

  if (--self->pending_keys == 0 && self->cancellable != NULL)
    start_all (self);
  else if (self->cancellable != NULL)
    update_sensitivity (self);
}

static void
on_key_answered (gpointer      user_data,
                 gboolean      saved,
                 const GError *keyring_error)
{
  key_lookup_done (user_data);
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  KeyLookup *lookup = user_data;
  PxComparePage *self = lookup->page;
  g_autofree char *key = px_credentials_find_finish (result, NULL);

  /* The page went away while the keyring answered: nothing to start. */
  if (self->cancellable != NULL && key != NULL)
    px_engine_set_api_key (self->engine, lookup->info->id, key);
  else if (self->cancellable != NULL && gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      /* No key anywhere: asked for, in the same dialog as everywhere; the
       * comparison starts when it is answered (without a key that
       * provider's cells say so). */
      px_key_dialog_ask (GTK_WIDGET (self), self->engine, lookup->info, on_key_answered, lookup,
                         (GDestroyNotify) key_lookup_free);
      return;
    }
  key_lookup_done (lookup);
  key_lookup_free (lookup);
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

  if (self->checking_budget)
    return;
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
      {
        KeyLookup *lookup = g_new0 (KeyLookup, 1);

        lookup->page = g_object_ref (self);
        lookup->info = info;
        g_hash_table_add (asked, info->id);
        self->pending_keys++;
        px_credentials_find_async (info, self->cancellable, on_key_found, lookup);
      }
    }
  update_sensitivity (self);
  if (--self->pending_keys == 0)
    start_all (self);
}

/* ---- public ---- */

typedef struct {
  PxComparePage *page;
  PxCompareCell *cell;
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
  GHashTableIter iter;
  gpointer key, value;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &winner, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (winner->page->status_label, error->message);
      return;
    }
  self = winner->page;
  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &key, &value))
    px_compare_cell_set_winner (value, value == winner->cell);
  gtk_label_set_text (self->status_label, _("Kept. All results stay in the Gallery, tagged with this comparison."));
  refresh_history (self);
}

/* Keeps model_id's image as the comparison's winner (saved off the main
 * thread; the cell is marked then). FALSE when that model has no image. */
gboolean
px_compare_page_keep (PxComparePage *self,
                      const char    *model_id)
{
  PxCompareCell *cell = g_hash_table_lookup (self->cells, model_id);
  gint64 image_id = cell ? px_compare_cell_get_image_id (cell) : 0;
  Winner *winner;

  if (image_id == 0 || self->library == NULL)
    return FALSE;
  winner = g_new0 (Winner, 1);
  winner->page = g_object_ref (self);
  winner->cell = g_object_ref (cell);
  winner->comparison_id = self->comparison_id;
  winner->image_id = image_id;
  px_library_write_async (self->library, set_winner, winner, (GDestroyNotify) winner_free, self->page_cancellable,
                          on_winner_set, NULL);
  return TRUE;
}

static void
on_check_toggled (PxComparePage *self)
{
  update_sensitivity (self);
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
  PxCompareCell *cell = g_hash_table_lookup (self->cells, model_id);

  return cell ? px_compare_cell_get_text (cell) : NULL;
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

  G_OBJECT_CLASS (px_compare_page_parent_class)->dispose (object);
}

static void
px_compare_page_class_init (PxComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_compare_page_dispose;

  g_type_ensure (PX_TYPE_TOKEN_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-compare-page.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "token_sets", FALSE,
                                             G_STRUCT_OFFSET (PxComparePage, token_sets_dropdown));
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, editor);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, model_choices);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, results);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, history_group);
  gtk_widget_class_bind_template_child (widget_class, PxComparePage, history_list);
  gtk_widget_class_install_action (widget_class, "compare.run", NULL, run_action);
}

static void
px_compare_page_init (PxComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->models = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();
  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->page_cancellable = g_cancellable_new ();
  px_token_editor_set_text (self->editor, _("A lighthouse on a cliff at dusk, [STYLE|oil painting]"));
  update_sensitivity (self);
}
