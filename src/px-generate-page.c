/* px-generate-page.c: the page people open Pixmerge for. A prompt with
 * token chips and a live preview of what will be sent, the model and the
 * settings its capabilities allow, a reference image, meme captions, then
 * Generate: asynchronous, cancellable, the result saved to the library
 * before it is shown. Presets and saved templates fill the same form. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-credentials.h"
#include "px-dialog.h"
#include "px-adaptive.h"
#include "px-generate-page-private.h"
#include "px-key-dialog.h"
#include "px-image-check.h"
#include "px-meme.h"
#include "px-model-settings.h"
#include "px-prompt-helper.h"
#include "px-spending.h"
#include "px-result-card.h"
#include "px-templates-popover.h"
#include "px-provider.h"
#include "px-tokens.h"

#define SAVE_STATE_DELAY_MS 500

G_DEFINE_FINAL_TYPE (PxGeneratePage, px_generate_page, ADW_TYPE_BIN)


/* ---- messages ---- */

void
px_generate_page_toast (PxGeneratePage *self,
                        const char     *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

void
px_generate_page_show_banner (PxGeneratePage *self,
                              const char     *message,
                              BannerAction    action,
                              const char     *provider_id)
{
  self->banner_action = action;
  g_free (self->banner_provider);
  self->banner_provider = g_strdup (provider_id);
  gtk_label_set_text (self->banner_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), action != BANNER_NONE);
  if (action == BANNER_ADD_KEY)
    gtk_button_set_label (self->banner_button, _("_Add Key…"));
  else if (action == BANNER_RETRY)
    gtk_button_set_label (self->banner_button, _("_Try Again"));
  gtk_revealer_set_reveal_child (self->banner, TRUE);
}

void
px_generate_page_hide_banner (PxGeneratePage *self)
{
  gtk_revealer_set_reveal_child (self->banner, FALSE);
  gtk_label_set_text (self->banner_label, "");
}

/* ---- models and settings ---- */

GHashTable *
px_generate_page_current_settings (PxGeneratePage *self)
{
  return px_model_settings_get_values (self->model_settings);
}

static gboolean
save_state (gpointer data)
{
  PxGeneratePage *self = data;
  g_autofree char *prompt = NULL;
  g_autoptr(GHashTable) settings = NULL;
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer name, value;

  self->save_state_source = 0;
  if (self->settings == NULL || self->restoring)
    return G_SOURCE_REMOVE;

  prompt = px_token_editor_get_text (self->editor);
  g_settings_set_string (self->settings, "last-prompt", prompt);
  if (self->model != NULL)
    g_settings_set_string (self->settings, "last-model", self->model->id);
  settings = px_generate_page_current_settings (self);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_variant_builder_add (&builder, "{ss}", name, value);
  g_settings_set_value (self->settings, "last-settings", g_variant_builder_end (&builder));
  if (px_token_palette_get_set (self->palette) != NULL)
    g_settings_set_int64 (self->settings, "last-token-set", px_token_palette_get_set (self->palette)->id);
  return G_SOURCE_REMOVE;
}

static void
save_state_soon (PxGeneratePage *self)
{
  if (self->restoring)
    return;
  g_clear_handle_id (&self->save_state_source, g_source_remove);
  self->save_state_source = g_timeout_add (SAVE_STATE_DELAY_MS, save_state, self);
}

static void
on_setting_changed (PxGeneratePage *self)
{
  save_state_soon (self);
}

static void
build_setting_rows (PxGeneratePage *self,
                    GHashTable     *wanted)
{
  px_model_settings_show (self->model_settings, self->model, wanted);
  gtk_widget_set_visible (GTK_WIDGET (self->reference_group), self->model != NULL && self->model->reference_images > 0);
}

static void
on_model_selected (PxGeneratePage *self)
{
  guint selected = adw_combo_row_get_selected (self->model_row);
  g_autoptr(GHashTable) keep = NULL;

  if (self->models == NULL || selected >= self->models->len)
    return;

  /* Keep the values the new model also takes (a size both know, …). */
  keep = px_generate_page_current_settings (self);
  self->model = g_ptr_array_index (self->models, selected);
  build_setting_rows (self, keep);
  px_generate_page_update_preview (self);
  save_state_soon (self);
}

gboolean
px_generate_page_select_model (PxGeneratePage *self,
                               const char     *model_id)
{
  g_return_val_if_fail (PX_IS_GENERATE_PAGE (self), FALSE);

  for (guint i = 0; self->models != NULL && model_id != NULL && i < self->models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (self->models, i);
      g_autofree char *qualified = g_strdup_printf ("%s/%s", model->provider_id, model->id);

      if (g_str_equal (model->id, model_id) || g_str_equal (qualified, model_id))
        {
          adw_combo_row_set_selected (self->model_row, i);
          return TRUE;
        }
    }

  /* A template or a remembered choice that names a retired model still
   * opens: with its successor, and a word about it. */
  if (self->models != NULL && model_id != NULL)
    {
      PxCatalog *catalog = px_engine_get_catalog (self->engine);
      const PxModel *replacement = px_catalog_lookup_replacement (catalog, model_id);
      const PxModel *retired = replacement ? px_catalog_lookup_model (catalog, model_id, NULL) : NULL;

      if (replacement != NULL && px_generate_page_select_model (self, replacement->id))
        {
          g_autofree char *text = g_strdup_printf (_("%s was retired by its provider; %s is chosen instead"),
                                                   retired->name, replacement->name);

          px_generate_page_toast (self, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
apply_settings (PxGeneratePage *self,
                GHashTable     *settings)
{
  build_setting_rows (self, settings);
  save_state_soon (self);
}

/* ---- prompt and preview ---- */

void
px_generate_page_update_preview (PxGeneratePage *self)
{
  g_autofree char *template_text = px_token_editor_get_text (self->editor);
  g_autoptr(GHashTable) values = px_token_set_to_table (px_token_palette_get_set (self->palette));
  g_auto(GStrv) names = px_tokens_list_names (template_text, NULL);
  g_autoptr(GPtrArray) tokens = px_tokens_parse (template_text, NULL);
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) known = g_strv_builder_new ();
  g_auto(GStrv) missing_names = NULL;
  g_auto(GStrv) known_names = NULL;
  g_autoptr(GError) error = NULL;
  const PxTokenSet *set;

  px_token_palette_ensure_tokens (self->palette, (const char * const *) names);
  set = px_token_palette_get_set (self->palette);
  for (guint i = 0; set != NULL && i < set->names->len; i++)
    g_strv_builder_add (known, g_ptr_array_index (set->names, i));
  known_names = g_strv_builder_end (known);
  px_token_editor_set_known_tokens (self->editor, (const char * const *) known_names);

  for (guint i = 0; tokens != NULL && i < tokens->len; i++)
    {
      PxToken *token = g_ptr_array_index (tokens, i);

      if (token->default_value == NULL && !g_hash_table_contains (values, token->name))
        g_strv_builder_add (missing, token->name);
    }
  missing_names = g_strv_builder_end (missing);
  px_token_editor_set_missing (self->editor, (const char * const *) missing_names);

  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->missing, g_free);
  self->preview = px_tokens_resolve (template_text, values, self->model ? self->model->max_prompt_chars : 0, &error);
  if (self->preview != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Sent as: %s"), self->preview);

      gtk_label_set_text (self->preview_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->missing_label), FALSE);
    }
  else
    {
      gtk_label_set_text (self->preview_label, *template_text ? "" : _("Write a prompt. Type [ to insert a token."));
      if (*template_text != '\0')
        {
          self->missing = g_strdup (error->message);
          gtk_label_set_text (self->missing_label, self->missing);
          gtk_widget_set_visible (GTK_WIDGET (self->missing_label), TRUE);
        }
      else
        gtk_widget_set_visible (GTK_WIDGET (self->missing_label), FALSE);
    }
}

static void
on_prompt_changed (PxGeneratePage *self)
{
  px_generate_page_update_preview (self);
  save_state_soon (self);
}

static void
on_palette_changed (PxGeneratePage *self)
{
  px_generate_page_update_preview (self);
  save_state_soon (self);
}

static void
on_palette_insert (PxTokenPalette *palette,
                   const char     *token_text,
                   PxGeneratePage *self)
{
  px_token_editor_insert_token (self->editor, token_text);
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

/* ---- templates ---- */

static void
apply (PxGeneratePage   *self,
       const PxTemplate *template_)
{
  self->restoring = TRUE;
  px_token_editor_set_text (self->editor, template_->prompt);
  if (template_->model == NULL || !px_generate_page_select_model (self, template_->model))
    build_setting_rows (self, template_->settings);
  apply_settings (self, template_->settings);
  g_free (self->feature);
  self->feature = g_strdup (template_->feature);
  gtk_editable_set_text (GTK_EDITABLE (self->caption_top), template_->caption_top ? template_->caption_top : "");
  gtk_editable_set_text (GTK_EDITABLE (self->caption_bottom), template_->caption_bottom ? template_->caption_bottom : "");
  gtk_widget_set_visible (GTK_WIDGET (self->captions_group), px_generate_page_is_meme (self));
  self->restoring = FALSE;
  px_generate_page_update_preview (self);
  save_state_soon (self);
}

gboolean
px_generate_page_apply_template (PxGeneratePage *self,
                                 const char     *id)
{
  const PxTemplate *template_;

  g_return_val_if_fail (PX_IS_GENERATE_PAGE (self), FALSE);

  template_ = px_templates_popover_find (self->templates_popover, id);
  if (template_ == NULL)
    return FALSE;
  apply (self, template_);
  return TRUE;
}

static void
on_template_apply (PxTemplatesPopover *popover,
                   const char         *id,
                   PxGeneratePage     *self)
{
  px_generate_page_apply_template (self, id);
}

static void
on_template_problem (PxTemplatesPopover *popover,
                     const char         *message,
                     PxGeneratePage     *self)
{
  px_generate_page_show_banner (self, message, BANNER_NONE, NULL);
}

static PxTemplate *
template_from_form (PxGeneratePage *self,
                    const char     *name,
                    const char     *category)
{
  g_autofree char *prompt = px_token_editor_get_text (self->editor);
  PxTemplate *template_ = px_template_new (name, prompt);
  g_autoptr(GHashTable) settings = px_generate_page_current_settings (self);
  GHashTableIter iter;
  gpointer key, value;

  g_free (template_->category);
  template_->category = g_strdup (category ? category : "");
  template_->model = self->model ? g_strdup (self->model->id) : NULL;
  template_->feature = g_strdup (self->feature);
  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (template_->settings, g_strdup (key), g_strdup (value));
  if (px_generate_page_is_meme (self))
    {
      template_->caption_top = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->caption_top)));
      template_->caption_bottom = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->caption_bottom)));
    }
  return template_;
}

gboolean
px_generate_page_save_template (PxGeneratePage  *self,
                                const char      *name,
                                const char      *category,
                                GError         **error)
{
  g_return_val_if_fail (PX_IS_GENERATE_PAGE (self), FALSE);

  if (self->library == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Templates are kept in the library, which could not be opened."));
      return FALSE;
    }
  /* Saved on the library's writer thread; the list shows it then. */
  px_templates_popover_save (self->templates_popover, template_from_form (self, name, category));
  return TRUE;
}

static void
on_save_template_response (AdwMessageDialog *dialog,
                           const char       *response,
                           PxGeneratePage   *self)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  GtkEditable *name_entry = GTK_EDITABLE (gtk_widget_get_first_child (box));
  GtkEditable *category_entry = GTK_EDITABLE (gtk_widget_get_next_sibling (GTK_WIDGET (name_entry)));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (name_entry)));
  g_autofree char *category = g_strstrip (g_strdup (gtk_editable_get_text (category_entry)));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save"))
    return;
  if (*name == '\0')
    name = (g_free (name), g_strdup (_("Untitled Template")));
  if (!px_generate_page_save_template (self, name, category, &error))
    px_generate_page_show_banner (self, error->message, BANNER_NONE, NULL);
}

static void
save_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (widget);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *name = gtk_entry_new ();
  GtkWidget *category = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (name), _("Name"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (category), _("Category, like Work"));
  gtk_entry_set_activates_default (GTK_ENTRY (name), TRUE);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), category);
  dialog = GTK_WIDGET (px_dialog_ask (widget, _("Save as Template"), _("The prompt, the model and its settings, under a name."),
                                      box, "save", _("_Save"), ADW_RESPONSE_SUGGESTED));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_template_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- prompt helper ---- */

static void
on_rewrite_text (PxPromptHelper *helper,
                 const char     *text,
                 PxGeneratePage *self)
{
  g_string_append (self->rewrite, text);
  gtk_label_set_text (self->improve_label, self->rewrite->str);
}

static const PxProviderInfo *
helper_provider (PxGeneratePage *self)
{
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  const PxProviderInfo *info = self->model ? px_catalog_lookup_provider (catalog, self->model->provider_id) : NULL;

  /* The chosen model's provider when it has a text model, else OpenAI's. */
  if (info == NULL || info->text_model == NULL)
    info = px_catalog_lookup_provider (catalog, "openai");
  return info;
}

static void
on_improved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PxGeneratePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *rewrite = px_prompt_helper_improve_finish (PX_PROMPT_HELPER (source), result, &error);
  const PxProviderInfo *info = helper_provider (self);
  gint64 input_tokens, output_tokens;
  double cost;

  /* An answer was paid for, whatever became of it: in the usage. */
  px_prompt_helper_get_usage (PX_PROMPT_HELPER (source), &input_tokens, &output_tokens, &cost);
  if (input_tokens >= 0 && info != NULL)
    {
      PxUsageEvent event = { .kind = "prompt-helper", .provider = info->id, .model = info->text_model,
                             .feature = "prompt-helper", .tokens = input_tokens + output_tokens, .cost = cost };

      px_spending_record (self->library, &event);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->helper_cancellable);
  self->rewrite_ok = rewrite != NULL;
  gtk_widget_set_sensitive (GTK_WIDGET (self->improve_accept), self->rewrite_ok);
  if (rewrite != NULL)
    {
      g_string_assign (self->rewrite, rewrite);
      gtk_label_set_text (self->improve_label, rewrite);
      gtk_widget_remove_css_class (GTK_WIDGET (self->improve_label), "error");
    }
  else
    {
      gtk_label_set_text (self->improve_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->improve_label), "error");
    }
}


static void
run_improve (PxGeneratePage *self)
{
  g_autofree char *prompt = px_token_editor_get_text (self->editor);

  g_cancellable_cancel (self->helper_cancellable);
  g_clear_object (&self->helper_cancellable);
  self->helper_cancellable = g_cancellable_new ();
  g_string_truncate (self->rewrite, 0);
  self->rewrite_ok = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->improve_accept), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->improve_label), "error");
  gtk_label_set_text (self->improve_label, _("Rewriting…"));
  px_prompt_helper_improve_async (self->helper, helper_provider (self)->id, prompt, self->helper_cancellable,
                                  on_improved, g_object_ref (self));
}

static void
on_improve_shown (PxGeneratePage *self)
{
  g_autofree char *prompt = px_token_editor_get_text (self->editor);

  if (self->helper == NULL)
    return;
  if (*g_strstrip (prompt) == '\0')
    {
      gtk_label_set_text (self->improve_label, _("Write a prompt first."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->improve_accept), FALSE);
      return;
    }
  px_generate_page_with_key (self, helper_provider (self), run_improve);
}

static void
on_improve_closed (PxGeneratePage *self)
{
  g_cancellable_cancel (self->helper_cancellable);
  g_clear_object (&self->helper_cancellable);
}

static void
on_improve_accept (PxGeneratePage *self)
{
  if (!self->rewrite_ok)
    return;
  /* One undoable step: Ctrl+Z brings the old prompt back. */
  px_token_editor_replace_text (self->editor, self->rewrite->str);
  gtk_popover_popdown (self->improve_popover);
}

static void
on_improve_reject (PxGeneratePage *self)
{
  gtk_popover_popdown (self->improve_popover);
}

static void
build_improve_popover (PxGeneratePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *reject = gtk_button_new_with_mnemonic (_("_Keep Mine"));

  self->improve_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->improve_label, TRUE);
  gtk_label_set_xalign (self->improve_label, 0);
  gtk_label_set_selectable (self->improve_label, TRUE);
  gtk_label_set_max_width_chars (self->improve_label, 50);
  gtk_label_set_width_chars (self->improve_label, 40);
  self->improve_accept = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Use This Prompt")));
  gtk_widget_set_name (GTK_WIDGET (self->improve_accept), "use-rewrite");
  gtk_widget_set_name (GTK_WIDGET (self->improve_label), "rewrite");
  gtk_widget_add_css_class (GTK_WIDGET (self->improve_accept), "suggested-action");
  g_signal_connect_swapped (self->improve_accept, "clicked", G_CALLBACK (on_improve_accept), self);
  g_signal_connect_swapped (reject, "clicked", G_CALLBACK (on_improve_reject), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), reject);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->improve_accept));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->improve_label));
  gtk_box_append (GTK_BOX (box), buttons);

  self->improve_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->improve_popover, box);
  g_signal_connect_swapped (self->improve_popover, "show", G_CALLBACK (on_improve_shown), self);
  g_signal_connect_swapped (self->improve_popover, "closed", G_CALLBACK (on_improve_closed), self);
  gtk_menu_button_set_popover (self->improve_button, GTK_WIDGET (self->improve_popover));
}

/* ---- setup ---- */

void
px_generate_page_set_application (PxGeneratePage *self,
                                  PxApplication  *application)
{
  const GError *library_error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GVariant) last_settings = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *last_model = NULL;
  g_autofree char *last_prompt = NULL;
  g_autoptr(GPtrArray) models = NULL;
  GVariantIter iter;
  const char *key, *value;

  g_return_if_fail (PX_IS_GENERATE_PAGE (self));

  self->application = application;
  self->settings = g_object_ref (px_application_get_settings (application));
  self->engine = g_object_ref (px_application_get_engine (application));
  self->library = px_application_get_library (application, &library_error);
  if (self->library != NULL)
    g_object_ref (self->library);
  self->helper = px_prompt_helper_new (self->engine);
  g_signal_connect (self->helper, "text-received", G_CALLBACK (on_rewrite_text), self);

  self->restoring = TRUE;
  /* Retired models stay known (what names them still opens) but are not offered. */
  models = px_catalog_list_offered (px_engine_get_catalog (self->engine));
  self->models = g_ptr_array_new ();
  for (guint i = 0; i < models->len; i++)
    {
      const PxModel *model = g_ptr_array_index (models, i);
      g_autofree char *label = px_catalog_describe_model (px_engine_get_catalog (self->engine), model);

      g_ptr_array_add (self->models, (gpointer) model);
      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->model_row, G_LIST_MODEL (names));

  last_model = g_settings_get_string (self->settings, "last-model");
  if (*last_model == '\0')
    last_model = (g_free (last_model), g_settings_get_string (self->settings, "default-model"));
  if (!px_generate_page_select_model (self, last_model))
    adw_combo_row_set_selected (self->model_row, 0);
  self->model = g_ptr_array_index (self->models, MIN (adw_combo_row_get_selected (self->model_row), self->models->len - 1));
  last_settings = g_settings_get_value (self->settings, "last-settings");
  g_variant_iter_init (&iter, last_settings);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    g_hash_table_insert (wanted, g_strdup (key), g_strdup (value));
  build_setting_rows (self, wanted);

  px_token_palette_set_library (self->palette, self->library, g_settings_get_int64 (self->settings, "last-token-set"));
  last_prompt = g_settings_get_string (self->settings, "last-prompt");
  px_token_editor_set_text (self->editor, last_prompt);
  self->restoring = FALSE;

  px_templates_popover_set_library (self->templates_popover, self->library);
  px_generate_page_update_preview (self);
  if (self->library == NULL)
    px_generate_page_show_banner (self, library_error ? library_error->message : _("The library could not be opened."), BANNER_NONE, NULL);
}

/* An image from the library back on the page: its template, its token
 * values (as a new token set, so no set of the user's is overwritten), its
 * model and settings. */
void
px_generate_page_reuse (PxGeneratePage       *self,
                        const PxLibraryImage *image)
{
  g_autoptr(PxTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  PxTokenSet *set;

  g_return_if_fail (PX_IS_GENERATE_PAGE (self));

  template_ = px_template_new ("", *image->template_prompt ? image->template_prompt : image->prompt);
  template_->model = g_strdup (image->model);
  template_->feature = g_strdup (image->feature);
  px_template_set_settings_json (template_, image->settings_json);
  g_hash_table_remove (template_->settings, "n");

  name = g_strdup_printf (_("Image %" PRId64), image->id);
  set = px_token_set_new (name);
  px_token_set_load_json (set, image->tokens_json);
  g_free (set->name);
  set->name = g_steal_pointer (&name);
  if (set->names->len > 0)
    {
      if (!px_token_palette_add_set (self->palette, set, &error))
        {
          px_token_set_free (set);
          px_generate_page_show_banner (self, error->message, BANNER_NONE, NULL);
        }
    }
  else
    px_token_set_free (set);
  apply (self, template_);
}

/* A first prompt to try: one sentence with three tokens and a person to
 * fill them, on the model offered first. */
void
px_generate_page_load_sample (PxGeneratePage *self)
{
  g_autoptr(PxTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  PxTokenSet *set;

  g_return_if_fail (PX_IS_GENERATE_PAGE (self));

  /* Translators: keep the words in brackets as they are: they are tokens. */
  template_ = px_template_new ("", _("Friendly portrait of [FIRSTNAME], [ROLE] at [COMPANY], soft studio light"));
  set = px_token_set_new (_("Sample"));
  px_token_set_set (set, "FIRSTNAME", _("Ada"));
  px_token_set_set (set, "ROLE", _("engineer"));
  px_token_set_set (set, "COMPANY", _("Analytical Engines"));
  if (!px_token_palette_add_set (self->palette, set, &error))
    {
      px_token_set_free (set);
      px_generate_page_show_banner (self, error->message, BANNER_NONE, NULL);
    }
  apply (self, template_);
}

gboolean
px_generate_page_is_running (PxGeneratePage *self)
{
  return self->cancellable != NULL;
}

PxTokenEditor *
px_generate_page_get_editor (PxGeneratePage *self)
{
  return self->editor;
}

PxTokenPalette *
px_generate_page_get_palette (PxGeneratePage *self)
{
  return self->palette;
}

const char *
px_generate_page_get_preview (PxGeneratePage *self)
{
  return self->preview;
}

const char *
px_generate_page_get_missing (PxGeneratePage *self)
{
  return self->missing;
}

const char *
px_generate_page_get_banner (PxGeneratePage *self)
{
  return gtk_revealer_get_reveal_child (self->banner) ? gtk_label_get_text (self->banner_label) : NULL;
}

GPtrArray *
px_generate_page_get_saved_templates (PxGeneratePage *self)
{
  return px_templates_popover_get_saved (self->templates_popover);
}

guint
px_generate_page_get_n_results (PxGeneratePage *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->results)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* index 0 is the newest. */
gint64
px_generate_page_get_result_id (PxGeneratePage *self,
                                guint           index)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->results, index);

  if (child == NULL)
    return 0;
  return px_result_card_get_id (PX_RESULT_CARD (gtk_flow_box_child_get_child (child)));
}

static void
px_generate_page_dispose (GObject *object)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (object);

  if (self->save_state_source != 0)
    {
      g_clear_handle_id (&self->save_state_source, g_source_remove);
      save_state (self);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  if (self->helper_cancellable != NULL)
    g_cancellable_cancel (self->helper_cancellable);
  g_clear_object (&self->helper_cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PX_TYPE_GENERATE_PAGE);
  g_clear_object (&self->helper);
  g_clear_object (&self->engine);
  g_clear_object (&self->library);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->reference, g_bytes_unref);
  g_clear_pointer (&self->reference_mime, g_free);
  g_clear_pointer (&self->feature, g_free);
  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->missing, g_free);
  g_clear_pointer (&self->banner_provider, g_free);
  if (self->rewrite != NULL)
    g_string_free (g_steal_pointer (&self->rewrite), TRUE);

  G_OBJECT_CLASS (px_generate_page_parent_class)->dispose (object);
}

static void
px_generate_page_class_init (PxGeneratePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_generate_page_dispose;

  g_type_ensure (PX_TYPE_TOKEN_EDITOR);
  g_type_ensure (PX_TYPE_TOKEN_PALETTE);
  g_type_ensure (PX_TYPE_MODEL_SETTINGS);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-generate-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, banner);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, banner_button);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, templates_button);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, improve_button);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, editor);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, missing_label);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, model_settings);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, model_row);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, reference_group);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, reference_row);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, reference_picture);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, captions_group);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, caption_top);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, caption_bottom);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, results);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, palette);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, tokens_button);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, prompt_heading);
  gtk_widget_class_bind_template_child (widget_class, PxGeneratePage, prompt_heading_above);
  gtk_widget_class_bind_template_callback (widget_class, on_model_selected);
  gtk_widget_class_bind_template_callback_full (widget_class, "hide_banner", G_CALLBACK (px_generate_page_hide_banner));

  gtk_widget_class_install_action (widget_class, "generate.save-template", NULL, save_template_action);
  px_generate_page_class_init_run (widget_class);
}

static void
px_generate_page_init (PxGeneratePage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->page_cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a bound child: GTK 4.8 would unparent the palette twice. */
  self->flap = ADW_FLAP (gtk_widget_get_ancestor (GTK_WIDGET (self->palette), ADW_TYPE_FLAP));
  px_adaptive_follow_fold (self->flap, self->tokens_button);
  /* Folded, the row has the Tokens button too: "Prompt" goes above it, whole. */
  g_object_bind_property (self->flap, "folded", self->prompt_heading_above, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->flap, "folded", self->prompt_heading, "visible",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  g_signal_connect_object (self->model_settings, "changed", G_CALLBACK (on_setting_changed), self, G_CONNECT_SWAPPED);
  self->rewrite = g_string_new (NULL);

  /* In the capture phase: the prompt editor would take Ctrl+Return and
   * Escape for itself. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return"),
                                                          gtk_named_action_new ("generate.generate")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>KP_Enter"),
                                                          gtk_named_action_new ("generate.generate")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                          gtk_named_action_new ("generate.cancel")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->editor)), "changed",
                            G_CALLBACK (on_prompt_changed), self);
  g_signal_connect_swapped (self->palette, "changed", G_CALLBACK (on_palette_changed), self);
  g_signal_connect (self->palette, "insert-token", G_CALLBACK (on_palette_insert), self);

  self->templates_popover = px_templates_popover_new ();
  g_signal_connect_object (self->templates_popover, "apply", G_CALLBACK (on_template_apply), self, 0);
  g_signal_connect_object (self->templates_popover, "problem", G_CALLBACK (on_template_problem), self, 0);
  gtk_menu_button_set_popover (self->templates_button, GTK_WIDGET (self->templates_popover));
  build_improve_popover (self);
  px_generate_page_init_run (self);
}
