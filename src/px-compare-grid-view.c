/* px-compare-grid-view.c: a GtkGrid with headers in row 0 and column 0;
 * the layout (column order, blind names, winners) is a PxCompareGrid, the
 * same one an export draws, so the picture and the page always agree. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-compare-grid-view.h"

struct _PxCompareGridView
{
  GtkGrid         parent_instance;

  PxCompareGrid  *grid;
  char          **names;       /* the models' display names */
  GPtrArray      *cells;       /* PxCompareCell or NULL, row × model */
  GPtrArray      *headers;     /* GtkLabel per column */
};

G_DEFINE_FINAL_TYPE (PxCompareGridView, px_compare_grid_view, GTK_TYPE_GRID)

enum { REVEALED, N_SIGNALS };
static guint signals[N_SIGNALS];

static guint
n_models (PxCompareGridView *self)
{
  return self->grid ? px_compare_grid_get_n_models (self->grid) : 0;
}

char *
px_compare_grid_view_column_label (PxCompareGridView *self,
                                   guint              column)
{
  g_return_val_if_fail (PX_IS_COMPARE_GRID_VIEW (self) && self->grid != NULL, NULL);

  if (px_compare_grid_is_blind (self->grid))
    return px_compare_grid_column_label (self->grid, column);
  for (guint m = 0; m < n_models (self); m++)
    if (px_compare_grid_column_of (self->grid, m) == column)
      return g_strdup (self->names[m]);
  return NULL;
}

/* Headers and cell titles as the grid now says (blind or revealed). */
static void
show_labels (PxCompareGridView *self)
{
  for (guint c = 0; c < self->headers->len; c++)
    {
      g_autofree char *label = px_compare_grid_view_column_label (self, c);

      gtk_label_set_text (g_ptr_array_index (self->headers, c), label);
    }
  for (guint i = 0; i < self->cells->len; i++)
    {
      PxCompareCell *cell = g_ptr_array_index (self->cells, i);
      guint model = i % MAX (1u, n_models (self));
      g_autofree char *label = px_compare_grid_view_column_label (self, px_compare_grid_column_of (self->grid, model));

      /* Several rows: the column headers name the cells. */
      if (cell != NULL)
        px_compare_cell_set_title (cell, px_compare_grid_get_n_rows (self->grid) > 1 ? NULL : label);
    }
}

static void
clear (PxCompareGridView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_grid_remove (GTK_GRID (self), child);
  g_ptr_array_set_size (self->cells, 0);
  g_ptr_array_set_size (self->headers, 0);
  g_clear_pointer (&self->grid, px_compare_grid_free);
  g_clear_pointer (&self->names, g_strfreev);
}

/* A new, empty grid: @rows (GHashTable of token values) down, the models
 * across — shuffled and unnamed when @blind. */
void
px_compare_grid_view_reset (PxCompareGridView  *self,
                            const char * const *model_ids,
                            const char * const *model_names,
                            GPtrArray          *rows,
                            gboolean            blind)
{
  g_return_if_fail (PX_IS_COMPARE_GRID_VIEW (self));

  clear (self);
  self->grid = px_compare_grid_new (model_ids, rows);
  self->names = g_strdupv ((char **) model_names);
  if (blind)
    {
      px_compare_grid_shuffle (self->grid, g_random_int ());
      px_compare_grid_set_blind (self->grid, TRUE);
    }
  g_ptr_array_set_size (self->cells, px_compare_grid_get_n_rows (self->grid) * n_models (self));
  for (guint c = 0; c < n_models (self); c++)
    {
      GtkWidget *header = gtk_label_new (NULL);

      gtk_widget_add_css_class (header, "heading");
      gtk_label_set_ellipsize (GTK_LABEL (header), PANGO_ELLIPSIZE_END);
      gtk_grid_attach (GTK_GRID (self), header, (int) c + 1, 0, 1, 1);
      g_ptr_array_add (self->headers, header);
    }
  for (guint r = 0; r < px_compare_grid_get_n_rows (self->grid); r++)
    {
      g_autofree char *text = px_compare_grid_row_label (self->grid, r);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_visible (label, px_compare_grid_get_n_rows (self->grid) > 1);
      gtk_grid_attach (GTK_GRID (self), label, 0, (int) r + 1, 1, 1);
    }
  show_labels (self);
}

void
px_compare_grid_view_add_cell (PxCompareGridView *self,
                               guint              row,
                               guint              model,
                               PxCompareCell     *cell)
{
  g_autofree char *label = NULL;

  g_return_if_fail (PX_IS_COMPARE_GRID_VIEW (self) && self->grid != NULL);
  g_return_if_fail (row < px_compare_grid_get_n_rows (self->grid) && model < n_models (self));

  g_ptr_array_index (self->cells, row * n_models (self) + model) = cell;
  label = px_compare_grid_view_column_label (self, px_compare_grid_column_of (self->grid, model));
  px_compare_cell_set_title (cell, px_compare_grid_get_n_rows (self->grid) > 1 ? NULL : label);
  if (px_compare_grid_get_n_rows (self->grid) > 1)
    px_compare_cell_set_picture_size (cell, 160);
  gtk_grid_attach (GTK_GRID (self), GTK_WIDGET (cell), (int) px_compare_grid_column_of (self->grid, model) + 1,
                   (int) row + 1, 1, 1);
}

PxCompareCell *
px_compare_grid_view_get_cell (PxCompareGridView *self,
                               guint              row,
                               guint              model)
{
  g_return_val_if_fail (PX_IS_COMPARE_GRID_VIEW (self), NULL);

  if (self->grid == NULL || row >= px_compare_grid_get_n_rows (self->grid) || model >= n_models (self))
    return NULL;
  return g_ptr_array_index (self->cells, row * n_models (self) + model);
}

/* Names shown again (at once, or when every row has its winner). */
void
px_compare_grid_view_reveal (PxCompareGridView *self)
{
  g_return_if_fail (PX_IS_COMPARE_GRID_VIEW (self));

  if (self->grid == NULL || !px_compare_grid_is_blind (self->grid))
    return;
  px_compare_grid_set_blind (self->grid, FALSE);
  show_labels (self);
  g_signal_emit (self, signals[REVEALED], 0);
}

gboolean
px_compare_grid_view_is_hidden (PxCompareGridView *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_GRID_VIEW (self), FALSE);

  return self->grid != NULL && px_compare_grid_is_blind (self->grid);
}

/* @model's image is @row's best: marked, the others in the row not. */
void
px_compare_grid_view_set_winner (PxCompareGridView *self,
                                 guint              row,
                                 guint              model)
{
  gboolean all = TRUE;

  g_return_if_fail (PX_IS_COMPARE_GRID_VIEW (self) && self->grid != NULL);

  px_compare_grid_set_winner (self->grid, row, (int) model);
  for (guint m = 0; m < n_models (self); m++)
    {
      PxCompareCell *cell = px_compare_grid_view_get_cell (self, row, m);

      if (cell != NULL)
        px_compare_cell_set_winner (cell, m == model);
    }
  for (guint r = 0; r < px_compare_grid_get_n_rows (self->grid); r++)
    all &= px_compare_grid_get_winner (self->grid, r) >= 0;
  if (all)
    px_compare_grid_view_reveal (self);
}

/* The layout (order, names, winners) an export draws. */
PxCompareGrid *
px_compare_grid_view_get_grid (PxCompareGridView *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_GRID_VIEW (self), NULL);

  return self->grid;
}

/* ---- export ---- */

typedef struct {
  PxLibrary     *library;
  PxCompareGrid *grid;      /* the layout, filled on the worker */
  GArray        *image_ids; /* row × model; 0: none */
  GPtrArray     *texts;     /* row × model: an error, or NULL */
  GArray        *ms;
  GArray        *costs;
  char          *path;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->library);
  px_compare_grid_free (export->grid);
  g_array_unref (export->image_ids);
  g_ptr_array_unref (export->texts);
  g_array_unref (export->ms);
  g_array_unref (export->costs);
  g_free (export->path);
  g_free (export);
}

/* FILE.png and FILE.csv next to it, each whole or not at all. */
static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *export = task_data;
  guint n = px_compare_grid_get_n_models (export->grid);
  g_autoptr(GBytes) png = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *base = g_str_has_suffix (export->path, ".png") ? g_strndup (export->path, strlen (export->path) - 4)
                                                                  : g_strdup (export->path);
  g_autofree char *csv_path = g_strconcat (base, ".csv", NULL);
  GError *error = NULL;

  for (guint i = 0; i < export->image_ids->len; i++)
    {
      gint64 id = g_array_index (export->image_ids, gint64, i);
      g_autoptr(PxLibraryImage) image = id > 0 ? px_library_get_image (export->library, id, NULL) : NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (image != NULL && g_file_get_contents (image->file, &contents, &length, NULL))
        {
          g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

          px_compare_grid_set_result (export->grid, i / n, i % n, bytes, g_array_index (export->ms, gint64, i),
                                      g_array_index (export->costs, double, i), NULL);
        }
      else if (g_ptr_array_index (export->texts, i) != NULL)
        px_compare_grid_set_result (export->grid, i / n, i % n, NULL, 0, 0, g_ptr_array_index (export->texts, i));
    }
  png = px_compare_grid_render_png (export->grid, 256, &error);
  csv = px_compare_grid_to_csv (export->grid);
  if (png != NULL && g_file_set_contents (export->path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error) &&
      g_file_set_contents (csv_path, csv, -1, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The grid as shown (blind or not, with its winners) as a labelled PNG at
 * @path and its numbers as CSV beside it; the images are read from the
 * library on a worker. */
void
px_compare_grid_view_export_async (PxCompareGridView   *self,
                                   PxLibrary           *library,
                                   const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Export *export;

  g_return_if_fail (PX_IS_COMPARE_GRID_VIEW (self) && self->grid != NULL && PX_IS_LIBRARY (library));

  export = g_new0 (Export, 1);
  export->library = g_object_ref (library);
  export->grid = px_compare_grid_copy_layout (self->grid);
  export->image_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  export->texts = g_ptr_array_new_with_free_func (g_free);
  export->ms = g_array_new (FALSE, TRUE, sizeof (gint64));
  export->costs = g_array_new (FALSE, TRUE, sizeof (double));
  export->path = g_strdup (path);
  for (guint i = 0; i < self->cells->len; i++)
    {
      PxCompareCell *cell = g_ptr_array_index (self->cells, i);
      gint64 id = cell ? px_compare_cell_get_image_id (cell) : 0;
      gint64 ms = cell ? px_compare_cell_get_generation_ms (cell) : 0;
      double cost = cell ? px_compare_cell_get_cost (cell) : 0;

      g_array_append_val (export->image_ids, id);
      g_array_append_val (export->ms, ms);
      g_array_append_val (export->costs, cost);
      g_ptr_array_add (export->texts, cell && px_compare_cell_has_error (cell) ? g_strdup (px_compare_cell_get_text (cell))
                                                                               : NULL);
    }
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_in_thread);
}

gboolean
px_compare_grid_view_export_finish (PxCompareGridView  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
px_compare_grid_view_dispose (GObject *object)
{
  PxCompareGridView *self = PX_COMPARE_GRID_VIEW (object);

  if (self->cells != NULL)
    clear (self);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->headers, g_ptr_array_unref);

  G_OBJECT_CLASS (px_compare_grid_view_parent_class)->dispose (object);
}

static void
px_compare_grid_view_class_init (PxCompareGridViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = px_compare_grid_view_dispose;

  /* The models' names are shown again. */
  signals[REVEALED] = g_signal_new ("revealed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
px_compare_grid_view_init (PxCompareGridView *self)
{
  self->cells = g_ptr_array_new ();
  self->headers = g_ptr_array_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Results by model and row"),
                                  -1);
}
