/* px-editor-ai-panel.c: an edit by instruction. The picture goes as it is
 * shown: the file itself when it has no edits, otherwise the edits
 * rendered at full size (on a worker, with the mask made at that size from
 * the painted strokes). The engine paces, prices and checks the request as
 * it does a generation; a mask goes to OpenAI models only, as OpenAI
 * documents it. The answer is kept in the library as a new version of the
 * image, with its instruction, even when the Editor has been closed
 * meanwhile (it was paid for); "edited" says which. The provider's own
 * words show when it refuses. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-editor-ai-panel.h"
#include "px-image-check.h"
#include "px-key-ensure.h"
#include "px-mask.h"
#include "px-provider.h"
#include "px-tokens.h"

struct _PxEditorAiPanel
{
  GtkBox           parent_instance;

  PxEngine        *engine;
  PxLibrary       *library;
  PxEditorCanvas  *canvas;
  PxLibraryImage  *image;
  GHashTable      *tokens;
  PxRecipe        *recipe;
  GPtrArray       *models;          /* const PxModel *, those that edit */
  GCancellable    *cancellable;
  guint            pulse_source;

  AdwEntryRow     *instruction_row;
  AdwComboRow     *model_row;
  GtkLabel        *sends_label;
  AdwPreferencesGroup *mask_group;
  GtkSwitch       *paint_switch;
  AdwActionRow    *brush_row;
  AdwActionRow    *painted_row;
  GtkButton       *clear_button;
  GtkButton       *run_button;
  GtkButton       *cancel_button;
  GtkProgressBar  *progress;
  GtkLabel        *status_label;
  GtkScale        *brush_scale;
};

G_DEFINE_FINAL_TYPE (PxEditorAiPanel, px_editor_ai_panel, GTK_TYPE_BOX)

enum { EDITED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const PxModel *
chosen_model (PxEditorAiPanel *self)
{
  guint selected = adw_combo_row_get_selected (self->model_row);

  return self->models != NULL && selected < self->models->len ? g_ptr_array_index (self->models, selected) : NULL;
}

static gboolean
takes_mask (PxEditorAiPanel *self,
            const PxModel   *model)
{
  const PxProviderInfo *info = model && self->engine ? px_catalog_lookup_provider (px_engine_get_catalog (self->engine),
                                                                                   model->provider_id)
                                                     : NULL;

  return info != NULL && g_strcmp0 (info->wire, "openai") == 0;
}

static char *
resolved_instruction (PxEditorAiPanel *self,
                      GError         **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->instruction_row))));
  const PxModel *model = chosen_model (self);

  return px_tokens_resolve (text, self->tokens, model ? model->max_prompt_chars : 0, error);
}

static gboolean
is_running (PxEditorAiPanel *self)
{
  return self->cancellable != NULL;
}

/* The button says what it costs; the line under the instruction what is
 * sent; the mask tools show only for a model that takes a mask. */
static void
update (PxEditorAiPanel *self)
{
  const PxModel *model = chosen_model (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = resolved_instruction (self, &error);
  g_autofree char *label = NULL;
  g_autofree char *sends = NULL;
  g_autofree char *painted = NULL;
  GPtrArray *strokes = self->canvas ? px_editor_canvas_get_strokes (self->canvas) : NULL;
  guint n_strokes = strokes ? strokes->len : 0;
  gboolean mask = takes_mask (self, model);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->instruction_row));

  if (model != NULL)
    /* Translators: the button that sends the edit; the price is a guess before the provider answers. */
    label = g_strdup_printf (_("_Edit — about $%.2f"), px_model_price_per_image (model, NULL));
  gtk_button_set_label (self->run_button, label ? label : _("_Edit"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), model != NULL && resolved != NULL && *resolved != '\0' &&
                            self->image != NULL && !is_running (self));
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !is_running (self));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), is_running (self));

  if (resolved == NULL && *text != '\0')
    sends = g_strdup (error->message);
  else if (resolved != NULL && strchr (text, '[') != NULL)
    /* Translators: the instruction with this image's token values filled in. */
    sends = g_strdup_printf (_("Sends: %s"), resolved);
  gtk_label_set_text (self->sends_label, sends ? sends : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sends_label), sends != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->mask_group), mask);
  if (!mask && gtk_switch_get_active (self->paint_switch))
    gtk_switch_set_active (self->paint_switch, FALSE);
  painted = n_strokes == 0 ? g_strdup (_("Nothing painted: the model may change anything"))
                           : g_strdup_printf (ngettext ("%u stroke painted: only there may change",
                                                        "%u strokes painted: only there may change", n_strokes),
                                              n_strokes);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->painted_row), painted);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), n_strokes > 0);
}

static void
status (PxEditorAiPanel *self,
        const char      *text,
        gboolean         error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static gboolean
on_pulse (gpointer data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (data));
  return G_SOURCE_CONTINUE;
}

static void
set_running (PxEditorAiPanel *self,
             const char      *what)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress), what != NULL);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  if (what != NULL)
    {
      gtk_progress_bar_set_text (self->progress, what);
      self->pulse_source = g_timeout_add (120, on_pulse, self->progress);
    }
  else
    g_clear_object (&self->cancellable);
  update (self);
}

/* ---- keeping the answer ---- */

typedef struct {
  GWeakRef             panel;     /* the answer is kept even if the Editor went */
  PxLibrary           *library;
  gint64               parent_id;
  PxGenerationRequest *request;
  PxGenerationResult  *result;
  gint64               id;
} Keep;

static void
keep_free (Keep *keep)
{
  g_weak_ref_clear (&keep->panel);
  g_object_unref (keep->library);
  px_generation_request_free (keep->request);
  px_generation_result_free (keep->result);
  g_free (keep);
}

static gboolean
keep_in_library (PxLibrary     *library,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Keep *keep = data;

  for (guint i = 0; i < keep->result->images->len; i++)
    {
      gint64 id = px_library_add_ai_edit (library, keep->parent_id, keep->request, keep->result, i, error);

      if (id <= 0)
        return FALSE;
      if (keep->id == 0)
        keep->id = id;
    }
  return TRUE;
}

static void
on_kept (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Keep *keep = NULL;
  gboolean kept = px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &keep, &error);
  g_autoptr(PxEditorAiPanel) self = g_weak_ref_get (&keep->panel);

  if (self == NULL)
    return;
  set_running (self, NULL);
  if (!kept)
    {
      g_autofree char *message = g_strdup_printf (_("The edit was made but could not be kept in the library: %s"),
                                                  error->message);

      status (self, message, TRUE);
      return;
    }
  status (self, NULL, FALSE);
  g_signal_emit (self, signals[EDITED], 0, keep->id);
}

/* ---- asking ---- */

static void
on_edited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Keep *keep = user_data;
  g_autoptr(GError) error = NULL;

  g_autoptr(PxEditorAiPanel) self = g_weak_ref_get (&keep->panel);

  keep->result = px_engine_generate_finish (PX_ENGINE (source), result, &error);
  if (keep->result == NULL)
    {
      if (self != NULL)
        {
          set_running (self, NULL);
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
              !g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED))
            status (self, error->message, TRUE);
          else
            status (self, _("Cancelled"), FALSE);
        }
      keep_free (keep);
      return;
    }
  if (self != NULL)
    gtk_progress_bar_set_text (self->progress, _("Keeping the new version…"));
  /* No cancellable: what was paid for is kept. */
  px_library_write_async (keep->library, keep_in_library, keep, (GDestroyNotify) keep_free, NULL, on_kept, NULL);
}

/* On a worker: the picture as shown (the file, or the edits rendered at
 * full size) and the mask at its size. */
typedef struct {
  char       *file;
  char       *mime_type;
  PxRecipe   *recipe;      /* NULL: the file as it is */
  GHashTable *tokens;
  GPtrArray  *strokes;     /* NULL: no mask */
  GBytes     *image;
  GBytes     *mask;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_free (prepare->file);
  g_free (prepare->mime_type);
  g_clear_pointer (&prepare->recipe, px_recipe_free);
  g_hash_table_unref (prepare->tokens);
  g_clear_pointer (&prepare->strokes, g_ptr_array_unref);
  g_clear_pointer (&prepare->image, g_bytes_unref);
  g_clear_pointer (&prepare->mask, g_bytes_unref);
  g_free (prepare);
}

static void
prepare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Prepare *prepare = task_data;
  g_autofree char *contents = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize length;
  int width, height;

  if (!g_file_get_contents (prepare->file, &contents, &length, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (prepare->recipe != NULL)
    {
      prepare->image = px_recipe_render_png (prepare->recipe, bytes, prepare->tokens, 0, &error);
      g_free (prepare->mime_type);
      prepare->mime_type = g_strdup ("image/png");
    }
  else
    prepare->image = g_bytes_ref (bytes);
  if (prepare->image == NULL || !px_image_check (prepare->image, &mime, &width, &height, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (prepare->strokes != NULL)
    {
      prepare->mask = px_mask_render_png (prepare->strokes, width, height, &error);
      if (prepare->mask == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static PxGenerationRequest *
make_request (const char *model_id,
              const char *instruction,
              const char *template_text,
              GHashTable *tokens,
              Prepare    *prepare)
{
  PxGenerationRequest *request = px_generation_request_new (model_id, instruction);

  px_generation_request_set_template (request, template_text, tokens);
  px_generation_request_add_reference (request, prepare->image, prepare->mime_type);
  if (prepare->mask != NULL)
    px_generation_request_set_mask (request, prepare->mask);
  return request;
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PxEditorAiPanel *self = PX_EDITOR_AI_PANEL (source);
  Prepare *prepare = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *instruction = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *qualified = NULL;
  g_autofree char *asking = NULL;
  const PxModel *model = chosen_model (self);
  Keep *keep;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_running (self, NULL);
      status (self, error->message, TRUE);
      return;
    }
  instruction = resolved_instruction (self, &error);
  if (instruction == NULL || model == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      set_running (self, NULL);
      status (self, error ? error->message : _("Cancelled"), error != NULL);
      return;
    }
  template_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->instruction_row))));
  qualified = g_strdup_printf ("%s/%s", model->provider_id, model->id);
  keep = g_new0 (Keep, 1);
  g_weak_ref_init (&keep->panel, self);
  keep->library = g_object_ref (self->library);
  keep->parent_id = self->image->id;
  keep->request = make_request (qualified, instruction, template_text, self->tokens, prepare);
  asking = g_strdup_printf (_("Asking %s…"), model->name);
  gtk_progress_bar_set_text (self->progress, asking);
  /* The engine gets its own request; the one kept says what was sent. */
  px_engine_generate_async (self->engine, make_request (qualified, instruction, template_text, self->tokens, prepare),
                            self->cancellable, on_edited, keep);
}

static void
on_key_ready (GtkWidget  *from,
              gboolean    ready,
              const char *note)
{
  PxEditorAiPanel *self = PX_EDITOR_AI_PANEL (from);
  g_autoptr(GTask) task = NULL;
  Prepare *prepare;
  GPtrArray *strokes = px_editor_canvas_get_strokes (self->canvas);

  if (note != NULL)
    status (self, note, FALSE);
  if (!ready || self->image == NULL || is_running (self))
    return;
  self->cancellable = g_cancellable_new ();
  set_running (self, _("Getting the picture ready…"));
  prepare = g_new0 (Prepare, 1);
  prepare->file = g_strdup (self->image->file);
  prepare->mime_type = g_strdup (self->image->mime_type);
  prepare->recipe = self->recipe && px_recipe_get_n_ops (self->recipe) > 0 ? px_recipe_copy (self->recipe) : NULL;
  prepare->tokens = g_hash_table_ref (self->tokens);
  if (takes_mask (self, chosen_model (self)) && strokes->len > 0)
    prepare->strokes = px_mask_strokes_copy (strokes);
  task = g_task_new (self, self->cancellable, on_prepared, NULL);
  g_task_set_task_data (task, prepare, (GDestroyNotify) prepare_free);
  g_task_run_in_thread (task, prepare_in_thread);
}

/* Sends the instruction (the Edit button). */
void
px_editor_ai_panel_run (PxEditorAiPanel *self)
{
  const PxModel *model;

  g_return_if_fail (PX_IS_EDITOR_AI_PANEL (self));

  model = chosen_model (self);
  if (model == NULL || self->engine == NULL || self->image == NULL || is_running (self))
    return;
  status (self, NULL, FALSE);
  px_key_ensure (GTK_WIDGET (self), self->engine,
                 px_catalog_lookup_provider (px_engine_get_catalog (self->engine), model->provider_id),
                 on_key_ready);
}

gboolean
px_editor_ai_panel_is_running (PxEditorAiPanel *self)
{
  g_return_val_if_fail (PX_IS_EDITOR_AI_PANEL (self), FALSE);

  return is_running (self);
}

static void
on_cancel (PxEditorAiPanel *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---- what it works on ---- */

static void
fill_models (PxEditorAiPanel *self)
{
  g_autoptr(GPtrArray) offered = px_catalog_list_offered (px_engine_get_catalog (self->engine));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->models, g_ptr_array_unref);
  self->models = g_ptr_array_new ();
  for (guint i = 0; i < offered->len; i++)
    {
      const PxModel *model = g_ptr_array_index (offered, i);
      const PxProviderInfo *info = px_catalog_lookup_provider (px_engine_get_catalog (self->engine),
                                                               model->provider_id);
      g_autofree char *name = NULL;

      if (model->reference_images == 0 || model->unavailable)
        continue;
      /* Short: the row is as wide as its longest choice. */
      name = g_strdup_printf ("%s · %s", model->name, info ? info->name : model->provider_id);
      g_ptr_array_add (self->models, (gpointer) model);
      gtk_string_list_append (names, name);
    }
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (names));
}

/* Picks the model by id ("gpt-image-2" or "openai/gpt-image-2"). */
gboolean
px_editor_ai_panel_select_model (PxEditorAiPanel *self,
                                 const char      *model_id)
{
  g_return_val_if_fail (PX_IS_EDITOR_AI_PANEL (self), FALSE);

  for (guint i = 0; self->models != NULL && i < self->models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (self->models, i);
      g_autofree char *qualified = g_strdup_printf ("%s/%s", model->provider_id, model->id);

      if (g_strcmp0 (model->id, model_id) == 0 || g_strcmp0 (qualified, model_id) == 0)
        {
          adw_combo_row_set_selected (self->model_row, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
px_editor_ai_panel_setup (PxEditorAiPanel *self,
                          PxEngine        *engine,
                          PxLibrary       *library,
                          PxEditorCanvas  *canvas)
{
  g_return_if_fail (PX_IS_EDITOR_AI_PANEL (self));

  g_set_object (&self->engine, engine);
  g_set_object (&self->library, library);
  g_set_object (&self->canvas, canvas);
  g_signal_connect_object (canvas, "strokes-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  if (engine != NULL)
    fill_models (self);
  update (self);
}

/* The image an edit is a new version of, and its token values. */
void
px_editor_ai_panel_set_image (PxEditorAiPanel      *self,
                              const PxLibraryImage *image,
                              GHashTable           *tokens)
{
  g_return_if_fail (PX_IS_EDITOR_AI_PANEL (self));

  g_clear_pointer (&self->image, px_library_image_free);
  self->image = px_library_image_copy (image);
  g_hash_table_unref (self->tokens);
  self->tokens = g_hash_table_ref (tokens);
  update (self);
}

/* The classic edits shown: the picture is sent with them. */
void
px_editor_ai_panel_set_recipe (PxEditorAiPanel *self,
                               const PxRecipe  *recipe)
{
  g_return_if_fail (PX_IS_EDITOR_AI_PANEL (self));

  g_clear_pointer (&self->recipe, px_recipe_free);
  self->recipe = recipe ? px_recipe_copy (recipe) : NULL;
}

/* ---- painting ---- */

static void
on_paint_toggled (PxEditorAiPanel *self)
{
  gboolean on = gtk_switch_get_active (self->paint_switch) && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (self->canvas != NULL)
    px_editor_canvas_set_painting (self->canvas, on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->brush_row), gtk_switch_get_active (self->paint_switch));
}

static void
on_brush_changed (PxEditorAiPanel *self)
{
  if (self->canvas != NULL)
    px_editor_canvas_set_brush (self->canvas, gtk_range_get_value (GTK_RANGE (self->brush_scale)));
}

static void
on_clear (PxEditorAiPanel *self)
{
  if (self->canvas != NULL)
    px_editor_canvas_clear_strokes (self->canvas);
}

/* ---- life ---- */

static void
px_editor_ai_panel_dispose (GObject *object)
{
  PxEditorAiPanel *self = PX_EDITOR_AI_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_EDITOR_AI_PANEL);
  g_clear_object (&self->engine);
  g_clear_object (&self->library);
  g_clear_object (&self->canvas);
  g_clear_pointer (&self->image, px_library_image_free);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->recipe, px_recipe_free);
  g_clear_pointer (&self->models, g_ptr_array_unref);

  G_OBJECT_CLASS (px_editor_ai_panel_parent_class)->dispose (object);
}

static void
px_editor_ai_panel_class_init (PxEditorAiPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_editor_ai_panel_dispose;

  signals[EDITED] = g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-editor-ai-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, instruction_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, model_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, sends_label);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, mask_group);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, paint_switch);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, brush_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, painted_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, run_button);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, progress);
  gtk_widget_class_bind_template_child (widget_class, PxEditorAiPanel, status_label);
}

static void
px_editor_ai_panel_init (PxEditorAiPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->tokens = g_hash_table_new (g_str_hash, g_str_equal);
  self->brush_scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.01, 0.2, 0.005));
  gtk_widget_set_name (GTK_WIDGET (self->brush_scale), "brush");
  gtk_widget_set_hexpand (GTK_WIDGET (self->brush_scale), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->brush_scale), 140, -1);
  gtk_range_set_value (GTK_RANGE (self->brush_scale), 0.05);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->brush_scale), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Brush size"),
                                  -1);
  adw_action_row_add_suffix (self->brush_row, GTK_WIDGET (self->brush_scale));
  gtk_widget_set_sensitive (GTK_WIDGET (self->brush_row), FALSE);

  g_signal_connect_swapped (self->instruction_row, "changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->instruction_row, "entry-activated", G_CALLBACK (px_editor_ai_panel_run), self);
  g_signal_connect_swapped (self->model_row, "notify::selected", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->paint_switch, "notify::active", G_CALLBACK (on_paint_toggled), self);
  g_signal_connect_swapped (self->brush_scale, "value-changed", G_CALLBACK (on_brush_changed), self);
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (on_clear), self);
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (px_editor_ai_panel_run), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel), self);
  g_signal_connect (self, "map", G_CALLBACK (on_paint_toggled), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (on_paint_toggled), NULL);
}
