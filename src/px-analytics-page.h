/* px-analytics-page.h: what was spent and made — this month against the
 * budget, per day, per model, per feature, the dearest batches — for a
 * date range, read off the main thread; exported as CSV. */
#pragma once

#include <adwaita.h>

#include "px-library.h"
#include "px-usage-report.h"

G_BEGIN_DECLS

#define PX_TYPE_ANALYTICS_PAGE (px_analytics_page_get_type ())

G_DECLARE_FINAL_TYPE (PxAnalyticsPage, px_analytics_page, PX, ANALYTICS_PAGE, AdwBin)

void                 px_analytics_page_set_library (PxAnalyticsPage *self,
                                                    PxLibrary       *library);
void                 px_analytics_page_reload      (PxAnalyticsPage *self);
gboolean             px_analytics_page_is_loading  (PxAnalyticsPage *self);
const PxUsageReport *px_analytics_page_get_report  (PxAnalyticsPage *self);
void                 px_analytics_page_export_csv  (PxAnalyticsPage *self,
                                                    const char      *path);

G_END_DECLS
