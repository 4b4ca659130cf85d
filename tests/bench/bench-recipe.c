/* bench-recipe.c: edit recipes against their targets. The live preview:
 * a 2048 × 2048 image decoded once at screen size (1024), the recipe
 * applied again for every slider step, at most 33 ms a frame; a full-size
 * render of crop + adjust + text on a 1024 × 1024 image (decode included)
 * in at most 60 ms. Exits 1 when a target is missed. */
#include "config.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#include "px-batch.h"
#include "px-edit-batch.h"
#include "px-library-private.h"
#include "px-recipe.h"

/* A busy picture: gradients and shapes, as a PNG. */
static GBytes *
picture (int size)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, size, size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "pixmerge-bench-recipe.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.1, 0.3, 0.6);
  cairo_pattern_add_color_stop_rgb (sky, 1, 0.9, 0.7, 0.3);
  cairo_set_source (cr, sky);
  cairo_paint (cr);
  cairo_pattern_destroy (sky);
  for (int i = 0; i < 300; i++)
    {
      cairo_set_source_rgba (cr, g_rand_double (rand), g_rand_double (rand), g_rand_double (rand), 0.4);
      cairo_arc (cr, g_rand_double (rand) * size, g_rand_double (rand) * size, 4 + g_rand_double (rand) * size / 10,
                 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (at = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (at + 6, NULL, 10);
}

typedef struct {
  long early;
} Memory;

static void
on_edited (guint    done,
           guint    total,
           gint64   edit_id,
           gpointer user_data)
{
  Memory *memory = user_data;

  if (done == 100)
    memory->early = rss_kb ();
}

/* Apply Edits over a 1,000-row batch of 1024 × 1024 images: seconds, and
 * RSS after 100 edits and at the end. */
static double
batch_edit (GBytes *image,
            long   *early,
            long   *late)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pixmerge-bench-edit-XXXXXX", &error);
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *columns[] = { "N", NULL };
  PxBatchSpec spec = { .template_prompt = "Card [N]", .model_id = "gpt-image-2", .columns = columns };
  g_autoptr(PxRecipe) recipe = px_recipe_new_from_json ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\"}, "
                                                        "{\"op\": \"adjust\", \"exposure\": 0.2, \"contrast\": 0.1, "
                                                        "\"saturation\": -0.3}, {\"op\": \"text\", \"text\": \"Card "
                                                        "[N]\", \"size\": 64, \"color\": \"#ffffff\", \"outline\": "
                                                        "\"#000000\", \"position\": \"bottom\"}]}", -1, &error);
  Memory memory = { 0 };
  gint64 batch_id, start;

  g_assert_no_error (error);
  for (int i = 0; i < 1000; i++)
    g_ptr_array_add (rows, g_strdupv ((char *[]) { g_strdup_printf ("%d", i), NULL }));
  spec.rows = rows;
  batch_id = px_batch_create (library, &spec, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 1000; i++)
    {
      g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gpt-image-2", "Card");
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      PxImage *generated = px_image_new (image, "image/png");

      px_generation_request_set_template (request, "Card [N]", NULL);
      g_hash_table_insert (request->tokens, g_strdup ("N"), g_strdup_printf ("%d", i));
      generated->width = generated->height = 1024;
      g_ptr_array_add (result->images, generated);
      result->provider_id = g_strdup ("openai");
      result->model_id = g_strdup ("gpt-image-2");
      if (px_library_add_batch_generation (library, request, result, 0, "batch", batch_id, &error) == 0)
        g_error ("%s", error->message);
    }
  start = g_get_monotonic_time ();
  if (!px_edit_batch_run (library, batch_id, recipe, 0, on_edited, &memory, NULL, NULL, &error))
    g_error ("%s", error->message);
  *early = memory.early;
  *late = rss_kb ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = picture (2048);
  g_autoptr(GBytes) medium = picture (1024);
  g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);
  cairo_surface_t *source;
  double scale, frames[60], full[10], worst, median, best_full;
  gboolean ok = FALSE;

  g_hash_table_insert (tokens, "FIRSTNAME", "Ada");
  source = px_recipe_decode (big, 1024, &scale, &error);
  g_assert_no_error (error);

  /* Dragging the exposure slider: 60 steps, each a new recipe applied. */
  for (int i = 0; i < 60; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"4:5\"}, "
                                               "{\"op\": \"adjust\", \"exposure\": %g, \"contrast\": 0.1, "
                                               "\"saturation\": -0.2}, {\"op\": \"text\", \"text\": \"Hello "
                                               "[FIRSTNAME]\", \"size\": 96, \"color\": \"#ffffff\", \"outline\": "
                                               "\"#000000\", \"position\": \"bottom\"}]}", -1 + i / 30.0);
      g_autoptr(PxRecipe) recipe = px_recipe_new_from_json (json, -1, &error);
      cairo_surface_t *out;
      gint64 start = g_get_monotonic_time ();

      out = px_recipe_apply (recipe, source, scale, tokens, &error);
      g_assert_no_error (error);
      frames[i] = (g_get_monotonic_time () - start) / 1000.0;
      cairo_surface_destroy (out);
    }
  cairo_surface_destroy (source);
  qsort (frames, G_N_ELEMENTS (frames), sizeof (double), compare_doubles);
  median = frames[G_N_ELEMENTS (frames) / 2];
  worst = frames[G_N_ELEMENTS (frames) - 1];

  /* Full size: decode, crop, adjust, text on 1024 × 1024. */
  {
    g_autoptr(PxRecipe) recipe = px_recipe_new_from_json ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\"}, "
                                                          "{\"op\": \"adjust\", \"exposure\": 0.2, \"contrast\": 0.1, "
                                                          "\"saturation\": -0.3}, {\"op\": \"text\", \"text\": \"Hello "
                                                          "[FIRSTNAME]\", \"size\": 64, \"color\": \"#ff0000\", "
                                                          "\"outline\": \"#000000\", \"position\": \"bottom\"}]}",
                                                          -1, &error);

    for (int i = 0; i < 10; i++)
      {
        gint64 start = g_get_monotonic_time ();
        cairo_surface_t *out = px_recipe_render_surface (recipe, medium, tokens, 0, &error);

        g_assert_no_error (error);
        full[i] = (g_get_monotonic_time () - start) / 1000.0;
        cairo_surface_destroy (out);
      }
    qsort (full, G_N_ELEMENTS (full), sizeof (double), compare_doubles);
    best_full = full[G_N_ELEMENTS (full) / 2];
  }

  g_print ("recipe: live preview of a 2048x2048 image at 1024 (crop, adjust, text): median %.1f ms, worst %.1f ms a "
           "frame (target: <= 33 ms)\n", median, worst);
  g_print ("recipe: full-size crop + adjust + text on 1024x1024, decode included: median %.1f ms (target: <= 60 ms)\n",
           best_full);
  {
    long early = 0, late = 0;
    double seconds = batch_edit (medium, &early, &late);

    g_print ("recipe: Apply Edits over 1,000 images of 1024x1024 (crop, adjust, text with the row's token), %u "
             "threads: %.1f s (target: <= 90 s); RSS after 100 %ld KB, after 1,000 %ld KB (target: flat)\n",
             g_get_num_processors (), seconds, early, late);
    ok = worst <= 33 && best_full <= 60 && seconds <= 90 && late - early < 20 * 1024;
  }
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
