/* px-preferences-window.c: the Preferences window. General settings are
 * bound straight to their GSettings keys, so there is nothing to apply or
 * save. Providers: a key per provider (into the keyring, never shown back
 * whole), a connection test, and the address of local servers. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-adaptive.h"
#include "px-credentials.h"
#include "px-budget-group.h"
#include "px-preferences-window.h"

struct _PxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  PxEngine             *engine;
  GCancellable         *cancellable;
  GPtrArray            *model_ids;

  GtkSpinButton        *cache_ttl_spin;
  AdwComboRow          *default_model_row;
  AdwPreferencesPage   *providers_page;
  AdwPreferencesPage  *general_page;
};

G_DEFINE_FINAL_TYPE (PxPreferencesWindow, px_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What one provider's group holds. */
typedef struct {
  PxPreferencesWindow  *window;
  const PxProviderInfo *info;
  AdwPreferencesGroup  *group;
  AdwPasswordEntryRow  *key_row;
  AdwActionRow         *status_row;
  GtkButton            *test_button;
  GtkButton            *remove_button;
  GtkSpinButton        *concurrency_spin;
  GtkSpinButton        *rpm_spin;
} ProviderRows;

PxPreferencesWindow *
px_preferences_window_new (GSettings *settings,
                           PxEngine  *engine)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (PX_IS_ENGINE (engine), NULL);

  return g_object_new (PX_TYPE_PREFERENCES_WINDOW, "settings", settings, "engine", engine, NULL);
}

/* The monthly budgets, kept in @library (its spending is there too). */
void
px_preferences_window_set_library (PxPreferencesWindow *self,
                                   PxLibrary           *library)
{
  g_return_if_fail (PX_IS_PREFERENCES_WINDOW (self));

  if (library != NULL)
    adw_preferences_page_add (self->general_page,
                              ADW_PREFERENCES_GROUP (px_budget_group_new (library,
                                                                          px_engine_get_catalog (self->engine))));
}

static void
set_status (ProviderRows *rows,
            const char   *text,
            gboolean      error)
{
  adw_action_row_set_subtitle (rows->status_row, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (rows->status_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (rows->status_row), "error");
}

/* "Saved in the keyring (…1a2b)": enough to recognise a key, not to use it. */
static void
show_key_state (ProviderRows *rows,
                const char   *key,
                const char   *source)
{
  g_autofree char *text = NULL;
  gsize length = key ? strlen (key) : 0;

  if (rows->info->key_policy == PX_KEY_NONE)
    text = g_strdup (_("No key needed"));
  else if (length == 0)
    text = g_strdup (rows->info->key_policy == PX_KEY_OPTIONAL ? _("No key (this server may not need one)") : _("No key yet"));
  else
    text = g_strdup_printf (_("Key %s (…%s)"), source, key + length - MIN (length, 4));
  set_status (rows, text, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (rows->remove_button), length > 0 && g_strcmp0 (source, _("from the keyring")) == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (rows->test_button), length > 0 || rows->info->key_policy != PX_KEY_REQUIRED);
}

static void
on_key_found (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ProviderRows *rows = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = px_credentials_find_finish (result, &error);
  const char *env = rows->info->key_env ? g_getenv (rows->info->key_env) : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      set_status (rows, error->message, TRUE);
      return;
    }
  if (key != NULL)
    px_engine_set_api_key (rows->window->engine, rows->info->id, key);
  show_key_state (rows, key, env != NULL && *env != '\0' ? rows->info->key_env : _("from the keyring"));
  if (key != NULL)
    memset (key, 0, strlen (key));
}

static void
refresh_key (ProviderRows *rows)
{
  px_credentials_find_async (rows->info, rows->window->cancellable, on_key_found, rows);
}

/* A key saved or removed: show what the keyring has now. */
static void
on_keyring_changed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ProviderRows *rows = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed = g_async_result_is_tagged (result, px_credentials_clear_async);

  if (!(removed ? px_credentials_clear_finish (result, &error) : px_credentials_store_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (rows, error->message, TRUE);
      return;
    }
  if (removed)
    px_engine_set_api_key (rows->window->engine, rows->info->id, NULL);
  refresh_key (rows);
}

static void
on_list_refreshed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A wrong key shows when the user tests it or uses it. */
  if (!px_engine_check_finish (PX_ENGINE (source), result, &error))
    g_debug ("No model list for the new key: %s", error->message);
}

static void
on_key_apply (AdwEntryRow  *row,
              ProviderRows *rows)
{
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  /* Out of the entry at once: the keyring has it now. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  if (*key == '\0')
    return;
  px_engine_set_api_key (rows->window->engine, rows->info->id, key);
  px_credentials_store_async (rows->info->id, rows->info->name, key, rows->window->cancellable, on_keyring_changed, rows);
  memset (key, 0, strlen (key));
  /* A new key: which models can this account use? Quietly; Test says more. */
  px_engine_check_async (rows->window->engine, rows->info->id, rows->window->cancellable, on_list_refreshed, NULL);
}

static void
on_remove_clicked (GtkButton    *button,
                   ProviderRows *rows)
{
  px_credentials_clear_async (rows->info->id, rows->window->cancellable, on_keyring_changed, rows);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ProviderRows *rows = user_data;
  g_autoptr(GError) error = NULL;

  if (px_engine_check_finish (PX_ENGINE (source), result, &error))
    set_status (rows, _("Connected: the key and the address work"), FALSE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (rows, error->message, TRUE);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_set_sensitive (GTK_WIDGET (rows->test_button), TRUE);
}

static void
on_test_clicked (GtkButton    *button,
                 ProviderRows *rows)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  set_status (rows, _("Testing…"), FALSE);
  px_engine_check_async (rows->window->engine, rows->info->id, rows->window->cancellable, on_tested, rows);
}

static void
on_address_apply (AdwEntryRow  *row,
                  ProviderRows *rows)
{
  GSettings *settings = rows->window->settings;
  g_autoptr(GVariant) urls = g_settings_get_value (settings, "base-urls");
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;
  g_autoptr(GUri) uri = NULL;

  if (*address != '\0' &&
      ((uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL)) == NULL ||
       (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)))
    {
      set_status (rows, _("The address must start with http:// or https://, like http://127.0.0.1:7860"), TRUE);
      return;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, urls);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, rows->info->id))
      g_variant_builder_add (&builder, "{ss}", key, value);
  if (*address != '\0')
    g_variant_builder_add (&builder, "{ss}", rows->info->id, address);
  g_settings_set_value (settings, "base-urls", g_variant_builder_end (&builder));
  set_status (rows, *address ? _("Address saved; test the connection to check it") : _("Using the default address"), FALSE);
}

/* 0 reads "Automatic". */
static gboolean
on_limit_output (GtkSpinButton *spin)
{
  int value = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = value > 0 ? g_strdup_printf ("%d", value) : g_strdup (_("Automatic"));

  /* Through the spin's own text: setting it on the spin button itself
   * does not reach the text in GTK 4.8. */
  gtk_editable_set_text (gtk_editable_get_delegate (GTK_EDITABLE (spin)), text);
  return TRUE;
}

static int
on_limit_input (GtkSpinButton *spin,
                double        *value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));

  *value = g_ascii_strtod (text, NULL);
  return TRUE;
}

static void
on_limit_changed (ProviderRows *rows)
{
  GSettings *settings = rows->window->settings;
  g_autoptr(GVariant) limits = g_settings_get_value (settings, "provider-limits");
  int concurrency = gtk_spin_button_get_value_as_int (rows->concurrency_spin);
  int rpm = gtk_spin_button_get_value_as_int (rows->rpm_spin);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  int c, r;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(ii)}"));
  g_variant_iter_init (&iter, limits);
  while (g_variant_iter_next (&iter, "{&s(ii)}", &key, &c, &r))
    if (!g_str_equal (key, rows->info->id))
      g_variant_builder_add (&builder, "{s(ii)}", key, c, r);
  if (concurrency > 0 || rpm > 0)
    g_variant_builder_add (&builder, "{s(ii)}", rows->info->id, concurrency, rpm);
  g_settings_set_value (settings, "provider-limits", g_variant_builder_end (&builder));
}

static GtkSpinButton *
add_limit_row (ProviderRows *rows,
               const char   *title,
               const char   *subtitle,
               const char   *name,
               int           upper,
               int           value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, name);
  /* Wide enough for "Automatic" as the language writes it ("Automatisch"). */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), MAX (9, (int) g_utf8_strlen (_("Automatic"), -1) + 1));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  g_signal_connect (spin, "output", G_CALLBACK (on_limit_output), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (on_limit_input), NULL);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (on_limit_changed), rows);
  on_limit_output (GTK_SPIN_BUTTON (spin));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_group_add (rows->group, row);
  return GTK_SPIN_BUTTON (spin);
}

static void
add_provider (PxPreferencesWindow  *self,
              const PxProviderInfo *info)
{
  ProviderRows *rows = g_new0 (ProviderRows, 1);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *base_url = px_engine_get_base_url (self->engine, info->id);

  rows->window = self;
  rows->info = info;
  rows->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (rows->group, info->name);
  gtk_widget_set_name (GTK_WIDGET (rows->group), info->id);
  g_object_set_data_full (G_OBJECT (rows->group), "rows", rows, g_free);

  rows->status_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->status_row), _("Status"));
  gtk_widget_set_name (GTK_WIDGET (rows->status_row), "status");
  rows->test_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Test")));
  rows->remove_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Remove Key")));
  gtk_widget_set_name (GTK_WIDGET (rows->test_button), "test");
  gtk_widget_set_name (GTK_WIDGET (rows->remove_button), "remove");
  gtk_widget_add_css_class (GTK_WIDGET (rows->remove_button), "destructive-action");
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (rows->test_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (rows->remove_button));
  /* On a narrow window the labels wrap, leaving the row's title room. */
  px_adaptive_wrap_button_labels (buttons);
  adw_action_row_add_suffix (rows->status_row, buttons);
  g_signal_connect (rows->test_button, "clicked", G_CALLBACK (on_test_clicked), rows);
  g_signal_connect (rows->remove_button, "clicked", G_CALLBACK (on_remove_clicked), rows);

  if (info->key_policy != PX_KEY_NONE)
    {
      rows->key_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->key_row),
                                     info->key_policy == PX_KEY_REQUIRED ? _("New API Key") : _("New Key or USER:PASSWORD"));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (rows->key_row), TRUE);
      gtk_widget_set_name (GTK_WIDGET (rows->key_row), "key");
      g_signal_connect (rows->key_row, "apply", G_CALLBACK (on_key_apply), rows);
      adw_preferences_group_add (rows->group, GTK_WIDGET (rows->key_row));
    }

  /* Local servers: where they listen. */
  if (info->key_policy == PX_KEY_OPTIONAL)
    {
      GtkWidget *address = adw_entry_row_new ();
      g_autoptr(GVariant) urls = g_settings_get_value (self->settings, "base-urls");
      const char *saved = NULL;

      g_variant_lookup (urls, info->id, "&s", &saved);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (address), _("Server Address"));
      gtk_editable_set_text (GTK_EDITABLE (address), saved ? saved : base_url);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (address), TRUE);
      gtk_widget_set_name (address, "address");
      g_signal_connect (address, "apply", G_CALLBACK (on_address_apply), rows);
      adw_preferences_group_add (rows->group, address);
    }

  /* Automatic: what the provider allows, learned from its answers. */
  {
    g_autoptr(GVariant) limits = g_settings_get_value (self->settings, "provider-limits");
    int concurrency = 0, rpm = 0;

    g_variant_lookup (limits, info->id, "(ii)", &concurrency, &rpm);
    rows->concurrency_spin = add_limit_row (rows, _("Requests at _Once"),
                                            _("Automatic: the provider's usual, more when a batch asks for it"),
                                            "concurrency", 32, concurrency);
    rows->rpm_spin = add_limit_row (rows, _("Requests a _Minute"),
                                    _("Automatic: as fast as the provider's own limits allow"), "rpm", 100000, rpm);
  }

  adw_preferences_group_add (rows->group, GTK_WIDGET (rows->status_row));
  adw_preferences_page_add (self->providers_page, rows->group);
  refresh_key (rows);
}

static void
on_default_model_selected (PxPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->default_model_row);

  if (selected < self->model_ids->len)
    g_settings_set_string (self->settings, "default-model", g_ptr_array_index (self->model_ids, selected));
}

static void
px_preferences_window_constructed (GObject *object)
{
  PxPreferencesWindow *self = PX_PREFERENCES_WINDOW (object);
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  GPtrArray *providers = px_catalog_get_providers (catalog);
  g_autoptr(GPtrArray) models = px_catalog_list_offered (catalog);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *default_model = g_settings_get_string (self->settings, "default-model");

  G_OBJECT_CLASS (px_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "cache-ttl-minutes",
                   gtk_spin_button_get_adjustment (self->cache_ttl_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  for (guint i = 0; i < models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (models, i);
      g_autofree char *label = px_catalog_describe_model (px_engine_get_catalog (self->engine), model);

      g_ptr_array_add (self->model_ids, g_strdup (model->id));
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->default_model_row, G_LIST_MODEL (names));
  for (guint i = 0; i < self->model_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->model_ids, i), default_model))
      adw_combo_row_set_selected (self->default_model_row, i);
  g_signal_connect_swapped (self->default_model_row, "notify::selected", G_CALLBACK (on_default_model_selected), self);

  for (guint i = 0; i < providers->len; i++)
    add_provider (self, g_ptr_array_index (providers, i));
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

    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
px_preferences_window_dispose (GObject *object)
{
  PxPreferencesWindow *self = PX_PREFERENCES_WINDOW (object);

  /* Pending keyring and network answers must not reach freed rows. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);

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
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         PX_TYPE_ENGINE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PxPreferencesWindow, cache_ttl_spin);
  gtk_widget_class_bind_template_child (widget_class, PxPreferencesWindow, default_model_row);
  gtk_widget_class_bind_template_child (widget_class, PxPreferencesWindow, providers_page);
  gtk_widget_class_bind_template_child (widget_class, PxPreferencesWindow, general_page);
}

static void
px_preferences_window_init (PxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
}
