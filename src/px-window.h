/* px-window.h: the main window. */
#pragma once

#include <adwaita.h>

#include "px-application.h"

G_BEGIN_DECLS

#define PX_TYPE_WINDOW (px_window_get_type ())

G_DECLARE_FINAL_TYPE (PxWindow, px_window, PX, WINDOW, AdwApplicationWindow)

PxWindow           *px_window_new            (PxApplication *application);
gboolean            px_window_set_page       (PxWindow      *self,
                                              const char    *name);
const char         *px_window_get_page       (PxWindow      *self);
gint64              px_window_get_offered_batch (PxWindow   *self);
const char * const *px_window_get_page_names (void);
void                px_window_open_files     (PxWindow      *self,
                                              GFile        **files,
                                              int            n_files);
gboolean            px_window_showing_welcome (PxWindow     *self);
void                px_window_add_toast      (PxWindow      *self,
                                              AdwToast      *toast);

G_END_DECLS
