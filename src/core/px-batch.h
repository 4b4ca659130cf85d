/* px-batch.h: batches: one template, many rows of tokens. The store keeps
 * a batch and its items in the library (so nothing is lost when the process
 * dies); PxBatchRunner runs one through the engine. */
#pragma once

#include "px-engine.h"
#include "px-library.h"

G_BEGIN_DECLS

#define PX_BATCH_ERROR (px_batch_error_quark ())

typedef enum {
  PX_BATCH_ERROR_NOT_FOUND,
  PX_BATCH_ERROR_INVALID,       /* no rows, a row missing a token, … */
  PX_BATCH_ERROR_OVER_BUDGET,   /* the estimate is above the spend cap */
  PX_BATCH_ERROR_PAUSED,        /* paused by a problem no retry mends (the account, the key, the model) */
  PX_BATCH_ERROR_BUDGET_SPENT,  /* this month's budget is spent: paid work waits */
} PxBatchError;

/* What a batch is made from. Rows are cells in the order of columns; a
 * column's normalised name is the token it fills (FIRST_NAME for "First
 * name"); rows override the global tokens. */
typedef struct {
  const char         *template_prompt;
  const char         *model_id;
  GHashTable         *settings;     /* name -> value, or NULL */
  GHashTable         *tokens;       /* global tokens, or NULL */
  const char * const *columns;
  GPtrArray          *rows;         /* GStrv each */
  guint               concurrency;  /* 0: the provider's */
  double              budget;       /* dollars; 0: none */
  gboolean            provider_batch; /* run on the provider's batch engine */
} PxBatchSpec;

/* What a provider's batch engine charges of the synchronous price (the
 * Gemini API's Batch Mode: half). */
#define PX_PROVIDER_BATCH_PRICE 0.5

typedef struct {
  gint64      id;
  char       *template_prompt;
  char       *model_id;
  GHashTable *settings;
  GHashTable *tokens;
  char      **columns;
  char       *status;       /* pending, running, paused, completed, cancelled */
  char       *reason;       /* why it paused by itself, or NULL */
  guint       total;
  guint       concurrency;
  double      budget;
  double      cost;
  double      possibly_paid; /* requests lost after they were sent may have cost this too */
  guint       pending;      /* processing counts as pending: it is not done */
  guint       completed;
  guint       failed;
  guint       cancelled;
  gint64      created;
  gboolean    provider_batch; /* on the provider's batch engine (PxProviderBatch) */
} PxBatchJob;

typedef struct {
  gint64      id;
  guint       row_number;
  GHashTable *tokens;       /* merged: globals, then the row */
} PxBatchItem;

GQuark      px_batch_error_quark    (void);
void        px_batch_job_free       (PxBatchJob       *job);
void        px_batch_item_free      (PxBatchItem      *item);

gint64      px_batch_create         (PxLibrary        *library,
                                     const PxBatchSpec *spec,
                                     GError          **error);
PxBatchJob *px_batch_get            (PxLibrary        *library,
                                     gint64            id,
                                     GError          **error);
GPtrArray  *px_batch_list           (PxLibrary        *library,
                                     GError          **error);
gboolean    px_batch_update         (PxLibrary        *library,
                                     gint64            id,
                                     const char       *model_id,
                                     guint             concurrency,
                                     GError          **error);
gboolean    px_batch_export_csv     (PxLibrary        *library,
                                     gint64            id,
                                     const char       *path,
                                     GError          **error);
double      px_batch_estimate_cost  (PxCatalog        *catalog,
                                     const char       *model_id,
                                     GHashTable       *settings,
                                     guint             n_images);
double      px_batch_estimate_seconds (guint           n_items,
                                     guint             concurrency,
                                     double            seconds_per_image);

#define PX_TYPE_BATCH_RUNNER (px_batch_runner_get_type ())

G_DECLARE_FINAL_TYPE (PxBatchRunner, px_batch_runner, PX, BATCH_RUNNER, GObject)

void           px_batch_runner_new_async    (PxEngine       *engine,
                                             const char     *library_dir,
                                             gint64          job_id,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
PxBatchRunner *px_batch_runner_new_finish   (GAsyncResult   *result,
                                             GError        **error);
PxBatchRunner *px_batch_runner_new          (PxEngine       *engine,
                                             const char     *library_dir,
                                             gint64          job_id,
                                             GError        **error);
void           px_batch_runner_run_async    (PxBatchRunner  *self,
                                             GCancellable   *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer        user_data);
gboolean       px_batch_runner_run_finish   (PxBatchRunner  *self,
                                             GAsyncResult   *result,
                                             GError        **error);
void           px_batch_runner_pause        (PxBatchRunner  *self);
void           px_batch_runner_resume       (PxBatchRunner  *self);
void           px_batch_runner_cancel       (PxBatchRunner  *self);
gboolean       px_batch_runner_retry_failed (PxBatchRunner  *self,
                                             GError        **error);
gboolean       px_batch_runner_is_paused    (PxBatchRunner  *self);
const GError  *px_batch_runner_get_problem  (PxBatchRunner  *self);
const PxBatchJob *px_batch_runner_get_job   (PxBatchRunner  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxBatchJob, px_batch_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxBatchItem, px_batch_item_free)

G_END_DECLS
