/* px-adaptive.c: a side pane (an AdwFlap's flap) that is beside the page
 * when there is room and folded away when there is not, with a toggle that
 * is shown only while folded and brings the pane over the page. */
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
