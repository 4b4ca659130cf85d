/* px-usage.h: what Pixmerge spent and did, from the library's usage
 * events — one per image generated or edited, export, video, AI video —
 * in totals and breakdowns by day, week, month, model, provider, feature,
 * kind or batch over a date range (local time), as CSV too; and monthly
 * budgets, overall and per provider. Events are local and hold no keys
 * and no prompts. */
#pragma once

#include "px-library.h"

G_BEGIN_DECLS

typedef struct {
  const char *kind;           /* generation, edit, ai-edit, export, video, ai-video, prompt-helper */
  const char *provider;       /* "" for work done on this computer */
  const char *model;
  const char *feature;
  gint64      batch_id;
  gint64      image_id;
  guint       images;
  double      cost;           /* dollars the engine computed from the provider's answer */
  double      possibly_paid;  /* requests lost after sending: what they may have cost */
  gboolean    cached;
  gint64      duration_ms;
  gint64      tokens;
  gint64      created;        /* unix seconds; 0: now */
} PxUsageEvent;

typedef enum {
  PX_USAGE_BY_DAY,
  PX_USAGE_BY_WEEK,           /* ISO weeks, "2026-W48" */
  PX_USAGE_BY_MONTH,
  PX_USAGE_BY_MODEL,
  PX_USAGE_BY_PROVIDER,
  PX_USAGE_BY_FEATURE,
  PX_USAGE_BY_KIND,
  PX_USAGE_BY_BATCH,
} PxUsageGroup;

typedef struct {
  char   *key;                /* the day, week, month, model, …; "" for none */
  guint64 events;
  guint64 images;
  guint64 cached;
  double  cost;
  double  possibly_paid;
  gint64  duration_ms;        /* summed; divide by images for the average */
} PxUsageRow;

typedef struct {
  char   *provider;           /* "" for all providers together */
  double  monthly;            /* dollars */
  double  spent;              /* this month, so far */
} PxBudget;

void        px_usage_row_free        (PxUsageRow          *row);
void        px_budget_free           (PxBudget            *budget);
gboolean    px_usage_group_from_string (const char        *name,
                                      PxUsageGroup        *group);

gboolean    px_usage_record          (PxLibrary           *library,
                                      const PxUsageEvent  *event,
                                      GError             **error);
gboolean    px_usage_totals          (PxLibrary           *library,
                                      gint64               since,
                                      gint64               until,
                                      PxUsageRow          *totals,
                                      GError             **error);
GPtrArray  *px_usage_breakdown       (PxLibrary           *library,
                                      gint64               since,
                                      gint64               until,
                                      PxUsageGroup         by,
                                      GError             **error);
char       *px_usage_to_csv          (GPtrArray           *rows,
                                      PxUsageGroup         by);
GPtrArray  *px_usage_wins            (PxLibrary           *library,
                                      gint64               since,
                                      gint64               until,
                                      GError             **error);
gint64      px_usage_parse_date      (const char          *date,
                                      gboolean             end_of_day,
                                      GError             **error);
gint64      px_usage_month_start     (gint64               now);

gboolean    px_budget_set            (PxLibrary           *library,
                                      const char          *provider,
                                      double               monthly,
                                      GError             **error);
GPtrArray  *px_budget_list           (PxLibrary           *library,
                                      gint64               now,
                                      GError             **error);
gboolean    px_budget_allows         (PxLibrary           *library,
                                      const char          *provider,
                                      gint64               now,
                                      char               **reason,
                                      GError             **error);
guint       px_budget_take_notice    (PxLibrary           *library,
                                      const char          *provider,
                                      gint64               now,
                                      char               **message,
                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxUsageRow, px_usage_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxBudget, px_budget_free)

G_END_DECLS
