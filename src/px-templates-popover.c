/* px-templates-popover.c: the list behind the Generate page's Templates
 * button. The user's templates come first, then the presets, each under its
 * category; a template can be duplicated, deleted (with Undo), imported and
 * exported as JSON. The library is read and written on its own threads:
 * the list refreshes when a write is done. Emits "apply" with a template id
 * ("preset:…" or the row id) and "problem" with a sentence to show. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "px-dialog.h"
#include "px-templates-popover.h"

struct _PxTemplatesPopover
{
  GtkPopover            parent_instance;

  PxLibrary            *library;
  GPtrArray            *presets;   /* PxTemplate */
  GPtrArray            *saved;     /* PxTemplate, as in the library */
  GtkListBox           *list;
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (PxTemplatesPopover, px_templates_popover, GTK_TYPE_POPOVER)

enum {
  APPLY,
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
problem (PxTemplatesPopover *self,
         const char         *message)
{
  g_signal_emit (self, signals[PROBLEM], 0, message);
}

static void
toast (PxTemplatesPopover *self,
       AdwToast           *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

const PxTemplate *
px_templates_popover_find (PxTemplatesPopover *self,
                           const char         *id)
{
  g_return_val_if_fail (PX_IS_TEMPLATES_POPOVER (self), NULL);

  if (g_str_has_prefix (id, "preset:"))
    {
      for (guint i = 0; i < self->presets->len; i++)
        if (g_str_equal (((PxTemplate *) g_ptr_array_index (self->presets, i))->preset_id, id + 7))
          return g_ptr_array_index (self->presets, i);
      return NULL;
    }
  for (guint i = 0; self->saved != NULL && i < self->saved->len; i++)
    if (((PxTemplate *) g_ptr_array_index (self->saved, i))->row_id == g_ascii_strtoll (id, NULL, 10))
      return g_ptr_array_index (self->saved, i);
  return NULL;
}

GPtrArray *
px_templates_popover_get_saved (PxTemplatesPopover *self)
{
  g_return_val_if_fail (PX_IS_TEMPLATES_POPOVER (self), NULL);

  return self->saved;
}

/* ---- the library, off the main thread ---- */

typedef enum {
  LIST,
  SAVE,
  DELETE,
} Step;

typedef struct {
  Step       step;
  GPtrArray *templates;   /* LIST: out; SAVE: in; DELETE: the one */
  guint      saved;       /* SAVE: out */
  char      *done;        /* what to say when it worked */
  gboolean   undoable;    /* DELETE: offer Undo */
  gboolean   import;      /* SAVE: say how many came in */
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->templates, g_ptr_array_unref);
  g_free (job->done);
  g_free (job);
}

static gboolean
run_job (PxLibrary     *library,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Job *job = data;

  switch (job->step)
    {
    case LIST:
      job->templates = px_library_list_templates (library, error);
      return job->templates != NULL;
    case SAVE:
      /* Each that can be; the first failure is told. */
      for (guint i = 0; i < job->templates->len; i++)
        if (px_library_save_template (library, g_ptr_array_index (job->templates, i),
                                      error != NULL && *error == NULL ? error : NULL) != 0)
          job->saved++;
      return job->saved == job->templates->len;
    case DELETE:
      return px_library_delete_template (library, ((PxTemplate *) g_ptr_array_index (job->templates, 0))->row_id,
                                         error);
    default:
      g_assert_not_reached ();
    }
}

static void on_job_done (GObject *source, GAsyncResult *result, gpointer user_data);

static void
start_job (PxTemplatesPopover *self,
           Job                *job)
{
  if (self->library == NULL)
    {
      job_free (job);
      return;
    }
  if (job->step == LIST)
    px_library_read_async (self->library, run_job, job, (GDestroyNotify) job_free, self->cancellable,
                           on_job_done, g_object_ref (self));
  else
    px_library_write_async (self->library, run_job, job, (GDestroyNotify) job_free, self->cancellable,
                            on_job_done, g_object_ref (self));
}

static void
reload (PxTemplatesPopover *self)
{
  Job *job = g_new0 (Job, 1);

  job->step = LIST;
  start_job (self, job);
}

static void rebuild (PxTemplatesPopover *self);

static void
on_undo_delete (AdwToast           *toast,
                PxTemplatesPopover *self)
{
  Job *job = g_new0 (Job, 1);
  PxTemplate *template_ = px_template_copy (g_object_get_data (G_OBJECT (toast), "template"));

  template_->row_id = 0;
  job->step = SAVE;
  job->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  g_ptr_array_add (job->templates, template_);
  start_job (self, job);
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxTemplatesPopover) self = user_data;
  g_autoptr(GError) error = NULL;
  Job *job = NULL;
  gboolean ok = px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &job, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    problem (self, error->message);

  if (job->step == LIST)
    {
      if (ok && PX_LIBRARY (source) == self->library)
        {
          g_clear_pointer (&self->saved, g_ptr_array_unref);
          self->saved = g_steal_pointer (&job->templates);
          rebuild (self);
        }
      return;
    }

  if (ok && job->undoable)
    {
      AdwToast *deleted = adw_toast_new (job->done);

      adw_toast_set_button_label (deleted, _("_Undo"));
      g_object_set_data_full (G_OBJECT (deleted), "template", px_template_copy (g_ptr_array_index (job->templates, 0)),
                              (GDestroyNotify) px_template_free);
      g_signal_connect_object (deleted, "button-clicked", G_CALLBACK (on_undo_delete), self, 0);
      toast (self, deleted);
    }
  else if (job->step == SAVE && job->import && job->saved > 0)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u template",
                                                             "Imported %u templates", job->saved), job->saved);

      toast (self, adw_toast_new (title));
    }
  else if (ok && job->done != NULL)
    toast (self, adw_toast_new (job->done));
  reload (self);
}

/* Saves the template (a new one when its row_id is 0; takes it); the list
 * shows it when the library has it. */
void
px_templates_popover_save (PxTemplatesPopover *self,
                           PxTemplate         *template_)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (PX_IS_TEMPLATES_POPOVER (self));

  job->step = SAVE;
  job->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  g_ptr_array_add (job->templates, template_);
  job->done = g_strdup (_("Template saved"));
  start_job (self, job);
}

void
px_templates_popover_set_library (PxTemplatesPopover *self,
                                  PxLibrary          *library)
{
  g_return_if_fail (PX_IS_TEMPLATES_POPOVER (self));

  g_set_object (&self->library, library);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  rebuild (self);
  reload (self);
}

/* ---- the rows ---- */

static const char *
id_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "template-id");
}

static void
on_duplicate (GtkButton          *button,
              PxTemplatesPopover *self)
{
  const PxTemplate *template_ = px_templates_popover_find (self, id_of (GTK_WIDGET (button)));
  PxTemplate *copy;

  if (template_ == NULL)
    return;
  copy = px_template_copy (template_);
  copy->row_id = 0;
  g_free (copy->name);
  copy->name = g_strdup_printf (_("%s (copy)"), template_->name);
  px_templates_popover_save (self, copy);
}

static void
on_delete (GtkButton          *button,
           PxTemplatesPopover *self)
{
  const PxTemplate *template_ = px_templates_popover_find (self, id_of (GTK_WIDGET (button)));
  Job *job;

  if (template_ == NULL)
    return;
  job = g_new0 (Job, 1);
  job->step = DELETE;
  job->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  g_ptr_array_add (job->templates, px_template_copy (template_));
  job->done = g_strdup_printf (_("“%s” deleted"), template_->name);
  job->undoable = TRUE;
  start_job (self, job);
}

static GtkWidget *
row_button (const char *icon,
            const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static GtkWidget *
template_row (PxTemplatesPopover *self,
              const PxTemplate   *template_)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (template_->name);
  GtkWidget *description = gtk_label_new (*template_->description ? template_->description : template_->prompt);
  g_autofree char *id = template_->preset_id ? g_strconcat ("preset:", template_->preset_id, NULL)
                                             : g_strdup_printf ("%" G_GINT64_FORMAT, template_->row_id);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 40);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), description);
  gtk_box_append (GTK_BOX (box), text);

  if (template_->preset_id == NULL)
    {
      GtkWidget *duplicate = row_button ("edit-copy-symbolic", _("Duplicate Template"));
      GtkWidget *remove = row_button ("user-trash-symbolic", _("Delete Template"));

      g_object_set_data_full (G_OBJECT (duplicate), "template-id", g_strdup (id), g_free);
      g_object_set_data_full (G_OBJECT (remove), "template-id", g_strdup (id), g_free);
      g_signal_connect (duplicate, "clicked", G_CALLBACK (on_duplicate), self);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_delete), self);
      gtk_box_append (GTK_BOX (box), duplicate);
      gtk_box_append (GTK_BOX (box), remove);
    }

  g_object_set_data_full (G_OBJECT (row), "template-id", g_steal_pointer (&id), g_free);
  g_object_set_data_full (G_OBJECT (row), "category",
                          g_strdup (*template_->category ? template_->category : _("Uncategorized")), g_free);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
category_header (GtkListBoxRow *row,
                 GtkListBoxRow *before,
                 gpointer       user_data)
{
  const char *category = g_object_get_data (G_OBJECT (row), "category");
  gboolean preset = g_str_has_prefix (id_of (GTK_WIDGET (row)), "preset:");
  gboolean preset_before = before && g_str_has_prefix (id_of (GTK_WIDGET (before)), "preset:");
  g_autofree char *title = NULL;
  GtkWidget *header;

  if (before != NULL && preset == preset_before &&
      g_strcmp0 (category, g_object_get_data (G_OBJECT (before), "category")) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  /* Translators: the heading of the user's own templates of a category */
  title = preset ? g_strdup (category) : g_strdup_printf (_("Yours — %s"), category);
  header = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_top (header, 8);
  gtk_widget_set_margin_bottom (header, 2);
  gtk_list_box_row_set_header (row, header);
}

static void
rebuild (PxTemplatesPopover *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  /* The user's first, then the presets, each by category. */
  for (guint i = 0; self->saved != NULL && i < self->saved->len; i++)
    gtk_list_box_append (self->list, template_row (self, g_ptr_array_index (self->saved, i)));
  for (guint i = 0; i < self->presets->len; i++)
    {
      const PxTemplate *preset = g_ptr_array_index (self->presets, i);
      gboolean earlier = FALSE;

      for (guint j = 0; j < i; j++)
        earlier |= g_str_equal (((PxTemplate *) g_ptr_array_index (self->presets, j))->category, preset->category);
      if (earlier)
        continue;
      for (guint j = i; j < self->presets->len; j++)
        if (g_str_equal (((PxTemplate *) g_ptr_array_index (self->presets, j))->category, preset->category))
          gtk_list_box_append (self->list, template_row (self, g_ptr_array_index (self->presets, j)));
    }
}

static void
on_row_activated (GtkListBox         *list,
                  GtkListBoxRow      *row,
                  PxTemplatesPopover *self)
{
  const char *id = id_of (GTK_WIDGET (row));

  gtk_popover_popdown (GTK_POPOVER (self));
  if (id != NULL)
    g_signal_emit (self, signals[APPLY], 0, id);
}

/* ---- files ---- */

static void
on_import_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PxTemplatesPopover) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  GPtrArray *templates;
  gsize length;
  Job *job;

  if (!g_file_load_partial_contents_finish (G_FILE (source), result, &data, &length, NULL, &error) ||
      (templates = px_templates_from_json (data, length, &error)) == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        problem (self, error->message);
      return;
    }
  job = g_new0 (Job, 1);
  job->step = SAVE;
  job->templates = templates;
  job->import = TRUE;
  start_job (self, job);
}

/* Reading stops just past the largest templates file there can be: the
 * parser then says it is too large, and memory stays small. */
static gboolean
keep_reading (const char *contents,
              goffset     size,
              gpointer    user_data)
{
  return size <= PX_TEMPLATES_MAX_BYTES;
}

static void
on_imported (GtkNativeDialog    *chooser,
             int                 response,
             PxTemplatesPopover *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    g_file_load_partial_contents_async (file, self->cancellable, keep_reading, on_import_read, g_object_ref (self));
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PxTemplatesPopover) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        problem (self, error->message);
    }
  else
    toast (self, adw_toast_new (_("Templates exported")));
}

static void
on_exported (GtkNativeDialog    *chooser,
             int                 response,
             PxTemplatesPopover *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) json = NULL;
  char *text;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || self->saved == NULL)
    return;

  /* Written beside and renamed over, on a worker. */
  text = px_templates_to_json (self->saved);
  json = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, json, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable,
                                       on_export_written, g_object_ref (self));
}

static void
on_file_clicked (GtkButton          *button,
                 PxTemplatesPopover *self)
{
  gboolean import = g_object_get_data (G_OBJECT (button), "import") != NULL;
  GtkWidget *from = gtk_widget_get_parent (GTK_WIDGET (self));

  gtk_popover_popdown (GTK_POPOVER (self));
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = px_dialog_file_chooser (from ? from : GTK_WIDGET (self),
                                          import ? _("Import Templates") : _("Export Templates"),
                                          import ? GTK_FILE_CHOOSER_ACTION_OPEN : GTK_FILE_CHOOSER_ACTION_SAVE,
                                          import ? _("_Import") : _("_Export"), _("Pixmerge templates (JSON)"),
                                          (const char * const[]) { "application/json", NULL }, "json");
  if (!import)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "pixmerge-templates.json");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (import ? on_imported : on_exported), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

PxTemplatesPopover *
px_templates_popover_new (void)
{
  return g_object_new (PX_TYPE_TEMPLATES_POPOVER, NULL);
}

static void
px_templates_popover_dispose (GObject *object)
{
  PxTemplatesPopover *self = PX_TEMPLATES_POPOVER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->library);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  g_clear_pointer (&self->presets, g_ptr_array_unref);

  G_OBJECT_CLASS (px_templates_popover_parent_class)->dispose (object);
}

static void
px_templates_popover_finalize (GObject *object)
{
  g_clear_object (&PX_TEMPLATES_POPOVER (object)->cancellable);

  G_OBJECT_CLASS (px_templates_popover_parent_class)->finalize (object);
}

static void
px_templates_popover_class_init (PxTemplatesPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_templates_popover_dispose;
  object_class->finalize = px_templates_popover_finalize;

  /* A template was chosen: apply the one with this id. */
  signals[APPLY] = g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Something could not be done: this sentence says what. */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
px_templates_popover_init (PxTemplatesPopover *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *import = gtk_button_new_with_mnemonic (_("_Import…"));
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export Yours…"));

  self->cancellable = g_cancellable_new ();
  self->presets = px_templates_get_presets ();
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_header_func (self->list, category_header, NULL, NULL);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), 380);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  g_object_set_data (G_OBJECT (import), "import", GINT_TO_POINTER (TRUE));
  g_signal_connect (import, "clicked", G_CALLBACK (on_file_clicked), self);
  g_signal_connect (export, "clicked", G_CALLBACK (on_file_clicked), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), import);
  gtk_box_append (GTK_BOX (buttons), export);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_popover_set_child (GTK_POPOVER (self), box);
  rebuild (self);
}
