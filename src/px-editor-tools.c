/* px-editor-tools.c: the Editor's classic tools. A choice (a crop shape, a
 * filter, a logo) is a step of its own and says so with "changed" (TRUE);
 * sliding and typing say FALSE, and the Editor makes them a step once they
 * rest. The text is written in the prompt editor's token editor, with the
 * image's own tokens as chips to click or drag in, and a line under it
 * reading the text as this image fills it. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-editor-tools.h"
#include "px-token-editor.h"
#include "px-tokens.h"

enum { ADJUST_EXPOSURE, ADJUST_CONTRAST, ADJUST_SATURATION, ADJUST_WARMTH, ADJUST_SHARPEN, N_ADJUST };

struct _PxEditorTools
{
  GtkBox               parent_instance;

  GHashTable          *tokens;
  char                *logo;
  gboolean             updating;

  AdwPreferencesGroup *crop_group;
  AdwComboRow         *aspect_row;
  AdwPreferencesGroup *adjust_group;
  AdwComboRow         *filter_row;
  PxTokenEditor       *text_editor;
  GtkFlowBox          *chips;
  GtkLabel            *text_preview;
  AdwComboRow         *position_row;
  AdwComboRow         *colour_row;
  AdwComboRow         *font_row;
  AdwActionRow        *text_size_row;
  GtkSwitch           *meme_switch;
  AdwPreferencesGroup *logo_group;
  AdwActionRow        *logo_row;
  GtkButton           *choose_logo;
  GtkButton           *remove_logo;
  AdwComboRow         *corner_row;
  AdwComboRow         *enlarge_row;
  GtkScale            *straighten;
  GtkScale            *adjust[N_ADJUST];
  GtkScale            *logo_scale;
  GtkScale            *logo_opacity;
  GtkSpinButton       *size_spin;
};

G_DEFINE_FINAL_TYPE (PxEditorTools, px_editor_tools, GTK_TYPE_BOX)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const guint enlargements[] = { 1, 2, 4 };

static void
emit_changed (PxEditorTools *self,
              gboolean       at_once)
{
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0, at_once);
}

static void
on_choice_changed (PxEditorTools *self)
{
  /* The meme look has its own type. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->font_row), !gtk_switch_get_active (self->meme_switch));
  emit_changed (self, TRUE);
}

static void
on_slide (PxEditorTools *self)
{
  emit_changed (self, FALSE);
}

/* ---- the text and its tokens ---- */

static void
update_preview (PxEditorTools *self)
{
  g_autofree char *text = px_token_editor_get_text (self->text_editor);
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *line = NULL;

  if (*text == '\0' || strchr (text, '[') == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->text_preview), FALSE);
      return;
    }
  resolved = px_tokens_resolve (text, self->tokens, 0, &error);
  /* Translators: the text on the image as this image's token values fill it. */
  line = resolved ? g_strdup_printf (_("Reads: %s"), resolved) : g_strdup (error->message);
  gtk_label_set_text (self->text_preview, line);
  gtk_widget_set_visible (GTK_WIDGET (self->text_preview), TRUE);
}

static void
on_text_changed (PxEditorTools *self)
{
  update_preview (self);
  emit_changed (self, FALSE);
}

static void
on_chip_clicked (GtkButton     *chip,
                 PxEditorTools *self)
{
  px_token_editor_insert_token (self->text_editor, g_object_get_data (G_OBJECT (chip), "token-text"));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_editor));
}

static GdkContentProvider *
on_chip_drag_prepare (GtkDragSource *source,
                      double         x,
                      double         y,
                      GtkWidget     *chip)
{
  g_autoptr(PxTokenDrag) drag = px_token_drag_new (g_object_get_data (G_OBJECT (chip), "token-text"), NULL);

  return gdk_content_provider_new_typed (PX_TYPE_TOKEN_DRAG, drag);
}

static GtkWidget *
make_chip (PxEditorTools *self,
           const char    *name)
{
  GtkWidget *chip = gtk_button_new_with_label (name);
  GtkDragSource *source = gtk_drag_source_new ();
  g_autofree char *tip = g_strdup_printf (_("Insert [%s] into the text, or drag it there"), name);
  g_autofree char *label = g_strdup_printf (_("Token %s"), name);

  gtk_widget_add_css_class (chip, "px-token");
  gtk_widget_add_css_class (chip, "flat");
  gtk_widget_set_tooltip_text (chip, tip);
  gtk_widget_set_name (chip, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (chip), "token-text", g_strdup_printf ("[%s]", name), g_free);
  g_signal_connect (chip, "clicked", G_CALLBACK (on_chip_clicked), self);
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_chip_drag_prepare), chip);
  gtk_widget_add_controller (chip, GTK_EVENT_CONTROLLER (source));
  return chip;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The image's own tokens, as chips and as what completion offers. */
void
px_editor_tools_set_tokens (PxEditorTools *self,
                            GHashTable    *tokens)
{
  g_autofree const char **names = NULL;
  guint n = 0;
  GtkWidget *child;

  g_return_if_fail (PX_IS_EDITOR_TOOLS (self));

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  self->tokens = g_hash_table_ref (tokens);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips))) != NULL)
    gtk_flow_box_remove (self->chips, child);
  names = (const char **) g_hash_table_get_keys_as_array (tokens, &n);
  qsort (names, n, sizeof *names, compare_names);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *chip = make_chip (self, names[i]);

      gtk_flow_box_append (self->chips, chip);
      /* One Tab stop per chip: the chip, not the box's cell around it. */
      gtk_widget_set_focusable (gtk_widget_get_parent (chip), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->chips), n > 0);
  px_token_editor_set_known_tokens (self->text_editor, names);
  update_preview (self);
}

/* ---- the logo ---- */

static void
show_logo (PxEditorTools *self)
{
  g_autofree char *name = self->logo ? g_filename_display_basename (self->logo) : NULL;
  gboolean has = self->logo != NULL;

  adw_action_row_set_subtitle (self->logo_row, has ? name : _("None"));
  gtk_widget_set_visible (GTK_WIDGET (self->remove_logo), has);
  gtk_widget_set_sensitive (GTK_WIDGET (self->corner_row), has);
  gtk_widget_set_sensitive (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->logo_scale))), has);
  gtk_widget_set_sensitive (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->logo_opacity))), has);
}

/* A logo laid on the image (a PNG with transparency works best); NULL
 * takes it off. */
void
px_editor_tools_set_logo (PxEditorTools *self,
                          const char    *path)
{
  g_return_if_fail (PX_IS_EDITOR_TOOLS (self));

  if (g_strcmp0 (self->logo, path) == 0)
    return;
  g_free (self->logo);
  self->logo = path && *path ? g_strdup (path) : NULL;
  show_logo (self);
  emit_changed (self, TRUE);
}

static void
on_logo_chosen (GtkNativeDialog *chooser,
                int              response,
                PxEditorTools   *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))
                                                           : NULL;

  if (file != NULL && g_file_peek_path (file) != NULL)
    px_editor_tools_set_logo (self, g_file_peek_path (file));
  g_object_unref (chooser);
}

static void
on_choose_logo (PxEditorTools *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Choose a Logo"), GTK_IS_WINDOW (root) ?
                                                               GTK_WINDOW (root) : NULL, GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Choose"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_logo_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_remove_logo (PxEditorTools *self)
{
  px_editor_tools_set_logo (self, NULL);
}

/* ---- the look, both ways ---- */

static guint
enlarge_index (guint factor)
{
  for (guint i = 0; i < G_N_ELEMENTS (enlargements); i++)
    if (enlargements[i] == factor)
      return i;
  return 0;
}

void
px_editor_tools_show (PxEditorTools    *self,
                      const PxEditLook *look)
{
  double values[N_ADJUST] = { look->exposure, look->contrast, look->saturation, look->warmth, look->sharpen };
  g_autofree char *text = NULL;

  g_return_if_fail (PX_IS_EDITOR_TOOLS (self));

  self->updating = TRUE;
  adw_combo_row_set_selected (self->aspect_row, look->aspect);
  gtk_range_set_value (GTK_RANGE (self->straighten), look->straighten);
  for (guint i = 0; i < N_ADJUST; i++)
    gtk_range_set_value (GTK_RANGE (self->adjust[i]), values[i]);
  adw_combo_row_set_selected (self->filter_row, look->filter);
  text = px_token_editor_get_text (self->text_editor);
  if (g_strcmp0 (text, look->text ? look->text : "") != 0)
    px_token_editor_set_text (self->text_editor, look->text ? look->text : "");
  adw_combo_row_set_selected (self->position_row, look->position);
  adw_combo_row_set_selected (self->colour_row, look->text_colour);
  adw_combo_row_set_selected (self->font_row, look->text_font);
  gtk_widget_set_sensitive (GTK_WIDGET (self->font_row), !look->meme);
  gtk_spin_button_set_value (self->size_spin, look->text_size);
  gtk_switch_set_active (self->meme_switch, look->meme);
  g_free (self->logo);
  self->logo = g_strdup (look->overlay);
  adw_combo_row_set_selected (self->corner_row, look->overlay_corner);
  gtk_range_set_value (GTK_RANGE (self->logo_scale), look->overlay_scale);
  gtk_range_set_value (GTK_RANGE (self->logo_opacity), look->overlay_opacity);
  adw_combo_row_set_selected (self->enlarge_row, enlarge_index (look->enlarge));
  show_logo (self);
  update_preview (self);
  self->updating = FALSE;
}

/* Everything but the turns and the flip, which are the Editor's actions. */
void
px_editor_tools_read (PxEditorTools *self,
                      PxEditLook    *look)
{
  guint enlarge = adw_combo_row_get_selected (self->enlarge_row);

  g_return_if_fail (PX_IS_EDITOR_TOOLS (self));

  look->aspect = adw_combo_row_get_selected (self->aspect_row);
  look->straighten = gtk_range_get_value (GTK_RANGE (self->straighten));
  look->exposure = gtk_range_get_value (GTK_RANGE (self->adjust[ADJUST_EXPOSURE]));
  look->contrast = gtk_range_get_value (GTK_RANGE (self->adjust[ADJUST_CONTRAST]));
  look->saturation = gtk_range_get_value (GTK_RANGE (self->adjust[ADJUST_SATURATION]));
  look->warmth = gtk_range_get_value (GTK_RANGE (self->adjust[ADJUST_WARMTH]));
  look->sharpen = gtk_range_get_value (GTK_RANGE (self->adjust[ADJUST_SHARPEN]));
  look->filter = adw_combo_row_get_selected (self->filter_row);
  g_free (look->text);
  look->text = px_token_editor_get_text (self->text_editor);
  look->position = adw_combo_row_get_selected (self->position_row);
  look->text_colour = adw_combo_row_get_selected (self->colour_row);
  look->text_font = adw_combo_row_get_selected (self->font_row);
  look->text_size = gtk_spin_button_get_value (self->size_spin);
  look->meme = gtk_switch_get_active (self->meme_switch);
  g_free (look->overlay);
  look->overlay = g_strdup (self->logo);
  look->overlay_corner = adw_combo_row_get_selected (self->corner_row);
  look->overlay_scale = gtk_range_get_value (GTK_RANGE (self->logo_scale));
  look->overlay_opacity = gtk_range_get_value (GTK_RANGE (self->logo_opacity));
  look->enlarge = enlargements[MIN (enlarge, G_N_ELEMENTS (enlargements) - 1)];
}

/* ---- life ---- */

static GtkScale *
add_scale (PxEditorTools       *self,
           AdwPreferencesGroup *group,
           const char          *title,
           const char          *name,
           double               min,
           double               max,
           double               step,
           double               mark)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (scale, name);
  gtk_widget_set_hexpand (scale, TRUE);
  gtk_widget_set_size_request (scale, 140, -1);
  gtk_scale_add_mark (GTK_SCALE (scale), mark, GTK_POS_BOTTOM, NULL);
  gtk_range_set_value (GTK_RANGE (scale), mark);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), scale);
  adw_preferences_group_add (group, row);
  g_signal_connect_swapped (scale, "value-changed", G_CALLBACK (on_slide), self);
  return GTK_SCALE (scale);
}

static void
px_editor_tools_dispose (GObject *object)
{
  PxEditorTools *self = PX_EDITOR_TOOLS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_EDITOR_TOOLS);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->logo, g_free);

  G_OBJECT_CLASS (px_editor_tools_parent_class)->dispose (object);
}

static void
px_editor_tools_class_init (PxEditorToolsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_editor_tools_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (PX_TYPE_TOKEN_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-editor-tools.ui");
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, crop_group);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, adjust_group);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, filter_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, text_editor);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, chips);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, text_preview);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, position_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, colour_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, font_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, text_size_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, meme_switch);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, logo_group);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, logo_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, choose_logo);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, remove_logo);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, corner_row);
  gtk_widget_class_bind_template_child (widget_class, PxEditorTools, enlarge_row);
}

static void
px_editor_tools_init (PxEditorTools *self)
{
  static const char *titles[N_ADJUST] = { N_("Exposure"), N_("Contrast"), N_("Saturation"), N_("Warmth"),
                                          N_("Sharpen") };
  static const char *names[N_ADJUST] = { "exposure", "contrast", "saturation", "warmth", "sharpen" };
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->tokens = g_hash_table_new (g_str_hash, g_str_equal);
  self->straighten = add_scale (self, self->crop_group, _("Straighten"), "straighten", -45, 45, 0.5, 0);
  for (guint i = 0; i < N_ADJUST; i++)
    self->adjust[i] = add_scale (self, self->adjust_group, _(titles[i]), names[i], i == ADJUST_SHARPEN ? 0 : -1, 1,
                                 0.01, 0);
  self->logo_scale = add_scale (self, self->logo_group, _("Logo Size"), "logo-size", 0.05, 1, 0.01, 0.2);
  self->logo_opacity = add_scale (self, self->logo_group, _("Opacity"), "logo-opacity", 0.1, 1, 0.01, 1);

  self->size_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (8, 400, 2));
  gtk_widget_set_name (GTK_WIDGET (self->size_spin), "text-size");
  gtk_widget_set_valign (GTK_WIDGET (self->size_spin), GTK_ALIGN_CENTER);
  gtk_spin_button_set_value (self->size_spin, 64);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->size_spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Text size"), -1);
  adw_action_row_add_suffix (self->text_size_row, GTK_WIDGET (self->size_spin));
  adw_action_row_set_activatable_widget (self->text_size_row, GTK_WIDGET (self->size_spin));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_editor));
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (on_text_changed), self);
  g_signal_connect_swapped (self->aspect_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->filter_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->position_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->colour_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->font_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->corner_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->enlarge_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->meme_switch, "notify::active", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->size_spin, "value-changed", G_CALLBACK (on_slide), self);
  g_signal_connect_swapped (self->choose_logo, "clicked", G_CALLBACK (on_choose_logo), self);
  g_signal_connect_swapped (self->remove_logo, "clicked", G_CALLBACK (on_remove_logo), self);
  show_logo (self);
}
