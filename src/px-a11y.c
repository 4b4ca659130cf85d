/* px-a11y.c: names for a screen reader that GTK 4.8 gets wrong, fixed for
 * every window as its widgets are shown (so dialogs and popovers made
 * later are covered too). GTK 4.10 and later name these well by
 * themselves, so nothing is done there.
 *
 * - GTK 4.8 names a widget by its label property, then whatever labels it
 *   (labelled-by), else by its class name; never by its content.
 * - A button with a mnemonic label ("_Skip") has both: the label property
 *   as written and its label child. It reads "_Skip Skip"; without the
 *   property, "Skip".
 * - A button or menu button showing only an icon is read as its class name
 *   ("GtkMenuButton"): it is named by its tooltip, which is what a sighted
 *   user reads when unsure; so is a drop-down; a search entry by what it
 *   says it searches. */
#include "config.h"

#include "px-a11y.h"

static void
name_by_tooltip (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip == NULL || *tooltip == '\0')
    return;
  /* (A menu button's own button is labelled by the menu button.) */
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
fix_button (GtkWidget *widget)
{
  GtkButton *button = GTK_BUTTON (widget);
  const char *label = gtk_button_get_label (button);

  if (label != NULL && *label != '\0' && gtk_button_get_use_underline (button))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
  else if (GTK_IS_IMAGE (gtk_button_get_child (button)) || gtk_button_get_icon_name (button) != NULL)
    name_by_tooltip (widget);
}

static void
on_label_changed (GtkWidget  *widget,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  fix_button (widget);
}

static gboolean
on_map (GSignalInvocationHint *hint,
        guint                  n_values,
        const GValue          *values,
        gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);

  if (GTK_IS_BUTTON (widget))
    {
      if (g_object_get_data (G_OBJECT (widget), "px-a11y") == NULL)
        {
          g_object_set_data (G_OBJECT (widget), "px-a11y", GINT_TO_POINTER (1));
          g_signal_connect (widget, "notify::label", G_CALLBACK (on_label_changed), NULL);
        }
      fix_button (widget);
    }
  else if (GTK_IS_DROP_DOWN (widget))
    name_by_tooltip (widget);
  else if (GTK_IS_SEARCH_ENTRY (widget))
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      if (placeholder != NULL && *placeholder != '\0')
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      GtkMenuButton *menu_button = GTK_MENU_BUTTON (widget);
      const char *label = gtk_menu_button_get_label (menu_button);

      if (label == NULL || *label == '\0')
        name_by_tooltip (widget);
    }

  return TRUE;   /* keep the hook */
}

void
px_a11y_install (void)
{
  static gboolean installed;

  if (installed || gtk_get_minor_version () >= 10)
    return;
  installed = TRUE;
  /* The signal exists once the class does. */
  g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));
  g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_map, NULL, NULL);
}
