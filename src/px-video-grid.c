/* px-video-grid.c: the Gallery's Videos. Videos are made by hand, a few
 * hundred at most, so they are read in one go on a worker into a list
 * store; the posters load like the images' thumbnails, off the main
 * thread. Search matches the prompt of a video's image. Delete takes the
 * videos off the grid at once and deletes them for good when the toast
 * goes without Undo. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "px-thumbnail-loader.h"
#include "px-video-grid.h"
#include "px-video-item.h"
#include "px-video-window.h"
#include "px-window.h"

#define THUMBNAIL_SIZE 256
#define MAX_TEXTURES 300
#define CELL_SIZE 160

struct _PxVideoGrid
{
  AdwBin              parent_instance;

  PxLibrary          *library;
  GListStore         *store;       /* PxVideoItem, newest first */
  GtkStringFilter    *filter;
  GtkFilterListModel *filtered;
  GtkMultiSelection  *selection;
  PxThumbnailLoader  *thumbnails;
  GCancellable       *cancellable;
  GHashTable         *pending;     /* ids deleted, until their toast goes */
  gboolean            loading;
  guint               serial;

  GtkStack           *stack;
  GtkScrolledWindow  *scroller;
  GtkGridView        *grid;
};

G_DEFINE_FINAL_TYPE (PxVideoGrid, px_video_grid, ADW_TYPE_BIN)

static void
show_toast (PxVideoGrid *self,
            AdwToast    *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), PX_TYPE_WINDOW);

  if (window != NULL)
    px_window_add_toast (PX_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

static void
update_view (PxVideoGrid *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  const char *search = gtk_string_filter_get_search (self->filter);

  if (n > 0 || self->loading)
    gtk_stack_set_visible_child_name (self->stack, "grid");
  else if (search != NULL && *search != '\0' && g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* ---- reading ---- */

static gboolean
list_videos (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  GPtrArray **videos = data;

  *videos = px_library_list_videos (library, 0, error);
  return *videos != NULL;
}

static void
free_list (gpointer data)
{
  GPtrArray **videos = data;

  g_clear_pointer (videos, g_ptr_array_unref);
  g_free (videos);
}

typedef struct {
  PxVideoGrid *self;
  guint        serial;
} Reload;

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree Reload *reload = user_data;
  g_autoptr(PxVideoGrid) self = reload->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray **videos = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &videos, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *title = g_strdup_printf (_("The videos could not be read: %s"), error->message);

          self->loading = FALSE;
          update_view (self);
          show_toast (self, adw_toast_new (title));
        }
      return;
    }
  if (reload->serial != self->serial)
    return;   /* a newer read is on its way */

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < (*videos)->len; i++)
    {
      PxLibraryVideo *video = g_ptr_array_index (*videos, i);

      if (g_hash_table_contains (self->pending, &video->id))
        continue;
      g_ptr_array_add (items, px_video_item_new (video));
      (*videos)->pdata[i] = NULL;   /* the item has it now */
    }
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)), items->pdata,
                       items->len);
  self->loading = FALSE;
  update_view (self);
}

void
px_video_grid_reload (PxVideoGrid *self)
{
  Reload *reload;

  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  if (self->library == NULL)
    return;
  reload = g_new0 (Reload, 1);
  reload->self = g_object_ref (self);
  reload->serial = ++self->serial;
  self->loading = g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0;
  px_library_read_async (self->library, list_videos, g_new0 (GPtrArray *, 1), free_list, self->cancellable,
                         on_listed, reload);
  update_view (self);
}

void
px_video_grid_set_library (PxVideoGrid *self,
                           PxLibrary   *library)
{
  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  g_set_object (&self->library, library);
  if (self->thumbnails != NULL)
    px_thumbnail_loader_cancel (self->thumbnails);
  g_clear_object (&self->thumbnails);
  g_list_store_remove_all (self->store);
  if (library != NULL)
    {
      self->thumbnails = px_thumbnail_loader_new (library, GTK_WIDGET (self->scroller), THUMBNAIL_SIZE,
                                                  MAX_TEXTURES);
      px_video_grid_reload (self);
    }
  update_view (self);
}

void
px_video_grid_set_search (PxVideoGrid *self,
                          const char  *search)
{
  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  gtk_string_filter_set_search (self->filter, search);
  update_view (self);
}

GListModel *
px_video_grid_get_model (PxVideoGrid *self)
{
  g_return_val_if_fail (PX_IS_VIDEO_GRID (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

/* ---- cells ---- */

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkListItem   *list_item)
{
  PxVideoItem *item = gtk_list_item_get_item (list_item);
  g_autoptr(GFile) file = NULL;

  if (item == NULL)
    return NULL;
  file = g_file_new_for_path (px_video_item_get_video (item)->file);
  return gdk_content_provider_new_typed (G_TYPE_FILE, file);
}

static gboolean
on_query_tooltip (GtkWidget   *widget,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip,
                  GtkListItem *list_item)
{
  PxVideoItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = item ? px_video_item_describe (item) : NULL;

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            PxVideoGrid              *self)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *badge = gtk_image_new_from_icon_name ("media-playback-start-symbolic");
  GtkWidget *length = gtk_label_new (NULL);
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
#if GTK_CHECK_VERSION (4, 8, 0)
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
#endif
  gtk_widget_set_size_request (overlay, CELL_SIZE, CELL_SIZE);
  gtk_widget_add_css_class (overlay, "card");
  gtk_widget_set_overflow (overlay, GTK_OVERFLOW_HIDDEN);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);

  /* The play badge says "video" at a glance, as in Files and Photos. */
  gtk_image_set_pixel_size (GTK_IMAGE (badge), 24);
  gtk_widget_set_halign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "osd");
  gtk_widget_add_css_class (badge, "circular");
  gtk_widget_add_css_class (badge, "px-play-badge");
  gtk_accessible_update_state (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), badge);

  gtk_widget_set_halign (length, GTK_ALIGN_END);
  gtk_widget_set_valign (length, GTK_ALIGN_END);
  gtk_widget_set_margin_end (length, 6);
  gtk_widget_set_margin_bottom (length, 6);
  gtk_widget_add_css_class (length, "osd");
  gtk_widget_add_css_class (length, "caption");
  gtk_widget_add_css_class (length, "numeric");
  gtk_widget_add_css_class (length, "px-video-length");
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), length);

  gtk_widget_set_has_tooltip (overlay, TRUE);
  g_signal_connect (overlay, "query-tooltip", G_CALLBACK (on_query_tooltip), list_item);
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), list_item);
  gtk_widget_add_controller (overlay, GTK_EVENT_CONTROLLER (source));
  gtk_list_item_set_child (list_item, overlay);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           PxVideoGrid              *self)
{
  GtkWidget *overlay = gtk_list_item_get_child (list_item);
  GtkWidget *picture = gtk_overlay_get_child (GTK_OVERLAY (overlay));
  GtkWidget *length = gtk_widget_get_last_child (overlay);
  PxVideoItem *item = gtk_list_item_get_item (list_item);
  const PxLibraryVideo *video = px_video_item_get_video (item);
  g_autofree char *label = px_video_item_describe (item);
  g_autofree char *seconds = g_strdup_printf ("0:%02d", (video->duration_ms + 500) / 1000);
  g_autofree char *key = NULL;
  g_autofree char *base = NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (overlay), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_label_set_text (GTK_LABEL (length), seconds);
  if (video->poster == NULL || self->thumbnails == NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (picture), NULL);
      return;
    }
  /* Posters have unique names: the name keys the thumbnail cache. */
  base = g_path_get_basename (video->poster);
  key = g_strconcat ("video-", base, NULL);
  px_thumbnail_loader_show (self->thumbnails, GTK_PICTURE (picture),
                            &(PxLibraryImage) { .file = video->poster, .sha256 = key, .mime_type = "image/png" });
}

/* ---- opening ---- */

static void
on_window_delete (PxVideoWindow *window,
                  gint64         id,
                  PxVideoGrid   *self)
{
  px_video_grid_delete (self, id);
}

static void
on_activate (GtkGridView *grid,
             guint        position,
             PxVideoGrid *self)
{
  g_autoptr(PxVideoItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  PxVideoWindow *window;

  if (item == NULL)
    return;
  window = px_video_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, px_video_item_get_video (item));
  g_signal_connect_object (window, "delete-requested", G_CALLBACK (on_window_delete), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- export ---- */

static GPtrArray *
selected_items (PxVideoGrid *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->filtered), position));
    while (gtk_bitset_iter_next (&iter, &position));
  return items;
}

typedef struct {
  GPtrArray *files;    /* paths to copy */
  GPtrArray *ids;      /* gint64 *, for their names */
  char      *folder;
} Export;

static void
export_free (Export *export)
{
  g_ptr_array_unref (export->files);
  g_ptr_array_unref (export->ids);
  g_free (export->folder);
  g_free (export);
}

/* Each as video-ID.webm (or .mp4), never over a file already there. */
static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *export = task_data;

  for (guint i = 0; i < export->files->len; i++)
    {
      const char *path = g_ptr_array_index (export->files, i);
      const char *suffix = strrchr (path, '.');
      g_autoptr(GFile) source = g_file_new_for_path (path);
      GError *error = NULL;

      for (guint k = 1;; k++)
        {
          g_autofree char *name = k == 1
                                  ? g_strdup_printf ("video-%" G_GINT64_FORMAT "%s",
                                                     *(gint64 *) g_ptr_array_index (export->ids, i), suffix)
                                  : g_strdup_printf ("video-%" G_GINT64_FORMAT "-%u%s",
                                                     *(gint64 *) g_ptr_array_index (export->ids, i), k, suffix);
          g_autofree char *target_path = g_build_filename (export->folder, name, NULL);
          g_autoptr(GFile) target = g_file_new_for_path (target_path);

          if (g_file_copy (source, target, G_FILE_COPY_NONE, cancellable, NULL, NULL, &error))
            break;
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
            {
              g_task_return_error (task, error);
              return;
            }
          g_clear_error (&error);
        }
    }
  g_task_return_int (task, export->files->len);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxVideoGrid *self = PX_VIDEO_GRID (source);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);
  g_autofree char *title = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    title = g_strdup_printf (_("The videos could not be exported: %s"), error->message);
  else
    title = g_strdup_printf (ngettext ("Exported %u video", "Exported %u videos", (gulong) n), (guint) n);
  show_toast (self, adw_toast_new (title));
}

static Export *
export_new (PxVideoGrid *self)
{
  g_autoptr(GPtrArray) items = selected_items (self);
  Export *export;

  if (items->len == 0)
    return NULL;
  export = g_new0 (Export, 1);
  export->files = g_ptr_array_new_with_free_func (g_free);
  export->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      const PxLibraryVideo *video = px_video_item_get_video (g_ptr_array_index (items, i));

      g_ptr_array_add (export->files, g_strdup (video->file));
      g_ptr_array_add (export->ids, g_memdup2 (&video->id, sizeof video->id));
    }
  return export;
}

/* Copies the selected videos into @folder, off the main thread; a toast
 * says how it went. */
void
px_video_grid_export_to (PxVideoGrid *self,
                         const char  *folder)
{
  Export *export = export_new (self);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  if (export == NULL)
    return;
  export->folder = g_strdup (folder);
  task = g_task_new (self, self->cancellable, on_exported, NULL);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_in_thread);
}

static void
on_folder_chosen (GtkNativeDialog *chooser,
                  int              response,
                  PxVideoGrid     *self)
{
  g_autoptr(GFile) folder = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                             : NULL;

  if (folder != NULL && g_file_peek_path (folder) != NULL)
    px_video_grid_export_to (self, g_file_peek_path (folder));
  g_object_unref (chooser);
  g_object_unref (self);
}

void
px_video_grid_export_selected (PxVideoGrid *self)
{
  g_autoptr(GPtrArray) items = selected_items (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  if (items->len == 0)
    {
      show_toast (self, adw_toast_new (_("Select the videos to export first")));
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Export Videos"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- delete, with Undo ---- */

typedef struct {
  PxVideoGrid *self;
  GPtrArray   *items;    /* PxVideoItem, taken off the grid */
  gboolean     undone;
} Deletion;

static void
deletion_free (gpointer data,
               GClosure *closure)
{
  Deletion *deletion = data;

  g_object_unref (deletion->self);
  g_ptr_array_unref (deletion->items);
  g_free (deletion);
}

static gboolean
delete_videos (PxLibrary     *library,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  GArray *ids = data;

  return px_library_delete_videos (library, (const gint64 *) ids->data, ids->len, error);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PxVideoGrid) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_strdup_printf (_("The videos could not be deleted: %s"), error->message);

      show_toast (self, adw_toast_new (title));
    }
  px_video_grid_reload (self);
}

static void
on_undo (AdwToast *toast,
         Deletion *deletion)
{
  PxVideoGrid *self = deletion->self;

  deletion->undone = TRUE;
  for (guint i = 0; i < deletion->items->len; i++)
    g_hash_table_remove (self->pending, &px_video_item_get_video (g_ptr_array_index (deletion->items, i))->id);
  px_video_grid_reload (self);
}

/* The toast went without Undo: now for good, on the writer. */
static void
on_dismissed (AdwToast *toast,
              Deletion *deletion)
{
  PxVideoGrid *self = deletion->self;
  GArray *ids;

  if (deletion->undone || self->library == NULL)
    return;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < deletion->items->len; i++)
    {
      gint64 id = px_video_item_get_video (g_ptr_array_index (deletion->items, i))->id;

      g_array_append_val (ids, id);
      g_hash_table_remove (self->pending, &id);
    }
  px_library_write_async (self->library, delete_videos, ids, (GDestroyNotify) g_array_unref, NULL, on_deleted,
                          g_object_ref (self));
}

static void
delete_items (PxVideoGrid *self,
              GPtrArray   *items)
{
  Deletion *deletion;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (items->len == 0)
    return;
  deletion = g_new0 (Deletion, 1);
  deletion->self = g_object_ref (self);
  deletion->items = g_ptr_array_ref (items);
  for (guint i = 0; i < items->len; i++)
    {
      PxVideoItem *item = g_ptr_array_index (items, i);
      guint position;

      g_hash_table_add (self->pending, g_memdup2 (&px_video_item_get_video (item)->id, sizeof (gint64)));
      if (g_list_store_find (self->store, item, &position))
        g_list_store_remove (self->store, position);
    }
  update_view (self);

  title = g_strdup_printf (ngettext ("Deleted %u video", "Deleted %u videos", items->len), items->len);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo), deletion);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (on_dismissed), deletion, deletion_free, 0);
  show_toast (self, toast);
}

void
px_video_grid_delete_selected (PxVideoGrid *self)
{
  g_autoptr(GPtrArray) items = selected_items (self);

  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  delete_items (self, items);
}

void
px_video_grid_delete (PxVideoGrid *self,
                      gint64       id)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  g_return_if_fail (PX_IS_VIDEO_GRID (self));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PxVideoItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (px_video_item_get_video (item)->id == id)
        g_ptr_array_add (items, g_steal_pointer (&item));
    }
  delete_items (self, items);
}

/* ---- life ---- */

static void
px_video_grid_dispose (GObject *object)
{
  PxVideoGrid *self = PX_VIDEO_GRID (object);

  g_cancellable_cancel (self->cancellable);
  if (self->thumbnails != NULL)
    px_thumbnail_loader_cancel (self->thumbnails);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->store);
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, g_hash_table_unref);

  G_OBJECT_CLASS (px_video_grid_parent_class)->dispose (object);
}

static void
px_video_grid_class_init (PxVideoGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_video_grid_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-video-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, PxVideoGrid, stack);
  gtk_widget_class_bind_template_child (widget_class, PxVideoGrid, scroller);
  gtk_widget_class_bind_template_child (widget_class, PxVideoGrid, grid);
}

static void
px_video_grid_init (PxVideoGrid *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->store = g_list_store_new (PX_TYPE_VIDEO_ITEM);
  self->filter = gtk_string_filter_new (gtk_property_expression_new (PX_TYPE_VIDEO_ITEM, NULL, "prompt"));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)), GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_grid_view_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  gtk_grid_view_set_factory (self->grid, factory);
  g_object_unref (factory);
  g_signal_connect (self->grid, "activate", G_CALLBACK (on_activate), self);
  update_view (self);
}
