/* test-ai-video.c: videos made by Veo through the Gemini API, over real
 * HTTP against the fake (which answers as the Developer API does): the
 * request's wire, polling until done, the download that follows Google's
 * redirect without taking the key along, the video checked and kept with
 * its cost; a job followed again after a "restart" (a new engine) without
 * a second paid request; a crash while sending marked, never resent; the
 * provider's failure, its safety filter, a download that is not a video,
 * a 429 waited out; bad requests refused before anything is sent. */
#include "config.h"

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-ai-video-follower.h"
#include "px-credentials.h"
#include "px-fake-image.h"
#include "px-test-engine.h"
#include "px-usage.h"

#define MODEL "veo-3.1-lite-generate-preview"

typedef struct {
  PxTestFixture base;
  char         *dir;
  PxLibrary    *library;
  gint64        image_id;
  GBytes       *image;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gemini-3.1-flash-image", "A lighthouse");
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  PxImage *image;
  static guint serial;

  px_test_fixture_set_up (&f->base, data);
  px_fake_provider_set_video_polls (f->base.fake, 2);
  f->dir = g_strdup_printf ("%s/ai-video-%u", g_get_user_data_dir (), ++serial);
  f->library = px_library_open (f->dir, &error);
  g_assert_no_error (error);
  f->image = px_fake_render_image ("A lighthouse on a cliff", 640, 360, "png");
  image = px_image_new (f->image, "image/png");
  image->width = 640;
  image->height = 360;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup ("gemini");
  result->model_id = g_strdup ("gemini-3.1-flash-image");
  f->image_id = px_library_add_generation (f->library, request, result, 0, "generate", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->library);
  g_bytes_unref (f->image);
  g_free (f->dir);
  px_test_fixture_tear_down (&f->base, data);
}

static void
request_init (Fixture          *f,
              PxAiVideoRequest *request)
{
  *request = (PxAiVideoRequest) {
    .image_id = f->image_id, .model_id = MODEL, .prompt = "The waves roll in, the light turns",
    .image = f->image, .mime_type = "image/png", .seconds = 4, .resolution = "720p", .aspect_ratio = "16:9",
  };
}

static gint64
start (Fixture                *f,
       PxEngine               *engine,
       const PxAiVideoRequest *request,
       GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  px_ai_video_start_async (engine, f->library, request, NULL, px_test_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return px_ai_video_start_finish (engine, result, error);
}

static gint64
follow (Fixture   *f,
        PxEngine  *engine,
        gint64     job_id,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  PxAiVideoPolicy policy = { .first_poll_ms = 20, .max_poll_ms = 50, .give_up_ms = 60 * 1000 };

  px_ai_video_follow_async (engine, f->library, job_id, &policy, NULL, px_test_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return px_ai_video_follow_finish (engine, result, error);
}

static GPtrArray *
requests_to (PxFakeProvider *fake,
             const char     *part)
{
  GPtrArray *all = px_fake_provider_get_requests (fake);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      PxFakeRequest *request = g_ptr_array_index (all, i);

      if (strstr (request->path, part) != NULL)
        g_ptr_array_add (found, request);
    }
  return found;
}

/* The whole way: what is sent, polled, downloaded, kept. */
static void
test_made_and_kept (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) submits = NULL;
  g_autoptr(GPtrArray) polls = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(PxAiVideoJob) job = NULL;
  g_autoptr(PxLibraryVideo) video = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GstDiscoverer) discoverer = gst_discoverer_new (10 * GST_SECOND, NULL);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  g_autofree guchar *sent_image = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  PxAiVideoRequest request;
  JsonObject *root, *instance, *parameters;
  gsize sent_length;
  gint64 job_id, video_id;

  request_init (f, &request);
  job_id = start (f, f->base.engine, &request, &error);
  g_assert_no_error (error);
  job = px_library_get_ai_video_job (f->library, job_id, &error);
  g_assert_cmpstr (job->state, ==, "running");
  g_assert_true (g_str_has_prefix (job->operation, "models/" MODEL "/operations/"));
  g_assert_cmpfloat_with_epsilon (job->estimate, 4 * 0.05, 1e-9);

  /* The request as the Developer API wants it. */
  submits = requests_to (f->base.fake, ":predictLongRunning");
  g_assert_cmpuint (submits->len, ==, 1);
  g_assert_cmpstr (((PxFakeRequest *) submits->pdata[0])->google_key, ==, PX_TEST_KEY);
  g_assert_cmpstr (((PxFakeRequest *) submits->pdata[0])->path, ==, "/v1beta/models/" MODEL ":predictLongRunning");
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (((PxFakeRequest *) submits->pdata[0])->body, NULL),
                                             g_bytes_get_size (((PxFakeRequest *) submits->pdata[0])->body), NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  instance = json_array_get_object_element (json_object_get_array_member (root, "instances"), 0);
  g_assert_cmpstr (json_object_get_string_member (instance, "prompt"), ==, "The waves roll in, the light turns");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (instance, "image"), "mimeType"), ==,
                   "image/png");
  sent_image = g_base64_decode (json_object_get_string_member (json_object_get_object_member (instance, "image"),
                                                               "bytesBase64Encoded"), &sent_length);
  g_assert_cmpmem (sent_image, sent_length, g_bytes_get_data (f->image, NULL), g_bytes_get_size (f->image));
  parameters = json_object_get_object_member (root, "parameters");
  g_assert_cmpint (json_object_get_int_member (parameters, "durationSeconds"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (parameters, "resolution"), ==, "720p");
  g_assert_cmpstr (json_object_get_string_member (parameters, "aspectRatio"), ==, "16:9");

  video_id = follow (f, f->base.engine, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (video_id, >, 0);
  polls = requests_to (f->base.fake, "/operations/");
  g_assert_cmpuint (polls->len, ==, 3);   /* two "not yet", then done */

  /* The download took the key to the API, and not to storage. */
  {
    g_autoptr(GPtrArray) api = requests_to (f->base.fake, ":download");
    g_autoptr(GPtrArray) storage = requests_to (f->base.fake, "/fake-storage/");

    g_assert_cmpuint (api->len, ==, 1);
    g_assert_cmpstr (((PxFakeRequest *) api->pdata[0])->google_key, ==, PX_TEST_KEY);
    g_assert_cmpuint (storage->len, ==, 1);
    g_assert_null (((PxFakeRequest *) storage->pdata[0])->google_key);
  }

  video = px_library_get_video (f->library, video_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (video->image_id, ==, f->image_id);
  g_assert_cmpstr (video->effect, ==, MODEL);
  g_assert_cmpfloat_with_epsilon (video->cost, 0.20, 1e-9);
  g_assert_cmpint (video->width, ==, 640);
  g_assert_cmpint (video->height, ==, 360);
  g_assert_cmpint (video->duration_ms, >=, 3900);
  g_assert_cmpint (video->duration_ms, <=, 4100);
  g_assert_true (g_file_test (video->poster, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (video->settings_json, "\"prompt\": \"The waves roll in, the light turns\""));
  uri = gst_filename_to_uri (video->file, NULL);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);

  g_clear_pointer (&job, px_ai_video_job_free);
  job = px_library_get_ai_video_job (f->library, job_id, &error);
  g_assert_cmpstr (job->state, ==, "done");
  g_assert_cmpint (job->video_id, ==, video_id);
  stored = px_library_list_ai_video_jobs (f->library, TRUE, &error);
  g_assert_cmpuint (stored->len, ==, 0);
  problems = px_library_check (f->library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_video_submissions (f->base.fake), ==, 1);
}

/* Sent, then the app quits: a new engine (the next start) finds the job
 * running, follows it and keeps the video; nothing is sent twice. */
static void
test_resumed_after_restart (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxEngine) later = NULL;
  g_autoptr(GPtrArray) running = NULL;
  PxAiVideoRequest request;
  gint64 job_id, video_id;

  px_fake_provider_set_video_polls (f->base.fake, 5);
  request_init (f, &request);
  job_id = start (f, f->base.engine, &request, &error);
  g_assert_no_error (error);
  g_clear_object (&f->base.engine);

  later = px_test_engine_new (f->base.fake);
  g_assert_cmpuint (px_library_recover_ai_video_jobs (f->library, &error), ==, 0);
  running = px_library_list_ai_video_jobs (f->library, TRUE, &error);
  g_assert_cmpuint (running->len, ==, 1);
  g_assert_cmpint (((PxAiVideoJob *) running->pdata[0])->id, ==, job_id);
  video_id = follow (f, later, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (video_id, >, 0);
  g_assert_cmpuint (px_fake_provider_get_video_submissions (f->base.fake), ==, 1);
  /* Following a done job again just names its video. */
  g_assert_cmpint (follow (f, later, job_id, &error), ==, video_id);
}

/* A crash between writing the job and hearing back: at the next start the
 * job is "unknown", says it may have been paid, and is never sent again. */
static void
test_crash_while_sending (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxAiVideoJob) job = NULL;
  PxAiVideoJob written = { .image_id = f->image_id, .provider = "gemini", .model = MODEL, .prompt = "x",
                           .seconds = 8, .resolution = "720p", .aspect_ratio = "16:9", .estimate = 0.4 };
  gint64 id = px_library_add_ai_video_job (f->library, &written, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (px_library_recover_ai_video_jobs (f->library, &error), ==, 1);
  job = px_library_get_ai_video_job (f->library, id, &error);
  g_assert_cmpstr (job->state, ==, "unknown");
  g_assert_nonnull (strstr (job->error, "may charge"));
  /* What it may have cost is in the usage, and so against the budget. */
  {
    PxUsageRow totals;

    g_assert_true (px_usage_totals (f->library, 0, 0, &totals, &error));
    g_assert_cmpfloat_with_epsilon (totals.possibly_paid, 0.4, 1e-9);
    g_assert_cmpfloat (totals.cost, ==, 0);
  }
  g_assert_cmpint (follow (f, f->base.engine, id, &error), ==, 0);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (px_fake_provider_get_video_submissions (f->base.fake), ==, 0);
}

/* The provider's failure, its safety filter, and a file that is not a
 * video: each a clear reason on the job, nothing kept. */
static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    PxFakeVideoOutcome outcome;
    int                code;
    const char        *words;
  } cases[] = {
    { PX_FAKE_VIDEO_FAILED, PX_PROVIDER_ERROR_SERVER, "internal error" },
    { PX_FAKE_VIDEO_FILTERED, PX_PROVIDER_ERROR_POLICY, "safety filter" },
    { PX_FAKE_VIDEO_NOT_VIDEO, PX_PROVIDER_ERROR_BAD_RESPONSE, "not a video" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PxAiVideoJob) job = NULL;
      g_autoptr(GPtrArray) videos = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      PxAiVideoRequest request;
      gint64 job_id;

      px_fake_provider_set_video_outcome (f->base.fake, cases[i].outcome);
      request_init (f, &request);
      job_id = start (f, f->base.engine, &request, &error);
      g_assert_no_error (error);
      g_assert_cmpint (follow (f, f->base.engine, job_id, &error), ==, 0);
      g_assert_error (error, PX_PROVIDER_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (strstr (error->message, PX_TEST_KEY));
      job = px_library_get_ai_video_job (f->library, job_id, NULL);
      g_assert_cmpstr (job->state, ==, "failed");
      g_assert_cmpstr (job->error, ==, error->message);
      videos = px_library_list_videos (f->library, 0, NULL);
      g_assert_cmpuint (videos->len, ==, 0);
      problems = px_library_check (f->library, NULL);
      g_assert_cmpuint (problems->len, ==, 0);
    }
}

/* A 429 before anything was made is waited out and sent again (once it
 * is through, one job); a 400 is the provider's reason, not resent. */
static void
test_rate_limited_then_sent (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxAiVideoJob) job = NULL;
  PxAiVideoRequest request;
  gint64 job_id;

  px_fake_provider_push_fault (f->base.fake, PX_FAKE_FAULT_RATE_LIMIT, 1);
  request_init (f, &request);
  job_id = start (f, f->base.engine, &request, &error);
  g_assert_no_error (error);
  job = px_library_get_ai_video_job (f->library, job_id, &error);
  g_assert_cmpstr (job->state, ==, "running");
  g_assert_cmpuint (px_fake_provider_get_video_submissions (f->base.fake), ==, 1);

  px_fake_provider_push_fault (f->base.fake, PX_FAKE_FAULT_SERVER_ERROR, 500);
  g_assert_cmpint (start (f, f->base.engine, &request, &error), ==, 0);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_SERVER);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) jobs = px_library_list_ai_video_jobs (f->library, FALSE, NULL);

    /* A 5xx may hide a made video: marked unknown, never resent. */
    g_assert_cmpstr (((PxAiVideoJob *) jobs->pdata[0])->state, ==, "unknown");
  }
}

/* Paced with the provider's other requests: at 30 a minute with one at a
 * time, the second video is asked about two seconds after the first. */
static void
test_paced (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PxAiVideoRequest request;
  gint64 began, took;

  px_engine_set_limits (f->base.engine, "gemini", 1, 30);
  request_init (f, &request);
  g_assert_cmpint (start (f, f->base.engine, &request, &error), >, 0);
  began = g_get_monotonic_time ();
  g_assert_cmpint (start (f, f->base.engine, &request, &error), >, 0);
  took = (g_get_monotonic_time () - began) / 1000;
  g_test_message ("second request after %" G_GINT64_FORMAT " ms", took);
  g_assert_cmpint (took, >=, 1500);
  g_assert_cmpuint (px_fake_provider_get_video_submissions (f->base.fake), ==, 2);
}

/* Out-of-range requests are refused here, before a row or a request. */
static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  PxAiVideoRequest request;
  g_autoptr(GPtrArray) jobs = NULL;
  struct {
    const char *model;
    int         seconds;
    const char *resolution;
    const char *aspect;
    const char *words;
  } cases[] = {
    { "sora-2", 4, "720p", "16:9", "not a video model" },
    { MODEL, 5, "720p", "16:9", "4, 6 or 8 seconds" },
    { MODEL, 4, "1080p", "16:9", "8 seconds only" },
    { MODEL, 8, "4k", "16:9", "720p or 1080p" },
    { MODEL, 8, "720p", "1:1", "16:9 or 9:16" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      request_init (f, &request);
      request.model_id = cases[i].model;
      request.seconds = cases[i].seconds;
      request.resolution = cases[i].resolution;
      request.aspect_ratio = cases[i].aspect;
      g_assert_cmpint (start (f, f->base.engine, &request, &error), ==, 0);
      g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
  jobs = px_library_list_ai_video_jobs (f->library, FALSE, NULL);
  g_assert_cmpuint (jobs->len, ==, 0);
  g_assert_cmpuint (px_fake_provider_get_request_count (f->base.fake), ==, 0);
  g_assert_cmpstr (px_ai_video_aspect_for (720, 1280), ==, "9:16");
  g_assert_cmpstr (px_ai_video_aspect_for (1024, 1024), ==, "16:9");
}

typedef struct {
  gint64  job_id;
  gint64  video_id;
  GError *error;
  guint   count;
} Finished;

static void
on_finished (PxAiVideoFollower *follower,
             gint64             job_id,
             gint64             video_id,
             const GError      *error,
             Finished          *finished)
{
  finished->job_id = job_id;
  finished->video_id = video_id;
  g_clear_error (&finished->error);
  finished->error = error ? g_error_copy (error) : NULL;
  finished->count++;
}

static void
wait_for_finished (Finished *finished,
                   guint     count)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (finished->count < count && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (finished->count, ==, count);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (px_credentials_store_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The app's follower: the key from the keyring (the engine has none yet),
 * a video started and seen to its end; then, as at the next start, a job
 * left running is picked up and one caught while sending is marked. */
static void
test_follower (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PxAiVideoFollower) follower = px_ai_video_follower_new (f->base.engine, f->library);
  g_autoptr(PxAiVideoFollower) next_run = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PxAiVideoJob) caught = NULL;
  Finished finished = { 0 };
  PxAiVideoPolicy policy = { .first_poll_ms = 20, .max_poll_ms = 50, .give_up_ms = 60 * 1000 };
  PxAiVideoJob sending = { .provider = "gemini", .model = MODEL, .prompt = "x", .seconds = 4, .resolution = "720p",
                           .aspect_ratio = "16:9", .estimate = 0.2 };
  PxAiVideoRequest request;
  gboolean stored = FALSE;
  gint64 job_id, left_id, sending_id;

  px_credentials_store_async ("gemini", "Google Gemini", PX_TEST_KEY, NULL, on_stored, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);
  px_engine_set_api_key (f->base.engine, "gemini", NULL);

  px_ai_video_follower_set_policy (follower, &policy);
  g_signal_connect (follower, "finished", G_CALLBACK (on_finished), &finished);
  request_init (f, &request);
  px_ai_video_follower_start_async (follower, &request, NULL, px_test_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  job_id = px_ai_video_follower_start_finish (follower, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (px_ai_video_follower_get_n_following (follower), ==, 1);
  wait_for_finished (&finished, 1);
  g_assert_no_error (finished.error);
  g_assert_cmpint (finished.job_id, ==, job_id);
  g_assert_cmpint (finished.video_id, >, 0);
  g_assert_cmpuint (px_ai_video_follower_get_n_following (follower), ==, 0);

  /* One left running (the app quit), one caught while sending. */
  px_fake_provider_set_video_polls (f->base.fake, 3);
  g_clear_object (&result);
  px_ai_video_follower_start_async (follower, &request, NULL, px_test_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  left_id = px_ai_video_follower_start_finish (follower, result, &error);
  g_assert_no_error (error);
  px_ai_video_follower_stop (follower);
  sending_id = px_library_add_ai_video_job (f->library, &sending, &error);
  g_assert_no_error (error);

  next_run = px_ai_video_follower_new (f->base.engine, f->library);
  px_ai_video_follower_set_policy (next_run, &policy);
  g_signal_connect (next_run, "finished", G_CALLBACK (on_finished), &finished);
  px_ai_video_follower_resume (next_run);
  wait_for_finished (&finished, 2);
  g_assert_no_error (finished.error);
  g_assert_cmpint (finished.job_id, ==, left_id);
  g_assert_cmpint (finished.video_id, >, 0);
  caught = px_library_get_ai_video_job (f->library, sending_id, &error);
  g_assert_cmpstr (caught->state, ==, "unknown");
  g_assert_cmpuint (px_fake_provider_get_video_submissions (f->base.fake), ==, 2);
  g_clear_error (&finished.error);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ai-video/made-and-kept", Fixture, NULL, fixture_set_up, test_made_and_kept, fixture_tear_down);
  g_test_add ("/ai-video/resumed-after-restart", Fixture, NULL, fixture_set_up, test_resumed_after_restart,
              fixture_tear_down);
  g_test_add ("/ai-video/crash-while-sending", Fixture, NULL, fixture_set_up, test_crash_while_sending,
              fixture_tear_down);
  g_test_add ("/ai-video/failures", Fixture, NULL, fixture_set_up, test_failures, fixture_tear_down);
  g_test_add ("/ai-video/rate-limited-then-sent", Fixture, NULL, fixture_set_up, test_rate_limited_then_sent,
              fixture_tear_down);
  g_test_add ("/ai-video/bad-requests", Fixture, NULL, fixture_set_up, test_bad_requests, fixture_tear_down);
  g_test_add ("/ai-video/paced", Fixture, NULL, fixture_set_up, test_paced, fixture_tear_down);
  g_test_add ("/ai-video/follower", Fixture, NULL, fixture_set_up, test_follower, fixture_tear_down);

  return g_test_run ();
}
