/* test-image-check.c: only real, whole, sanely sized PNG, JPEG and WebP
 * images get past the check, and each refusal says what was wrong. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "px-fake-image.h"
#include "px-image-check.h"
#include "px-provider.h"

static void
assert_ok (GBytes     *bytes,
           const char *mime,
           int         width,
           int         height)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got_mime = NULL;
  int w = 0, h = 0;

  g_assert_true (px_image_check (bytes, &got_mime, &w, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got_mime, ==, mime);
  g_assert_cmpint (w, ==, width);
  g_assert_cmpint (h, ==, height);
}

static void
assert_refused (GBytes     *bytes,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (px_image_check (bytes, NULL, NULL, NULL, &error));
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message_part);
}

static void
test_formats (void)
{
  g_autoptr(GBytes) png = px_fake_render_image ("a cat", 320, 200, "png");
  g_autoptr(GBytes) jpeg = px_fake_render_image ("a cat", 321, 201, "jpeg");
  g_autoptr(GBytes) webp = px_fake_render_image ("a cat", 322, 202, "webp");

  assert_ok (png, "image/png", 320, 200);
  assert_ok (jpeg, "image/jpeg", 321, 201);
  assert_ok (webp, "image/webp", 322, 202);
}

static void
test_refusals (void)
{
  g_autoptr(GBytes) png = px_fake_render_image ("a cat", 320, 200, "png");
  g_autoptr(GBytes) jpeg = px_fake_render_image ("a cat", 320, 200, "jpeg");
  g_autoptr(GBytes) png_half = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) jpeg_half = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) html = g_bytes_new_static ("<!DOCTYPE html><html>Bad gateway</html>", 39);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) bomb = px_fake_bomb_png (60000, 60000);
  g_autoptr(GBytes) wide = px_fake_bomb_png (9000, 10);
  g_autoptr(GBytes) gif = g_bytes_new_static ("GIF89a\x01\x00\x01\x00", 10);
  /* Found by fuzzing: an extended WebP flagged animated with no animation
   * in it made the system's loader complain; it is refused before. */
  static const guint8 animated[] = {
    'R', 'I', 'F', 'F', 0x56, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 0x0a, 0, 0, 0,
    0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0,
  };
  g_autoptr(GBytes) webp = g_bytes_new_static (animated, sizeof animated);

  assert_refused (png_half, "damaged or incomplete");
  assert_refused (jpeg_half, "damaged or incomplete");
  assert_refused (html, "not an image (it starts with “<!DOCTYPE html>");
  assert_refused (empty, "empty image");
  assert_refused (bomb, "60000 × 60000 pixels");
  assert_refused (wide, "9000 × 10");
  assert_refused (gif, "not an image");
  assert_refused (webp, "animated image");
}

static gsize
find_marker (GBytes *bytes,
             guint8  marker)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 2; i + 1 < size; i++)
    if (data[i] == 0xff && data[i + 1] == marker)
      return i;
  g_assert_not_reached ();
}

/* JPEGs libjpeg may spend unbounded time on are refused before decoding:
 * arithmetic coding (a 173-byte such file spun for ever), and more scans than
 * any encoder writes. Both are made from a real JPEG, so everything else in
 * them is sound. */
static void
test_jpeg_structure (void)
{
  g_autoptr(GBytes) jpeg = px_fake_render_image ("a cat", 64, 48, "jpeg");
  gsize size, sof = find_marker (jpeg, 0xc0), sos = find_marker (jpeg, 0xda);
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  g_autoptr(GByteArray) arithmetic = g_byte_array_new ();
  g_autoptr(GByteArray) scans = g_byte_array_new ();
  g_autoptr(GBytes) arithmetic_bytes = NULL, scans_bytes = NULL, fine_bytes = NULL;

  g_byte_array_append (arithmetic, data, size);
  arithmetic->data[sof + 1] = 0xc9;   /* SOF9: extended sequential, arithmetic */
  arithmetic_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&arithmetic));
  assert_refused (arithmetic_bytes, "arithmetic coding");

  /* The same scan 65 times over, then the end. */
  g_byte_array_append (scans, data, sos);
  for (int i = 0; i < 65; i++)
    g_byte_array_append (scans, data + sos, size - 2 - sos);
  g_byte_array_append (scans, (const guint8 *) "\xff\xd9", 2);
  scans_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&scans));
  assert_refused (scans_bytes, "more than 64 scans");

  /* A real JPEG with its one scan still passes. */
  fine_bytes = g_bytes_new (data, size);
  assert_ok (fine_bytes, "image/jpeg", 64, 48);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-check/formats", test_formats);
  g_test_add_func ("/image-check/refusals", test_refusals);
  g_test_add_func ("/image-check/jpeg-structure", test_jpeg_structure);

  return g_test_run ();
}
