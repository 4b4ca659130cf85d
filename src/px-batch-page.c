/* px-batch-page.c: the Batch Generation page of the main window. */
#include "config.h"

#include "px-batch-page.h"

struct _PxBatchPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (PxBatchPage, px_batch_page, ADW_TYPE_BIN)

static void
px_batch_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_BATCH_PAGE);

  G_OBJECT_CLASS (px_batch_page_parent_class)->dispose (object);
}

static void
px_batch_page_class_init (PxBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_batch_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-batch-page.ui");
}

static void
px_batch_page_init (PxBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
