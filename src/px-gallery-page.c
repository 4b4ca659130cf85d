/* px-gallery-page.c: the Your Library page of the main window. */
#include "config.h"

#include "px-gallery-page.h"

struct _PxGalleryPage
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (PxGalleryPage, px_gallery_page, ADW_TYPE_BIN)

static void
px_gallery_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_GALLERY_PAGE);

  G_OBJECT_CLASS (px_gallery_page_parent_class)->dispose (object);
}

static void
px_gallery_page_class_init (PxGalleryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = px_gallery_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-gallery-page.ui");
}

static void
px_gallery_page_init (PxGalleryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
