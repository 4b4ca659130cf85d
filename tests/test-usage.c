/* test-usage.c: usage events and budgets on a real library: an event for
 * every kind of action with the engine's cost (cache hits free, lost
 * requests marked), breakdowns that add up to the total, months that turn
 * at local midnight in the user's time zone, CSV that no spreadsheet runs,
 * and budgets that warn once at 80 %, stop paid work at 100 % with a
 * reason, and let it go on when raised or when the month turns. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "px-fake-image.h"
#include "px-library.h"
#include "px-usage.h"
#include "px-video.h"

/* Under the test's own data folder, which GLib removes after each test. */
static char *
new_dir (void)
{
  char *dir = g_build_filename (g_get_user_data_dir (), "px-usage-XXXXXX", NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

static PxGenerationResult *
result_for (const char *provider,
            const char *model,
            double      cost,
            guint       n_images)
{
  PxGenerationResult *result = px_generation_result_new ();

  for (guint i = 0; i < n_images; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u %g", model, i, cost);
      g_autoptr(GBytes) png = px_fake_render_image (text, 32, 32, "png");
      PxImage *image = px_image_new (png, "image/png");

      image->width = image->height = 32;
      g_ptr_array_add (result->images, image);
    }
  result->provider_id = g_strdup (provider);
  result->model_id = g_strdup (model);
  result->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  result->cost = cost;
  result->generation_ms = 1500;
  return result;
}

static gint64
keep (PxLibrary          *library,
      PxGenerationResult *result,
      const char         *feature)
{
  g_autoptr(PxGenerationRequest) request = px_generation_request_new (result->model_id, "A lighthouse");
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  for (guint i = 0; i < result->images->len; i++)
    {
      id = px_library_add_generation (library, request, result, i, feature, &error);
      g_assert_no_error (error);
    }
  return id;
}

static PxUsageRow *
find (GPtrArray  *rows,
      const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (((PxUsageRow *) g_ptr_array_index (rows, i))->key, key) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("no row “%s”", key);
}

/* Every kind of action leaves its event with what it cost. */
static void
test_events_for_every_kind (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxGenerationResult) two = result_for ("openai", "gpt-image-2", 0.08, 2);
  g_autoptr(PxGenerationResult) cached = result_for ("openai", "gpt-image-2", 0.04, 1);
  g_autoptr(PxGenerationResult) lost = result_for ("gemini", "gemini-2.5-flash-image", 0.039, 1);
  g_autoptr(PxGenerationResult) ai = result_for ("openai", "gpt-image-1.5", 0.05, 1);
  g_autoptr(PxGenerationRequest) instruction = px_generation_request_new ("gpt-image-1.5", "Make it night");
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) exported = NULL;
  g_autoptr(GBytes) edited = px_fake_render_image ("edited", 32, 32, "png");
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  PxUsageRow totals;
  gint64 first;
  g_autofree char *made_here = g_build_filename (dir, "made-here.webm", NULL);
  g_autofree char *made_by_veo = g_build_filename (dir, "veo.mp4", NULL);
  PxVideoSettings settings;

  g_assert_no_error (error);
  first = keep (library, two, "generate");
  cached->cached = TRUE;
  keep (library, cached, "batch");
  lost->unknown_outcomes = 1;
  lost->possibly_paid = 0.039;
  keep (library, lost, "compare");
  g_assert_cmpint (px_library_add_edit (library, first, edited, "{\"operations\": []}", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (px_library_add_ai_edit (library, first, instruction, ai, 0, &error), >, 0);
  g_assert_no_error (error);
  /* A video made here costs nothing; one Veo made costs what it cost. */
  px_video_settings_init (&settings);
  g_assert_true (g_file_set_contents (made_here, "webm", -1, NULL));
  g_assert_true (g_file_set_contents (made_by_veo, "mp4", -1, NULL));
  g_assert_cmpint (px_library_add_video (library, first, made_here, NULL, &settings, 32, 32, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (px_library_add_ai_video (library, first, made_by_veo, NULL, "veo-3.1-fast-generate-preview", "{}",
                                            4000, 32, 32, 1.2, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  exported = px_library_export (library, &first, 1, out, NULL, NULL, &error);
  g_assert_no_error (error);

  kinds = px_usage_breakdown (library, 0, 0, PX_USAGE_BY_KIND, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (find (kinds, "generation")->images, ==, 4);
  g_assert_cmpfloat_with_epsilon (find (kinds, "generation")->cost, 0.08 + 0.039, 1e-9);
  g_assert_cmpuint (find (kinds, "generation")->cached, ==, 1);
  g_assert_cmpfloat_with_epsilon (find (kinds, "generation")->possibly_paid, 0.039, 1e-9);
  g_assert_cmpfloat (find (kinds, "edit")->cost, ==, 0);
  g_assert_cmpfloat_with_epsilon (find (kinds, "ai-edit")->cost, 0.05, 1e-9);
  g_assert_cmpfloat_with_epsilon (find (kinds, "ai-video")->cost, 1.2, 1e-9);
  g_assert_cmpuint (find (kinds, "video")->events, ==, 1);
  g_assert_cmpfloat (find (kinds, "video")->cost, ==, 0);
  g_assert_cmpuint (find (kinds, "export")->images, ==, 1);

  /* Each image carries its share of its request; a cache hit is free. */
  models = px_usage_breakdown (library, 0, 0, PX_USAGE_BY_MODEL, &error);
  g_assert_cmpfloat_with_epsilon (find (models, "gpt-image-2")->cost, 0.08, 1e-9);
  g_assert_cmpuint (find (models, "gpt-image-2")->events, ==, 3);
  g_assert_true (px_usage_totals (library, 0, 0, &totals, &error));
  g_assert_cmpfloat_with_epsilon (totals.cost, 0.08 + 0.039 + 0.05 + 1.2, 1e-9);
  g_assert_cmpfloat (find (models, "")->cost, ==, 0);  /* edits and exports: made here */
}

/* Each breakdown adds up to the total, over any range. */
static void
test_breakdowns_add_up (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  gint64 day = 86400, base = 1798761600;   /* 2027-01-01 00:00 UTC */
  PxUsageRow totals;

  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  for (int i = 0; i < 500; i++)
    {
      const char *models[] = { "gpt-image-2", "gemini-2.5-flash-image", "imagen-4.0-generate-001" };
      const char *providers[] = { "openai", "gemini", "vertex" };
      const char *features[] = { "generate", "batch", "compare", "meme" };
      PxUsageEvent event = { .kind = "generation", .provider = providers[i % 3], .model = models[i % 3],
                             .feature = features[i % 4], .batch_id = i % 4 == 1 ? 1 + i % 7 : 0, .images = 1,
                             .cost = 0.01 * (1 + i % 5), .duration_ms = 1000 + i, .created = base + i * day / 7 };

      g_assert_true (px_usage_record (library, &event, &error));
    }
  for (PxUsageGroup by = PX_USAGE_BY_DAY; by <= PX_USAGE_BY_BATCH; by++)
    {
      gint64 since = base + 10 * day, until = base + 50 * day;
      g_autoptr(GPtrArray) rows = px_usage_breakdown (library, since, until, by, &error);
      double cost = 0;
      guint64 images = 0;

      g_assert_no_error (error);
      g_assert_true (px_usage_totals (library, since, until, &totals, &error));
      for (guint i = 0; i < rows->len; i++)
        {
          cost += ((PxUsageRow *) g_ptr_array_index (rows, i))->cost;
          images += ((PxUsageRow *) g_ptr_array_index (rows, i))->images;
        }
      g_assert_cmpfloat_with_epsilon (cost, totals.cost, 1e-6);
      g_assert_cmpuint (images, ==, totals.images);
      g_assert_cmpuint (totals.images, ==, 280);
    }
  {
    g_autoptr(GPtrArray) weeks = px_usage_breakdown (library, 0, 0, PX_USAGE_BY_WEEK, &error);

    /* 2027-01-01 is a Friday: ISO week 53 of 2026. */
    g_assert_cmpstr (((PxUsageRow *) g_ptr_array_index (weeks, 0))->key, ==, "2026-W53");
    g_assert_cmpstr (((PxUsageRow *) g_ptr_array_index (weeks, 1))->key, ==, "2027-W01");
  }
}

/* A month turns at local midnight, wherever the user is. */
static void
test_month_boundaries_and_time_zones (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  gint64 late_october_ny = 1793503800;     /* 2026-11-01 03:30 UTC: 23:30 on 31 October in New York */
  gint64 early_november_ny = 1793509200;   /* 2026-11-01 05:00 UTC: 01:00 on 1 November in New York */
  PxUsageEvent a = { .kind = "generation", .provider = "openai", .model = "gpt-image-2", .images = 1, .cost = 1,
                     .created = late_october_ny };
  PxUsageEvent b = a;
  g_autoptr(GPtrArray) months = NULL;
  PxUsageRow november;

  b.cost = 2;
  b.created = early_november_ny;
  g_assert_true (px_usage_record (library, &a, &error));
  g_assert_true (px_usage_record (library, &b, &error));

  g_setenv ("TZ", "America/New_York", TRUE);
  tzset ();
  months = px_usage_breakdown (library, 0, 0, PX_USAGE_BY_MONTH, &error);
  g_assert_cmpuint (months->len, ==, 2);
  g_assert_cmpfloat (find (months, "2026-10")->cost, ==, 1);
  g_assert_cmpfloat (find (months, "2026-11")->cost, ==, 2);
  g_assert_cmpint (px_usage_month_start (early_november_ny), ==, 1793505600);  /* 04:00 UTC */
  g_assert_true (px_usage_totals (library, px_usage_parse_date ("2026-11-01", FALSE, NULL),
                                  px_usage_parse_date ("2026-11-30", TRUE, NULL), &november, &error));
  g_assert_cmpfloat (november.cost, ==, 2);
  g_clear_pointer (&months, g_ptr_array_unref);

  /* In Tokyo both were in November. */
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  tzset ();
  months = px_usage_breakdown (library, 0, 0, PX_USAGE_BY_MONTH, &error);
  g_assert_cmpuint (months->len, ==, 1);
  g_assert_cmpfloat (find (months, "2026-11")->cost, ==, 3);
  g_assert_cmpint (px_usage_parse_date ("2026-13-01", FALSE, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
}

/* A model named like a formula is text in the CSV. */
static void
test_csv_safe (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  PxUsageEvent event = { .kind = "generation", .provider = "local", .model = "=HYPERLINK(\"http://x\",\"y\")",
                         .images = 2, .cost = 0.5, .duration_ms = 3000 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (px_usage_record (library, &event, &error));
  rows = px_usage_breakdown (library, 0, 0, PX_USAGE_BY_MODEL, &error);
  csv = px_usage_to_csv (rows, PX_USAGE_BY_MODEL);
  g_assert_true (g_str_has_prefix (csv, "model,events,images,cached,cost_usd,possibly_paid_usd,average_seconds\r\n") ||
                 g_str_has_prefix (csv, "model,events,images,cached,cost_usd,possibly_paid_usd,average_seconds\n"));
  g_assert_nonnull (strstr (csv, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,2,0,0.5000,0.0000,1.50"));
}

static void
spend (PxLibrary  *library,
       const char *provider,
       double      cost,
       gint64      when)
{
  g_autoptr(GError) error = NULL;
  PxUsageEvent event = { .kind = "generation", .provider = provider, .model = "m", .images = 1, .cost = cost,
                         .created = when };

  g_assert_true (px_usage_record (library, &event, &error));
  g_assert_no_error (error);
}

/* 80 % warns once; 100 % stops new paid work, with the reason; raising
 * the budget, or a new month, lets it go on. A provider's own budget
 * stops only that provider. */
static void
test_budgets (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  gint64 now = 1795000000;   /* mid-November 2026 */
  g_autofree char *message = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GPtrArray) budgets = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_assert_true (px_budget_set (library, NULL, 1.00, &error));
  spend (library, "openai", 0.70, now - 100);
  spend (library, "openai", 5.00, px_usage_month_start (now) - 10);   /* last month: not counted */
  g_assert_cmpuint (px_budget_take_notice (library, "openai", now, &message, &error), ==, 0);
  g_assert_true (px_budget_allows (library, "openai", now, NULL, &error));

  spend (library, "gemini", 0.12, now - 50);
  g_assert_cmpuint (px_budget_take_notice (library, "gemini", now, &message, &error), ==, 80);
  g_assert_cmpstr (message, ==, "You have spent 82% of this month’s budget ($0.82 of $1.00).");
  g_assert_cmpuint (px_budget_take_notice (library, "gemini", now, NULL, &error), ==, 0);   /* once */

  spend (library, "openai", 0.18, now - 10);
  g_assert_cmpuint (px_budget_take_notice (library, "openai", now, NULL, &error), ==, 100);
  g_assert_false (px_budget_allows (library, "openai", now, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (reason, ==, "This month’s budget of $1.00 is spent ($1.00 so far). Paid work waits until the budget "
                               "is raised or the month turns.");

  /* Raised: on it goes. The next month: on it goes too. */
  g_assert_true (px_budget_set (library, NULL, 2.00, &error));
  g_assert_true (px_budget_allows (library, "openai", now, NULL, &error));
  g_assert_true (px_budget_set (library, NULL, 1.00, &error));
  g_assert_false (px_budget_allows (library, "openai", now, NULL, &error));
  g_assert_true (px_budget_allows (library, "openai", now + 30 * 86400, NULL, &error));

  /* One provider's budget. */
  g_assert_true (px_budget_set (library, NULL, 0, &error));
  g_assert_true (px_budget_set (library, "openai", 0.50, &error));
  g_clear_pointer (&reason, g_free);
  g_assert_false (px_budget_allows (library, "openai", now, &reason, &error));
  g_assert_nonnull (strstr (reason, "budget for openai, $0.50, is spent ($0.88 so far)"));
  g_assert_true (px_budget_allows (library, "gemini", now, NULL, &error));
  budgets = px_budget_list (library, now, &error);
  g_assert_cmpuint (budgets->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (((PxBudget *) g_ptr_array_index (budgets, 0))->spent, 0.88, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/usage/events-for-every-kind", test_events_for_every_kind);
  g_test_add_func ("/usage/breakdowns-add-up", test_breakdowns_add_up);
  g_test_add_func ("/usage/month-boundaries-and-time-zones", test_month_boundaries_and_time_zones);
  g_test_add_func ("/usage/csv-safe", test_csv_safe);
  g_test_add_func ("/usage/budgets", test_budgets);

  return g_test_run ();
}
