/* px-preferences-window.c: the Preferences window. Every control is bound
 * straight to its GSettings key, so there is nothing to apply or save. */
#include "config.h"

#include "px-preferences-window.h"

struct _PxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *concurrency_spin;
  GtkSpinButton        *cache_ttl_spin;
};

G_DEFINE_FINAL_TYPE (PxPreferencesWindow, px_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PxPreferencesWindow *
px_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (PX_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

static void
px_preferences_window_constructed (GObject *object)
{
  PxPreferencesWindow *self = PX_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (px_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "concurrency",
                   gtk_spin_button_get_adjustment (self->concurrency_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "cache-ttl-minutes",
                   gtk_spin_button_get_adjustment (self->cache_ttl_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
px_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PxPreferencesWindow *self = PX_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
px_preferences_window_dispose (GObject *object)
{
  PxPreferencesWindow *self = PX_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (px_preferences_window_parent_class)->dispose (object);
}

static void
px_preferences_window_class_init (PxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = px_preferences_window_constructed;
  object_class->set_property = px_preferences_window_set_property;
  object_class->dispose = px_preferences_window_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PxPreferencesWindow, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, PxPreferencesWindow, cache_ttl_spin);
}

static void
px_preferences_window_init (PxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
