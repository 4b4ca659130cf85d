/* px-gallery-page.c: the Gallery page: every image in the library in a
 * grid that reads rows lazily (PxLibraryModel) and loads thumbnails in a
 * worker thread into a bounded texture cache; search over prompts and token
 * values; delete with an undo toast. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-dialog.h"
#include "px-gallery-page.h"
#include "px-image-window.h"
#include "px-library-model.h"
#include "px-window.h"

#define THUMBNAIL_SIZE 256
#define MAX_TEXTURES 600
#define CELL_SIZE 160
#define CHECK_DELAY_MS 1500
#define SIDEBAR_WIDTH_GUESS 220

struct _PxGalleryPage
{
  AdwBin               parent_instance;

  PxLibrary           *library;
  PxLibraryModel      *model;
  GtkMultiSelection   *selection;
  GHashTable          *textures;   /* sha256 -> GdkTexture */
  GQueue               texture_order;
  GQueue               thumbnail_queue;   /* of ThumbnailJob, newest last */
  guint                thumbnail_jobs_running;
  GCancellable        *cancellable;

  GtkStack            *stack;
  GtkGridView         *grid;
  GtkSearchEntry      *search_entry;
  AdwStatusPage       *error_page;
  GtkDropDown         *model_filter;
  GtkDropDown         *sort_order;
  GtkDropDown         *feature_filter;
  GtkDropDown         *date_filter;
  GtkButton           *batch_chip;
  gint64               batch_id;   /* show one batch's images; 0: all */
  GtkStringList       *models;
  GtkStringList       *features;
  gboolean             updating_choices;
  guint                fit_source;
  guint                check_source;
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

/* "All …" and the values the library has, keeping the choice. */
static void
show_choices (PxGalleryPage      *self,
              GtkDropDown        *drop_down,
              GtkStringList      *list,
              const char * const *names)
{
  guint selected = gtk_drop_down_get_selected (drop_down);
  g_autofree char *current = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (selected > 0 && selected < n)
    current = g_strdup (gtk_string_list_get_string (list, selected));

  self->updating_choices = TRUE;
  gtk_string_list_splice (list, 1, n - 1, names);
  gtk_drop_down_set_selected (drop_down, 0);
  for (guint i = 0; current != NULL && names != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], current))
      gtk_drop_down_set_selected (drop_down, i + 1);
  self->updating_choices = FALSE;
}

typedef struct {
  char **models;
  char **features;
} Choices;

static void
choices_free (Choices *choices)
{
  g_strfreev (choices->models);
  g_strfreev (choices->features);
  g_free (choices);
}

static void
list_choices_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  Choices *choices = g_new0 (Choices, 1);

  choices->models = px_library_list_models (task_data, &error);
  if (choices->models != NULL)
    choices->features = px_library_list_features (task_data, &error);

  if (choices->features == NULL)
    {
      choices_free (choices);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, choices, (GDestroyNotify) choices_free);
}

static void
on_choices_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Choices *choices = g_task_propagate_pointer (G_TASK (result), &error);
  PxGalleryPage *self = PX_GALLERY_PAGE (source);

  if (choices != NULL)
    {
      show_choices (self, self->model_filter, self->models, (const char * const *) choices->models);
      show_choices (self, self->feature_filter, self->features, (const char * const *) choices->features);
      choices_free (choices);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("Could not list the models"), error);
}

/* The models and features the filters offer. Reads every row: off the
 * main thread. */
static void
refresh_choices (PxGalleryPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->library == NULL)
    {
      show_choices (self, self->model_filter, self->models, NULL);
      show_choices (self, self->feature_filter, self->features, NULL);
      return;
    }

  task = g_task_new (self, self->cancellable, on_choices_listed, NULL);
  g_task_set_task_data (task, g_object_ref (self->library), g_object_unref);
  g_task_run_in_thread (task, list_choices_in_thread);
}

static const char *
chosen (GtkDropDown   *drop_down,
        GtkStringList *list)
{
  guint selected = gtk_drop_down_get_selected (drop_down);

  /* The first entry is "All …". */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (list, selected);
}

static void
on_filter_changed (PxGalleryPage *self)
{
  PxLibraryQuery filter = { 0 };
  static const int days[] = { 0, 1, 7, 30, 365 };
  guint when = gtk_drop_down_get_selected (self->date_filter);

  if (self->model == NULL || self->updating_choices)
    return;

  filter.model = chosen (self->model_filter, self->models);
  filter.feature = chosen (self->feature_filter, self->features);
  filter.batch_id = self->batch_id;
  filter.sort = gtk_drop_down_get_selected (self->sort_order) == 1 ? PX_LIBRARY_SORT_OLDEST : PX_LIBRARY_SORT_NEWEST;
  if (when > 0 && when < G_N_ELEMENTS (days))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                          g_date_time_get_day_of_month (now), 0, 0, 0);
      g_autoptr(GDateTime) from = g_date_time_add_days (today, 1 - days[when]);

      filter.created_from = g_date_time_to_unix (from);
    }
  px_library_model_set_filter (self->model, &filter);
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
  GtkPicture     *picture;
  PxLibraryImage  image;   /* only file, sha256, mime_type are used */
} ThumbnailJob;

static void
thumbnail_job_free (ThumbnailJob *job)
{
  g_object_unref (job->library);
  g_object_unref (job->picture);
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

static void start_thumbnail_jobs (PxGalleryPage *self);

static void
on_thumbnail_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  PxGalleryPage *self = PX_GALLERY_PAGE (source);
  ThumbnailJob *job = g_task_get_task_data (G_TASK (result));
  const char *wanted;

  if (texture == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->thumbnail_jobs_running--;
  if (texture == NULL)
    g_debug ("No thumbnail for %s: %s", job->image.file, error->message);
  else
    {
      remember_texture (self, job->image.sha256, texture);

      /* The cell may show another image by now. */
      wanted = g_object_get_data (G_OBJECT (job->picture), "sha256");
      if (g_strcmp0 (wanted, job->image.sha256) == 0)
        gtk_picture_set_paintable (job->picture, GDK_PAINTABLE (texture));
    }
  start_thumbnail_jobs (self);
}

static gboolean
on_screen (PxGalleryPage *self,
           GtkWidget     *cell)
{
  GtkWidget *viewport = gtk_widget_get_parent (GTK_WIDGET (self->grid));
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (cell) || !gtk_widget_compute_bounds (cell, viewport, &bounds))
    return FALSE;

  return bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (viewport) &&
         bounds.origin.x + bounds.size.width > 0 && bounds.origin.x < gtk_widget_get_width (viewport);
}

/* The next request worth loading: a cell on screen first, else the newest
 * (the grid binds cells far beyond the screen; when scrolling, the newest
 * are nearest). Requests whose cell moved on to another image, or whose
 * texture came in meanwhile, are settled on the way. */
static ThumbnailJob *
next_thumbnail_job (PxGalleryPage *self)
{
  GList *fallback = NULL;

  for (GList *l = self->thumbnail_queue.tail; l != NULL;)
    {
      ThumbnailJob *job = l->data;
      GList *prev = l->prev;
      const char *wanted = g_object_get_data (G_OBJECT (job->picture), "sha256");
      GdkTexture *texture = g_hash_table_lookup (self->textures, job->image.sha256);

      if (g_strcmp0 (wanted, job->image.sha256) != 0 || texture != NULL)
        {
          if (texture != NULL && g_strcmp0 (wanted, job->image.sha256) == 0)
            gtk_picture_set_paintable (job->picture, GDK_PAINTABLE (texture));
          g_queue_delete_link (&self->thumbnail_queue, l);
          thumbnail_job_free (job);
        }
      else if (on_screen (self, GTK_WIDGET (job->picture)))
        {
          g_queue_unlink (&self->thumbnail_queue, l);
          g_list_free (l);
          return job;
        }
      else if (fallback == NULL)
        fallback = l;
      l = prev;
    }

  if (fallback != NULL)
    {
      ThumbnailJob *job = fallback->data;

      g_queue_delete_link (&self->thumbnail_queue, fallback);
      return job;
    }
  return NULL;
}

/* Thumbnails load a few at a time, so the main thread keeps a core for
 * itself while the grid binds many more cells than it shows. */
static void
start_thumbnail_jobs (PxGalleryPage *self)
{
  guint max_jobs = CLAMP (g_get_num_processors () - 1, 1, 4);

  while (self->thumbnail_jobs_running < max_jobs)
    {
      ThumbnailJob *job = next_thumbnail_job (self);
      g_autoptr(GTask) task = NULL;

      if (job == NULL)
        return;

      self->thumbnail_jobs_running++;
      task = g_task_new (self, self->cancellable, on_thumbnail_loaded, NULL);
      g_task_set_task_data (task, job, (GDestroyNotify) thumbnail_job_free);
      g_task_run_in_thread (task, load_thumbnail_in_thread);
    }
}

/* GtkGridView keeps max-columns × 30 cells alive, built and bound before
 * its first frame, so a generous max-columns costs hundreds of cells nobody
 * sees. Keep it at what the width can show; the cells' minimum width decides
 * the columns anyway, so this never narrows the grid. */
static void
fit_columns (PxGalleryPage *self,
             int            width)
{
  guint columns = CLAMP (width / CELL_SIZE, 1, 24);

  if (width > 0 && columns != gtk_grid_view_get_max_columns (self->grid))
    gtk_grid_view_set_max_columns (self->grid, columns);
}

static gboolean
fit_columns_to_grid (gpointer data)
{
  PxGalleryPage *self = data;

  self->fit_source = 0;
  fit_columns (self, gtk_widget_get_width (GTK_WIDGET (self->grid)));
  return G_SOURCE_REMOVE;
}

static void
on_grid_width_changed (PxGalleryPage *self)
{
  /* Not while the grid allocates itself: next time round. */
  if (self->fit_source == 0)
    self->fit_source = g_idle_add (fit_columns_to_grid, self);
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
  gtk_widget_set_size_request (picture, CELL_SIZE, CELL_SIZE);
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
  job->picture = g_object_ref (picture);
  job->image.file = g_strdup (image->file);
  job->image.sha256 = g_strdup (image->sha256);
  job->image.mime_type = g_strdup (image->mime_type);
  g_queue_push_tail (&self->thumbnail_queue, job);
  start_thumbnail_jobs (self);
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
  refresh_choices (self);
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
purge_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GArray *ids = task_data;
  GError *error = NULL;

  if (px_library_purge (source_object, (const gint64 *) ids->data, ids->len, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_purged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PxGalleryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    show_error (self, _("The images could not be deleted"), error);
}

static void
on_toast_dismissed (AdwToast *toast,
                    Deletion *deletion)
{
  g_autoptr(GTask) task = NULL;

  /* The toast is gone without an undo: now delete its own images for good
   * (another deletion's may still be undone). */
  if (deletion->undone)
    return;
  task = g_task_new (deletion->self->library, NULL, on_purged, g_object_ref (deletion->self));
  g_task_set_task_data (task, g_array_ref (deletion->ids), (GDestroyNotify) g_array_unref);
  g_task_run_in_thread (task, purge_in_thread);
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

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), self->export_pattern ? self->export_pattern : "[NAME|image]-[ID]");
  dialog = GTK_WIDGET (px_dialog_ask (widget, g_dngettext (GETTEXT_PACKAGE, "Export Image", "Export Images", ids->len),
                                      _("File names come from this pattern. Use tokens like [NAME], with a default "
                                        "after | for images that lack one; [ID], [MODEL] and [DATE] always exist."),
                                      entry, "choose", _("_Choose Folder…"), ADW_RESPONSE_SUGGESTED));
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

static gboolean
start_check (gpointer data)
{
  PxGalleryPage *self = data;
  g_autoptr(GTask) check = g_task_new (self, self->cancellable, on_checked, NULL);

  self->check_source = 0;
  g_task_set_task_data (check, g_object_ref (self->library), g_object_unref);
  g_task_run_in_thread (check, check_in_thread);
  return G_SOURCE_REMOVE;
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

  /* Before the grid has a width, guess it from the window's. */
  if (gtk_widget_get_width (GTK_WIDGET (self->grid)) == 0 && GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), &width, &height);
      fit_columns (self, width - SIDEBAR_WIDTH_GUESS);
    }

  self->model = px_library_model_new (library);
  g_clear_object (&self->selection);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));
  refresh_choices (self);
  update_view (self);

  /* The check walks every file: not while the first frames are drawn. */
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, start_check, self);
}

/* Only one batch's images (0: all again), with a button that says so and
 * clears it. */
void
px_gallery_page_show_batch (PxGalleryPage *self,
                            gint64         batch_id)
{
  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  self->batch_id = batch_id;
  if (batch_id > 0)
    {
      g_autofree char *label = g_strdup_printf (_("Batch %" G_GINT64_FORMAT), batch_id);
      GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      gtk_box_append (GTK_BOX (content), gtk_label_new (label));
      gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("window-close-symbolic"));
      gtk_button_set_child (self->batch_chip, content);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->batch_chip), batch_id > 0);
  if (self->model != NULL)
    px_library_model_reload (self->model);
  on_filter_changed (self);
}

static void
on_batch_chip_clicked (PxGalleryPage *self)
{
  px_gallery_page_show_batch (self, 0);
}

/* Shows one image's details (it may be new: the library is read again). */
void
px_gallery_page_show_image (PxGalleryPage *self,
                            gint64         id)
{
  g_autoptr(PxLibraryImage) image = NULL;
  g_autoptr(GError) error = NULL;
  PxImageWindow *window;

  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  if (self->library == NULL)
    return;
  px_gallery_page_reload (self);
  image = px_library_get_image (self->library, id, &error);
  if (image == NULL)
    {
      show_error (self, _("Could not open the image"), error);
      return;
    }
  window = px_image_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), image);
  g_signal_connect_object (window, "delete-requested", G_CALLBACK (on_detail_delete), self, 0);
  gtk_window_present (GTK_WINDOW (window));
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
  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_queue_clear_full (&self->thumbnail_queue, (GDestroyNotify) thumbnail_job_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_GALLERY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->library);
  g_clear_object (&self->models);
  g_clear_object (&self->features);
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
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, feature_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, date_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, batch_chip);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_chip_clicked);
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
  g_queue_init (&self->thumbnail_queue);
  self->cancellable = g_cancellable_new ();

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  gtk_grid_view_set_factory (self->grid, factory);
  g_object_unref (factory);
  g_signal_connect (self->grid, "activate", G_CALLBACK (on_grid_activate), self);
  g_signal_connect_swapped (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid)), "notify::page-size",
                            G_CALLBACK (on_grid_width_changed), self);

  self->models = gtk_string_list_new ((const char * const[]) { _("All Models"), NULL });
  gtk_drop_down_set_model (self->model_filter, G_LIST_MODEL (self->models));
  self->features = gtk_string_list_new ((const char * const[]) { _("All Features"), NULL });
  gtk_drop_down_set_model (self->feature_filter, G_LIST_MODEL (self->features));

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  update_view (self);
}
