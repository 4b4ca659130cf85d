/* px-fake-account.h: the account behind the fake provider: its rate limit
 * (a bucket refilled continuously, like the real limiters), the headers
 * that report it, and the account problems a real key runs into. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum {
  PX_FAKE_ACCOUNT_OK,
  PX_FAKE_ACCOUNT_REVOKED_KEY,       /* the key was revoked or expired */
  PX_FAKE_ACCOUNT_NO_QUOTA,          /* no credit left */
  PX_FAKE_ACCOUNT_BILLING_INACTIVE,  /* OpenAI: billing not active; Google: billing not enabled */
  PX_FAKE_ACCOUNT_NOT_VERIFIED,      /* OpenAI: the organization must be verified */
  PX_FAKE_ACCOUNT_REGION,            /* not offered where the user is */
  PX_FAKE_ACCOUNT_FREE_TIER_ZERO,    /* Google: free tier limit 0 for this model */
} PxFakeAccountProblem;

typedef struct {
  double               per_minute;
  double               tokens;
  gint64               refilled_us;
  guint                refused;     /* 429s sent by the limiter */
  PxFakeAccountProblem problem;
} PxFakeAccount;

typedef enum {
  PX_FAKE_WIRE_OPENAI,
  PX_FAKE_WIRE_GOOGLE,
} PxFakeWire;

void     px_fake_account_init          (PxFakeAccount        *self,
                                        guint                 per_minute);
void     px_fake_account_set_rate      (PxFakeAccount        *self,
                                        guint                 per_minute);
gboolean px_fake_account_take          (PxFakeAccount        *self,
                                        gint64               *retry_ms);
void     px_fake_account_add_headers   (PxFakeAccount        *self,
                                        SoupMessageHeaders   *headers);
char    *px_fake_account_limited_body  (PxFakeAccount        *self,
                                        PxFakeWire            wire,
                                        const char           *model,
                                        gint64                retry_ms);
char    *px_fake_account_problem_body  (PxFakeAccount        *self,
                                        PxFakeWire            wire,
                                        const char           *model,
                                        guint                *status);
PxFakeAccountProblem px_fake_account_problem_from_string (const char *name);
char    *px_fake_format_duration       (gint64                ms);

G_END_DECLS
