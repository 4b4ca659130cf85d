/* px-fake-openai-batch.h: OpenAI's Batch API and its Files API in the fake:
 * upload a JSONL file (multipart, purpose "batch"), make a batch of image
 * generations from it, poll, list, cancel, download the output and error
 * files. */
#pragma once

#include "px-fake-provider.h"
#include "px-fake-reply.h"

G_BEGIN_DECLS

typedef struct _PxFakeOpenaiBatch PxFakeOpenaiBatch;

/* One line's body answered as /v1/images/generations would answer it. */
typedef Reply *(*PxFakeOpenaiAnswer) (gpointer  data,
                                      GBytes   *body);

PxFakeOpenaiBatch *px_fake_openai_batch_new       (PxFakeOpenaiAnswer  answer,
                                                   gpointer            data);
void               px_fake_openai_batch_free      (PxFakeOpenaiBatch  *self);
/* NULL when @path is none of its routes (the key is checked before). */
Reply             *px_fake_openai_batch_route     (PxFakeOpenaiBatch  *self,
                                                   SoupServerMessage  *msg,
                                                   const char         *path,
                                                   GBytes             *body);
void               px_fake_openai_batch_configure (PxFakeOpenaiBatch  *self,
                                                   guint               polls,
                                                   PxFakeBatchOutcome  outcome,
                                                   guint               failing,
                                                   guint               download_stall_ms,
                                                   gboolean            log);
guint              px_fake_openai_batch_get_created (PxFakeOpenaiBatch *self);

G_END_DECLS
