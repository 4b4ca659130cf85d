/* test-xmp.c: a JPEG or WebP that leaves Pixmerge carries its prompt and
 * model as XMP, and is still a whole image every decoder reads. */
#include "config.h"

#include <string.h>

#include "px-fake-image.h"
#include "px-image-check.h"
#include "px-xmp.h"

#define PROMPT "<pixmerge:prompt>A cat &amp; a &lt;dog&gt;</pixmerge:prompt>"
#define MODEL "<pixmerge:model>gpt-image-1.5</pixmerge:model>"

static void
check_format (const char *format,
              const char *mime)
{
  g_autoptr(GBytes) plain = px_fake_render_image ("A cat & a <dog>", 96, 64, format);
  g_autofree char *packet = px_xmp_packet ("A cat & a <dog>", "A [ANIMAL]", "gpt-image-1.5", "{\"ANIMAL\":\"cat\"}", "{}");
  g_autoptr(GBytes) tagged = px_xmp_embed (plain, mime, packet);
  g_autoptr(GError) error = NULL;
  g_autofree char *got_mime = NULL;
  int width, height;
  gsize size;
  const char *data;

  g_assert_nonnull (tagged);
  data = g_bytes_get_data (tagged, &size);
  g_assert_nonnull (memmem (data, size, PROMPT, strlen (PROMPT)));
  g_assert_nonnull (memmem (data, size, MODEL, strlen (MODEL)));

  /* Still a whole image of the same size. */
  g_assert_true (px_image_check (tagged, &got_mime, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got_mime, ==, mime);
  g_assert_cmpint (width, ==, 96);
  g_assert_cmpint (height, ==, 64);
  {
    g_autoptr(GdkPixbuf) pixbuf = px_image_load_scaled (tagged, mime, 1000, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 96);
  }

  if (g_str_equal (format, "webp"))
    {
      /* RIFF size covers the file; VP8X says there is XMP. */
      g_assert_cmpuint (GUINT32_FROM_LE (*(guint32 *) (data + 4)) + 8, ==, size);
      g_assert_cmpint (memcmp (data + 12, "VP8X", 4), ==, 0);
      g_assert_true (data[20] & 0x04);
    }
}

static void
test_jpeg (void)
{
  check_format ("jpeg", "image/jpeg");
}

static void
test_webp (void)
{
  check_format ("webp", "image/webp");
}

static void
test_not_walkable (void)
{
  g_autoptr(GBytes) junk = g_bytes_new_static ("hello", 5);

  g_assert_null (px_xmp_embed (junk, "image/jpeg", "<x/>"));
  g_assert_null (px_xmp_embed (junk, "image/webp", "<x/>"));
  g_assert_null (px_xmp_embed (junk, "image/png", "<x/>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xmp/jpeg", test_jpeg);
  g_test_add_func ("/xmp/webp", test_webp);
  g_test_add_func ("/xmp/not-walkable", test_not_walkable);

  return g_test_run ();
}
