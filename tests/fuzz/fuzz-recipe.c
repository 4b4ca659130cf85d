/* fuzz-recipe.c: edit recipes (a file a user was sent) on any bytes; a
 * recipe that reads is written back and reads again to the same JSON,
 * and its Editor look, when it has one, makes the same recipe. */
#include "config.h"

#include "fuzz-common.h"
#include "px-edit-look.h"
#include "px-recipe.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxRecipe) recipe = px_recipe_new_from_json ((const char *) data, size, &error);
  g_autoptr(PxRecipe) again = NULL;
  g_autoptr(PxEditLook) look = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  if (recipe == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  json = px_recipe_to_json (recipe);
  again = px_recipe_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  json_again = px_recipe_to_json (again);
  g_assert_cmpstr (json, ==, json_again);
  look = px_edit_look_from_recipe (recipe);
  if (look != NULL)
    {
      g_autoptr(PxRecipe) made = px_edit_look_to_recipe (look);
      g_autofree char *made_json = px_recipe_to_json (made);

      g_assert_cmpstr (made_json, ==, json);
    }
  return 0;
}
