/* test-library.c: the library on real sqlite files in a temp folder:
 * migrations, saving with provenance in the PNG, search, deletes that can be
 * undone, atomic writes, orphan and corruption reports, export names. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "px-fake-image.h"
#include "px-image-check.h"
#include "px-library.h"
#include "px-png.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

/* Inside the test's own XDG data folder, which GLib removes afterwards. */
static char *
new_dir (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("folder-%u", ++n);
  char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static gint64
add (PxLibrary  *library,
     const char *prompt,
     const char *model,
     const char *token_name,
     const char *token_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxGenerationRequest) request = px_generation_request_new (model, prompt);
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GBytes) png = px_fake_render_image (prompt, 64, 48, "png");
  PxImage *image = px_image_new (png, "image/png");
  gint64 id;

  if (token_name != NULL)
    {
      g_autofree char *template_prompt = g_strdup_printf ("Portrait of [%s]", token_name);

      px_generation_request_set_template (request, template_prompt, NULL);
      g_hash_table_insert (request->tokens, g_strdup (token_name), g_strdup (token_value));
    }
  image->width = 64;
  image->height = 48;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup (g_str_has_prefix (model, "gemini") ? "gemini" : "openai");
  result->model_id = g_strdup (model);
  result->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (result->settings, g_strdup ("size"), g_strdup ("1024x1024"));
  result->cost = 0.04;
  result->generation_ms = 1234;

  id = px_library_add_generation (library, request, result, 0, "generate", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static guint
count_files (const char *dir)
{
  g_autofree char *images = g_build_filename (dir, "images", NULL);
  g_autoptr(GDir) top = g_dir_open (images, 0, NULL);
  const char *sub;
  guint n = 0;

  while (top != NULL && (sub = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *path = g_build_filename (images, sub, NULL);
      g_autoptr(GDir) inner = g_dir_open (path, 0, NULL);

      while (inner != NULL && g_dir_read_name (inner) != NULL)
        n++;
    }

  return n;
}

static void
test_fresh_and_migrated (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) old = NULL;
  g_autoptr(PxLibrary) upgraded = NULL;
  g_autoptr(GPtrArray) images = NULL;
  gint64 id;

  /* A library made by the first version, with an image in it… */
  old = px_library_open_at_version (dir, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (px_library_get_schema_version (old), ==, 1);
  id = add (old, "Portrait of Ada", "dall-e-3", "NAME", "Ada");
  g_clear_object (&old);

  /* …opens in this version, upgraded in place, the image still there. */
  upgraded = px_library_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (px_library_get_schema_version (upgraded), ==, PX_LIBRARY_SCHEMA_VERSION);
  images = px_library_list (upgraded, NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_cmpint (((PxLibraryImage *) g_ptr_array_index (images, 0))->id, ==, id);
}

static void
test_too_new (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *db_path = g_build_filename (dir, "library.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  sqlite3 *db;

  g_clear_object (&library);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  library = px_library_open (dir, &error);
  g_assert_null (library);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer Pixmerge"));
}

static void
test_save_and_read (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxLibraryImage) image = NULL;
  g_autoptr(GHashTable) text = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected_prefix = NULL;
  gsize length;
  gint64 id;

  id = add (library, "Portrait of Ada from Acme", "gpt-image-1", "NAME", "Ada");
  image = px_library_get_image (library, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image->prompt, ==, "Portrait of Ada from Acme");
  g_assert_cmpstr (image->template_prompt, ==, "Portrait of [NAME]");
  g_assert_true (image->created > 0);
  g_assert_cmpstr (image->model, ==, "gpt-image-1");
  g_assert_cmpstr (image->provider, ==, "openai");
  g_assert_cmpstr (image->tokens_json, ==, "{\"NAME\":\"Ada\"}");
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, 64);
  g_assert_cmpfloat_with_epsilon (image->cost, 0.04, 1e-9);
  g_assert_cmpint (image->generation_ms, ==, 1234);

  /* Content-addressed under images/ab/<sha256>.png */
  expected_prefix = g_build_filename (dir, "images", NULL);
  g_assert_true (g_str_has_prefix (image->file, expected_prefix));
  g_assert_true (g_str_has_suffix (image->file, ".png"));
  g_assert_true (g_file_get_contents (image->file, &contents, &length, NULL));
  stored = g_bytes_new_take (g_steal_pointer (&contents), length);
  {
    g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, stored);
    g_assert_cmpstr (sha, ==, image->sha256);
  }

  /* The PNG carries its provenance, also in AUTOMATIC1111's layout. */
  text = px_png_read_text (stored);
  g_assert_cmpstr (g_hash_table_lookup (text, "pixmerge:prompt"), ==, "Portrait of Ada from Acme");
  g_assert_cmpstr (g_hash_table_lookup (text, "pixmerge:model"), ==, "gpt-image-1");
  g_assert_cmpstr (g_hash_table_lookup (text, "pixmerge:tokens"), ==, "{\"NAME\":\"Ada\"}");
  g_assert_cmpstr (g_hash_table_lookup (text, "parameters"), ==,
                   "Portrait of Ada from Acme\nSize: 64x48, Model: gpt-image-1");
  /* …and it is still a whole, valid PNG. */
  g_assert_true (px_image_check (stored, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_null (px_library_get_image (library, 9999, &error));
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND);
}

static void
test_search_and_filters (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(GPtrArray) found = NULL;
  PxLibraryQuery query = { 0, };

  add (library, "Portrait of Ada from Acme", "dall-e-3", "COMPANY", "Acme");
  add (library, "A lighthouse at dusk", "gemini-2.5-flash-image", NULL, NULL);
  add (library, "Portrait of Bo from Beta", "dall-e-3", "COMPANY", "Zeppelin Works");

  g_assert_cmpuint (px_library_count (library, NULL, &error), ==, 3);

  query.search = "portrait";
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 2);
  query.search = "light";            /* prefixes match */
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 1);
  found = px_library_list (library, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((PxLibraryImage *) g_ptr_array_index (found, 0))->prompt, ==, "A lighthouse at dusk");
  g_clear_pointer (&found, g_ptr_array_unref);
  query.search = "zeppelin";         /* token values are searched too */
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 1);
  query.search = "portrait acme";    /* all words */
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 1);
  query.search = "\"a:b* OR (c";     /* FTS syntax is just text */
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 0);
  g_assert_no_error (error);

  query.search = NULL;
  query.model = "dall-e-3";
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 2);
  query.model = NULL;
  query.provider = "gemini";
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 1);
  query.provider = NULL;

  /* Newest first by default; oldest first when asked. */
  found = px_library_list (library, NULL, 0, 10, &error);
  g_assert_cmpstr (((PxLibraryImage *) g_ptr_array_index (found, 0))->prompt, ==, "Portrait of Bo from Beta");
  g_ptr_array_unref (found);
  query.sort = PX_LIBRARY_SORT_OLDEST;
  found = px_library_list (library, &query, 0, 2, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((PxLibraryImage *) g_ptr_array_index (found, 0))->prompt, ==, "Portrait of Ada from Acme");
  query.sort = PX_LIBRARY_SORT_NEWEST;

  /* Feature and date range: the lighthouse was made ten days ago. */
  query.feature = "generate";
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 3);
  query.feature = "meme";
  g_assert_cmpuint (px_library_count (library, &query, &error), ==, 0);
  query.feature = NULL;
  {
    g_autofree char *db_path = g_build_filename (dir, "library.db", NULL);
    g_auto(GStrv) features = NULL;
    sqlite3 *db = NULL;
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;

    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE images SET created = created - 864000 WHERE prompt LIKE 'A lighthouse%'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);

    query.created_from = now - 86400;
    g_assert_cmpuint (px_library_count (library, &query, &error), ==, 2);
    query.created_from = 0;
    query.created_to = now - 86400;
    g_assert_cmpuint (px_library_count (library, &query, &error), ==, 1);
    query.created_to = 0;

    features = px_library_list_features (library, &error);
    g_assert_no_error (error);
    g_assert_cmpstrv (features, ((const char * const[]) { "generate", NULL }));
  }
}

static void
test_trash_restore_purge (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxLibraryImage) kept = NULL;
  gint64 a = add (library, "Same picture", "dall-e-3", NULL, NULL);
  gint64 b = add (library, "Same picture", "dall-e-3", NULL, NULL);
  gint64 c = add (library, "Another picture", "dall-e-3", NULL, NULL);
  g_autoptr(PxLibraryImage) gone = px_library_get_image (library, c, &error);

  /* Identical images share one file. */
  g_assert_cmpuint (count_files (dir), ==, 2);

  g_assert_true (px_library_trash (library, (gint64[]) { a, c }, 2, &error));
  g_assert_cmpuint (px_library_count (library, NULL, &error), ==, 1);
  g_assert_true (px_library_restore (library, (gint64[]) { c }, 1, &error));
  g_assert_cmpuint (px_library_count (library, NULL, &error), ==, 2);

  g_assert_true (px_library_trash (library, (gint64[]) { c }, 1, &error));
  g_assert_true (px_library_purge_trash (library, &error));
  g_assert_no_error (error);
  /* a and c are gone; a's file stays because b shares it. */
  g_assert_null (px_library_get_image (library, a, &error));
  g_clear_error (&error);
  g_assert_false (g_file_test (gone->file, G_FILE_TEST_EXISTS));
  kept = px_library_get_image (library, b, &error);
  g_assert_true (g_file_test (kept->file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 1);
}

/* Delete A, delete B, B's Undo goes away: only B is deleted for good; A's
 * Undo still brings A back, file and all, even where A and B share a file. */
static void
test_purge_only_its_own (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  gint64 a = add (library, "Shared picture", "gpt-image-2", NULL, NULL);
  gint64 b = add (library, "Shared picture", "gpt-image-2", NULL, NULL);
  gint64 c = add (library, "Own picture", "gpt-image-2", NULL, NULL);
  g_autoptr(PxLibraryImage) image_a = px_library_get_image (library, a, &error);
  g_autoptr(PxLibraryImage) image_c = px_library_get_image (library, c, &error);
  g_autoptr(PxLibraryImage) back = NULL;

  g_assert_true (px_library_trash (library, (gint64[]) { a }, 1, &error));
  g_assert_true (px_library_trash (library, (gint64[]) { b, c }, 2, &error));
  g_assert_true (px_library_purge (library, (gint64[]) { b, c }, 2, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (image_c->file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (image_a->file, G_FILE_TEST_EXISTS));

  g_assert_true (px_library_restore (library, (gint64[]) { a }, 1, &error));
  back = px_library_get_image (library, a, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (back->file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (px_library_count (library, NULL, &error), ==, 1);
  g_assert_null (px_library_get_image (library, b, NULL));
}

static void
test_atomic_add (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("dall-e-3", "Half-saved");
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GBytes) png = px_fake_render_image ("Half-saved", 32, 32, "png");
  PxImage *image = px_image_new (png, "image/png");

  image->width = image->height = 32;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup ("openai");
  result->model_id = g_strdup ("dall-e-3");

  /* A failure between the file and the row leaves neither. */
  px_library_set_fail_after_file (library, TRUE);
  g_assert_cmpint (px_library_add_generation (library, request, result, 0, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_assert_cmpuint (px_library_count (library, NULL, &error), ==, 0);

  /* With the file already there for another row, the failure keeps it. */
  px_library_set_fail_after_file (library, FALSE);
  g_assert_cmpint (px_library_add_generation (library, request, result, 0, NULL, &error), >, 0);
  px_library_set_fail_after_file (library, TRUE);
  g_assert_cmpint (px_library_add_generation (library, request, result, 0, NULL, &error), ==, 0);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_assert_cmpuint (px_library_count (library, NULL, &error), ==, 1);
}

static void
test_check_reports (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxLibraryImage) image = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *stray_dir = g_build_filename (dir, "images", "zz", NULL);
  g_autofree char *stray = g_build_filename (stray_dir, "stray.png", NULL);
  gint64 id = add (library, "Will lose its file", "dall-e-3", NULL, NULL);

  problems = px_library_check (library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_ptr_array_unref (problems);

  image = px_library_get_image (library, id, &error);
  g_assert_cmpint (g_unlink (image->file), ==, 0);
  g_mkdir_with_parents (stray_dir, 0700);
  g_assert_true (g_file_set_contents (stray, "x", 1, NULL));

  problems = px_library_check (library, &error);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "is missing"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 1), "images/zz/stray.png"));
  /* Reported, never removed. */
  g_assert_true (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_clear_pointer (&image, px_library_image_free);
  image = px_library_get_image (library, id, NULL);
  g_assert_nonnull (image);
}

static void
test_corrupt_database (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *db_path = g_build_filename (dir, "library.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean backup = FALSE;
  char garbage[4096];

  memset (garbage, 'x', sizeof garbage);
  g_assert_true (g_file_set_contents (db_path, garbage, sizeof garbage, NULL));

  library = px_library_open (dir, &error);
  g_assert_null (library);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "library-damaged-"));

  /* The original is untouched, and the copy is there. */
  g_assert_true (g_file_get_contents (db_path, &after, NULL, NULL));
  g_assert_cmpint (memcmp (after, garbage, sizeof garbage), ==, 0);
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    backup |= g_str_has_prefix (name, "library-damaged-");
  g_assert_true (backup);

  /* Opened again (every start until it is mended): the same copy, not one
   * more, and it says so. */
  g_clear_error (&error);
  g_assert_null (px_library_open (dir, &error));
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "saved before"));
  {
    g_autoptr(GDir) again = g_dir_open (dir, 0, NULL);
    guint copies = 0;

    while ((name = g_dir_read_name (again)) != NULL)
      copies += g_str_has_prefix (name, "library-damaged-");
    g_assert_cmpuint (copies, ==, 1);
  }
}

static void
test_export (void)
{
  g_autofree char *dir = new_dir ();
  g_autofree char *out = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(PxLibraryImage) image = NULL;
  g_autofree char *name = NULL;
  gint64 a = add (library, "One", "dall-e-3", "NAME", "Ada");
  gint64 b = add (library, "Two", "dall-e-3", "NAME", "Ada");
  gint64 c = add (library, "Three", "dall-e-3", "NAME", "../../etc/passwd\x01");

  written = px_library_export (library, (gint64[]) { a, b, c }, 3, out, "[NAME]-[MODEL]", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 3);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (written, 0), "/Ada-dall-e-3.png"));
  /* Collisions are numbered, never overwritten. */
  g_assert_true (g_str_has_suffix (g_ptr_array_index (written, 1), "/Ada-dall-e-3-2.png"));
  /* No way out of the folder. */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (written, 2), out));
  g_assert_null (strstr ((char *) g_ptr_array_index (written, 2) + strlen (out), ".."));
  g_assert_null (strchr ((char *) g_ptr_array_index (written, 2) + strlen (out) + 1, '/'));

  /* A pattern token an image lacks is an error naming the image; nothing written. */
  g_ptr_array_unref (written);
  written = px_library_export (library, (gint64[]) { a }, 1, out, "[COMPANY]", NULL, &error);
  g_assert_null (written);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_PATTERN);
  g_assert_nonnull (strstr (error->message, "[COMPANY]"));
  g_clear_error (&error);

  image = px_library_get_image (library, a, &error);
  name = px_library_export_name (image, "[COMPANY|none]/[DATE]", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (name, "none-20"));
}

static void
test_import_and_thumbnail (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxLibraryImage) original = NULL;
  g_autoptr(PxLibraryImage) imported = NULL;
  g_autofree char *outside = g_build_filename (dir, "outside.txt", NULL);
  g_autofree char *thumb = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  gint64 id = add (library, "Made by Pixmerge", "dall-e-3", "NAME", "Ada");

  original = px_library_get_image (library, id, &error);
  imported = px_library_get_image (library, px_library_import_file (library, original->file, &error), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (imported->feature, ==, "imported");
  g_assert_cmpstr (imported->prompt, ==, "Made by Pixmerge");
  g_assert_cmpstr (imported->model, ==, "dall-e-3");

  g_assert_true (g_file_set_contents (outside, "<html>", -1, NULL));
  g_assert_cmpint (px_library_import_file (library, outside, &error), ==, 0);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO);
  g_clear_error (&error);

  thumb = px_library_thumbnail (library, original, 32, &error);
  g_assert_no_error (error);
  {
    g_autofree char *data = NULL;
    gsize length;
    g_autoptr(GBytes) bytes = NULL;

    g_assert_true (g_file_get_contents (thumb, &data, &length, NULL));
    bytes = g_bytes_new_take (g_steal_pointer (&data), length);
    pixbuf = px_image_load_scaled (bytes, "image/png", 1000, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 24);
}

static void
test_templates_and_token_sets (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  g_autoptr(PxTemplate) template_ = px_template_new ("Headshots", "Headshot of [FIRSTNAME]");
  g_autoptr(PxTokenSet) set = px_token_set_new ("Ada at Acme");
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GHashTable) table = NULL;
  const PxTokenSet *read;

  /* Templates: save, change, list, delete. */
  g_hash_table_insert (template_->settings, g_strdup ("size"), g_strdup ("1024x1536"));
  template_->model = g_strdup ("gpt-image-1");
  g_assert_cmpint (px_library_save_template (library, template_, &error), >, 0);
  g_assert_no_error (error);
  template_->category = (g_free (template_->category), g_strdup ("Work"));
  g_assert_cmpint (px_library_save_template (library, template_, &error), ==, template_->row_id);
  templates = px_library_list_templates (library, &error);
  g_assert_cmpuint (templates->len, ==, 1);
  g_assert_cmpstr (((PxTemplate *) g_ptr_array_index (templates, 0))->category, ==, "Work");
  g_assert_cmpstr (g_hash_table_lookup (((PxTemplate *) g_ptr_array_index (templates, 0))->settings, "size"), ==, "1024x1536");
  g_assert_true (px_library_delete_template (library, template_->row_id, &error));
  g_clear_pointer (&templates, g_ptr_array_unref);
  templates = px_library_list_templates (library, &error);
  g_assert_cmpuint (templates->len, ==, 0);
  /* Saving one that is gone says so instead of making it again. */
  g_assert_cmpint (px_library_save_template (library, template_, &error), ==, 0);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Token sets keep the user's order; names are normalised; empty values
   * count as missing when resolving. */
  px_token_set_set (set, "firstname", "Ada");
  px_token_set_set (set, "COMPANY", "Acme");
  px_token_set_set (set, "Role", "");
  px_token_set_set (set, "FIRSTNAME", "Ada Lovelace");
  g_assert_cmpint (px_library_save_token_set (library, set, &error), >, 0);
  sets = px_library_list_token_sets (library, &error);
  g_assert_cmpuint (sets->len, ==, 1);
  read = g_ptr_array_index (sets, 0);
  g_assert_cmpstr (read->name, ==, "Ada at Acme");
  g_assert_cmpuint (read->names->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (read->names, 0), ==, "FIRSTNAME");
  g_assert_cmpstr (g_ptr_array_index (read->names, 2), ==, "ROLE");
  g_assert_cmpstr (px_token_set_lookup (read, "firstname"), ==, "Ada Lovelace");
  table = px_token_set_to_table (read);
  g_assert_cmpuint (g_hash_table_size (table), ==, 2);
  g_assert_true (px_token_set_remove (set, "role"));
  g_assert_false (px_token_set_remove (set, "role"));
  g_assert_true (px_library_delete_token_set (library, set->id, &error));
  g_clear_pointer (&sets, g_ptr_array_unref);
  sets = px_library_list_token_sets (library, &error);
  g_assert_cmpuint (sets->len, ==, 0);
}

/* An edit is a new image linked to its parent, with the recipe that made
 * it and its parent's prompt and tokens; the parent stays as it was. */
static void
test_edit_linked (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  gint64 parent_id = add (library, "Portrait of Ada", "gpt-image-2", "NAME", "Ada");
  g_autoptr(PxLibraryImage) before = px_library_get_image (library, parent_id, &error);
  g_autoptr(GBytes) edited = px_fake_render_image ("edited", 48, 48, "png");
  const char *recipe = "{\"operations\": [{\"op\": \"crop\", \"aspect\": \"1:1\"}]}";
  g_autoptr(PxLibraryImage) edit = NULL;
  g_autoptr(PxLibraryImage) after = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64 id;

  id = px_library_add_edit (library, parent_id, edited, recipe, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, parent_id);
  edit = px_library_get_image (library, id, &error);
  g_assert_cmpint (edit->parent_id, ==, parent_id);
  g_assert_cmpstr (edit->recipe_json, ==, recipe);
  g_assert_cmpstr (edit->feature, ==, "edit");
  g_assert_cmpstr (edit->prompt, ==, "Portrait of Ada");
  g_assert_cmpstr (edit->tokens_json, ==, before->tokens_json);
  g_assert_cmpint (edit->width, ==, 48);
  after = px_library_get_image (library, parent_id, &error);
  g_assert_cmpstr (after->sha256, ==, before->sha256);
  g_assert_null (after->recipe_json);
  problems = px_library_check (library, &error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* An edit a model made: a new version linked to its parent, keeping the
 * parent's prompt and tokens (so the gallery finds them together) with the
 * model, cost and time of the edit and the instruction as it was sent. */
static void
test_ai_edit_linked (void)
{
  g_autofree char *dir = new_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) library = px_library_open (dir, &error);
  gint64 parent_id = add (library, "Portrait of Ada", "gpt-image-2", "NAME", "Ada");
  g_autoptr(PxLibraryImage) before = px_library_get_image (library, parent_id, &error);
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gemini-2.5-flash-image",
                                                                      "Make the background a beach behind Ada");
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GBytes) png = px_fake_render_image ("beach", 40, 30, "png");
  PxImage *image = px_image_new (png, "image/png");
  g_autoptr(PxLibraryImage) edit = NULL;
  g_autoptr(PxLibraryImage) after = NULL;
  gint64 id;

  image->width = 40;
  image->height = 30;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup ("gemini");
  result->model_id = g_strdup ("gemini-2.5-flash-image");
  result->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  result->cost = 0.039;
  result->generation_ms = 2100;

  id = px_library_add_ai_edit (library, parent_id, request, result, 0, &error);
  g_assert_no_error (error);
  edit = px_library_get_image (library, id, &error);
  g_assert_cmpint (edit->parent_id, ==, parent_id);
  g_assert_cmpstr (edit->instruction, ==, "Make the background a beach behind Ada");
  g_assert_cmpstr (edit->feature, ==, "ai-edit");
  g_assert_cmpstr (edit->prompt, ==, "Portrait of Ada");
  g_assert_cmpstr (edit->tokens_json, ==, before->tokens_json);
  g_assert_cmpstr (edit->model, ==, "gemini-2.5-flash-image");
  g_assert_cmpfloat_with_epsilon (edit->cost, 0.039, 1e-9);
  g_assert_cmpint (edit->generation_ms, ==, 2100);
  g_assert_cmpint (edit->width, ==, 40);
  g_assert_null (edit->recipe_json);
  after = px_library_get_image (library, parent_id, &error);
  g_assert_cmpstr (after->sha256, ==, before->sha256);
  g_assert_null (after->instruction);

  /* A parent that went meanwhile: nothing kept, no file left behind. */
  g_assert_cmpint (px_library_add_ai_edit (library, 9999, request, result, 0, &error), ==, 0);
  g_assert_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/library/fresh-and-migrated", test_fresh_and_migrated);
  g_test_add_func ("/library/too-new", test_too_new);
  g_test_add_func ("/library/edit-linked", test_edit_linked);
  g_test_add_func ("/library/ai-edit-linked", test_ai_edit_linked);
  g_test_add_func ("/library/save-and-read", test_save_and_read);
  g_test_add_func ("/library/search-and-filters", test_search_and_filters);
  g_test_add_func ("/library/trash-restore-purge", test_trash_restore_purge);
  g_test_add_func ("/library/purge-only-its-own", test_purge_only_its_own);
  g_test_add_func ("/library/atomic-add", test_atomic_add);
  g_test_add_func ("/library/check-reports", test_check_reports);
  g_test_add_func ("/library/corrupt-database", test_corrupt_database);
  g_test_add_func ("/library/export", test_export);
  g_test_add_func ("/library/import-and-thumbnail", test_import_and_thumbnail);
  g_test_add_func ("/library/templates-and-token-sets", test_templates_and_token_sets);

  return g_test_run ();
}
