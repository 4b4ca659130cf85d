/* px-generate-page.c: the Generate Images page of the main window. */
#include "config.h"

#include "px-generate-page.h"

struct _PxGeneratePage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (PxGeneratePage, px_generate_page, ADW_TYPE_BIN)

static void
px_generate_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_GENERATE_PAGE);

  G_OBJECT_CLASS (px_generate_page_parent_class)->dispose (object);
}

static void
px_generate_page_class_init (PxGeneratePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_generate_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-generate-page.ui");
}

static void
px_generate_page_init (PxGeneratePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
