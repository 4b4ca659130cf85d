/* test-recipe.c: edit recipes on real pixels. Each operation is checked
 * against pixels worked out by hand on synthetic images (within ±3 of 255
 * per channel unless a test says otherwise: rounding and PNG's 8 bits);
 * the README's recipe works as written; JSON round trips; the same input
 * gives the same bytes; three rows of tokens give three texts; bad recipes
 * name the step; a huge image is refused before it is decoded. */
#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>

#include "px-edit-history.h"
#include "px-edit-look.h"
#include "px-recipe.h"
#include "px-tokens.h"

#define TOLERANCE 3

static cairo_status_t
append (void                *closure,
        const unsigned char *data,
        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
to_png (cairo_surface_t *surface)
{
  GByteArray *png = g_byte_array_new ();

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* Four flat quarters: red top-left, green top-right, blue bottom-left,
 * grey (128) bottom-right. */
static GBytes *
quarters (int width,
          int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_rectangle (cr, 0, 0, width / 2, height / 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 1, 0);
  cairo_rectangle (cr, width / 2, 0, width - width / 2, height / 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_rectangle (cr, 0, height / 2, width / 2, height - height / 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 128 / 255.0, 128 / 255.0, 128 / 255.0);
  cairo_rectangle (cr, width / 2, height / 2, width - width / 2, height - height / 2);
  cairo_fill (cr);
  cairo_destroy (cr);
  return to_png (surface);
}

static GBytes *
flat (int     width,
      int     height,
      guint32 rgb)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  return to_png (surface);
}

static PxRecipe *
recipe (const char *json)
{
  g_autoptr(GError) error = NULL;
  PxRecipe *parsed = px_recipe_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  return parsed;
}

static GdkPixbuf *
render (const char *json,
        GBytes     *image,
        GHashTable *tokens)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxRecipe) parsed = recipe (json);
  g_autoptr(GBytes) png = px_recipe_render_png (parsed, image, tokens, 0, &error);
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();

  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static guint32
pixel (GdkPixbuf *pixbuf,
       int        x,
       int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  return (guint32) p[0] << 16 | p[1] << 8 | p[2];
}

static void
assert_pixel (GdkPixbuf *pixbuf,
              int        x,
              int        y,
              guint32    expected)
{
  guint32 got = pixel (pixbuf, x, y);

  for (int shift = 0; shift <= 16; shift += 8)
    if (ABS ((int) ((got >> shift) & 0xff) - (int) ((expected >> shift) & 0xff)) > TOLERANCE)
      g_error ("pixel (%d, %d) is #%06x, expected #%06x", x, y, got, expected);
}

/* Crop to an aspect (centred, or around a point), and a free crop. */
static void
test_crop (void)
{
  g_autoptr(GBytes) image = quarters (200, 100);
  g_autoptr(GdkPixbuf) square = render ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\"}]}", image, NULL);
  g_autoptr(GdkPixbuf) left = render ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\", \"x\": 0}]}", image,
                                      NULL);
  g_autoptr(GdkPixbuf) free_crop = render ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"free\", \"x\": 0.5, "
                                           "\"y\": 0.5, \"width\": 0.5, \"height\": 0.5}]}", image, NULL);
  g_autoptr(GdkPixbuf) wide = render ("{\"operations\": [{\"op\": \"crop\", \"aspect\": \"16:9\"}]}", image, NULL);

  g_assert_cmpint (gdk_pixbuf_get_width (square), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (square), ==, 100);
  /* Centred: the middle 100 columns, half red half green at the top. */
  assert_pixel (square, 10, 10, 0xff0000);
  assert_pixel (square, 90, 10, 0x00ff00);
  /* Around x = 0, kept inside: the left square, all red at the top. */
  assert_pixel (left, 10, 10, 0xff0000);
  assert_pixel (left, 90, 10, 0xff0000);
  assert_pixel (left, 90, 90, 0x0000ff);
  g_assert_cmpint (gdk_pixbuf_get_width (free_crop), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (free_crop), ==, 50);
  assert_pixel (free_crop, 50, 25, 0x808080);
  /* 16:9 of a 2:1 image: full height, 178 wide. */
  g_assert_cmpint (gdk_pixbuf_get_height (wide), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_width (wide), ==, 178);
}

/* Rotating moves each quarter where it should go; flips mirror. */
static void
test_rotate_flip (void)
{
  g_autoptr(GBytes) image = quarters (200, 100);
  g_autoptr(GdkPixbuf) r90 = render ("{\"operations\": [{\"op\": \"rotate\", \"degrees\": 90}]}", image, NULL);
  g_autoptr(GdkPixbuf) r180 = render ("{\"operations\": [{\"op\": \"rotate\", \"degrees\": 180}]}", image, NULL);
  g_autoptr(GdkPixbuf) h = render ("{\"operations\": [{\"op\": \"flip\", \"direction\": \"horizontal\"}]}", image, NULL);
  g_autoptr(GdkPixbuf) v = render ("{\"operations\": [{\"op\": \"flip\", \"direction\": \"vertical\"}]}", image, NULL);

  g_assert_cmpint (gdk_pixbuf_get_width (r90), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (r90), ==, 200);
  /* Clockwise: the top-left (red) goes to the top-right, blue to the top-left. */
  assert_pixel (r90, 75, 25, 0xff0000);
  assert_pixel (r90, 25, 25, 0x0000ff);
  assert_pixel (r90, 75, 175, 0x00ff00);
  assert_pixel (r180, 25, 25, 0x808080);
  assert_pixel (r180, 175, 75, 0xff0000);
  assert_pixel (h, 25, 25, 0x00ff00);
  assert_pixel (h, 175, 75, 0x0000ff);
  assert_pixel (v, 25, 25, 0x0000ff);
  assert_pixel (v, 175, 75, 0x00ff00);
}

/* Exposure is stops, contrast about mid grey, saturation towards grey,
 * warmth red up blue down: each on a flat colour, worked out by hand. */
static void
test_adjust (void)
{
  g_autoptr(GBytes) grey = flat (40, 40, 0x404040);
  g_autoptr(GBytes) colour = flat (40, 40, 0xc04080);
  g_autoptr(GdkPixbuf) brighter = render ("{\"operations\": [{\"op\": \"adjust\", \"exposure\": 1}]}", grey, NULL);
  g_autoptr(GdkPixbuf) darker = render ("{\"operations\": [{\"op\": \"adjust\", \"exposure\": -1}]}", grey, NULL);
  g_autoptr(GdkPixbuf) contrast = render ("{\"operations\": [{\"op\": \"adjust\", \"contrast\": 0.5}]}", grey, NULL);
  g_autoptr(GdkPixbuf) grey_out = render ("{\"operations\": [{\"op\": \"adjust\", \"saturation\": -1}]}", colour, NULL);
  g_autoptr(GdkPixbuf) warm = render ("{\"operations\": [{\"op\": \"adjust\", \"warmth\": 0.5}]}", colour, NULL);
  double y = 0.2126 * 0xc0 + 0.7152 * 0x40 + 0.0722 * 0x80;
  guint g = (guint) lround (y);

  assert_pixel (brighter, 20, 20, 0x808080);                 /* 64 × 2 */
  assert_pixel (darker, 20, 20, 0x202020);                   /* 64 / 2 */
  /* (64/255 − 0.5) × 1.5 + 0.5 = 0.1235 → 31 */
  assert_pixel (contrast, 20, 20, 0x1f1f1f);
  assert_pixel (grey_out, 20, 20, g << 16 | g << 8 | g);
  /* red × 1.1, blue × 0.9 */
  assert_pixel (warm, 20, 20, (guint32) lround (0xc0 * 1.1) << 16 | 0x40 << 8 | (guint32) lround (0x80 * 0.9));
}

/* Filters: black and white is the luma, sepia the usual matrix, a vignette
 * darkens the corners and not the middle, strength blends. */
static void
test_filters (void)
{
  g_autoptr(GBytes) colour = flat (100, 100, 0x3080c0);
  g_autoptr(GdkPixbuf) bw = render ("{\"operations\": [{\"op\": \"filter\", \"name\": \"bw\"}]}", colour, NULL);
  g_autoptr(GdkPixbuf) half = render ("{\"operations\": [{\"op\": \"filter\", \"name\": \"bw\", \"strength\": 0.5}]}",
                                      colour, NULL);
  g_autoptr(GdkPixbuf) sepia = render ("{\"operations\": [{\"op\": \"filter\", \"name\": \"sepia\"}]}", colour, NULL);
  g_autoptr(GdkPixbuf) vignette = render ("{\"operations\": [{\"op\": \"filter\", \"name\": \"vignette\"}]}", colour,
                                          NULL);
  double r = 0x30 / 255.0, gr = 0x80 / 255.0, b = 0xc0 / 255.0;
  guint y = (guint) lround ((0.2126 * r + 0.7152 * gr + 0.0722 * b) * 255);
  guint sr = (guint) MIN (255, lround ((0.393 * r + 0.769 * gr + 0.189 * b) * 255));
  guint sg = (guint) MIN (255, lround ((0.349 * r + 0.686 * gr + 0.168 * b) * 255));
  guint sb = (guint) MIN (255, lround ((0.272 * r + 0.534 * gr + 0.131 * b) * 255));

  assert_pixel (bw, 50, 50, y << 16 | y << 8 | y);
  assert_pixel (half, 50, 50, ((0x30 + y) / 2) << 16 | ((0x80 + y) / 2) << 8 | ((0xc0 + y) / 2));
  assert_pixel (sepia, 50, 50, sr << 16 | sg << 8 | sb);
  assert_pixel (vignette, 50, 50, 0x3080c0);
  g_assert_cmpuint (pixel (vignette, 1, 1) & 0xff, <, 0xc0 / 2);
}

/* Sharpening leaves a flat area alone and steepens an edge. */
static void
test_sharpen (void)
{
  g_autoptr(GBytes) image = quarters (40, 40);
  g_autoptr(GdkPixbuf) sharp = render ("{\"operations\": [{\"op\": \"sharpen\", \"amount\": 1}]}", image, NULL);

  assert_pixel (sharp, 5, 5, 0xff0000);
  assert_pixel (sharp, 30, 30, 0x808080);
  /* At the edge between grey (128) and blue, the grey side is pushed up. */
  g_assert_cmpuint ((pixel (sharp, 20, 30) >> 16) & 0xff, >, 0x80);
}

/* Straighten keeps the size and fills the corners; resize doubles. */
static void
test_straighten_resize (void)
{
  g_autoptr(GBytes) image = flat (120, 80, 0x20a060);
  g_autoptr(GdkPixbuf) turned = render ("{\"operations\": [{\"op\": \"straighten\", \"angle\": 10}]}", image, NULL);
  g_autoptr(GdkPixbuf) doubled = render ("{\"operations\": [{\"op\": \"resize\", \"scale\": 2}]}", image, NULL);

  g_assert_cmpint (gdk_pixbuf_get_width (turned), ==, 120);
  g_assert_cmpint (gdk_pixbuf_get_height (turned), ==, 80);
  /* No empty (black or transparent) corner. */
  assert_pixel (turned, 0, 0, 0x20a060);
  assert_pixel (turned, 119, 79, 0x20a060);
  /* Which way it turns: +10° is clockwise, so the upright border between
   * the quarters leans right at the top and left at the bottom. */
  {
    g_autoptr(GBytes) four = quarters (200, 100);
    g_autoptr(GdkPixbuf) leaned = render ("{\"operations\": [{\"op\": \"straighten\", \"angle\": 10}]}", four, NULL);

    assert_pixel (leaned, 106, 4, 0xff0000);
    assert_pixel (leaned, 94, 96, 0x808080);
  }
  g_assert_cmpint (gdk_pixbuf_get_width (doubled), ==, 240);
  g_assert_cmpint (gdk_pixbuf_get_height (doubled), ==, 160);
  assert_pixel (doubled, 120, 80, 0x20a060);
}

/* Text lands where asked, in its colour with its outline; tokens fill it:
 * three rows, three different pictures. */
static void
test_text_and_tokens (void)
{
  g_autoptr(GBytes) image = flat (400, 300, 0x000000);
  const char *json = "{\"operations\": [{\"op\": \"text\", \"text\": \"Hello [FIRSTNAME]\", \"size\": 48, "
                     "\"color\": \"#ff0000\", \"outline\": \"#00ff00\", \"position\": \"bottom\"}]}";
  const char *names[] = { "Ada", "Grace", "Linus" };
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(PxRecipe) parsed = recipe (json);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;
      GBytes *png;

      g_hash_table_insert (tokens, "FIRSTNAME", (gpointer) names[i]);
      png = px_recipe_render_png (parsed, image, tokens, 0, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < outputs->len; k++)
        g_assert_false (g_bytes_equal (png, g_ptr_array_index (outputs, k)));
      g_ptr_array_add (outputs, png);
    }

  /* Red fill and green outline in the bottom band, nothing at the top. */
  {
    g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GdkPixbuf) drawn = NULL;
    guint red = 0, green = 0, top = 0;

    g_hash_table_insert (tokens, "FIRSTNAME", "Ada");
    drawn = render (json, image, tokens);
    for (int y = 0; y < 300; y++)
      for (int x = 0; x < 400; x++)
        {
          guint32 p = pixel (drawn, x, y);

          if (p == 0)
            continue;
          if (y < 150)
            top++;
          red += p == 0xff0000;
          green += p == 0x00ff00;
        }
    g_assert_cmpuint (top, ==, 0);
    g_assert_cmpuint (red, >, 200);
    g_assert_cmpuint (green, >, 100);
  }

  /* A token with no value and no default is named. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) png = px_recipe_render_png (parsed, image, NULL, 0, &error);

    g_assert_null (png);
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "Step 1 (text): "));
    g_assert_nonnull (strstr (error->message, "FIRSTNAME"));
  }
}

/* A logo laid on at its place, size and opacity. */
static void
test_overlay (void)
{
  g_autoptr(GBytes) image = flat (200, 200, 0x000000);
  g_autoptr(GBytes) logo = flat (50, 50, 0xffffff);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "px-test-logo.png", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GdkPixbuf) drawn = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (logo, NULL), g_bytes_get_size (logo), NULL));
  json = g_strdup_printf ("{\"operations\": [{\"op\": \"overlay\", \"file\": \"%s\", \"scale\": 0.25, "
                          "\"opacity\": 0.5, \"position\": \"top-left\"}]}", path);
  drawn = render (json, image, NULL);
  /* 50 px wide at a 200 px image's quarter, half white over black, at the margin. */
  assert_pixel (drawn, 6 + 25, 6 + 25, 0x808080);
  assert_pixel (drawn, 150, 150, 0x000000);
  g_unlink (path);
}

/* The README's recipe works as written; written out and read back it is
 * the same recipe (same JSON, same pixels); twice the same bytes. */
static void
test_readme_round_trip_determinism (void)
{
  const char *readme = "{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\"}, {\"op\": \"adjust\", \"exposure\": 0.2, "
                       "\"contrast\": 0.1, \"saturation\": -0.3}, {\"op\": \"text\", \"text\": \"Hello [FIRSTNAME]\", "
                       "\"size\": 64, \"color\": \"#ff0000\", \"outline\": \"#000000\", \"position\": \"bottom\"}]}";
  g_autoptr(PxRecipe) first = recipe (readme);
  g_autofree char *written = px_recipe_to_json (first);
  g_autoptr(PxRecipe) second = recipe (written);
  g_autofree char *again = px_recipe_to_json (second);
  g_autoptr(GBytes) image = quarters (300, 200);
  g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = NULL, b = NULL, c = NULL;

  g_assert_cmpuint (px_recipe_get_n_ops (first), ==, 3);
  g_assert_cmpstr (written, ==, again);
  g_hash_table_insert (tokens, "FIRSTNAME", "Ada");
  a = px_recipe_render_png (first, image, tokens, 0, &error);
  g_assert_no_error (error);
  b = px_recipe_render_png (first, image, tokens, 0, &error);
  c = px_recipe_render_png (second, image, tokens, 0, &error);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_true (g_bytes_equal (a, c));
  g_assert_true (px_recipe_uses_tokens (first));

  /* The meme look is the text step's preset, and survives the trip too. */
  {
    g_autoptr(PxRecipe) meme = recipe ("{\"operations\": [{\"op\": \"text\", \"text\": \"top text\", "
                                       "\"style\": \"meme\", \"position\": \"top\"}]}");
    g_autofree char *meme_json = px_recipe_to_json (meme);
    g_autoptr(PxRecipe) meme_again = recipe (meme_json);

    g_assert_true (px_recipe_get_op (meme, 0)->meme);
    g_assert_true (px_recipe_get_op (meme_again, 0)->meme);
    g_assert_cmpfloat (px_recipe_get_op (meme_again, 0)->size, ==, 0);
  }
}

/* Mistakes name their step and say what is wrong. */
static void
test_bad_recipes (void)
{
  static const struct {
    const char *json;
    const char *words;
  } cases[] = {
    { "{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\"}, {\"op\": \"blur\"}]}",
      "Step 2: there is no operation “blur”" },
    { "{\"operations\": [{\"op\": \"adjust\", \"exposure\": 3}]}", "Step 1 (adjust): “exposure” must be from -1 to 1, not 3" },
    { "{\"operations\": [{\"op\": \"adjust\", \"brightness\": 0.1}]}", "Step 1 (adjust): it has no setting “brightness”" },
    { "{\"operations\": [{\"op\": \"text\", \"text\": \"x\", \"color\": \"red\"}]}",
      "Step 1 (text): “color” is a colour written #rrggbb, not “red”" },
    { "{\"operations\": [{\"op\": \"text\", \"text\": \"x\", \"position\": \"middle\"}]}",
      "Step 1 (text): “position” is one of top, center, bottom" },
    { "{\"operations\": [{\"op\": \"overlay\", \"file\": \"/no/such/logo.png\"}]}",
      "Step 1 (overlay): there is no file /no/such/logo.png" },
    { "{\"operations\": [{\"op\": \"rotate\", \"degrees\": 45}]}", "Step 1 (rotate): “degrees” is 90, 180 or 270" },
    { "{\"operations\": [{\"op\": \"resize\", \"scale\": 3}]}", "Step 1 (resize): “scale” is 2 or 4" },
    { "{\"operations\": [{\"op\": \"crop\", \"aspect\": \"2:7\"}]}", "Step 1 (crop): “aspect” is one of free, 1:1" },
    { "{\"steps\": []}", "it needs {\"operations\"" },
    { "not json", "This is not a recipe" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PxRecipe) parsed = px_recipe_new_from_json (cases[i].json, -1, &error);

      g_assert_null (parsed);
      g_assert_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].words);
    }
}

/* A PNG that claims 60000 × 60000 is refused from its header; a resize
 * that would pass 64 megapixels is refused before it is drawn. */
static void
test_too_large (void)
{
  static const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60, 8, 2, 0, 0, 0, 0, 0, 0, 0,
  };
  g_autoptr(GBytes) bomb = g_bytes_new_static (header, sizeof header);
  g_autoptr(GBytes) big = flat (3000, 3000, 0x808080);
  g_autoptr(PxRecipe) adjust = recipe ("{\"operations\": [{\"op\": \"adjust\", \"exposure\": 0.1}]}");
  g_autoptr(PxRecipe) upscale = recipe ("{\"operations\": [{\"op\": \"resize\", \"scale\": 4}]}");
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_null (px_recipe_render_png (adjust, bomb, NULL, 0, &error));
  g_assert_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_IMAGE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_null (px_recipe_render_png (upscale, big, NULL, 0, &error));
  g_assert_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "Step 1 (resize): "));
}

/* A preview at a smaller size keeps the text's place and proportion. */
static void
test_preview_scaled (void)
{
  g_autoptr(GBytes) image = flat (800, 600, 0x000000);
  g_autoptr(PxRecipe) parsed = recipe ("{\"operations\": [{\"op\": \"text\", \"text\": \"Preview\", \"size\": 80, "
                                       "\"color\": \"#ffffff\", \"position\": \"top\"}]}");
  g_autoptr(GError) error = NULL;
  cairo_surface_t *full = px_recipe_render_surface (parsed, image, NULL, 0, &error);
  cairo_surface_t *small = px_recipe_render_surface (parsed, image, NULL, 200, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (small), ==, 200);
  g_assert_cmpint (cairo_image_surface_get_height (small), ==, 150);
  g_assert_cmpint (cairo_image_surface_get_width (full), ==, 800);
  cairo_surface_destroy (full);
  cairo_surface_destroy (small);
}

/* What the Editor's controls hold becomes a recipe and comes back from
 * it (a saved edit reopened), every tool included; a recipe the Editor
 * cannot show (a step it does not make) is not turned into a look. */
static void
test_editor_look_round_trip (void)
{
  g_autoptr(GBytes) logo = flat (20, 20, 0x3366ff);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "px-test-look-logo.png", NULL);
  g_autoptr(PxEditLook) look = px_edit_look_new ();
  g_autoptr(PxEditLook) back = NULL;
  g_autoptr(PxRecipe) recipe = NULL;
  g_autoptr(PxRecipe) parsed = NULL;
  g_autoptr(PxRecipe) odd = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (px_edit_look_is_original (look));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (logo, NULL), g_bytes_get_size (logo), NULL));
  look->aspect = 2;
  look->turns = 3;
  look->flipped = TRUE;
  look->straighten = -4.5;
  look->exposure = 0.25;
  look->warmth = -0.5;
  look->sharpen = 0.6;
  look->filter = 3;
  look->text = g_strdup ("Hello [FIRSTNAME]");
  look->position = 2;
  look->text_colour = 2;
  look->text_font = 1;
  look->overlay = g_strdup (path);
  look->overlay_corner = 3;
  look->overlay_scale = 0.3;
  look->overlay_opacity = 0.7;
  look->enlarge = 2;
  recipe = px_edit_look_to_recipe (look);
  g_assert_cmpuint (px_recipe_get_n_ops (recipe), ==, 10);
  json = px_recipe_to_json (recipe);
  parsed = px_recipe_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  back = px_edit_look_from_recipe (parsed);
  g_assert_nonnull (back);
  g_assert_true (px_edit_look_equal (look, back));
  g_assert_cmpfloat (back->straighten, ==, -4.5);
  g_assert_cmpuint (back->text_colour, ==, 2);
  g_assert_cmpuint (back->text_font, ==, 1);
  g_assert_nonnull (strstr (json, "\"color\" : \"#ffd60a\""));
  g_assert_nonnull (strstr (json, "\"font\" : \"Serif Bold\""));
  g_assert_cmpstr (back->overlay, ==, path);
  g_assert_cmpuint (back->enlarge, ==, 2);
  g_assert_false (px_edit_look_is_original (back));

  odd = px_recipe_new_from_json ("{\"operations\": [{\"op\": \"flip\", \"direction\": \"vertical\"}]}", -1,
                                 &error);
  g_assert_no_error (error);
  g_assert_null (px_edit_look_from_recipe (odd));
  g_unlink (path);
}

/* Undo and redo: a run of changes is one step, a run that ends where it
 * began is none, a new step forgets the redo, and a step across an AI edit
 * goes back to the picture before it. */
static void
test_edit_history (void)
{
  g_autoptr(PxEditHistory) history = px_edit_history_new ();
  g_autoptr(PxEditLook) look = px_edit_look_new ();
  g_autoptr(PxEditLook) plain = px_edit_look_new ();
  g_autoptr(PxEditStep) step = NULL;

  g_assert_false (px_edit_history_can_undo (history));
  /* A drag: three changes, one step. */
  for (int i = 1; i <= 3; i++)
    {
      px_edit_history_begin (history, look);
      look->exposure = 0.1 * i;
    }
  g_assert_true (px_edit_history_can_undo (history));
  g_assert_true (px_edit_history_close (history, look, 7));
  /* Out and back again: no step. */
  px_edit_history_begin (history, look);
  g_assert_false (px_edit_history_close (history, look, 7));

  /* An AI edit on image 7 made image 8, plain. */
  px_edit_history_push (history, look, 7);
  px_edit_look_free (look);
  look = px_edit_look_new ();

  step = px_edit_history_undo (history, look, 8);
  g_assert_cmpint (step->base_id, ==, 7);
  g_assert_cmpfloat_with_epsilon (step->look->exposure, 0.3, 1e-9);
  g_assert_true (px_edit_history_can_redo (history));
  px_edit_look_free (look);
  look = g_steal_pointer (&step->look);
  g_clear_pointer (&step, px_edit_step_free);

  step = px_edit_history_undo (history, look, 7);
  g_assert_cmpint (step->base_id, ==, 7);
  g_assert_true (px_edit_look_equal (step->look, plain));
  g_assert_false (px_edit_history_can_undo (history));
  g_clear_pointer (&step, px_edit_step_free);

  step = px_edit_history_redo (history, plain, 7);
  g_assert_cmpfloat_with_epsilon (step->look->exposure, 0.3, 1e-9);
  g_clear_pointer (&step, px_edit_step_free);
  step = px_edit_history_redo (history, look, 7);
  g_assert_cmpint (step->base_id, ==, 8);
  g_clear_pointer (&step, px_edit_step_free);
  g_assert_false (px_edit_history_can_redo (history));

  /* After an undo, a new change forgets the redo. */
  step = px_edit_history_undo (history, plain, 8);
  g_clear_pointer (&step, px_edit_step_free);
  px_edit_history_begin (history, look);
  look->warmth = 0.5;
  g_assert_true (px_edit_history_close (history, look, 7));
  g_assert_false (px_edit_history_can_redo (history));
  g_assert_null (px_edit_history_redo (history, look, 7));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recipe/crop", test_crop);
  g_test_add_func ("/recipe/rotate-flip", test_rotate_flip);
  g_test_add_func ("/recipe/adjust", test_adjust);
  g_test_add_func ("/recipe/filters", test_filters);
  g_test_add_func ("/recipe/sharpen", test_sharpen);
  g_test_add_func ("/recipe/straighten-resize", test_straighten_resize);
  g_test_add_func ("/recipe/text-and-tokens", test_text_and_tokens);
  g_test_add_func ("/recipe/overlay", test_overlay);
  g_test_add_func ("/recipe/readme-round-trip-determinism", test_readme_round_trip_determinism);
  g_test_add_func ("/recipe/bad-recipes", test_bad_recipes);
  g_test_add_func ("/recipe/too-large", test_too_large);
  g_test_add_func ("/recipe/preview-scaled", test_preview_scaled);
  g_test_add_func ("/recipe/editor-look-round-trip", test_editor_look_round_trip);
  g_test_add_func ("/recipe/edit-history", test_edit_history);

  return g_test_run ();
}
