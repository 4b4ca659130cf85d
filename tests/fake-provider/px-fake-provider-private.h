/* px-fake-provider-private.h: the fake provider's state and the helpers
 * its route files share (px-fake-provider.c dispatches and delivers,
 * px-fake-openai.c and px-fake-google.c answer their providers' paths). */
#pragma once

#include <json-glib/json-glib.h>

#include "px-fake-account.h"
#include "px-fake-batch.h"
#include "px-fake-image.h"
#include "px-fake-openai-batch.h"
#include "px-fake-provider.h"
#include "px-fake-reply.h"
#include "px-fake-veo.h"

G_BEGIN_DECLS

#define NO_FAULT ((PxFakeFault) -1)

typedef struct {
  PxFakeFault fault;
  guint       param;
} QueuedFault;

struct _PxFakeProvider
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *url;
  char        *api_key;
  guint        latency_ms;
  GQueue       faults;
  PxFakeFault  rate_faults[4];   /* faults at random, each with its percentage */
  guint        rate_percents[4];
  guint        n_rates;
  GPtrArray   *requests;
  GHashTable  *images;   /* "format|WxH|prompt" -> GBytes */
  GHashTable  *encoded;  /* the same keys -> base64 */
  GHashTable  *responses; /* request body checksum -> response body */
  guint        in_flight;
  guint        max_in_flight;
  PxFakeAccount account;
  gboolean     plain_images;  /* one picture per size, not one per prompt: cheap, for benchmarks */
  gboolean     small_images;  /* at most 64 px a side, whatever was asked: for benchmarks */
  PxFakeVeo   *veo;
  PxFakeBatch *batch;
  PxFakeOpenaiBatch *openai_batch;
  guint        batch_polls;       /* what both batch engines are set to */
  PxFakeBatchOutcome batch_outcome;
  guint        batch_failing;
  guint        batch_stall_ms;
  gboolean     batch_log;
};

GBytes * px_fake_static_text (const char *text);
GBytes * px_fake_get_image (PxFakeProvider *self, const char *prompt, int width, int height, const char *format);
char * px_fake_image_base64 (PxFakeProvider *self, const char *prompt, int width, int height, const char *format,
                             PxFakeFault fault);
GHashTable * px_fake_json_fields (JsonObject *object);
JsonObject * px_fake_parse_body (GBytes *body);
Reply * px_fake_openai_error (guint status, const char *message, const char *type, const char *param, const char *code);
Reply * px_fake_openai_fault_reply (PxFakeFault fault, guint param);
gboolean px_fake_openai_check_key (PxFakeProvider *self, SoupServerMessage *msg, Reply **reply);
Reply * px_fake_openai_generations (PxFakeProvider *self, GBytes *body, PxFakeFault fault);
Reply * px_fake_openai_edits (PxFakeProvider *self, SoupServerMessage *msg, GBytes *body, PxFakeFault fault);
Reply * px_fake_openai_chat (PxFakeProvider *self, GBytes *body, PxFakeFault fault);
Reply * px_fake_google_fault_reply (PxFakeFault fault, guint param);
Reply * px_fake_gemini_generate (PxFakeProvider *self, const char *model, GBytes *body, gboolean stream,
                                 PxFakeFault fault);
Reply * px_fake_imagen_predict (PxFakeProvider *self, const char *model, GBytes *body, PxFakeFault fault);
char * px_fake_rewrite_prompt (const char *text, PxFakeFault fault);
GPtrArray * px_fake_split_words (const char *text);
char * px_fake_node_to_event (JsonBuilder *builder);

G_END_DECLS
