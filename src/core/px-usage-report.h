/* px-usage-report.h: everything the Analytics page shows for a date
 * range, read in one go off the main thread: totals, spend per day, per
 * model, images per feature, the most expensive batches, this month
 * against the budgets. */
#pragma once

#include "px-usage.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *prompt;        /* its template */
  char   *model;
  guint64 images;
  double  cost;
} PxUsageBatch;

typedef struct {
  gint64      since;        /* the range, local midnight to local midnight */
  gint64      until;
  PxUsageRow  totals;
  GPtrArray  *days;         /* PxUsageRow, every day of the range (empty ones too), oldest first */
  GPtrArray  *models;       /* PxUsageRow, most spent first */
  GPtrArray  *features;     /* PxUsageRow, most spent first */
  GPtrArray  *batches;      /* PxUsageBatch, the five that cost most */
  GPtrArray  *wins;         /* PxUsageRow by model, its comparison wins in "events" */
  PxUsageRow  month;        /* this calendar month so far */
  GPtrArray  *budgets;      /* PxBudget */
  guint64     all_events;   /* in the whole library: 0 is a new library */
} PxUsageReport;

void           px_usage_report_free (PxUsageReport *report);
PxUsageReport *px_usage_report_read (PxLibrary     *library,
                                     gint64         since,
                                     gint64         until,
                                     gint64         now,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxUsageReport, px_usage_report_free)

G_END_DECLS
