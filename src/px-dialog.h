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

GtkFileChooserNative *px_dialog_file_chooser (GtkWidget             *from,
                                              const char            *title,
                                              GtkFileChooserAction   action,
                                              const char            *accept,
                                              const char            *filter_name,
                                              const char * const    *mime_types,
                                              const char            *suffix);

G_END_DECLS
