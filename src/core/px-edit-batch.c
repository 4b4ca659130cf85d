/* px-edit-batch.c: a recipe over a whole batch. Rendering is the slow
 * part and each image is on its own, so several are rendered at once on a
 * pool of threads (one per core unless asked); the edits are kept one by
 * one on the calling thread in the order they finish. At most twice as
 * many images as threads are in memory at a time, however long the batch.
 * An image that already has an edit with this recipe is skipped, so a run
 * cut short carries on; edits are never edited again. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-edit-batch.h"
#include "px-json.h"

typedef struct {
  gint64  image_id;
  char   *file;
  char   *tokens_json;
  GBytes *png;        /* the edit, or NULL */
  GError *error;
} Item;

static void
item_free (Item *item)
{
  g_free (item->file);
  g_free (item->tokens_json);
  g_clear_pointer (&item->png, g_bytes_unref);
  g_clear_error (&item->error);
  g_free (item);
}

typedef struct {
  const PxRecipe *recipe;
  GAsyncQueue    *done;
  GCancellable   *cancellable;
} Shared;

static void
render_item (gpointer data,
             gpointer user_data)
{
  Item *item = data;
  Shared *shared = user_data;
  g_autoptr(GHashTable) tokens = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  if (!g_cancellable_is_cancelled (shared->cancellable))
    {
      tokens = px_json_to_table (item->tokens_json);
      if (g_file_get_contents (item->file, &contents, &length, &item->error))
        {
          bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
          item->png = px_recipe_render_png (shared->recipe, bytes, tokens, 0, &item->error);
        }
      if (item->error != NULL)
        g_prefix_error (&item->error, _("Image %" PRId64 ": "), item->image_id);
    }
  g_async_queue_push (shared->done, item);
}

/* Edits every image of batch @batch_id with @recipe; FALSE with @error at
 * the first image that cannot be edited, when cancelled, or when the
 * library cannot be written (edits kept until then stay). */
gboolean
px_edit_batch_run (PxLibrary           *library,
                   gint64               batch_id,
                   const PxRecipe      *recipe,
                   guint                threads,
                   PxEditBatchProgress  progress,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   guint               *skipped,
                   GError             **error)
{
  PxLibraryQuery query = { .sort = PX_LIBRARY_SORT_OLDEST, .batch_id = batch_id };
  g_autofree char *recipe_json = px_recipe_to_json (recipe);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();
  GError *local_error = NULL;
  GThreadPool *pool;
  Shared shared = { recipe, g_async_queue_new (), cancellable };
  guint n, sent = 0, received = 0, done = 0, total;

  if (skipped != NULL)
    *skipped = 0;
  n = px_library_count (library, &query, &local_error);
  images = local_error == NULL ? px_library_list (library, &query, 0, n, &local_error) : NULL;
  if (images == NULL)
    {
      g_async_queue_unref (shared.done);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (images, i);

      if (image->parent_id > 0 && image->recipe_json != NULL)
        continue;   /* an edit */
      if (px_library_has_edit (library, image->id, recipe_json, NULL))
        {
          if (skipped != NULL)
            (*skipped)++;
          continue;
        }
      g_ptr_array_add (todo, image);
    }
  total = todo->len;

  threads = threads > 0 ? threads : MAX (1, g_get_num_processors ());
  pool = g_thread_pool_new (render_item, &shared, (int) threads, FALSE, NULL);
  while (received < total)
    {
      Item *item;

      /* Keep the pool fed, within its memory bound. */
      while (sent < total && sent - received < threads * 2 && local_error == NULL)
        {
          PxLibraryImage *image = g_ptr_array_index (todo, sent++);

          item = g_new0 (Item, 1);
          item->image_id = image->id;
          item->file = g_strdup (image->file);
          item->tokens_json = g_strdup (image->tokens_json);
          g_thread_pool_push (pool, item, NULL);
        }
      if (received == sent)
        break;
      item = g_async_queue_pop (shared.done);
      received++;
      if (local_error == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, &local_error);
      if (local_error == NULL && item->error != NULL)
        local_error = g_steal_pointer (&item->error);
      else if (local_error == NULL && item->png != NULL)
        {
          gint64 edit = px_library_add_edit (library, item->image_id, item->png, recipe_json, &local_error);

          if (edit > 0)
            {
              done++;
              if (progress != NULL)
                progress (done, total, edit, progress_data);
            }
        }
      item_free (item);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_async_queue_unref (shared.done);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}
