/* px-dialog.h: the app's one kind of question dialog, its file choosers,
 * Show in Files and Save As of a file as it is. */
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

typedef void (*PxDialogSavedFunc) (GtkWidget    *from,
                                   const GError *error);

void px_dialog_show_in_files (GtkWidget         *from,
                              const char        *path);
void px_dialog_save_copy     (GtkWidget         *from,
                              const char        *title,
                              const char        *source,
                              const char        *name,
                              PxDialogSavedFunc  done);

G_END_DECLS
