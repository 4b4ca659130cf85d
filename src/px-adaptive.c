/* px-adaptive.c: what pages share to fit from 360 px to a wide window: a
 * side pane (an AdwFlap's flap) that is beside the page when there is room
 * and folded away when there is not, with a toggle that is shown only while
 * folded and brings the pane over the page; rows of buttons whose labels
 * wrap. */
#include "config.h"

#include "px-adaptive.h"

static void
on_folded (AdwFlap    *flap,
           GParamSpec *pspec,
           gpointer    user_data)
{
  adw_flap_set_reveal_flap (flap, !adw_flap_get_folded (flap));
}

void
px_adaptive_follow_fold (AdwFlap         *flap,
                         GtkToggleButton *toggle)
{
  g_return_if_fail (ADW_IS_FLAP (flap));
  g_return_if_fail (GTK_IS_TOGGLE_BUTTON (toggle));

  g_object_bind_property (flap, "folded", toggle, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (flap, "reveal-flap", toggle, "active", G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect (flap, "notify::folded", G_CALLBACK (on_folded), NULL);
  on_folded (flap, NULL, NULL);
}

/* A row of buttons that must fit a narrow window in every language: their
 * labels wrap (at spaces) rather than push the window wider. */
void
px_adaptive_wrap_button_labels (GtkWidget *box)
{
  g_return_if_fail (GTK_IS_WIDGET (box));

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (child))))
      {
        GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (child)));

        gtk_label_set_wrap (label, TRUE);
        /* Natural: the whole label on one line, where there is room. */
        gtk_label_set_natural_wrap_mode (label, GTK_NATURAL_WRAP_NONE);
        gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD);
        gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
      }
}
