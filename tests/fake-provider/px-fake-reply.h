/* px-fake-reply.h: what the fake answers, and how it is delivered; shared
 * by the provider routes and the hostile answers. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _PxFakeProvider PxFakeProvider;

/* What to answer, decided before any delay. */
typedef struct {
  guint       status;
  char       *content_type;
  GBytes     *body;
  char       *retry_after;
  char       *retry_after_ms;
  gboolean    openai_headers;   /* x-ratelimit-* on the answer, as OpenAI sends on every one */
  gboolean    drop;
  guint       trickle_ms;   /* > 0: send the body in 512-byte pieces */
  GPtrArray  *events;       /* SSE: each a whole "data: …\n\n" */
  char       *content_encoding;
  gssize      cut_at;       /* >= 0: send this many bytes, then stall or reset */
  guint       stall_ms;     /* after the cut: wait this long, then the rest */
  gboolean    reset;        /* after the cut: close the connection */
  char       *location;     /* a redirect's target */
  GHashTable *headers;      /* any other headers: name -> value */
} Reply;

typedef struct {
  PxFakeProvider    *self;
  SoupServerMessage *msg;
  Reply             *reply;
  gsize              offset;
  guint              next_event;
} Delivery;

Reply *px_fake_reply_new     (guint       status,
                              const char *content_type,
                              GBytes     *body);
void   px_fake_reply_free    (Reply      *reply);
void   px_fake_reply_set_header (Reply    *reply,
                              const char *name,
                              const char *value);
void   px_fake_delivery_free (Delivery   *delivery);
GBytes *px_fake_builder_to_bytes (JsonBuilder *builder);
Reply  *px_fake_json_reply    (guint        status,
                               JsonBuilder *builder);
void    px_fake_add_string    (JsonBuilder *builder,
                               const char  *name,
                               const char  *value);

gboolean px_fake_hostile_fault   (int          fault);
void     px_fake_hostile_apply   (Reply       *reply,
                                  int          fault,
                                  guint        param);
void     px_fake_hostile_deliver (Delivery    *delivery);

Reply   *px_fake_google_error     (guint        status,
                                   const char  *google_status,
                                   const char  *message,
                                   const char  *detail_json);
gboolean px_fake_google_check_key (const char  *expected,
                                   SoupServerMessage *msg,
                                   Reply      **reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, px_fake_reply_free)

G_END_DECLS
