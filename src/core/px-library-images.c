/* px-library-images.c: images into the library: the file first (content
 * addressed, durable), then its row; provenance written into PNG text
 * chunks; a batch's files staged until their rows are committed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "px-image-check.h"
#include "px-json.h"
#include "px-library-private.h"
#include "px-meme.h"
#include "px-png.h"
#include "px-usage.h"

/* Writes bytes under images/ by their hash. *created says whether this call
 * made the file (an identical image may be there already). */
static char *
store_file (PxLibrary   *self,
            GBytes      *bytes,
            const char  *mime_type,
            char       **sha256,
            gboolean    *created,
            GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *prefix = g_strndup (hash, 2);
  g_autofree char *name = g_strdup_printf ("%s.%s", hash, px_library_extension_for (mime_type));
  g_autofree char *relative = g_build_filename ("images", prefix, name, NULL);
  g_autofree char *dir = g_build_filename (self->directory, "images", prefix, NULL);
  g_autofree char *path = g_build_filename (self->directory, relative, NULL);

  *created = FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && self->staging != NULL)
    {
      /* Written whole beside, moved into place once the row is committed
       * (see px_library_move_staged). */
      g_autofree char *staged = g_build_filename (self->staging, name, NULL);

      if (g_mkdir_with_parents (self->staging, 0700) != 0)
        {
          g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                       _("Could not create %s: %s"), self->staging, g_strerror (errno));
          return NULL;
        }
      if (!px_library_write_atomic (staged, data, size, !self->staging_synced_later, error))
        return NULL;
      g_ptr_array_add (self->staged, g_strdup (relative));
      *created = TRUE;
    }
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                       _("Could not create %s: %s"), dir, g_strerror (errno));
          return NULL;
        }
      /* Temp file, fsync, rename: the image is whole on disk before any row
       * points to it. A bulk import syncs once at its end instead. */
      if (!px_library_write_atomic (path, data, size, !self->bulk, error))
        return NULL;
      *created = TRUE;
    }

  *sha256 = g_steal_pointer (&hash);
  return g_steal_pointer (&relative);
}


/* The AUTOMATIC1111 "parameters" layout that other tools read: the prompt,
 * then "Key: value" pairs on one line. */
static char *
a1111_parameters (const char *prompt,
                  const char *model,
                  int         width,
                  int         height,
                  GHashTable *settings)
{
  g_autoptr(GString) out = g_string_new (prompt);
  const char *negative = settings ? g_hash_table_lookup (settings, "negative_prompt") : NULL;
  const char *steps = settings ? g_hash_table_lookup (settings, "steps") : NULL;
  const char *cfg = settings ? g_hash_table_lookup (settings, "cfg_scale") : NULL;
  const char *seed = settings ? g_hash_table_lookup (settings, "seed") : NULL;

  if (negative != NULL && *negative != '\0')
    g_string_append_printf (out, "\nNegative prompt: %s", negative);
  g_string_append_c (out, '\n');
  if (steps != NULL)
    g_string_append_printf (out, "Steps: %s, ", steps);
  if (cfg != NULL)
    g_string_append_printf (out, "CFG scale: %s, ", cfg);
  if (seed != NULL)
    g_string_append_printf (out, "Seed: %s, ", seed);
  g_string_append_printf (out, "Size: %dx%d, Model: %s", width, height, model);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct {
  const char *template_prompt;
  const char *prompt;
  const char *revised_prompt;
  const char *provider;
  const char *model;
  const char *tokens_json;
  const char *settings_json;
  const char *metadata_json;
  const char *mime_type;
  int         width;
  int         height;
  double      cost;
  gint64      generation_ms;
  const char *feature;
  gint64      parent_id;
  gint64      batch_id;
  /* the usage event kept with it, or none */
  const char *usage_kind;
  gboolean    local;          /* made on this computer: no provider to pay */
  gboolean    cached;
  double      possibly_paid;
} Row;

static gint64
insert_image (PxLibrary   *self,
              const Row   *row,
              GBytes      *bytes,
              GError     **error)
{
  g_autofree char *relative = NULL;
  g_autofree char *sha256 = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean created = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = 0;
  int i = 1;

  relative = store_file (self, bytes, row->mime_type, &sha256, &created, error);
  if (relative == NULL)
    return 0;

  if (self->fail_after_file)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_DATABASE, "Simulated failure after the file was written");
      goto undo_file;
    }

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO images (file, sha256, template_prompt, prompt, revised_prompt, provider, model,"
                          " tokens, settings, metadata, mime_type, width, height, bytes, cost, generation_ms, feature,"
                          " parent_id, batch_id, created, updated)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving an image"));
      goto undo_file;
    }

  sqlite3_bind_text (stmt, i++, relative, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->template_prompt ? row->template_prompt : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->revised_prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->model, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->tokens_json ? row->tokens_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->settings_json ? row->settings_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->metadata_json ? row->metadata_json : "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, i++, row->mime_type, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, i++, row->width);
  sqlite3_bind_int (stmt, i++, row->height);
  sqlite3_bind_int64 (stmt, i++, g_bytes_get_size (bytes));
  sqlite3_bind_double (stmt, i++, row->cost);
  sqlite3_bind_int64 (stmt, i++, row->generation_ms);
  sqlite3_bind_text (stmt, i++, row->feature, -1, SQLITE_STATIC);
  if (row->parent_id > 0)
    sqlite3_bind_int64 (stmt, i++, row->parent_id);
  else
    sqlite3_bind_null (stmt, i++);
  if (row->batch_id > 0)
    sqlite3_bind_int64 (stmt, i++, row->batch_id);
  else
    sqlite3_bind_null (stmt, i++);
  sqlite3_bind_int64 (stmt, i++, now);
  sqlite3_bind_int64 (stmt, i++, now);

  if (!px_library_run_sql (self, "SAVEPOINT image", _("saving an image"), error))
    {
      sqlite3_finalize (stmt);
      goto undo_file;
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      px_library_db_error (self, error, _("saving an image"));
      sqlite3_finalize (stmt);
      goto undo_row;
    }
  sqlite3_finalize (stmt);
  id = sqlite3_last_insert_rowid (self->db);
  if (row->usage_kind != NULL)
    {
      PxUsageEvent event = {
        .kind = row->usage_kind, .provider = row->local ? "" : row->provider, .model = row->local ? "" : row->model,
        .feature = row->feature, .batch_id = row->batch_id, .image_id = id, .images = 1,
        .cost = row->local ? 0 : row->cost, .possibly_paid = row->possibly_paid, .cached = row->cached,
        .duration_ms = row->local ? 0 : row->generation_ms, .created = now,
      };

      if (!px_usage_record (self, &event, error))
        goto undo_row;
    }
  if (!px_library_run_sql (self, "RELEASE image", _("saving an image"), error))
    goto undo_row;
  return id;

undo_row:
  sqlite3_exec (self->db, "ROLLBACK TO image; RELEASE image", NULL, NULL, NULL);

undo_file:
  /* Neither half: a file this call wrote goes again. One that was already
   * there belongs to other rows. */
  if (created && self->staging != NULL)
    {
      g_autofree char *base = g_path_get_basename (relative);
      g_autofree char *path = g_build_filename (self->staging, base, NULL);

      g_unlink (path);
      g_ptr_array_remove_index (self->staged, self->staged->len - 1);
    }
  else if (created)
    {
      g_autofree char *path = g_build_filename (self->directory, relative, NULL);
      g_unlink (path);
    }
  return 0;
}

/* The row's part that comes from what a provider answered: model, image,
 * cost (each image its share of the request's), time; the usage event a
 * generation leaves. */
static void
row_from_result (Row                      *row,
                 const PxGenerationResult *result,
                 const PxImage            *image)
{
  row->revised_prompt = result->revised_prompt;
  row->provider = result->provider_id;
  row->model = result->model_id;
  row->metadata_json = result->provider_metadata;
  row->mime_type = image->mime_type;
  row->width = image->width;
  row->height = image->height;
  row->cost = result->cost / MAX (1u, result->images->len);
  row->generation_ms = result->generation_ms;
  row->cached = result->cached;
  row->possibly_paid = result->possibly_paid / MAX (1u, result->images->len);
}

gint64
px_library_add_generation (PxLibrary                 *self,
                           const PxGenerationRequest *request,
                           const PxGenerationResult  *result,
                           guint                      image_index,
                           const char                *feature,
                           GError                   **error)
{
  return px_library_add_batch_generation (self, request, result, image_index, feature, 0, error);
}

gint64
px_library_add_batch_generation (PxLibrary                 *self,
                                 const PxGenerationRequest *request,
                                 const PxGenerationResult  *result,
                                 guint                      image_index,
                                 const char                *feature,
                                 gint64                     batch_id,
                                 GError                   **error)
{
  PX_LIBRARY_WRITE (self);
  PxImage *image;
  g_autofree char *tokens_json = NULL;
  g_autofree char *settings_json = NULL;
  g_autoptr(GBytes) stored = NULL;
  Row row = { 0, };

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (image_index < result->images->len, 0);

  image = g_ptr_array_index (result->images, image_index);
  tokens_json = px_json_from_table (request->tokens);
  settings_json = px_json_from_table (result->settings);

  /* Provenance inside the file itself, so an exported PNG keeps it. */
  if (g_strcmp0 (image->mime_type, "image/png") == 0)
    {
      g_autofree char *parameters = a1111_parameters (request->prompt, result->model_id,
                                                      image->width, image->height, result->settings);
      const char *keys[] = { "parameters", "Description", "pixmerge:prompt", "pixmerge:template",
                             "pixmerge:model", "pixmerge:tokens", "pixmerge:settings", NULL };
      const char *values[] = { parameters, request->prompt, request->prompt, request->template_prompt,
                               result->model_id, tokens_json, settings_json, NULL };

      stored = px_png_add_text (image->bytes, keys, values);
    }
  if (stored == NULL)
    stored = g_bytes_ref (image->bytes);

  row_from_result (&row, result, image);
  row.template_prompt = request->template_prompt;
  row.prompt = request->prompt;
  row.tokens_json = tokens_json;
  row.settings_json = settings_json;
  row.feature = feature ? feature : "generate";
  row.batch_id = batch_id;
  row.usage_kind = "generation";

  return insert_image (self, &row, stored, error);
}

/* A new image made from a library image on this computer (meme captions,
 * edits): the parent's prompt, tokens and model, its own pixels, no cost,
 * and the parent recorded. */
gint64
px_library_add_derived (PxLibrary   *self,
                        gint64       parent_id,
                        GBytes      *bytes,
                        const char  *feature,
                        GError     **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(PxLibraryImage) parent = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr(GBytes) stored = NULL;
  Row row = { 0, };
  int width, height;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);

  parent = px_library_get_image (self, parent_id, error);
  if (parent == NULL || !px_image_check (bytes, &mime_type, &width, &height, error))
    return 0;

  if (g_strcmp0 (mime_type, "image/png") == 0)
    {
      const char *keys[] = { "Description", "pixmerge:prompt", "pixmerge:template", "pixmerge:model",
                             "pixmerge:tokens", "pixmerge:settings", NULL };
      const char *values[] = { parent->prompt, parent->prompt, parent->template_prompt, parent->model,
                               parent->tokens_json, parent->settings_json, NULL };

      stored = px_png_add_text (bytes, keys, values);
    }
  if (stored == NULL)
    stored = g_bytes_ref (bytes);

  row.template_prompt = parent->template_prompt;
  row.prompt = parent->prompt;
  row.revised_prompt = parent->revised_prompt;
  row.provider = parent->provider;
  row.model = parent->model;
  row.tokens_json = parent->tokens_json;
  row.settings_json = parent->settings_json;
  row.mime_type = mime_type;
  row.width = width;
  row.height = height;
  row.feature = feature ? feature : parent->feature;
  row.parent_id = parent_id;
  row.batch_id = parent->batch_id;
  row.usage_kind = "edit";
  row.local = TRUE;

  return insert_image (self, &row, stored, error);
}

/* Sets one text column of image @id (in the caller's transaction). */
static gboolean
set_image_text (PxLibrary   *self,
                gint64       id,
                const char  *sql,
                const char  *value,
                const char  *doing,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean done;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (self, error, doing);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  done = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return done || px_library_db_error (self, error, doing);
}

/* The end of a write made of several statements: kept together, or none. */
static gint64
finish_write (PxLibrary   *self,
              gint64       id,
              const char  *doing,
              GError     **error)
{
  if (id > 0 && !px_library_run_sql (self, "COMMIT", doing, error))
    id = 0;
  if (id == 0)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return id;
}

/* An edit of image @parent_id: a new image of the same prompt, tokens and
 * batch, linked to its parent, with the recipe that made it; the row and
 * its recipe together or not at all. The parent is not changed. */
gint64
px_library_add_edit (PxLibrary   *self,
                     gint64       parent_id,
                     GBytes      *bytes,
                     const char  *recipe_json,
                     GError     **error)
{
  PX_LIBRARY_WRITE (self);
  gint64 id;

  if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("saving an edit"), error))
    return 0;
  id = px_library_add_derived (self, parent_id, bytes, "edit", error);
  if (id > 0 && !set_image_text (self, id, "UPDATE images SET recipe = ? WHERE id = ?", recipe_json,
                                 _("saving an edit"), error))
    id = 0;
  return finish_write (self, id, _("saving an edit"), error);
}

/* Image @image_index of an edit a model made of image @parent_id: a new
 * version of the parent (its prompt, tokens and batch, linked to it) with
 * the model, settings, cost and time of the edit, and the instruction as
 * it was sent. The parent is not changed. */
gint64
px_library_add_ai_edit (PxLibrary                 *self,
                        gint64                     parent_id,
                        const PxGenerationRequest *request,
                        const PxGenerationResult  *result,
                        guint                      image_index,
                        GError                   **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(PxLibraryImage) parent = NULL;
  g_autofree char *settings_json = NULL;
  g_autoptr(GBytes) stored = NULL;
  PxImage *image;
  Row row = { 0, };
  gint64 id = 0;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (image_index < result->images->len, 0);

  if (!px_library_run_sql (self, "BEGIN IMMEDIATE", _("saving an edit"), error))
    return 0;
  parent = px_library_get_image (self, parent_id, error);
  if (parent == NULL)
    return finish_write (self, 0, _("saving an edit"), error);

  image = g_ptr_array_index (result->images, image_index);
  settings_json = px_json_from_table (result->settings);
  if (g_strcmp0 (image->mime_type, "image/png") == 0)
    {
      const char *keys[] = { "Description", "pixmerge:prompt", "pixmerge:template", "pixmerge:model",
                             "pixmerge:tokens", "pixmerge:instruction", NULL };
      const char *values[] = { parent->prompt, parent->prompt, parent->template_prompt, result->model_id,
                               parent->tokens_json, request->prompt, NULL };

      stored = px_png_add_text (image->bytes, keys, values);
    }
  if (stored == NULL)
    stored = g_bytes_ref (image->bytes);

  row_from_result (&row, result, image);
  row.template_prompt = parent->template_prompt;
  row.prompt = parent->prompt;
  row.tokens_json = parent->tokens_json;
  row.settings_json = settings_json;
  row.feature = "ai-edit";
  row.parent_id = parent_id;
  row.batch_id = parent->batch_id;
  row.usage_kind = "ai-edit";

  id = insert_image (self, &row, stored, error);
  if (id > 0 && !set_image_text (self, id, "UPDATE images SET instruction = ? WHERE id = ?", request->prompt,
                                 _("saving an edit"), error))
    id = 0;
  return finish_write (self, id, _("saving an edit"), error);
}

/* The recipes of the edits in the library, newest first, each once. */
GPtrArray *
px_library_list_recipes (PxLibrary  *self,
                         guint       limit,
                         GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) recipes = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT recipe FROM images WHERE recipe IS NOT NULL AND trashed = 0"
                                    " GROUP BY recipe ORDER BY MAX (created) DESC, MAX (id) DESC LIMIT ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading the edits"));
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, (int) limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (recipes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return g_steal_pointer (&recipes);
}

/* Whether image @parent_id already has an edit made by @recipe_json. */
gboolean
px_library_has_edit (PxLibrary   *self,
                     gint64       parent_id,
                     const char  *recipe_json,
                     GError     **error)
{
  PX_LIBRARY_WRITE (self);
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM images WHERE parent_id = ? AND recipe = ? AND trashed = 0 LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (self, error, _("reading the edits"));
  sqlite3_bind_int64 (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, recipe_json, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

gint64
px_library_import_file (PxLibrary   *self,
                        const char  *path,
                        GError     **error)
{
  PX_LIBRARY_WRITE (self);
  g_autofree char *contents = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) text = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *prompt;
  Row row = { 0, };
  gsize length;
  int width, height;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO, _("Could not read %s: %s"), path, local_error->message);
      return 0;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!px_image_check (bytes, &mime, &width, &height, &local_error))
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO,
                   _("%s is not an image Pixmerge can keep: PNG, JPEG or WebP."), path);
      return 0;
    }

  /* An image made by Pixmerge (or AUTOMATIC1111) says what it was made from. */
  text = px_png_read_text (bytes);
  prompt = g_hash_table_lookup (text, "pixmerge:prompt");
  if (prompt == NULL)
    prompt = g_hash_table_lookup (text, "parameters");

  row.prompt = prompt ? prompt : basename;
  row.template_prompt = g_hash_table_lookup (text, "pixmerge:template");
  row.tokens_json = g_hash_table_lookup (text, "pixmerge:tokens");
  row.settings_json = g_hash_table_lookup (text, "pixmerge:settings");
  row.provider = "imported";
  row.model = g_hash_table_lookup (text, "pixmerge:model");
  if (row.model == NULL)
    row.model = "imported";
  row.mime_type = mime;
  row.width = width;
  row.height = height;
  row.feature = "imported";

  return insert_image (self, &row, bytes, error);
}


static char *
staging_dir (PxLibrary *self,
             gint64     job_id)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, job_id);

  return g_build_filename (self->directory, "images", ".staging", name, NULL);
}

/* Until px_library_stop_staging, new image files go to the job's staging
 * folder instead of their place. */
void
px_library_start_staging (PxLibrary *self,
                          gint64     job_id)
{
  g_free (self->staging);
  self->staging = staging_dir (self, job_id);
  g_ptr_array_set_size (self->staged, 0);
}

/* Many images into one transaction (a provider batch's results): their
 * files are written without a sync each, and px_library_sync_staged()
 * syncs them all before the transaction commits. */
void
px_library_start_staging_many (PxLibrary *self,
                               gint64     job_id)
{
  px_library_start_staging (self, job_id);
  self->staging_synced_later = TRUE;
}

/* The staged files reach the disk (with their folder's entries): one
 * syncfs for all of them, where a sync each would cost a disk flush each. */
gboolean
px_library_sync_staged (PxLibrary  *self,
                        GError    **error)
{
  int fd;

  if (self->staging == NULL || self->staged->len == 0)
    return TRUE;
  fd = open (self->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || syncfs (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_IO, _("Could not write %s to the disk: %s"),
                   self->staging, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

void
px_library_stop_staging (PxLibrary *self)
{
  g_clear_pointer (&self->staging, g_free);
  self->staging_synced_later = FALSE;
}

static gboolean
row_has_file (PxLibrary  *self,
              const char *relative)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM images WHERE file = ? LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, relative, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* After a commit (or at recovery, for all of a job's staged files): files
 * whose rows were committed move into place, the others are deleted; a
 * crash between commit and move is finished here next time. */
guint
px_library_move_staged (PxLibrary *self,
                        gint64     job_id)
{
  PX_LIBRARY_WRITE (self);
  g_autofree char *dir = staging_dir (self, job_id);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint moved = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *prefix = g_strndup (name, 2);
      g_autofree char *relative = g_build_filename ("images", prefix, name, NULL);
      g_autofree char *from = g_build_filename (dir, name, NULL);
      g_autofree char *to_dir = g_build_filename (self->directory, "images", prefix, NULL);
      g_autofree char *to = g_build_filename (self->directory, relative, NULL);

      if (row_has_file (self, relative) && !g_file_test (to, G_FILE_TEST_EXISTS) &&
          g_mkdir_with_parents (to_dir, 0700) == 0 && g_rename (from, to) == 0)
        moved++;
      else
        g_unlink (from);
    }
  g_rmdir (dir);
  g_ptr_array_set_size (self->staged, 0);
  return moved;
}

/* The one way a generated result joins the library (Generate, Compare, the
 * CLI): memes get their captions drawn first (the originals go to raw, when
 * given), then every image is kept with the request that made it; ids gets
 * one id per image. On a failure the images kept so far stay, ids says
 * which. Runs on a worker: it writes files and draws. */
gboolean
px_library_keep_result (PxLibrary                 *self,
                        const PxGenerationRequest *request,
                        PxGenerationResult        *result,
                        const char                *feature,
                        const char                *caption_top,
                        const char                *caption_bottom,
                        GArray                    *ids,
                        GPtrArray                 *raw,
                        GError                   **error)
{
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  if (!px_meme_caption_result (result, caption_top, caption_bottom, raw, error))
    return FALSE;

  for (guint i = 0; i < result->images->len; i++)
    {
      gint64 id = px_library_add_generation (self, request, result, i, feature, error);

      if (id == 0)
        return FALSE;
      g_array_append_val (ids, id);
    }
  return TRUE;
}
