/* px-preferences-window.h: the Preferences window. */
#pragma once

#include <adwaita.h>

#include "px-engine.h"
#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_PREFERENCES_WINDOW (px_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PxPreferencesWindow, px_preferences_window, PX, PREFERENCES_WINDOW, AdwPreferencesWindow)

PxPreferencesWindow *px_preferences_window_new (GSettings *settings,
                                                PxEngine  *engine);
void                 px_preferences_window_set_library (PxPreferencesWindow *self,
                                                        PxLibrary           *library);

G_END_DECLS
