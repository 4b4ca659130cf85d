/* px-fake-provider.h: a local HTTP server that speaks every provider's wire
 * format, for tests, benchmarks and the demo mode. */
#pragma once

#include <libsoup/soup.h>

#include "px-fake-account.h"

G_BEGIN_DECLS

typedef enum {
  PX_FAKE_FAULT_LATENCY,          /* param: extra milliseconds */
  PX_FAKE_FAULT_RATE_LIMIT,       /* 429; param: Retry-After seconds, 0 for none */
  PX_FAKE_FAULT_QUOTA,            /* 429 quota / billing, not to be retried */
  PX_FAKE_FAULT_SERVER_ERROR,     /* param: HTTP status, 500 when 0 */
  PX_FAKE_FAULT_MALFORMED_JSON,
  PX_FAKE_FAULT_TRUNCATED_BODY,   /* the JSON cut in half */
  PX_FAKE_FAULT_TRUNCATED_IMAGE,  /* valid JSON, half the image */
  PX_FAKE_FAULT_NOT_IMAGE,        /* base64 of an HTML page where the image goes */
  PX_FAKE_FAULT_BOMB,             /* a PNG claiming 60000 × 60000 pixels */
  PX_FAKE_FAULT_DROP_CONNECTION,  /* closes the connection without answering */
  PX_FAKE_FAULT_TRICKLE,          /* the answer, slowly; param: ms between 512-byte chunks */
  PX_FAKE_FAULT_POLICY,           /* refused by the content policy */
  PX_FAKE_FAULT_DROP_TOKENS,      /* a chat rewrite that loses the [TOKENS] */
  PX_FAKE_FAULT_RATE_LIMIT_MS,    /* OpenAI 429 with only retry-after-ms; param: milliseconds */
  /* Hostile servers (px-fake-hostile.c): the same on every wire. */
  PX_FAKE_FAULT_GZIP_BOMB,        /* 200, gzip; param: MiB once inflated (1024 when 0), from about 1 MB */
  PX_FAKE_FAULT_HUGE_BODY,        /* 200, plain; param: MiB (80 when 0) */
  PX_FAKE_FAULT_DEEP_JSON,        /* 200, JSON arrays nested param deep (100000 when 0) */
  PX_FAKE_FAULT_WRONG_TYPE,       /* 200, an HTML page as text/html */
  PX_FAKE_FAULT_EMPTY_OK,         /* 200 with an empty body */
  PX_FAKE_FAULT_STALL_HEADERS,    /* the headers, then nothing for param ms (2000 when 0) */
  PX_FAKE_FAULT_STALL_BODY,       /* half the answer, then nothing for param ms (2000 when 0) */
  PX_FAKE_FAULT_RESET_BODY,       /* half the answer, then the connection closed */
  PX_FAKE_FAULT_RATE_LIMIT_DATE,  /* 429, Retry-After as an HTTP date param s ahead (2099 when 0) */
} PxFakeFault;

/* How the next Veo operations end. */
typedef enum {
  PX_FAKE_VIDEO_OK,
  PX_FAKE_VIDEO_FAILED,      /* done, with an error */
  PX_FAKE_VIDEO_FILTERED,    /* done, but the safety filter took the video */
  PX_FAKE_VIDEO_NOT_VIDEO,   /* done, and the file is an HTML page */
} PxFakeVideoOutcome;

/* How the next Gemini batches end. */
typedef enum {
  PX_FAKE_BATCH_SUCCEEDED,
  PX_FAKE_BATCH_FAILED,      /* done, with the operation's error */
  PX_FAKE_BATCH_EXPIRED,     /* not done within its window: nothing made */
} PxFakeBatchOutcome;

typedef struct {
  char   *method;
  char   *path;
  char   *authorization;   /* Authorization header */
  char   *google_key;      /* x-goog-api-key header */
  char   *content_type;    /* without parameters */
  char   *content_type_header;  /* as sent, with the boundary of a multipart */
  GBytes *body;
} PxFakeRequest;

#define PX_TYPE_FAKE_PROVIDER (px_fake_provider_get_type ())

G_DECLARE_FINAL_TYPE (PxFakeProvider, px_fake_provider, PX, FAKE_PROVIDER, GObject)

PxFakeProvider *px_fake_provider_new               (guint           port,
                                                    const char     *api_key,
                                                    GError        **error);
const char     *px_fake_provider_get_url           (PxFakeProvider *self);
void            px_fake_provider_set_latency       (PxFakeProvider *self,
                                                    guint           ms);
void            px_fake_provider_push_fault        (PxFakeProvider *self,
                                                    PxFakeFault     fault,
                                                    guint           param);
void            px_fake_provider_set_fault_rate    (PxFakeProvider *self,
                                                    PxFakeFault     fault,
                                                    guint           percent);
void            px_fake_provider_prepare_fault     (PxFakeProvider *self,
                                                    PxFakeFault     fault,
                                                    guint           param);
guint           px_fake_provider_get_request_count (PxFakeProvider *self);
void            px_fake_provider_set_rpm           (PxFakeProvider *self,
                                                    guint           per_minute);
void            px_fake_provider_set_account_problem (PxFakeProvider     *self,
                                                    PxFakeAccountProblem problem);
guint           px_fake_provider_get_limited_count (PxFakeProvider *self);
void            px_fake_provider_set_small_images  (PxFakeProvider *self,
                                                   gboolean        small);
void            px_fake_provider_set_plain_images  (PxFakeProvider *self,
                                                    gboolean        plain);
GPtrArray      *px_fake_provider_get_requests      (PxFakeProvider *self);
void            px_fake_provider_clear_requests    (PxFakeProvider *self);
guint           px_fake_provider_get_max_in_flight (PxFakeProvider *self);
void            px_fake_provider_set_video_polls   (PxFakeProvider *self,
                                                    guint           polls);
void            px_fake_provider_set_video_outcome (PxFakeProvider *self,
                                                    PxFakeVideoOutcome outcome);
guint           px_fake_provider_get_video_submissions (PxFakeProvider *self);
void            px_fake_provider_set_batch_polls   (PxFakeProvider *self,
                                                    guint           polls);
void            px_fake_provider_set_batch_outcome (PxFakeProvider *self,
                                                    PxFakeBatchOutcome outcome);
void            px_fake_provider_set_batch_failing (PxFakeProvider *self,
                                                    guint           every);
void            px_fake_provider_set_batch_download_stall (PxFakeProvider *self,
                                                   guint           stall_ms);
void            px_fake_provider_set_batch_log     (PxFakeProvider *self,
                                                   gboolean        log);
guint           px_fake_provider_get_batches_created (PxFakeProvider *self);
guint           px_fake_provider_get_files_uploaded  (PxFakeProvider *self);

G_END_DECLS
