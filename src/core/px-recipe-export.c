/* px-recipe-export.c: an edit written as a PNG file outside the library:
 * the image read, the recipe rendered at full size and the file written
 * whole or not at all (g_file_set_contents writes a temporary file and
 * renames it), all on a worker. */
#include "config.h"

#include "px-recipe.h"

typedef struct {
  char       *file;
  PxRecipe   *recipe;
  GHashTable *tokens;
  char       *target;
} Export;

static void
export_free (Export *export)
{
  g_free (export->file);
  px_recipe_free (export->recipe);
  g_hash_table_unref (export->tokens);
  g_free (export->target);
  g_free (export);
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *export = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;
  gsize length;

  if (g_file_get_contents (export->file, &contents, &length, &error))
    {
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      png = px_recipe_render_png (export->recipe, bytes, export->tokens, 0, &error);
    }
  if (png != NULL &&
      g_file_set_contents (export->target, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The image in @file edited by @recipe (its text filled from @tokens),
 * written at full size as a PNG at @target. */
void
px_recipe_export_async (const char          *file,
                        const PxRecipe      *recipe,
                        GHashTable          *tokens,
                        const char          *target,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Export *export = g_new0 (Export, 1);

  export->file = g_strdup (file);
  export->recipe = px_recipe_copy (recipe);
  export->tokens = g_hash_table_ref (tokens);
  export->target = g_strdup (target);
  g_task_set_source_tag (task, px_recipe_export_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_in_thread);
}

gboolean
px_recipe_export_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
