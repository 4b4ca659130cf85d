/* px-model-settings.c: PxModelSettings, a preferences group that shows a
 * model's settings as rows (choices as combo rows, numbers as spin buttons,
 * text as entry rows, each with its current or default value) below the
 * rows the page puts in it, and emits "changed" when the user changes one.
 * The Generate and Batch pages share it. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-model-settings.h"

struct _PxModelSettings
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;       /* the setting rows (not the page's own) */
  GHashTable          *widgets;    /* name -> GtkWidget holding the value */
};

G_DEFINE_FINAL_TYPE (PxModelSettings, px_model_settings, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (PxModelSettings *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static const char *
setting_title (const char *name)
{
  static const struct {
    const char *name;
    const char *title;
  } titles[] = {
    { "size", N_("Size") },
    { "aspect_ratio", N_("Aspect Ratio") },
    { "quality", N_("Quality") },
    { "style", N_("Style") },
    { "count", N_("Images") },
    { "background", N_("Background") },
    { "output_format", N_("Format") },
    { "image_size", N_("Resolution") },
    { "person_generation", N_("People") },
    { "steps", N_("Steps") },
    { "cfg_scale", N_("Prompt Strength") },
    { "seed", N_("Seed") },
    { "negative_prompt", N_("Negative Prompt") },
    { "denoising_strength", N_("Reference Strength") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (titles[i].name, name))
      return _(titles[i].title);
  return name;
}

/* What a choice reads as: the provider's words for it (auto, medium,
 * allow_adult) are kept as the value sent, and shown in the user's
 * language; sizes, ratios and numbers are shown as they are. */
static const struct { const char *value; const char *label; } choice_labels[] = {
  { "auto", N_("Automatic") },
  { "low", N_("Low") },
  { "medium", N_("Medium") },
  { "high", N_("High") },
  { "standard", N_("Standard") },
  { "hd", N_("HD") },
  { "transparent", N_("Transparent") },
  { "opaque", N_("Opaque") },
  { "vivid", N_("Vivid") },
  { "natural", N_("Natural") },
  { "allow_all", N_("Anyone") },
  { "allow_adult", N_("Adults Only") },
  { "dont_allow", N_("No People") },
  { "png", N_("PNG") },
  { "jpeg", N_("JPEG") },
  { "webp", N_("WebP") },
};

static char *
choice_label (GtkStringObject *item)
{
  const char *value = item != NULL ? gtk_string_object_get_string (item) : "";

  for (guint i = 0; i < G_N_ELEMENTS (choice_labels); i++)
    if (g_str_equal (value, choice_labels[i].value))
      return g_strdup (_(choice_labels[i].label));
  return g_strdup (value);
}

static char *
setting_value (GtkWidget *widget)
{
  if (ADW_IS_COMBO_ROW (widget))
    {
      GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (widget));

      return item ? g_strdup (gtk_string_object_get_string (item)) : NULL;
    }
  if (GTK_IS_SPIN_BUTTON (widget))
    return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
  if (GTK_IS_EDITABLE (widget))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
  return NULL;
}

PxModelSettings *
px_model_settings_new (void)
{
  return g_object_new (PX_TYPE_MODEL_SETTINGS, NULL);
}

static void
px_model_settings_finalize (GObject *object)
{
  PxModelSettings *self = PX_MODEL_SETTINGS (object);

  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->widgets);

  G_OBJECT_CLASS (px_model_settings_parent_class)->finalize (object);
}

static void
px_model_settings_class_init (PxModelSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_model_settings_finalize;

  /* The user changed a setting (not emitted while show() builds the rows). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
px_model_settings_init (PxModelSettings *self)
{
  self->rows = g_ptr_array_new ();
  self->widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

GHashTable *
px_model_settings_get_values (PxModelSettings *self)
{
  GHashTable *settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer name, widget;

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, &name, &widget))
    {
      char *value = setting_value (widget);

      if (value != NULL)
        g_hash_table_insert (settings, g_strdup (name), value);
    }
  return settings;
}

/* The rows for model's settings; values from wanted where the model takes
 * them, else its defaults. */
void
px_model_settings_show (PxModelSettings *self,
                        const PxModel   *model,
                        GHashTable      *wanted)
{
  g_return_if_fail (PX_IS_MODEL_SETTINGS (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->widgets);

  for (guint i = 0; model != NULL && i < model->settings->len; i++)
    {
      const PxSettingSpec *spec = g_ptr_array_index (model->settings, i);
      const char *value = wanted ? g_hash_table_lookup (wanted, spec->name) : NULL;
      GtkWidget *row, *widget;

      if (spec->kind == PX_SETTING_CHOICE)
        {
          g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) spec->values);
          guint selected = 0;

          row = widget = adw_combo_row_new ();
          adw_combo_row_set_expression (ADW_COMBO_ROW (row),
                                        gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                     G_CALLBACK (choice_label), NULL, NULL));
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
          for (guint v = 0; spec->values[v] != NULL; v++)
            if (g_strcmp0 (spec->values[v], value ? value : spec->default_value) == 0)
              selected = v;
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
          g_signal_connect_object (row, "notify::selected", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
        }
      else if (spec->kind == PX_SETTING_INTEGER)
        {
          gint64 number = g_ascii_strtoll (value ? value : (spec->default_value ? spec->default_value : "0"), NULL, 10);

          row = adw_action_row_new ();
          widget = gtk_spin_button_new_with_range (spec->min, spec->max, 1);
          gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), CLAMP (number, spec->min, spec->max));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
          g_signal_connect_object (widget, "value-changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
        }
      else
        {
          row = widget = adw_entry_row_new ();
          gtk_editable_set_text (GTK_EDITABLE (row), value ? value : (spec->default_value ? spec->default_value : ""));
          g_signal_connect_object (row, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), setting_title (spec->name));
      gtk_widget_set_name (widget, spec->name);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
      g_hash_table_insert (self->widgets, g_strdup (spec->name), widget);
    }
}
