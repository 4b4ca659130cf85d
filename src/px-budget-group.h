/* px-budget-group.h: Preferences' monthly budgets — for all providers
 * together and for each paid provider — with what was spent against each
 * this month; 0 means none. */
#pragma once

#include <adwaita.h>

#include "px-catalog.h"
#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_BUDGET_GROUP (px_budget_group_get_type ())

G_DECLARE_FINAL_TYPE (PxBudgetGroup, px_budget_group, PX, BUDGET_GROUP, AdwPreferencesGroup)

GtkWidget *px_budget_group_new     (PxLibrary     *library,
                                    PxCatalog     *catalog);
gboolean   px_budget_group_is_busy (PxBudgetGroup *self);

G_END_DECLS
