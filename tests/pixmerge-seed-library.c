/* pixmerge-seed-library DIR N [--batch] [--videos K] [--usage E]: fills a
 * library folder with N generated-looking images (small real PNGs that
 * show their prompt, varied models, tokens and dates), for the gallery's
 * tests, screenshots and benchmarks; --batch makes them the rows of one
 * batch, --videos K makes a video of each of the first K, --usage E adds E
 * usage events spread over the last 90 days (the Analytics page's). */
#include "config.h"

#include <stdlib.h>

#include "px-batch.h"
#include "px-fake-image.h"
#include "px-library-private.h"
#include "px-usage.h"
#include "px-video.h"

static const char * const names[] = { "Ada", "Bo", "Chidi", "Dana", "Emil", "Fatima", "Goran", "Hana" };
static const char * const companies[] = { "Acme", "Globex", "Initech", "Umbrella", "Stark" };
static const char * const models[][2] = {
  { "openai", "gpt-image-1.5" }, { "openai", "gpt-image-2" }, { "gemini", "gemini-3.1-flash-image" },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 batch_id = 0;
  guint64 n, n_videos = 0, n_usage = 0;
  gboolean in_batch = FALSE;

  for (int i = 3; i < argc; i++)
    if (g_str_equal (argv[i], "--batch"))
      in_batch = TRUE;
    else if (g_str_equal (argv[i], "--usage") && i + 1 < argc &&
             g_ascii_string_to_unsigned (argv[i + 1], 10, 0, 10000000, &n_usage, NULL))
      i++;
    else if (g_str_equal (argv[i], "--videos") && i + 1 < argc &&
             g_ascii_string_to_unsigned (argv[i + 1], 10, 0, 1000, &n_videos, NULL))
      i++;
    else
      argc = 0;
  if (argc < 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 1000000, &n, NULL))
    {
      g_printerr ("usage: pixmerge-seed-library DIR N [--batch] [--videos K] [--usage E]\n");
      return 2;
    }

  library = px_library_open (argv[1], &error);
  if (library == NULL)
    {
      g_printerr ("pixmerge-seed-library: %s\n", error->message);
      return 1;
    }

  if (in_batch)
    {
      const char *columns[] = { "NAME", NULL };
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      PxBatchSpec spec = { .template_prompt = "Portrait [N] of [NAME] from [COMPANY]", .model_id = "gpt-image-2",
                           .columns = columns };

      for (guint64 i = 0; i < n; i++)
        g_ptr_array_add (rows, g_strdupv ((char *[]) { (char *) names[i % G_N_ELEMENTS (names)], NULL }));
      spec.rows = rows;
      batch_id = px_batch_create (library, &spec, &error);
      if (batch_id <= 0)
        {
          g_printerr ("pixmerge-seed-library: %s\n", error->message);
          return 1;
        }
    }

  if (!px_library_begin_bulk (library, &error))
    {
      g_printerr ("pixmerge-seed-library: %s\n", error->message);
      return 1;
    }

  for (guint64 i = 0; i < n; i++)
    {
      const char *name = names[i % G_N_ELEMENTS (names)];
      const char *company = companies[(i / G_N_ELEMENTS (names)) % G_N_ELEMENTS (companies)];
      guint m = i % G_N_ELEMENTS (models);
      g_autofree char *prompt = g_strdup_printf ("Portrait %" G_GUINT64_FORMAT " of %s from %s", i + 1, name, company);
      g_autoptr(PxGenerationRequest) request = px_generation_request_new (models[m][1], prompt);
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GBytes) png = px_fake_render_image (prompt, 128, 128, "png");
      PxImage *image = px_image_new (png, "image/png");
      gint64 id;

      px_generation_request_set_template (request, "Portrait [N] of [NAME] from [COMPANY]", NULL);
      g_hash_table_insert (request->tokens, g_strdup ("NAME"), g_strdup (name));
      g_hash_table_insert (request->tokens, g_strdup ("COMPANY"), g_strdup (company));
      image->width = image->height = 128;
      g_ptr_array_add (result->images, image);
      result->provider_id = g_strdup (models[m][0]);
      result->model_id = g_strdup (models[m][1]);
      result->cost = 0.04;

      /* Every tenth is a meme, for the feature filter. */
      id = batch_id > 0 ? px_library_add_batch_generation (library, request, result, 0, "batch", batch_id, &error)
                        : px_library_add_generation (library, request, result, 0, i % 10 == 9 ? "meme" : "generate",
                                                     &error);
      if (id == 0)
        {
          g_printerr ("pixmerge-seed-library: %s\n", error->message);
          return 1;
        }
      g_array_append_val (ids, id);
    }

  /* Usage over the last 90 days: more on weekdays, several models. */
  {
    static const char * const features[] = { "generate", "batch", "compare", "meme", "ai-edit" };
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;
    GRand *rand = g_rand_new_with_seed (42);

    for (guint64 i = 0; i < n_usage; i++)
      {
        guint m = g_rand_int_range (rand, 0, G_N_ELEMENTS (models));
        PxUsageEvent event = {
          .kind = "generation", .provider = models[m][0], .model = models[m][1],
          .feature = features[g_rand_int_range (rand, 0, G_N_ELEMENTS (features))],
          .batch_id = g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, 1, 40) : 0, .images = 1,
          .cost = m == 2 ? 0.039 : m == 1 ? 0.053 : 0.034, .cached = g_rand_int_range (rand, 0, 20) == 0,
          .duration_ms = g_rand_int_range (rand, 4000, 25000),
          .created = now - (gint64) (g_rand_double (rand) * g_rand_double (rand) * 90 * 86400),
        };

        if (!px_usage_record (library, &event, &error))
          {
            g_printerr ("pixmerge-seed-library: %s\n", error->message);
            return 1;
          }
      }
    g_rand_free (rand);
  }

  if (!px_library_end_bulk (library, &error))
    {
      g_printerr ("pixmerge-seed-library: %s\n", error->message);
      return 1;
    }

  for (guint64 i = 0; i < MIN (n_videos, n); i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(PxLibraryImage) image = px_library_get_image (library, id, &error);
      g_autofree char *contents = NULL;
      g_autofree char *video = g_strdup_printf ("%s/seed-video.webm", argv[1]);
      g_autofree char *poster = g_strdup_printf ("%s/seed-video.png", argv[1]);
      g_autoptr(GBytes) bytes = NULL;
      PxVideoSettings settings;
      gsize length;
      int width, height;

      px_video_settings_init (&settings);
      settings.seconds = 1 + i % 3;
      settings.lines = 480;
      settings.effect = (PxVideoEffect) (i % (PX_VIDEO_EFFECT_KEN_BURNS + 1));
      if (image == NULL || !g_file_get_contents (image->file, &contents, &length, &error))
        {
          g_printerr ("pixmerge-seed-library: %s\n", error->message);
          return 1;
        }
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      if (!px_video_render (bytes, &settings, video, NULL, NULL, NULL, &error) ||
          !px_video_poster (bytes, &settings, poster, &width, &height, &error) ||
          px_library_add_video (library, id, video, poster, &settings, width, height, &error) == 0)
        {
          g_printerr ("pixmerge-seed-library: %s\n", error->message);
          return 1;
        }
    }

  g_print ("%s: %" G_GUINT64_FORMAT " images\n", argv[1], n);
  return 0;
}
