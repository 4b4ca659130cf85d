/* px-gallery-page.c: the Gallery page: every image in the library in a
 * grid that reads rows lazily (PxLibraryModel) and loads thumbnails in a
 * worker thread into a bounded texture cache; search over prompts and token
 * values; delete with an undo toast. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-gallery-page.h"
#include "px-image-window.h"
#include "px-library-model.h"
#include "px-window.h"

#define THUMBNAIL_SIZE 256
#define MAX_TEXTURES 600

struct _PxGalleryPage
{
  AdwBin               parent_instance;

  PxLibrary           *library;
  PxLibraryModel      *model;
  GtkMultiSelection   *selection;
  GHashTable          *textures;   /* sha256 -> GdkTexture */
  GQueue               texture_order;
  GCancellable        *cancellable;

  GtkStack            *stack;
  GtkGridView         *grid;
  GtkSearchEntry      *search_entry;
  AdwStatusPage       *error_page;
  GtkDropDown         *model_filter;
  GtkDropDown         *sort_order;
  GtkStringList       *models;
  gboolean             updating_models;
  GtkFileChooserNative *chooser;
  char                *export_pattern;
};

G_DEFINE_FINAL_TYPE (PxGalleryPage, px_gallery_page, ADW_TYPE_BIN)

static void
update_view (PxGalleryPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->library == NULL)
    gtk_stack_set_visible_child_name (self->stack, "error");
  else if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "grid");
  else if (search != NULL && *search != '\0')
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.delete", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.export", n > 0);
}

static void
show_toast (PxGalleryPage *self,
            AdwToast      *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), PX_TYPE_WINDOW);

  if (window != NULL)
    px_window_add_toast (PX_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

static void
show_error (PxGalleryPage *self,
            const char    *what,
            const GError  *error)
{
  g_autofree char *title = g_strdup_printf ("%s: %s", what, error->message);

  show_toast (self, adw_toast_new (title));
}

/* "All Models" and the models the library has, keeping the choice. */
static void
refresh_models (PxGalleryPage *self)
{
  g_auto(GStrv) names = self->library ? px_library_list_models (self->library, NULL) : NULL;
  guint selected = gtk_drop_down_get_selected (self->model_filter);
  g_autofree char *current = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->models));

  if (selected > 0 && selected < n)
    current = g_strdup (gtk_string_list_get_string (self->models, selected));

  self->updating_models = TRUE;
  gtk_string_list_splice (self->models, 1, n - 1, (const char * const *) names);
  gtk_drop_down_set_selected (self->model_filter, 0);
  for (guint i = 0; current != NULL && names != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], current))
      gtk_drop_down_set_selected (self->model_filter, i + 1);
  self->updating_models = FALSE;
}

static void
on_filter_changed (PxGalleryPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->model_filter);
  const char *model_id = NULL;

  if (self->model == NULL || self->updating_models)
    return;

  if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
    model_id = gtk_string_list_get_string (self->models, selected);
  px_library_model_set_filter (self->model, model_id,
                               gtk_drop_down_get_selected (self->sort_order) == 1 ? PX_LIBRARY_SORT_OLDEST
                                                                                   : PX_LIBRARY_SORT_NEWEST);
  update_view (self);
}

static void
remember_texture (PxGalleryPage *self,
                  const char    *sha256,
                  GdkTexture    *texture)
{
  if (g_hash_table_contains (self->textures, sha256))
    return;

  g_hash_table_insert (self->textures, g_strdup (sha256), g_object_ref (texture));
  g_queue_push_tail (&self->texture_order, g_strdup (sha256));
  while (g_queue_get_length (&self->texture_order) > MAX_TEXTURES)
    {
      g_autofree char *oldest = g_queue_pop_head (&self->texture_order);
      g_hash_table_remove (self->textures, oldest);
    }
}

typedef struct {
  PxLibrary      *library;
  PxLibraryImage  image;   /* only file, sha256, mime_type are used */
} ThumbnailJob;

static void
thumbnail_job_free (ThumbnailJob *job)
{
  g_object_unref (job->library);
  g_free (job->image.file);
  g_free (job->image.sha256);
  g_free (job->image.mime_type);
  g_free (job);
}

static void
load_thumbnail_in_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  ThumbnailJob *job = task_data;
  g_autofree char *path = NULL;
  GError *error = NULL;
  GdkTexture *texture;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }

  path = px_library_thumbnail (job->library, &job->image, THUMBNAIL_SIZE, &error);
  texture = path ? gdk_texture_new_from_filename (path, &error) : NULL;
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_thumbnail_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  PxGalleryPage *self;
  const char *wanted;
  ThumbnailJob *job = g_task_get_task_data (G_TASK (result));

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No thumbnail for %s: %s", job->image.file, error->message);
      return;
    }

  self = PX_GALLERY_PAGE (source);
  remember_texture (self, job->image.sha256, texture);

  /* The cell may show another image by now. */
  wanted = g_object_get_data (G_OBJECT (picture), "sha256");
  if (g_strcmp0 (wanted, job->image.sha256) == 0)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkListItem   *list_item)
{
  PxLibraryItem *item = gtk_list_item_get_item (list_item);
  g_autoptr(GFile) file = NULL;

  if (item == NULL)
    return NULL;

  file = g_file_new_for_path (px_library_item_get_image (item)->file);
  return gdk_content_provider_new_typed (G_TYPE_FILE, file);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            PxGalleryPage            *self)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
#if GTK_CHECK_VERSION (4, 8, 0)
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
#endif
  gtk_widget_set_size_request (picture, 160, 160);
  gtk_widget_add_css_class (picture, "card");
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_list_item_set_child (list_item, picture);

  /* Drag an image out to another app: it gets the file. */
  {
    GtkDragSource *source = gtk_drag_source_new ();

    gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
    g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), list_item);
    gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (source));
  }
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           PxGalleryPage            *self)
{
  GtkPicture *picture = GTK_PICTURE (gtk_list_item_get_child (list_item));
  PxLibraryItem *item = gtk_list_item_get_item (list_item);
  const PxLibraryImage *image;
  GdkTexture *texture;
  g_autoptr(GTask) task = NULL;
  ThumbnailJob *job;

  if (item == NULL)
    return;

  image = px_library_item_get_image (item);
  g_object_set_data_full (G_OBJECT (picture), "sha256", g_strdup (image->sha256), g_free);
  gtk_widget_set_tooltip_text (GTK_WIDGET (picture), image->prompt);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, image->prompt, -1);

  texture = g_hash_table_lookup (self->textures, image->sha256);
  gtk_picture_set_paintable (picture, texture ? GDK_PAINTABLE (texture) : NULL);
  if (texture != NULL)
    return;

  job = g_new0 (ThumbnailJob, 1);
  job->library = g_object_ref (self->library);
  job->image.file = g_strdup (image->file);
  job->image.sha256 = g_strdup (image->sha256);
  job->image.mime_type = g_strdup (image->mime_type);

  task = g_task_new (self, self->cancellable, on_thumbnail_loaded, g_object_ref (picture));
  g_task_set_task_data (task, job, (GDestroyNotify) thumbnail_job_free);
  g_task_run_in_thread (task, load_thumbnail_in_thread);
}

static void
on_search_changed (PxGalleryPage  *self,
                   GtkSearchEntry *entry)
{
  if (self->model == NULL)
    return;

  px_library_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (entry)));
  update_view (self);
}

void
px_gallery_page_reload (PxGalleryPage *self)
{
  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  if (self->model != NULL)
    px_library_model_reload (self->model);
  refresh_models (self);
  update_view (self);
}

typedef struct {
  PxGalleryPage *self;
  GArray        *ids;
  gboolean       undone;
} Deletion;

static void
deletion_free (gpointer  data,
               GClosure *closure)
{
  Deletion *deletion = data;

  g_object_unref (deletion->self);
  g_array_unref (deletion->ids);
  g_free (deletion);
}

static void
on_undo (AdwToast *toast,
         Deletion *deletion)
{
  g_autoptr(GError) error = NULL;

  deletion->undone = TRUE;
  if (!px_library_restore (deletion->self->library, (const gint64 *) deletion->ids->data, deletion->ids->len, &error))
    show_error (deletion->self, _("The images could not be brought back"), error);
  px_gallery_page_reload (deletion->self);
}

static void
on_toast_dismissed (AdwToast *toast,
                    Deletion *deletion)
{
  g_autoptr(GError) error = NULL;

  /* The toast is gone without an undo: now delete for good. */
  if (!deletion->undone && !px_library_purge_trash (deletion->self->library, &error))
    show_error (deletion->self, _("The images could not be deleted"), error);
}

static GArray *
selected_ids (PxGalleryPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(PxLibraryItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (item != NULL)
        g_array_append_val (ids, px_library_item_get_image (item)->id);
    }

  return ids;
}

/* Moves the images to the trash and offers Undo; takes ids. */
static void
delete_images (PxGalleryPage *self,
               GArray        *ids)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  Deletion *deletion;
  AdwToast *toast;
  GtkWidget *window;

  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->ids = ids;

  if (!px_library_trash (self->library, (const gint64 *) deletion->ids->data, deletion->ids->len, &error))
    {
      show_error (self, _("The images could not be deleted"), error);
      deletion_free (deletion, NULL);
      return;
    }
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  px_gallery_page_reload (self);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u image", "Deleted %u images", deletion->ids->len),
                           deletion->ids->len);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo), deletion);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (on_toast_dismissed), deletion, deletion_free, 0);

  window = gtk_widget_get_ancestor (GTK_WIDGET (self), PX_TYPE_WINDOW);
  if (window != NULL)
    px_window_add_toast (PX_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);
  GArray *ids = selected_ids (self);

  if (ids->len == 0)
    {
      g_array_unref (ids);
      return;
    }

  delete_images (self, ids);
}

static void
on_detail_delete (PxImageWindow *window,
                  gint64         id,
                  PxGalleryPage *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (ids, id);
  delete_images (self, ids);
}

/* Enter or a double click on an image opens its detail view. */
static void
on_grid_activate (GtkGridView   *grid,
                  guint          position,
                  PxGalleryPage *self)
{
  g_autoptr(PxLibraryItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  PxImageWindow *window;

  if (item == NULL)
    return;

  window = px_image_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                px_library_item_get_image (item));
  g_signal_connect_object (window, "delete-requested", G_CALLBACK (on_detail_delete), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

typedef struct {
  PxLibrary *library;
  GArray    *ids;
  char      *folder;
  char      *pattern;
  GPtrArray *paths;   /* import */
} FileJob;

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
                                          job->folder, job->pattern, &error);

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
  show_toast (self, adw_toast_new (title));
}

static void
on_export_folder (GtkNativeDialog *dialog,
                  int              response,
                  PxGalleryPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_exported, NULL);
      FileJob *job = g_new0 (FileJob, 1);

      job->library = g_object_ref (self->library);
      job->ids = selected_ids (self);
      job->folder = g_file_get_path (folder);
      job->pattern = g_strdup (self->export_pattern);
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
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (!g_str_equal (response, "choose"))
    return;

  g_free (self->export_pattern);
  self->export_pattern = g_strdup (gtk_editable_get_text (entry));
  self->chooser = gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_folder), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Asks for a file name pattern (tokens as in prompts), then a folder. */
static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (widget);
  g_autoptr(GArray) ids = selected_ids (self);
  GtkWidget *dialog, *entry;

  if (ids->len == 0)
    {
      show_toast (self, adw_toast_new (_("Select the images to export first")));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   g_dngettext (GETTEXT_PACKAGE, "Export Image", "Export Images", ids->len),
                                   _("File names come from this pattern. Use tokens like [NAME], with a default "
                                     "after | for images that lack one; [ID], [MODEL] and [DATE] always exist."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), self->export_pattern ? self->export_pattern : "[NAME|image]-[ID]");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "choose", _("_Choose Folder…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "choose", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "choose");
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_pattern_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
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
  show_toast (self, adw_toast_new (title));
}

/* Image files dropped on the page join the library, marked as imported. */
static gboolean
on_drop (GtkDropTarget *target,
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
  show_toast (self, toast);
}

/* Shows the library, or why it could not be opened. */
void
px_gallery_page_set_library (PxGalleryPage *self,
                             PxLibrary     *library,
                             const GError  *error)
{
  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  g_set_object (&self->library, library);
  g_clear_object (&self->model);

  if (library == NULL)
    {
      adw_status_page_set_description (self->error_page, error ? error->message : NULL);
      gtk_grid_view_set_model (self->grid, NULL);
      update_view (self);
      return;
    }

  self->model = px_library_model_new (library);
  g_clear_object (&self->selection);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));
  refresh_models (self);
  update_view (self);

  {
    g_autoptr(GTask) check = g_task_new (self, self->cancellable, on_checked, NULL);

    g_task_set_task_data (check, g_object_ref (library), g_object_unref);
    g_task_run_in_thread (check, check_in_thread);
  }
}

GListModel *
px_gallery_page_get_model (PxGalleryPage *self)
{
  g_return_val_if_fail (PX_IS_GALLERY_PAGE (self), NULL);

  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

static void
px_gallery_page_dispose (GObject *object)
{
  PxGalleryPage *self = PX_GALLERY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_GALLERY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->library);
  g_clear_object (&self->models);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->export_pattern, g_free);
  g_queue_clear_full (&self->texture_order, g_free);

  G_OBJECT_CLASS (px_gallery_page_parent_class)->dispose (object);
}

static void
px_gallery_page_class_init (PxGalleryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_gallery_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-gallery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, grid);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, model_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, sort_order);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_install_action (widget_class, "gallery.export", NULL, export_action);

  gtk_widget_class_install_action (widget_class, "gallery.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "gallery.delete", NULL);
}

static void
px_gallery_page_init (PxGalleryPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->texture_order);
  self->cancellable = g_cancellable_new ();

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  gtk_grid_view_set_factory (self->grid, factory);
  g_object_unref (factory);
  g_signal_connect (self->grid, "activate", G_CALLBACK (on_grid_activate), self);

  self->models = gtk_string_list_new ((const char * const[]) { _("All Models"), NULL });
  gtk_drop_down_set_model (self->model_filter, G_LIST_MODEL (self->models));

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  update_view (self);
}
