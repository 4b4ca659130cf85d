/* test-library-threads.c: the library as the app uses it, from many
 * threads at once: a batch runner's own connection, the app's writer and
 * its readers, with every id pointing at the row that asked for it; the
 * main-thread guard; the gallery's model paging by key on workers. */
#include "config.h"

#include <string.h>

#include "px-fake-image.h"
#include "px-library.h"
#include "px-library-model.h"

#define N_BATCH 150
#define N_GENERATE 60

static char *
new_dir (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("threads-%u", ++n);
  char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

/* A result as a provider would give it, with a picture of its prompt: each
 * image different, so each row has its own file. */
static PxGenerationResult *
make_result (const char *prompt)
{
  PxGenerationResult *result = px_generation_result_new ();
  g_autoptr(GBytes) png = px_fake_render_image (prompt, 32, 32, "png");
  PxImage *image = px_image_new (png, "image/png");

  image->width = 32;
  image->height = 32;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup ("openai");
  result->model_id = g_strdup ("gpt-image-2");
  result->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return result;
}

typedef struct {
  PxLibrary *library;
  char      *prefix;
  guint      n;
  GArray    *ids;       /* out: the id each add returned */
  gboolean   bulk;      /* in one transaction, as a batch's round does */
} Writer;

static gpointer
write_images (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GError) error = NULL;

  if (writer->bulk)
    g_assert_true (px_library_begin_bulk (writer->library, &error));
  for (guint i = 0; i < writer->n; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("%s %u", writer->prefix, i);
      g_autoptr(PxGenerationRequest) request = px_generation_request_new ("openai/gpt-image-2", prompt);
      g_autoptr(PxGenerationResult) result = make_result (prompt);
      gint64 id = px_library_add_generation (writer->library, request, result, 0, "generate", &error);

      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      g_array_append_val (writer->ids, id);
      if (writer->bulk && i % 25 == 24)
        {
          /* A round commits; the next one begins. */
          g_assert_true (px_library_end_bulk (writer->library, &error));
          g_assert_true (px_library_begin_bulk (writer->library, &error));
        }
    }
  if (writer->bulk)
    g_assert_true (px_library_end_bulk (writer->library, &error));
  return NULL;
}

static volatile gint reading = TRUE;

static gpointer
read_pages (gpointer data)
{
  PxLibrary *library = data;
  guint reads = 0;

  while (g_atomic_int_get (&reading))
    {
      g_autoptr(GError) error = NULL;
      guint count = px_library_count (library, NULL, &error);
      g_autoptr(GPtrArray) page = px_library_list (library, NULL, count > 50 ? count - 50 : 0, 50, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      /* A page never holds half a row or another query's rows. */
      for (guint i = 0; i < page->len; i++)
        g_assert_nonnull (((PxLibraryImage *) g_ptr_array_index (page, i))->file);
      reads++;
    }
  return GUINT_TO_POINTER (reads);
}

static void
check_ids (PxLibrary *library,
           Writer    *writer)
{
  for (guint i = 0; i < writer->ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *prompt = g_strdup_printf ("%s %u", writer->prefix, i);
      g_autoptr(PxLibraryImage) image = px_library_get_image (library, g_array_index (writer->ids, gint64, i), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (image->prompt, ==, prompt);
      g_assert_true (g_file_test (image->file, G_FILE_TEST_IS_REGULAR));
    }
}

/* A batch runner writes on its own connection in transactions, two Generate
 * pages write through the app's library at once, and the gallery reads:
 * every id is the row its writer added, nothing is lost. */
static void
test_concurrent_writers (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) app = px_library_open (dir, &error);
  g_autoptr(PxLibrary) runner = px_library_open (dir, &error);
  Writer batch = { runner, "batch row", N_BATCH, g_array_new (FALSE, FALSE, sizeof (gint64)), TRUE };
  Writer first = { app, "first page", N_GENERATE, g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE };
  Writer second = { app, "second page", N_GENERATE, g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE };
  Writer imported = { app, "imported bulk", N_GENERATE, g_array_new (FALSE, FALSE, sizeof (gint64)), TRUE };
  GThread *threads[5];
  guint reads;

  g_assert_no_error (error);
  g_atomic_int_set (&reading, TRUE);
  threads[0] = g_thread_new ("reader", read_pages, app);
  threads[1] = g_thread_new ("batch", write_images, &batch);
  threads[2] = g_thread_new ("first", write_images, &first);
  threads[3] = g_thread_new ("second", write_images, &second);
  threads[4] = g_thread_new ("import", write_images, &imported);
  for (guint i = 1; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_atomic_int_set (&reading, FALSE);
  reads = GPOINTER_TO_UINT (g_thread_join (threads[0]));
  g_assert_cmpuint (reads, >, 0);

  g_assert_cmpuint (px_library_count (app, NULL, NULL), ==, N_BATCH + 3 * N_GENERATE);
  check_ids (app, &batch);
  check_ids (app, &first);
  check_ids (app, &second);
  check_ids (app, &imported);

  g_array_unref (batch.ids);
  g_array_unref (first.ids);
  g_array_unref (second.ids);
  g_array_unref (imported.ids);
}

/* ---- the guard ---- */

static gboolean
count_on_main_loop (gpointer data)
{
  px_library_count (data, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* With the guard on (debug builds, UI tests), a library call from a main
 * loop callback aborts and says which call. */
static void
test_guard_aborts_on_main_loop (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = new_dir ();
      g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

      px_library_set_main_thread_guard (TRUE);
      g_idle_add (count_on_main_loop, library);
      g_main_loop_run (loop);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*px_library_count ran on the main loop*");
}

typedef struct {
  GMainLoop *loop;
  guint      count;
  gboolean   done;
} Answer;

static gboolean
count_in_thread (PxLibrary     *library,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Answer *answer = data;

  answer->count = px_library_count (library, NULL, error);
  return TRUE;
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (px_library_run_finish (PX_LIBRARY (source), result, NULL, &error));
  g_assert_no_error (error);
  answer->done = TRUE;
  g_main_loop_quit (answer->loop);
}

/* The same call through px_library_read_async: fine with the guard on, and
 * the answer comes back on the main loop. */
static void
test_guard_allows_workers (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("openai/gpt-image-2", "one");
  g_autoptr(PxGenerationResult) result = make_result ("one");
  Answer answer = { loop, 0, FALSE };

  g_assert_cmpint (px_library_add_generation (library, request, result, 0, NULL, NULL), >, 0);
  px_library_set_main_thread_guard (TRUE);
  px_library_read_async (library, count_in_thread, &answer, NULL, NULL, on_counted, &answer);
  g_main_loop_run (loop);
  px_library_set_main_thread_guard (FALSE);
  g_assert_true (answer.done);
  g_assert_cmpuint (answer.count, ==, 1);
}

/* ---- the gallery's model ---- */

static void
spin_until_loaded (PxLibraryModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (px_library_model_get_loading (model) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (px_library_model_get_loading (model));
}

static PxLibraryItem *
wait_for_item (PxLibraryModel *model,
               guint           position)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      PxLibraryItem *item = g_list_model_get_item (G_LIST_MODEL (model), position);

      if (item != NULL && px_library_item_get_image (item) != NULL)
        return item;
      g_clear_object (&item);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* Jump to the end, then walk back page by page (read by key from the page
 * after), then forward again: every position shows the row it should, in
 * the library's order, newest first. Placeholders come first, never a wait. */
static void
test_model_pages_by_key (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
  g_autoptr(PxLibraryModel) model = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PxLibraryItem) placeholder = NULL;
  Writer writer = { library, "row", 400, ids, TRUE };
  guint n;

  write_images (&writer);
  model = px_library_model_new (library);
  g_assert_true (px_library_model_get_loading (model));
  spin_until_loaded (model);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 400);

  /* Asked for, a row not read yet is a placeholder at once. */
  placeholder = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
  g_assert_nonnull (placeholder);

  for (guint step = 0; step < 2; step++)
    for (guint k = 0; k < n; k += 37)
      {
        guint position = step == 0 ? n - 1 - k : k;
        g_autoptr(PxLibraryItem) item = wait_for_item (model, position);

        /* Newest first: position p holds the row added (n - 1 - p)th. */
        g_assert_cmpint (px_library_item_get_image (item)->id, ==, g_array_index (ids, gint64, n - 1 - position));
      }
}

typedef struct {
  PxLibraryModel *model;
  GArray         *found;
} IdsAnswer;

static void
on_ids (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  IdsAnswer *answer = user_data;
  g_autoptr(GError) error = NULL;

  answer->found = px_library_model_get_ids_finish (answer->model, result, &error);
  g_assert_no_error (error);
}

/* The selection's ids, read for positions whose rows were never loaded. */
static void
test_model_ids_of_unread_rows (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
  g_autoptr(PxLibraryModel) model = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  IdsAnswer answer = { NULL, NULL };
  GArray *found;
  Writer writer = { library, "row", 300, ids, TRUE };
  gint64 deadline;

  write_images (&writer);
  model = px_library_model_new (library);
  spin_until_loaded (model);
  for (guint p = 0; p < 300; p += 7)
    g_array_append_val (positions, p);

  answer.model = model;
  px_library_model_get_ids_async (model, positions, NULL, on_ids, &answer);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (answer.found == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  found = answer.found;
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, ==, positions->len);
  for (guint i = 0; i < positions->len; i++)
    g_assert_cmpint (g_array_index (found, gint64, i), ==,
                     g_array_index (ids, gint64, 299 - g_array_index (positions, guint, i)));
  g_array_unref (found);
}

typedef struct {
  guint calls;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

/* A batch adds rows while the gallery shows its first pages: views are
 * told of the insertion only, the items they hold stay the same objects
 * (moved down with their rows), and the new places fill in. */
static void
test_model_rows_added_on_top (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
  g_autoptr(PxLibraryModel) model = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) more = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PxLibraryItem) first = NULL;
  g_autoptr(PxLibraryItem) moved = NULL;
  Writer writer = { library, "row", 300, ids, TRUE };
  Writer batch = { library, "newer", 5, more, FALSE };
  Changes changes = { 0, };

  write_images (&writer);
  model = px_library_model_new (library);
  spin_until_loaded (model);
  first = wait_for_item (model, 0);
  g_object_unref (wait_for_item (model, 150));

  write_images (&batch);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  px_library_model_reload (model);
  spin_until_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 305);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 5);

  moved = g_list_model_get_item (G_LIST_MODEL (model), 5);
  g_assert_true (moved == first);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PxLibraryItem) item = wait_for_item (model, i);

      g_assert_cmpint (px_library_item_get_image (item)->id, ==, g_array_index (more, gint64, 4 - i));
    }
  /* Filling the new places told views nothing more. */
  g_assert_cmpuint (changes.calls, ==, 1);
}

/* Deleted rows come back in the middle (an undo): the model does not take
 * them for new rows on top; every position holds its row again. */
static void
test_model_rows_back_in_the_middle (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
  g_autoptr(PxLibraryModel) model = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Writer writer = { library, "row", 300, ids, TRUE };
  gint64 middle[3];

  write_images (&writer);
  for (guint i = 0; i < 3; i++)
    middle[i] = g_array_index (ids, gint64, 150 + i);
  g_assert_true (px_library_trash (library, middle, 3, NULL));
  model = px_library_model_new (library);
  spin_until_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 297);
  for (guint p = 0; p < 297; p += 11)
    g_object_unref (wait_for_item (model, p));

  g_assert_true (px_library_restore (library, middle, 3, NULL));
  px_library_model_reload (model);
  spin_until_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);
  for (guint p = 0; p < 300; p++)
    {
      g_autoptr(PxLibraryItem) item = wait_for_item (model, p);

      g_assert_cmpint (px_library_item_get_image (item)->id, ==, g_array_index (ids, gint64, 299 - p));
    }
}

static void
on_removed (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            GArray     *told)
{
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpuint (added, ==, 0);
  g_array_append_val (told, position);
}

/* Deleted in the Gallery: the model takes those rows out where they are,
 * views are told of those positions only, the items around keep their
 * objects, and the reload after it changes nothing more. */
static void
test_model_rows_removed (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(PxLibrary) library = px_library_open (dir, NULL);
  g_autoptr(PxLibraryModel) model = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) told = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(PxLibraryItem) fourth = NULL;
  g_autoptr(PxLibraryItem) moved = NULL;
  Writer writer = { library, "row", 300, ids, TRUE };
  gint64 doomed[3];
  guint positions[3] = { 3, 10, 130 };
  gulong handler;

  write_images (&writer);
  model = px_library_model_new (library);
  spin_until_loaded (model);
  g_object_unref (wait_for_item (model, 0));
  g_object_unref (wait_for_item (model, 130));
  fourth = wait_for_item (model, 4);
  for (guint i = 0; i < 3; i++)
    doomed[i] = g_array_index (ids, gint64, 299 - positions[i]);

  g_assert_true (px_library_trash (library, doomed, 3, NULL));
  handler = g_signal_connect (model, "items-changed", G_CALLBACK (on_removed), told);
  g_assert_true (px_library_model_remove (model, doomed, 3));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 297);
  g_assert_cmpuint (told->len, ==, 3);
  g_assert_cmpuint (g_array_index (told, guint, 0), ==, 130);
  g_assert_cmpuint (g_array_index (told, guint, 1), ==, 10);
  g_assert_cmpuint (g_array_index (told, guint, 2), ==, 3);
  moved = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_assert_true (moved == fourth);

  px_library_model_reload (model);
  spin_until_loaded (model);
  g_assert_cmpuint (told->len, ==, 3);
  g_signal_handler_disconnect (model, handler);
  for (guint p = 0, row = 0; p < 297; p++, row++)
    {
      g_autoptr(PxLibraryItem) item = wait_for_item (model, p);

      while (row == positions[0] || row == positions[1] || row == positions[2])
        row++;
      g_assert_cmpint (px_library_item_get_image (item)->id, ==, g_array_index (ids, gint64, 299 - row));
    }

  /* A row the model does not hold: it says so, and a reload does it. */
  g_assert_false (px_library_model_remove (model, doomed, 1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/library-threads/concurrent-writers", test_concurrent_writers);
  g_test_add_func ("/library-threads/guard-aborts-on-main-loop", test_guard_aborts_on_main_loop);
  g_test_add_func ("/library-threads/guard-allows-workers", test_guard_allows_workers);
  g_test_add_func ("/library-threads/model-pages-by-key", test_model_pages_by_key);
  g_test_add_func ("/library-threads/model-ids-of-unread-rows", test_model_ids_of_unread_rows);
  g_test_add_func ("/library-threads/model-rows-added-on-top", test_model_rows_added_on_top);
  g_test_add_func ("/library-threads/model-rows-back-in-the-middle", test_model_rows_back_in_the_middle);
  g_test_add_func ("/library-threads/model-rows-removed", test_model_rows_removed);

  return g_test_run ();
}
