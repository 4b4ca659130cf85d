/* px-generate-page-run.c: the Generate page's work: the provider's key
 * (asked for once, in the shared dialog), the generation itself (async,
 * cancellable, with progress), its results kept in the library and decoded
 * on a worker before they are shown as cards, captions drawn again, and the
 * reference image read and checked off the main thread. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-dialog.h"
#include "px-generate-page-private.h"
#include "px-key-dialog.h"
#include "px-key-ensure.h"
#include "px-image-check.h"
#include "px-meme.h"
#include "px-model-settings.h"
#include "px-prompt-helper.h"
#include "px-result-card.h"
#include "px-spending.h"
#include "px-templates-popover.h"
#include "px-provider.h"
#include "px-tokens.h"

/* ---- keys ---- */

static void
on_key_ready (GtkWidget  *from,
              gboolean    ready,
              const char *note)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (from);
  KeyContinuation then = self->key_then;

  self->key_then = NULL;
  /* The page may have gone while the keyring answered. */
  if (self->engine == NULL)
    return;
  if (note != NULL)
    px_generate_page_show_banner (self, note, BANNER_NONE, NULL);
  if (ready && then != NULL)
    then (self);
}

/* Runs then once the engine has the provider's key (looked up in the
 * keyring, or asked for in the shared dialog), or straight away when it
 * needs none. */
void
px_generate_page_with_key (PxGeneratePage       *self,
                           const PxProviderInfo *info,
                           KeyContinuation       then)
{
  if (info->key_policy == PX_KEY_NONE || px_engine_has_api_key (self->engine, info->id))
    {
      then (self);
      return;
    }
  /* One at a time: a second press while the keyring answers waits for it. */
  if (self->key_then != NULL)
    return;
  self->key_then = then;
  px_key_ensure (GTK_WIDGET (self), self->engine, info, on_key_ready);
}

/* ---- results ---- */

/* ---- results: kept, decoded and shown ---- */

/* One generation's images on their way to the library and the page. On a
 * worker: captions drawn (memes), every image kept in the library, and its
 * texture decoded; the page only adds the cards. */
typedef struct {
  PxGeneratePage      *page;
  PxLibrary           *library;    /* NULL: no library, shown only */
  PxGenerationRequest *request;
  PxGenerationResult  *result;
  char                *feature;
  char                *caption_top;
  char                *caption_bottom;
  GArray              *ids;
  GPtrArray           *raw;        /* GBytes before captions, or empty */
  GPtrArray           *textures;   /* GdkTexture, one per image, or NULL */
  GError              *caption_error;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_object_unref (job->page);
  g_clear_object (&job->library);
  px_generation_request_free (job->request);
  px_generation_result_free (job->result);
  g_free (job->feature);
  g_free (job->caption_top);
  g_free (job->caption_bottom);
  g_array_unref (job->ids);
  g_ptr_array_unref (job->raw);
  g_ptr_array_unref (job->textures);
  g_clear_error (&job->caption_error);
  g_free (job);
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;
  gboolean kept = TRUE;

  if (job->library != NULL)
    kept = px_library_keep_result (job->library, job->request, job->result, job->feature, job->caption_top,
                                   job->caption_bottom, job->ids, job->raw, &error);
  else if (!px_meme_caption_result (job->result, job->caption_top, job->caption_bottom, job->raw, &error))
    {
      job->caption_error = g_steal_pointer (&error);
      kept = TRUE;
    }

  /* Decoded here, once: the card only shows it (gdk_texture_new_from_bytes
   * is made for worker threads). */
  for (guint i = 0; i < job->result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (job->result->images, i);

      g_ptr_array_add (job->textures, gdk_texture_new_from_bytes (image->bytes, NULL));
    }

  if (kept)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void on_card_regenerate (PxResultCard *card, PxGeneratePage *self);
static void on_card_update_captions (PxResultCard *card, PxGeneratePage *self);

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  PxGeneratePage *self = job->page;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = g_strdup_printf (_("The image was generated but could not be saved to the library: %s "
                                                    "Use Save As to keep it."), error->message);

      px_generate_page_show_banner (self, message, BANNER_NONE, NULL);
    }
  else if (job->caption_error != NULL)
    px_generate_page_show_banner (self, job->caption_error->message, BANNER_NONE, NULL);
  if (job->library != NULL && job->result->provider_id != NULL && !job->result->cached)
    px_spending_notice (job->library, job->result->provider_id);
  if (self->results == NULL)
    return;

  for (guint i = 0; i < job->result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (job->result->images, i);
      PxResultCard *card = px_result_card_new (job->request->prompt,
                                               i < job->raw->len ? g_ptr_array_index (job->raw, i) : NULL);

      px_result_card_set_image (card, i < job->ids->len ? g_array_index (job->ids, gint64, i) : 0, image->bytes,
                                image->mime_type, g_ptr_array_index (job->textures, i));
      g_signal_connect_object (card, "regenerate", G_CALLBACK (on_card_regenerate), self, 0);
      g_signal_connect_object (card, "update-captions", G_CALLBACK (on_card_update_captions), self, 0);
      gtk_flow_box_insert (self->results, GTK_WIDGET (card), 0);
    }

  /* The Gallery shows it next time it is looked at. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.library-changed", NULL);
}

static char *
resolve_caption (PxGeneratePage *self,
                 const char     *text)
{
  g_autoptr(GHashTable) values = px_token_set_to_table (px_token_palette_get_set (self->palette));
  char *resolved = px_tokens_resolve (text, values, 0, NULL);

  /* A caption with a missing token is drawn as written. */
  return resolved ? resolved : g_strdup (text);
}

gboolean
px_generate_page_is_meme (PxGeneratePage *self)
{
  return g_strcmp0 (self->feature, "meme") == 0;
}

static void
on_card_regenerate (PxResultCard   *card,
                    PxGeneratePage *self)
{
  px_generate_page_start_generation (self, TRUE);
}

/* Captions again, from the picture as generated; kept as a new image. */
typedef struct {
  PxResultCard *card;
  GBytes       *raw;
  char         *top;
  char         *bottom;
  gint64        parent;
  GBytes       *drawn;
  GdkTexture   *texture;
  gint64        id;
} CaptionJob;

static void
caption_job_free (CaptionJob *job)
{
  g_object_unref (job->card);
  g_bytes_unref (job->raw);
  g_free (job->top);
  g_free (job->bottom);
  g_clear_pointer (&job->drawn, g_bytes_unref);
  g_clear_object (&job->texture);
  g_free (job);
}

static gboolean
caption_in_thread (PxLibrary     *library,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CaptionJob *job = data;

  job->drawn = px_meme_render (job->raw, NULL, job->top, job->bottom, error);
  if (job->drawn == NULL)
    return FALSE;
  job->texture = gdk_texture_new_from_bytes (job->drawn, NULL);
  if (job->parent > 0)
    job->id = px_library_add_derived (library, job->parent, job->drawn, "meme", error);
  return job->parent <= 0 || job->id > 0;
}

static void
on_captioned (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PxGeneratePage) self = user_data;
  g_autoptr(GError) error = NULL;
  CaptionJob *job = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &job, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        px_generate_page_show_banner (self, error->message, BANNER_NONE, NULL);
      return;
    }
  px_result_card_set_image (job->card, job->id, job->drawn, "image/png", job->texture);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.library-changed", NULL);
  px_generate_page_toast (self, _("Captions updated; the new picture is in the Gallery"));
}

static void
on_card_update_captions (PxResultCard   *card,
                         PxGeneratePage *self)
{
  CaptionJob *job;

  if (self->library == NULL || px_result_card_get_raw (card) == NULL)
    return;
  job = g_new0 (CaptionJob, 1);
  job->card = g_object_ref (card);
  job->raw = g_bytes_ref (px_result_card_get_raw (card));
  job->top = resolve_caption (self, gtk_editable_get_text (GTK_EDITABLE (self->caption_top)));
  job->bottom = resolve_caption (self, gtk_editable_get_text (GTK_EDITABLE (self->caption_bottom)));
  job->parent = px_result_card_get_id (card);
  px_library_write_async (self->library, caption_in_thread, job, (GDestroyNotify) caption_job_free,
                          self->page_cancellable, on_captioned, g_object_ref (self));
}

/* ---- generating ---- */

static gboolean
tick (gpointer data)
{
  PxGeneratePage *self = data;
  double seconds = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  g_autofree char *text = g_strdup_printf (_("Generating with %s… %.1f s"), self->model ? self->model->name : "", seconds);

  gtk_progress_bar_pulse (self->progress_bar);
  gtk_label_set_text (self->elapsed_label, text);
  return G_SOURCE_CONTINUE;
}

void
px_generate_page_set_running (PxGeneratePage *self,
                              gboolean        running)
{
  /* Cancel takes Generate's place while it runs (both would not fit a
   * narrow window beside the Tokens button). */
  gtk_widget_set_visible (GTK_WIDGET (self->generate_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (self->progress_box, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.generate", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.cancel", running);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (running)
    {
      self->started_us = g_get_monotonic_time ();
      self->tick_source = g_timeout_add (100, tick, self);
      tick (self);
    }
  else
    g_clear_object (&self->cancellable);
}

/* The engine takes its request; the page keeps a twin to save the result
 * with its template and tokens. */
typedef struct {
  PxGeneratePage      *page;
  PxGenerationRequest *request;
} Running;

static void
on_generated (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  Running *running = user_data;
  g_autoptr(PxGeneratePage) self = running->page;
  g_autoptr(PxGenerationRequest) request = running->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = px_engine_generate_finish (PX_ENGINE (source), async_result, &error);
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_free (running);
  px_generate_page_set_running (self, FALSE);
  if (result == NULL)
    {
      const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (self->engine), request->model_id, NULL);
      double possibly_paid = px_engine_generate_get_possibly_paid (PX_ENGINE (source), async_result);

      /* Lost after it was sent: it may still be charged, so it counts. */
      if (possibly_paid > 0 && model != NULL)
        px_spending_record_lost (self->library, model->provider_id, model->id, self->feature ? self->feature
                                                                                             : "generate",
                                 possibly_paid);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED))
        px_generate_page_toast (self, _("Generation cancelled"));
      else if (g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH))
        px_generate_page_show_banner (self, error->message, BANNER_ADD_KEY, model ? model->provider_id : NULL);
      else if (px_provider_error_is_account_problem (error))
        /* Trying again meets the same answer: the words say what to do. */
        px_generate_page_show_banner (self, error->message, BANNER_NONE, NULL);
      else
        px_generate_page_show_banner (self, error->message, BANNER_RETRY, NULL);
      return;
    }

  px_generate_page_hide_banner (self);
  job = g_new0 (SaveJob, 1);
  job->page = g_object_ref (self);
  job->library = self->library ? g_object_ref (self->library) : NULL;
  job->request = g_steal_pointer (&request);
  job->result = g_steal_pointer (&result);
  job->feature = g_strdup (self->feature ? self->feature : "generate");
  /* Memes: the captioned picture is what the library keeps. */
  if (px_generate_page_is_meme (self))
    {
      job->caption_top = resolve_caption (self, gtk_editable_get_text (GTK_EDITABLE (self->caption_top)));
      job->caption_bottom = resolve_caption (self, gtk_editable_get_text (GTK_EDITABLE (self->caption_bottom)));
    }
  job->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->raw = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  job->textures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_object_unref);

  /* Not the page's cancellable: an image the user paid for is kept even
   * when the page goes while it is saved. */
  task = g_task_new (NULL, NULL, on_saved, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_in_thread);
}

static void
add_settings_to_request (PxGeneratePage      *self,
                         PxGenerationRequest *request)
{
  g_autoptr(GHashTable) settings = px_generate_page_current_settings (self);
  GHashTableIter iter;
  gpointer name, value;

  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &name, &value))
    px_generation_request_set_setting (request, name, value);
}

static PxGenerationRequest *
make_request (PxGeneratePage *self,
              const char     *template_text,
              const char     *resolved,
              GHashTable     *values)
{
  g_autofree char *qualified = g_strdup_printf ("%s/%s", self->model->provider_id, self->model->id);
  PxGenerationRequest *request = px_generation_request_new (qualified, resolved);

  px_generation_request_set_template (request, template_text, values);
  add_settings_to_request (self, request);
  request->bypass_cache = self->pending_regenerate;
  if (self->reference != NULL && self->model->reference_images > 0)
    px_generation_request_add_reference (request, self->reference, self->reference_mime);
  return request;
}

static void
run_generation (PxGeneratePage *self)
{
  g_autofree char *template_text = px_token_editor_get_text (self->editor);
  g_autoptr(GHashTable) values = px_token_set_to_table (px_token_palette_get_set (self->palette));
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = px_tokens_resolve (template_text, values, self->model->max_prompt_chars, &error);
  Running *running;

  if (resolved == NULL)
    {
      px_generate_page_show_banner (self, error->message, BANNER_NONE, NULL);
      return;
    }

  px_generate_page_hide_banner (self);
  running = g_new0 (Running, 1);
  running->page = g_object_ref (self);
  running->request = make_request (self, template_text, resolved, values);
  self->cancellable = g_cancellable_new ();
  px_generate_page_set_running (self, TRUE);
  px_engine_generate_async (self->engine, make_request (self, template_text, resolved, values), self->cancellable,
                            on_generated, running);
}

static void
on_budget_checked (GtkWidget  *from,
                   gboolean    go_on,
                   const char *reason)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (from);

  self->checking_budget = FALSE;
  /* The page may have gone while the budget was read. */
  if (self->engine == NULL)
    return;
  if (go_on && self->cancellable == NULL && self->model != NULL)
    run_generation (self);
  else if (!go_on && reason != NULL)
    px_generate_page_show_banner (self, reason, BANNER_NONE, NULL);
}

/* A spent monthly budget asks before anything is sent. */
static void
check_budget (PxGeneratePage *self)
{
  if (self->checking_budget)
    return;
  self->checking_budget = TRUE;
  px_spending_check (GTK_WIDGET (self), self->library, self->model->provider_id, TRUE, on_budget_checked);
}

void
px_generate_page_start_generation (PxGeneratePage *self,
                                   gboolean        bypass_cache)
{
  const PxProviderInfo *info;

  if (self->engine == NULL || self->model == NULL || self->cancellable != NULL)
    return;

  info = px_catalog_lookup_provider (px_engine_get_catalog (self->engine), self->model->provider_id);
  self->pending_regenerate = bypass_cache;
  px_generate_page_hide_banner (self);
  px_generate_page_with_key (self, info, check_budget);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  px_generate_page_start_generation (PX_GENERATE_PAGE (widget), FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* "Add Key" after the provider refused the key: a new one, asked for. */
static void
on_new_key_entered (gpointer      user_data,
                    gboolean      saved,
                    const GError *keyring_error)
{
  PxGeneratePage *self = user_data;
  g_autofree char *message = NULL;

  if (!saved)
    return;
  if (keyring_error == NULL)
    {
      px_generate_page_hide_banner (self);
      return;
    }
  message = g_strdup_printf (_("The key works for now, but it could not be kept in the keyring: %s"),
                             keyring_error->message);
  px_generate_page_show_banner (self, message, BANNER_NONE, NULL);
}

static void
on_banner_button (PxGeneratePage *self)
{
  const PxProviderInfo *info;

  switch (self->banner_action)
    {
    case BANNER_ADD_KEY:
      info = px_catalog_lookup_provider (px_engine_get_catalog (self->engine), self->banner_provider);
      if (info != NULL)
        px_key_dialog_ask (GTK_WIDGET (self), self->engine, info, on_new_key_entered, g_object_ref (self),
                           g_object_unref);
      break;
    case BANNER_RETRY:
      px_generate_page_hide_banner (self);
      px_generate_page_start_generation (self, FALSE);
      break;
    case BANNER_NONE:
    default:
      break;
    }
}

/* ---- reference image ---- */

static void
set_reference (PxGeneratePage *self,
               GBytes         *bytes,
               char           *mime_type,
               GdkTexture     *texture)
{
  g_clear_pointer (&self->reference, g_bytes_unref);
  self->reference = g_bytes_ref (bytes);
  g_free (self->reference_mime);
  self->reference_mime = mime_type;
  gtk_picture_set_paintable (self->reference_picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->reference_picture), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reference_row), _("Reference image"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.remove-reference", TRUE);
}

static void
remove_reference_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (widget);

  g_clear_pointer (&self->reference, g_bytes_unref);
  g_clear_pointer (&self->reference_mime, g_free);
  gtk_picture_set_paintable (self->reference_picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reference_picture), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reference_row), _("No reference image"));
  gtk_widget_action_set_enabled (widget, "generate.remove-reference", FALSE);
}

typedef struct {
  GFile      *file;
  GBytes     *bytes;
  char       *mime_type;
  GdkTexture *texture;
} ReferenceJob;

static void
reference_job_free (ReferenceJob *job)
{
  g_object_unref (job->file);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->mime_type);
  g_clear_object (&job->texture);
  g_free (job);
}

/* Read, checked and decoded on a worker: a large photo never stalls the page. */
static void
load_reference_in_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  ReferenceJob *job = task_data;
  GError *error = NULL;

  job->bytes = g_file_load_bytes (job->file, cancellable, NULL, &error);
  if (job->bytes != NULL && px_image_check (job->bytes, &job->mime_type, NULL, NULL, &error))
    job->texture = gdk_texture_new_from_bytes (job->bytes, &error);
  if (job->texture != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_reference_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (source);
  ReferenceJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    set_reference (self, job->bytes, g_steal_pointer (&job->mime_type), job->texture);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not use %s as a reference image: %s"),
                                                  g_file_peek_path (job->file), error->message);

      px_generate_page_show_banner (self, message, BANNER_NONE, NULL);
    }
}

static void
load_reference_file (PxGeneratePage *self,
                     GFile          *file)
{
  g_autoptr(GTask) task = g_task_new (self, self->page_cancellable, on_reference_loaded, NULL);
  ReferenceJob *job = g_new0 (ReferenceJob, 1);

  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, (GDestroyNotify) reference_job_free);
  g_task_run_in_thread (task, load_reference_in_thread);
}

static gboolean
on_reference_drop (GtkDropTarget  *target,
                   const GValue   *value,
                   double          x,
                   double          y,
                   PxGeneratePage *self)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL)
    return FALSE;
  load_reference_file (self, files->data);
  return TRUE;
}

static void
on_reference_chosen (GtkNativeDialog *chooser,
                     int              response,
                     PxGeneratePage  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    load_reference_file (self, file);
  g_clear_object (&self->chooser);
}

static void
choose_reference_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PxGeneratePage *self = PX_GENERATE_PAGE (widget);

  g_clear_object (&self->chooser);
  self->chooser = px_dialog_file_chooser (widget, _("Choose a Reference Image"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                          _("_Open"), _("Images"),
                                          (const char * const[]) { "image/png", "image/jpeg", "image/webp", NULL }, NULL);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_reference_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}


void
px_generate_page_class_init_run (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_banner_button);
  gtk_widget_class_install_action (widget_class, "generate.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "generate.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "generate.choose-reference", NULL, choose_reference_action);
  gtk_widget_class_install_action (widget_class, "generate.remove-reference", NULL, remove_reference_action);
}

void
px_generate_page_init_run (PxGeneratePage *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (on_reference_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->reference_group), GTK_EVENT_CONTROLLER (drop));
  px_generate_page_set_running (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "generate.remove-reference", FALSE);
}
