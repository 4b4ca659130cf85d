/* px-compare-page.c: the Compare Models page of the main window. */
#include "config.h"

#include "px-compare-page.h"

struct _PxComparePage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (PxComparePage, px_compare_page, ADW_TYPE_BIN)

static void
px_compare_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_COMPARE_PAGE);

  G_OBJECT_CLASS (px_compare_page_parent_class)->dispose (object);
}

static void
px_compare_page_class_init (PxComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_compare_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-compare-page.ui");
}

static void
px_compare_page_init (PxComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
