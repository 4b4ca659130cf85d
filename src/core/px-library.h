/* px-library.h: the user's library: one sqlite database and the image
 * files it points to. Calls do disk I/O: the app makes them from a worker
 * thread, never the main loop. */
#pragma once

#include "px-generation.h"
#include "px-templates.h"
#include "px-token-set.h"
#include "px-video.h"

G_BEGIN_DECLS

#define PX_LIBRARY_ERROR (px_library_error_quark ())

typedef enum {
  PX_LIBRARY_ERROR_CORRUPT,     /* the database is damaged; it was backed up */
  PX_LIBRARY_ERROR_TOO_NEW,     /* made by a newer Pixmerge */
  PX_LIBRARY_ERROR_IO,
  PX_LIBRARY_ERROR_DATABASE,
  PX_LIBRARY_ERROR_NOT_FOUND,
  PX_LIBRARY_ERROR_PATTERN,     /* an export file name pattern that does not resolve */
  PX_LIBRARY_ERROR_DISK_FULL,   /* no space left (or a file size limit) while writing */
  PX_LIBRARY_ERROR_READ_ONLY,   /* the folder or the database cannot be written to */
  PX_LIBRARY_ERROR_BUSY,        /* another program kept the database locked */
} PxLibraryError;

#define PX_LIBRARY_SCHEMA_VERSION 13

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
  char    *recipe_json;     /* the edit that made it from its parent, or NULL */
  char    *instruction;     /* what a model was asked to change in its parent, or NULL */
} PxLibraryImage;

/* A video made from a library image; the image may have gone since. */
typedef struct {
  gint64  id;
  gint64  image_id;      /* 0: its image was deleted */
  char   *file;          /* absolute path */
  char   *poster;        /* absolute path of a PNG frame, or NULL */
  char   *effect;
  char   *settings_json;
  int     duration_ms;
  int     width;
  int     height;
  gint64  created;
  char   *prompt;        /* its image's prompt; NULL when the image is gone */
  double  cost;          /* dollars, when a provider made it */
} PxLibraryVideo;

/* A video asked of a provider (Veo), from the moment before it is sent. */
typedef struct {
  gint64  id;
  gint64  image_id;      /* 0: none, or gone */
  char   *provider;
  char   *model;
  char   *prompt;
  int     seconds;
  char   *resolution;
  char   *aspect_ratio;
  double  estimate;      /* dollars, if it is made */
  char   *state;         /* sending, running, done, failed, unknown */
  char   *operation;     /* the provider's name for the job, once it answered */
  char   *error;
  gint64  video_id;      /* when done */
  gint64  created;
} PxAiVideoJob;

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

/* A row's place in the library's order: for paging by key. */
typedef struct {
  gint64 created;
  gint64 id;
} PxLibraryKey;

#define PX_TYPE_LIBRARY (px_library_get_type ())

G_DECLARE_FINAL_TYPE (PxLibrary, px_library, PX, LIBRARY, GObject)

GQuark          px_library_error_quark   (void);
void            px_library_image_free    (PxLibraryImage  *image);
PxLibraryImage *px_library_image_copy    (const PxLibraryImage *image);
void            px_library_video_free    (PxLibraryVideo  *video);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxLibraryVideo, px_library_video_free)
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
gboolean        px_library_keep_result   (PxLibrary       *self,
                                          const PxGenerationRequest *request,
                                          PxGenerationResult *result,
                                          const char      *feature,
                                          const char      *caption_top,
                                          const char      *caption_bottom,
                                          GArray          *ids,
                                          GPtrArray       *raw,
                                          GError         **error);
gint64          px_library_add_derived   (PxLibrary       *self,
                                          gint64           parent_id,
                                          GBytes          *bytes,
                                          const char      *feature,
                                          GError         **error);
gint64          px_library_add_edit      (PxLibrary       *self,
                                          gint64           parent_id,
                                          GBytes          *bytes,
                                          const char      *recipe_json,
                                          GError         **error);
gint64          px_library_add_ai_edit   (PxLibrary       *self,
                                          gint64           parent_id,
                                          const PxGenerationRequest *request,
                                          const PxGenerationResult  *result,
                                          guint            image_index,
                                          GError         **error);
GPtrArray      *px_library_list_recipes  (PxLibrary       *self,
                                          guint            limit,
                                          GError         **error);
gboolean        px_library_has_edit      (PxLibrary       *self,
                                          gint64           parent_id,
                                          const char      *recipe_json,
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
GPtrArray      *px_library_list_range    (PxLibrary       *self,
                                          const PxLibraryQuery *query,
                                          const PxLibraryKey *after,
                                          const PxLibraryKey *before,
                                          guint            skip,
                                          guint            limit,
                                          gboolean         from_end,
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
                                          const char      *format,
                                          GError         **error);
gboolean        px_library_export_file   (const PxLibraryImage *image,
                                          const char      *path,
                                          const char      *format,
                                          GError         **error);
const char     *px_library_format_for_name (const char    *path);
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
GPtrArray      *px_library_token_sets_finish (PxLibrary   *self,
                                          GAsyncResult    *result,
                                          const char      *first,
                                          char          ***names);
gint64          px_library_save_token_set (PxLibrary      *self,
                                          PxTokenSet      *set,
                                          GError         **error);
gboolean        px_library_delete_token_set (PxLibrary    *self,
                                          gint64           id,
                                          GError         **error);

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

/* Off the main loop: func runs on the library's writer thread (writes, in
 * order) or a worker (reads) and returns FALSE with error set on failure;
 * results go into data. */
typedef gboolean (*PxLibraryFunc)        (PxLibrary       *self,
                                          gpointer         data,
                                          GCancellable    *cancellable,
                                          GError         **error);
void            px_library_write_async   (PxLibrary       *self,
                                          PxLibraryFunc    func,
                                          gpointer         data,
                                          GDestroyNotify   data_free,
                                          GCancellable    *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer         user_data);
void            px_library_read_async    (PxLibrary       *self,
                                          PxLibraryFunc    func,
                                          gpointer         data,
                                          GDestroyNotify   data_free,
                                          GCancellable    *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer         user_data);
typedef GPtrArray *(*PxLibraryListFunc) (PxLibrary      *self,
                                          GError         **error);
void            px_library_list_async    (PxLibrary       *self,
                                          PxLibraryListFunc list,
                                          GCancellable    *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer         user_data);
GPtrArray      *px_library_list_finish   (PxLibrary       *self,
                                          GAsyncResult    *result,
                                          GError         **error);
GPtrArray      *px_library_list_finish_or_warn (PxLibrary *self,
                                          GAsyncResult    *result,
                                          const char      *what);
gboolean        px_library_run_finish    (PxLibrary       *self,
                                          GAsyncResult    *result,
                                          gpointer        *data,
                                          GError         **error);
gint64          px_library_add_video     (PxLibrary       *self,
                                          gint64           image_id,
                                          const char      *video,
                                          const char      *poster,
                                          const PxVideoSettings *settings,
                                          int              width,
                                          int              height,
                                          GError         **error);
PxLibraryVideo *px_library_get_video     (PxLibrary       *self,
                                          gint64           id,
                                          GError         **error);
GPtrArray      *px_library_list_videos   (PxLibrary       *self,
                                          gint64           image_id,
                                          GError         **error);
void            px_ai_video_job_free     (PxAiVideoJob    *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxAiVideoJob, px_ai_video_job_free)
gint64          px_library_add_ai_video  (PxLibrary       *self,
                                          gint64           image_id,
                                          const char      *video,
                                          const char      *poster,
                                          const char      *model,
                                          const char      *settings_json,
                                          int              duration_ms,
                                          int              width,
                                          int              height,
                                          double           cost,
                                          GError         **error);
gint64          px_library_add_ai_video_job (PxLibrary    *self,
                                          const PxAiVideoJob *job,
                                          GError         **error);
gboolean        px_library_update_ai_video_job (PxLibrary *self,
                                          gint64           id,
                                          const char      *state,
                                          const char      *operation,
                                          const char      *error_message,
                                          gint64           video_id,
                                          GError         **error);
PxAiVideoJob   *px_library_get_ai_video_job (PxLibrary    *self,
                                          gint64           id,
                                          GError         **error);
GPtrArray      *px_library_list_ai_video_jobs (PxLibrary  *self,
                                          gboolean         unfinished,
                                          GError         **error);
guint           px_library_recover_ai_video_jobs (PxLibrary *self,
                                          GError         **error);
gboolean        px_library_delete_videos (PxLibrary       *self,
                                          const gint64    *ids,
                                          guint            n_ids,
                                          GError         **error);
gboolean        px_library_error_is_storage (const GError  *error);
gboolean        px_library_begin_snapshot (PxLibrary     *self,
                                          GError         **error);
void            px_library_end_snapshot  (PxLibrary       *self);
void            px_library_set_main_thread_guard (gboolean enabled);
gboolean        px_library_get_main_thread_guard (void);

/* for tests */
void            px_library_set_fail_after_file (PxLibrary *self,
                                          gboolean         fail);

G_END_DECLS
