/* px-window.c: the main window: a sidebar that leads to the Generate,
 * Gallery, Batch and Compare pages, the primary menu, and the window state
 * (size, maximized, last page) kept in GSettings. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-batch-page.h"
#include "px-dialog.h"
#include "px-analytics-page.h"
#include "px-compare-page.h"
#include "px-gallery-page.h"
#include "px-generate-page.h"
#include "px-editor-window.h"
#include "px-welcome.h"
#include "px-window.h"
#include "px-batch.h"

struct _PxWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  GtkStack             *root_stack;    /* the welcome, or the pages */
  PxWelcome            *welcome;
  GtkWidget            *demo_button;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkWidget            *content_box;
  GtkWidget            *sidebar_box;
  GtkStack             *stack;
  AdwWindowTitle       *page_title;
  AdwToastOverlay      *toast_overlay;
  PxGalleryPage        *gallery_page;
  PxGeneratePage       *generate_page;
  PxBatchPage          *batch_page;
  gint64                offered_batch;   /* an unfinished batch offered at start, or 0 */
  PxComparePage        *compare_page;
  PxAnalyticsPage      *analytics_page;
  PxApplication        *application;
  GCancellable         *cancellable;     /* the window's own calls: cancelled when it goes */
  gboolean              closing;
};

G_DEFINE_FINAL_TYPE (PxWindow, px_window, ADW_TYPE_APPLICATION_WINDOW)

/* In sidebar order; also the nicks of the last-page settings enum. */
static const char * const page_names[] = { "generate", "gallery", "batch", "compare", "analytics", NULL };

const char * const *
px_window_get_page_names (void)
{
  return page_names;
}

static GtkWidget *ensure_page (PxWindow *self, const char *name);

typedef struct {
  guint  n;
  guint  rows;
  gint64 newest;
} Unfinished;

static void
find_unfinished_in_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  g_autoptr(GPtrArray) jobs = px_batch_list (task_data, NULL);
  Unfinished *found = g_new0 (Unfinished, 1);

  for (guint i = 0; jobs != NULL && i < jobs->len; i++)
    {
      PxBatchJob *job = g_ptr_array_index (jobs, i);

      if (job->pending == 0 || g_str_equal (job->status, "cancelled") || g_str_equal (job->status, "pending"))
        continue;
      if (found->n++ == 0)
        found->newest = job->id;
      found->rows += job->pending;
    }
  g_task_return_pointer (task, found, g_free);
}

static void
on_unfinished_found (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PxWindow *self = PX_WINDOW (source);
  g_autofree Unfinished *found = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (found == NULL || found->n == 0 || self->settings == NULL)
    return;
  /* Offered, never run: the user decides. */
  title = found->n == 1
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A batch stopped with %u row still to do",
                                    "A batch stopped with %u rows still to do", found->rows), found->rows)
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u batches stopped with rows still to do",
                                    "%u batches stopped with rows still to do", found->n), found->n);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-batch");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (found->newest));
  adw_toast_set_timeout (toast, 0);
  self->offered_batch = found->newest;
  px_window_add_toast (self, toast);
}

/* At start: batches a crash or a quit cut short, or that paused on an
 * account problem, are offered (read off the main thread). */
static void
offer_unfinished_batches (PxWindow *self)
{
  PxLibrary *library = px_application_get_library (self->application, NULL);
  g_autoptr(GTask) task = NULL;

  if (library == NULL)
    return;
  task = g_task_new (self, self->cancellable, on_unfinished_found, NULL);
  g_task_set_task_data (task, g_object_ref (library), g_object_unref);
  g_task_run_in_thread (task, find_unfinished_in_thread);
}

static void
open_batch_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  px_window_set_page (self, "batch");
  px_batch_page_open_batch (self->batch_page, g_variant_get_int64 (parameter));
}

/* The page going away stays on the screen while it fades out: Tab must
 * not go into it, only into the page shown. */
static void
only_page_focusable (PxWindow *self)
{
  GtkWidget *shown = gtk_stack_get_visible_child (self->stack);

  for (GtkWidget *slot = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); slot != NULL;
       slot = gtk_widget_get_next_sibling (slot))
    gtk_widget_set_can_focus (slot, slot == shown);
}

PxWindow *
px_window_new (PxApplication *application)
{
  PxWindow *self;

  g_return_val_if_fail (PX_IS_APPLICATION (application), NULL);

  self = g_object_new (PX_TYPE_WINDOW, "application", application, NULL);
  self->application = application;
  g_object_bind_property (application, "demo", self->demo_button, "visible", G_BINDING_SYNC_CREATE);
  /* The page restored from last time, now that there is an application. */
  ensure_page (self, gtk_stack_get_visible_child_name (self->stack));
  only_page_focusable (self);
  offer_unfinished_batches (self);
  return self;
}

gint64
px_window_get_offered_batch (PxWindow *self)
{
  g_return_val_if_fail (PX_IS_WINDOW (self), 0);

  return self->offered_batch;
}

static GtkListBoxRow *
find_sidebar_row (PxWindow   *self,
                  const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

gboolean
px_window_set_page (PxWindow   *self,
                    const char *name)
{
  GtkListBoxRow *row;
  GtkStackPage *page;

  g_return_val_if_fail (PX_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!g_strv_contains (page_names, name))
    return FALSE;

  ensure_page (self, name);
  gtk_stack_set_visible_child_name (self->stack, name);
  only_page_focusable (self);
  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_title (self->page_title, gtk_stack_page_get_title (page));

  row = find_sidebar_row (self, name);
  if (gtk_list_box_get_selected_row (self->sidebar) != row)
    gtk_list_box_select_row (self->sidebar, row);

  adw_leaflet_set_visible_child (self->leaflet, self->content_box);

  return TRUE;
}

const char *
px_window_get_page (PxWindow *self)
{
  g_return_val_if_fail (PX_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* TRUE while the first start's welcome is in front of the pages. */
gboolean
px_window_showing_welcome (PxWindow *self)
{
  g_return_val_if_fail (PX_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->root_stack), "welcome") == 0;
}

void
px_window_add_toast (PxWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (PX_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Activated by a click or Enter; selected by the arrow keys or a screen
 * reader (AT-SPI's Selection): either way, that page. */
static void
on_sidebar_row_activated (PxWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  if (row != NULL && g_strcmp0 (px_window_get_page (self), gtk_widget_get_name (GTK_WIDGET (row))) != 0)
    px_window_set_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_back_clicked (PxWindow  *self,
                 GtkButton *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Pages are built the first time they are shown: the window's first frame
 * pays only for the page it opens on. */
static GtkWidget *
ensure_page (PxWindow   *self,
             const char *name)
{
  AdwBin *slot = ADW_BIN (gtk_stack_get_child_by_name (self->stack, name));
  GtkWidget *page = adw_bin_get_child (slot);
  const GError *error = NULL;
  PxLibrary *library;

  /* Still being constructed: px_window_new builds the page. */
  if (page != NULL || self->application == NULL)
    return page;

  if (g_str_equal (name, "gallery"))
    {
      page = g_object_new (PX_TYPE_GALLERY_PAGE, NULL);
      adw_bin_set_child (slot, page);
      self->gallery_page = PX_GALLERY_PAGE (page);
      library = px_application_get_library (self->application, &error);
      px_gallery_page_set_library (self->gallery_page, library, error);
    }
  else if (g_str_equal (name, "generate"))
    {
      page = g_object_new (PX_TYPE_GENERATE_PAGE, NULL);
      adw_bin_set_child (slot, page);
      self->generate_page = PX_GENERATE_PAGE (page);
      px_generate_page_set_application (self->generate_page, self->application);
    }
  else if (g_str_equal (name, "batch"))
    {
      page = g_object_new (PX_TYPE_BATCH_PAGE, NULL);
      adw_bin_set_child (slot, page);
      self->batch_page = PX_BATCH_PAGE (page);
      px_batch_page_set_application (self->batch_page, self->application);
    }
  else if (g_str_equal (name, "analytics"))
    {
      page = g_object_new (PX_TYPE_ANALYTICS_PAGE, NULL);
      adw_bin_set_child (slot, page);
      self->analytics_page = PX_ANALYTICS_PAGE (page);
      px_analytics_page_set_library (self->analytics_page, px_application_get_library (self->application, NULL));
    }
  else
    {
      page = g_object_new (PX_TYPE_COMPARE_PAGE, NULL);
      adw_bin_set_child (slot, page);
      self->compare_page = PX_COMPARE_PAGE (page);
      px_compare_page_set_application (self->compare_page, self->application);
    }
  return page;
}

static PxGalleryPage *
gallery_page (PxWindow *self)
{
  return PX_GALLERY_PAGE (ensure_page (self, "gallery"));
}

static PxGeneratePage *
generate_page (PxWindow *self)
{
  return PX_GENERATE_PAGE (ensure_page (self, "generate"));
}

/* A library image in the Gallery, with its details open. */
static void
show_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  px_window_set_page (self, "gallery");
  px_gallery_page_show_image (gallery_page (self), g_variant_get_int64 (parameter));
}

/* One batch's images in the Gallery. */
static void
show_batch_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  px_window_set_page (self, "gallery");
  px_gallery_page_show_batch (gallery_page (self), g_variant_get_int64 (parameter));
}

static void
show_videos_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  px_window_set_page (self, "gallery");
  px_gallery_page_show_videos (gallery_page (self), TRUE);
}

typedef struct {
  gint64          id;
  PxLibraryImage *image;
  gboolean        edit;      /* open it in the Editor, not in Generate */
} ReuseJob;

static void
reuse_job_free (ReuseJob *job)
{
  px_library_image_free (job->image);
  g_free (job);
}

static gboolean
read_reused (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ReuseJob *job = data;

  job->image = px_library_get_image (library, job->id, error);
  return job->image != NULL;
}

static void
on_reused_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ReuseJob *job = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &job, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_window_add_toast (self, adw_toast_new (error->message));
      return;
    }
  if (job->edit)
    {
      PxLibrary *library = px_application_get_library (self->application, NULL);

      if (library != NULL)
        gtk_window_present (GTK_WINDOW (px_editor_window_new (GTK_WINDOW (self), library, job->image)));
      return;
    }
  px_generate_page_reuse (generate_page (self), job->image);
  px_window_set_page (self, "generate");
}

/* "Reuse in Generate" (and "Edit" of a result): the image's row is read
 * off the main thread. */
static void
reuse_image_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);
  PxLibrary *library = px_application_get_library (self->application, NULL);
  ReuseJob *job;

  if (library == NULL)
    return;
  job = g_new0 (ReuseJob, 1);
  job->id = g_variant_get_int64 (parameter);
  job->edit = g_str_equal (action_name, "win.edit-image");
  px_library_read_async (library, read_reused, job, (GDestroyNotify) reuse_job_free, self->cancellable,
                         on_reused_read, g_object_ref (self));
}

static void finish_welcome (PxWindow *self);

/* Files opened with Pixmerge (the file manager's Open With, or the
 * command line): a spreadsheet goes to the Batch page, an image into the
 * library and the Editor. Told apart by their names, not by reading them. */
static gboolean
is_spreadsheet (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);

  return g_content_type_is_a (type, "text/csv") || g_content_type_is_a (type, "text/tab-separated-values");
}

static gboolean
is_image (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);

  return g_content_type_is_a (type, "image/png") || g_content_type_is_a (type, "image/jpeg") ||
         g_content_type_is_a (type, "image/webp");
}

typedef struct {
  char   *path;
  gint64  id;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->path);
  g_free (job);
}

static gboolean
import_image (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ImportJob *job = data;

  job->id = px_library_import_file (library, job->path, error);
  return job->id > 0;
}

static void
on_image_imported (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PxWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ImportJob *job = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &job, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_window_add_toast (self, adw_toast_new (error->message));
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.library-changed", NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-image", "x", job->id);
}

void
px_window_open_files (PxWindow  *self,
                      GFile    **files,
                      int        n_files)
{
  PxLibrary *library = px_application_get_library (self->application, NULL);
  gboolean csv_opened = FALSE;

  g_return_if_fail (PX_IS_WINDOW (self));

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_file_get_basename (files[i]);

      if (is_spreadsheet (files[i]) && !csv_opened)
        {
          /* One batch at a time: the first spreadsheet. */
          csv_opened = TRUE;
          finish_welcome (self);
          px_window_set_page (self, "batch");
          px_batch_page_open_csv (self->batch_page, files[i]);
        }
      else if (is_image (files[i]) && library != NULL && g_file_peek_path (files[i]) != NULL)
        {
          ImportJob *job = g_new0 (ImportJob, 1);

          job->path = g_file_get_path (files[i]);
          px_library_write_async (library, import_image, job, (GDestroyNotify) import_job_free, self->cancellable,
                                  on_image_imported, g_object_ref (self));
        }
      else
        {
          g_autofree char *message = g_strdup_printf (_("Pixmerge opens spreadsheets (CSV) and images (PNG, JPEG, "
                                                        "WebP); %s is neither"), name);

          px_window_add_toast (self, adw_toast_new (message));
        }
    }
}

/* The welcome is shown once: whichever way it is left. */
static void
finish_welcome (PxWindow *self)
{
  g_settings_set_boolean (self->settings, "welcome-done", TRUE);
  gtk_stack_set_visible_child_name (self->root_stack, "main");
  px_window_set_page (self, "generate");
  /* Ready to type the first prompt. */
  gtk_widget_grab_focus (GTK_WIDGET (px_generate_page_get_editor (generate_page (self))));
}

static void
welcome_add_key_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  finish_welcome (self);
  g_action_group_activate_action (G_ACTION_GROUP (self->application), "preferences-page",
                                  g_variant_new_string ("providers"));
}

static void
on_demo_started (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean started = px_application_start_demo_finish (PX_APPLICATION (source), result, &error);
  PxWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the window went */
  self = PX_WINDOW (user_data);
  px_welcome_set_busy (self->welcome, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.welcome-try-demo", TRUE);
  if (!started)
    {
      px_welcome_set_error (self->welcome, error->message);
      return;
    }
  finish_welcome (self);
  px_generate_page_load_sample (generate_page (self));
  px_window_add_toast (self, adw_toast_new (_("Demo provider on: generate for free, then add a key for real images")));
}

/* Try Without a Key: the demo provider, then a sample prompt to generate. */
static void
welcome_try_demo_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  px_welcome_set_busy (self->welcome, TRUE);
  gtk_widget_action_set_enabled (widget, "win.welcome-try-demo", FALSE);
  px_application_start_demo_async (self->application, self->cancellable, on_demo_started, self);
}

static void
welcome_skip_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  finish_welcome (PX_WINDOW (widget));
}

static void
stop_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);

  px_application_stop_demo (self->application);
  px_window_add_toast (self, adw_toast_new (_("Demo provider off: requests go to the real providers again")));
}

/* F6 (and Shift+F6): between the sidebar and the page, as GNOME apps with
 * panes do. On a narrow window the leaflet shows the pane that gets it. */
static void
next_pane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PxWindow *self = PX_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->root_stack), "main"))
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sidebar)))
    {
      adw_leaflet_set_visible_child (self->leaflet, self->content_box);
      if (!gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD))
        gtk_widget_grab_focus (page);
    }
  else
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar);

      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      else
        gtk_widget_child_focus (GTK_WIDGET (self->sidebar), GTK_DIR_TAB_FORWARD);
    }
}

/* Something added images: the Gallery reads the library again. */
static void
library_changed_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  /* A Gallery not built yet reads the library when it is. */
  if (PX_WINDOW (widget)->gallery_page != NULL)
    px_gallery_page_reload (PX_WINDOW (widget)->gallery_page);
  if (PX_WINDOW (widget)->analytics_page != NULL)
    px_analytics_page_reload (PX_WINDOW (widget)->analytics_page);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  px_window_set_page (PX_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
save_window_state (PxWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  /* The default size is the unmaximized size, which is what a restore needs. */
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_string (self->settings, "last-page", px_window_get_page (self));
  g_settings_apply (self->settings);
}

static gboolean
close_later (gpointer user_data)
{
  PxWindow *self = user_data;

  if (self->batch_page != NULL)
    px_batch_page_stop (self->batch_page);
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   PxWindow         *self)
{
  if (g_str_equal (response, "background"))
    {
      px_batch_page_run_in_background (self->batch_page);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
    }
  else if (g_str_equal (response, "stop"))
    {
      /* Not from inside the dialog's answer: the dialog still belongs to
       * this window until it has closed itself. */
      self->closing = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, close_later, g_object_ref (self), g_object_unref);
    }
}

static gboolean
px_window_close_request (GtkWindow *window)
{
  PxWindow *self = PX_WINDOW (window);

  save_window_state (self);

  /* A running batch: ask before stopping it. */
  if (self->batch_page != NULL && px_batch_page_is_running (self->batch_page) && !self->closing)
    {
      AdwMessageDialog *dialog = px_dialog_ask (GTK_WIDGET (self), _("A Batch Is Running"),
                                                _("It can go on without the window: Pixmerge tells you when it is "
                                                  "done. Stopped batches can be resumed from the Batch page."),
                                                NULL, "background", _("_Run in Background"), ADW_RESPONSE_SUGGESTED);

      adw_message_dialog_add_response (dialog, "stop", _("_Stop and Close"));
      adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  return GTK_WINDOW_CLASS (px_window_parent_class)->close_request (window);
}

static void
restore_window_state (PxWindow *self)
{
  g_autofree char *page = NULL;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  page = g_settings_get_string (self->settings, "last-page");
  px_window_set_page (self, page);
  gtk_stack_set_visible_child_name (self->root_stack,
                                    g_settings_get_boolean (self->settings, "welcome-done") ? "main" : "welcome");
}

static void
px_window_constructed (GObject *object)
{
  PxWindow *self = PX_WINDOW (object);

  G_OBJECT_CLASS (px_window_parent_class)->constructed (object);

  /* "application" is not a construct property, so it is not set yet here;
   * a GSettings of our own shares the application's backend. */
  self->settings = g_settings_new (APP_ID);
  restore_window_state (self);
}

static void
px_window_dispose (GObject *object)
{
  PxWindow *self = PX_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (px_window_parent_class)->dispose (object);
}

/* Tab leaves the sidebar for the page (and Shift+Tab for what is before
 * it) instead of walking its rows: a row that takes the focus is selected,
 * so walking them with Tab would change the page at every key. The arrow
 * keys still go from row to row. */
static gboolean
px_window_focus (GtkWidget        *widget,
                 GtkDirectionType  direction)
{
  PxWindow *self = PX_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if ((direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD) && focus != NULL &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sidebar)))
    {
      GtkWidget *header = gtk_widget_get_first_child (self->sidebar_box);
      gboolean content_shown = gtk_widget_get_mapped (self->content_box);

      if (direction == GTK_DIR_TAB_FORWARD)
        return (content_shown && gtk_widget_child_focus (self->content_box, direction)) ||
               gtk_widget_child_focus (header, direction) || TRUE;
      return gtk_widget_child_focus (header, direction) ||
             (content_shown && gtk_widget_child_focus (self->content_box, direction)) || TRUE;
    }
  return GTK_WIDGET_CLASS (px_window_parent_class)->focus (widget, direction);
}

static void
px_window_class_init (PxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = px_window_constructed;
  object_class->dispose = px_window_dispose;
  window_class->close_request = px_window_close_request;
  widget_class->focus = px_window_focus;

  g_type_ensure (PX_TYPE_WELCOME);
  g_type_ensure (PX_TYPE_GENERATE_PAGE);
  g_type_ensure (PX_TYPE_GALLERY_PAGE);
  g_type_ensure (PX_TYPE_BATCH_PAGE);
  g_type_ensure (PX_TYPE_COMPARE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PxWindow, root_stack);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, welcome);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, PxWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-image", "x", show_image_action);
  gtk_widget_class_install_action (widget_class, "win.show-batch", "x", show_batch_action);
  gtk_widget_class_install_action (widget_class, "win.show-videos", NULL, show_videos_action);
  gtk_widget_class_install_action (widget_class, "win.open-batch", "x", open_batch_action);
  gtk_widget_class_install_action (widget_class, "win.reuse-image", "x", reuse_image_action);
  /* The same read, then the Editor: from a Generate result. */
  gtk_widget_class_install_action (widget_class, "win.edit-image", "x", reuse_image_action);
  gtk_widget_class_install_action (widget_class, "win.library-changed", NULL, library_changed_action);
  gtk_widget_class_install_action (widget_class, "win.welcome-add-key", NULL, welcome_add_key_action);
  gtk_widget_class_install_action (widget_class, "win.welcome-try-demo", NULL, welcome_try_demo_action);
  gtk_widget_class_install_action (widget_class, "win.welcome-skip", NULL, welcome_skip_action);
  gtk_widget_class_install_action (widget_class, "win.stop-demo", NULL, stop_demo_action);
  gtk_widget_class_install_action (widget_class, "win.next-pane", NULL, next_pane_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.next-pane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK, "win.next-pane", NULL);
}

static void
px_window_init (PxWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
