/* test-compare-grid.c: the comparison grid as a picture and as numbers:
 * the PNG's size follows the grid, the headers are drawn in, the winner of
 * a row is outlined, an error is written under its cell in red; the CSV has
 * one line per cell, safe for a spreadsheet; blind mode shuffles the
 * columns and names them Model A, B, C. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdlib.h>
#include <string.h>

#include "px-compare-grid.h"
#include "px-fake-image.h"

static GHashTable *
row (const char *name,
     const char *company)
{
  GHashTable *tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (tokens, g_strdup ("NAME"), g_strdup (name));
  g_hash_table_insert (tokens, g_strdup ("COMPANY"), g_strdup (company));
  return tokens;
}

static PxCompareGrid *
make_grid (void)
{
  const char *models[] = { "gpt-image-2", "gemini-2.5-flash-image", "imagen-4.0-generate-001", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  PxCompareGrid *grid;

  g_ptr_array_add (rows, row ("Ada", "Acme"));
  g_ptr_array_add (rows, row ("=HYPERLINK(\"x\")", "Globex"));
  grid = px_compare_grid_new (models, rows);
  for (guint r = 0; r < 2; r++)
    for (guint m = 0; m < 3; m++)
      {
        g_autofree char *text = g_strdup_printf ("row %u model %u", r, m);
        g_autoptr(GBytes) png = px_fake_render_image (text, 96, 64, "png");

        if (r == 1 && m == 2)
          px_compare_grid_set_result (grid, r, m, NULL, 0, 0, "Your request was rejected by the safety system.");
        else
          px_compare_grid_set_result (grid, r, m, png, 1500 + 100 * m, 0.04 + 0.01 * m, NULL);
      }
  px_compare_grid_set_winner (grid, 0, 1);
  return grid;
}

static void
pixel (GdkPixbuf *pixbuf,
       int        x,
       int        y,
       guint8    *rgb)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  memcpy (rgb, p, 3);
}

/* Whether any pixel in the rectangle is far from white and grey (text). */
static gboolean
has_ink (GdkPixbuf *pixbuf,
         int        x0,
         int        y0,
         int        width,
         int        height,
         gboolean   red)
{
  for (int y = y0; y < y0 + height; y++)
    for (int x = x0; x < x0 + width; x++)
      {
        guint8 rgb[3];

        pixel (pixbuf, x, y, rgb);
        if (red ? (rgb[0] > 150 && rgb[1] < 100 && rgb[2] < 100) : (rgb[0] < 100 && rgb[1] < 100 && rgb[2] < 100))
          return TRUE;
      }
  return FALSE;
}

static void
test_png (void)
{
  g_autoptr(PxCompareGrid) grid = make_grid ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = px_compare_grid_render_png (grid, 128, &error);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  guint8 rgb[3];
  /* The layout: 16 margin, 180 row header, cells of 128 with 16 between;
   * 48 of column header, 34 of caption under each cell. */
  int cell_x[3] = { 16 + 180, 16 + 180 + 144, 16 + 180 + 288 };
  int row_y[2] = { 16 + 48, 16 + 48 + 128 + 34 + 16 };

  g_assert_no_error (error);
  stream = g_memory_input_stream_new_from_bytes (png);
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 16 * 2 + 180 + 3 * (128 + 16));
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 16 * 2 + 48 + 2 * (128 + 34 + 16));

  /* Headers drawn in: the column and row headers have text. */
  g_assert_true (has_ink (pixbuf, cell_x[0], 16, 128, 48, FALSE));
  g_assert_true (has_ink (pixbuf, 16, row_y[0], 170, 128, FALSE));
  /* The row's winner outlined in blue, the others not. */
  pixel (pixbuf, cell_x[1] + 3, row_y[0] + 64, rgb);
  g_assert_cmpint (abs (rgb[0] - 0x35) + abs (rgb[1] - 0x84) + abs (rgb[2] - 0xe3), <, 30);
  pixel (pixbuf, cell_x[0] + 3, row_y[0] + 64, rgb);
  g_assert_cmpint (abs (rgb[0] - 0x35) + abs (rgb[1] - 0x84) + abs (rgb[2] - 0xe3), >, 60);
  /* The image is in its cell; the error is written under its cell in red. */
  pixel (pixbuf, cell_x[0] + 64, row_y[0] + 64, rgb);
  g_assert_false (rgb[0] == 0xf0 && rgb[1] == 0xf0 && rgb[2] == 0xf2);
  g_assert_true (has_ink (pixbuf, cell_x[2], row_y[1] + 128, 128, 34, TRUE));
  g_assert_false (has_ink (pixbuf, cell_x[1], row_y[1] + 128, 128, 34, TRUE));
  g_assert_true (has_ink (pixbuf, cell_x[1], row_y[1] + 128, 128, 34, FALSE));

  /* Cells too small or too large are refused. */
  g_assert_null (px_compare_grid_render_png (grid, 8, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_csv (void)
{
  g_autoptr(PxCompareGrid) grid = make_grid ();
  g_autofree char *csv = px_compare_grid_to_csv (grid);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6 + 1);
  g_assert_cmpstr (lines[0], ==, "row,tokens,model,seconds,cost_usd,error,best");
  g_assert_cmpstr (lines[1], ==, "1,\"COMPANY: Acme, NAME: Ada\",gpt-image-2,1.50,0.0400,,");
  g_assert_cmpstr (lines[2], ==, "1,\"COMPANY: Acme, NAME: Ada\",gemini-2.5-flash-image,1.60,0.0500,,yes");
  g_assert_cmpstr (lines[6], ==, "2,\"COMPANY: Globex, NAME: =HYPERLINK(\"\"x\"\")\",imagen-4.0-generate-001,,,"
                                  "Your request was rejected by the safety system.,");
}

/* Blind: shuffled, named by letter, and still the right model's results. */
static void
test_blind (void)
{
  g_autoptr(PxCompareGrid) grid = make_grid ();
  g_autofree char *csv = NULL;
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  gboolean moved = FALSE;

  for (guint32 seed = 1; seed < 50 && !moved; seed++)
    {
      px_compare_grid_shuffle (grid, seed);
      for (guint m = 0; m < 3; m++)
        moved |= px_compare_grid_column_of (grid, m) != m;
    }
  g_assert_true (moved);
  for (guint m = 0; m < 3; m++)
    seen[px_compare_grid_column_of (grid, m)] = TRUE;
  g_assert_true (seen[0] && seen[1] && seen[2]);
  px_compare_grid_set_blind (grid, TRUE);
  {
    g_autofree char *a = px_compare_grid_column_label (grid, 0);
    g_autofree char *c = px_compare_grid_column_label (grid, 2);

    g_assert_cmpstr (a, ==, "Model A");
    g_assert_cmpstr (c, ==, "Model C");
  }
  csv = px_compare_grid_to_csv (grid);
  g_assert_null (strstr (csv, "gpt-image-2"));
  g_assert_null (strstr (csv, "gemini"));
  /* The winner stays with its model wherever its column went. */
  {
    g_autofree char *winner_line = g_strdup_printf ("Model %c,1.60,0.0500,,yes",
                                                    'A' + (int) px_compare_grid_column_of (grid, 1));

    g_assert_nonnull (strstr (csv, winner_line));
  }
  px_compare_grid_set_blind (grid, FALSE);
  {
    g_autofree char *label = px_compare_grid_column_label (grid, px_compare_grid_column_of (grid, 0));

    g_assert_cmpstr (label, ==, "gpt-image-2");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compare-grid/png", test_png);
  g_test_add_func ("/compare-grid/csv", test_csv);
  g_test_add_func ("/compare-grid/blind", test_blind);

  return g_test_run ();
}
