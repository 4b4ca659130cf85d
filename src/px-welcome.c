/* px-welcome.c: the first start's page. Its buttons are the window's
 * actions (win.welcome-add-key, win.welcome-try-demo, win.welcome-skip);
 * this widget only shows how starting the demo goes. */
#include "config.h"

#include "px-welcome.h"

struct _PxWelcome
{
  AdwBin      parent_instance;

  GtkButton  *demo_button;
  GtkSpinner *spinner;
  GtkLabel   *error_label;
};

G_DEFINE_FINAL_TYPE (PxWelcome, px_welcome, ADW_TYPE_BIN)

/* While the demo provider starts: a spinner on its button. */
void
px_welcome_set_busy (PxWelcome *self,
                     gboolean   busy)
{
  g_return_if_fail (PX_IS_WELCOME (self));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  if (busy)
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Why the demo did not start; NULL hides it. */
void
px_welcome_set_error (PxWelcome  *self,
                      const char *message)
{
  g_return_if_fail (PX_IS_WELCOME (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
px_welcome_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PX_TYPE_WELCOME);

  G_OBJECT_CLASS (px_welcome_parent_class)->dispose (object);
}

static void
px_welcome_class_init (PxWelcomeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = px_welcome_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/px-welcome.ui");
  gtk_widget_class_bind_template_child (widget_class, PxWelcome, demo_button);
  gtk_widget_class_bind_template_child (widget_class, PxWelcome, spinner);
  gtk_widget_class_bind_template_child (widget_class, PxWelcome, error_label);
}

static void
px_welcome_init (PxWelcome *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
