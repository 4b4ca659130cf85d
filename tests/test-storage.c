/* test-storage.c: when the library's own disk fails. A full disk during a
 * batch pauses it (rows stay to do, nothing half-saved, no row paid for
 * twice once space is back); a read-only library and a locked database are
 * named as such; the library checks clean after each. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "px-batch.h"
#include "px-cache.h"
#include "px-test-engine.h"

#define ROWS 30

static char *
test_dir (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "storage", name, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* test_dir(), emptied of what an earlier run left. */
static char *
fresh_dir (const char *name)
{
  char *dir = test_dir (name);

  remove_tree (dir);
  return dir;
}

static gint64
make_batch (PxLibrary *library)
{
  static const char *columns[] = { "First Name", NULL };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  PxBatchSpec spec = { 0, };
  gint64 id;

  for (guint i = 0; i < ROWS; i++)
    {
      char **row = g_new0 (char *, 2);

      row[0] = g_strdup_printf ("Person %u", i + 1);
      g_ptr_array_add (rows, row);
    }
  spec.template_prompt = "Portrait of [FIRST_NAME]";
  spec.model_id = "gpt-image-2";
  spec.columns = columns;
  spec.rows = rows;
  spec.concurrency = 2;
  id = px_batch_create (library, &spec, &error);
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

/* Runs the batch with an engine on @fake that keeps answers in the
 * response cache, as the app and the CLI do. */
static gboolean
run_batch (PxFakeProvider *fake,
           const char     *dir,
           gint64          id,
           GError        **error)
{
  g_autoptr(PxEngine) engine = px_test_engine_new (fake);
  g_autofree char *cache_dir = g_build_filename (g_get_user_data_dir (), "storage", "cache", NULL);
  g_autoptr(PxCache) cache = px_cache_new (cache_dir, 3600);
  g_autoptr(PxBatchRunner) runner = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  px_engine_set_cache (engine, cache);
  runner = px_batch_runner_new (engine, dir, id, error);
  if (runner == NULL)
    return FALSE;
  px_batch_runner_run_async (runner, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return px_batch_runner_run_finish (runner, result, error);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

static void
assert_clean (PxLibrary *library)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = px_library_check (library, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* In a child: the library is made, then the process may write no file
 * larger than a little more than the database is now (ulimit -f), and the
 * batch runs into that wall: it pauses, saying the disk is full. The
 * parent, with room again, finds every row either stored whole or still to
 * do, resumes, and no row was asked of the provider twice. */
static void
test_full_disk_pauses_batch (void)
{
  g_autofree char *dir = test_dir ("full");
  g_autofree char *count_file = g_build_filename (g_get_user_data_dir (), "storage", "requests", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxFakeProvider) fake = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autoptr(PxBatchJob) job = NULL;
  g_autofree char *child_requests = NULL;
  PxLibraryQuery query = { 0, };
  gint64 id;

  if (g_test_subprocess ())
    {
      g_autofree char *db = g_build_filename (dir, "library.db", NULL);
      g_autofree char *wal = g_build_filename (dir, "library.db-wal", NULL);
      g_autofree char *requests = NULL;
      struct rlimit limit;
      gboolean ran;

      library = px_library_open (dir, &error);
      g_assert_no_error (error);
      id = make_batch (library);
      g_clear_object (&library);
      fake = px_fake_provider_new (0, PX_TEST_KEY, &error);
      g_assert_no_error (error);

      signal (SIGXFSZ, SIG_IGN);
      limit.rlim_cur = limit.rlim_max = MAX (file_size (db), file_size (wal)) + 64 * 1024;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      ran = run_batch (fake, dir, id, &error);
      g_assert_false (ran);
      g_assert_error (error, PX_BATCH_ERROR, PX_BATCH_ERROR_PAUSED);
      if (strstr (error->message, "full") == NULL)
        g_error ("“%s” does not say the disk is full", error->message);
      requests = g_strdup_printf ("%u", px_fake_provider_get_request_count (fake));
      g_assert_true (g_file_set_contents (count_file, requests, -1, NULL));
      return;
    }

  /* A fresh library, cache and count for the child. */
  {
    g_autofree char *storage = g_build_filename (g_get_user_data_dir (), "storage", NULL);

    remove_tree (storage);
  }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  /* Room again. Rows are stored whole or still to do; none failed. */
  library = px_library_open (dir, &error);
  g_assert_no_error (error);
  id = 1;
  job = px_batch_get (library, id, &error);
  g_assert_no_error (error);
  g_test_message ("%u of %u rows stored before the disk was full", job->completed, job->total);
  g_assert_cmpuint (job->completed, <, ROWS);
  g_assert_cmpuint (job->failed, ==, 0);
  g_assert_cmpuint (job->completed + job->pending, ==, ROWS);
  query.batch_id = id;
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, job->completed);
  assert_clean (library);
  g_clear_object (&library);

  /* Resumed: every row done, each asked of the provider once (a result
   * paid for and not saved came back from the response cache). */
  fake = px_fake_provider_new (0, PX_TEST_KEY, &error);
  g_assert_no_error (error);
  g_assert_true (run_batch (fake, dir, id, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (count_file, &child_requests, NULL, NULL));
  g_assert_cmpuint (g_ascii_strtoull (child_requests, NULL, 10) + px_fake_provider_get_request_count (fake), ==, ROWS);

  library = px_library_open (dir, &error);
  g_assert_no_error (error);
  g_clear_pointer (&job, px_batch_job_free);
  job = px_batch_get (library, id, &error);
  g_assert_cmpstr (job->status, ==, "completed");
  g_assert_cmpuint (job->completed, ==, ROWS);
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, ROWS);
  assert_clean (library);
}

static gint64
add_image (PxLibrary  *library,
           int         side,
           GError    **error)
{
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gpt-image-2", "Portrait of Ada");
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GBytes) png = px_test_png (side, side);
  PxImage *image = px_image_new (png, "image/png");

  image->width = image->height = side;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup ("openai");
  result->model_id = g_strdup ("gpt-image-2");
  return px_library_add_generation (library, request, result, 0, "generate", error);
}

/* One image (Generate's save) into a full disk: the error says so, no row
 * and no file is left of it, and what was there before is intact. */
static void
test_full_disk_single_image (void)
{
  g_autofree char *dir = test_dir ("single");
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  PxLibraryQuery query = { 0, };

  if (g_test_subprocess ())
    {
      g_autofree char *db = g_build_filename (dir, "library.db", NULL);
      g_autofree char *wal = g_build_filename (dir, "library.db-wal", NULL);
      struct rlimit limit;

      library = px_library_open (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (add_image (library, 64, &error), >, 0);
      signal (SIGXFSZ, SIG_IGN);
      limit.rlim_cur = limit.rlim_max = MAX (file_size (db), file_size (wal)) + 4096;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_cmpint (add_image (library, 1024, &error), ==, 0);
      g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DISK_FULL);
      g_assert_nonnull (strstr (error->message, "full"));
      return;
    }

  g_free (fresh_dir ("single"));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  library = px_library_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 1);
  assert_clean (library);
}

/* As the user the files belong to: root writes anything, so a root test
 * run drops to nobody, in a folder of its own. */
static char *
own_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  if (getuid () == 0)
    {
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
    }
  dir = g_dir_make_tmp ("pixmerge-storage-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
test_read_only (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = own_folder ();
      g_autofree char *db = g_build_filename (dir, "library.db", NULL);
      g_autofree char *images = g_build_filename (dir, "images", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PxLibrary) library = px_library_open (dir, &error);

      g_assert_no_error (error);
      g_clear_object (&library);

      /* The database file: the library says so at once, by name. */
      g_assert_cmpint (g_chmod (db, 0400), ==, 0);
      library = px_library_open (dir, &error);
      g_assert_null (library);
      g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, "cannot be written to"));
      g_assert_nonnull (strstr (error->message, db));
      g_clear_error (&error);

      /* The whole folder. */
      g_assert_cmpint (g_chmod (images, 0500), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
      library = px_library_open (dir, &error);
      g_assert_null (library);
      g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, "cannot be written to"));
      g_clear_error (&error);

      /* Writable again: nothing was lost, and it checks clean. */
      g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
      g_assert_cmpint (g_chmod (images, 0700), ==, 0);
      g_assert_cmpint (g_chmod (db, 0600), ==, 0);
      library = px_library_open (dir, &error);
      g_assert_no_error (error);
      assert_clean (library);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Another program holds the write lock past the library's patience (30 s):
 * the write fails naming the lock, nothing is half-written, and the same
 * write succeeds once the lock is gone. */
static void
test_locked (void)
{
  g_autofree char *dir = fresh_dir ("locked");
  g_autofree char *db_path = g_build_filename (dir, "library.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxTokenSet) set = px_token_set_new ("Team");
  g_autoptr(GPtrArray) sets = NULL;
  sqlite3 *other = NULL;

  g_assert_no_error (error);
  px_token_set_set (set, "NAME", "Ada");
  g_assert_cmpint (sqlite3_open (db_path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (px_library_save_token_set (library, set, &error), ==, 0);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_assert_true (px_library_error_is_storage (error));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  set->id = 0;
  g_assert_cmpint (px_library_save_token_set (library, set, &error), >, 0);
  g_assert_no_error (error);
  sets = px_library_list_token_sets (library, &error);
  g_assert_cmpuint (sets->len, ==, 1);
  assert_clean (library);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/storage/full-disk-pauses-batch", test_full_disk_pauses_batch);
  g_test_add_func ("/storage/full-disk-single-image", test_full_disk_single_image);
  g_test_add_func ("/storage/read-only", test_read_only);
  g_test_add_func ("/storage/locked", test_locked);

  return g_test_run ();
}
