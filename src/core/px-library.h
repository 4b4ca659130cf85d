/* px-library.h: the user's library: one sqlite database and the image
 * files it points to. Calls do disk I/O: the app makes them from a worker
 * thread, never the main loop. */
#pragma once

#include "px-generation.h"
#include "px-templates.h"

G_BEGIN_DECLS

#define PX_LIBRARY_ERROR (px_library_error_quark ())

typedef enum {
  PX_LIBRARY_ERROR_CORRUPT,     /* the database is damaged; it was backed up */
  PX_LIBRARY_ERROR_TOO_NEW,     /* made by a newer Pixmerge */
  PX_LIBRARY_ERROR_IO,
  PX_LIBRARY_ERROR_DATABASE,
  PX_LIBRARY_ERROR_NOT_FOUND,
  PX_LIBRARY_ERROR_PATTERN,     /* an export file name pattern that does not resolve */
} PxLibraryError;

#define PX_LIBRARY_SCHEMA_VERSION 6

typedef struct {
  gint64   id;
  char    *file;            /* absolute path */
  char    *sha256;
  char    *template_prompt;
  char    *prompt;
  char    *revised_prompt;
  char    *provider;
  char    *model;
  char    *tokens_json;
  char    *settings_json;
  char    *mime_type;
  int      width;
  int      height;
  gint64   bytes;
  double   cost;
  gint64   generation_ms;
  char    *feature;
  gint64   parent_id;       /* 0: none */
  gint64   batch_id;        /* 0: none */
  gint64   created;         /* unix seconds */
} PxLibraryImage;

/* Named values for tokens, in the user's order. */
typedef struct {
  gint64     id;            /* 0: not saved yet */
  char      *name;
  GPtrArray *names;         /* upper-case token names */
  GPtrArray *values;        /* same length as names */
} PxTokenSet;

/* One prompt sent to several models. */
typedef struct {
  gint64   id;
  char    *template_prompt;
  char    *prompt;
  char   **models;
  gint64   winner_image_id;   /* 0: none kept yet */
  gint64   created;
  guint    n_images;
} PxComparison;

typedef enum {
  PX_LIBRARY_SORT_NEWEST,
  PX_LIBRARY_SORT_OLDEST,
} PxLibrarySort;

typedef struct {
  const char    *search;    /* words, matched against prompts and token values */
  const char    *provider;
  const char    *model;
  const char    *feature;
  gint64         batch_id;
  gint64         created_from;
  gint64         created_to;
  PxLibrarySort  sort;
} PxLibraryQuery;

#define PX_TYPE_LIBRARY (px_library_get_type ())

G_DECLARE_FINAL_TYPE (PxLibrary, px_library, PX, LIBRARY, GObject)

GQuark          px_library_error_quark   (void);
void            px_library_image_free    (PxLibraryImage  *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxLibraryImage, px_library_image_free)

PxLibrary      *px_library_open          (const char      *directory,
                                          GError         **error);
PxLibrary      *px_library_open_at_version (const char    *directory,
                                          int              version,
                                          GError         **error);
int             px_library_get_schema_version (PxLibrary  *self);
const char     *px_library_get_directory (PxLibrary       *self);

gint64          px_library_add_generation (PxLibrary      *self,
                                          const PxGenerationRequest *request,
                                          const PxGenerationResult  *result,
                                          guint            image_index,
                                          const char      *feature,
                                          GError         **error);
gint64          px_library_add_derived   (PxLibrary       *self,
                                          gint64           parent_id,
                                          GBytes          *bytes,
                                          const char      *feature,
                                          GError         **error);
gint64          px_library_import_file   (PxLibrary       *self,
                                          const char      *path,
                                          GError         **error);
PxLibraryImage *px_library_get_image     (PxLibrary       *self,
                                          gint64           id,
                                          GError         **error);
guint           px_library_count         (PxLibrary       *self,
                                          const PxLibraryQuery *query,
                                          GError         **error);
GPtrArray      *px_library_list          (PxLibrary       *self,
                                          const PxLibraryQuery *query,
                                          guint            offset,
                                          guint            limit,
                                          GError         **error);
char          **px_library_list_models   (PxLibrary       *self,
                                          GError         **error);
char          **px_library_list_features (PxLibrary       *self,
                                          GError         **error);
gboolean        px_library_trash         (PxLibrary       *self,
                                          const gint64    *ids,
                                          guint            n_ids,
                                          GError         **error);
gboolean        px_library_restore       (PxLibrary       *self,
                                          const gint64    *ids,
                                          guint            n_ids,
                                          GError         **error);
gboolean        px_library_purge         (PxLibrary       *self,
                                          const gint64    *ids,
                                          guint            n_ids,
                                          GError         **error);
gboolean        px_library_purge_trash   (PxLibrary       *self,
                                          GError         **error);
GPtrArray      *px_library_check         (PxLibrary       *self,
                                          GError         **error);
char           *px_library_export_name   (const PxLibraryImage *image,
                                          const char      *pattern,
                                          GError         **error);
GPtrArray      *px_library_export        (PxLibrary       *self,
                                          const gint64    *ids,
                                          guint            n_ids,
                                          const char      *directory,
                                          const char      *pattern,
                                          GError         **error);
char           *px_library_thumbnail     (PxLibrary       *self,
                                          const PxLibraryImage *image,
                                          int              size,
                                          GError         **error);

GPtrArray      *px_library_list_templates (PxLibrary     *self,
                                          GError         **error);
gint64          px_library_save_template (PxLibrary       *self,
                                          PxTemplate      *template_,
                                          GError         **error);
gboolean        px_library_delete_template (PxLibrary     *self,
                                          gint64           id,
                                          GError         **error);
GPtrArray      *px_library_list_token_sets (PxLibrary     *self,
                                          GError         **error);
gint64          px_library_save_token_set (PxLibrary      *self,
                                          PxTokenSet      *set,
                                          GError         **error);
gboolean        px_library_delete_token_set (PxLibrary    *self,
                                          gint64           id,
                                          GError         **error);

PxTokenSet     *px_token_set_new         (const char      *name);
PxTokenSet     *px_token_set_copy        (const PxTokenSet *set);
void            px_token_set_free        (PxTokenSet      *set);
void            px_token_set_set         (PxTokenSet      *set,
                                          const char      *name,
                                          const char      *value);
gboolean        px_token_set_remove      (PxTokenSet      *set,
                                          const char      *name);
const char     *px_token_set_lookup      (const PxTokenSet *set,
                                          const char      *name);
GHashTable     *px_token_set_to_table    (const PxTokenSet *set);
char           *px_token_set_to_json     (const PxTokenSet *set);
void            px_token_set_load_json   (PxTokenSet      *set,
                                          const char      *json);

gint64          px_library_add_comparison (PxLibrary     *self,
                                          const char      *template_prompt,
                                          const char      *prompt,
                                          GHashTable      *tokens,
                                          const char * const *models,
                                          GError         **error);
gboolean        px_library_tag_comparison (PxLibrary     *self,
                                          gint64           image_id,
                                          gint64           comparison_id,
                                          GError         **error);
gboolean        px_library_set_comparison_winner (PxLibrary *self,
                                          gint64           comparison_id,
                                          gint64           image_id,
                                          GError         **error);
GPtrArray      *px_library_list_comparisons (PxLibrary   *self,
                                          GError         **error);
void            px_comparison_free       (PxComparison    *comparison);

gboolean        px_library_begin_bulk    (PxLibrary       *self,
                                          GError         **error);
gboolean        px_library_end_bulk      (PxLibrary       *self,
                                          GError         **error);

/* for tests */
void            px_library_set_fail_after_file (PxLibrary *self,
                                          gboolean         fail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxTokenSet, px_token_set_free)

G_END_DECLS
