/* px-fake-batch.h: the Gemini API's Batch Mode and its Files API in the
 * fake: upload a JSONL file (the resumable protocol), create a batch from
 * it or from inline requests, poll, list, cancel, download the results. */
#pragma once

#include "px-fake-provider.h"
#include "px-fake-reply.h"

G_BEGIN_DECLS

typedef struct _PxFakeBatch PxFakeBatch;

/* One request of a batch answered as generateContent would answer it. */
typedef Reply *(*PxFakeBatchAnswer) (gpointer    data,
                                     const char *model,
                                     GBytes     *request);

PxFakeBatch *px_fake_batch_new   (PxFakeBatchAnswer  answer,
                                  gpointer           data);
void         px_fake_batch_free  (PxFakeBatch       *batch);
Reply       *px_fake_batch_route (PxFakeBatch       *batch,
                                  const char        *base_url,
                                  const char        *api_key,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GBytes            *body);
void         px_fake_batch_set_polls        (PxFakeBatch        *batch,
                                             guint               polls);
void         px_fake_batch_set_outcome      (PxFakeBatch        *batch,
                                             PxFakeBatchOutcome  outcome);
void         px_fake_batch_set_failing      (PxFakeBatch        *batch,
                                             guint               every);
void         px_fake_batch_set_download_stall (PxFakeBatch      *batch,
                                             guint               stall_ms);
void         px_fake_batch_set_log          (PxFakeBatch        *batch,
                                             gboolean            log);
guint        px_fake_batch_get_created      (PxFakeBatch        *batch);
guint        px_fake_batch_get_uploads      (PxFakeBatch        *batch);

G_END_DECLS
