/* test-batch.c: batches against the fake provider over real HTTP, on a
 * real library: transient faults are ridden out, hard ones fail only their
 * item with the provider's words, pause and resume, cancel, the spend cap,
 * and the results CSV. */
#include "config.h"

#include <string.h>

#include "px-batch.h"
#include "px-test-engine.h"
#include "px-usage.h"

typedef struct {
  PxTestFixture  base;
  char          *dir;
  PxLibrary     *library;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static guint n;
  g_autofree char *name = g_strdup_printf ("%u", ++n);

  px_test_fixture_set_up (&f->base, data);
  /* Enough attempts that 25 % transient faults never exhaust them. */
  px_engine_set_retry_policy (f->base.engine, 10, 5, 50);
  f->dir = g_build_filename (g_get_user_data_dir (), "batch", name, NULL);
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
make_batch (Fixture    *f,
            guint       n_rows,
            const char *template_prompt,
            guint       concurrency,
            double      budget)
{
  static const char *columns[] = { "First Name", "Company", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { 0, };
  gint64 id;

  for (guint i = 0; i < n_rows; i++)
    {
      char **row = g_new0 (char *, 3);

      row[0] = g_strdup_printf ("Person %u", i + 1);
      row[1] = g_strdup (i % 2 ? "" : "Acme");   /* empty: the global COMPANY applies */
      g_ptr_array_add (rows, row);
    }
  g_hash_table_insert (tokens, g_strdup ("COMPANY"), g_strdup ("Globex"));
  spec.template_prompt = template_prompt;
  spec.model_id = "gpt-image-2";
  spec.tokens = tokens;
  spec.columns = columns;
  spec.rows = rows;
  spec.concurrency = concurrency;
  spec.budget = budget;
  id = px_batch_create (f->library, &spec, &error);
  g_assert_no_error (error);
  return id;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static PxBatchRunner *
runner_for (Fixture *f,
            gint64   id)
{
  g_autoptr(GError) error = NULL;
  PxBatchRunner *runner = px_batch_runner_new (f->base.engine, f->dir, id, &error);

  g_assert_no_error (error);
  return runner;
}

static gboolean
run (PxBatchRunner  *runner,
     GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_batch_runner_run_async (runner, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return px_batch_runner_run_finish (runner, result, error);
}

static PxBatchJob *
job (Fixture *f,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  PxBatchJob *job = px_batch_get (f->library, id, &error);

  g_assert_no_error (error);
  return job;
}

static void
test_transient_faults (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = make_batch (f, 60, "Portrait of [FIRST_NAME] from [COMPANY]", 8, 0);
  g_autoptr(PxBatchRunner) runner = runner_for (f, id);
  g_autoptr(PxBatchJob) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = NULL;
  PxLibraryQuery query = { .batch_id = id };

  px_fake_provider_set_fault_rate (f->base.fake, PX_FAKE_FAULT_RATE_LIMIT, 20);
  px_fake_provider_set_fault_rate (f->base.fake, PX_FAKE_FAULT_SERVER_ERROR, 5);
  if (!run (runner, &error))
    g_error ("%s", error->message);

  done = job (f, id);
  g_assert_cmpstr (done->status, ==, "completed");
  g_assert_cmpuint (done->completed, ==, 60);
  g_assert_cmpuint (done->failed + done->pending + done->cancelled, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), >, 60);   /* faults were retried */
  g_assert_cmpuint (px_fake_provider_get_max_in_flight (f->base.fake), <=, 8);

  /* One image per row, tagged with the batch, with the row's tokens. */
  g_assert_cmpuint (px_library_count (f->library, &query, &error), ==, 60);
  query.search = "person 52 globex";
  images = px_library_list (f->library, &query, 0, 10, &error);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_cmpstr (((PxLibraryImage *) g_ptr_array_index (images, 0))->prompt, ==, "Portrait of Person 52 from Globex");
}

static void
test_hard_errors_fail_alone (Fixture       *f,
                             gconstpointer  data)
{
  gint64 id = make_batch (f, 6, "[FIRST_NAME] of [COMPANY]", 2, 0);
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(PxBatchJob) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "results.csv", NULL);
  g_autofree char *text = NULL;

  /* A refusal under the content policy is about that row alone: it fails
   * with OpenAI's own words and the rest go on. */
  px_fake_provider_push_fault (f->base.fake, PX_FAKE_FAULT_POLICY, 0);
  runner = runner_for (f, id);
  g_assert_true (run (runner, &error));
  g_assert_no_error (error);

  done = job (f, id);
  g_assert_cmpuint (done->completed, ==, 5);
  g_assert_cmpuint (done->failed, ==, 1);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, 6);

  g_assert_true (px_batch_export_csv (f->library, id, csv, &error));
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "First Name,Company,status,error,image_file,model,cost,time_ms\r\n"));
  g_assert_nonnull (strstr (text, "failed,"));
  g_assert_nonnull (strstr (text, "safety system"));
}

static void
on_progress_pause (PxBatchRunner *runner,
                   gboolean      *paused)
{
  if (!*paused && px_batch_runner_get_job (runner)->completed >= 2)
    {
      px_batch_runner_pause (runner);
      *paused = TRUE;
    }
}

static gboolean
resume_later (gpointer data)
{
  px_batch_runner_resume (data);
  return G_SOURCE_REMOVE;
}

static void
test_pause_resume (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = make_batch (f, 10, "Portrait of [FIRST_NAME]", 2, 0);
  g_autoptr(PxBatchRunner) runner = runner_for (f, id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchJob) done = NULL;
  gboolean paused = FALSE;
  guint requests;
  gint64 until;

  px_fake_provider_set_latency (f->base.fake, 100);
  g_signal_connect (runner, "progress", G_CALLBACK (on_progress_pause), &paused);
  px_batch_runner_run_async (runner, NULL, on_done, &result);
  while (!paused)
    g_main_context_iteration (NULL, TRUE);

  /* Paused: what was in flight lands, nothing new starts. */
  until = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  requests = px_fake_provider_get_request_count (f->base.fake);
  until = g_get_monotonic_time () + 400 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, requests);
  g_assert_cmpuint (requests, <, 10);
  g_assert_null (result);
  g_assert_true (px_batch_runner_is_paused (runner));

  g_timeout_add (10, resume_later, runner);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (px_batch_runner_run_finish (runner, result, &error));
  done = job (f, id);
  g_assert_cmpuint (done->completed, ==, 10);
}

static gboolean
cancel_later (gpointer data)
{
  px_batch_runner_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  gint64 id = make_batch (f, 20, "Portrait of [FIRST_NAME]", 4, 0);
  g_autoptr(PxBatchRunner) runner = runner_for (f, id);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchJob) done = NULL;
  PxLibraryQuery query = { .batch_id = id };

  px_fake_provider_set_latency (f->base.fake, 2000);
  g_timeout_add (200, cancel_later, runner);
  g_assert_false (run (runner, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  done = job (f, id);
  g_assert_cmpstr (done->status, ==, "cancelled");
  g_assert_cmpuint (done->cancelled, ==, 20);
  g_assert_cmpuint (done->completed, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), <=, 4);
  g_assert_cmpuint (px_library_count (f->library, &query, NULL), ==, 0);

  /* Retry brings them back; this time they are done. */
  px_fake_provider_set_latency (f->base.fake, 0);
  g_assert_true (px_batch_runner_retry_failed (runner, &error));
  g_clear_object (&runner);
  runner = runner_for (f, id);
  g_assert_true (run (runner, &error));
  g_assert_no_error (error);
  g_clear_pointer (&done, px_batch_job_free);
  done = job (f, id);
  g_assert_cmpuint (done->completed, ==, 20);
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxBatchJob) done = NULL;
  double price = px_batch_estimate_cost (px_engine_get_catalog (f->base.engine), "gpt-image-2", NULL, 1);
  g_autoptr(GHashTable) big = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 too_small = make_batch (f, 10, "Portrait of [FIRST_NAME]", 2, price * 5);
  g_autoptr(PxBatchRunner) runner = runner_for (f, too_small);

  /* The estimate prices what will be sent: a larger size at the default
   * quality (medium) costs what that combination costs, counts included. */
  g_hash_table_insert (big, "size", "2048x2048");
  g_hash_table_insert (big, "count", "2");
  g_assert_cmpfloat_with_epsilon (px_batch_estimate_cost (px_engine_get_catalog (f->base.engine), "gpt-image-2", big, 3),
                                  3 * 2 * 0.212, 1e-9);

  g_assert_cmpfloat (price, >, 0);
  /* The estimate is above the cap: nothing is sent. */
  g_assert_false (run (runner, &error));
  g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, 0);
  g_assert_cmpfloat (px_batch_estimate_seconds (10, 4, 2.0), ==, 6.0);
}

/* The cap is a spend limit, not only an estimate: a model whose images turn
 * out dearer than its price table (billed by output tokens) pauses the
 * batch once the cost reaches the cap. */
static void
test_pauses_at_spend_cap (Fixture       *f,
                          gconstpointer  data)
{
  static const char catalog_json[] =
    "{\"version\": 1, \"providers\": [{\"id\": \"openai\", \"name\": \"OpenAI\", \"wire\": \"openai\","
    " \"base_url\": \"http://127.0.0.1:1/v1\", \"key\": \"required\", \"concurrency\": 1}],"
    " \"models\": [{\"id\": \"gpt-image-1.5\", \"provider\": \"openai\", \"name\": \"GPT Image 1\","
    " \"output_token_price\": 0.001, \"settings\": {\"count\": {\"min\": 1, \"max\": 1, \"default\": 1}},"
    " \"price\": {\"default\": 0.01}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCatalog) catalog = px_catalog_new_from_data (catalog_json, -1, &error);
  g_autoptr(PxEngine) engine = NULL;
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(PxBatchJob) done = NULL;
  g_autofree char *base = g_strconcat (px_fake_provider_get_url (f->base.fake), "/v1", NULL);
  static const char *columns[] = { "Name", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  PxBatchSpec spec = { 0, };
  gint64 id;

  g_assert_no_error (error);
  engine = px_engine_new (catalog);
  px_engine_set_base_url (engine, "openai", base);
  px_engine_set_api_key (engine, "openai", PX_TEST_KEY);
  for (guint i = 0; i < 10; i++)
    {
      char **row = g_new0 (char *, 2);

      row[0] = g_strdup_printf ("Person %u", i);
      g_ptr_array_add (rows, row);
    }
  spec.template_prompt = "Portrait of [NAME]";
  spec.model_id = "gpt-image-1.5";
  spec.columns = columns;
  spec.rows = rows;
  spec.concurrency = 1;
  spec.budget = 3.0;   /* the table says $0.10 for all ten; each costs 1,056 tokens × $0.001 */
  id = px_batch_create (f->library, &spec, &error);
  g_assert_no_error (error);

  runner = px_batch_runner_new (engine, f->dir, id, &error);
  g_assert_no_error (error);
  g_assert_false (run (runner, &error));
  g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_OVER_BUDGET);
  g_assert_nonnull (strstr (error->message, "spend cap is $3.00"));

  done = job (f, id);
  g_assert_cmpstr (done->status, ==, "paused");
  g_assert_cmpuint (done->completed, ==, 3);
  g_assert_cmpuint (done->pending, ==, 7);
  g_assert_cmpfloat (done->cost, >=, 3.0);
}


static void
on_budget_notice (PxBatchRunner *runner,
                  guint          level,
                  const char    *message,
                  GArray        *levels)
{
  g_array_append_val (levels, level);
}

/* The month's budget: 80 % is noticed once, 100 % pauses a running batch
 * with the reason (its rows wait) and a new one sends nothing; raised, the
 * paused batch goes on to the end. */
static void
test_monthly_budget_pauses (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  double price = px_batch_estimate_cost (px_engine_get_catalog (f->base.engine), "gpt-image-2", NULL, 1);
  gint64 first = make_batch (f, 12, "Portrait of [FIRST_NAME]", 1, 0);
  gint64 second = make_batch (f, 3, "Landscape for [FIRST_NAME]", 1, 0);
  g_autoptr(PxBatchRunner) runner = runner_for (f, first);
  g_autoptr(PxBatchRunner) other = runner_for (f, second);
  g_autoptr(PxBatchJob) paused = NULL;
  g_autoptr(PxBatchJob) done = NULL;
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (guint));
  PxUsageRow totals;
  guint sent;

  g_assert_true (px_budget_set (f->library, "openai", price * 5.5, &error));
  g_signal_connect (runner, "budget-notice", G_CALLBACK (on_budget_notice), levels);
  g_assert_false (run (runner, &error));
  g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED);
  g_assert_nonnull (strstr (error->message, "This month’s budget for openai"));
  g_clear_error (&error);
  paused = job (f, first);
  g_assert_cmpstr (paused->status, ==, "paused");
  g_assert_nonnull (strstr (paused->reason, "Paid work waits until the budget is raised or the month turns."));
  g_assert_cmpuint (paused->completed, >=, 6);
  g_assert_cmpuint (paused->completed, <, 12);
  g_assert_cmpuint (paused->pending, ==, 12 - paused->completed);
  g_assert_true (px_usage_totals (f->library, 0, 0, &totals, &error));
  g_assert_cmpuint (totals.images, ==, paused->completed);
  g_assert_cmpuint (levels->len, ==, 2);
  g_assert_cmpuint (g_array_index (levels, guint, 0), ==, 80);
  g_assert_cmpuint (g_array_index (levels, guint, 1), ==, 100);

  /* A new batch sends nothing while the budget is spent. */
  sent = px_fake_provider_get_request_count (f->base.fake);
  g_assert_false (run (other, &error));
  g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED);
  g_clear_error (&error);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, sent);

  /* Raised: the paused batch goes on to the end. */
  g_assert_true (px_budget_set (f->library, "openai", price * 100, &error));
  g_assert_true (run (runner, &error));
  g_assert_no_error (error);
  done = job (f, first);
  g_assert_cmpuint (done->completed, ==, 12);
}

typedef struct {
  PxFakeAccountProblem problem;
  const char          *model;
  int                  code;
  const char          *words;      /* the provider's own */
  const char          *next_step;
} ProblemCase;

static const ProblemCase problems[] = {
  { PX_FAKE_ACCOUNT_REVOKED_KEY, "gpt-image-2", PX_PROVIDER_ERROR_AUTH, "Incorrect API key provided", "Update the key" },
  { PX_FAKE_ACCOUNT_NO_QUOTA, "gpt-image-2", PX_PROVIDER_ERROR_QUOTA, "exceeded your current quota", "Add credit" },
  { PX_FAKE_ACCOUNT_BILLING_INACTIVE, "gpt-image-2", PX_PROVIDER_ERROR_BILLING, "not active", "Enable billing" },
  { PX_FAKE_ACCOUNT_NOT_VERIFIED, "gpt-image-2", PX_PROVIDER_ERROR_NOT_VERIFIED, "must be verified", "Verify your organization" },
  { PX_FAKE_ACCOUNT_FREE_TIER_ZERO, "gemini-3-pro-image", PX_PROVIDER_ERROR_FREE_TIER, "limit: 0", "Enable billing" },
  { PX_FAKE_ACCOUNT_REGION, "gemini-3.1-flash-image", PX_PROVIDER_ERROR_REGION, "User location is not supported", "another provider" },
};

typedef struct {
  Fixture             *f;
  const ProblemCase   *c;
  guint                requests_at_problem;
  guint                requests_at_pause;
} ProblemRun;

/* The account goes bad in the middle of the run, as a revoked key would. */
static void
on_progress_break_account (PxBatchRunner *runner,
                           ProblemRun    *problem_run)
{
  if (problem_run->requests_at_problem == 0 && px_batch_runner_get_job (runner)->completed >= 4)
    {
      problem_run->requests_at_problem = px_fake_provider_get_request_count (problem_run->f->base.fake);
      px_fake_provider_set_account_problem (problem_run->f->base.fake, problem_run->c->problem);
    }
}

/* Each account problem pauses the batch with its own words and next step;
 * the rows not done stay pending, nothing more is sent for them, and once
 * the account is mended resume does the rest: no completed row is asked
 * for again. */
static void
test_account_problem_pauses (Fixture       *f,
                             gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    {
      const ProblemCase *c = &problems[i];
      ProblemRun problem_run = { f, c, 0 };
      g_autoptr(PxBatchRunner) runner = NULL;
      g_autoptr(PxBatchRunner) resumed = NULL;
      g_autoptr(PxBatchJob) paused = NULL;
      g_autoptr(PxBatchJob) done = NULL;
      g_autoptr(GError) error = NULL;
      PxBatchSpec spec = { 0, };
      static const char *columns[] = { "First Name", NULL };
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      gint64 id;

      g_test_message ("%s", c->words);
      px_fake_provider_set_account_problem (f->base.fake, PX_FAKE_ACCOUNT_OK);
      px_fake_provider_clear_requests (f->base.fake);
      px_fake_provider_set_latency (f->base.fake, 20);
      for (guint r = 0; r < 16; r++)
        {
          char **row = g_new0 (char *, 2);

          row[0] = g_strdup_printf ("Person %u-%u", i, r);
          g_ptr_array_add (rows, row);
        }
      spec.template_prompt = "Portrait of [FIRST_NAME]";
      spec.model_id = c->model;
      spec.columns = columns;
      spec.rows = rows;
      spec.concurrency = 3;
      id = px_batch_create (f->library, &spec, &error);
      g_assert_no_error (error);

      runner = runner_for (f, id);
      g_signal_connect (runner, "progress", G_CALLBACK (on_progress_break_account), &problem_run);
      g_assert_false (run (runner, &error));
      g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED);
      g_assert_nonnull (strstr (error->message, c->words));
      g_assert_nonnull (strstr (error->message, c->next_step));
      g_assert_null (strstr (error->message, PX_TEST_KEY));
      g_clear_error (&error);

      /* Paused with the reason, nothing failed; at most the requests that
       * were already in flight met the problem, each only once. */
      paused = job (f, id);
      g_assert_cmpstr (paused->status, ==, "paused");
      g_assert_nonnull (strstr (paused->reason, c->words));
      g_assert_cmpuint (paused->failed, ==, 0);
      g_assert_cmpuint (paused->completed, >=, 4);
      g_assert_cmpuint (paused->completed + paused->pending, ==, 16);
      problem_run.requests_at_pause = px_fake_provider_get_request_count (f->base.fake);
      g_assert_cmpuint (problem_run.requests_at_pause - problem_run.requests_at_problem, <=, 3);

      /* Mended: resume does the rest. */
      px_fake_provider_set_account_problem (f->base.fake, PX_FAKE_ACCOUNT_OK);
      resumed = runner_for (f, id);
      g_assert_true (run (resumed, &error));
      g_assert_no_error (error);
      done = job (f, id);
      g_assert_cmpuint (done->completed, ==, 16);
      g_assert_cmpstr (done->status, ==, "completed");
      g_assert_null (done->reason);

      /* After the resume, exactly one request per row that was still to
       * do: no completed row was asked for again. */
      g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake) - problem_run.requests_at_pause,
                        ==, 16 - paused->completed);
    }
}

/* A request lost after it was sent may have been charged: the batch says
 * so, and the spend cap counts it. */
static void
test_lost_requests_counted (Fixture       *f,
                            gconstpointer  data)
{
  gint64 id = make_batch (f, 3, "[FIRST_NAME] of [COMPANY]", 1, 0);
  g_autoptr(PxBatchRunner) runner = runner_for (f, id);
  g_autoptr(PxBatchJob) done = NULL;
  g_autoptr(GError) error = NULL;

  /* The first row's request is lost twice: sent twice in all, then it
   * fails; the others go through. */
  px_fake_provider_push_fault (f->base.fake, PX_FAKE_FAULT_DROP_CONNECTION, 0);
  px_fake_provider_push_fault (f->base.fake, PX_FAKE_FAULT_DROP_CONNECTION, 0);
  g_assert_true (run (runner, &error));
  done = job (f, id);
  g_assert_cmpuint (done->completed, ==, 2);
  g_assert_cmpuint (done->failed, ==, 1);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, 4);
  /* Two lost requests at gpt-image-2's price (medium 1024²: $0.053). */
  g_assert_cmpfloat_with_epsilon (done->possibly_paid, 2 * 0.053, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/batch/transient-faults", Fixture, NULL, set_up, test_transient_faults, tear_down);
  g_test_add ("/batch/hard-errors-fail-alone", Fixture, NULL, set_up, test_hard_errors_fail_alone, tear_down);
  g_test_add ("/batch/pause-resume", Fixture, NULL, set_up, test_pause_resume, tear_down);
  g_test_add ("/batch/cancel", Fixture, NULL, set_up, test_cancel, tear_down);
  g_test_add ("/batch/budget", Fixture, NULL, set_up, test_budget, tear_down);
  g_test_add ("/batch/pauses-at-spend-cap", Fixture, NULL, set_up, test_pauses_at_spend_cap, tear_down);
  g_test_add ("/batch/monthly-budget-pauses", Fixture, NULL, set_up, test_monthly_budget_pauses, tear_down);
  g_test_add ("/batch/account-problem-pauses", Fixture, NULL, set_up, test_account_problem_pauses, tear_down);
  g_test_add ("/batch/lost-requests-counted", Fixture, NULL, set_up, test_lost_requests_counted, tear_down);

  return g_test_run ();
}
