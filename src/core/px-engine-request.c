/* px-engine-request.c: what the engine checks of a request before it is
 * sent, so a request that cannot succeed costs nothing. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-engine-private.h"
#include "px-image-check.h"

/* A catalog error (unknown model, a setting the model does not take) is,
 * to the caller of the engine, a request that cannot be sent. */
GError *
px_engine_invalid_request (GError *error)
{
  GError *converted = g_error_new_literal (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST, error->message);

  g_error_free (error);
  return converted;
}

/* Whether @request can go to @model at all, before anything is sent: a
 * retired model, settings it does not take, reference images, the prompt's
 * length, a missing key. On success *@settings holds the request's
 * settings resolved with the model's defaults. */
/* OpenAI's edits take a mask: "fully transparent areas … indicate where
 * image should be edited", a PNG of the image's size. Checked here, so a
 * mask the API would refuse costs no request. */
static gboolean
check_mask (const PxModel             *model,
            const PxProviderInfo      *info,
            const PxGenerationRequest *request,
            GError                   **error)
{
  const guint8 *png;
  gsize size;
  PxImage *first;
  g_autofree char *mime = NULL;
  int width = 0, height = 0;

  if (g_strcmp0 (info->wire, "openai") != 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("%s edits by the instruction alone and takes no mask; clear the mask or choose an OpenAI "
                     "model."), model->name);
      return FALSE;
    }
  if (request->references->len == 0)
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                           _("A mask needs the image it belongs to."));
      return FALSE;
    }
  png = g_bytes_get_data (request->mask->bytes, &size);
  /* PNG colour types 4 (grey + alpha) and 6 (RGBA) carry transparency. */
  if (!px_image_check (request->mask->bytes, &mime, &width, &height, NULL) || g_strcmp0 (mime, "image/png") != 0 ||
      size < 26 || (png[25] != 4 && png[25] != 6))
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                           _("The mask must be a PNG with transparency: transparent where the image may change."));
      return FALSE;
    }
  first = g_ptr_array_index (request->references, 0);
  if (width != first->width || height != first->height)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("The mask is %d × %d but the image is %d × %d; they must be the same size."), width, height,
                   first->width, first->height);
      return FALSE;
    }
  return TRUE;
}

gboolean
px_engine_check_request (PxEngine             *self,
                         const PxModel        *model,
                         const PxProviderInfo *info,
                         PxGenerationRequest  *request,
                         const char           *api_key,
                         GHashTable          **settings,
                         GError              **error)
{
  GPtrArray *references = request->references;
  g_autoptr(GError) local_error = NULL;
  glong length;

  /* A model the provider has shut down: no request, and the ones it
   * still serves by name. */
  if (model->retired != NULL)
    {
      g_autofree char *alternatives = px_catalog_describe_alternatives (self->catalog, model);

      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_MODEL_RETIRED,
                   _("%s (%s) has been retired by %s (%s) and no longer makes images. Choose another model: %s."),
                   model->name, model->id, info->name, model->retired, alternatives ? alternatives : _("none known"));
      return FALSE;
    }

  *settings = px_model_resolve_settings (model, request->settings, &local_error);
  if (*settings == NULL)
    {
      g_propagate_error (error, px_engine_invalid_request (g_steal_pointer (&local_error)));
      return FALSE;
    }

  if (references->len > model->reference_images)
    {
      if (model->reference_images == 0)
        g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                     _("%s cannot use a reference image; remove it or choose another model."), model->name);
      else
        g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                     _("%s takes at most %u reference images, not %u."),
                     model->name, model->reference_images, references->len);
      return FALSE;
    }

  for (guint i = 0; i < references->len; i++)
    {
      PxImage *image = g_ptr_array_index (references, i);
      g_clear_pointer (&image->mime_type, g_free);
      if (!px_image_check (image->bytes, &image->mime_type, &image->width, &image->height, NULL))
        {
          g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                       _("The reference image cannot be used: it is not a PNG, JPEG or WebP image "
                         "Pixmerge can read."));
          return FALSE;
        }
    }

  if (request->mask != NULL && !check_mask (model, info, request, error))
    return FALSE;

  length = g_utf8_strlen (request->prompt, -1);
  if (length == 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST, _("The prompt is empty."));
      return FALSE;
    }
  if (model->max_prompt_chars > 0 && length > model->max_prompt_chars)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                   _("The prompt is %ld characters long, but %s accepts at most %ld; shorten it by %ld characters."),
                   length, model->name, model->max_prompt_chars, length - model->max_prompt_chars);
      return FALSE;
    }

  if (info->key_policy == PX_KEY_REQUIRED && api_key == NULL)
    {
      if (info->key_env != NULL)
        g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH,
                     _("There is no API key for %s. Add one in Preferences, or set %s."),
                     info->name, info->key_env);
      else
        g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH,
                     _("There is no API key for %s. Add one in Preferences."), info->name);
      return FALSE;
    }

  return TRUE;
}

