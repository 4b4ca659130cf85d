/* px-generation.c: constructors and destructors of requests and results. */
#include "config.h"

#include "px-generation.h"

PxImage *
px_image_new (GBytes     *bytes,
              const char *mime_type)
{
  PxImage *image = g_new0 (PxImage, 1);

  image->bytes = g_bytes_ref (bytes);
  image->mime_type = g_strdup (mime_type);

  return image;
}

void
px_image_free (PxImage *image)
{
  if (image == NULL)
    return;

  g_bytes_unref (image->bytes);
  g_free (image->mime_type);
  g_free (image);
}

static GHashTable *
new_string_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

PxGenerationRequest *
px_generation_request_new (const char *model_id,
                           const char *prompt)
{
  PxGenerationRequest *request = g_new0 (PxGenerationRequest, 1);

  request->model_id = g_strdup (model_id);
  request->prompt = g_strdup (prompt);
  request->template_prompt = g_strdup (prompt);
  request->tokens = new_string_table ();
  request->settings = new_string_table ();
  request->references = g_ptr_array_new_with_free_func ((GDestroyNotify) px_image_free);

  return request;
}

/* What the prompt was made from: the template with tokens and their values
 * (the library keeps them; they do not change what is sent). */
void
px_generation_request_set_template (PxGenerationRequest *request,
                                    const char          *template_prompt,
                                    GHashTable          *tokens)
{
  g_free (request->template_prompt);
  request->template_prompt = g_strdup (template_prompt);
  if (tokens != NULL)
    {
      g_hash_table_unref (request->tokens);
      request->tokens = g_hash_table_ref (tokens);
    }
}

void
px_generation_request_set_setting (PxGenerationRequest *request,
                                   const char          *name,
                                   const char          *value)
{
  g_hash_table_insert (request->settings, g_strdup (name), g_strdup (value));
}

void
px_generation_request_add_reference (PxGenerationRequest *request,
                                     GBytes              *bytes,
                                     const char          *mime_type)
{
  g_ptr_array_add (request->references, px_image_new (bytes, mime_type));
}

/* The mask of an edit: the first reference image may change where the
 * mask is transparent (OpenAI's edits); NULL removes it. */
void
px_generation_request_set_mask (PxGenerationRequest *request,
                                GBytes              *png)
{
  g_clear_pointer (&request->mask, px_image_free);
  if (png != NULL)
    request->mask = px_image_new (png, "image/png");
}

void
px_generation_request_free (PxGenerationRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->template_prompt);
  g_hash_table_unref (request->tokens);
  g_free (request->prompt);
  g_free (request->model_id);
  g_hash_table_unref (request->settings);
  g_ptr_array_unref (request->references);
  g_clear_pointer (&request->mask, px_image_free);
  g_free (request);
}

PxGenerationResult *
px_generation_result_new (void)
{
  PxGenerationResult *result = g_new0 (PxGenerationResult, 1);

  result->images = g_ptr_array_new_with_free_func ((GDestroyNotify) px_image_free);
  result->output_tokens = -1;

  return result;
}

void
px_generation_result_free (PxGenerationResult *result)
{
  if (result == NULL)
    return;

  g_ptr_array_unref (result->images);
  g_free (result->revised_prompt);
  g_free (result->provider_id);
  g_free (result->model_id);
  g_free (result->provider_metadata);
  g_clear_pointer (&result->settings, g_hash_table_unref);
  g_free (result);
}
