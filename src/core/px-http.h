/* px-http.h: one HTTP exchange with limits on everything that comes in. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* An answer larger than this, after decompression, is refused as it
 * streams in: a gzip bomb stops here with memory bounded. The largest real
 * answer is about 50 MB (ten 1536×1024 PNGs in base64, or one 4K image). */
#define PX_HTTP_MAX_BODY_BYTES (64 * 1024 * 1024)
/* An error answer is only read for its message: what is past this is cut. */
#define PX_HTTP_MAX_ERROR_BODY_BYTES (1024 * 1024)

/* How long each part of one attempt may take, in milliseconds (0: no
 * limit). Generation answers come only when the image is made, so waiting
 * for the headers is long; once the answer has begun, the body comes in
 * steadily, and a pause longer than idle_ms is a stall. */
typedef struct {
  guint connect_ms;   /* from start until the request is being written */
  guint headers_ms;   /* from then until the answer's headers */
  guint idle_ms;      /* between two pieces of the body */
  guint total_ms;     /* the whole attempt */
} PxHttpLimits;

#define PX_HTTP_CONNECT_MS  (30 * 1000)
#define PX_HTTP_HEADERS_MS  (5 * 60 * 1000)
#define PX_HTTP_IDLE_MS     (30 * 1000)
#define PX_HTTP_TOTAL_MS    (10 * 60 * 1000)

void      px_http_limits_init  (PxHttpLimits        *limits);
void      px_http_send_async   (SoupSession         *session,
                                SoupMessage         *message,
                                const PxHttpLimits  *limits,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
GBytes   *px_http_send_finish  (SoupSession         *session,
                                GAsyncResult        *result,
                                GError             **error);

G_END_DECLS
