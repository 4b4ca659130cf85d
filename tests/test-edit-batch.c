/* test-edit-batch.c: Apply Edits over a batch on real files: every image
 * edited with its own row's tokens (so every edit differs), linked to it,
 * rendered on several threads; run again, nothing is made twice; an image
 * broken on disk is named; cancel stops with what was made kept. */
#include "config.h"

#include <string.h>

#include "px-batch.h"
#include "px-edit-batch.h"
#include "px-fake-image.h"
#include "px-library-private.h"

static const char *names[] = { "Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara" };

static PxLibrary *
seeded (gint64 *batch_id,
        GArray *ids)
{
  static guint serial;
  g_autofree char *dir = g_strdup_printf ("%s/edit-batch-%u", g_get_user_data_dir (), ++serial);
  g_autoptr(GError) error = NULL;
  PxLibrary *library = px_library_open (dir, &error);
  const char *columns[] = { "NAME", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  PxBatchSpec spec = { .template_prompt = "Portrait of [NAME]", .model_id = "gpt-image-2", .columns = columns };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (rows, g_strdupv ((char *[]) { (char *) names[i], NULL }));
  spec.rows = rows;
  *batch_id = px_batch_create (library, &spec, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gpt-image-2", "Portrait");
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GBytes) png = px_fake_render_image ("Portrait", 160, 120, "png");
      PxImage *image = px_image_new (png, "image/png");
      gint64 id;

      px_generation_request_set_template (request, "Portrait of [NAME]", NULL);
      g_hash_table_insert (request->tokens, g_strdup ("NAME"), g_strdup (names[i]));
      image->width = 160;
      image->height = 120;
      g_ptr_array_add (result->images, image);
      result->provider_id = g_strdup ("openai");
      result->model_id = g_strdup ("gpt-image-2");
      id = px_library_add_batch_generation (library, request, result, 0, "batch", *batch_id, &error);
      g_assert_no_error (error);
      g_array_append_val (ids, id);
    }
  return library;
}

typedef struct {
  GArray *edits;
  guint   total;
} Seen;

static void
on_progress (guint    done,
             guint    total,
             gint64   edit_id,
             gpointer user_data)
{
  Seen *seen = user_data;

  g_array_append_val (seen->edits, edit_id);
  seen->total = total;
}

static void
test_every_row (void)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 batch_id;
  g_autoptr(PxLibrary) library = seeded (&batch_id, ids);
  g_autoptr(PxRecipe) recipe = px_recipe_new_from_json ("{\"operations\": [{\"op\": \"text\", \"text\": \"Hello [NAME]\", "
                                                        "\"size\": 20, \"position\": \"center\"}]}", -1, &error);
  g_autoptr(GHashTable) shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) problems = NULL;
  Seen seen = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  guint skipped = 99;

  g_assert_no_error (error);
  g_assert_true (px_edit_batch_run (library, batch_id, recipe, 3, on_progress, &seen, NULL, &skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (skipped, ==, 0);
  g_assert_cmpuint (seen.total, ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (seen.edits->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < seen.edits->len; i++)
    {
      g_autoptr(PxLibraryImage) edit = px_library_get_image (library, g_array_index (seen.edits, gint64, i), &error);
      gboolean from_batch = FALSE;

      g_assert_no_error (error);
      for (guint k = 0; k < ids->len; k++)
        from_batch |= edit->parent_id == g_array_index (ids, gint64, k);
      g_assert_true (from_batch);
      g_assert_cmpint (edit->batch_id, ==, batch_id);
      g_assert_nonnull (edit->recipe_json);
      /* Each row's name in its text: no two edits alike. */
      g_assert_false (g_hash_table_contains (shas, edit->sha256));
      g_hash_table_add (shas, g_strdup (edit->sha256));
    }

  /* Again: nothing to do, nothing made twice, edits not edited. */
  g_array_set_size (seen.edits, 0);
  g_assert_true (px_edit_batch_run (library, batch_id, recipe, 2, on_progress, &seen, NULL, &skipped, &error));
  g_assert_cmpuint (seen.edits->len, ==, 0);
  g_assert_cmpuint (skipped, ==, G_N_ELEMENTS (names));
  problems = px_library_check (library, &error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_array_unref (seen.edits);
}

static void
test_broken_and_cancelled (void)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 batch_id;
  g_autoptr(PxLibrary) library = seeded (&batch_id, ids);
  g_autoptr(PxRecipe) recipe = px_recipe_new_from_json ("{\"operations\": [{\"op\": \"filter\", \"name\": \"bw\"}]}", -1,
                                                        &error);
  g_autoptr(PxLibraryImage) image = px_library_get_image (library, g_array_index (ids, gint64, 2), &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *named = g_strdup_printf ("Image %" G_GINT64_FORMAT ":", image->id);

  g_assert_true (g_file_set_contents (image->file, "broken", -1, NULL));
  g_assert_false (px_edit_batch_run (library, batch_id, recipe, 1, NULL, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, named));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (px_edit_batch_run (library, batch_id, recipe, 2, NULL, NULL, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/edit-batch/every-row", test_every_row);
  g_test_add_func ("/edit-batch/broken-and-cancelled", test_broken_and_cancelled);

  return g_test_run ();
}
