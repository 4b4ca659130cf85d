/* px-edit-look.c: the Editor's state and its recipe. The recipe is built
 * in one order (crop, turn, flip, straighten, adjust, sharpen, filter,
 * text, overlay, resize) so the same look
 * is always the same recipe; a saved edit's recipe is read back into a
 * look when it has only what the Editor makes. */
#include "config.h"

#include <string.h>

#include "px-edit-look.h"

static const char * const aspects[] = { NULL, "1:1", "4:5", "16:9", "9:16", "3:2" };
static const char * const filters[] = { NULL, "bw", "sepia", "vignette", "fade", "vivid", "cool", "warm" };
static const char * const positions[] = { "bottom", "center", "top" };
/* Each colour with the outline that sets it off. */
static const guint32 colours[][2] = {
  { 0xffffff, 0x000000 }, { 0x000000, 0xffffff }, { 0xffd60a, 0x000000 },
  { 0xe01b24, 0xffffff }, { 0x1c71d8, 0xffffff }, { 0x2ec27e, 0x000000 },
};
static const char * const fonts[] = { NULL, "Serif Bold", "Monospace Bold" };
static const char * const corners[] = { "bottom-right", "bottom-left", "top-right", "top-left", "center" };

PxEditLook *
px_edit_look_new (void)
{
  PxEditLook *look = g_new0 (PxEditLook, 1);

  look->text_size = 64;
  look->overlay_scale = 0.2;
  look->overlay_opacity = 1;
  look->enlarge = 1;
  return look;
}

PxEditLook *
px_edit_look_copy (const PxEditLook *look)
{
  PxEditLook *copy = g_memdup2 (look, sizeof *look);

  copy->text = g_strdup (look->text);
  copy->overlay = g_strdup (look->overlay);
  return copy;
}

void
px_edit_look_free (PxEditLook *look)
{
  if (look == NULL)
    return;
  g_free (look->text);
  g_free (look->overlay);
  g_free (look);
}

gboolean
px_edit_look_equal (const PxEditLook *a,
                    const PxEditLook *b)
{
  return a->aspect == b->aspect && a->turns == b->turns && a->flipped == b->flipped && a->exposure == b->exposure &&
         a->contrast == b->contrast && a->saturation == b->saturation && a->warmth == b->warmth &&
         a->filter == b->filter && g_strcmp0 (a->text ? a->text : "", b->text ? b->text : "") == 0 &&
         a->position == b->position && a->text_size == b->text_size && a->meme == b->meme &&
         a->text_colour == b->text_colour && a->text_font == b->text_font &&
         a->straighten == b->straighten && a->sharpen == b->sharpen && g_strcmp0 (a->overlay, b->overlay) == 0 &&
         a->overlay_corner == b->overlay_corner && a->overlay_scale == b->overlay_scale &&
         a->overlay_opacity == b->overlay_opacity && a->enlarge == b->enlarge;
}

gboolean
px_edit_look_is_original (const PxEditLook *look)
{
  g_autoptr(PxRecipe) recipe = px_edit_look_to_recipe (look);

  return px_recipe_get_n_ops (recipe) == 0;
}

PxRecipe *
px_edit_look_to_recipe (const PxEditLook *look)
{
  PxRecipe *recipe = px_recipe_new ();
  PxRecipeOp op;

  if (look->aspect > 0 && look->aspect < G_N_ELEMENTS (aspects))
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_CROP, .aspect = (char *) aspects[look->aspect], .x = 0.5, .y = 0.5,
                          .width = 1, .height = 1 };
      px_recipe_append (recipe, &op);
    }
  if (look->turns % 4 != 0)
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_ROTATE, .degrees = (int) (look->turns % 4) * 90 };
      px_recipe_append (recipe, &op);
    }
  if (look->flipped)
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_FLIP };
      px_recipe_append (recipe, &op);
    }
  if (look->straighten != 0)
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_STRAIGHTEN, .angle = look->straighten };
      px_recipe_append (recipe, &op);
    }
  if (look->exposure != 0 || look->contrast != 0 || look->saturation != 0 || look->warmth != 0)
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_ADJUST, .exposure = look->exposure, .contrast = look->contrast,
                          .saturation = look->saturation, .warmth = look->warmth };
      px_recipe_append (recipe, &op);
    }
  if (look->sharpen > 0)
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_SHARPEN, .amount = look->sharpen };
      px_recipe_append (recipe, &op);
    }
  if (look->filter > 0 && look->filter < G_N_ELEMENTS (filters))
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_FILTER, .filter = (char *) filters[look->filter], .amount = 1 };
      px_recipe_append (recipe, &op);
    }
  if (look->text != NULL && *look->text != '\0')
    {
      guint colour = MIN (look->text_colour, G_N_ELEMENTS (colours) - 1);

      op = (PxRecipeOp) { .kind = PX_RECIPE_TEXT, .text = look->text, .size = look->text_size,
                          .color = colours[colour][0], .outline = colours[colour][1], .has_outline = !look->meme,
                          .shadow = !look->meme, .font = look->meme ? NULL : (char *) fonts[MIN (look->text_font, 2)],
                          .meme = look->meme,
                          .position = (char *) positions[MIN (look->position, G_N_ELEMENTS (positions) - 1)],
                          .wrap = 0.9 };
      px_recipe_append (recipe, &op);
    }
  if (look->overlay != NULL && *look->overlay != '\0')
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_OVERLAY, .file = look->overlay, .scale = look->overlay_scale,
                          .opacity = look->overlay_opacity,
                          .position = (char *) corners[MIN (look->overlay_corner, G_N_ELEMENTS (corners) - 1)] };
      px_recipe_append (recipe, &op);
    }
  if (look->enlarge == 2 || look->enlarge == 4)
    {
      op = (PxRecipeOp) { .kind = PX_RECIPE_RESIZE, .factor = (int) look->enlarge };
      px_recipe_append (recipe, &op);
    }
  return recipe;
}

static guint
index_of (const char * const *names,
          guint               n,
          const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return G_MAXUINT;
}

/* The look a recipe stands for; NULL when it has steps or settings the
 * Editor does not make (a recipe written by hand). */
PxEditLook *
px_edit_look_from_recipe (const PxRecipe *recipe)
{
  g_autoptr(PxEditLook) look = px_edit_look_new ();
  g_autoptr(PxRecipe) again = NULL;
  g_autofree char *want = NULL, *got = NULL;

  for (guint i = 0; i < px_recipe_get_n_ops (recipe); i++)
    {
      const PxRecipeOp *op = px_recipe_get_op (recipe, i);

      switch (op->kind)
        {
        case PX_RECIPE_CROP:
          look->aspect = index_of (aspects, G_N_ELEMENTS (aspects), op->aspect);
          break;
        case PX_RECIPE_ROTATE:
          look->turns = op->degrees / 90;
          break;
        case PX_RECIPE_FLIP:
          look->flipped = !op->vertical;
          break;
        case PX_RECIPE_STRAIGHTEN:
          look->straighten = op->angle;
          break;
        case PX_RECIPE_SHARPEN:
          look->sharpen = op->amount;
          break;
        case PX_RECIPE_OVERLAY:
          g_free (look->overlay);
          look->overlay = g_strdup (op->file);
          look->overlay_scale = op->scale;
          look->overlay_opacity = op->opacity;
          look->overlay_corner = index_of (corners, G_N_ELEMENTS (corners), op->position);
          break;
        case PX_RECIPE_RESIZE:
          look->enlarge = (guint) op->factor;
          break;
        case PX_RECIPE_ADJUST:
          look->exposure = op->exposure;
          look->contrast = op->contrast;
          look->saturation = op->saturation;
          look->warmth = op->warmth;
          break;
        case PX_RECIPE_FILTER:
          look->filter = index_of (filters, G_N_ELEMENTS (filters), op->filter);
          break;
        case PX_RECIPE_TEXT:
          g_free (look->text);
          look->text = g_strdup (op->text);
          look->text_size = op->size;
          look->meme = op->meme;
          look->text_font = index_of (fonts, G_N_ELEMENTS (fonts), op->font);
          look->text_colour = 0;
          for (guint c = 0; c < G_N_ELEMENTS (colours); c++)
            if (colours[c][0] == op->color)
              look->text_colour = c;
          look->position = index_of (positions, G_N_ELEMENTS (positions), op->position);
          break;
        default:
          return NULL;
        }
      if (look->aspect == G_MAXUINT || look->filter == G_MAXUINT || look->position == G_MAXUINT ||
          look->overlay_corner == G_MAXUINT || look->text_font == G_MAXUINT)
        return NULL;
    }
  /* Only if the look makes exactly that recipe again. */
  again = px_edit_look_to_recipe (look);
  want = px_recipe_to_json (recipe);
  got = px_recipe_to_json (again);
  return g_str_equal (want, got) ? g_steal_pointer (&look) : NULL;
}
