/* test-gallery.c: the Gallery page on a real library of 1,000 images under
 * Xvfb: all of them are there, thumbnails arrive, search narrows the grid,
 * delete and undo bring the images back. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "px-fake-image.h"
#include "px-editor-canvas.h"
#include "px-editor-window.h"
#include "px-json.h"
#include "px-token-editor.h"
#include "px-gallery-page.h"
#include "px-generate-page.h"
#include "px-image-window.h"
#include "px-video-dialog.h"
#include "px-video-grid.h"
#include "px-video-item.h"
#include "px-video-window.h"
#include "px-library-model.h"
#include "px-test-ui.h"
#include "px-window.h"

static PxApplication *app;
static char *library_dir;

static gboolean
has_thumbnail (GtkWidget *widget)
{
  if (GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_thumbnail (child))
      return TRUE;

  return FALSE;
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;

  return FALSE;
}

static void
wait_for_count (GListModel *model,
                guint       expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (model) != expected && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected);
}

/* A button of the toast on show, by label or icon: in the newest toast
 * widget, the one drawn last (one being replaced may still be animating
 * out, its buttons no longer answered). */
static GtkWidget *
find_toast_button (GtkWidget  *root,
                   const char *label,
                   const char *icon)
{
  GtkWidget *found = NULL;
  GtkWidget *toast = GTK_IS_BUTTON (root) ? gtk_widget_get_ancestor (root, GTK_TYPE_WIDGET) : NULL;

  while (toast != NULL && !g_str_equal (G_OBJECT_TYPE_NAME (toast), "AdwToastWidget"))
    toast = gtk_widget_get_parent (toast);
  if (toast != NULL && gtk_widget_get_child_visible (toast) &&
      (label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0) &&
      (icon == NULL || g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *in_child = find_toast_button (child, label, icon);

      if (in_child != NULL)
        found = in_child;
    }

  return found;
}

/* The item at position once its row is read (rows are read off the main
 * thread; until then the item is a placeholder). */
static PxLibraryItem *
wait_for_item (GListModel *model,
               guint       position)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  PxLibraryItem *item = NULL;

  /* A filter or order just changed: its count first, then its rows. */
  while (px_library_model_get_loading (PX_LIBRARY_MODEL (model)) && g_get_monotonic_time () < deadline)
    px_test_ui_spin (20);
  for (;;)
    {
      item = g_list_model_get_item (model, position);
      if ((item != NULL && px_library_item_get_image (item) != NULL) || g_get_monotonic_time () > deadline)
        break;
      g_clear_object (&item);
      px_test_ui_spin (20);
    }
  g_assert_nonnull (item);
  g_assert_nonnull (px_library_item_get_image (item));
  return item;
}

static gboolean
video_has_file (gpointer data)
{
  return gtk_video_get_file (data) != NULL;
}

static gboolean
video_is_prepared (gpointer data)
{
  GtkMediaStream *stream = gtk_video_get_media_stream (data);

  return stream != NULL && gtk_media_stream_is_prepared (stream) && gtk_media_stream_get_error (stream) == NULL;
}

/* The first widget under @root with a drag source, and that source. */
static GtkDragSource *
find_drag_source (GtkWidget *root)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (root);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DRAG_SOURCE (controller))
        return GTK_DRAG_SOURCE (controller);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkDragSource *found = find_drag_source (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *exported_path;

static gboolean
file_exported (gpointer data)
{
  return g_file_test (exported_path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
video_moves (gpointer data)
{
  GtkMediaStream *stream = gtk_video_get_media_stream (data);

  return stream != NULL && gtk_media_stream_get_playing (stream) && gtk_media_stream_get_timestamp (stream) > 0;
}

static gboolean
editor_ready (gpointer data)
{
  return px_editor_window_is_ready (data);
}

static gboolean
editor_saved (gpointer data)
{
  return px_editor_window_get_saved_id (data) > 0;
}

static gboolean
dialog_made_video (gpointer data)
{
  return px_video_dialog_get_video_id (data) != 0;
}

static void
test_gallery (void)
{
  PxWindow *window = px_window_new (app);
  PxGalleryPage *page;
  GtkGridView *grid;
  GtkSearchEntry *search;
  GListModel *model;
  GtkSelectionModel *selection;
  GtkWidget *undo;
  GtkVideo *video;
  gint64 deadline;

  px_window_set_page (window, "gallery");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  page = PX_GALLERY_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GALLERY_PAGE, NULL));
  model = px_gallery_page_get_model (page);
  g_assert_nonnull (model);
  wait_for_count (model, 1000);
  grid = GTK_GRID_VIEW (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_GRID_VIEW, NULL));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (grid)));

  /* Thumbnails are made in the background and appear. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!has_thumbnail (GTK_WIDGET (grid)) && g_get_monotonic_time () < deadline)
    px_test_ui_spin (50);
  g_assert_true (has_thumbnail (GTK_WIDGET (grid)));

  /* Search narrows it: Hana from Stark is every 40th image. Ctrl+F goes there. */
  search = GTK_SEARCH_ENTRY (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, "gallery-search"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gallery.search", NULL));
  px_test_ui_spin (20);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (search)) ||
                 gtk_root_get_focus (GTK_ROOT (window)) == GTK_WIDGET (search));
  gtk_editable_set_text (GTK_EDITABLE (search), "hana stark");
  wait_for_count (model, 25);
  gtk_editable_set_text (GTK_EDITABLE (search), "nobody-by-this-name");
  wait_for_count (model, 0);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait_for_count (model, 1000);

  /* One model's images, oldest first; one feature's; today's. */
  {
    GtkDropDown *filter = GTK_DROP_DOWN (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "model-filter"));
    GtkDropDown *features = GTK_DROP_DOWN (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "feature-filter"));
    GtkDropDown *when = GTK_DROP_DOWN (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "date-filter"));
    GtkToggleButton *order = GTK_TOGGLE_BUTTON (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON,
                                                                         "sort-order"));
    GListModel *models = gtk_drop_down_get_model (filter);
    g_autoptr(PxLibraryItem) oldest = NULL;

    /* The choices are listed in the background. */
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (g_list_model_get_n_items (gtk_drop_down_get_model (features)) < 3 && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
    g_assert_cmpuint (g_list_model_get_n_items (models), ==, 4);  /* All Models + 3 */
    for (guint i = 1; i < 4; i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (models), i), "gpt-image-2"))
        gtk_drop_down_set_selected (filter, i);
    wait_for_count (model, 333);

    gtk_toggle_button_set_active (order, TRUE);
    px_test_ui_spin (50);
    oldest = wait_for_item (model, 0);
    g_assert_cmpstr (px_library_item_get_image (oldest)->prompt, ==, "Portrait 2 of Bo from Acme");
    gtk_toggle_button_set_active (order, FALSE);
    gtk_drop_down_set_selected (filter, 0);
    wait_for_count (model, 1000);

    /* Most used first: generate (900), then meme (100). */
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (features)), ==, 3);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (features)), 2), ==, "meme");
    gtk_drop_down_set_selected (features, 2);
    wait_for_count (model, 100);
    gtk_drop_down_set_selected (when, 1);  /* Today: all of them were made today */
    wait_for_count (model, 100);
    gtk_drop_down_set_selected (features, 0);
    gtk_drop_down_set_selected (when, 0);
    wait_for_count (model, 1000);
  }

  /* Delete three, then undo from the toast. */
  selection = gtk_grid_view_get_model (grid);
  gtk_selection_model_select_range (selection, 0, 3, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gallery.delete", NULL));
  wait_for_count (model, 997);
  px_test_ui_spin (300);
  undo = find_toast_button (GTK_WIDGET (window), "_Undo", NULL);
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  wait_for_count (model, 1000);

  /* Enter on an image opens its details; Delete there deletes it, with undo. */
  {
    g_autoptr(PxLibraryItem) first = wait_for_item (model, 0);
    g_autofree char *prompt = g_strdup (px_library_item_get_image (first)->prompt);
    GtkWidget *detail;

    g_signal_emit_by_name (grid, "activate", 0);
    detail = px_test_ui_find_toplevel (PX_TYPE_IMAGE_WINDOW);
    g_assert_nonnull (detail);
    g_assert_true (px_test_ui_wait_for_draw (detail, 50));
    g_assert_true (has_label (detail, prompt));
    g_assert_cmpstr (px_image_window_get_image (PX_IMAGE_WINDOW (detail))->prompt, ==, prompt);
    g_assert_true (gtk_widget_activate_action (detail, "image.delete", NULL));
    wait_for_count (model, 999);
    px_test_ui_spin (300);
    /* Ctrl+Z in the Gallery is that toast's Undo. */
    g_assert_nonnull (find_toast_button (GTK_WIDGET (window), "_Undo", NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gallery.undo", NULL));
    wait_for_count (model, 1000);
  }

  /* Make Video from the details: the preview plays, then the video is made
   * at the chosen length and resolution, kept in the library and played. */
  {
    GtkWidget *detail, *dialog;
    g_autofree char *path = NULL;

    g_signal_emit_by_name (grid, "activate", 0);
    detail = px_test_ui_find_toplevel (PX_TYPE_IMAGE_WINDOW);
    g_assert_nonnull (detail);
    g_assert_true (gtk_widget_activate_action (detail, "image.make-video", NULL));
    dialog = px_test_ui_find_toplevel (PX_TYPE_VIDEO_DIALOG);
    g_assert_nonnull (dialog);
    video = GTK_VIDEO (px_test_ui_find_by_name (dialog, GTK_TYPE_VIDEO, NULL));
    g_assert_true (px_test_ui_wait_until (video_has_file, video));
    g_assert_true (px_test_ui_wait_until (video_is_prepared, video));
    /* The preview plays by itself: its clock moves. */
    g_assert_true (px_test_ui_wait_until (video_moves, video));

    gtk_spin_button_set_value (GTK_SPIN_BUTTON (px_test_ui_find_by_name (dialog, GTK_TYPE_SPIN_BUTTON, "duration")), 1);
    adw_combo_row_set_selected (ADW_COMBO_ROW (px_test_ui_find_by_name (dialog, ADW_TYPE_COMBO_ROW, "resolution")), 0);
    g_assert_true (gtk_widget_activate_action (dialog, "video.make", NULL));
    g_assert_true (px_test_ui_wait_until (dialog_made_video, dialog));
    path = g_file_get_path (gtk_video_get_file (video));
    g_assert_nonnull (strstr (path, "/videos/"));
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_assert_true (px_test_ui_wait_until (video_is_prepared, video));
    gtk_window_close (GTK_WINDOW (dialog));
    px_test_ui_spin (200);
    gtk_window_close (GTK_WINDOW (detail));
    px_test_ui_spin (100);
  }

  /* The video is in the Gallery under Videos, named by its image's prompt,
   * with its poster; it opens and plays; dragged out it is its file;
   * exported it is copied; deleted it goes, and Undo brings it back. */
  {
    GtkDropDown *kind = GTK_DROP_DOWN (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "kind-filter"));
    PxVideoGrid *videos_grid = PX_VIDEO_GRID (px_test_ui_find_by_name (GTK_WIDGET (page), PX_TYPE_VIDEO_GRID, NULL));
    GListModel *videos = px_gallery_page_get_video_model (page);
    GtkGridView *video_view = GTK_GRID_VIEW (px_test_ui_find_by_name (GTK_WIDGET (videos_grid), GTK_TYPE_GRID_VIEW,
                                                                      NULL));
    GdkContentProvider *content = NULL;
    GtkDragSource *drag;
    GtkWidget *player;
    GValue value = G_VALUE_INIT;
    g_autoptr(GObject) first = NULL;
    const char *file;
    gint64 id;

    gtk_drop_down_set_selected (kind, 1);
    wait_for_count (videos, 1);
    g_assert_false (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN,
                                                                     "model-filter")));
    first = g_list_model_get_item (videos, 0);
    file = px_video_item_get_video (PX_VIDEO_ITEM (first))->file;
    id = px_video_item_get_video (PX_VIDEO_ITEM (first))->id;
    g_assert_nonnull (px_video_item_get_video (PX_VIDEO_ITEM (first))->prompt);
    g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 20));
    deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (!has_thumbnail (GTK_WIDGET (video_view)) && g_get_monotonic_time () < deadline)
      px_test_ui_spin (50);
    g_assert_true (has_thumbnail (GTK_WIDGET (video_view)));

    drag = find_drag_source (GTK_WIDGET (video_view));
    g_assert_nonnull (drag);
    g_signal_emit_by_name (drag, "prepare", 10.0, 10.0, &content);
    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_FILE);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_file_peek_path (g_value_get_object (&value)), ==, file);
    g_value_unset (&value);
    g_object_unref (content);

    gtk_selection_model_select_all (gtk_grid_view_get_model (video_view));
    exported_path = g_strdup_printf ("%s/exported-videos/video-%" G_GINT64_FORMAT ".webm", g_get_user_data_dir (), id);
    g_mkdir_with_parents (g_get_user_data_dir (), 0700);
    {
      g_autofree char *folder = g_path_get_dirname (exported_path);

      g_mkdir_with_parents (folder, 0700);
      px_video_grid_export_to (videos_grid, folder);
    }
    g_assert_true (px_test_ui_wait_until (file_exported, NULL));
    g_clear_pointer (&exported_path, g_free);

    g_signal_emit_by_name (video_view, "activate", 0);
    player = px_test_ui_find_toplevel (PX_TYPE_VIDEO_WINDOW);
    g_assert_nonnull (player);
    video = px_video_window_get_video (PX_VIDEO_WINDOW (player));
    g_assert_true (px_test_ui_wait_until (video_is_prepared, video));
    g_assert_cmpint (gtk_media_stream_get_duration (gtk_video_get_media_stream (video)), >=, 900 * G_TIME_SPAN_MILLISECOND);
    g_assert_true (gtk_widget_activate_action (player, "video-window.delete", NULL));
    wait_for_count (videos, 0);
    px_test_ui_spin (300);
    undo = find_toast_button (GTK_WIDGET (window), "_Undo", NULL);
    g_assert_nonnull (undo);
    g_signal_emit_by_name (undo, "clicked");
    wait_for_count (videos, 1);
    g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    gtk_drop_down_set_selected (kind, 0);
  }

  /* The Editor from the details: a slider, a text with a token, undo and
   * redo, Save as New Version: a new image linked to its original with the
   * recipe, the original untouched; opened again, the edit's settings. */
  {
    g_autoptr(PxLibraryItem) first = wait_for_item (model, 0);
    g_autoptr(PxLibraryImage) saved = NULL;
    g_autoptr(PxLibraryImage) original = px_library_image_copy (px_library_item_get_image (first));
    g_autoptr(PxRecipe) recipe = NULL;
    g_autofree char *json = NULL;
    PxLibrary *library = px_application_get_library (app, NULL);
    GtkWidget *detail, *editor, *again, *text;

    g_signal_emit_by_name (grid, "activate", 0);
    detail = px_test_ui_find_toplevel (PX_TYPE_IMAGE_WINDOW);
    g_assert_true (gtk_widget_activate_action (detail, "image.edit", NULL));
    editor = px_test_ui_find_toplevel (PX_TYPE_EDITOR_WINDOW);
    g_assert_nonnull (editor);
    g_assert_true (px_test_ui_wait_until (editor_ready, editor));
    g_assert_false (gtk_widget_is_sensitive (px_test_ui_find_by_name (editor, GTK_TYPE_BUTTON, "save-version")));

    gtk_range_set_value (GTK_RANGE (px_test_ui_find_by_name (editor, GTK_TYPE_SCALE, "exposure")), 0.4);
    px_test_ui_spin (600);
    /* The text: typed, and the image's own token clicked in as a chip; the
     * line under it reads it as this image fills it. */
    text = px_test_ui_find_by_name (editor, PX_TYPE_TOKEN_EDITOR, "text");
    px_token_editor_set_text (PX_TOKEN_EDITOR (text), "Hello ");
    {
      GtkWidget *chips = px_test_ui_find_by_name (editor, GTK_TYPE_FLOW_BOX, "text-chips");
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text));
      GtkTextIter end;
      g_autofree char *reads = NULL;
      g_autoptr(GHashTable) values = px_json_to_table (original->tokens_json);

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_place_cursor (buffer, &end);
      g_signal_emit_by_name (px_test_ui_find_by_name (chips, GTK_TYPE_BUTTON, "NAME"), "clicked");
      g_assert_cmpuint (px_token_editor_get_n_chips (PX_TOKEN_EDITOR (text)), ==, 1);
      reads = g_strdup_printf ("Reads: Hello %s", (const char *) g_hash_table_lookup (values, "NAME"));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (px_test_ui_find_by_name (editor, GTK_TYPE_LABEL,
                                                                                "text-preview"))), ==, reads);
    }
    px_test_ui_spin (600);   /* each rests into a step */
    g_assert_true (px_test_ui_wait_until (editor_ready, editor));
    recipe = px_editor_window_get_recipe (PX_EDITOR_WINDOW (editor));
    g_assert_cmpuint (px_recipe_get_n_ops (recipe), ==, 2);
    g_clear_pointer (&recipe, px_recipe_free);

    /* Undo takes the text away, then the exposure; redo brings the text back. */
    g_assert_true (gtk_widget_activate_action (editor, "editor.undo", NULL));
    {
      g_autofree char *now = px_token_editor_get_text (PX_TOKEN_EDITOR (text));

      g_assert_cmpstr (now, ==, "");
    }
    g_assert_true (gtk_widget_activate_action (editor, "editor.undo", NULL));
    g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (px_test_ui_find_by_name (editor, GTK_TYPE_SCALE, "exposure"))),
                       ==, 0);
    g_assert_true (gtk_widget_activate_action (editor, "editor.redo", NULL));
    g_assert_true (gtk_widget_activate_action (editor, "editor.redo", NULL));
    {
      g_autofree char *now = px_token_editor_get_text (PX_TOKEN_EDITOR (text));

      g_assert_cmpstr (now, ==, "Hello [NAME]");
    }

    /* Zoom in (Ctrl++ and the buttons) and back to fitted. */
    {
      PxEditorCanvas *canvas = PX_EDITOR_CANVAS (px_test_ui_find_by_name (editor, PX_TYPE_EDITOR_CANVAS, "canvas"));

      g_assert_cmpfloat (px_editor_canvas_get_zoom (canvas), ==, 1);
      g_assert_true (gtk_widget_activate_action (editor, "editor.zoom-in", NULL));
      g_assert_true (gtk_widget_activate_action (editor, "editor.zoom-in", NULL));
      g_assert_cmpfloat_with_epsilon (px_editor_canvas_get_zoom (canvas), 1.5625, 1e-9);
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (px_test_ui_find_by_name (editor, GTK_TYPE_BUTTON,
                                                                                  "zoom-fit"))), ==, "156%");
      g_assert_true (gtk_widget_activate_action (editor, "editor.zoom-fit", NULL));
      g_assert_cmpfloat (px_editor_canvas_get_zoom (canvas), ==, 1);
    }

    g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
    g_assert_true (px_test_ui_wait_until (editor_saved, editor));
    saved = px_library_get_image (library, px_editor_window_get_saved_id (PX_EDITOR_WINDOW (editor)), NULL);
    g_assert_nonnull (saved);
    g_assert_cmpint (saved->parent_id, ==, original->id);
    g_assert_nonnull (strstr (saved->recipe_json, "Hello [NAME]"));
    g_assert_nonnull (strstr (saved->recipe_json, "\"exposure\" : 0.4"));
    {
      g_autoptr(PxLibraryImage) untouched = px_library_get_image (library, original->id, NULL);

      g_assert_cmpstr (untouched->sha256, ==, original->sha256);
    }
    /* Save As a file: the edit at full size, outside the library. */
    exported_path = g_build_filename (g_get_user_data_dir (), "edited.png", NULL);
    px_editor_window_save_as (PX_EDITOR_WINDOW (editor), exported_path);
    g_assert_true (px_test_ui_wait_until (file_exported, NULL));
    {
      g_autoptr(GdkPixbuf) written = NULL;

      px_test_ui_spin (200);
      written = gdk_pixbuf_new_from_file (exported_path, NULL);
      g_assert_nonnull (written);
      g_assert_cmpint (gdk_pixbuf_get_width (written), ==, original->width);
    }
    g_clear_pointer (&exported_path, g_free);
    gtk_window_close (GTK_WINDOW (editor));
    px_test_ui_spin (100);

    /* The new version is in the gallery (newest first). */
    wait_for_count (model, 1001);

    /* Opening the edit opens its original with the edit's settings. */
    again = GTK_WIDGET (px_editor_window_new (GTK_WINDOW (detail), library, saved));
    gtk_window_present (GTK_WINDOW (again));
    g_assert_true (px_test_ui_wait_until (editor_ready, again));
    {
      g_autofree char *reopened = px_token_editor_get_text (PX_TOKEN_EDITOR (px_test_ui_find_by_name (
        again, PX_TYPE_TOKEN_EDITOR, "text")));

      g_assert_cmpstr (reopened, ==, "Hello [NAME]");
    }
    recipe = px_editor_window_get_recipe (PX_EDITOR_WINDOW (again));
    json = px_recipe_to_json (recipe);
    g_assert_cmpstr (json, ==, saved->recipe_json);
    gtk_window_close (GTK_WINDOW (again));
    gtk_window_close (GTK_WINDOW (detail));
    px_test_ui_spin (100);
  }

  /* Ctrl+E in the grid opens the Editor on the selected image. */
  {
    GtkWidget *editor = NULL;
    gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    g_autoptr(PxLibraryItem) first = wait_for_item (model, 0);
    const PxLibraryImage *image = px_library_item_get_image (first);

    gtk_selection_model_select_item (gtk_grid_view_get_model (grid), 0, TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gallery.edit", NULL));
    while ((editor = px_test_ui_find_toplevel (PX_TYPE_EDITOR_WINDOW)) == NULL && g_get_monotonic_time () < until)
      px_test_ui_spin (20);
    g_assert_nonnull (editor);
    g_assert_true (px_test_ui_wait_until (editor_ready, editor));
    /* (The newest is the edit saved above: it opens on its original.) */
    g_assert_cmpint (px_editor_window_get_image_id (PX_EDITOR_WINDOW (editor)), ==,
                     image->recipe_json ? image->parent_id : image->id);
    gtk_window_close (GTK_WINDOW (editor));
    px_test_ui_spin (100);
  }

  /* "Reuse in Generate": the image's template, tokens and model on the
   * Generate page. */
  {
    g_autoptr(PxLibraryItem) first = wait_for_item (model, 0);
    const PxLibraryImage *image = px_library_item_get_image (first);
    PxGeneratePage *generate;
    g_autofree char *text = NULL;
    GtkWidget *detail;

    g_signal_emit_by_name (grid, "activate", 0);
    detail = px_test_ui_find_toplevel (PX_TYPE_IMAGE_WINDOW);
    g_assert_nonnull (detail);
    g_assert_true (gtk_widget_activate_action (detail, "image.reuse", NULL));
    px_test_ui_spin (100);
    g_assert_cmpstr (px_window_get_page (window), ==, "generate");
    generate = PX_GENERATE_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_GENERATE_PAGE, NULL));
    text = px_token_editor_get_text (px_generate_page_get_editor (generate));
    g_assert_cmpstr (text, ==, image->template_prompt);
    {
      const PxTokenSet *set = px_token_palette_get_set (px_generate_page_get_palette (generate));
      g_autoptr(PxTokenSet) expected = px_token_set_new ("");

      px_token_set_load_json (expected, image->tokens_json);
      g_assert_cmpuint (expected->names->len, ==, 2);
      g_assert_cmpstr (px_token_set_lookup (set, "NAME"), ==, px_token_set_lookup (expected, "NAME"));
      g_assert_cmpstr (px_token_set_lookup (set, "COMPANY"), ==, px_token_set_lookup (expected, "COMPANY"));
    }
    g_assert_null (px_test_ui_find_toplevel (PX_TYPE_IMAGE_WINDOW));
    px_window_set_page (window, "gallery");
  }

  /* (The Editor's new version makes 1,001.) Delete one, then another: the second toast goes away unused and its
   * image is deleted for good, but the first's Undo still brings its own
   * image back. */
  {
    g_autoptr(PxLibraryItem) first = wait_for_item (model, 0);
    gint64 first_id = px_library_item_get_image (first)->id;
    g_autoptr(PxLibraryImage) restored = NULL;
    GtkWidget *close;

    gtk_selection_model_select_item (selection, 0, TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gallery.delete", NULL));
    wait_for_count (model, 1000);
    px_test_ui_spin (300);
    /* The grid shows the library as it is now before the next choice. */
    {
      gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      while (g_get_monotonic_time () < until)
        {
          g_autoptr(PxLibraryItem) now_first = g_list_model_get_item (model, 0);

          if (now_first != NULL && px_library_item_get_image (now_first) != NULL &&
              px_library_item_get_image (now_first)->id != first_id)
            break;
          px_test_ui_spin (50);
        }
    }
    gtk_selection_model_select_item (selection, 0, TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "gallery.delete", NULL));
    wait_for_count (model, 999);
    /* Past the first toast's hiding animation: libadwaita 1.2 asserts when
     * a toast comes back while its old widget still animates out. */
    px_test_ui_spin (1500);
    close = find_toast_button (GTK_WIDGET (window), NULL, "window-close-symbolic");
    g_assert_nonnull (close);
    g_signal_emit_by_name (close, "clicked");
    px_test_ui_spin (1500);
    undo = find_toast_button (GTK_WIDGET (window), "_Undo", NULL);
    g_assert_nonnull (undo);
    g_signal_emit_by_name (undo, "clicked");
    wait_for_count (model, 1000);
    px_test_ui_spin (300);
    restored = px_library_get_image (px_application_get_library (app, NULL), first_id, NULL);
    g_assert_nonnull (restored);
    g_assert_true (g_file_test (restored->file, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  }

  /* A library with a missing file: reported when it opens, nothing removed. */
  {
    g_autofree char *broken_dir = g_build_filename (library_dir, "broken", NULL);
    g_autofree char *seed = g_test_build_filename (G_TEST_BUILT, "pixmerge-seed-library", NULL);
    const char *seed_argv[] = { seed, broken_dir, "2", NULL };
    g_autoptr(PxLibrary) broken = NULL;
    g_autoptr(GPtrArray) images = NULL;
    g_autoptr(GError) error = NULL;
    int status;

    g_autofree char *seed_out = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) seed_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &seed_out, NULL, &status, &error));
    broken = px_library_open (broken_dir, &error);
    g_assert_no_error (error);
    images = px_library_list (broken, NULL, 0, 1, &error);
    g_assert_cmpint (g_unlink (((PxLibraryImage *) g_ptr_array_index (images, 0))->file), ==, 0);

    px_gallery_page_set_library (page, broken, NULL);
    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (!has_label (GTK_WIDGET (window), "The library has 1 problem") && g_get_monotonic_time () < deadline)
      px_test_ui_spin (50);
    g_assert_true (has_label (GTK_WIDGET (window), "The library has 1 problem"));
    g_assert_cmpuint (g_list_model_get_n_items (px_gallery_page_get_model (page)), ==, 2);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static GArray *left_in_trash;     /* gint64: deleted, and the app quit before the Undo went */
static GPtrArray *left_in_trash_files;

/* What the last run left in the trash: made before the app starts. */
static void
leave_in_trash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (library_dir, &error);

  g_assert_no_error (error);
  left_in_trash = g_array_new (FALSE, FALSE, sizeof (gint64));
  left_in_trash_files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Left in the trash %u", i);
      g_autoptr(PxGenerationRequest) request = px_generation_request_new ("openai/gpt-image-2", prompt);
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GBytes) png = px_fake_render_image (prompt, 48, 48, "png");
      g_autoptr(PxLibraryImage) image = NULL;
      PxImage *generated = px_image_new (png, "image/png");
      gint64 id;

      generated->width = generated->height = 48;
      g_ptr_array_add (result->images, generated);
      result->provider_id = g_strdup ("openai");
      result->model_id = g_strdup ("gpt-image-2");
      id = px_library_add_generation (library, request, result, 0, "generate", &error);
      g_assert_no_error (error);
      image = px_library_get_image (library, id, &error);
      g_array_append_val (left_in_trash, id);
      g_ptr_array_add (left_in_trash_files, g_strdup (image->file));
    }
  g_assert_true (px_library_trash (library, (const gint64 *) left_in_trash->data, left_in_trash->len, &error));
}

static gboolean
trash_emptied (gpointer library)
{
  for (guint i = 0; i < left_in_trash->len; i++)
    {
      g_autoptr(PxLibraryImage) image = px_library_get_image (library, g_array_index (left_in_trash, gint64, i), NULL);

      if (image != NULL)
        return FALSE;
    }
  return TRUE;
}

/* Quit with images in the trash: the next start deletes them for good, rows
 * and files, off the main thread. */
static void
test_leftover_trash_purged (void)
{
  PxLibrary *library = px_application_get_library (app, NULL);

  g_assert_nonnull (library);
  g_assert_true (px_test_ui_wait_until (trash_emptied, library));
  for (guint i = 0; i < left_in_trash_files->len; i++)
    g_assert_false (g_file_test (g_ptr_array_index (left_in_trash_files, i), G_FILE_TEST_EXISTS));
  g_assert_cmpuint (px_library_count (library, NULL, NULL), ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *seed = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status, ret;

  g_test_init (&argc, &argv, NULL);

  if (!px_test_ui_init ())
    {
      g_test_skip ("No display: run the UI tests with build-aux/test");
      return g_test_run ();
    }

  /* A library of 1,000 real images, made by the seeding tool. */
  library_dir = g_dir_make_tmp ("px-gallery-XXXXXX", &error);
  g_assert_no_error (error);
  seed = g_test_build_filename (G_TEST_BUILT, "pixmerge-seed-library", NULL);
  {
    const char *seed_argv[] = { seed, library_dir, "1000", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) seed_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_setenv ("PIXMERGE_LIBRARY_DIR", library_dir, TRUE);
  leave_in_trash ();

  app = px_test_ui_application ();
  g_test_add_func ("/gallery/leftover-trash-purged", test_leftover_trash_purged);
  g_test_add_func ("/gallery/browse-search-delete-undo", test_gallery);
  ret = g_test_run ();

  g_clear_object (&app);
  g_array_unref (left_in_trash);
  g_ptr_array_unref (left_in_trash_files);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", library_dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (library_dir);
  return ret;
}
