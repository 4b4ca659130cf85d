/* px-dialog.h: the app's one kind of question dialog. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *px_dialog_ask (GtkWidget             *from,
                                 const char            *heading,
                                 const char            *body,
                                 GtkWidget             *extra,
                                 const char            *response,
                                 const char            *label,
                                 AdwResponseAppearance  appearance);

G_END_DECLS
