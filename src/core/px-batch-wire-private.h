/* px-batch-wire-private.h: what the batch engines' wire formats share
 * (px-batch-wire.c) and what each provides (px-gemini-batch.c,
 * px-openai-batch.c). */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "px-batch-wire.h"
#include "px-engine-private.h"
#include "px-provider.h"

G_BEGIN_DECLS

struct _PxBatchWire
{
  PxEngine             *engine;
  const PxProviderInfo *info;
  PxProvider           *provider;
  char                 *base_url;
  char                 *api_key;
  gboolean              openai;
};

/* What an answer becomes (a job, a file name, …), or NULL with @error. */
typedef gpointer (*Handle) (PxBatchWire    *self,
                            SoupMessage    *message,
                            GBytes         *body,
                            GError        **error);

/* A page of the provider's list of batches: the job named @wanted, if it
 * is there; else *next_url says where the next page is (NULL: no more). */
typedef PxBatchWireJob *(*ScanPage) (PxBatchWire  *self,
                                     JsonObject   *page,
                                     const char   *wanted,
                                     char        **next_url);

typedef struct {
  PxBatchWire    *self;
  SoupMessage    *message;
  Handle          handle;
  GDestroyNotify  free_result;
  char           *wanted;     /* find: the display name looked for */
  ScanPage        scan;       /* find: how a page is looked through */
} Call;

PxProviderContext px_batch_wire_context      (PxBatchWire         *self);
void          px_batch_wire_set_auth         (PxBatchWire         *self,
                                              SoupMessage         *message);
GError       *px_batch_wire_map_error        (PxBatchWire         *self,
                                              guint                status,
                                              SoupMessageHeaders  *headers,
                                              GBytes              *body);
void          px_batch_wire_call_free        (Call                *call);
SoupMessage  *px_batch_wire_new_message      (PxBatchWire         *self,
                                              const char          *method,
                                              const char          *url,
                                              const char          *content_type,
                                              GBytes              *body,
                                              GError             **error);
void          px_batch_wire_start_call       (PxBatchWire         *self,
                                              SoupMessage         *message,
                                              Handle               handle,
                                              GDestroyNotify       free_result,
                                              gpointer             source_tag,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
void          px_batch_wire_start_url_call   (PxBatchWire         *self,
                                              const char          *method,
                                              const char          *url,
                                              GBytes              *body,
                                              Handle               handle,
                                              GDestroyNotify       free_result,
                                              gpointer             source_tag,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GBytes       *px_batch_wire_builder_bytes    (JsonBuilder         *builder);
void          px_batch_wire_find_in_list     (PxBatchWire         *self,
                                              const char          *first_url,
                                              ScanPage             scan,
                                              const char          *display_name,
                                              gpointer             source_tag,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GBytes       *px_batch_wire_object_bytes     (JsonObject          *object);
gboolean      px_batch_wire_take_answer      (PxBatchWire         *self,
                                              JsonObject          *answer,
                                              PxGenerationResult  *result,
                                              GError             **error);

#define PX_BATCH_WIRE_OPS(prefix) \
  void     prefix##_upload_async (PxBatchWire *self, GBytes *jsonl, const char *display_name, \
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data); \
  void     prefix##_create_async (PxBatchWire *self, const char *model_id, const char *display_name, \
                                  const char *file_name, GCancellable *cancellable, \
                                  GAsyncReadyCallback callback, gpointer user_data); \
  void     prefix##_get_async    (PxBatchWire *self, const char *name, GCancellable *cancellable, \
                                  GAsyncReadyCallback callback, gpointer user_data); \
  void     prefix##_find_async   (PxBatchWire *self, const char *display_name, GCancellable *cancellable, \
                                  GAsyncReadyCallback callback, gpointer user_data); \
  void     prefix##_cancel_async (PxBatchWire *self, const char *name, GCancellable *cancellable, \
                                  GAsyncReadyCallback callback, gpointer user_data); \
  gboolean prefix##_read_line    (PxBatchWire *self, const char *line, gsize length, char **key, \
                                  PxGenerationResult *result, GError **error);

PX_BATCH_WIRE_OPS (px_gemini_batch)
PX_BATCH_WIRE_OPS (px_openai_batch)

char *px_gemini_batch_line (const char                *key,
                            const PxGenerationRequest *request,
                            GHashTable                *settings);
char *px_openai_batch_line (const char                *key,
                            const PxModel             *model,
                            const PxGenerationRequest *request,
                            GHashTable                *settings);

G_END_DECLS
