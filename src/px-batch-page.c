/* px-batch-page.c: the Batch page: a CSV file in (chooser or drop), its
 * rows previewed, the template's tokens matched to its columns, problems
 * listed by row before anything is sent, then the batch runs in the
 * background with progress, pause, cancel and retry, and its results can
 * be exported. Earlier batches are listed to reopen, resume or export. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-batch-page-private.h"
#include "px-provider.h"

G_DEFINE_FINAL_TYPE (PxBatchPage, px_batch_page, ADW_TYPE_BIN)

void
px_batch_page_toast (PxBatchPage *self,
                     const char  *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_message ("%s", title);
}

const PxModel *
px_batch_page_chosen_model (PxBatchPage *self)
{
  guint selected = adw_combo_row_get_selected (self->model_row);

  return self->models != NULL && selected < self->models->len ? g_ptr_array_index (self->models, selected) : NULL;
}

/* ---- history ---- */


static void
on_history_open (GtkButton   *button,
                 PxBatchPage *self)
{
  px_batch_page_show_job (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "job-id")), FALSE);
}

/* The stored status in the user's words. "running" or "paused" with no
 * runner of this page behind it was cut short (a crash, a closed app): it
 * resumes when opened. */
static const char *
status_text (PxBatchPage      *self,
             const PxBatchJob *job)
{
  gboolean ours = self->runner != NULL && self->running && px_batch_runner_get_job (self->runner)->id == job->id;

  if (g_str_equal (job->status, "completed"))
    return _("Completed");
  if (g_str_equal (job->status, "cancelled"))
    return _("Cancelled");
  if (ours)
    return g_str_equal (job->status, "paused") ? _("Paused") : _("Running");
  if (g_str_equal (job->status, "pending"))
    return _("Not started");
  return _("Interrupted — open it to go on");
}

static void
on_history_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GPtrArray) jobs = px_library_list_finish_or_warn (PX_LIBRARY (source), result, "batches");
  GtkWidget *row;

  if (jobs == NULL)
    return;
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), jobs->len > 0);
  /* Newest first, as the library lists them. */
  for (guint i = 0; i < jobs->len; i++)
    {
      PxBatchJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *subtitle = g_strdup_printf (_("%s · %u of %u done · %u failed · %s"), status_text (self, job),
                                                   job->completed, job->total, job->failed, job->model_id);
      GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), job->template_prompt);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (open), "job-id", GSIZE_TO_POINTER ((gsize) job->id));
      g_signal_connect (open, "clicked", G_CALLBACK (on_history_open), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
      gtk_list_box_append (self->history_list, row);
    }
}


void
px_batch_page_refresh_history (PxBatchPage *self)
{
  if (self->library != NULL)
    px_library_list_async (self->library, px_batch_list, self->cancellable, on_history_read, g_object_ref (self));
}

/* ---- public ---- */

/* The token sets a batch can take its other tokens from. */
static void
on_token_sets_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_auto(GStrv) names = NULL;
  g_autoptr(GtkStringList) list = NULL;
  GPtrArray *sets = px_library_token_sets_finish (PX_LIBRARY (source), result, _("None"), &names);

  if (sets == NULL)
    return;
  g_clear_pointer (&self->token_sets, g_ptr_array_unref);
  self->token_sets = sets;
  list = gtk_string_list_new ((const char * const *) names);
  adw_combo_row_set_model (self->globals_row, G_LIST_MODEL (list));
}

void
px_batch_page_set_application (PxBatchPage   *self,
                               PxApplication *application)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) models = NULL;

  g_return_if_fail (PX_IS_BATCH_PAGE (self));

  self->application = application;
  self->engine = g_object_ref (px_application_get_engine (application));
  self->library = px_application_get_library (application, NULL);
  if (self->library != NULL)
    g_object_ref (self->library);

  /* Retired models stay known (what names them still opens) but are not offered. */
  models = px_catalog_list_offered (px_engine_get_catalog (self->engine));
  self->models = g_ptr_array_new ();
  for (guint i = 0; i < models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (models, i);
      g_autofree char *label = px_catalog_describe_model (px_engine_get_catalog (self->engine), model);

      g_ptr_array_add (self->models, (gpointer) model);
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (names));
  px_model_settings_show (self->model_settings, px_batch_page_chosen_model (self), NULL);

  {
    g_autoptr(GtkStringList) sets = gtk_string_list_new ((const char * const[]) { _("None"), NULL });

    adw_combo_row_set_model (self->globals_row, G_LIST_MODEL (sets));
    if (self->library != NULL)
      px_library_list_async (self->library, px_library_list_token_sets, self->cancellable, on_token_sets_read,
                             g_object_ref (self));
  }
  px_batch_page_refresh_history (self);
}

gboolean
px_batch_page_is_running (PxBatchPage *self)
{
  return self->running;
}

/* The window is closing while a batch runs: keep the application (and the
 * batch) alive, and notify when it ends. */
/* "Stop and Close": the batch stops now (saved; it resumes from the list),
 * not when the page is finally freed (the run holds the page till it ends). */
void
px_batch_page_stop (PxBatchPage *self)
{
  g_return_if_fail (PX_IS_BATCH_PAGE (self));

  if (self->runner != NULL && self->running)
    px_batch_runner_cancel (self->runner);
}

/* Shows a batch of the library, without starting it (one with rows left
 * offers Resume). */
void
px_batch_page_open_batch (PxBatchPage *self,
                          gint64       id)
{
  g_return_if_fail (PX_IS_BATCH_PAGE (self));

  if (self->library != NULL && !self->running)
    px_batch_page_show_job (self, id, FALSE);
}

void
px_batch_page_run_in_background (PxBatchPage *self)
{
  g_return_if_fail (PX_IS_BATCH_PAGE (self));

  if (!self->running || self->in_background)
    return;
  self->in_background = TRUE;
  g_application_hold (G_APPLICATION (self->application));
  g_object_ref (self);   /* released with the batch, in on_run_done */
}

gboolean
px_batch_page_select_model (PxBatchPage *self,
                            const char  *model_id)
{
  const PxModel *replacement;

  for (guint i = 0; self->models != NULL && i < self->models->len; i++)
    if (g_str_equal (((PxModel *) g_ptr_array_index (self->models, i))->id, model_id))
      {
        adw_combo_row_set_selected (self->model_row, i);
        return TRUE;
      }
  /* A retired model: its successor is offered in its place. */
  replacement = px_catalog_lookup_replacement (px_engine_get_catalog (self->engine), model_id);
  return replacement != NULL && px_batch_page_select_model (self, replacement->id);
}

PxTokenEditor *
px_batch_page_get_editor (PxBatchPage *self)
{
  return self->editor;
}

const char *
px_batch_page_get_problems (PxBatchPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->problems_label)) ? gtk_label_get_text (self->problems_label) : NULL;
}

const char *
px_batch_page_get_error (PxBatchPage *self)
{
  return g_object_get_data (G_OBJECT (self), "last-error");
}

guint
px_batch_page_get_n_rows (PxBatchPage *self)
{
  return self->rows ? self->rows->len : 0;
}

gint64
px_batch_page_get_job_id (PxBatchPage *self)
{
  return self->job_id;
}

PxBatchRunner *
px_batch_page_get_runner (PxBatchPage *self)
{
  return self->runner;
}

static void
px_batch_page_dispose (GObject *object)
{
  PxBatchPage *self = PX_BATCH_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  px_batch_page_dispose_run (self);
  g_clear_pointer (&self->job_model_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_BATCH_PAGE);
  g_clear_object (&self->engine);
  g_clear_object (&self->library);
  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_pointer (&self->column_tokens, g_strfreev);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_numbers, g_array_unref);
  g_clear_pointer (&self->unreadable, g_ptr_array_unref);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->token_sets, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, g_hash_table_unref);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  g_clear_pointer (&self->bad_rows, g_array_unref);
  g_clear_pointer (&self->csv_name, g_free);

  G_OBJECT_CLASS (px_batch_page_parent_class)->dispose (object);
}

static void
px_batch_page_class_init (PxBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_batch_page_dispose;

  g_type_ensure (PX_TYPE_TOKEN_EDITOR);
  g_type_ensure (PX_TYPE_PROBLEM_BANNER);
  g_type_ensure (PX_TYPE_MODEL_SETTINGS);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-batch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, problem_banner);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, file_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, file_label_above);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, preview);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, editor);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, globals_row);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, model_settings);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, skip_check);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, provider_batch_switch);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, run_title);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, gallery_button);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, items_list);
  px_batch_page_class_init_setup (widget_class);
  px_batch_page_class_init_run (widget_class);
}

static void
px_batch_page_init (PxBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->item_events);
  self->mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mapping_rows = g_ptr_array_new ();
  self->bad_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect_object (self->model_settings, "changed", G_CALLBACK (px_batch_page_validate), self,
                           G_CONNECT_SWAPPED);
  px_batch_page_init_setup (self);
  px_batch_page_init_run (self);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_check), FALSE);
  px_batch_page_set_running (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", FALSE);
}

