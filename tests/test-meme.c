/* test-meme.c: captions are drawn on this computer over the image: white
 * type with a black outline at the top and bottom, the middle untouched,
 * the size unchanged. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "px-image-check.h"
#include "px-meme.h"

/* How many near-white and near-black pixels a band of rows has. */
static void
count_band (GdkPixbuf *pixbuf,
            int        from,
            int        to,
            guint     *white,
            guint     *black)
{
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);

  *white = *black = 0;
  for (int y = from; y < to; y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        const guchar *p = pixels + y * stride + x * channels;

        if (p[0] > 240 && p[1] > 240 && p[2] > 240)
          (*white)++;
        else if (p[0] < 15 && p[1] < 15 && p[2] < 15)
          (*black)++;
      }
}

static GdkPixbuf *
decode (GBytes *png)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = px_image_load_scaled (png, "image/png", G_MAXINT, &error);

  g_assert_no_error (error);
  return pixbuf;
}

static void
test_captions (void)
{
  g_autoptr(GError) error = NULL;
  /* A plain mid-grey picture, so white and black can only be the captions. */
  g_autoptr(GdkPixbuf) grey = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 400, 300);
  g_autofree char *buffer = NULL;
  gsize size;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) meme = NULL;
  g_autoptr(GBytes) top_only = NULL;
  g_autoptr(GdkPixbuf) drawn = NULL;
  g_autoptr(GdkPixbuf) drawn_top = NULL;
  guint white, black;

  gdk_pixbuf_fill (grey, 0x808080ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (grey, &buffer, &size, "png", &error, NULL));
  plain = g_bytes_new (buffer, size);

  meme = px_meme_render (plain, "image/png", "When the build is green", "on the first try", &error);
  g_assert_no_error (error);
  g_assert_true (px_image_check (meme, NULL, NULL, NULL, &error));
  drawn = decode (meme);
  g_assert_cmpint (gdk_pixbuf_get_width (drawn), ==, 400);
  g_assert_cmpint (gdk_pixbuf_get_height (drawn), ==, 300);

  count_band (drawn, 0, 75, &white, &black);
  g_assert_cmpuint (white, >, 500);
  g_assert_cmpuint (black, >, 200);
  count_band (drawn, 225, 300, &white, &black);
  g_assert_cmpuint (white, >, 500);
  g_assert_cmpuint (black, >, 200);
  count_band (drawn, 110, 190, &white, &black);  /* the middle is the picture */
  g_assert_cmpuint (white + black, ==, 0);

  /* An empty caption draws nothing where it would go. */
  top_only = px_meme_render (plain, "image/png", "Top", "  ", &error);
  g_assert_no_error (error);
  drawn_top = decode (top_only);
  count_band (drawn_top, 225, 300, &white, &black);
  g_assert_cmpuint (white + black, ==, 0);

  /* Not an image: a clear error, no crash. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("<html>no</html>", 15);
    g_autoptr(GBytes) none = px_meme_render (junk, "image/png", "a", "b", &error);

    g_assert_null (none);
    g_assert_nonnull (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/meme/captions", test_captions);

  return g_test_run ();
}
