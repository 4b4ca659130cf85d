/* px-problem-banner.h: why work paused, with what to do next. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PX_TYPE_PROBLEM_BANNER (px_problem_banner_get_type ())

G_DECLARE_FINAL_TYPE (PxProblemBanner, px_problem_banner, PX, PROBLEM_BANNER, GtkWidget)

GtkWidget  *px_problem_banner_new   (void);
void        px_problem_banner_show  (PxProblemBanner *self,
                                     const char      *message,
                                     gboolean         offer_key);
void        px_problem_banner_offer_model (PxProblemBanner *self,
                                           const char      *model_name);
void        px_problem_banner_hide  (PxProblemBanner *self);
const char *px_problem_banner_get_message (PxProblemBanner *self);

G_END_DECLS
