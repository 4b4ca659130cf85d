/* px-apply-edits-dialog.c: Apply Edits for a batch. The recipes of saved
 * edits are listed (read on a worker), or a recipe file is opened (read
 * and checked on a worker: a bad one says which step); the run is
 * px_edit_batch_run on a worker, the bar polled from here, Cancel keeps
 * the edits made so far and a new run carries on. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-apply-edits-dialog.h"
#include "px-edit-batch.h"
#include "px-recipe.h"
#include "px-window.h"

typedef struct {
  gint done;
  gint total;
} Progress;

struct _PxApplyEditsDialog
{
  AdwWindow       parent_instance;

  PxLibrary      *library;
  gint64          batch_id;
  GPtrArray      *recipes;       /* PxRecipe, in the row's order */
  GtkStringList  *names;
  GCancellable   *cancellable;   /* the dialog's life */
  GCancellable   *running;       /* a run's */
  Progress       *progress;
  guint           progress_source;

  GtkLabel       *intro_label;
  AdwComboRow    *recipe_row;
  GtkWidget      *progress_box;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;
};

G_DEFINE_FINAL_TYPE (PxApplyEditsDialog, px_apply_edits_dialog, ADW_TYPE_WINDOW)

static void
update_actions (PxApplyEditsDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "edits.apply", self->running == NULL && self->recipes->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "edits.cancel", self->running != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "edits.open", self->running == NULL);
}

/* Takes @recipe, shown first and chosen. */
static void
add_recipe (PxApplyEditsDialog *self,
            PxRecipe           *recipe,
            gboolean            choose)
{
  g_autofree char *name = px_recipe_describe (recipe);

  g_ptr_array_insert (self->recipes, 0, recipe);
  gtk_string_list_splice (self->names, 0, 0, (const char * const[]) { name, NULL });
  if (choose)
    adw_combo_row_set_selected (self->recipe_row, 0);
  update_actions (self);
}

/* ---- the saved edits ---- */

static gboolean
list_recipes (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  GPtrArray **recipes = data;

  *recipes = px_library_list_recipes (library, 30, error);
  return *recipes != NULL;
}

static void
on_recipes_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PxApplyEditsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray **listed = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &listed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  /* Oldest first into the top, so the newest ends first. */
  for (guint i = (*listed)->len; i > 0; i--)
    {
      PxRecipe *recipe = px_recipe_new_from_json (g_ptr_array_index (*listed, i - 1), -1, NULL);

      if (recipe != NULL)
        add_recipe (self, recipe, FALSE);
    }
  adw_combo_row_set_selected (self->recipe_row, 0);
  if (self->recipes->len == 0)
    gtk_label_set_text (self->status_label, _("No saved edit yet: open a recipe file, or edit an image and save it "
                                              "as a new version first."));
}

static void
free_listed (gpointer data)
{
  GPtrArray **listed = data;

  g_clear_pointer (listed, g_ptr_array_unref);
  g_free (listed);
}

/* ---- a recipe file ---- */

static void
read_recipe_in_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  PxRecipe *recipe = px_recipe_new_from_file (task_data, &error);

  if (recipe != NULL)
    g_task_return_pointer (task, recipe, (GDestroyNotify) px_recipe_free);
  else
    g_task_return_error (task, error);
}

static void
on_recipe_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PxApplyEditsDialog *self = PX_APPLY_EDITS_DIALOG (source);
  g_autoptr(GError) error = NULL;
  PxRecipe *recipe = g_task_propagate_pointer (G_TASK (result), &error);

  if (recipe == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  gtk_label_set_text (self->status_label, "");
  add_recipe (self, recipe, TRUE);
}

/* Reads the recipe in @path (off the main thread) and chooses it. */
gboolean
px_apply_edits_dialog_use_file (PxApplyEditsDialog *self,
                                const char         *path)
{
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (PX_IS_APPLY_EDITS_DIALOG (self), FALSE);

  task = g_task_new (self, self->cancellable, on_recipe_read, NULL);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_recipe_in_thread);
  return TRUE;
}

static void
on_file_chosen (GtkNativeDialog    *chooser,
                int                 response,
                PxApplyEditsDialog *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                           : NULL;

  if (file != NULL && g_file_peek_path (file) != NULL)
    px_apply_edits_dialog_use_file (self, g_file_peek_path (file));
  g_object_unref (chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Open Recipe"), GTK_WINDOW (widget),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                                               _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Edit recipes (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_chosen), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the run ---- */

typedef struct {
  PxLibrary *library;
  gint64     batch_id;
  PxRecipe  *recipe;
  Progress  *progress;
  guint      skipped;
} Run;

static void
run_free (Run *run)
{
  g_object_unref (run->library);
  px_recipe_free (run->recipe);
  g_atomic_rc_box_release (run->progress);
  g_free (run);
}

static void
on_progress (guint    done,
             guint    total,
             gint64   edit_id,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_atomic_int_set (&progress->total, (gint) total);
  g_atomic_int_set (&progress->done, (gint) done);
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Run *run = task_data;
  GError *error = NULL;

  if (px_edit_batch_run (run->library, run->batch_id, run->recipe, 0, on_progress, run->progress, cancellable,
                         &run->skipped, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
show_progress (gpointer data)
{
  PxApplyEditsDialog *self = data;
  int done = g_atomic_int_get (&self->progress->done), total = g_atomic_int_get (&self->progress->total);
  g_autofree char *text = g_strdup_printf (_("%d of %d edited"), done, total);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
  gtk_progress_bar_set_text (self->progress_bar, total > 0 ? text : _("Starting…"));
  return G_SOURCE_CONTINUE;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxApplyEditsDialog *self = PX_APPLY_EDITS_DIALOG (source);
  Run *run = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  int done = g_atomic_int_get (&run->progress->done);

  g_task_propagate_boolean (G_TASK (result), &error);
  if (self->running == NULL)
    return;   /* closed */
  show_progress (self);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->running);
  gtk_widget_set_visible (self->progress_box, FALSE);
  update_actions (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (ngettext ("Cancelled after %d image; it is kept, and applying again carries on.",
                                      "Cancelled after %d images; they are kept, and applying again carries on.",
                                      done), done);
  else if (error != NULL)
    text = g_strdup (error->message);
  else
    text = g_strdup_printf (_("%d edited, %u had this edit already. The new versions are in the Gallery, next to "
                              "their originals."), done, run->skipped);
  gtk_label_set_text (self->status_label, text);
  if (done > 0 && parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.library-changed", NULL);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxApplyEditsDialog *self = PX_APPLY_EDITS_DIALOG (widget);
  guint chosen = adw_combo_row_get_selected (self->recipe_row);
  g_autoptr(GTask) task = NULL;
  Run *run;

  if (self->running != NULL || chosen >= self->recipes->len)
    return;
  run = g_new0 (Run, 1);
  run->library = g_object_ref (self->library);
  run->batch_id = self->batch_id;
  run->recipe = px_recipe_copy (g_ptr_array_index (self->recipes, chosen));
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  self->progress = g_atomic_rc_box_new0 (Progress);
  run->progress = g_atomic_rc_box_acquire (self->progress);
  self->running = g_cancellable_new ();
  task = g_task_new (self, self->running, on_run_done, NULL);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_label_set_text (self->status_label, "");
  update_actions (self);
  show_progress (self);
  self->progress_source = g_timeout_add (100, show_progress, self);
  g_task_run_in_thread (task, run_in_thread);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_cancellable_cancel (PX_APPLY_EDITS_DIALOG (widget)->running);
}

/* ---- life ---- */

PxApplyEditsDialog *
px_apply_edits_dialog_new (GtkWindow *parent,
                           PxLibrary *library,
                           gint64     batch_id)
{
  PxApplyEditsDialog *self = g_object_new (PX_TYPE_APPLY_EDITS_DIALOG, "transient-for", parent, NULL);
  g_autofree char *intro = g_strdup_printf (_("One edit over every image of batch %" PRId64 ", each with its "
                                              "own values in the text. The originals are kept."), batch_id);

  self->library = g_object_ref (library);
  self->batch_id = batch_id;
  gtk_label_set_text (self->intro_label, intro);
  px_library_read_async (library, list_recipes, g_new0 (GPtrArray *, 1), free_listed, self->cancellable,
                         on_recipes_listed, g_object_ref (self));
  return self;
}

/* A recipe is chosen and nothing runs. */
gboolean
px_apply_edits_dialog_is_ready (PxApplyEditsDialog *self)
{
  g_return_val_if_fail (PX_IS_APPLY_EDITS_DIALOG (self), FALSE);

  return self->running == NULL && self->recipes->len > 0;
}

gboolean
px_apply_edits_dialog_is_running (PxApplyEditsDialog *self)
{
  g_return_val_if_fail (PX_IS_APPLY_EDITS_DIALOG (self), FALSE);

  return self->running != NULL;
}

static void
px_apply_edits_dialog_dispose (GObject *object)
{
  PxApplyEditsDialog *self = PX_APPLY_EDITS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->running);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->running);
  g_clear_object (&self->library);
  g_clear_pointer (&self->progress, g_atomic_rc_box_release);
  g_clear_pointer (&self->recipes, g_ptr_array_unref);
  g_clear_object (&self->names);

  G_OBJECT_CLASS (px_apply_edits_dialog_parent_class)->dispose (object);
}

static void
px_apply_edits_dialog_class_init (PxApplyEditsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_apply_edits_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-apply-edits-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PxApplyEditsDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, PxApplyEditsDialog, recipe_row);
  gtk_widget_class_bind_template_child (widget_class, PxApplyEditsDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PxApplyEditsDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PxApplyEditsDialog, status_label);

  gtk_widget_class_install_action (widget_class, "edits.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "edits.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "edits.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
px_apply_edits_dialog_init (PxApplyEditsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->recipes = g_ptr_array_new_with_free_func ((GDestroyNotify) px_recipe_free);
  self->names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->recipe_row, G_LIST_MODEL (self->names));
  update_actions (self);
}
