/* px-compare-grid.c: the grid's cells by (row, model); the columns are an
 * order over the models (shuffled for a blind comparison). The PNG is drawn
 * with cairo and Pango on a white page, the images decoded one at a time
 * and scaled into their cells, so a 10 × 6 grid of large images needs no
 * more memory than one of them. Work for a worker thread. */
#include "config.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "px-compare-grid.h"
#include "px-csv.h"
#include "px-png.h"
#include "px-recipe.h"

typedef struct {
  GBytes *image;
  gint64  generation_ms;
  double  cost;
  char   *error;
  gboolean done;
} Cell;

struct _PxCompareGrid
{
  char      **models;
  GPtrArray  *rows;       /* GHashTable: token name → value */
  guint      *order;      /* column → model */
  gboolean    blind;
  Cell       *cells;      /* row × model */
  int        *winners;    /* row → model, or -1 */
};

PxCompareGrid *
px_compare_grid_new (const char * const *models,
                     GPtrArray          *rows)
{
  PxCompareGrid *grid = g_new0 (PxCompareGrid, 1);
  guint n_models = g_strv_length ((char **) models);
  guint n_rows = MAX (1u, rows ? rows->len : 0);

  grid->models = g_strdupv ((char **) models);
  grid->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_ptr_array_add (grid->rows, g_hash_table_ref (g_ptr_array_index (rows, i)));
  if (grid->rows->len == 0)
    g_ptr_array_add (grid->rows, g_hash_table_new (g_str_hash, g_str_equal));
  grid->order = g_new (guint, n_models);
  for (guint i = 0; i < n_models; i++)
    grid->order[i] = i;
  grid->cells = g_new0 (Cell, (gsize) n_rows * MAX (1u, n_models));
  grid->winners = g_new (int, n_rows);
  for (guint i = 0; i < n_rows; i++)
    grid->winners[i] = -1;
  return grid;
}

void
px_compare_grid_free (PxCompareGrid *grid)
{
  if (grid == NULL)
    return;
  for (guint i = 0; i < grid->rows->len * g_strv_length (grid->models); i++)
    {
      g_clear_pointer (&grid->cells[i].image, g_bytes_unref);
      g_free (grid->cells[i].error);
    }
  g_strfreev (grid->models);
  g_ptr_array_unref (grid->rows);
  g_free (grid->order);
  g_free (grid->cells);
  g_free (grid->winners);
  g_free (grid);
}

/* The same models, rows, column order, blindness and winners, without the
 * results (to fill on another thread). */
PxCompareGrid *
px_compare_grid_copy_layout (PxCompareGrid *grid)
{
  PxCompareGrid *copy = px_compare_grid_new ((const char * const *) grid->models, grid->rows);

  memcpy (copy->order, grid->order, sizeof (guint) * px_compare_grid_get_n_models (grid));
  memcpy (copy->winners, grid->winners, sizeof (int) * grid->rows->len);
  copy->blind = grid->blind;
  return copy;
}

gboolean
px_compare_grid_is_blind (PxCompareGrid *grid)
{
  return grid->blind;
}

const char *
px_compare_grid_get_model (PxCompareGrid *grid,
                           guint          model)
{
  g_return_val_if_fail (model < px_compare_grid_get_n_models (grid), NULL);

  return grid->models[model];
}

guint
px_compare_grid_get_n_models (PxCompareGrid *grid)
{
  return g_strv_length (grid->models);
}

guint
px_compare_grid_get_n_rows (PxCompareGrid *grid)
{
  return grid->rows->len;
}

/* A column order no one can guess from the model list (for blind mode). */
void
px_compare_grid_shuffle (PxCompareGrid *grid,
                         guint32        seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n = px_compare_grid_get_n_models (grid);

  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i);
      guint swap = grid->order[i - 1];

      grid->order[i - 1] = grid->order[j];
      grid->order[j] = swap;
    }
}

void
px_compare_grid_set_blind (PxCompareGrid *grid,
                           gboolean       blind)
{
  grid->blind = blind;
}

/* Where model @model is shown. */
guint
px_compare_grid_column_of (PxCompareGrid *grid,
                           guint          model)
{
  for (guint c = 0; c < px_compare_grid_get_n_models (grid); c++)
    if (grid->order[c] == model)
      return c;
  g_return_val_if_reached (0);
}

char *
px_compare_grid_column_label (PxCompareGrid *grid,
                              guint          column)
{
  if (grid->blind)
    /* Translators: a hidden model in a blind comparison: Model A, Model B… */
    return g_strdup_printf (_("Model %c"), 'A' + (int) column);
  return g_strdup (grid->models[grid->order[column]]);
}

/* "FIRSTNAME: Ada, COMPANY: Acme" (in name order), or "Row 3". */
char *
px_compare_grid_row_label (PxCompareGrid *grid,
                           guint          row)
{
  GHashTable *tokens = g_ptr_array_index (grid->rows, row);
  g_autofree const char **names = NULL;
  g_autoptr(GString) label = g_string_new (NULL);
  guint n = 0;

  names = (const char **) g_hash_table_get_keys_as_array (tokens, &n);
  if (n == 0)
    return g_strdup_printf (_("Row %u"), row + 1);
  for (guint i = 1; i < n; i++)
    for (guint k = i; k > 0 && g_strcmp0 (names[k - 1], names[k]) > 0; k--)
      {
        const char *swap = names[k];

        names[k] = names[k - 1];
        names[k - 1] = swap;
      }
  for (guint i = 0; i < n; i++)
    g_string_append_printf (label, "%s%s: %s", i ? ", " : "", names[i],
                            (const char *) g_hash_table_lookup (tokens, names[i]));
  return g_string_free (g_steal_pointer (&label), FALSE);
}

static Cell *
cell_at (PxCompareGrid *grid,
         guint          row,
         guint          model)
{
  return &grid->cells[(gsize) row * px_compare_grid_get_n_models (grid) + model];
}

/* What model @model made for row @row: an image (with its time and cost)
 * or an error. */
void
px_compare_grid_set_result (PxCompareGrid *grid,
                            guint          row,
                            guint          model,
                            GBytes        *image,
                            gint64         generation_ms,
                            double         cost,
                            const char    *error)
{
  Cell *cell;

  g_return_if_fail (row < grid->rows->len && model < px_compare_grid_get_n_models (grid));

  cell = cell_at (grid, row, model);
  g_clear_pointer (&cell->image, g_bytes_unref);
  g_clear_pointer (&cell->error, g_free);
  cell->image = image ? g_bytes_ref (image) : NULL;
  cell->generation_ms = generation_ms;
  cell->cost = cost;
  cell->error = g_strdup (error);
  cell->done = TRUE;
}

/* The model picked as best for row @row (-1: none). */
void
px_compare_grid_set_winner (PxCompareGrid *grid,
                            guint          row,
                            int            model)
{
  g_return_if_fail (row < grid->rows->len);

  grid->winners[row] = model;
}

int
px_compare_grid_get_winner (PxCompareGrid *grid,
                            guint          row)
{
  g_return_val_if_fail (row < grid->rows->len, -1);

  return grid->winners[row];
}

/* ---- the picture ---- */

#define MARGIN 16
#define HEADER 48
#define CAPTION 34
#define ROW_HEADER 180

static void
draw_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      width,
           double      height,
           const char *font,
           double      red,
           gboolean    centred)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);
  int text_height;

  pango_layout_set_font_description (layout, description);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_height (layout, (int) (height * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, centred ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  cairo_set_source_rgb (cr, red, red > 0.5 ? 0.11 : 0.14, red > 0.5 ? 0.14 : 0.16);
  cairo_move_to (cr, x, y + MAX (0, (height - text_height) / 2));
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (description);
  g_object_unref (layout);
}

static void
draw_image (cairo_t *cr,
            GBytes  *image,
            double   x,
            double   y,
            int      size)
{
  g_autoptr(GError) error = NULL;
  double scale = 1;
  cairo_surface_t *surface = px_recipe_decode (image, size, &scale, &error);
  int width, height;
  double fit;

  if (surface == NULL)
    {
      draw_text (cr, error->message, x, y, size, size, "Sans 10", 0.75, TRUE);
      return;
    }
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  fit = MIN ((double) size / width, (double) size / height);
  cairo_save (cr);
  cairo_translate (cr, x + (size - width * fit) / 2, y + (size - height * fit) / 2);
  cairo_scale (cr, fit, fit);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

/* The grid as one PNG, each image in a @cell_size square. */
GBytes *
px_compare_grid_render_png (PxCompareGrid  *grid,
                            int             cell_size,
                            GError        **error)
{
  guint n_models = px_compare_grid_get_n_models (grid), n_rows = grid->rows->len;
  int width = MARGIN * 2 + ROW_HEADER + (int) n_models * (cell_size + MARGIN);
  int height = MARGIN * 2 + HEADER + (int) n_rows * (cell_size + CAPTION + MARGIN);
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *png;

  if (cell_size < 32 || cell_size > 1024 || n_models == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("A grid needs models and cells of 32 to 1024 "
                                                                      "pixels."));
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  for (guint c = 0; c < n_models; c++)
    {
      g_autofree char *label = px_compare_grid_column_label (grid, c);
      double x = MARGIN + ROW_HEADER + c * (cell_size + MARGIN);

      draw_text (cr, label, x, MARGIN, cell_size, HEADER, "Sans Bold 13", 0.14, TRUE);
    }
  for (guint r = 0; r < n_rows; r++)
    {
      g_autofree char *row_label = px_compare_grid_row_label (grid, r);
      double y = MARGIN + HEADER + r * (cell_size + CAPTION + MARGIN);

      draw_text (cr, row_label, MARGIN, y, ROW_HEADER - MARGIN, cell_size, "Sans Bold 12", 0.14, FALSE);
      for (guint c = 0; c < n_models; c++)
        {
          guint model = grid->order[c];
          Cell *cell = cell_at (grid, r, model);
          double x = MARGIN + ROW_HEADER + c * (cell_size + MARGIN);
          g_autofree char *caption = NULL;

          cairo_set_source_rgb (cr, 0.94, 0.94, 0.95);
          cairo_rectangle (cr, x, y, cell_size, cell_size);
          cairo_fill (cr);
          if (cell->image != NULL)
            draw_image (cr, cell->image, x, y, cell_size);
          if (grid->winners[r] == (int) model)
            {
              cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
              cairo_set_line_width (cr, 4);
              cairo_rectangle (cr, x + 2, y + 2, cell_size - 4, cell_size - 4);
              cairo_stroke (cr);
            }
          if (cell->error != NULL)
            caption = g_strdup (cell->error);
          else if (cell->done)
            caption = g_strdup_printf (_("%.1f s · $%.3f%s"), cell->generation_ms / 1000.0, cell->cost,
                                       grid->winners[r] == (int) model ? _(" · best") : "");
          else
            caption = g_strdup (_("not made"));
          draw_text (cr, caption, x, y + cell_size + 2, cell_size, CAPTION - 2, "Sans 10",
                     cell->error != NULL ? 0.75 : 0.14, TRUE);
        }
    }
  cairo_destroy (cr);
  png = px_png_from_surface (surface, error);
  cairo_surface_destroy (surface);
  return png;
}

/* One line per cell: the row's tokens, the model (or its blind name), the
 * seconds, the cost, the error, whether it won its row. Safe to open in a
 * spreadsheet. */
char *
px_compare_grid_to_csv (PxCompareGrid *grid)
{
  GString *out = g_string_new (NULL);
  const char *header[] = { "row", "tokens", "model", "seconds", "cost_usd", "error", "best" };

  px_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint r = 0; r < grid->rows->len; r++)
    for (guint c = 0; c < px_compare_grid_get_n_models (grid); c++)
      {
        guint model = grid->order[c];
        Cell *cell = cell_at (grid, r, model);
        g_autofree char *row = g_strdup_printf ("%u", r + 1);
        g_autofree char *tokens = px_compare_grid_row_label (grid, r);
        g_autofree char *label = px_compare_grid_column_label (grid, c);
        char seconds[G_ASCII_DTOSTR_BUF_SIZE], cost[G_ASCII_DTOSTR_BUF_SIZE];
        const char *fields[7];

        g_ascii_formatd (seconds, sizeof seconds, "%.2f", cell->generation_ms / 1000.0);
        g_ascii_formatd (cost, sizeof cost, "%.4f", cell->cost);
        fields[0] = row;
        fields[1] = tokens;
        fields[2] = label;
        fields[3] = cell->done && cell->error == NULL ? seconds : "";
        fields[4] = cell->done && cell->error == NULL ? cost : "";
        fields[5] = cell->error ? cell->error : "";
        fields[6] = grid->winners[r] == (int) model ? "yes" : "";
        px_csv_append_row (out, fields, G_N_ELEMENTS (fields));
      }
  return g_string_free (out, FALSE);
}
