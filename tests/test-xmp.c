/* test-xmp.c: a JPEG or WebP that leaves Pixmerge carries its prompt and
 * model as XMP, and is still a whole image every decoder reads. */
#include "config.h"

#include <string.h>

#include "px-fake-image.h"
#include "px-image-check.h"
#include "px-png.h"
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

/* PNG text chunks (found by fuzz-png): the newest entry of a key wins over
 * an older one further on, and an IHDR length near 4 GiB is refused
 * instead of wrapping around and putting chunks mid-chunk. */
static void
test_png_text (void)
{
  static const char * const keys[] = { "pixmerge:prompt", NULL };
  static const char * const first[] = { "old", NULL };
  static const char * const second[] = { "new", NULL };
  g_autoptr(GBytes) png = px_fake_render_image ("a cat", 32, 32, "png");
  g_autoptr(GBytes) once = px_png_add_text (png, keys, first);
  g_autoptr(GBytes) twice = px_png_add_text (once, keys, second);
  g_autoptr(GHashTable) text = px_png_read_text (twice);
  g_autoptr(GByteArray) bent = g_byte_array_new ();
  g_autoptr(GBytes) bent_bytes = NULL;

  g_assert_cmpstr (g_hash_table_lookup (text, "pixmerge:prompt"), ==, "new");

  g_byte_array_append (bent, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  memset (bent->data + 8, 0xff, 4);   /* IHDR's length */
  bent_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&bent));
  g_assert_null (px_png_add_text (bent_bytes, keys, first));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xmp/jpeg", test_jpeg);
  g_test_add_func ("/xmp/webp", test_webp);
  g_test_add_func ("/xmp/not-walkable", test_not_walkable);
  g_test_add_func ("/xmp/png-text", test_png_text);

  return g_test_run ();
}
