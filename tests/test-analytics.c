/* test-analytics.c: the Analytics page in a real window under Xvfb: a new
 * library shows what to do; with events, the cards, the three charts, their
 * sentences and the dearest batches say what the events add up to; a
 * budget shows its bar; the range's usage exports as safe CSV. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "px-analytics-page.h"
#include "px-batch.h"
#include "px-chart.h"
#include "px-fake-image.h"
#include "px-test-fake.h"
#include "px-test-ui.h"
#include "px-usage.h"
#include "px-window.h"

static PxApplication *app;
static PxWindow *window;
static PxAnalyticsPage *page;

static gboolean
page_idle (gpointer data)
{
  return !px_analytics_page_is_loading (data) && px_analytics_page_get_report (data) != NULL;
}

static const char *
text_of (const char *name)
{
  return gtk_label_get_text (GTK_LABEL (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_LABEL, name)));
}

static const char *
visible_page (void)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_STACK,
                                                                               "analytics-stack")));
}

static void
record (gint64      when,
        const char *provider,
        const char *model,
        const char *feature,
        gint64      batch_id,
        guint       images,
        double      cost)
{
  g_autoptr(GError) error = NULL;
  PxUsageEvent event = { .kind = "generation", .provider = provider, .model = model, .feature = feature,
                         .batch_id = batch_id, .images = images, .cost = cost, .duration_ms = 10000 * images,
                         .created = when };

  g_assert_true (px_usage_record (px_application_get_library (app, NULL), &event, &error));
}

static void
test_analytics (void)
{
  PxLibrary *library = px_application_get_library (app, NULL);
  GtkDropDown *range;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = g_build_filename (g_get_user_data_dir (), "usage.csv", NULL);
  g_autofree char *csv = NULL;
  gint64 batch_id;
  const char *columns[] = { "NAME", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  PxBatchSpec spec = { .template_prompt = "Headshot of [NAME]", .model_id = "gpt-image-2", .columns = columns };

  /* A new library: what to do next. */
  px_window_set_page (window, "analytics");
  page = PX_ANALYTICS_PAGE (px_test_ui_find_by_name (GTK_WIDGET (window), PX_TYPE_ANALYTICS_PAGE, NULL));
  g_assert_nonnull (page);
  g_assert_true (px_test_ui_wait_until (page_idle, page));
  g_assert_cmpstr (visible_page (), ==, "empty");

  /* Events on two days of November 2026 (UTC), one batch. */
  g_ptr_array_add (rows, g_strdupv ((char *[]) { "Ada", NULL }));
  spec.rows = rows;
  batch_id = px_batch_create (library, &spec, &error);
  g_assert_no_error (error);
  record (1793613600, "openai", "gpt-image-2", "generate", 0, 2, 0.50);         /* 2 November, 10:00 */
  record (1793700000, "gemini", "gemini-2.5-flash-image", "batch", batch_id, 1, 0.25);   /* 3 November */
  range = GTK_DROP_DOWN (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "range"));
  gtk_drop_down_set_selected (range, 4);   /* All Time */
  px_test_ui_spin (50);
  g_assert_true (px_test_ui_wait_until (page_idle, page));
  g_assert_cmpstr (visible_page (), ==, "report");

  g_assert_cmpstr (text_of ("card-spent"), ==, "$0.75");
  g_assert_cmpstr (text_of ("card-images"), ==, "3");
  g_assert_cmpstr (text_of ("card-average-cost"), ==, "$0.25");
  g_assert_cmpstr (text_of ("card-average-time"), ==, "10.0 s");
  g_assert_true (g_str_has_prefix (text_of ("chart-days"), "$0.75 spent from 2 November to "));
  g_assert_nonnull (strstr (text_of ("chart-days"), "; the most on 2 November, $0.50."));
  g_assert_cmpstr (text_of ("chart-models"), ==, "gpt-image-2 — $0.50 (67%); gemini-2.5-flash-image — $0.25 (33%).");
  g_assert_cmpstr (text_of ("chart-features"), ==, "generate — 2 (67%); batch — 1 (33%).");
  g_assert_cmpuint (px_chart_get_n_items (PX_CHART (px_test_ui_find_by_name (GTK_WIDGET (page), PX_TYPE_CHART,
                                                                              "chart-models"))), ==, 2);
  {
    const PxUsageReport *report = px_analytics_page_get_report (page);
    PxUsageBatch *batch = g_ptr_array_index (report->batches, 0);

    g_assert_cmpuint (report->batches->len, ==, 1);
    g_assert_cmpstr (batch->prompt, ==, "Headshot of [NAME]");
    g_assert_cmpfloat_with_epsilon (batch->cost, 0.25, 1e-9);
    /* Every day from the first event to today has a bar. */
    g_assert_cmpuint (report->days->len, >=, 28);
  }

  /* Which model won the comparisons: twice one, once the other. */
  {
    const char *winners[] = { "gpt-image-2", "gemini-3.1-flash-image", "gpt-image-2" };
    const char *models[] = { "gpt-image-2", "gemini-3.1-flash-image", NULL };

    g_assert_false (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BOX, "wins")));
    for (guint i = 0; i < G_N_ELEMENTS (winners); i++)
      {
        g_autoptr(PxGenerationRequest) request = px_generation_request_new (winners[i], "A lighthouse");
        g_autoptr(PxGenerationResult) result = px_generation_result_new ();
        g_autoptr(GBytes) png = px_fake_render_image (winners[i], 32, 32, "png");
        PxImage *image = px_image_new (png, "image/png");
        gint64 comparison, id;

        image->width = image->height = 32;
        g_ptr_array_add (result->images, image);
        result->provider_id = g_strdup (g_str_has_prefix (winners[i], "gpt") ? "openai" : "gemini");
        result->model_id = g_strdup (winners[i]);
        result->settings = g_hash_table_new (g_str_hash, g_str_equal);
        comparison = px_library_add_comparison (library, "A lighthouse", "A lighthouse", NULL, models, &error);
        g_assert_no_error (error);
        id = px_library_add_generation (library, request, result, 0, "compare", &error);
        g_assert_no_error (error);
        g_assert_true (px_library_set_comparison_winner (library, comparison, id, &error));
      }
    px_analytics_page_reload (page);
    px_test_ui_spin (50);
    g_assert_true (px_test_ui_wait_until (page_idle, page));
    g_assert_true (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_BOX, "wins")));
    g_assert_cmpstr (text_of ("chart-wins"), ==, "gpt-image-2 — 2 (67%); gemini-3.1-flash-image — 1 (33%).");
  }

  /* A budget: its bar shows. */
  g_assert_false (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_LEVEL_BAR,
                                                                   "budget-bar")));
  g_assert_true (px_budget_set (library, NULL, 10, &error));
  px_analytics_page_reload (page);
  px_test_ui_spin (50);
  g_assert_true (px_test_ui_wait_until (page_idle, page));
  g_assert_true (gtk_widget_get_visible (px_test_ui_find_by_name (GTK_WIDGET (page), GTK_TYPE_LEVEL_BAR,
                                                                  "budget-bar")));

  /* Export: the range by day, then by model. */
  px_analytics_page_export_csv (page, csv_path);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!g_file_test (csv_path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      px_test_ui_spin (20);
  }
  px_test_ui_spin (100);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_true (g_str_has_prefix (csv, "day,events,images,cached,cost_usd"));
  g_assert_nonnull (strstr (csv, "2026-11-02,1,2,0,0.5000,0.0000,10.00"));
  g_assert_nonnull (strstr (csv, "model,events,images"));
  g_assert_nonnull (strstr (csv, "gemini-2.5-flash-image,1,1,0,0.2500"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *library_dir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();

  if (!px_test_ui_init ())
    {
      g_test_skip ("No display: run the UI tests with build-aux/test");
      return g_test_run ();
    }

  library_dir = px_test_fake_library_dir ("analytics");

  app = px_test_ui_application ();
  window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  g_test_add_func ("/analytics/page", test_analytics);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  px_test_ui_spin (50);
  g_clear_object (&app);
  px_test_fake_remove_dir (library_dir);
  return ret;
}
