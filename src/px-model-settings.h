/* px-model-settings.h: the rows for a model's settings (size, quality, …),
 * built from its capabilities, in a preferences group. */
#pragma once

#include <adwaita.h>

#include "px-catalog.h"

G_BEGIN_DECLS

typedef struct _PxModelSettings PxModelSettings;

PxModelSettings *px_model_settings_new        (AdwPreferencesGroup *group,
                                               GCallback            changed,
                                               gpointer             user_data);
void             px_model_settings_free       (PxModelSettings     *self);
void             px_model_settings_show       (PxModelSettings     *self,
                                               const PxModel       *model,
                                               GHashTable          *wanted);
GHashTable      *px_model_settings_get_values (PxModelSettings     *self);

G_END_DECLS
