/* px-model-settings.h: a preferences group with the rows for a model's
 * settings (size, quality, …), built from its capabilities. */
#pragma once

#include <adwaita.h>

#include "px-catalog.h"

G_BEGIN_DECLS

#define PX_TYPE_MODEL_SETTINGS (px_model_settings_get_type ())

G_DECLARE_FINAL_TYPE (PxModelSettings, px_model_settings, PX, MODEL_SETTINGS, AdwPreferencesGroup)

PxModelSettings *px_model_settings_new        (void);
void             px_model_settings_show       (PxModelSettings     *self,
                                               const PxModel       *model,
                                               GHashTable          *wanted);
GHashTable      *px_model_settings_get_values (PxModelSettings     *self);

G_END_DECLS
