/* px-batch-page-private.h: what the Batch page's files share: its fields
 * and the helpers its set-up (px-batch-page-setup.c) and run
 * (px-batch-page-run.c) halves call across. */
#pragma once

#include "px-batch-page.h"
#include "px-batch.h"
#include "px-model-settings.h"
#include "px-problem-banner.h"
#include "px-provider-batches.h"
#include "px-token-editor.h"

G_BEGIN_DECLS

#define MAX_PROBLEMS_SHOWN 8
#define MAX_ITEMS_SHOWN 60
#define SECONDS_PER_IMAGE_GUESS 12.0
#define PROVIDER_BATCH_ROWS 1000   /* from here a provider batch is recommended */
#define FLUSH_INTERVAL_MS 200
#define MAX_ITEMS_PER_FLUSH 10

struct _PxBatchPage
{
  AdwBin                parent_instance;

  PxApplication        *application;
  PxEngine             *engine;
  PxLibrary            *library;

  char                 *csv_name;
  char                **columns;        /* as in the file */
  char                **column_tokens;  /* normalised: the token each column fills */
  GPtrArray            *rows;           /* GStrv, the rows that could be read */
  GArray               *row_numbers;    /* guint: each row's number in the file */
  GPtrArray            *unreadable;     /* messages for rows that could not be read */
  GPtrArray            *models;         /* const PxModel * */
  GHashTable           *mapping;        /* token -> AdwComboRow */
  GPtrArray            *mapping_rows;
  GArray               *bad_rows;       /* 0-based indices of rows with problems */
  guint                 n_problems;

  PxBatchRunner        *runner;
  PxProviderBatches    *provider_batches; /* the app's, when the shown batch is at a provider */
  gboolean              provider_shown;   /* the shown batch runs on a provider's batch engine */
  gint64                provider_stopped; /* the batch the user stopped checking */
  const PxProviderInfo *key_provider;
  gint64                job_id;
  gint64                started_us;
  guint                 done_at_start;
  gboolean              running;
  gboolean              in_background;
  GCancellable         *cancellable;
  char                 *job_model_id;   /* the shown batch's model, before its runner is open */
  GtkFileChooserNative *chooser;
  guint                 n_items_shown;
  GQueue                item_events;     /* ItemEvent, waiting for the next flush */
  guint                 flush_source;

  GtkStack             *stack;
  AdwPreferencesGroup  *history_group;
  GtkListBox           *history_list;
  GtkLabel             *file_label;
  GtkLabel             *file_label_above;
  GtkColumnView        *preview;
  PxTokenEditor        *editor;
  AdwPreferencesGroup  *mapping_group;
  AdwComboRow          *model_row;
  AdwComboRow          *globals_row;
  PxModelSettings      *model_settings;
  GPtrArray            *token_sets;     /* PxTokenSet, for globals_row (after "None") */
  GtkSwitch            *provider_batch_switch; /* in its row (found as its ancestor) */
  GtkSpinButton        *concurrency_spin;
  GtkSpinButton        *budget_spin;
  GtkLabel             *problems_label;
  GtkCheckButton       *skip_check;
  GtkLabel             *estimate_label;
  GtkLabel             *run_title;
  GtkProgressBar       *progress_bar;
  GtkLabel             *counts_label;
  GtkButton            *pause_button;
  GtkButton            *gallery_button;
  PxProblemBanner      *problem_banner;
  GtkListBox           *items_list;
};

void           px_batch_page_toast             (PxBatchPage    *self,
                                                const char     *title);
const PxModel *px_batch_page_chosen_model      (PxBatchPage    *self);
void           px_batch_page_refresh_history   (PxBatchPage    *self);
void           px_batch_page_set_running       (PxBatchPage    *self,
                                                gboolean        running);
void           px_batch_page_show_job          (PxBatchPage    *self,
                                                gint64          id,
                                                gboolean        run);
void           px_batch_page_validate          (PxBatchPage    *self);

gboolean       px_batch_page_provider_show     (PxBatchPage    *self,
                                                const PxBatchJob *job,
                                                gboolean        run);
gboolean       px_batch_page_provider_pause    (PxBatchPage    *self);
gboolean       px_batch_page_provider_resume   (PxBatchPage    *self);
gboolean       px_batch_page_provider_cancel   (PxBatchPage    *self);
void           px_batch_page_provider_dispose  (PxBatchPage    *self);
void           px_batch_page_class_init_setup  (GtkWidgetClass *widget_class);
void           px_batch_page_class_init_run    (GtkWidgetClass *widget_class);
void           px_batch_page_init_setup        (PxBatchPage    *self);
void           px_batch_page_init_run          (PxBatchPage    *self);
void           px_batch_page_dispose_run       (PxBatchPage    *self);

G_END_DECLS
