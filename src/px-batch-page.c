/* px-batch-page.c: the Batch page: a CSV file in (chooser or drop), its
 * rows previewed, the template's tokens matched to its columns, problems
 * listed by row before anything is sent, then the batch runs in the
 * background with progress, pause, cancel and retry, and its results can
 * be exported. Earlier batches are listed to reopen, resume or export. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-batch-page.h"
#include "px-key-dialog.h"
#include "px-problem-banner.h"
#include "px-provider.h"
#include "px-batch.h"
#include "px-credentials.h"
#include "px-dialog.h"
#include "px-model-settings.h"
#include "px-csv.h"
#include "px-paths.h"
#include "px-token-editor.h"
#include "px-tokens.h"

#define MAX_PROBLEMS_SHOWN 8
#define MAX_ITEMS_SHOWN 60
#define SECONDS_PER_IMAGE_GUESS 12.0
#define FLUSH_INTERVAL_MS 200
#define MAX_ITEMS_PER_FLUSH 10

struct _PxBatchPage
{
  AdwBin                parent_instance;

  PxApplication        *application;
  PxEngine             *engine;
  PxLibrary            *library;

  char                 *csv_name;
  char                **columns;        /* as in the file */
  char                **column_tokens;  /* normalised: the token each column fills */
  GPtrArray            *rows;           /* GStrv, the rows that could be read */
  GArray               *row_numbers;    /* guint: each row's number in the file */
  GPtrArray            *unreadable;     /* messages for rows that could not be read */
  GPtrArray            *models;         /* const PxModel * */
  GHashTable           *mapping;        /* token -> AdwComboRow */
  GPtrArray            *mapping_rows;
  GArray               *bad_rows;       /* 0-based indices of rows with problems */
  guint                 n_problems;

  PxBatchRunner        *runner;
  const PxProviderInfo *key_provider;
  gint64                job_id;
  gint64                started_us;
  guint                 done_at_start;
  gboolean              running;
  gboolean              in_background;
  GCancellable         *cancellable;
  char                 *job_model_id;   /* the shown batch's model, before its runner is open */
  GtkFileChooserNative *chooser;
  guint                 n_items_shown;
  GQueue                item_events;     /* ItemEvent, waiting for the next flush */
  guint                 flush_source;

  GtkStack             *stack;
  AdwPreferencesGroup  *history_group;
  GtkListBox           *history_list;
  GtkLabel             *file_label;
  GtkColumnView        *preview;
  PxTokenEditor        *editor;
  AdwPreferencesGroup  *mapping_group;
  AdwComboRow          *model_row;
  AdwComboRow          *globals_row;
  AdwPreferencesGroup  *model_group;
  PxModelSettings      *model_settings;
  GPtrArray            *token_sets;     /* PxTokenSet, for globals_row (after "None") */
  GtkSpinButton        *concurrency_spin;
  GtkSpinButton        *budget_spin;
  GtkLabel             *problems_label;
  GtkCheckButton       *skip_check;
  GtkLabel             *estimate_label;
  GtkLabel             *run_title;
  GtkProgressBar       *progress_bar;
  GtkLabel             *counts_label;
  GtkButton            *pause_button;
  GtkButton            *gallery_button;
  PxProblemBanner      *problem_banner;
  GtkListBox           *items_list;
};

G_DEFINE_FINAL_TYPE (PxBatchPage, px_batch_page, ADW_TYPE_BIN)

static void
show_toast (PxBatchPage *self,
            const char  *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_message ("%s", title);
}

static const PxModel *
chosen_model (PxBatchPage *self)
{
  guint selected = adw_combo_row_get_selected (self->model_row);

  return self->models != NULL && selected < self->models->len ? g_ptr_array_index (self->models, selected) : NULL;
}

/* ---- history ---- */

static void refresh_history (PxBatchPage *self);
static void offer_replacement (PxBatchPage *self, const PxBatchJob *job);
static void show_job (PxBatchPage *self, gint64 id, gboolean run);

static void
on_history_open (GtkButton   *button,
                 PxBatchPage *self)
{
  show_job (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "job-id")), FALSE);
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

typedef struct {
  GPtrArray *jobs;
} HistoryRead;

static void
history_read_free (HistoryRead *read)
{
  g_clear_pointer (&read->jobs, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_history (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  HistoryRead *read = data;

  read->jobs = px_batch_list (library, error);
  return read->jobs != NULL;
}

static void
on_history_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  HistoryRead *read = NULL;
  GPtrArray *jobs;
  GtkWidget *row;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the batches: %s", error->message);
      return;
    }
  jobs = read->jobs;
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


static void
refresh_history (PxBatchPage *self)
{
  if (self->library != NULL)
    px_library_read_async (self->library, read_history, g_new0 (HistoryRead, 1), (GDestroyNotify) history_read_free,
                           self->cancellable, on_history_read, g_object_ref (self));
}

/* ---- the file ---- */

typedef struct {
  char       *path;
  char      **columns;
  GPtrArray  *rows;
  GArray     *row_numbers;   /* each row's number in the file */
  GPtrArray  *unreadable;    /* messages for rows that could not be read */
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_free (loaded->path);
  g_strfreev (loaded->columns);
  g_clear_pointer (&loaded->rows, g_ptr_array_unref);
  g_clear_pointer (&loaded->row_numbers, g_array_unref);
  g_clear_pointer (&loaded->unreadable, g_ptr_array_unref);
  g_free (loaded);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Loaded *loaded = task_data;
  g_autoptr(PxCsvReader) reader = NULL;
  GError *error = NULL;
  char **row;

  reader = px_csv_reader_new_for_path (loaded->path, &error);
  if (reader == NULL || !px_csv_reader_read_header (reader, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  loaded->columns = g_strdupv ((char **) px_csv_reader_get_columns (reader));
  loaded->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  loaded->row_numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  loaded->unreadable = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      guint number;

      row = px_csv_reader_next_row (reader, cancellable, &error);
      /* A ragged or garbled row is listed, the rest of the file still read. */
      if (row == NULL && (g_error_matches (error, PX_CSV_ERROR, PX_CSV_ERROR_RAGGED) ||
                          g_error_matches (error, PX_CSV_ERROR, PX_CSV_ERROR_ENCODING)))
        {
          g_ptr_array_add (loaded->unreadable, g_strdup (error->message));
          g_clear_error (&error);
          continue;
        }
      if (row == NULL)
        break;
      number = px_csv_reader_get_row_number (reader);
      g_ptr_array_add (loaded->rows, row);
      g_array_append_val (loaded->row_numbers, number);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else if (loaded->rows->len == 0 && loaded->unreadable->len > 0)
    g_task_return_new_error (task, PX_CSV_ERROR, PX_CSV_ERROR_RAGGED, "%s",
                             (const char *) g_ptr_array_index (loaded->unreadable, 0));
  else if (loaded->rows->len == 0)
    g_task_return_new_error (task, PX_CSV_ERROR, PX_CSV_ERROR_EMPTY, _("%s has a header but no rows."), loaded->path);
  else
    g_task_return_boolean (task, TRUE);
}

static void rebuild_mapping (PxBatchPage *self);
static void validate (PxBatchPage *self);

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           PxBatchPage              *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  guint index = gtk_list_item_get_position (item);
  const char * const *row = index < self->rows->len ? g_ptr_array_index (self->rows, index) : NULL;

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), row && column < g_strv_length ((char **) row) ? row[column] : "");
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            PxBatchPage              *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_list_item_set_child (item, label);
}

static void
fill_preview (PxBatchPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview);
  g_autoptr(GtkStringList) indices = gtk_string_list_new (NULL);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview, column);
    }
  for (guint c = 0; self->columns[c] != NULL; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      column = gtk_column_view_column_new (self->columns[c], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview, column);
    }
  /* The rows by position: a 50,000-row file costs the rows on screen. */
  for (guint i = 0; i < self->rows->len; i++)
    gtk_string_list_take (indices, g_strdup (""));
  gtk_column_view_set_model (self->preview, GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&indices)))));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PxBatchPage *self = PX_BATCH_PAGE (source);
  Loaded *loaded = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *basename = g_path_get_basename (loaded->path);
          g_autofree char *message = g_strdup_printf (_("%s cannot be used: %s"), basename, error->message);

          g_object_set_data_full (G_OBJECT (self), "last-error", g_strdup (message), g_free);
          show_toast (self, message);
        }
      return;
    }

  g_object_set_data (G_OBJECT (self), "last-error", NULL);
  g_strfreev (self->columns);
  g_strfreev (self->column_tokens);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_numbers, g_array_unref);
  g_clear_pointer (&self->unreadable, g_ptr_array_unref);
  self->columns = g_steal_pointer (&loaded->columns);
  self->rows = g_steal_pointer (&loaded->rows);
  self->row_numbers = g_steal_pointer (&loaded->row_numbers);
  self->unreadable = g_steal_pointer (&loaded->unreadable);
  n = g_strv_length (self->columns);
  self->column_tokens = g_new0 (char *, n + 1);
  for (guint c = 0; c < n; c++)
    self->column_tokens[c] = px_csv_normalize_header (self->columns[c]);
  g_free (self->csv_name);
  self->csv_name = g_path_get_basename (loaded->path);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %u row", "%s — %u rows", self->rows->len),
                           self->csv_name, self->rows->len);
  gtk_label_set_text (self->file_label, title);
  fill_preview (self);

  /* A first template from the columns, if there is none yet. */
  {
    g_autofree char *text = px_token_editor_get_text (self->editor);

    if (*text == '\0')
      {
        g_autoptr(GString) suggestion = g_string_new (_("Portrait of"));

        for (guint c = 0; c < n && c < 2; c++)
          g_string_append_printf (suggestion, " [%s]", self->column_tokens[c]);
        px_token_editor_set_text (self->editor, suggestion->str);
      }
  }
  px_token_editor_set_known_tokens (self->editor, (const char * const *) self->column_tokens);
  /* A new file's problems are not the old file's: ask again. */
  gtk_check_button_set_active (self->skip_check, FALSE);
  rebuild_mapping (self);
  gtk_stack_set_visible_child_name (self->stack, "setup");
}

/* Reads the file off the main thread; its problems (which row, which
 * column) come back as a toast, and px_batch_page_get_error. */
void
px_batch_page_open_csv (PxBatchPage *self,
                        GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  Loaded *loaded;

  g_return_if_fail (PX_IS_BATCH_PAGE (self));

  loaded = g_new0 (Loaded, 1);
  loaded->path = g_file_get_path (file);
  task = g_task_new (self, self->cancellable, on_loaded, NULL);
  g_task_set_task_data (task, loaded, (GDestroyNotify) loaded_free);
  g_task_run_in_thread (task, load_in_thread);
}

static void
on_csv_chosen (GtkNativeDialog *chooser,
               int              response,
               PxBatchPage     *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    px_batch_page_open_csv (self, file);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  g_clear_object (&self->chooser);
  self->chooser = px_dialog_file_chooser (widget, _("Import CSV"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                          _("CSV files"), (const char * const[]) { "text/csv", NULL }, "csv");
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_csv_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PxBatchPage   *self)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL || self->running)
    return FALSE;
  px_batch_page_open_csv (self, files->data);
  return TRUE;
}

/* ---- tokens, columns, problems ---- */

/* The token set chosen for tokens no column fills (empty when "None"). */
static GHashTable *
global_tokens (PxBatchPage *self)
{
  guint selected = adw_combo_row_get_selected (self->globals_row);

  if (self->token_sets == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > self->token_sets->len)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return px_token_set_to_table (g_ptr_array_index (self->token_sets, selected - 1));
}

static int
mapped_column (PxBatchPage *self,
               const char  *token)
{
  AdwComboRow *row = g_hash_table_lookup (self->mapping, token);
  guint selected = row ? adw_combo_row_get_selected (row) : 0;

  /* Entry 0 is "no column"; a choice left from another file is none. */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || self->columns == NULL ||
      selected > g_strv_length (self->columns))
    return -1;
  return (int) selected - 1;
}

static void
rebuild_mapping (PxBatchPage *self)
{
  g_autofree char *text = px_token_editor_get_text (self->editor);
  g_auto(GStrv) names = px_tokens_list_names (text, NULL);
  g_autoptr(GtkStringList) choices = gtk_string_list_new ((const char * const[]) { _("No column"), NULL });

  for (guint i = 0; i < self->mapping_rows->len; i++)
    adw_preferences_group_remove (self->mapping_group, g_ptr_array_index (self->mapping_rows, i));
  g_ptr_array_set_size (self->mapping_rows, 0);
  g_hash_table_remove_all (self->mapping);
  if (self->columns == NULL)
    return;

  gtk_string_list_splice (choices, 1, 0, (const char * const *) self->columns);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autofree char *title = g_strdup_printf ("[%s]", names[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      gtk_widget_set_name (row, names[i]);
      for (guint c = 0; self->column_tokens[c] != NULL; c++)
        if (g_str_equal (self->column_tokens[c], names[i]))
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), c + 1);
      g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (validate), self);
      adw_preferences_group_add (self->mapping_group, row);
      g_ptr_array_add (self->mapping_rows, row);
      g_hash_table_insert (self->mapping, g_strdup (names[i]), row);
    }
  validate (self);
}

/* Every row must make a prompt: a token without a column, or an empty cell
 * for a token without a default, is a problem, named by row. */
static void
validate (PxBatchPage *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) globals = global_tokens (self);
  const PxModel *model = chosen_model (self);
  gboolean blocked = FALSE;
  guint usable;

  if (self->rows == NULL)
    return;

  g_array_set_size (self->bad_rows, 0);
  self->n_problems = 0;
  text = px_token_editor_get_text (self->editor);
  tokens = px_tokens_parse (text, &error);
  if (tokens == NULL || *g_strstrip (text) == '\0')
    {
      g_string_append (problems, error ? error->message : _("Write a template first."));
      blocked = TRUE;
    }
  for (guint t = 0; tokens != NULL && t < tokens->len; t++)
    {
      PxToken *token = g_ptr_array_index (tokens, t);

      if (token->default_value == NULL && mapped_column (self, token->name) < 0 &&
          !g_hash_table_contains (globals, token->name))
        {
          g_string_append_printf (problems, _("[%s] has no column and no default; choose a column or write "
                                              "[%s|a default].\n"), token->name, token->name);
          blocked = TRUE;
        }
    }

  /* Rows that could not be read are left out; they are listed like the
   * others and the batch waits for "skip" (or a fixed file). */
  for (guint i = 0; !blocked && i < self->unreadable->len; i++)
    if (++self->n_problems <= MAX_PROBLEMS_SHOWN)
      g_string_append_printf (problems, "%s\n", (const char *) g_ptr_array_index (self->unreadable, i));

  for (guint r = 0; !blocked && r < self->rows->len; r++)
    {
      const char * const *row = g_ptr_array_index (self->rows, r);
      gboolean bad = FALSE;

      for (guint t = 0; t < tokens->len; t++)
        {
          PxToken *token = g_ptr_array_index (tokens, t);
          int column = mapped_column (self, token->name);

          if (token->default_value == NULL && column >= 0 && *row[column] == '\0' &&
              !g_hash_table_contains (globals, token->name))
            {
              if (++self->n_problems <= MAX_PROBLEMS_SHOWN)
                g_string_append_printf (problems, _("Row %u: [%s] is empty (column “%s”).\n"),
                                        g_array_index (self->row_numbers, guint, r), token->name, self->columns[column]);
              bad = TRUE;
            }
        }
      if (bad)
        g_array_append_val (self->bad_rows, r);
    }
  if (self->n_problems > MAX_PROBLEMS_SHOWN)
    g_string_append_printf (problems, _("… and %u more.\n"), self->n_problems - MAX_PROBLEMS_SHOWN);

  gtk_label_set_text (self->problems_label, g_strchomp (problems->str));
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), problems->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_check), !blocked && self->n_problems > 0);
  usable = self->rows->len - (gtk_check_button_get_active (self->skip_check) ? self->bad_rows->len : 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start",
                                 !blocked && model != NULL && usable > 0 &&
                                 (self->n_problems == 0 || gtk_check_button_get_active (self->skip_check)));

  if (model != NULL && self->engine != NULL)
    {
      double cost = px_batch_estimate_cost (px_engine_get_catalog (self->engine), model->id, NULL, usable);
      double seconds = px_batch_estimate_seconds (usable, gtk_spin_button_get_value_as_int (self->concurrency_spin),
                                                  SECONDS_PER_IMAGE_GUESS);
      double budget = gtk_spin_button_get_value (self->budget_spin);
      g_autofree char *estimate = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u image, about $%.2f and %.0f minutes",
                                                                "%u images, about $%.2f and %.0f minutes", usable),
                                                   usable, cost, MAX (1.0, seconds / 60.0));

      if (budget > 0 && cost > budget)
        {
          g_autofree char *over = g_strdup_printf (_("%s — more than the spend cap"), estimate);

          gtk_label_set_text (self->estimate_label, over);
          gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", FALSE);
        }
      else
        gtk_label_set_text (self->estimate_label, estimate);
    }
}

static void
on_model_selected (PxBatchPage *self)
{
  if (self->model_settings != NULL)
    px_model_settings_show (self->model_settings, chosen_model (self), NULL);
  validate (self);
}

static void
on_template_changed (PxBatchPage *self)
{
  rebuild_mapping (self);
}

/* ---- running ---- */

static void
update_progress (PxBatchPage *self)
{
  const PxBatchJob *job = self->runner ? px_batch_runner_get_job (self->runner) : NULL;
  guint done;
  g_autofree char *text = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *eta = NULL;
  double elapsed;

  if (job == NULL)
    return;
  done = job->completed + job->failed + job->cancelled;
  text = g_strdup_printf (_("%u of %u"), done, job->total);
  gtk_progress_bar_set_fraction (self->progress_bar, job->total ? (double) done / job->total : 0);
  gtk_progress_bar_set_text (self->progress_bar, text);

  elapsed = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  if (self->running && done > self->done_at_start && done < job->total)
    eta = g_strdup_printf (_(", about %.0f s left"),
                           elapsed / (done - self->done_at_start) * (job->total - done));
  counts = g_strdup_printf (_("%u completed, %u failed, %u cancelled · $%.2f%s"),
                            job->completed, job->failed, job->cancelled, job->cost, eta ? eta : "");
  gtk_label_set_text (self->counts_label, counts);
}

typedef struct {
  PxLibrary      *library;
  gint64          image_id;
  PxLibraryImage *image;     /* read in the thread */
  GdkTexture     *texture;
} Thumb;

static void
thumb_free (Thumb *thumb)
{
  g_object_unref (thumb->library);
  px_library_image_free (thumb->image);
  g_clear_object (&thumb->texture);
  g_free (thumb);
}

/* The image's row and a small picture of it, off the main thread. */
static void
thumb_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Thumb *thumb = task_data;
  GError *error = NULL;
  g_autofree char *path = NULL;

  thumb->image = px_library_get_image (thumb->library, thumb->image_id, &error);
  if (thumb->image != NULL)
    path = px_library_thumbnail (thumb->library, thumb->image, 64, &error);
  if (path != NULL)
    thumb->texture = gdk_texture_new_from_filename (path, &error);
  if (thumb->texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_thumb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Thumb *thumb = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  if (thumb->image != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                                   thumb->image->prompt);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  gtk_picture_set_paintable (g_object_get_data (G_OBJECT (row), "picture"), GDK_PAINTABLE (thumb->texture));
}

typedef struct {
  gint64  item_id;
  char   *status;
  gint64  image_id;
} ItemEvent;

static void
item_event_free (ItemEvent *event)
{
  g_free (event->status);
  g_free (event);
}

static void
add_item_row (PxBatchPage *self,
              ItemEvent   *event)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (_("Item %" G_GINT64_FORMAT), event->item_id);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), g_str_equal (event->status, "completed") ? _("Completed")
                                                     : g_str_equal (event->status, "failed") ? _("Failed")
                                                     : _("Cancelled"));
  if (event->image_id > 0 && self->library != NULL)
    {
      GtkWidget *picture = gtk_picture_new ();
      g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_thumb, g_object_ref (row));
      Thumb *thumb = g_new0 (Thumb, 1);

      gtk_widget_set_size_request (picture, 40, 40);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), picture);
      g_object_set_data (G_OBJECT (row), "picture", picture);
      thumb->library = g_object_ref (self->library);
      thumb->image_id = event->image_id;
      g_task_set_task_data (task, thumb, (GDestroyNotify) thumb_free);
      g_task_run_in_thread (task, thumb_in_thread);
    }
  if (g_str_equal (event->status, "failed"))
    gtk_widget_add_css_class (row, "error");
  gtk_list_box_prepend (self->items_list, row);
  if (++self->n_items_shown > MAX_ITEMS_SHOWN)
    {
      gtk_list_box_remove (self->items_list, GTK_WIDGET (gtk_list_box_get_row_at_index (self->items_list, MAX_ITEMS_SHOWN)));
      self->n_items_shown--;
    }
}

/* Items finish many times a second in a big batch: the page shows them a
 * few times a second, the newest ones, so drawing never holds up the loop. */
static gboolean
flush_items (gpointer data)
{
  PxBatchPage *self = data;
  guint n = g_queue_get_length (&self->item_events);

  self->flush_source = 0;
  for (guint i = 0; i < n; i++)
    {
      ItemEvent *event = g_queue_pop_head (&self->item_events);

      if (n - i <= MAX_ITEMS_PER_FLUSH)
        add_item_row (self, event);
      item_event_free (event);
    }
  update_progress (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (PxBatchPage *self)
{
  if (self->flush_source == 0)
    self->flush_source = g_timeout_add (FLUSH_INTERVAL_MS, flush_items, self);
}

static void
on_item_changed (PxBatchRunner *runner,
                 gint64         item_id,
                 const char    *status,
                 gint64         image_id,
                 PxBatchPage   *self)
{
  ItemEvent *event;

  /* The list shows finished items; one put back to wait (the account had
   * a problem) is not finished. */
  if (g_str_equal (status, "processing") || g_str_equal (status, "pending"))
    return;
  event = g_new0 (ItemEvent, 1);
  event->item_id = item_id;
  event->status = g_strdup (status);
  event->image_id = image_id;
  g_queue_push_tail (&self->item_events, event);
  schedule_flush (self);
}

static void
set_running (PxBatchPage *self,
             gboolean     running)
{
  self->running = running;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.retry", !running && self->runner != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.back", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.import", !running);
  gtk_button_set_label (self->pause_button, _("_Pause"));
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  const PxBatchJob *job;
  g_autofree char *message = NULL;

  if (self->runner != PX_BATCH_RUNNER (source))
    return;
  px_batch_runner_run_finish (PX_BATCH_RUNNER (source), result, &error);
  set_running (self, FALSE);
  update_progress (self);
  job = px_batch_runner_get_job (self->runner);
  if (error != NULL)
    message = g_strdup (error->message);
  else
    message = g_strdup_printf (_("The batch is done: %u completed, %u failed."), job->completed, job->failed);
  /* Paused by a problem: the banner says it, with what to do. */
  if (g_error_matches (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED))
    {
      px_problem_banner_show (self->problem_banner, error->message,
                              g_error_matches (px_batch_runner_get_problem (self->runner), PX_PROVIDER_ERROR,
                                               PX_PROVIDER_ERROR_AUTH));
      offer_replacement (self, job);
    }
  else
    show_toast (self, message);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.library-changed", NULL);
  refresh_history (self);

  /* Run on with the window closed: say so when it ends. */
  if (self->in_background)
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Batch finished"));
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_notification_set_body (notification, message);

      g_application_send_notification (G_APPLICATION (self->application), "batch-finished", notification);
      self->in_background = FALSE;
      g_application_release (G_APPLICATION (self->application));
      /* The window was only hidden, to keep the batch; now it can go. */
      if (GTK_IS_WINDOW (root) && !gtk_widget_get_visible (GTK_WIDGET (root)))
        gtk_window_destroy (GTK_WINDOW (root));
      g_object_unref (self);
    }
}

static void
run_job (PxBatchPage *self)
{
  set_running (self, TRUE);
  self->started_us = g_get_monotonic_time ();
  self->done_at_start = px_batch_runner_get_job (self->runner)->completed;
  px_batch_runner_run_async (self->runner, NULL, on_run_done, g_object_ref (self));
  update_progress (self);
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = px_credentials_find_finish (result, &error);

  if (key != NULL && self->key_provider != NULL)
    px_engine_set_api_key (self->engine, self->key_provider->id, key);
  self->key_provider = NULL;
  run_job (self);
}

/* A batch whose model was retired goes on with its successor, if the
 * catalog names one. */
static void
offer_replacement (PxBatchPage      *self,
                   const PxBatchJob *job)
{
  const PxModel *replacement = px_catalog_lookup_replacement (px_engine_get_catalog (self->engine), job->model_id);

  if (replacement != NULL)
    px_problem_banner_offer_model (self->problem_banner, replacement->name);
}

static gboolean
batch_needs_key (PxBatchPage      *self,
                 const PxBatchJob *job)
{
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  const PxModel *model = px_catalog_lookup_model (catalog, job->model_id, NULL);
  const PxProviderInfo *info = model ? px_catalog_lookup_provider (catalog, model->provider_id) : NULL;

  return info != NULL && info->key_policy != PX_KEY_NONE;
}

/* The provider's key first (the environment or the keyring), then go. */
static void
on_runner_made (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchRunner) runner = px_batch_runner_new_finish (result, &error);
  const PxModel *model;
  const PxProviderInfo *info;

  if (runner == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  if (self->stack == NULL)
    return;
  g_clear_object (&self->runner);
  self->runner = g_steal_pointer (&runner);
  /* The runner can outlive the page (a stopped batch finishes its writes):
   * its signals go only as long as the page is there. */
  g_signal_connect_object (self->runner, "progress", G_CALLBACK (schedule_flush), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "item-changed", G_CALLBACK (on_item_changed), self, 0);
  gtk_label_set_text (self->run_title, px_batch_runner_get_job (self->runner)->template_prompt);
  gtk_stack_set_visible_child_name (self->stack, "run");

  model = px_catalog_lookup_model (px_engine_get_catalog (self->engine), px_batch_runner_get_job (self->runner)->model_id, NULL);
  info = model ? px_catalog_lookup_provider (px_engine_get_catalog (self->engine), model->provider_id) : NULL;
  if (info == NULL || px_engine_has_api_key (self->engine, info->id) || info->key_policy == PX_KEY_NONE)
    {
      run_job (self);
      return;
    }
  /* Without a key every item fails with "add a key in Preferences". */
  self->key_provider = info;
  px_credentials_find_async (info, NULL, on_key_found, g_object_ref (self));
}

/* The runner opens its own connection to the library: off the main thread. */
static void
start_runner (PxBatchPage *self)
{
  g_clear_object (&self->runner);
  px_batch_runner_new_async (self->engine, px_library_get_directory (self->library), self->job_id, self->cancellable,
                             on_runner_made, g_object_ref (self));
}

typedef struct {
  PxBatchPage *page;
  gint64       id;
  gboolean     run;
  PxBatchJob  *job;
} JobRead;

static void
job_read_free (JobRead *read)
{
  g_object_unref (read->page);
  g_clear_pointer (&read->job, px_batch_job_free);
  g_free (read);
}

static gboolean
read_job (PxLibrary     *library,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  JobRead *read = data;

  read->job = px_batch_get (library, read->id, error);
  return read->job != NULL;
}

static void show_read_job (PxBatchPage *self, PxBatchJob *job, gboolean run);

static void
on_shown_runner_made (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(PxBatchRunner) runner = px_batch_runner_new_finish (result, NULL);

  /* Not if another batch was opened (or this one started) meanwhile. */
  if (runner == NULL || self->stack == NULL || self->runner != NULL || self->running ||
      px_batch_runner_get_job (runner)->id != self->job_id)
    return;
  self->runner = g_steal_pointer (&runner);
  set_running (self, FALSE);
  update_progress (self);
}

static void
on_job_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JobRead *read = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (read->page, error->message);
      return;
    }
  show_read_job (read->page, read->job, read->run);
}

/* Shows a batch (its row read off the main thread); run: start it too. */
static void
show_job (PxBatchPage *self,
          gint64       id,
          gboolean     run)
{
  JobRead *read = g_new0 (JobRead, 1);

  read->page = g_object_ref (self);
  read->id = id;
  read->run = run;
  px_library_read_async (self->library, read_job, read, (GDestroyNotify) job_read_free, self->cancellable,
                         on_job_read, NULL);
}

static void
show_read_job (PxBatchPage *self,
               PxBatchJob  *job,
               gboolean     run)
{
  gint64 id = job->id;

  self->job_id = id;
  g_free (self->job_model_id);
  self->job_model_id = g_strdup (job->model_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->gallery_button), "x", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->gallery_button), "win.show-batch");
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items_list))) != NULL)
      gtk_list_box_remove (self->items_list, child);
    self->n_items_shown = 0;
  }
  px_problem_banner_hide (self->problem_banner);
  if (run)
    start_runner (self);
  else
    {
      /* Opened from the list: shown, never started by itself. One with
       * rows left says why it stopped and offers Resume. */
      /* The runner that will show its rows comes when it is opened. */
      g_clear_object (&self->runner);
      px_batch_runner_new_async (self->engine, px_library_get_directory (self->library), id, self->cancellable,
                                 on_shown_runner_made, g_object_ref (self));
      gtk_label_set_text (self->run_title, job->template_prompt);
      set_running (self, FALSE);
      update_progress (self);
      gtk_stack_set_visible_child_name (self->stack, "run");
      if (job->pending > 0 && !g_str_equal (job->status, "cancelled"))
        {
          PxCatalog *catalog = px_engine_get_catalog (self->engine);
          const PxModel *replacement = px_catalog_lookup_replacement (catalog, job->model_id);
          const PxModel *model = px_catalog_lookup_model (catalog, job->model_id, NULL);
          g_autofree char *text = NULL;

          if (replacement != NULL)
            text = g_strdup_printf (_("%s was retired by its provider: the batch can go on with %s."),
                                    model->name, replacement->name);
          else if (job->reason != NULL)
            text = g_strdup_printf (_("The batch paused: %s"), job->reason);
          else if (g_str_equal (job->status, "pending"))
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The batch has not started: %u row to do.",
                                                 "The batch has not started: %u rows to do.", job->pending),
                                    job->pending);
          else
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The batch stopped with %u row still to do.",
                                                 "The batch stopped with %u rows still to do.", job->pending),
                                    job->pending);

          px_problem_banner_show (self->problem_banner, text, job->reason != NULL && batch_needs_key (self, job));
          offer_replacement (self, job);
        }
    }
}

static void
on_banner_resume (PxBatchPage *self)
{
  px_problem_banner_hide (self->problem_banner);
  if (self->job_id != 0 && !self->running)
    start_runner (self);
}

static void
on_key_updated (gpointer      user_data,
                gboolean      saved,
                const GError *keyring_error)
{
  PxBatchPage *self = user_data;

  if (!saved)
    return;
  if (keyring_error != NULL)
    show_toast (self, keyring_error->message);
  on_banner_resume (self);
}

static void
update_model_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  PxBatchPage *self = source_object;
  GError *error = NULL;

  if (px_batch_update (self->library, self->job_id, task_data, 0, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_model_updated (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PxBatchPage *self = PX_BATCH_PAGE (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  on_banner_resume (self);
}

/* "Use GPT Image 2": the batch's model becomes the successor (saved with
 * the batch, off the main thread), then it goes on. */
static void
on_banner_replace_model (PxBatchPage *self)
{
  const PxBatchJob *job = self->runner ? px_batch_runner_get_job (self->runner) : NULL;
  const char *model_id = job ? job->model_id : self->job_model_id;
  const PxModel *replacement = model_id ? px_catalog_lookup_replacement (px_engine_get_catalog (self->engine),
                                                                         model_id) : NULL;
  g_autoptr(GTask) task = NULL;

  if (replacement == NULL || self->running)
    return;
  task = g_task_new (self, self->cancellable, on_model_updated, NULL);
  g_task_set_task_data (task, g_strdup (replacement->id), g_free);
  g_task_run_in_thread (task, update_model_in_thread);
}

/* The key was turned down: a new one, then the batch goes on. */
static void
on_banner_update_key (PxBatchPage *self)
{
  const PxBatchJob *job = self->runner ? px_batch_runner_get_job (self->runner) : NULL;
  const char *model_id = job ? job->model_id : self->job_model_id;
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  const PxModel *model = model_id ? px_catalog_lookup_model (catalog, model_id, NULL) : NULL;
  const PxProviderInfo *info = model ? px_catalog_lookup_provider (catalog, model->provider_id) : NULL;

  if (info != NULL)
    px_key_dialog_ask (GTK_WIDGET (self), self->engine, info, on_key_updated, g_object_ref (self), g_object_unref);
}

typedef struct {
  PxLibrary   *library;
  PxBatchSpec  spec;
  char        *template_prompt;
  char        *model_id;
  char       **columns;
  GPtrArray   *rows;
  GHashTable  *settings;
  GHashTable  *tokens;
  gint64       id;
} Create;

static void
create_free (Create *create)
{
  g_object_unref (create->library);
  g_free (create->template_prompt);
  g_free (create->model_id);
  g_strfreev (create->columns);
  g_ptr_array_unref (create->rows);
  g_clear_pointer (&create->settings, g_hash_table_unref);
  g_clear_pointer (&create->tokens, g_hash_table_unref);
  g_free (create);
}

static void
create_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Create *create = task_data;
  GError *error = NULL;

  create->id = px_batch_create (create->library, &create->spec, &error);
  if (create->id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PxBatchPage *self = PX_BATCH_PAGE (source);
  Create *create = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", TRUE);
      show_toast (self, error->message);
      return;
    }
  show_job (self, create->id, TRUE);
}

/* Saves the batch (all of it, before any request) and starts it. */
static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  const PxModel *model = chosen_model (self);
  g_autoptr(GTask) task = NULL;
  gboolean skip = gtk_check_button_get_active (self->skip_check);
  guint n_columns = g_strv_length (self->columns);
  Create *create;
  guint bad = 0;

  if (model == NULL || self->library == NULL)
    return;

  create = g_new0 (Create, 1);
  create->library = g_object_ref (self->library);
  create->template_prompt = px_token_editor_get_text (self->editor);
  create->model_id = g_strdup_printf ("%s/%s", model->provider_id, model->id);
  /* Each column fills the token mapped to it, else its own name. */
  create->columns = g_new0 (char *, n_columns + 1);
  for (guint c = 0; c < n_columns; c++)
    {
      GHashTableIter iter;
      gpointer token, row;

      create->columns[c] = g_strdup (self->column_tokens[c]);
      g_hash_table_iter_init (&iter, self->mapping);
      while (g_hash_table_iter_next (&iter, &token, &row))
        if (mapped_column (self, token) == (int) c)
          {
            g_free (create->columns[c]);
            create->columns[c] = g_strdup (token);
          }
    }
  create->rows = g_ptr_array_new ();
  for (guint r = 0; r < self->rows->len; r++)
    {
      if (skip && bad < self->bad_rows->len && g_array_index (self->bad_rows, guint, bad) == r)
        {
          bad++;
          continue;
        }
      g_ptr_array_add (create->rows, g_ptr_array_index (self->rows, r));
    }
  create->spec.template_prompt = create->template_prompt;
  create->spec.model_id = create->model_id;
  create->spec.columns = (const char * const *) create->columns;
  create->spec.rows = create->rows;
  create->settings = px_model_settings_get_values (self->model_settings);
  create->tokens = global_tokens (self);
  create->spec.settings = create->settings;
  create->spec.tokens = create->tokens;
  create->spec.concurrency = gtk_spin_button_get_value_as_int (self->concurrency_spin);
  create->spec.budget = gtk_spin_button_get_value (self->budget_spin);

  gtk_widget_action_set_enabled (widget, "batch.start", FALSE);
  task = g_task_new (self, self->cancellable, on_created, NULL);
  g_task_set_task_data (task, create, (GDestroyNotify) create_free);
  g_task_run_in_thread (task, create_in_thread);
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (self->runner == NULL)
    return;
  if (px_batch_runner_is_paused (self->runner))
    {
      px_batch_runner_resume (self->runner);
      gtk_button_set_label (self->pause_button, _("_Pause"));
    }
  else
    {
      px_batch_runner_pause (self->runner);
      gtk_button_set_label (self->pause_button, _("_Resume"));
    }
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (self->runner != NULL)
    px_batch_runner_cancel (self->runner);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->runner == NULL || self->running)
    return;
  if (!px_batch_runner_retry_failed (self->runner, &error))
    {
      show_toast (self, error->message);
      return;
    }
  start_runner (self);
}

typedef struct {
  gint64  job_id;
  char   *path;
} CsvExport;

static void
csv_export_free (CsvExport *export)
{
  g_free (export->path);
  g_free (export);
}

static gboolean
export_csv (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  CsvExport *export = data;

  return px_batch_export_csv (library, export->job_id, export->path, error);
}

static void
on_csv_exported (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    show_toast (self, _("Results exported"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, error->message);
}

static void
on_exported (GtkNativeDialog *chooser,
             int              response,
             PxBatchPage     *self)
{
  g_autoptr(GFile) file = NULL;
  CsvExport *export;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  /* Read and written on a worker: a batch of thousands of rows is a big file. */
  export = g_new0 (CsvExport, 1);
  export->job_id = self->job_id;
  export->path = g_file_get_path (file);
  px_library_read_async (self->library, export_csv, export, (GDestroyNotify) csv_export_free, self->cancellable,
                         on_csv_exported, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  g_autofree char *name = g_strdup_printf ("pixmerge-batch-%" G_GINT64_FORMAT ".csv", self->job_id);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Results"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_exported), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);

  if (self->running)
    return;
  refresh_history (self);
  gtk_stack_set_visible_child_name (self->stack, "start");
}

/* ---- public ---- */

typedef struct {
  GPtrArray *sets;
} SetsRead;

static void
sets_read_free (SetsRead *read)
{
  g_clear_pointer (&read->sets, g_ptr_array_unref);
  g_free (read);
}

static gboolean
read_token_sets (PxLibrary     *library,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  SetsRead *read = data;

  read->sets = px_library_list_token_sets (library, error);
  return read->sets != NULL;
}

/* The token sets a batch can take its other tokens from. */
static void
on_token_sets_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PxBatchPage) self = user_data;
  g_autoptr(GtkStringList) names = gtk_string_list_new ((const char * const[]) { _("None"), NULL });
  g_autoptr(GError) error = NULL;
  SetsRead *read = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the token sets: %s", error->message);
      return;
    }
  g_clear_pointer (&self->token_sets, g_ptr_array_unref);
  self->token_sets = g_steal_pointer (&read->sets);
  for (guint i = 0; i < self->token_sets->len; i++)
    gtk_string_list_append (names, ((PxTokenSet *) g_ptr_array_index (self->token_sets, i))->name);
  adw_combo_row_set_model (self->globals_row, G_LIST_MODEL (names));
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
  px_model_settings_show (self->model_settings, chosen_model (self), NULL);

  {
    g_autoptr(GtkStringList) sets = gtk_string_list_new ((const char * const[]) { _("None"), NULL });

    adw_combo_row_set_model (self->globals_row, G_LIST_MODEL (sets));
    if (self->library != NULL)
      px_library_read_async (self->library, read_token_sets, g_new0 (SetsRead, 1), (GDestroyNotify) sets_read_free,
                             self->cancellable, on_token_sets_read, g_object_ref (self));
  }
  refresh_history (self);
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
    show_job (self, id, FALSE);
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
  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_queue_clear_full (&self->item_events, (GDestroyNotify) item_event_free);
  /* Closing the window stops a batch it runs (unless it went to the
   * background); the batch is saved and resumes from Earlier Batches. */
  if (self->runner != NULL)
    {
      /* Nothing it says after this may reach a page without its widgets. */
      g_signal_handlers_disconnect_by_data (self->runner, self);
      if (self->running)
        px_batch_runner_cancel (self->runner);
    }
  g_clear_object (&self->runner);
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
  g_clear_pointer (&self->model_settings, px_model_settings_free);
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
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-batch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, problem_banner);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, file_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, preview);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, editor);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, globals_row);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, model_group);
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, skip_check);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, run_title);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, gallery_button);
  gtk_widget_class_bind_template_child (widget_class, PxBatchPage, items_list);
  gtk_widget_class_bind_template_callback (widget_class, validate);

  gtk_widget_class_install_action (widget_class, "batch.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "batch.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "batch.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "batch.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "batch.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "batch.back", NULL, back_action);
}

static void
px_batch_page_init (PxBatchPage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->problem_banner, "resume", G_CALLBACK (on_banner_resume), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->problem_banner, "update-key", G_CALLBACK (on_banner_update_key), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->problem_banner, "replace-model", G_CALLBACK (on_banner_replace_model), self,
                           G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->item_events);
  self->mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mapping_rows = g_ptr_array_new ();
  self->bad_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  self->model_settings = px_model_settings_new (self->model_group, G_CALLBACK (validate), self);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->editor)), "changed",
                            G_CALLBACK (on_template_changed), self);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_check), FALSE);
  set_running (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", FALSE);
}
