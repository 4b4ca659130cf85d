/* px-gallery-page-actions.c: what the Gallery does to images: delete with
 * an exact undo, export under a name pattern, import dropped files, and the
 * background check of the library. Every library call runs on the library's
 * threads; answers for a page that has gone are dropped. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-dialog.h"
#include "px-gallery-page-private.h"
#include "px-image-window.h"
#include "px-window.h"

typedef void (*IdsReady) (PxGalleryPage *self,
                          GArray        *ids);

typedef struct {
  PxGalleryPage *self;
  IdsReady       then;
} IdsRequest;

static void
on_ids (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  IdsRequest *request = user_data;
  g_autoptr(PxGalleryPage) self = request->self;
  IdsReady then = request->then;
  g_autoptr(GError) error = NULL;
  GArray *ids = NULL;

  g_free (request);
  if (self->model != NULL)
    ids = px_library_model_get_ids_finish (self->model, result, &error);
  if (ids != NULL)
    then (self, ids);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    px_gallery_page_show_error (self, _("Could not read the selection"), error);
}

/* The selected images' ids, then `then`. Rows not read yet (a selection of
 * everything in a large library) are read on a worker first. */
static void
with_selected_ids (PxGalleryPage *self,
                   IdsReady       then)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean all_read = TRUE;
  GtkBitsetIter iter;
  guint position;
  IdsRequest *request;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(PxLibraryItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
      const PxLibraryImage *image = item ? px_library_item_get_image (item) : NULL;

      g_array_append_val (positions, position);
      if (image != NULL)
        g_array_append_val (ids, image->id);
      else
        all_read = FALSE;
    }

  if (all_read)
    {
      then (self, ids);
      return;
    }
  g_array_unref (ids);
  request = g_new0 (IdsRequest, 1);
  request->self = g_object_ref (self);
  request->then = then;
  px_library_model_get_ids_async (self->model, positions, self->cancellable, on_ids, request);
}

/* ---- delete and undo ---- */

/* One deletion: its images, and whether its Undo was used or its toast
 * went (after which its images are deleted for good). Shared by the toast
 * and the library calls in flight. */
typedef struct {
  PxGalleryPage *self;
  GArray        *ids;
  gboolean       undone;
  gboolean       purged;
} Deletion;

static void
deletion_clear (Deletion *deletion)
{
  g_object_unref (deletion->self);
  g_array_unref (deletion->ids);
}

static Deletion *
deletion_ref (Deletion *deletion)
{
  return g_rc_box_acquire (deletion);
}

static void
deletion_unref (Deletion *deletion)
{
  g_rc_box_release_full (deletion, (GDestroyNotify) deletion_clear);
}

static void
deletion_closure_unref (gpointer  data,
                        GClosure *closure)
{
  deletion_unref (data);
}

typedef enum {
  TRASH,
  RESTORE,
  PURGE,
} DeletionStep;

typedef struct {
  GArray       *ids;
  DeletionStep  step;
} StepJob;

static void
step_job_free (StepJob *job)
{
  g_array_unref (job->ids);
  g_free (job);
}

static gboolean
run_step (PxLibrary     *library,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  StepJob *job = data;
  const gint64 *ids = (const gint64 *) job->ids->data;

  switch (job->step)
    {
    case TRASH:
      return px_library_trash (library, ids, job->ids->len, error);
    case RESTORE:
      return px_library_restore (library, ids, job->ids->len, error);
    case PURGE:
      return px_library_purge (library, ids, job->ids->len, error);
    default:
      g_assert_not_reached ();
    }
}

static void
start_step (Deletion            *deletion,
            DeletionStep         step,
            GAsyncReadyCallback  callback)
{
  StepJob *job = g_new0 (StepJob, 1);

  job->ids = g_array_ref (deletion->ids);
  job->step = step;
  /* The page's cancellable only silences the answer: the write itself is
   * always done whole. */
  px_library_write_async (deletion->self->library, run_step, job, (GDestroyNotify) step_job_free,
                          deletion->self->cancellable, callback, deletion_ref (deletion));
}

/* A restore or a purge is done: a failure is told, and a restore shows. */
static void
finish_step (GObject      *source,
             GAsyncResult *result,
             Deletion     *deletion,
             const char   *failure,
             gboolean      reload)
{
  g_autoptr(GError) error = NULL;
  gboolean cancelled;

  px_library_run_finish (PX_LIBRARY (source), result, NULL, &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (error != NULL && !cancelled)
    px_gallery_page_show_error (deletion->self, failure, error);
  if (reload && !cancelled)
    px_gallery_page_reload (deletion->self);
  deletion_unref (deletion);
}

static void
on_restored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  finish_step (source, result, user_data, _("The images could not be brought back"), TRUE);
}

static void
on_undo (AdwToast *toast,
         Deletion *deletion)
{
  if (deletion->undone)
    return;
  if (deletion->purged)
    {
      px_gallery_page_show_toast (deletion->self,
                                  adw_toast_new (_("Too late to undo: those images were already deleted for good")));
      return;
    }
  deletion->undone = TRUE;
  start_step (deletion, RESTORE, on_restored);
}

static void
on_purged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  finish_step (source, result, user_data, _("The images could not be deleted"), FALSE);
}

static void
on_toast_dismissed (AdwToast *toast,
                    Deletion *deletion)
{
  /* The toast is gone without an undo: now delete its own images for good
   * (another deletion's may still be undone). */
  if (deletion->undone || deletion->purged)
    return;
  deletion->purged = TRUE;
  start_step (deletion, PURGE, on_purged);
}

static void
on_trashed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deletion *deletion = user_data;
  PxGalleryPage *self = deletion->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_gallery_page_show_error (self, _("The images could not be deleted"), error);
      deletion_unref (deletion);
      return;
    }
  /* The grid loses just those cells (a reload of 100,000 rows would
   * rebuild it); when the model does not hold them all, it reads again. */
  if (self->model == NULL ||
      !px_library_model_remove (self->model, (const gint64 *) deletion->ids->data, deletion->ids->len))
    px_gallery_page_reload (self);
  else
    px_gallery_page_refresh_choices (self);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u image", "Deleted %u images", deletion->ids->len),
                           deletion->ids->len);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* Longer than a plain notice: time to notice a wrong deletion. */
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo), deletion_ref (deletion),
                         deletion_closure_unref, 0);
  /* The toast's reference. */
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (on_toast_dismissed), deletion, deletion_closure_unref, 0);
  g_set_weak_pointer (&self->undo_toast, toast);
  px_gallery_page_show_toast (self, toast);
}

static gboolean
dismiss_later (gpointer data)
{
  adw_toast_dismiss (data);
  return G_SOURCE_REMOVE;
}

/* Ctrl+Z: the last deletion's Undo, while it is offered. */
static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);
  g_autoptr(AdwToast) toast = self->undo_toast ? g_object_ref (self->undo_toast) : NULL;

  if (toast == NULL)
    return;
  g_signal_emit_by_name (toast, "button-clicked");
  g_clear_weak_pointer (&self->undo_toast);
  /* Dismissed once any toast it pushed aside has finished animating away:
   * libadwaita 1.2 asserts when it shows a toast that is still hiding. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, 400, dismiss_later, g_steal_pointer (&toast), g_object_unref);
}

/* Moves the images to the trash and offers Undo; takes ids. */
void
px_gallery_page_delete (PxGalleryPage *self,
                        GArray        *ids)
{
  Deletion *deletion;

  if (ids->len == 0 || self->library == NULL)
    {
      g_array_unref (ids);
      return;
    }

  deletion = g_rc_box_new0 (Deletion);
  deletion->self = g_object_ref (self);
  deletion->ids = ids;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  start_step (deletion, TRASH, on_trashed);
  deletion_unref (deletion);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);

  if (px_gallery_page_showing_videos (self))
    px_video_grid_delete_selected (self->video_grid);
  else
    with_selected_ids (self, px_gallery_page_delete);
}

/* ---- export, import, check ---- */

typedef struct {
  PxLibrary *library;
  GArray    *ids;
  char      *folder;
  char      *pattern;
  const char *format; /* export: "png", "jpeg", "webp"; NULL: as kept */
  GPtrArray *paths;   /* import */
} FileJob;

/* The export dialog's choices, in its order. */
static const char * const export_formats[] = { NULL, "png", "jpeg", "webp" };

static void
file_job_free (FileJob *job)
{
  g_object_unref (job->library);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job->folder);
  g_free (job->pattern);
  g_clear_pointer (&job->paths, g_ptr_array_unref);
  g_free (job);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  FileJob *job = task_data;
  GError *error = NULL;
  GPtrArray *written = px_library_export (job->library, (const gint64 *) job->ids->data, job->ids->len,
                                          job->folder, job->pattern, job->format, &error);

  if (written == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, written, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) written = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *title = NULL;

  if (written == NULL)
    title = g_strdup_printf (_("Nothing was exported: %s"), error->message);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u image", "Exported %u images", written->len),
                             written->len);
  px_gallery_page_show_toast (self, adw_toast_new (title));
}

static void
on_export_folder (GtkNativeDialog *dialog,
                  int              response,
                  PxGalleryPage   *self)
{
  g_autoptr(GFile) folder = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))
                                                            : NULL;

  if (folder != NULL && g_file_peek_path (folder) != NULL && self->export_ids != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_exported, NULL);
      FileJob *job = g_new0 (FileJob, 1);

      job->library = g_object_ref (self->library);
      job->ids = g_steal_pointer (&self->export_ids);
      job->folder = g_file_get_path (folder);
      job->pattern = g_strdup (self->export_pattern);
      job->format = export_formats[self->export_format];
      g_task_set_task_data (task, job, (GDestroyNotify) file_job_free);
      g_task_run_in_thread (task, export_in_thread);
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
on_export_pattern_response (AdwMessageDialog *dialog,
                            const char       *response,
                            PxGalleryPage    *self)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_first_child (box));
  GtkDropDown *format = GTK_DROP_DOWN (gtk_widget_get_next_sibling (GTK_WIDGET (entry)));

  if (!g_str_equal (response, "choose"))
    return;

  g_free (self->export_pattern);
  self->export_pattern = g_strdup (gtk_editable_get_text (entry));
  self->export_format = MIN (gtk_drop_down_get_selected (format), G_N_ELEMENTS (export_formats) - 1);
  self->chooser = gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_folder), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Asks for a file name pattern (tokens as in prompts), then a folder. */
static void
ask_export (PxGalleryPage *self,
            GArray        *ids)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkWidget *dialog, *entry, *format;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  if (ids->len == 0)
    {
      g_array_unref (ids);
      px_gallery_page_show_toast (self, adw_toast_new (_("Select the images to export first")));
      return;
    }
  g_clear_pointer (&self->export_ids, g_array_unref);
  self->export_ids = ids;

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), self->export_pattern ? self->export_pattern : "[NAME|image]-[ID]");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("File names"), -1);
  /* Converted copies carry the prompt as XMP (PNG text does not survive). */
  format = gtk_drop_down_new_from_strings ((const char * const[]) { _("As kept"), _("PNG"), _("JPEG"), _("WebP"),
                                                                    NULL });
  gtk_drop_down_set_selected (GTK_DROP_DOWN (format), self->export_format);
  gtk_accessible_update_property (GTK_ACCESSIBLE (format), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Format"), -1);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), format);
  dialog = GTK_WIDGET (px_dialog_ask (widget, g_dngettext (GETTEXT_PACKAGE, "Export Image", "Export Images", ids->len),
                                      _("File names come from this pattern. Use tokens like [NAME], with a default "
                                        "after | for images that lack one; [ID], [MODEL] and [DATE] always exist."),
                                      box, "choose", _("_Choose Folder…"), ADW_RESPONSE_SUGGESTED));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_pattern_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);

  if (px_gallery_page_showing_videos (self))
    px_video_grid_export_selected (self->video_grid);
  else
    with_selected_ids (self, ask_export);
}

static void
import_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  FileJob *job = task_data;
  guint imported = 0;

  for (guint i = 0; i < job->paths->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (px_library_import_file (job->library, g_ptr_array_index (job->paths, i), &error) > 0)
        imported++;
      else
        g_debug ("Not imported: %s", error->message);
    }

  g_task_return_int (task, imported);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (source);
  FileJob *job = g_task_get_task_data (G_TASK (result));
  gssize imported = g_task_propagate_int (G_TASK (result), NULL);
  g_autofree char *title = NULL;

  px_gallery_page_reload (self);
  if (imported == (gssize) job->paths->len)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u image", "Imported %u images", imported),
                             (guint) imported);
  else
    title = g_strdup_printf (_("Imported %u of %u files: the others are not PNG, JPEG or WebP images"),
                             (guint) MAX (imported, 0), job->paths->len);
  px_gallery_page_show_toast (self, adw_toast_new (title));
}

/* Image files dropped on the page join the library, marked as imported. */
gboolean
px_gallery_page_on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PxGalleryPage *self)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GTask) task = NULL;
  FileJob *job;

  if (self->library == NULL || files == NULL)
    return FALSE;

  job = g_new0 (FileJob, 1);
  job->library = g_object_ref (self->library);
  job->paths = g_ptr_array_new_with_free_func (g_free);
  for (GSList *l = files; l != NULL; l = l->next)
    {
      char *path = g_file_get_path (l->data);

      if (path != NULL)
        g_ptr_array_add (job->paths, path);
    }

  task = g_task_new (self, self->cancellable, on_imported, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) file_job_free);
  g_task_run_in_thread (task, import_in_thread);
  return TRUE;
}

static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *problems = px_library_check (task_data, &error);

  if (problems == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, problems, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_problems_details (AdwToast  *toast,
                     GPtrArray *problems)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (g_object_get_data (G_OBJECT (toast), "page")), GTK_TYPE_WINDOW);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < MIN (problems->len, 12u); i++)
    g_string_append_printf (body, "• %s\n", (const char *) g_ptr_array_index (problems, i));
  if (problems->len > 12)
    g_string_append_printf (body, _("…and %u more.\n"), problems->len - 12);
  g_string_append (body, _("\nNothing was changed or removed. “pixmerge-cli library check” lists every problem."));

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Library Problems"), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Files without rows and rows without files are found and reported when the
 * library opens, in the background; nothing is deleted. */
static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (problems == NULL || problems->len == 0)
    return;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The library has %u problem", "The library has %u problems",
                                        problems->len), problems->len);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_timeout (toast, 0);
  g_object_set_data (G_OBJECT (toast), "page", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_problems_details),
                         g_ptr_array_ref (problems), (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  px_gallery_page_show_toast (self, toast);
}

void
px_gallery_page_start_check (PxGalleryPage *self)
{
  g_autoptr(GTask) check = g_task_new (self, self->cancellable, on_checked, NULL);

  g_task_set_task_data (check, g_object_ref (self->library), g_object_unref);
  g_task_run_in_thread (check, check_in_thread);
}

/* Shows the library, or why it could not be opened. */

/* ---- edit ---- */

/* The Editor on the first selected image (the window reads it and opens). */
static void
edit_first (PxGalleryPage *self,
            GArray        *ids)
{
  if (ids->len == 0)
    px_gallery_page_show_toast (self, adw_toast_new (_("Select an image to edit it")));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-image", "x", g_array_index (ids, gint64, 0));
  g_array_unref (ids);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);

  if (!px_gallery_page_showing_videos (self))
    with_selected_ids (self, edit_first);
}

/* The details of the first selected image: what Enter on the grid does,
 * also offered as an action (a screen reader lists it). */
static void
open_first (PxGalleryPage *self,
            GArray        *ids)
{
  if (ids->len == 0)
    px_gallery_page_show_toast (self, adw_toast_new (_("Select an image to open it")));
  else
    px_gallery_page_show_image (self, g_array_index (ids, gint64, 0));
  g_array_unref (ids);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);

  if (!px_gallery_page_showing_videos (self))
    with_selected_ids (self, open_first);
}

/* Ctrl+F: to the search. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
px_gallery_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "gallery.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "gallery.search", NULL);
  gtk_widget_class_install_action (widget_class, "gallery.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "gallery.edit", NULL, edit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "gallery.edit", NULL);
  gtk_widget_class_install_action (widget_class, "gallery.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "gallery.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "gallery.undo", NULL, undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "gallery.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "gallery.delete", NULL);
}
