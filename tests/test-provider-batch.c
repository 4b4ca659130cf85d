/* test-provider-batch.c: batches of the library run on the Gemini API's
 * Batch Mode and on OpenAI's Batch API, against the fake over real HTTP, on
 * a real library: 2,000 rows (600 on OpenAI) split into provider jobs come
 * back into the library exactly once, refused lines keep the provider's
 * words, each image costs half the direct
 * price (in the items, the usage and the cap); a job whose answer was lost
 * is found by its display name, never made twice; expired and failed jobs
 * fail their rows with the reason; cancel keeps what was made. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "px-batch.h"
#include "px-provider-batch.h"
#include "px-test-engine.h"
#include "px-usage.h"

/* One provider's batch engine, and the words its fake uses. */
typedef struct {
  const char         *model;
  guint               rows;       /* the big batch */
  guint               max;        /* requests per provider job */
  const char         *refused;    /* in a refused line's error */
  const char         *failed;     /* in a failed job's rows' error */
  PxFakeBatchOutcome  outcome;    /* for the ended-badly tests */
} Case;

static const Case gemini = { "gemini-3.1-flash-image", 2000, 800, "invalid argument",
                             "Batch processing failed: an internal error occurred", 0 };
static const Case openai = { "gpt-image-2", 600, 250, "safety system",
                             "The batch failed to run: an internal error occurred", 0 };
static const Case gemini_expired = { "gemini-3.1-flash-image", 0, 0, NULL, NULL, PX_FAKE_BATCH_EXPIRED };
static const Case gemini_failed = { "gemini-3.1-flash-image", 0, 0, NULL,
                                    "Batch processing failed: an internal error occurred", PX_FAKE_BATCH_FAILED };
static const Case openai_expired = { "gpt-image-2", 0, 0, NULL, NULL, PX_FAKE_BATCH_EXPIRED };
static const Case openai_failed = { "gpt-image-2", 0, 0, NULL, "The batch failed to run: an internal error occurred",
                                    PX_FAKE_BATCH_FAILED };

typedef struct {
  PxTestFixture  base;
  char          *dir;
  PxLibrary     *library;
  const Case    *c;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static guint n;
  g_autofree char *name = g_strdup_printf ("%u", ++n);

  px_test_fixture_set_up (&f->base, data);
  f->c = data;
  px_fake_provider_set_plain_images (f->base.fake, TRUE);
  f->dir = g_build_filename (g_get_user_data_dir (), "provider-batch", name, NULL);
  f->library = px_library_open (f->dir, &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_clear_object (&f->library);
  g_free (f->dir);
  px_test_fixture_tear_down (&f->base, data);
}

static gint64
make_batch (Fixture *f,
            guint    n_rows,
            double   budget)
{
  static const char *columns[] = { "Name", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { 0, };
  gint64 id;

  for (guint i = 0; i < n_rows; i++)
    {
      char **row = g_new0 (char *, 2);

      row[0] = g_strdup_printf ("Person %u", i + 1);
      g_ptr_array_add (rows, row);
    }
  spec.template_prompt = "Portrait of [NAME]";
  spec.model_id = f->c->model;
  spec.columns = columns;
  spec.rows = rows;
  spec.budget = budget;
  spec.provider_batch = TRUE;
  id = px_batch_create (f->library, &spec, &error);
  g_assert_no_error (error);
  return id;
}

static PxProviderBatch *
open_batch (Fixture *f,
            gint64   id)
{
  g_autoptr(GError) error = NULL;
  PxProviderBatch *batch = px_provider_batch_new (f->base.engine, f->dir, id, &error);

  g_assert_no_error (error);
  px_provider_batch_set_poll_interval (batch, 20, 200);
  return batch;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
run (PxProviderBatch *batch,
     gboolean         wait,
     GError         **error)
{
  GAsyncResult *result = NULL;
  gboolean ok;

  px_provider_batch_run_async (batch, wait, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = px_provider_batch_run_finish (batch, result, error);
  g_object_unref (result);
  return ok;
}

static PxBatchJob *
reread (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  PxBatchJob *job = px_batch_get (f->library, id, &error);

  g_assert_no_error (error);
  return job;
}

/* Every completed item has its own image, none twice, each in the library
 * once with the row's prompt. */
static void
assert_exactly_once (Fixture *f,
                     gint64   id,
                     guint    completed)
{
  g_autoptr(GHashTable) prompts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  PxLibraryQuery query = { 0, };
  g_autoptr(GPtrArray) images = NULL;

  query.batch_id = id;
  g_assert_cmpuint (px_library_count (f->library, &query, &error), ==, completed);
  g_assert_no_error (error);
  images = px_library_list (f->library, &query, 0, completed + 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, completed);
  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryImage *image = g_ptr_array_index (images, i);

      g_assert_true (g_str_has_prefix (image->prompt, "Portrait of Person "));
      g_assert_false (g_hash_table_contains (prompts, image->prompt));
      g_hash_table_add (prompts, g_strdup (image->prompt));
    }
}

static double
direct_price (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationResult) result = px_test_generate (f->base.engine,
                                                           px_generation_request_new (f->c->model, "Portrait of Person 1"),
                                                           NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpfloat (result->cost, >, 0);
  return result->cost;
}

static void
test_big_batch (Fixture       *f,
                gconstpointer  data)
{
  gint64 id = make_batch (f, f->c->rows, 0);
  g_autoptr(PxProviderBatch) batch = open_batch (f, id);
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs;
  PxUsageRow totals = { 0, };
  double price = direct_price (f);
  guint with_error = 0, refused = 0, n_jobs = (f->c->rows + f->c->max - 1) / f->c->max;

  px_fake_provider_set_batch_polls (f->base.fake, 2);
  px_fake_provider_set_batch_failing (f->base.fake, 100);
  /* Over the provider's limit (set low here): split into several jobs. */
  px_provider_batch_set_max_requests (batch, f->c->max);
  g_assert_true (run (batch, TRUE, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, n_jobs);
  jobs = px_provider_batch_get_jobs (batch);
  g_assert_cmpuint (jobs->len, ==, n_jobs);
  for (guint i = 0; i < jobs->len; i++)
    {
      PxProviderJob *part = g_ptr_array_index (jobs, i);
      guint size = i + 1 < n_jobs ? f->c->max : f->c->rows - (n_jobs - 1) * f->c->max;

      g_assert_true (part->ingested);
      g_assert_cmpstr (part->state, ==, "succeeded");
      g_assert_nonnull (part->name);
      g_assert_cmpint (part->requests, ==, size);
      refused += size / 100;   /* every 100th line of each job */
    }

  job = reread (f, id);
  g_assert_cmpstr (job->status, ==, "completed");
  g_assert_true (job->provider_batch);
  g_assert_cmpuint (job->completed + job->failed, ==, f->c->rows);
  g_assert_cmpuint (job->failed, ==, refused);
  g_assert_cmpuint (job->pending, ==, 0);
  assert_exactly_once (f, id, job->completed);

  /* Half the direct price (the prompts differ a little in length), in the
   * items and in the usage. */
  g_assert_cmpfloat_with_epsilon (job->cost, job->completed * price * PX_PROVIDER_BATCH_PRICE, job->cost * 0.01);
  g_assert_true (px_usage_totals (f->library, 0, 0, &totals, &error));
  g_assert_cmpfloat_with_epsilon (totals.cost, job->cost, 1e-6);
  g_free (totals.key);

  /* A refused line keeps the provider's words. */
  {
    g_autofree char *csv = g_build_filename (f->dir, "results.csv", NULL);
    g_autofree char *text = NULL;
    char **lines;

    g_assert_true (px_batch_export_csv (f->library, id, csv, &error));
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      if (strstr (lines[i], f->c->refused) != NULL)
        with_error++;
    g_strfreev (lines);
    g_assert_cmpuint (with_error, ==, refused);
  }

  /* Run again: nothing is sent again, nothing stored twice. */
  g_assert_true (run (batch, TRUE, &error));
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, n_jobs);
  assert_exactly_once (f, id, job->completed);
}

static gboolean
quit_when_created (gpointer user_data)
{
  Fixture *f = user_data;

  return px_fake_provider_get_batches_created (f->base.fake) == 0;
}

/* The job was made but its answer never came back (the process was killed
 * there, or the connection dropped): found by its display name. */
static void
test_lost_answer (Fixture       *f,
                  gconstpointer  data)
{
  gint64 id = make_batch (f, 50, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchJob) job = NULL;

  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, id);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    GAsyncResult *result = NULL;

    px_fake_provider_set_latency (f->base.fake, 400);
    px_provider_batch_run_async (batch, TRUE, cancellable, on_done, &result);
    while (quit_when_created (f))
      g_main_context_iteration (NULL, TRUE);
    /* Made there; the answer is 400 ms away and never read. */
    g_cancellable_cancel (cancellable);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (px_provider_batch_run_finish (batch, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_object_unref (result);
    g_assert_null (((PxProviderJob *) g_ptr_array_index (px_provider_batch_get_jobs (batch), 0))->name);
  }
  px_fake_provider_set_latency (f->base.fake, 0);
  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, id);

    g_assert_true (run (batch, TRUE, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, 1);
  job = reread (f, id);
  g_assert_cmpuint (job->completed, ==, 50);
  assert_exactly_once (f, id, 50);
}

static void
test_ended_badly (Fixture       *f,
                  gconstpointer  data)
{
  PxFakeBatchOutcome outcome = f->c->outcome;
  gint64 id = make_batch (f, 30, 0);
  g_autoptr(PxProviderBatch) batch = open_batch (f, id);
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "results.csv", NULL);
  g_autofree char *text = NULL;

  px_fake_provider_set_batch_outcome (f->base.fake, outcome);
  g_assert_true (run (batch, TRUE, &error));
  g_assert_no_error (error);
  job = reread (f, id);
  g_assert_cmpstr (job->status, ==, "completed");
  g_assert_cmpuint (job->failed, ==, 30);
  g_assert_cmpuint (job->completed, ==, 0);
  g_assert_cmpfloat (job->cost, ==, 0);
  g_assert_true (px_batch_export_csv (f->library, id, csv, &error));
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  if (outcome == PX_FAKE_BATCH_EXPIRED)
    g_assert_nonnull (strstr (text, "expired"));
  else
    g_assert_nonnull (strstr (text, f->c->failed));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = make_batch (f, 40, 0);
  g_autoptr(PxProviderBatch) batch = open_batch (f, id);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  GPtrArray *jobs;

  px_fake_provider_set_batch_polls (f->base.fake, 100000);
  px_provider_batch_run_async (batch, TRUE, cancellable, on_done, &result);
  for (;;)
    {
      jobs = px_provider_batch_get_jobs (batch);
      if (jobs->len > 0 && g_strcmp0 (((PxProviderJob *) g_ptr_array_index (jobs, 0))->state, "running") == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (px_provider_batch_run_finish (batch, result, NULL));
  g_clear_object (&result);

  px_provider_batch_cancel_async (batch, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (px_provider_batch_cancel_finish (batch, result, &error));
  g_assert_no_error (error);
  g_object_unref (result);

  /* The fake had made half when it was cancelled: those are kept. */
  job = reread (f, id);
  g_assert_cmpstr (job->status, ==, "cancelled");
  g_assert_cmpuint (job->completed, ==, 20);
  g_assert_cmpuint (job->cancelled, ==, 20);
  g_assert_cmpuint (job->pending, ==, 0);
  assert_exactly_once (f, id, 20);
  g_assert_cmpstr (((PxProviderJob *) g_ptr_array_index (px_provider_batch_get_jobs (batch), 0))->state, ==,
                   "cancelled");
}

/* The spend cap is held to the batch price: a cap between half and the
 * whole direct price lets a provider batch run. */
static void
test_cap (Fixture       *f,
          gconstpointer  data)
{
  /* Held to the estimate before anything is sent (a provider batch is paid
   * for as a whole once it is made). */
  double estimate = px_batch_estimate_cost (px_engine_get_catalog (f->base.engine), f->c->model, NULL, 10);
  g_autoptr(GError) error = NULL;
  gint64 id = make_batch (f, 10, estimate * 0.75);
  gint64 small;

  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, id);
    g_autoptr(PxBatchJob) job = NULL;

    g_assert_true (run (batch, TRUE, &error));
    g_assert_no_error (error);
    job = reread (f, id);
    g_assert_cmpuint (job->completed, ==, 10);
  }
  small = make_batch (f, 10, estimate * 0.4);
  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, small);

    g_assert_false (run (batch, TRUE, &error));
    g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET);
  }
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, 1);
}

/* A wrong key: the batch pauses with the provider's words, which never
 * hold the key, and nothing is made. */
static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  const char *wrong = g_str_has_prefix (f->c->model, "gpt") ? "sk-wrong-0000" : "AIza-wrong-key-batch";
  const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (f->base.engine), f->c->model, NULL);
  gint64 id = make_batch (f, 5, 0);
  g_autoptr(PxProviderBatch) batch = NULL;
  g_autoptr(PxBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;

  px_engine_set_api_key (f->base.engine, model->provider_id, wrong);
  batch = open_batch (f, id);
  g_assert_false (run (batch, TRUE, &error));
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
  g_assert_null (strstr (error->message, wrong));
  job = reread (f, id);
  g_assert_cmpstr (job->status, ==, "paused");
  g_assert_nonnull (job->reason);
  g_assert_null (strstr (job->reason, wrong));
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, 0);
}

/* The month's budget must hold the whole batch before it is sent (it is
 * paid for as a whole once made): a budget already spent, or too little
 * left for the estimate, pauses it with the reason and sends nothing;
 * raised, the batch goes. */
static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  const PxModel *model = px_catalog_lookup_model (px_engine_get_catalog (f->base.engine), f->c->model, NULL);
  double estimate = px_batch_estimate_cost (px_engine_get_catalog (f->base.engine), f->c->model, NULL, 10) *
                    PX_PROVIDER_BATCH_PRICE;
  gint64 id = make_batch (f, 10, 0);
  g_autoptr(GError) error = NULL;
  PxUsageEvent spent = { .kind = "generation", .provider = model->provider_id, .model = f->c->model,
                         .feature = "generate", .images = 1, .cost = 1.0 };

  /* Too little left for the whole batch. */
  g_assert_true (px_budget_set (f->library, model->provider_id, estimate * 0.9, &error));
  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, id);
    g_autoptr(PxBatchJob) job = NULL;

    g_assert_false (run (batch, TRUE, &error));
    g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_BUDGET_SPENT);
    g_assert_nonnull (strstr (error->message, "left of this month"));
    g_clear_error (&error);
    job = reread (f, id);
    g_assert_cmpstr (job->status, ==, "paused");
    g_assert_nonnull (job->reason);
  }
  /* Spent already (an overall budget this time). */
  g_assert_true (px_budget_set (f->library, model->provider_id, 0, &error));
  g_assert_true (px_budget_set (f->library, "", 0.5, &error));
  g_assert_true (px_usage_record (f->library, &spent, &error));
  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, id);

    g_assert_false (run (batch, TRUE, &error));
    g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_BUDGET_SPENT);
    g_clear_error (&error);
  }
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, 0);

  /* Raised: it goes. */
  g_assert_true (px_budget_set (f->library, "", 1.0 + estimate * 2, &error));
  {
    g_autoptr(PxProviderBatch) batch = open_batch (f, id);
    g_autoptr(PxBatchJob) job = NULL;

    g_assert_true (run (batch, TRUE, &error));
    g_assert_no_error (error);
    job = reread (f, id);
    g_assert_cmpuint (job->completed, ==, 10);
  }
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->base.fake), ==, 1);
}

/* A model no batch engine takes is refused with its name. */
static void
test_unsupported (Fixture       *f,
                  gconstpointer  data)
{
  static const char *columns[] = { "Name", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { 0, };
  gint64 id;

  g_ptr_array_add (rows, g_strsplit ("Ada", ",", -1));
  spec.template_prompt = "Portrait of [NAME]";
  spec.model_id = "dall-e-3";
  spec.columns = columns;
  spec.rows = rows;
  spec.provider_batch = TRUE;
  id = px_batch_create (f->library, &spec, &error);
  g_assert_no_error (error);
  g_assert_null (px_provider_batch_new (f->base.engine, f->dir, id, &error));
  g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "dall-e-3"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/provider-batch/gemini/two-thousand-rows", Fixture, &gemini, set_up, test_big_batch, tear_down);
  g_test_add ("/provider-batch/gemini/lost-answer", Fixture, &gemini, set_up, test_lost_answer, tear_down);
  g_test_add ("/provider-batch/gemini/expired", Fixture, &gemini_expired, set_up, test_ended_badly, tear_down);
  g_test_add ("/provider-batch/gemini/failed", Fixture, &gemini_failed, set_up, test_ended_badly, tear_down);
  g_test_add ("/provider-batch/gemini/cancel", Fixture, &gemini, set_up, test_cancel, tear_down);
  g_test_add ("/provider-batch/gemini/cap", Fixture, &gemini, set_up, test_cap, tear_down);
  g_test_add ("/provider-batch/openai/six-hundred-rows", Fixture, &openai, set_up, test_big_batch, tear_down);
  g_test_add ("/provider-batch/openai/lost-answer", Fixture, &openai, set_up, test_lost_answer, tear_down);
  g_test_add ("/provider-batch/openai/expired", Fixture, &openai_expired, set_up, test_ended_badly, tear_down);
  g_test_add ("/provider-batch/openai/failed", Fixture, &openai_failed, set_up, test_ended_badly, tear_down);
  g_test_add ("/provider-batch/openai/cancel", Fixture, &openai, set_up, test_cancel, tear_down);
  g_test_add ("/provider-batch/openai/cap", Fixture, &openai, set_up, test_cap, tear_down);
  g_test_add ("/provider-batch/gemini/budget", Fixture, &gemini, set_up, test_budget, tear_down);
  g_test_add ("/provider-batch/openai/budget", Fixture, &openai, set_up, test_budget, tear_down);
  g_test_add ("/provider-batch/gemini/wrong-key", Fixture, &gemini, set_up, test_wrong_key, tear_down);
  g_test_add ("/provider-batch/openai/wrong-key", Fixture, &openai, set_up, test_wrong_key, tear_down);
  g_test_add ("/provider-batch/unsupported", Fixture, &gemini, set_up, test_unsupported, tear_down);
  return g_test_run ();
}
