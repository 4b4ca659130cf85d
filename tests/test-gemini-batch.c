/* test-gemini-batch.c: the Gemini Batch Mode client against the fake over
 * real HTTP: 2,000 rows become JSONL lines keyed by their item, go up as a
 * file with the resumable protocol, run as one job, and every key comes back
 * exactly once from the results file (streamed to disk), with its image
 * checked like a direct answer's, or the provider's error for that line. A
 * job whose name was lost is found again by its display name, not made
 * twice; cancel, failed and expired jobs report what the provider says; a
 * wrong key fails in the provider's words, without the key. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "px-batch-wire.h"
#include "px-test-engine.h"

#define MODEL "gemini-3.1-flash-image"

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static char *
upload (PxBatchWire *batch,
        GBytes        *jsonl,
        GError       **error)
{
  Wait wait = { NULL };
  char *name;

  px_batch_wire_upload_async (batch, jsonl, "pixmerge-batch-1-1-input", NULL, on_done, &wait);
  name = px_batch_wire_upload_finish (batch, wait_for (&wait), error);
  g_object_unref (wait.result);
  return name;
}

static PxBatchWireJob *
job_call (PxBatchWire *batch,
          void         (*start) (PxBatchWire *, const char *, GCancellable *, GAsyncReadyCallback, gpointer),
          const char    *name,
          GError       **error)
{
  Wait wait = { NULL };
  PxBatchWireJob *job;

  start (batch, name, NULL, on_done, &wait);
  job = px_batch_wire_job_finish (batch, wait_for (&wait), error);
  g_object_unref (wait.result);
  return job;
}

static PxBatchWireJob *
create (PxBatchWire *batch,
        const char    *display_name,
        const char    *file,
        GError       **error)
{
  Wait wait = { NULL };
  PxBatchWireJob *job;

  px_batch_wire_create_async (batch, MODEL, display_name, file, NULL, on_done, &wait);
  job = px_batch_wire_job_finish (batch, wait_for (&wait), error);
  g_object_unref (wait.result);
  return job;
}

static PxBatchWireJob *
poll_until_done (PxBatchWire *batch,
                 const char    *name)
{
  for (int i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      PxBatchWireJob *job = job_call (batch, px_batch_wire_get_async, name, &error);

      g_assert_no_error (error);
      if (job->done)
        return job;
      g_assert_true (job->state == PX_BATCH_WIRE_PENDING || job->state == PX_BATCH_WIRE_RUNNING);
      px_batch_wire_job_free (job);
    }
  g_assert_not_reached ();
}

static GBytes *
rows_jsonl (PxBatchWire *wire,
            guint        first,
            guint        n)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GHashTable) settings = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (settings, "aspect_ratio", "1:1");
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("Portrait of person %u", i);
      g_autofree char *key = g_strdup_printf ("%u", i);
      g_autoptr(PxGenerationRequest) request = px_generation_request_new (MODEL, prompt);
      g_autofree char *line = px_batch_wire_line (wire, key, NULL, request, settings);

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}

/* Reads the results file a line at a time: key -> TRUE when it made an image. */
static GHashTable *
read_results (PxBatchWire *batch,
              const char    *path,
              guint         *failed)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (G_INPUT_STREAM (in));
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char *line;
  gsize length;

  *failed = 0;
  while ((line = g_data_input_stream_read_line (lines, &length, NULL, NULL)) != NULL)
    {
      g_autoptr(PxGenerationResult) result = px_generation_result_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;
      gboolean ok = px_batch_wire_read_line (batch, line, length, &key, result, &error);

      g_assert_nonnull (key);
      g_assert_false (g_hash_table_contains (seen, key));
      if (ok)
        {
          PxImage *image;

          g_assert_cmpuint (result->images->len, ==, 1);
          image = g_ptr_array_index (result->images, 0);
          g_assert_cmpstr (image->mime_type, ==, "image/png");
          g_assert_cmpint (image->width, >, 0);
        }
      else
        {
          g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
          g_assert_nonnull (strstr (error->message, "invalid argument"));
          (*failed)++;
        }
      g_hash_table_insert (seen, g_steal_pointer (&key), GINT_TO_POINTER (ok));
      g_free (line);
    }
  return seen;
}

static void
test_two_thousand_rows (PxTestFixture *f,
                        gconstpointer  data)
{
  PxBatchWire *batch = px_batch_wire_new (f->engine, "gemini");
  g_autoptr(GBytes) jsonl = rows_jsonl (batch, 1, 2000);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("px-gemini-batch-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "results.jsonl", NULL);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  g_autoptr(GHashTable) seen = NULL;
  PxBatchWireJob *created, *done;
  Wait wait = { NULL };
  guint failed;

  px_fake_provider_set_plain_images (f->fake, TRUE);
  px_fake_provider_set_batch_polls (f->fake, 2);
  px_fake_provider_set_batch_failing (f->fake, 500);

  file = upload (batch, jsonl, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (file, "files/"));
  created = create (batch, "pixmerge-batch-1-1", file, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (created->name, "batches/"));
  g_assert_cmpint (created->state, ==, PX_BATCH_WIRE_PENDING);
  g_assert_cmpint (created->requests, ==, 2000);

  done = poll_until_done (batch, created->name);
  g_assert_cmpint (done->state, ==, PX_BATCH_WIRE_SUCCEEDED);
  g_assert_cmpint (done->succeeded, ==, 1996);
  g_assert_cmpint (done->failed, ==, 4);
  g_assert_nonnull (done->results_file);

  px_batch_wire_download_async (batch, done->results_file, to, NULL, on_done, &wait);
  g_assert_true (px_batch_wire_download_finish (batch, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);

  /* Every row back exactly once, mapped by its key. */
  seen = read_results (batch, path, &failed);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2000);
  for (guint i = 1; i <= 2000; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);

      g_assert_true (g_hash_table_contains (seen, key));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (seen, key)), ==, i % 500 != 0);
    }
  g_assert_cmpuint (failed, ==, 4);
  g_assert_cmpuint (px_fake_provider_get_batches_created (f->fake), ==, 1);
  g_assert_cmpuint (px_fake_provider_get_files_uploaded (f->fake), ==, 1);

  /* A job whose name was lost is found by its display name: not made again. */
  {
    PxBatchWireJob *found = job_call (batch, px_batch_wire_find_async, "pixmerge-batch-1-1", &error);

    g_assert_no_error (error);
    g_assert_nonnull (found);
    g_assert_cmpstr (found->name, ==, created->name);
    px_batch_wire_job_free (found);
    found = job_call (batch, px_batch_wire_find_async, "pixmerge-batch-never", &error);
    g_assert_no_error (error);
    g_assert_null (found);
  }

  px_batch_wire_job_free (created);
  px_batch_wire_job_free (done);
  px_batch_wire_free (batch);
  g_unlink (path);
  g_rmdir (dir);
  px_fake_provider_set_batch_failing (f->fake, 0);
}

static void
test_cancel_failed_expired (PxTestFixture *f,
                            gconstpointer  data)
{
  PxBatchWire *batch = px_batch_wire_new (f->engine, "gemini");
  g_autoptr(GBytes) jsonl = rows_jsonl (batch, 1, 10);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  PxBatchWireJob *job, *done;

  px_fake_provider_set_plain_images (f->fake, TRUE);
  file = upload (batch, jsonl, &error);
  g_assert_no_error (error);

  /* Cancel: the job ends cancelled, with what it had made. */
  px_fake_provider_set_batch_polls (f->fake, 5);
  job = create (batch, "pixmerge-batch-2-1", file, &error);
  g_assert_no_error (error);
  g_assert_null (job_call (batch, px_batch_wire_cancel_async, job->name, &error));
  g_assert_no_error (error);
  done = poll_until_done (batch, job->name);
  g_assert_cmpint (done->state, ==, PX_BATCH_WIRE_CANCELLED);
  g_assert_cmpint (done->succeeded, ==, 5);
  g_assert_nonnull (done->results_file);
  px_batch_wire_job_free (job);
  px_batch_wire_job_free (done);

  /* Failed: the provider's reason. Expired: nothing made. */
  px_fake_provider_set_batch_polls (f->fake, 0);
  px_fake_provider_set_batch_outcome (f->fake, PX_FAKE_BATCH_FAILED);
  job = create (batch, "pixmerge-batch-3-1", file, &error);
  done = poll_until_done (batch, job->name);
  g_assert_cmpint (done->state, ==, PX_BATCH_WIRE_FAILED);
  g_assert_nonnull (strstr (done->error, "internal error"));
  g_assert_null (done->results_file);
  px_batch_wire_job_free (job);
  px_batch_wire_job_free (done);
  px_fake_provider_set_batch_outcome (f->fake, PX_FAKE_BATCH_EXPIRED);
  job = create (batch, "pixmerge-batch-4-1", file, &error);
  done = poll_until_done (batch, job->name);
  g_assert_cmpint (done->state, ==, PX_BATCH_WIRE_EXPIRED);
  g_assert_cmpstr (px_batch_wire_state_name (done->state), ==, "BATCH_STATE_EXPIRED");
  g_assert_null (done->results_file);
  px_batch_wire_job_free (job);
  px_batch_wire_job_free (done);
  px_fake_provider_set_batch_outcome (f->fake, PX_FAKE_BATCH_SUCCEEDED);
  px_batch_wire_free (batch);
}

/* A results download that stalls stops at the engine's idle limit with a
 * timeout (retried later by the batch), instead of hanging for ever. */
static void
test_stalled_download (PxTestFixture *f,
                       gconstpointer  data)
{
  PxBatchWire *batch = px_batch_wire_new (f->engine, "gemini");
  g_autoptr(GBytes) jsonl = rows_jsonl (batch, 1, 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("px-gemini-batch-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "results.jsonl", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GFile) to = g_file_new_for_path (path);
  PxBatchWireJob *created, *done;
  PxHttpLimits limits;
  Wait wait = { NULL };
  gint64 started;

  px_fake_provider_set_plain_images (f->fake, TRUE);
  px_fake_provider_set_batch_polls (f->fake, 0);
  file = upload (batch, jsonl, &error);
  g_assert_no_error (error);
  created = create (batch, "pixmerge-batch-2-1", file, &error);
  g_assert_no_error (error);
  done = poll_until_done (batch, created->name);
  g_assert_nonnull (done->results_file);

  px_http_limits_init (&limits);
  limits.idle_ms = 300;
  px_engine_set_http_limits (f->engine, &limits);
  px_fake_provider_set_batch_download_stall (f->fake, 5000);
  started = g_get_monotonic_time ();
  px_batch_wire_download_async (batch, done->results_file, to, NULL, on_done, &wait);
  g_assert_false (px_batch_wire_download_finish (batch, wait_for (&wait), &error));
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "stopped coming"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_clear_object (&wait.result);

  px_fake_provider_set_batch_download_stall (f->fake, 0);
  px_batch_wire_download_async (batch, done->results_file, to, NULL, on_done, &wait);
  g_assert_true (px_batch_wire_download_finish (batch, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (g_strchomp (text), "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 20);
  }

  px_batch_wire_job_free (created);
  px_batch_wire_job_free (done);
  px_batch_wire_free (batch);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_wrong_key (PxTestFixture *f,
                gconstpointer  data)
{
  PxBatchWire *batch;
  g_autoptr(GBytes) jsonl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;

  px_engine_set_api_key (f->engine, "gemini", "AIza-wrong-key-for-batch");
  batch = px_batch_wire_new (f->engine, "gemini");
  jsonl = rows_jsonl (batch, 1, 2);
  file = upload (batch, jsonl, &error);
  g_assert_null (file);
  g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH);
  g_assert_null (strstr (error->message, "AIza-wrong-key-for-batch"));
  px_batch_wire_free (batch);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/gemini-batch/two-thousand-rows", PxTestFixture, NULL, px_test_fixture_set_up,
              test_two_thousand_rows, px_test_fixture_tear_down);
  g_test_add ("/gemini-batch/cancel-failed-expired", PxTestFixture, NULL, px_test_fixture_set_up,
              test_cancel_failed_expired, px_test_fixture_tear_down);
  g_test_add ("/gemini-batch/stalled-download", PxTestFixture, NULL, px_test_fixture_set_up,
              test_stalled_download, px_test_fixture_tear_down);
  g_test_add ("/gemini-batch/wrong-key", PxTestFixture, NULL, px_test_fixture_set_up,
              test_wrong_key, px_test_fixture_tear_down);

  return g_test_run ();
}
