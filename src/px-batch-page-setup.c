/* px-batch-page-setup.c: the Batch page before a run: a CSV file in
 * (chooser or drop, read on a worker), its rows previewed, the template's
 * tokens matched to its columns, problems listed by row, the cost and time
 * estimated, and the batch created in the library. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-batch-page-private.h"
#include "px-credentials.h"
#include "px-csv.h"
#include "px-dialog.h"
#include "px-key-dialog.h"
#include "px-paths.h"
#include "px-provider.h"
#include "px-provider-batch.h"
#include "px-tokens.h"

/* ---- the file ---- */

typedef struct {
  GFile      *file;
  char       *path;          /* the file's path, or its name (the sample) */
  char      **columns;
  GPtrArray  *rows;
  GArray     *row_numbers;   /* each row's number in the file */
  GPtrArray  *unreadable;    /* messages for rows that could not be read */
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_object (&loaded->file);
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

  if (g_file_is_native (loaded->file))
    reader = px_csv_reader_new_for_path (loaded->path, &error);
  else
    {
      /* The bundled sample, from the app's resources. */
      g_autoptr(GFileInputStream) stream = g_file_read (loaded->file, cancellable, &error);

      if (stream != NULL)
        reader = px_csv_reader_new (G_INPUT_STREAM (stream));
    }
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
          px_batch_page_toast (self, message);
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
  gtk_label_set_text (self->file_label_above, title);
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
  loaded->file = g_object_ref (file);
  loaded->path = g_file_is_native (file) ? g_file_get_path (file) : g_file_get_basename (file);
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
      g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (px_batch_page_validate), self);
      adw_preferences_group_add (self->mapping_group, row);
      g_ptr_array_add (self->mapping_rows, row);
      g_hash_table_insert (self->mapping, g_strdup (names[i]), row);
    }
  px_batch_page_validate (self);
}

/* Every row must make a prompt: a token without a column, or an empty cell
 * for a token without a default, is a problem, named by row. */
void
px_batch_page_validate (PxBatchPage *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) globals = global_tokens (self);
  const PxModel *model = px_batch_page_chosen_model (self);
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
      PxCatalog *catalog = px_engine_get_catalog (self->engine);
      gboolean offered = px_provider_batch_supports (catalog, model->id);
      gboolean at_provider = offered && gtk_switch_get_active (self->provider_batch_switch);
      GtkWidget *provider_row = gtk_widget_get_ancestor (GTK_WIDGET (self->provider_batch_switch), ADW_TYPE_ACTION_ROW);
      double cost = px_batch_estimate_cost (catalog, model->id, NULL, usable) * (at_provider ? PX_PROVIDER_BATCH_PRICE : 1);
      double seconds = px_batch_estimate_seconds (usable, gtk_spin_button_get_value_as_int (self->concurrency_spin),
                                                  SECONDS_PER_IMAGE_GUESS);
      double budget = gtk_spin_button_get_value (self->budget_spin);
      g_autofree char *estimate = NULL;

      /* Offered for the models a batch engine takes, and recommended when
       * the desktop would be at it for over an hour. */
      gtk_widget_set_visible (provider_row, offered);
      gtk_widget_set_sensitive (gtk_widget_get_ancestor (GTK_WIDGET (self->concurrency_spin), ADW_TYPE_ACTION_ROW),
                                !at_provider);
      if (offered && !at_provider && (seconds > 3600 || usable >= PROVIDER_BATCH_ROWS))
        {
          g_autofree char *advice = g_strdup_printf (_("Recommended: here it would take about %.0f hours. Half "
                                                       "price, results within 24 hours."), MAX (1.0, seconds / 3600));

          adw_action_row_set_subtitle (ADW_ACTION_ROW (provider_row), advice);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (provider_row),
                                     _("Half price, results within 24 hours. The provider makes the images; "
                                       "Pixmerge collects them, also after a restart."));
      if (at_provider)
        estimate = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u image, about $%.2f at half price, within 24 hours",
                                                 "%u images, about $%.2f at half price, within 24 hours", usable),
                                    usable, cost);
      else
        estimate = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
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
    px_model_settings_show (self->model_settings, px_batch_page_chosen_model (self), NULL);
  px_batch_page_validate (self);
}

static void
on_template_changed (PxBatchPage *self)
{
  rebuild_mapping (self);
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
      px_batch_page_toast (self, error->message);
      return;
    }
  px_batch_page_show_job (self, create->id, TRUE);
}

/* Saves the batch (all of it, before any request) and starts it. */
static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  const PxModel *model = px_batch_page_chosen_model (self);
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
  create->spec.provider_batch = px_provider_batch_supports (px_engine_get_catalog (self->engine), model->id) &&
                                gtk_switch_get_active (self->provider_batch_switch);

  gtk_widget_action_set_enabled (widget, "batch.start", FALSE);
  task = g_task_new (self, self->cancellable, on_created, NULL);
  g_task_set_task_data (task, create, (GDestroyNotify) create_free);
  g_task_run_in_thread (task, create_in_thread);
}

/* A spreadsheet to try a batch with (and the demo provider to run it). */
static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PxBatchPage *self = PX_BATCH_PAGE (widget);
  g_autoptr(GFile) sample = g_file_new_for_uri ("resource://" APP_PATH "/samples/team.csv");
  g_autofree char *text = px_token_editor_get_text (self->editor);

  /* Its template uses all three columns (unless one is written already). */
  if (*text == '\0')
    px_token_editor_set_text (self->editor, _("Friendly portrait of [FIRSTNAME], [ROLE] at [COMPANY], soft studio light"));
  px_batch_page_open_csv (self, sample);
}

void
px_batch_page_class_init_setup (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected);
  gtk_widget_class_bind_template_callback_full (widget_class, "validate", G_CALLBACK (px_batch_page_validate));
  gtk_widget_class_install_action (widget_class, "batch.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "batch.open-sample", NULL, open_sample_action);
  gtk_widget_class_install_action (widget_class, "batch.start", NULL, start_action);
}

void
px_batch_page_init_setup (PxBatchPage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->editor)), "changed",
                            G_CALLBACK (on_template_changed), self);
}
