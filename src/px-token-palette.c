/* px-token-palette.c: the token sets of the library, one shown at a time as
 * rows of a token chip (drag it into the prompt, or click it) and its
 * value. Every change is saved to the library at once (after a short pause
 * while typing), so nothing typed here is lost. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "px-csv.h"
#include "px-dialog.h"
#include "px-token-editor.h"
#include "px-token-palette.h"
#include "px-tokens.h"

#define SAVE_DELAY_MS 400

struct _PxTokenPalette
{
  GtkBox         parent_instance;

  PxLibrary     *library;
  GPtrArray     *sets;        /* PxTokenSet, as in the library */
  PxTokenSet    *current;     /* one of sets */
  gboolean       updating;
  guint          save_source;
  GHashTable    *inserting;   /* new sets (id 0) being inserted -> TRUE: save again after */
  GPtrArray     *doomed;      /* deleted while being inserted: deleted once they have a row */
  gint64         select_id;
  GCancellable  *cancellable;
  GtkFileChooserNative *chooser;

  GtkDropDown   *set_dropdown;
  GtkListBox    *token_list;
  GtkEntry      *new_token_entry;
};

G_DEFINE_FINAL_TYPE (PxTokenPalette, px_token_palette, GTK_TYPE_BOX)

enum {
  INSERT_TOKEN,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
report (PxTokenPalette *self,
        const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_APPLICATION_WINDOW (root) || GTK_IS_WINDOW (root))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Token Sets"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    g_warning ("%s", error->message);
}

/* ---- saving, on the library's writer thread ---- */

typedef struct {
  PxTokenSet *original;   /* not owned: compared only, it may be gone */
  PxTokenSet *copy;
  gboolean    delete;
} SetJob;

static void
set_job_free (SetJob *job)
{
  px_token_set_free (job->copy);
  g_free (job);
}

static gboolean
set_job_run (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  SetJob *job = data;

  if (job->delete)
    return px_library_delete_token_set (library, job->copy->id, error);
  return px_library_save_token_set (library, job->copy, error) != 0;
}

static void save_set (PxTokenPalette *self,
                      PxTokenSet     *set);

static void
on_set_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PxTokenPalette) self = user_data;
  g_autoptr(GError) error = NULL;
  SetJob *job = NULL;
  gboolean ok = px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &job, &error);
  gboolean again = FALSE;
  PxTokenSet *set = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (job != NULL && self->sets != NULL && g_ptr_array_find (self->sets, job->original, NULL))
    set = job->original;
  /* Deleted before its row existed: now it has one, delete that. */
  if (ok && job != NULL && !job->delete && self->doomed != NULL && g_ptr_array_remove (self->doomed, job->original))
    {
      SetJob *delete = g_new0 (SetJob, 1);

      delete->copy = px_token_set_copy (job->copy);
      delete->delete = TRUE;
      px_library_write_async (self->library, set_job_run, delete, (GDestroyNotify) set_job_free,
                              self->cancellable, on_set_saved, g_object_ref (self));
      return;
    }
  if (set != NULL)
    {
      again = GPOINTER_TO_INT (g_hash_table_lookup (self->inserting, set));
      g_hash_table_remove (self->inserting, set);
    }
  if (!ok)
    {
      report (self, error);
      return;
    }
  /* A new set has its row now: later saves update it. */
  if (set != NULL && set->id == 0)
    set->id = job->copy->id;
  if (set != NULL && again)
    save_set (self, set);
}

/* Saves a copy of the set as it is now. A new set is inserted once: saves
 * asked for meanwhile wait for its row and then save the latest values. */
static void
save_set (PxTokenPalette *self,
          PxTokenSet     *set)
{
  SetJob *job;

  if (self->library == NULL)
    return;
  if (set->id == 0 && g_hash_table_contains (self->inserting, set))
    {
      g_hash_table_insert (self->inserting, set, GINT_TO_POINTER (TRUE));
      return;
    }
  if (set->id == 0)
    g_hash_table_insert (self->inserting, set, GINT_TO_POINTER (FALSE));

  job = g_new0 (SetJob, 1);
  job->original = set;
  job->copy = px_token_set_copy (set);
  px_library_write_async (self->library, set_job_run, job, (GDestroyNotify) set_job_free, self->cancellable,
                          on_set_saved, g_object_ref (self));
}

static gboolean
save_now (gpointer data)
{
  PxTokenPalette *self = data;

  self->save_source = 0;
  if (self->current != NULL)
    save_set (self, self->current);
  return G_SOURCE_REMOVE;
}

static void
save_soon (PxTokenPalette *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_now, self);
}

static void
flush_save (PxTokenPalette *self)
{
  if (self->save_source != 0)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      save_now (self);
    }
}

static GdkContentProvider *
on_chip_drag_prepare (GtkDragSource *source,
                      double         x,
                      double         y,
                      GtkWidget     *chip)
{
  g_autoptr(PxTokenDrag) drag = px_token_drag_new (g_object_get_data (G_OBJECT (chip), "token-text"), NULL);

  return gdk_content_provider_new_typed (PX_TYPE_TOKEN_DRAG, drag);
}

static void
on_chip_clicked (GtkButton      *chip,
                 PxTokenPalette *self)
{
  g_signal_emit (self, signals[INSERT_TOKEN], 0, g_object_get_data (G_OBJECT (chip), "token-text"));
}

static void
on_value_changed (GtkEditable    *entry,
                  PxTokenPalette *self)
{
  if (self->updating || self->current == NULL)
    return;

  px_token_set_set (self->current, g_object_get_data (G_OBJECT (entry), "token-name"), gtk_editable_get_text (entry));
  save_soon (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void rebuild_rows (PxTokenPalette *self);

static void
on_remove_clicked (GtkButton      *button,
                   PxTokenPalette *self)
{
  if (self->current == NULL)
    return;

  px_token_set_remove (self->current, g_object_get_data (G_OBJECT (button), "token-name"));
  save_soon (self);
  rebuild_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
make_row (PxTokenPalette *self,
          const char     *name,
          const char     *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *chip = gtk_button_new_with_label (name);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkDragSource *source = gtk_drag_source_new ();
  g_autofree char *token_text = g_strdup_printf ("[%s]", name);
  g_autofree char *insert_tip = g_strdup_printf (_("Insert %s into the prompt, or drag it there"), token_text);
  g_autofree char *value_label = g_strdup_printf (_("Value of %s"), name);
  g_autofree char *chip_name = g_strdup_printf (_("Token %s"), name);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_widget_add_css_class (chip, "px-token");
  gtk_widget_add_css_class (chip, "flat");
  gtk_widget_set_tooltip_text (chip, insert_tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, chip_name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, insert_tip, -1);
  gtk_widget_set_name (chip, name);
  g_object_set_data_full (G_OBJECT (chip), "token-text", g_steal_pointer (&token_text), g_free);
  g_signal_connect (chip, "clicked", G_CALLBACK (on_chip_clicked), self);
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_chip_drag_prepare), chip);
  gtk_widget_add_controller (chip, GTK_EVENT_CONTROLLER (source));

  gtk_widget_set_hexpand (entry, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), value);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, value_label, -1);
  g_object_set_data_full (G_OBJECT (entry), "token-name", g_strdup (name), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_value_changed), self);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Token"));
  g_object_set_data_full (G_OBJECT (remove), "token-name", g_strdup (name), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);

  gtk_box_append (GTK_BOX (box), chip);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
rebuild_rows (PxTokenPalette *self)
{
  GtkWidget *child;

  self->updating = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->token_list))) != NULL)
    gtk_list_box_remove (self->token_list, child);
  for (guint i = 0; self->current != NULL && i < self->current->names->len; i++)
    gtk_list_box_append (self->token_list, make_row (self, g_ptr_array_index (self->current->names, i),
                                                     g_ptr_array_index (self->current->values, i)));
  self->updating = FALSE;
}

static void
rebuild_sets (PxTokenPalette *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < self->sets->len; i++)
    {
      PxTokenSet *set = g_ptr_array_index (self->sets, i);

      gtk_string_list_append (names, set->name);
      if (set == self->current)
        selected = i;
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->set_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->set_dropdown, selected);
  self->updating = FALSE;
  rebuild_rows (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "palette.delete", self->sets->len > 1);
}

static void
on_set_selected (PxTokenPalette *self)
{
  guint selected = gtk_drop_down_get_selected (self->set_dropdown);

  if (self->updating || selected >= self->sets->len)
    return;

  flush_save (self);
  self->current = g_ptr_array_index (self->sets, selected);
  rebuild_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Adds a set to the library and shows it. */
gboolean
px_token_palette_add_set (PxTokenPalette  *self,
                          PxTokenSet      *set,
                          GError         **error)
{
  g_return_val_if_fail (PX_IS_TOKEN_PALETTE (self), FALSE);

  flush_save (self);
  g_ptr_array_add (self->sets, set);
  save_set (self, set);
  self->current = set;
  rebuild_sets (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static void
on_sets_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PxTokenPalette) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sets = px_library_list_finish (PX_LIBRARY (source), result, &error);

  if (sets == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      report (self, error);
    }
  /* Another library since: its own list is on the way. */
  if (PX_LIBRARY (source) != self->library)
    return;

  for (guint i = 0; sets != NULL && i < sets->len; i++)
    {
      PxTokenSet *set = g_steal_pointer (&sets->pdata[i]);

      g_ptr_array_add (self->sets, set);
      if (set->id == self->select_id || self->current == NULL)
        self->current = set;
    }

  /* Someone has to hold the values: a first set, saved at once. */
  if (self->sets->len == 0)
    {
      PxTokenSet *first = px_token_set_new (_("My Tokens"));

      g_ptr_array_add (self->sets, first);
      self->current = first;
      save_set (self, first);
    }
  rebuild_sets (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Shows the library's token sets, select_id's chosen, once they are read
 * (off the main thread); no library: one set that is not saved. */
void
px_token_palette_set_library (PxTokenPalette *self,
                              PxLibrary      *library,
                              gint64          select_id)
{
  g_return_if_fail (PX_IS_TOKEN_PALETTE (self));

  flush_save (self);
  g_set_object (&self->library, library);
  g_ptr_array_set_size (self->sets, 0);
  g_hash_table_remove_all (self->inserting);
  self->current = NULL;
  self->select_id = select_id;

  if (library == NULL)
    {
      self->current = px_token_set_new (_("My Tokens"));
      g_ptr_array_add (self->sets, self->current);
      rebuild_sets (self);
      return;
    }
  rebuild_sets (self);
  px_library_list_async (library, px_library_list_token_sets, self->cancellable, on_sets_listed,
                         g_object_ref (self));
}

const PxTokenSet *
px_token_palette_get_set (PxTokenPalette *self)
{
  g_return_val_if_fail (PX_IS_TOKEN_PALETTE (self), NULL);

  return self->current;
}

/* Tokens the prompt uses get a row, so their values can be filled in. */
void
px_token_palette_ensure_tokens (PxTokenPalette     *self,
                                const char * const *names)
{
  gboolean added = FALSE;

  g_return_if_fail (PX_IS_TOKEN_PALETTE (self));

  for (guint i = 0; self->current != NULL && names != NULL && names[i] != NULL; i++)
    if (px_token_set_lookup (self->current, names[i]) == NULL)
      {
        px_token_set_set (self->current, names[i], "");
        added = TRUE;
      }
  if (added)
    {
      save_soon (self);
      rebuild_rows (self);
    }
}

void
px_token_palette_set_value (PxTokenPalette *self,
                            const char     *name,
                            const char     *value)
{
  g_return_if_fail (PX_IS_TOKEN_PALETTE (self));

  if (self->current == NULL)
    return;
  px_token_set_set (self->current, name, value);
  save_soon (self);
  rebuild_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_add_token (PxTokenPalette *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_token_entry));
  g_autofree char *name = px_tokens_normalize_name (text);

  if (name == NULL || *name == '\0' || self->current == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->new_token_entry));
      return;
    }
  if (px_token_set_lookup (self->current, name) == NULL)
    px_token_set_set (self->current, name, "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_token_entry), "");
  save_soon (self);
  rebuild_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- menu actions ---- */

static char *
unused_name (PxTokenPalette *self,
             const char     *base)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (base) : g_strdup_printf ("%s %u", base, n);
      gboolean used = FALSE;

      for (guint i = 0; i < self->sets->len; i++)
        used |= g_str_equal (((PxTokenSet *) g_ptr_array_index (self->sets, i))->name, name);
      if (!used)
        return g_steal_pointer (&name);
    }
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PxTokenPalette *self = PX_TOKEN_PALETTE (widget);
  g_autofree char *name = unused_name (self, _("Token Set"));
  g_autoptr(GError) error = NULL;
  PxTokenSet *set = px_token_set_new (name);

  /* The same tokens, empty: a new person for the same prompt. */
  for (guint i = 0; self->current != NULL && i < self->current->names->len; i++)
    px_token_set_set (set, g_ptr_array_index (self->current->names, i), "");
  if (!px_token_palette_add_set (self, set, &error))
    {
      px_token_set_free (set);
      report (self, error);
    }
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PxTokenPalette *self = PX_TOKEN_PALETTE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  PxTokenSet *copy;

  if (self->current == NULL)
    return;
  flush_save (self);
  base = g_strdup_printf (_("%s (copy)"), self->current->name);
  name = unused_name (self, base);
  copy = px_token_set_copy (self->current);
  copy->id = 0;
  g_free (copy->name);
  copy->name = g_steal_pointer (&name);
  if (!px_token_palette_add_set (self, copy, &error))
    {
      px_token_set_free (copy);
      report (self, error);
    }
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    PxTokenPalette   *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!g_str_equal (response, "rename") || *name == '\0' || self->current == NULL)
    return;
  g_free (self->current->name);
  self->current->name = g_steal_pointer (&name);
  save_now (self);
  rebuild_sets (self);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxTokenPalette *self = PX_TOKEN_PALETTE (widget);
  GtkWidget *dialog, *entry;

  if (self->current == NULL)
    return;
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), self->current->name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  dialog = GTK_WIDGET (px_dialog_ask (widget, _("Rename Token Set"), NULL, entry, "rename", _("_Rename"),
                                      ADW_RESPONSE_SUGGESTED));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    PxTokenPalette   *self)
{
  if (!g_str_equal (response, "delete") || self->current == NULL || self->sets->len < 2)
    return;
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->library != NULL && self->current->id != 0)
    {
      SetJob *job = g_new0 (SetJob, 1);

      job->copy = px_token_set_copy (self->current);
      job->delete = TRUE;
      px_library_write_async (self->library, set_job_run, job, (GDestroyNotify) set_job_free, self->cancellable,
                              on_set_saved, g_object_ref (self));
    }
  if (g_hash_table_remove (self->inserting, self->current))
    {
      /* Its row is on the way: kept aside (not freed) until it comes. */
      guint index;

      g_ptr_array_find (self->sets, self->current, &index);
      g_ptr_array_add (self->doomed, g_ptr_array_steal_index (self->sets, index));
    }
  else
    g_ptr_array_remove (self->sets, self->current);
  self->current = g_ptr_array_index (self->sets, 0);
  rebuild_sets (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxTokenPalette *self = PX_TOKEN_PALETTE (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->current == NULL || self->sets->len < 2)
    return;
  body = g_strdup_printf (_("“%s” and its values will be gone. Images made with it keep their values."), self->current->name);
  dialog = GTK_WIDGET (px_dialog_ask (widget, _("Delete Token Set?"), body, NULL, "delete", _("_Delete"),
                                      ADW_RESPONSE_DESTRUCTIVE));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* One row of a CSV (1 is the first row after the header) as a new set:
 * the header names the tokens. */
gboolean
px_token_palette_import_csv_row (PxTokenPalette  *self,
                                 const char      *path,
                                 guint            row,
                                 GError         **error)
{
  g_autoptr(PxCsvReader) reader = px_csv_reader_new_for_path (path, error);
  g_auto(GStrv) values = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *name = NULL;
  const char * const *columns;
  PxTokenSet *set;

  if (reader == NULL || !px_csv_reader_read_header (reader, NULL, error))
    return FALSE;
  columns = px_csv_reader_get_columns (reader);
  for (guint i = 1; i <= row; i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_clear_pointer (&values, g_strfreev);
      values = px_csv_reader_next_row (reader, NULL, &local_error);
      if (values == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_EMPTY,
                         _("%s has no row %u; it has %u."), basename, row, i - 1);
          return FALSE;
        }
    }

  name = g_strdup_printf (_("%s, row %u"), basename, row);
  set = px_token_set_new (name);
  for (guint i = 0; columns[i] != NULL && values[i] != NULL; i++)
    px_token_set_set (set, columns[i], values[i]);
  if (!px_token_palette_add_set (self, set, error))
    {
      px_token_set_free (set);
      return FALSE;
    }
  return TRUE;
}

static void
on_row_chosen (AdwMessageDialog *dialog,
               const char       *response,
               PxTokenPalette   *self)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (adw_message_dialog_get_extra_child (dialog));
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "import") &&
      !px_token_palette_import_csv_row (self, path, gtk_spin_button_get_value_as_int (spin), &error))
    report (self, error);
}

static void
on_csv_chosen (GtkNativeDialog *chooser,
               int              response,
               PxTokenPalette  *self)
{
  g_autoptr(GFile) file = NULL;
  GtkWidget *dialog, *spin;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || g_file_peek_path (file) == NULL)
    return;

  spin = gtk_spin_button_new_with_range (1, G_MAXINT, 1);
  dialog = GTK_WIDGET (px_dialog_ask (GTK_WIDGET (self), _("Which Row?"),
                                      _("The column names become tokens and the row's cells their values. Row 1 "
                                        "is the first row under the header."),
                                      spin, "import", _("_Import"), ADW_RESPONSE_SUGGESTED));
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (g_file_peek_path (file)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_row_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PxTokenPalette *self = PX_TOKEN_PALETTE (widget);

  g_clear_object (&self->chooser);
  self->chooser = px_dialog_file_chooser (widget, _("Import a Row From CSV"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                          _("CSV files"), (const char * const[]) { "text/csv", NULL }, "csv");
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_csv_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
px_token_palette_dispose (GObject *object)
{
  PxTokenPalette *self = PX_TOKEN_PALETTE (object);

  /* What was typed last is saved (the write is done even though the
   * answer is no longer wanted). */
  flush_save (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_TOKEN_PALETTE);
  g_clear_object (&self->library);
  g_clear_pointer (&self->sets, g_ptr_array_unref);
  g_clear_pointer (&self->inserting, g_hash_table_unref);
  g_clear_pointer (&self->doomed, g_ptr_array_unref);

  G_OBJECT_CLASS (px_token_palette_parent_class)->dispose (object);
}

static void
px_token_palette_class_init (PxTokenPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_token_palette_dispose;

  /* A token chip was clicked: insert @token where the cursor is. */
  signals[INSERT_TOKEN] = g_signal_new ("insert-token", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Values, tokens or the chosen set changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-token-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, PxTokenPalette, set_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PxTokenPalette, token_list);
  gtk_widget_class_bind_template_child (widget_class, PxTokenPalette, new_token_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_set_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_add_token);

  gtk_widget_class_install_action (widget_class, "palette.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "palette.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "palette.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "palette.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "palette.import-csv", NULL, import_csv_action);
}

static void
px_token_palette_init (PxTokenPalette *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("No tokens yet. Write [FIRSTNAME] in the prompt, or add one below."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->token_list, placeholder);
  self->sets = g_ptr_array_new_with_free_func ((GDestroyNotify) px_token_set_free);
  self->inserting = g_hash_table_new (NULL, NULL);
  self->doomed = g_ptr_array_new_with_free_func ((GDestroyNotify) px_token_set_free);
  self->cancellable = g_cancellable_new ();
}
