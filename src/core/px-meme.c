/* px-meme.c: the classic meme look — upper-case condensed heavy type,
 * white with a black outline, shrunk until each caption fits in a quarter
 * of the image — is a preset of the edit recipe's text step (style
 * "meme"); this puts the captions of a meme result through it. */
#include "config.h"

#include "px-meme.h"
#include "px-recipe.h"

/* The image with its captions, as PNG: the meme style of the recipe's
 * text step, at the top and the bottom; either caption may be empty;
 * mime_type is not needed (the bytes say what they are). */
GBytes *
px_meme_render (GBytes      *image,
                const char  *mime_type,
                const char  *top,
                const char  *bottom,
                GError     **error)
{
  g_autoptr(PxRecipe) recipe = px_recipe_new ();
  const char *captions[] = { top, bottom };
  const char *places[] = { "top", "bottom" };

  g_return_val_if_fail (image != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (captions); i++)
    if (captions[i] != NULL && *captions[i] != '\0')
      {
        /* Captions are the user's words as they are: no [TOKENS] here. */
        PxRecipeOp op = { .kind = PX_RECIPE_TEXT, .text = (char *) captions[i], .meme = TRUE, .literal = TRUE,
                          .position = (char *) places[i], .color = 0xffffff, .wrap = 1 };

        px_recipe_append (recipe, &op);
      }
  return px_recipe_render_png (recipe, image, NULL, 0, error);
}

/* Captions on every image of a result, in place (a PNG each); the
 * originals go to raw when given, so the captions can be changed later.
 * Empty captions leave the result as it is. */
gboolean
px_meme_caption_result (PxGenerationResult *result,
                        const char         *top,
                        const char         *bottom,
                        GPtrArray          *raw,
                        GError            **error)
{
  if ((top == NULL || *top == '\0') && (bottom == NULL || *bottom == '\0'))
    return TRUE;

  for (guint i = 0; i < result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (result->images, i);
      GBytes *drawn = px_meme_render (image->bytes, image->mime_type, top, bottom, error);

      if (drawn == NULL)
        return FALSE;
      if (raw != NULL)
        g_ptr_array_add (raw, g_bytes_ref (image->bytes));
      g_bytes_unref (image->bytes);
      image->bytes = drawn;
      g_free (image->mime_type);
      image->mime_type = g_strdup ("image/png");
    }
  return TRUE;
}
