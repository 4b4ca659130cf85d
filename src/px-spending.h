/* px-spending.h: the monthly budget where the app starts paid work —
 * checked off the main thread before it is sent (Generate asks whether to
 * go over it; a comparison does not start) — and the 80 % and 100 %
 * notices, once a month, as desktop notifications. */
#pragma once

#include <adwaita.h>

#include "px-library.h"
#include "px-usage.h"

G_BEGIN_DECLS

/* go_on: the work may start; reason: why not (or why it was asked), or NULL. */
typedef void (*PxSpendingReady) (GtkWidget  *from,
                                 gboolean    go_on,
                                 const char *reason);

void px_spending_check  (GtkWidget       *from,
                         PxLibrary       *library,
                         const char      *provider_id,
                         gboolean         ask,
                         PxSpendingReady  then);
void px_spending_notice (PxLibrary       *library,
                         const char      *provider_id);
void px_spending_notify (guint            level,
                         const char      *message);
void px_spending_record (PxLibrary       *library,
                         const PxUsageEvent *event);
void px_spending_record_lost (PxLibrary  *library,
                              const char *provider_id,
                              const char *model_id,
                              const char *feature,
                              double      possibly_paid);

G_END_DECLS
