/* px-compare-cell.c: one model's place on the Compare page: its name, a
 * spinner while it works, then its picture with time and cost (or its
 * error), and Keep / Enlarge once its image is in the library. Emits
 * "keep"; Enlarge opens the image in the window's detail view. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-compare-cell.h"

struct _PxCompareCell
{
  GtkBox      parent_instance;

  char       *model_id;
  gint64      image_id;     /* 0: none in the library (yet) */
  GtkWidget  *picture;
  GtkWidget  *spinner;
  GtkWidget  *info;
  GtkWidget  *keep;
  GtkWidget  *open;
  GtkWidget  *title;
  gint64      generation_ms;
  double      cost;
  gboolean    failed;
};

G_DEFINE_FINAL_TYPE (PxCompareCell, px_compare_cell, GTK_TYPE_BOX)

enum {
  KEEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_keep (PxCompareCell *self)
{
  g_signal_emit (self, signals[KEEP], 0);
}

static void
on_open (PxCompareCell *self)
{
  if (self->image_id > 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-image", "x", self->image_id);
}

const char *
px_compare_cell_get_model_id (PxCompareCell *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_CELL (self), NULL);

  return self->model_id;
}

gint64
px_compare_cell_get_image_id (PxCompareCell *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_CELL (self), 0);

  return self->image_id;
}

/* What the cell says: time and cost, or what went wrong. */
const char *
px_compare_cell_get_text (PxCompareCell *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_CELL (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->info));
}

static void
stop_spinner (PxCompareCell *self)
{
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
}

/* The provider answered; the image is being kept. */
void
px_compare_cell_show_saving (PxCompareCell *self)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  stop_spinner (self);
  gtk_label_set_text (GTK_LABEL (self->info), _("Saving…"));
}

void
px_compare_cell_show_error (PxCompareCell *self,
                            const char    *message)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  stop_spinner (self);
  self->failed = TRUE;
  gtk_label_set_text (GTK_LABEL (self->info), message);
  gtk_widget_add_css_class (self->info, "error");
}

/* The picture and what it took; image_id 0: it could not be kept (text
 * says why), and there is nothing to keep or enlarge. */
void
px_compare_cell_show_result (PxCompareCell *self,
                             GdkTexture    *texture,
                             const char    *text,
                             gint64         image_id)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  stop_spinner (self);
  if (texture != NULL)
    gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  gtk_label_set_text (GTK_LABEL (self->info), text);
  self->image_id = image_id;
  gtk_widget_set_sensitive (self->keep, image_id > 0);
  gtk_widget_set_sensitive (self->open, image_id > 0);
}

void
px_compare_cell_set_winner (PxCompareCell *self,
                            gboolean       winner)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  if (winner)
    gtk_widget_add_css_class (GTK_WIDGET (self), "px-winner");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "px-winner");
}

/* What the image took and cost (for an export of the grid). */
void
px_compare_cell_set_numbers (PxCompareCell *self,
                             gint64         generation_ms,
                             double         cost)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  self->generation_ms = generation_ms;
  self->cost = cost;
}

gint64
px_compare_cell_get_generation_ms (PxCompareCell *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_CELL (self), 0);

  return self->generation_ms;
}

double
px_compare_cell_get_cost (PxCompareCell *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_CELL (self), 0);

  return self->cost;
}

gboolean
px_compare_cell_has_error (PxCompareCell *self)
{
  g_return_val_if_fail (PX_IS_COMPARE_CELL (self), FALSE);

  return self->failed;
}

/* What the cell is headed with: its model's name, or (blind) a letter. */
void
px_compare_cell_set_title (PxCompareCell *self,
                           const char    *title)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  gtk_label_set_text (GTK_LABEL (self->title), title ? title : "");
  gtk_widget_set_visible (self->title, title != NULL);
}

/* Smaller pictures for a grid of several rows. */
void
px_compare_cell_set_picture_size (PxCompareCell *self,
                                  int            size)
{
  g_return_if_fail (PX_IS_COMPARE_CELL (self));

  gtk_widget_set_size_request (self->picture, size, size);
}

PxCompareCell *
px_compare_cell_new (const char *model_id,
                     const char *model_name)
{
  PxCompareCell *self = g_object_new (PX_TYPE_COMPARE_CELL, "orientation", GTK_ORIENTATION_VERTICAL, "spacing", 6,
                                      NULL);
  GtkWidget *title = self->title = gtk_label_new (model_name);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->model_id = g_strdup (model_id);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_margin_top (title, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), self->keep);
  gtk_box_append (GTK_BOX (buttons), self->open);
  gtk_box_append (GTK_BOX (self), title);
  gtk_box_append (GTK_BOX (self), self->spinner);
  gtk_box_append (GTK_BOX (self), self->picture);
  gtk_box_append (GTK_BOX (self), self->info);
  gtk_box_append (GTK_BOX (self), buttons);
  return self;
}

static void
px_compare_cell_finalize (GObject *object)
{
  g_free (PX_COMPARE_CELL (object)->model_id);

  G_OBJECT_CLASS (px_compare_cell_parent_class)->finalize (object);
}

static void
px_compare_cell_class_init (PxCompareCellClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_compare_cell_finalize;

  /* Keep this model's image as the comparison's winner. */
  signals[KEEP] = g_signal_new ("keep", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);
}

static void
px_compare_cell_init (PxCompareCell *self)
{
  self->picture = gtk_picture_new ();
  self->spinner = gtk_spinner_new ();
  self->info = gtk_label_new (_("Generating…"));
  self->keep = gtk_button_new_with_mnemonic (_("_Keep"));
  /* An icon: a cell is as wide as its picture, in every language. */
  self->open = gtk_button_new_from_icon_name ("zoom-in-symbolic");

  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_size_request (self->picture, 220, 220);
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_label_set_wrap (GTK_LABEL (self->info), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->info), 40);
  gtk_widget_set_margin_start (self->info, 6);
  gtk_widget_set_margin_end (self->info, 6);
  gtk_widget_add_css_class (self->info, "caption");
  gtk_widget_set_tooltip_text (self->keep, _("Keep this one as the comparison's winner"));
  gtk_widget_set_tooltip_text (self->open, _("Enlarge"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Enlarge"), -1);
  gtk_widget_set_sensitive (self->keep, FALSE);
  gtk_widget_set_sensitive (self->open, FALSE);
  g_signal_connect_swapped (self->keep, "clicked", G_CALLBACK (on_keep), self);
  g_signal_connect_swapped (self->open, "clicked", G_CALLBACK (on_open), self);
}
