/* pixmerge-seed-library: fills a library folder with N generated-looking
 * images (small real PNGs that show their prompt, varied models, tokens and
 * dates), for the gallery's tests, screenshots and benchmarks. */
#include "config.h"

#include <stdlib.h>

#include "px-fake-image.h"
#include "px-library.h"

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
  guint64 n;

  if (argc != 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 1000000, &n, NULL))
    {
      g_printerr ("usage: pixmerge-seed-library DIR N\n");
      return 2;
    }

  library = px_library_open (argv[1], &error);
  if (library == NULL)
    {
      g_printerr ("pixmerge-seed-library: %s\n", error->message);
      return 1;
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

      px_generation_request_set_template (request, "Portrait [N] of [NAME] from [COMPANY]", NULL);
      g_hash_table_insert (request->tokens, g_strdup ("NAME"), g_strdup (name));
      g_hash_table_insert (request->tokens, g_strdup ("COMPANY"), g_strdup (company));
      image->width = image->height = 128;
      g_ptr_array_add (result->images, image);
      result->provider_id = g_strdup (models[m][0]);
      result->model_id = g_strdup (models[m][1]);
      result->cost = 0.04;

      /* Every tenth is a meme, for the feature filter. */
      if (px_library_add_generation (library, request, result, 0, i % 10 == 9 ? "meme" : "generate", &error) == 0)
        {
          g_printerr ("pixmerge-seed-library: %s\n", error->message);
          return 1;
        }
    }

  if (!px_library_end_bulk (library, &error))
    {
      g_printerr ("pixmerge-seed-library: %s\n", error->message);
      return 1;
    }

  g_print ("%s: %" G_GUINT64_FORMAT " images\n", argv[1], n);
  return 0;
}
