/* px-editor-window.c: the Editor. The image is decoded once, at screen
 * size, on a worker; every change builds the recipe from the tools
 * (PxEditorTools → PxEditLook) and renders it on a worker (one at a time;
 * a change made meanwhile renders next), so the main loop only swaps
 * textures on the canvas (PxEditorCanvas: zoom, pan, the AI mask). Undo
 * and redo step through looks: a slider's drag is one step. Save as New
 * Version renders the full size on a worker and keeps it in the library,
 * linked to its original with the recipe; the original is never changed.
 * Opening an edit opens its original with that edit's settings. An AI
 * edit (PxEditorAiPanel) is kept as a version of its own, and the Editor
 * goes on with it. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <math.h>

#include "px-application.h"
#include "px-edit-history.h"
#include "px-edit-look.h"
#include "px-editor-ai-panel.h"
#include "px-editor-canvas.h"
#include "px-editor-tools.h"
#include "px-editor-window.h"
#include "px-json.h"
#include "px-window.h"

#define PREVIEW_SIZE 1024
#define STEP_DELAY_MS 400

struct _PxEditorWindow
{
  AdwWindow        parent_instance;

  PxLibrary       *library;
  PxLibraryImage  *image;           /* the original */
  GHashTable      *tokens;
  cairo_surface_t *source;          /* decoded at preview size */
  double           scale;
  GdkTexture      *original;
  GdkTexture      *edited;
  PxEditLook      *look;
  PxEditHistory   *history;
  GHashTable      *bases;           /* id → PxLibraryImage: the pictures undo may go back to */
  gboolean         updating;
  gboolean         rendering;
  gboolean         dirty;
  gboolean         holding;         /* the original shown while \ is held */
  guint            step_source;
  gint64           saved_id;
  GCancellable    *cancellable;

  AdwToastOverlay *toast_overlay;
  GtkPaned        *paned;
  PxEditorCanvas  *canvas;
  GtkButton       *zoom_button;
  GtkToggleButton *original_button;
  GtkStack        *mode_stack;
  PxEditorTools   *tools;
  PxEditorAiPanel *ai_panel;
  GtkLabel        *status_label;
};

G_DEFINE_FINAL_TYPE (PxEditorWindow, px_editor_window, ADW_TYPE_WINDOW)

static void render (PxEditorWindow *self);
static void tell_library_changed (PxEditorWindow *self);

/* ---- the picture ---- */

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * h);
  return gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
show_picture (PxEditorWindow *self)
{
  gboolean original = self->holding || gtk_toggle_button_get_active (self->original_button);

  px_editor_canvas_set_paintable (self->canvas, GDK_PAINTABLE (original ? self->original : self->edited));
}

typedef struct {
  cairo_surface_t *source;
  double           scale;
  PxRecipe        *recipe;
  GHashTable      *tokens;
} Render;

static void
render_free (Render *render)
{
  cairo_surface_destroy (render->source);
  px_recipe_free (render->recipe);
  g_hash_table_unref (render->tokens);
  g_free (render);
}

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Render *job = task_data;
  GError *error = NULL;
  cairo_surface_t *out = px_recipe_apply (job->recipe, job->source, job->scale, job->tokens, &error);

  if (out == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, texture_from_surface (out), g_object_unref);
  cairo_surface_destroy (out);
}

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->rendering = FALSE;
  if (texture != NULL)
    {
      g_set_object (&self->edited, texture);
      gtk_label_set_text (self->status_label, "");
      show_picture (self);
    }
  else
    gtk_label_set_text (self->status_label, error->message);
  if (self->dirty)
    render (self);
}

/* The look rendered at preview size; one render at a time, the latest
 * change next. */
static void
render (PxEditorWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Render *job;

  if (self->source == NULL)
    return;
  if (self->rendering)
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;
  self->rendering = TRUE;
  job = g_new0 (Render, 1);
  job->source = cairo_surface_reference (self->source);
  job->scale = self->scale;
  job->recipe = px_edit_look_to_recipe (self->look);
  job->tokens = g_hash_table_ref (self->tokens);
  px_editor_ai_panel_set_recipe (self->ai_panel, job->recipe);
  task = g_task_new (self, self->cancellable, on_rendered, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) render_free);
  g_task_run_in_thread (task, render_in_thread);
}

/* ---- undo and redo ---- */

static void
update_actions (PxEditorWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo", px_edit_history_can_undo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.redo", px_edit_history_can_redo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->source != NULL &&
                                 !px_edit_look_is_original (self->look));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save-as", self->source != NULL);
}

/* The changes since the last step become one. */
static void
close_step (PxEditorWindow *self)
{
  g_clear_handle_id (&self->step_source, g_source_remove);
  px_edit_history_close (self->history, self->look, self->image ? self->image->id : 0);
  update_actions (self);
}

static gboolean
on_step_delay (gpointer data)
{
  PxEditorWindow *self = data;

  self->step_source = 0;
  close_step (self);
  return G_SOURCE_REMOVE;
}

/* Before a control changes the look: remember where the step started. */
static void
begin_change (PxEditorWindow *self)
{
  px_edit_history_begin (self->history, self->look);
}

/* After it: render, and make it a step once the control rests. */
static void
end_change (PxEditorWindow *self,
            gboolean        at_once)
{
  g_clear_handle_id (&self->step_source, g_source_remove);
  if (at_once)
    close_step (self);
  else
    self->step_source = g_timeout_add (STEP_DELAY_MS, on_step_delay, self);
  update_actions (self);
  render (self);
}

static void
show_look (PxEditorWindow *self)
{
  self->updating = TRUE;
  px_editor_tools_show (self->tools, self->look);
  self->updating = FALSE;
}

static void start_with (PxEditorWindow *self, const PxLibraryImage *original, const char *recipe_json);

/* A step undone or redone; one across an AI edit changes the picture. */
static void
go_to (PxEditorWindow *self,
       gboolean        undo)
{
  gint64 base_id = self->image ? self->image->id : 0;
  g_autoptr(PxEditStep) step = undo ? px_edit_history_undo (self->history, self->look, base_id)
                                    : px_edit_history_redo (self->history, self->look, base_id);
  const PxLibraryImage *base;

  g_clear_handle_id (&self->step_source, g_source_remove);
  if (step == NULL)
    return;
  px_edit_look_free (self->look);
  self->look = g_steal_pointer (&step->look);
  show_look (self);
  base = step->base_id != base_id ? g_hash_table_lookup (self->bases, &step->base_id) : NULL;
  if (base != NULL)
    {
      g_clear_pointer (&self->source, cairo_surface_destroy);
      start_with (self, base, NULL);
    }
  update_actions (self);
  render (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);

  go_to (self, TRUE);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);

  go_to (self, FALSE);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);
  g_autoptr(PxEditLook) plain = px_edit_look_new ();

  if (px_edit_look_equal (plain, self->look))
    return;
  begin_change (self);
  px_edit_look_free (self->look);
  self->look = g_steal_pointer (&plain);
  show_look (self);
  end_change (self, TRUE);
}

/* ---- the controls ---- */

/* A choice is a step of its own; typing and sliding rest first. */
static void
on_tools_changed (PxEditorWindow *self,
                  gboolean        at_once)
{
  if (self->updating)
    return;
  begin_change (self);
  px_editor_tools_read (self->tools, self->look);
  end_change (self, at_once);
}

static void
turn (PxEditorWindow *self,
      guint           turns)
{
  begin_change (self);
  self->look->turns = (self->look->turns + turns) % 4;
  end_change (self, TRUE);
}

static void
rotate_left_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  turn (PX_EDITOR_WINDOW (widget), 3);
}

static void
rotate_right_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  turn (PX_EDITOR_WINDOW (widget), 1);
}

static void
flip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);

  begin_change (self);
  self->look->flipped = !self->look->flipped;
  end_change (self, TRUE);
}

static gboolean
on_key_pressed (PxEditorWindow *self,
                guint           keyval,
                guint           keycode,
                GdkModifierType state)
{
  if (keyval != GDK_KEY_backslash || GTK_IS_EDITABLE (gtk_root_get_focus (GTK_ROOT (self))))
    return FALSE;
  self->holding = TRUE;
  show_picture (self);
  return TRUE;
}

static void
on_key_released (PxEditorWindow *self,
                 guint           keyval,
                 guint           keycode,
                 GdkModifierType state)
{
  if (keyval == GDK_KEY_backslash && self->holding)
    {
      self->holding = FALSE;
      show_picture (self);
    }
}

/* ---- save ---- */

typedef struct {
  gint64      parent_id;
  char       *file;
  PxRecipe   *recipe;
  GHashTable *tokens;
  gint64      id;
} Save;

static void
save_free (Save *save)
{
  g_free (save->file);
  px_recipe_free (save->recipe);
  g_hash_table_unref (save->tokens);
  g_free (save);
}

/* On the library's writer: the full size rendered, kept as an edit. */
static gboolean
save_edit (PxLibrary     *library,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Save *save = data;
  g_autofree char *contents = NULL;
  g_autofree char *json = px_recipe_to_json (save->recipe);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) png = NULL;
  gsize length;

  if (!g_file_get_contents (save->file, &contents, &length, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  png = px_recipe_render_png (save->recipe, bytes, save->tokens, 0, error);
  if (png == NULL)
    return FALSE;
  save->id = px_library_add_edit (library, save->parent_id, png, json, error);
  return save->id > 0;
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PxEditorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Save *save = NULL;
  g_autofree char *title = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &save, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          title = g_strdup_printf (_("The edit could not be saved: %s"), error->message);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
        }
      return;
    }
  self->saved_id = save->id;
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Saved as a new version in your library")));
  tell_library_changed (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);
  Save *save;

  close_step (self);
  if (self->image == NULL || px_edit_look_is_original (self->look))
    return;
  save = g_new0 (Save, 1);
  save->parent_id = self->image->id;
  save->file = g_strdup (self->image->file);
  save->recipe = px_edit_look_to_recipe (self->look);
  save->tokens = g_hash_table_ref (self->tokens);
  gtk_label_set_text (self->status_label, _("Saving…"));
  px_library_write_async (self->library, save_edit, save, (GDestroyNotify) save_free, self->cancellable, on_saved,
                          g_object_ref (self));
}

/* ---- Save As, a file outside the library ---- */

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxEditorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (!px_recipe_export_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("The file could not be saved: %s"), error->message);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title ? title : _("Saved")));
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  PxEditorWindow  *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                           : NULL;

  if (file != NULL && g_file_peek_path (file) != NULL)
    px_editor_window_save_as (self, g_file_peek_path (file));
  g_object_unref (chooser);
}

/* The edit at full size as a PNG at @path (written on a worker, whole or
 * not at all); a toast says when. */
void
px_editor_window_save_as (PxEditorWindow *self,
                          const char     *path)
{
  g_autoptr(PxRecipe) recipe = NULL;

  g_return_if_fail (PX_IS_EDITOR_WINDOW (self));

  if (self->image == NULL)
    return;
  recipe = px_edit_look_to_recipe (self->look);
  px_recipe_export_async (self->image->file, recipe, self->tokens, path, self->cancellable, on_exported,
                          g_object_ref (self));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Save Edited Image"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                                               _("_Cancel"));
  g_autofree char *name = g_strdup_printf ("edited-%" PRId64 ".png", self->image ? self->image->id : 0);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- opening ---- */

typedef struct {
  char            *file;
  cairo_surface_t *surface;
  double           scale;
} Open;

static void
open_free (Open *open)
{
  g_free (open->file);
  g_clear_pointer (&open->surface, cairo_surface_destroy);
  g_free (open);
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Open *open = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize length;

  if (!g_file_get_contents (open->file, &contents, &length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  open->surface = px_recipe_decode (bytes, PREVIEW_SIZE, &open->scale, &error);
  if (open->surface == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture_from_surface (open->surface), g_object_unref);
}

static void
on_decoded (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (source);
  Open *open = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  self->source = g_steal_pointer (&open->surface);
  self->scale = open->scale;
  /* Text a twelfth of the picture's shorter side, unless an edit said. */
  if (self->look->text == NULL || *self->look->text == '\0')
    {
      double full = MIN (cairo_image_surface_get_width (self->source), cairo_image_surface_get_height (self->source)) /
                    MAX (self->scale, 1e-6);

      self->look->text_size = CLAMP (round (full / 12), 8, 400);
      show_look (self);
    }
  g_set_object (&self->original, texture);
  g_set_object (&self->edited, texture);
  show_picture (self);
  update_actions (self);
  render (self);
}

static void
start_with (PxEditorWindow       *self,
            const PxLibraryImage *original,
            const char           *recipe_json)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_decoded, NULL);
  Open *open = g_new0 (Open, 1);

  g_clear_pointer (&self->image, px_library_image_free);
  self->image = px_library_image_copy (original);
  if (!g_hash_table_contains (self->bases, &original->id))
    {
      PxLibraryImage *base = px_library_image_copy (original);

      g_hash_table_insert (self->bases, &base->id, base);
    }
  g_hash_table_unref (self->tokens);
  self->tokens = px_json_to_table (original->tokens_json ? original->tokens_json : "{}");
  px_editor_tools_set_tokens (self->tools, self->tokens);
  px_editor_ai_panel_set_image (self->ai_panel, self->image, self->tokens);
  if (recipe_json != NULL)
    {
      g_autoptr(PxRecipe) recipe = px_recipe_new_from_json (recipe_json, -1, NULL);
      PxEditLook *look = recipe ? px_edit_look_from_recipe (recipe) : NULL;

      if (look != NULL)
        {
          px_edit_look_free (self->look);
          self->look = look;
          show_look (self);
        }
      else
        gtk_label_set_text (self->status_label, _("This edit has steps the Editor does not show; it starts from "
                                                  "the original."));
    }
  open->file = g_strdup (original->file);
  g_task_set_task_data (task, open, (GDestroyNotify) open_free);
  g_task_run_in_thread (task, decode_in_thread);
}

typedef struct {
  gint64          id;
  char           *recipe_json;
  PxLibraryImage *parent;
} ParentRead;

static void
parent_read_free (ParentRead *read)
{
  g_free (read->recipe_json);
  px_library_image_free (read->parent);
  g_free (read);
}

static gboolean
read_parent (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ParentRead *read = data;

  read->parent = px_library_get_image (library, read->id, error);
  return read->parent != NULL;
}

static void
on_parent_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PxEditorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ParentRead *read = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  start_with (self, read->parent, read->recipe_json);
}

/* The main window, which shows the library: a dialog's dialog's parent. */
static void
tell_library_changed (PxEditorWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  while (parent != NULL && !PX_IS_WINDOW (parent))
    parent = gtk_window_get_transient_for (parent);
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.library-changed", NULL);
}

static void
on_version_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PxEditorWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ParentRead *read = NULL;
  g_autofree char *title = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  /* The model's answer is the picture now, plain; undo goes back to the
   * picture and look before it (both stay in the library). */
  close_step (self);
  px_edit_history_push (self->history, self->look, self->image->id);
  px_edit_look_free (self->look);
  self->look = px_edit_look_new ();
  show_look (self);
  g_clear_pointer (&self->source, cairo_surface_destroy);
  start_with (self, read->parent, NULL);
  update_actions (self);
  title = g_strdup_printf (_("%s made a new version; the Editor now works on it"), read->parent->model);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* An AI edit was kept: the Gallery shows it, the Editor goes on with it. */
static void
on_ai_edited (PxEditorWindow *self,
              gint64          id)
{
  ParentRead *read = g_new0 (ParentRead, 1);

  self->saved_id = id;
  tell_library_changed (self);
  read->id = id;
  px_library_read_async (self->library, read_parent, read, (GDestroyNotify) parent_read_free, self->cancellable,
                         on_version_read, g_object_ref (self));
}

/* Editing an edit opens its original with the edit's settings, so it can
 * be changed (or reverted) rather than edited on top. */
PxEditorWindow *
px_editor_window_new (GtkWindow            *parent,
                      PxLibrary            *library,
                      const PxLibraryImage *image)
{
  PxEditorWindow *self = g_object_new (PX_TYPE_EDITOR_WINDOW, "transient-for", parent, NULL);
  GApplication *app = g_application_get_default ();

  self->library = g_object_ref (library);
  px_editor_ai_panel_setup (self->ai_panel, PX_IS_APPLICATION (app) ? px_application_get_engine (PX_APPLICATION (app))
                                                                    : NULL, library, self->canvas);
  if (image->recipe_json != NULL && image->parent_id > 0)
    {
      ParentRead *read = g_new0 (ParentRead, 1);

      read->id = image->parent_id;
      read->recipe_json = g_strdup (image->recipe_json);
      px_library_read_async (library, read_parent, read, (GDestroyNotify) parent_read_free, self->cancellable,
                             on_parent_read, g_object_ref (self));
    }
  else
    start_with (self, image, NULL);
  return self;
}

PxRecipe *
px_editor_window_get_recipe (PxEditorWindow *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_WINDOW (self), NULL);

  return px_edit_look_to_recipe (self->look);
}

/* The preview is up and nothing is waiting to be drawn. */
gboolean
px_editor_window_is_ready (PxEditorWindow *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_WINDOW (self), FALSE);

  return self->source != NULL && !self->rendering && !self->dirty;
}

/* The id of the version saved last, or 0. */
gint64
px_editor_window_get_saved_id (PxEditorWindow *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_WINDOW (self), 0);

  return self->saved_id;
}

/* The library image the Editor works on (an AI edit's answer, after one). */
gint64
px_editor_window_get_image_id (PxEditorWindow *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_WINDOW (self), 0);

  return self->image ? self->image->id : 0;
}

/* ---- zoom ---- */

static void
show_zoom (PxEditorWindow *self)
{
  double zoom = px_editor_canvas_get_zoom (self->canvas);
  g_autofree char *label = g_strdup_printf ("%.0f%%", zoom * 100);
  /* Translators: the zoom level, 100% being the picture fitted to the window. */
  g_autofree char *spoken = g_strdup_printf (_("Zoom %.0f percent; fit the picture"), zoom * 100);

  gtk_button_set_label (self->zoom_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->zoom_button), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.zoom-out", zoom > 1);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (widget);

  if (g_str_equal (action_name, "editor.zoom-in"))
    px_editor_canvas_zoom_by (self->canvas, 1.25);
  else if (g_str_equal (action_name, "editor.zoom-out"))
    px_editor_canvas_zoom_by (self->canvas, 1 / 1.25);
  else
    px_editor_canvas_set_zoom (self->canvas, 1);
}

/* ---- life ---- */

/* Narrow (a phone, a tiled half screen): the picture above the tools. */
static void
on_width_changed (PxEditorWindow *self)
{
  int width = 0, height = 0;
  GtkOrientation orientation;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  orientation = width > 0 && width < 700 ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) == orientation)
    return;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
  gtk_paned_set_position (self->paned, orientation == GTK_ORIENTATION_VERTICAL ? MAX (160, width * 3 / 4)
                                                                                : MAX (300, width - 380));
}

static void
px_editor_window_dispose (GObject *object)
{
  PxEditorWindow *self = PX_EDITOR_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->step_source, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->library);
  g_clear_pointer (&self->image, px_library_image_free);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->source, cairo_surface_destroy);
  g_clear_object (&self->original);
  g_clear_object (&self->edited);
  g_clear_pointer (&self->look, px_edit_look_free);
  g_clear_pointer (&self->history, px_edit_history_free);
  g_clear_pointer (&self->bases, g_hash_table_unref);

  G_OBJECT_CLASS (px_editor_window_parent_class)->dispose (object);
}

static void
px_editor_window_class_init (PxEditorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_editor_window_dispose;

  g_type_ensure (PX_TYPE_EDITOR_CANVAS);
  g_type_ensure (PX_TYPE_EDITOR_TOOLS);
  g_type_ensure (PX_TYPE_EDITOR_AI_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-editor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, original_button);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, tools);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, ai_panel);
  gtk_widget_class_bind_template_child (widget_class, PxEditorWindow, status_label);

  gtk_widget_class_install_action (widget_class, "editor.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "editor.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "editor.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "editor.rotate-left", NULL, rotate_left_action);
  gtk_widget_class_install_action (widget_class, "editor.rotate-right", NULL, rotate_right_action);
  gtk_widget_class_install_action (widget_class, "editor.flip", NULL, flip_action);
  gtk_widget_class_install_action (widget_class, "editor.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "editor.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "editor.zoom-fit", NULL, zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "editor.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "editor.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "editor.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "editor.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "editor.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "editor.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "editor.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "editor.save-as",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
px_editor_window_init (PxEditorWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->look = px_edit_look_new ();
  self->history = px_edit_history_new ();
  self->bases = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) px_library_image_free);
  self->tokens = g_hash_table_new (g_str_hash, g_str_equal);
  px_editor_tools_show (self->tools, self->look);

  g_signal_connect_swapped (self->tools, "changed", G_CALLBACK (on_tools_changed), self);
  g_signal_connect_swapped (self->ai_panel, "edited", G_CALLBACK (on_ai_edited), self);
  g_signal_connect_swapped (self->canvas, "zoom-changed", G_CALLBACK (show_zoom), self);
  g_signal_connect_swapped (self->original_button, "toggled", G_CALLBACK (show_picture), self);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect_swapped (keys, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_width_changed), NULL);
  show_zoom (self);
  update_actions (self);
}
