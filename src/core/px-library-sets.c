/* px-library-sets.c: what the library keeps besides images: the user's
 * prompt templates, named token sets and model comparisons. */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "px-json.h"
#include "px-library-private.h"

/* ---- templates and token sets ---- */

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

GPtrArray *
px_library_list_templates (PxLibrary  *self,
                           GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) px_template_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, name, category, description, feature, prompt, model, settings, caption_top, caption_bottom "
                          "FROM templates ORDER BY category, name COLLATE NOCASE, id", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading templates"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxTemplate *template_ = px_template_new ((const char *) sqlite3_column_text (stmt, 1),
                                               (const char *) sqlite3_column_text (stmt, 5));

      template_->row_id = sqlite3_column_int64 (stmt, 0);
      g_free (template_->category);
      template_->category = dup_column (stmt, 2);
      g_free (template_->description);
      template_->description = dup_column (stmt, 3);
      template_->feature = dup_column (stmt, 4);
      template_->model = dup_column (stmt, 6);
      px_template_set_settings_json (template_, (const char *) sqlite3_column_text (stmt, 7));
      template_->caption_top = dup_column (stmt, 8);
      template_->caption_bottom = dup_column (stmt, 9);
      g_ptr_array_add (templates, template_);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&templates);
}

/* Inserts a new template (row_id 0, which it then sets) or replaces the
 * saved one. */
gint64
px_library_save_template (PxLibrary   *self,
                          PxTemplate  *template_,
                          GError     **error)
{
  PX_LIBRARY_WRITE (self);
  g_autofree char *settings = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (template_ != NULL, 0);

  settings = px_template_settings_to_json (template_);
  if (sqlite3_prepare_v2 (self->db,
                          template_->row_id == 0
                          ? "INSERT INTO templates (name, category, description, feature, prompt, model, settings, "
                            "caption_top, caption_bottom, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
                          : "UPDATE templates SET name = ?1, category = ?2, description = ?3, feature = ?4, prompt = ?5, "
                            "model = ?6, settings = ?7, caption_top = ?8, caption_bottom = ?9, updated = ?10 WHERE id = ?11",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving a template"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, template_->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, template_->category ? template_->category : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, template_->description ? template_->description : "", -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 4, template_->feature);
  sqlite3_bind_text (stmt, 5, template_->prompt, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 6, template_->model);
  sqlite3_bind_text (stmt, 7, settings, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 8, template_->caption_top);
  bind_text_or_null (stmt, 9, template_->caption_bottom);
  sqlite3_bind_int64 (stmt, 10, now);
  if (template_->row_id != 0)
    sqlite3_bind_int64 (stmt, 11, template_->row_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      px_library_db_error (self, error, _("saving a template"));
      return 0;
    }
  if (template_->row_id == 0)
    template_->row_id = sqlite3_last_insert_rowid (self->db);
  else if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                   _("The template “%s” is no longer in the library."), template_->name);
      return 0;
    }

  return template_->row_id;
}

static gboolean
delete_row (PxLibrary   *self,
            const char  *sql,
            gint64       id,
            const char  *what,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (self, error, what);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return px_library_db_error (self, error, what);
  return TRUE;
}

gboolean
px_library_delete_template (PxLibrary  *self,
                            gint64      id,
                            GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return delete_row (self, "DELETE FROM templates WHERE id = ?", id, _("deleting a template"), error);
}


GPtrArray *
px_library_list_token_sets (PxLibrary  *self,
                            GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func ((GDestroyNotify) px_token_set_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT id, name, tokens FROM token_sets ORDER BY name COLLATE NOCASE, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading token sets"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxTokenSet *set = px_token_set_new ((const char *) sqlite3_column_text (stmt, 1));

      set->id = sqlite3_column_int64 (stmt, 0);
      px_token_set_load_json (set, (const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (sets, set);
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&sets);
}

/* Finishes a px_library_list_async() of px_library_list_token_sets for a
 * chooser: the sets, and in @names their names after @first (when not NULL),
 * ready for a string list. NULL when the list could not be read (a warning
 * unless the caller cancelled). */
GPtrArray *
px_library_token_sets_finish (PxLibrary     *self,
                              GAsyncResult  *result,
                              const char    *first,
                              char        ***names)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GPtrArray *sets = px_library_list_finish_or_warn (self, result, "token sets");

  *names = NULL;
  if (sets == NULL)
    return NULL;
  if (first != NULL)
    g_strv_builder_add (builder, first);
  for (guint i = 0; i < sets->len; i++)
    g_strv_builder_add (builder, ((PxTokenSet *) g_ptr_array_index (sets, i))->name);
  *names = g_strv_builder_end (builder);

  return sets;
}

gint64
px_library_save_token_set (PxLibrary   *self,
                           PxTokenSet  *set,
                           GError     **error)
{
  PX_LIBRARY_WRITE (self);
  g_autofree char *tokens = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);
  g_return_val_if_fail (set != NULL, 0);

  tokens = px_token_set_to_json (set);
  if (sqlite3_prepare_v2 (self->db,
                          set->id == 0
                          ? "INSERT INTO token_sets (name, tokens, created, updated) VALUES (?1, ?2, ?3, ?3)"
                          : "UPDATE token_sets SET name = ?1, tokens = ?2, updated = ?3 WHERE id = ?4",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving a token set"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, set->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, tokens, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (set->id != 0)
    sqlite3_bind_int64 (stmt, 4, set->id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      px_library_db_error (self, error, _("saving a token set"));
      return 0;
    }
  if (set->id == 0)
    set->id = sqlite3_last_insert_rowid (self->db);
  else if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PX_LIBRARY_ERROR, PX_LIBRARY_ERROR_NOT_FOUND,
                   _("The token set “%s” is no longer in the library."), set->name);
      return 0;
    }

  return set->id;
}

gboolean
px_library_delete_token_set (PxLibrary  *self,
                             gint64      id,
                             GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return delete_row (self, "DELETE FROM token_sets WHERE id = ?", id, _("deleting a token set"), error);
}


/* ---- comparisons ---- */

void
px_comparison_free (PxComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_free (comparison->template_prompt);
  g_free (comparison->prompt);
  g_strfreev (comparison->models);
  g_free (comparison);
}

gint64
px_library_add_comparison (PxLibrary          *self,
                           const char         *template_prompt,
                           const char         *prompt,
                           GHashTable         *tokens,
                           const char * const *models,
                           GError            **error)
{
  PX_LIBRARY_WRITE (self);
  g_autofree char *tokens_json = px_json_from_table (tokens);
  g_autofree char *joined = g_strjoinv ("\n", (char **) models);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PX_IS_LIBRARY (self), 0);

  if (sqlite3_prepare_v2 (self->db, "INSERT INTO comparisons (template_prompt, prompt, tokens, models, created)"
                                    " VALUES (?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("saving a comparison"));
      return 0;
    }
  sqlite3_bind_text (stmt, 1, template_prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, prompt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tokens_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, joined, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      px_library_db_error (self, error, _("saving a comparison"));
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
update_ids (PxLibrary   *self,
            const char  *sql,
            gint64       first,
            gint64       second,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return px_library_db_error (self, error, _("saving a comparison"));
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, second);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || px_library_db_error (self, error, _("saving a comparison"));
}

/* Tags a library image as one result of a comparison. */
gboolean
px_library_tag_comparison (PxLibrary  *self,
                           gint64      image_id,
                           gint64      comparison_id,
                           GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return update_ids (self, "UPDATE images SET comparison_id = ?2 WHERE id = ?1", image_id, comparison_id, error);
}

gboolean
px_library_set_comparison_winner (PxLibrary  *self,
                                  gint64      comparison_id,
                                  gint64      image_id,
                                  GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_return_val_if_fail (PX_IS_LIBRARY (self), FALSE);

  return update_ids (self, "UPDATE comparisons SET winner_image_id = ?2 WHERE id = ?1", comparison_id, image_id, error);
}

GPtrArray *
px_library_list_comparisons (PxLibrary  *self,
                             GError    **error)
{
  PX_LIBRARY_WRITE (self);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) px_comparison_free);
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (PX_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT c.id, c.template_prompt, c.prompt, c.models, COALESCE (c.winner_image_id, 0),"
                                    " c.created, (SELECT COUNT(*) FROM images WHERE comparison_id = c.id AND trashed = 0)"
                                    " FROM comparisons c ORDER BY c.id DESC", -1, &stmt, NULL) != SQLITE_OK)
    {
      px_library_db_error (self, error, _("reading comparisons"));
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PxComparison *comparison = g_new0 (PxComparison, 1);

      comparison->id = sqlite3_column_int64 (stmt, 0);
      comparison->template_prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      comparison->prompt = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      comparison->models = g_strsplit ((const char *) sqlite3_column_text (stmt, 3), "\n", -1);
      comparison->winner_image_id = sqlite3_column_int64 (stmt, 4);
      comparison->created = sqlite3_column_int64 (stmt, 5);
      comparison->n_images = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (list, comparison);
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&list);
}
