/* px-gallery-page.c: the Gallery page: every image in the library in a
 * grid that reads rows by page on worker threads (PxLibraryModel) and loads
 * thumbnails the same way (PxThumbnailLoader); search over prompts and
 * token values, filters. What it does to images is in
 * px-gallery-page-actions.c. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-dialog.h"
#include "px-gallery-page-private.h"
#include "px-image-window.h"
#include "px-window.h"

#define THUMBNAIL_SIZE 256
#define MAX_TEXTURES 600
#define CELL_SIZE 160
#define CHECK_DELAY_MS 1500
#define SIDEBAR_WIDTH_GUESS 220

G_DEFINE_FINAL_TYPE (PxGalleryPage, px_gallery_page, ADW_TYPE_BIN)

gboolean
px_gallery_page_showing_videos (PxGalleryPage *self)
{
  return gtk_drop_down_get_selected (self->kind_filter) == 1;
}

static void
update_view (PxGalleryPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean videos = px_gallery_page_showing_videos (self);

  /* The filters of images do not apply to videos. */
  gtk_widget_set_visible (GTK_WIDGET (self->model_filter), !videos);
  gtk_widget_set_visible (GTK_WIDGET (self->feature_filter), !videos);
  gtk_widget_set_visible (GTK_WIDGET (self->date_filter), !videos);
  gtk_widget_set_visible (GTK_WIDGET (self->sort_order), !videos);
  gtk_widget_set_visible (GTK_WIDGET (self->batch_chip), !videos && self->batch_id > 0);
  if (videos)
    n = g_list_model_get_n_items (px_video_grid_get_model (self->video_grid));

  if (self->library == NULL)
    gtk_stack_set_visible_child_name (self->stack, "error");
  else if (videos)
    gtk_stack_set_visible_child_name (self->stack, "videos");
  else if (n > 0 || (self->model != NULL && px_library_model_get_loading (self->model)))
    gtk_stack_set_visible_child_name (self->stack, "grid");
  else if (search != NULL && *search != '\0')
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.delete", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.export", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.edit", n > 0 && !videos);
}

void
px_gallery_page_show_toast (PxGalleryPage *self,
                            AdwToast      *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), PX_TYPE_WINDOW);

  if (window != NULL)
    px_window_add_toast (PX_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

void
px_gallery_page_show_error (PxGalleryPage *self,
                            const char    *what,
                            const GError  *error)
{
  g_autofree char *title = g_strdup_printf ("%s: %s", what, error->message);

  px_gallery_page_show_toast (self, adw_toast_new (title));
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
    px_gallery_page_show_error (self, _("Could not list the models"), error);
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

/* The Filters button stands out while any filter is on: its popover may
 * be closed, and an empty-looking Gallery should say why. */
static void
show_filtering (PxGalleryPage *self)
{
  gboolean on = gtk_drop_down_get_selected (self->kind_filter) > 0 ||
                gtk_drop_down_get_selected (self->model_filter) > 0 ||
                gtk_drop_down_get_selected (self->feature_filter) > 0 ||
                gtk_drop_down_get_selected (self->date_filter) > 0;

  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self->filters_button), "px-filtering");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filters_button), "px-filtering");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filters_button), on ? _("Filters (some are on)") : _("Filters"));
}

static void
on_filter_changed (PxGalleryPage *self)
{
  PxLibraryQuery filter = { 0 };
  static const int days[] = { 0, 1, 7, 30, 365 };
  guint when = gtk_drop_down_get_selected (self->date_filter);

  show_filtering (self);
  if (self->model == NULL || self->updating_choices)
    return;

  filter.model = chosen (self->model_filter, self->models);
  filter.feature = chosen (self->feature_filter, self->features);
  filter.batch_id = self->batch_id;
  filter.sort = gtk_toggle_button_get_active (self->sort_order) ? PX_LIBRARY_SORT_OLDEST : PX_LIBRARY_SORT_NEWEST;
  /* The button shows the order there is, and says what a press does. */
  gtk_button_set_icon_name (GTK_BUTTON (self->sort_order), filter.sort == PX_LIBRARY_SORT_OLDEST
                                                           ? "view-sort-ascending-symbolic"
                                                           : "view-sort-descending-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sort_order), filter.sort == PX_LIBRARY_SORT_OLDEST
                                                              ? _("Oldest First (press for Newest First)")
                                                              : _("Newest First (press for Oldest First)"));
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

  if (item == NULL || px_library_item_get_image (item) == NULL)
    return NULL;

  file = g_file_new_for_path (px_library_item_get_image (item)->file);
  return gdk_content_provider_new_typed (G_TYPE_FILE, file);
}

/* The prompt as the tooltip, asked for when the pointer rests on a cell:
 * setting a tooltip on every bound cell costs a round trip to the display
 * server each, hundreds of them per scroll. */
static gboolean
on_query_tooltip (GtkWidget   *picture,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip,
                  GtkListItem *list_item)
{
  PxLibraryItem *item = gtk_list_item_get_item (list_item);
  const PxLibraryImage *image = item ? px_library_item_get_image (item) : NULL;

  if (image == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, image->prompt);
  return TRUE;
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
  gtk_widget_set_has_tooltip (picture, TRUE);
  g_signal_connect (picture, "query-tooltip", G_CALLBACK (on_query_tooltip), list_item);

  /* Drag an image out to another app: it gets the file. */
  {
    GtkDragSource *source = gtk_drag_source_new ();

    gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
    g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), list_item);
    gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (source));
  }
}

static void
show_cell (GtkListItem   *list_item,
           PxGalleryPage *self)
{
  GtkPicture *picture = GTK_PICTURE (gtk_list_item_get_child (list_item));
  PxLibraryItem *item = gtk_list_item_get_item (list_item);
  const PxLibraryImage *image = item ? px_library_item_get_image (item) : NULL;
  /* A placeholder: its row is being read, an empty card until then. */
  const char *label = image ? image->prompt : _("Loading…");

  if (item == NULL || self->thumbnails == NULL)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  px_thumbnail_loader_show (self->thumbnails, picture, image);
}

static void
on_item_filled (PxLibraryItem *item,
                GtkListItem   *list_item)
{
  GtkWidget *page = gtk_widget_get_ancestor (gtk_list_item_get_child (list_item), PX_TYPE_GALLERY_PAGE);

  if (page != NULL && gtk_list_item_get_item (list_item) == (gpointer) item)
    show_cell (list_item, PX_GALLERY_PAGE (page));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           PxGalleryPage            *self)
{
  PxLibraryItem *item = gtk_list_item_get_item (list_item);

  show_cell (list_item, self);
  /* Its row comes later: the cell stays, the picture comes in. */
  if (item != NULL && px_library_item_get_image (item) == NULL)
    g_signal_connect (item, "filled", G_CALLBACK (on_item_filled), list_item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PxGalleryPage            *self)
{
  PxLibraryItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_item_filled, list_item);
}

static void
on_search_changed (PxGalleryPage  *self,
                   GtkSearchEntry *entry)
{
  px_video_grid_set_search (self->video_grid, gtk_editable_get_text (GTK_EDITABLE (entry)));
  if (self->model == NULL)
    return;

  px_library_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (entry)));
  update_view (self);
}

static void
on_kind_changed (PxGalleryPage *self)
{
  show_filtering (self);
  if (px_gallery_page_showing_videos (self))
    px_video_grid_reload (self->video_grid);
  update_view (self);
}

/* The videos (TRUE) or the images. */
void
px_gallery_page_show_videos (PxGalleryPage *self,
                             gboolean       videos)
{
  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  gtk_drop_down_set_selected (self->kind_filter, videos ? 1 : 0);
}

GListModel *
px_gallery_page_get_video_model (PxGalleryPage *self)
{
  g_return_val_if_fail (PX_IS_GALLERY_PAGE (self), NULL);

  return px_video_grid_get_model (self->video_grid);
}

void
px_gallery_page_reload (PxGalleryPage *self)
{
  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  if (self->model != NULL)
    px_library_model_reload (self->model);
  px_video_grid_reload (self->video_grid);
  refresh_choices (self);
  update_view (self);
}

/* The filters' choices read again, and the page shown for what is there. */
void
px_gallery_page_refresh_choices (PxGalleryPage *self)
{
  refresh_choices (self);
  update_view (self);
}

static void
on_detail_delete (PxImageWindow *window,
                  gint64         id,
                  PxGalleryPage *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (ids, id);
  px_gallery_page_delete (self, ids);
}

static void
open_image (PxGalleryPage        *self,
            const PxLibraryImage *image)
{
  PxImageWindow *window = px_image_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), image);

  g_signal_connect_object (window, "delete-requested", G_CALLBACK (on_detail_delete), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

/* Enter or a double click on an image opens its detail view (not on a
 * card whose row is still being read). */
static void
on_grid_activate (GtkGridView   *grid,
                  guint          position,
                  PxGalleryPage *self)
{
  g_autoptr(PxLibraryItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (item != NULL && px_library_item_get_image (item) != NULL)
    open_image (self, px_library_item_get_image (item));
}

static gboolean
start_check (gpointer data)
{
  PxGalleryPage *self = data;

  self->check_source = 0;
  px_gallery_page_start_check (self);
  return G_SOURCE_REMOVE;
}

void
px_gallery_page_set_library (PxGalleryPage *self,
                             PxLibrary     *library,
                             const GError  *error)
{
  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  g_set_object (&self->library, library);
  g_clear_object (&self->model);
  px_video_grid_set_library (self->video_grid, library);

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
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  if (self->thumbnails != NULL)
    px_thumbnail_loader_cancel (self->thumbnails);
  g_clear_object (&self->thumbnails);
  self->thumbnails = px_thumbnail_loader_new (library, gtk_widget_get_parent (GTK_WIDGET (self->grid)),
                                              THUMBNAIL_SIZE, MAX_TEXTURES);
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
      g_autofree char *label = g_strdup_printf (_("Batch %" PRId64), batch_id);
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

typedef struct {
  gint64          id;
  PxLibraryImage *image;
} ImageRead;

static void
image_read_free (ImageRead *read)
{
  px_library_image_free (read->image);
  g_free (read);
}

static gboolean
read_image (PxLibrary     *library,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  ImageRead *read = data;

  read->image = px_library_get_image (library, read->id, error);
  return read->image != NULL;
}

static void
on_image_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PxGalleryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  ImageRead *read = NULL;

  if (px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    open_image (self, read->image);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    px_gallery_page_show_error (self, _("Could not open the image"), error);
}

/* Shows one image's details (it may be new: the library is read again). */
void
px_gallery_page_show_image (PxGalleryPage *self,
                            gint64         id)
{
  ImageRead *read;

  g_return_if_fail (PX_IS_GALLERY_PAGE (self));

  if (self->library == NULL)
    return;
  px_gallery_page_reload (self);
  read = g_new0 (ImageRead, 1);
  read->id = id;
  px_library_read_async (self->library, read_image, read, (GDestroyNotify) image_read_free, self->cancellable,
                         on_image_read, g_object_ref (self));
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

  g_clear_weak_pointer (&self->undo_toast);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->thumbnails != NULL)
    px_thumbnail_loader_cancel (self->thumbnails);
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_GALLERY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->library);
  g_clear_object (&self->models);
  g_clear_object (&self->features);
  g_clear_object (&self->thumbnails);
  g_clear_pointer (&self->export_ids, g_array_unref);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->export_pattern, g_free);

  G_OBJECT_CLASS (px_gallery_page_parent_class)->dispose (object);
}

static void
px_gallery_page_class_init (PxGalleryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_gallery_page_dispose;

  g_type_ensure (PX_TYPE_VIDEO_GRID);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-gallery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, grid);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, kind_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, video_grid);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, model_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, sort_order);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, feature_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, date_filter);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, batch_chip);
  gtk_widget_class_bind_template_callback (widget_class, on_batch_chip_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_child (widget_class, PxGalleryPage, filters_button);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  px_gallery_page_class_init_actions (widget_class);
}

static void
px_gallery_page_init (PxGalleryPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  /* Typing over the grid searches, as in Files and Loupe. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->grid));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
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

    g_signal_connect (drop, "drop", G_CALLBACK (px_gallery_page_on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  update_view (self);
}
