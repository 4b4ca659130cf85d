/* px-rate-limiter.h: paces one provider's requests by what the provider
 * says about its limits (OpenAI's x-ratelimit-* headers), starting from the
 * catalog's guess and capped by what the user asked. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _PxRateLimiter PxRateLimiter;

PxRateLimiter *px_rate_limiter_new          (guint               first_guess_per_minute,
                                             guint               first_burst);
void           px_rate_limiter_free         (PxRateLimiter      *self);
void           px_rate_limiter_set_user_cap (PxRateLimiter      *self,
                                             guint               per_minute);
void           px_rate_limiter_set_first_burst (PxRateLimiter   *self,
                                             guint               burst);
gint64         px_rate_limiter_take         (PxRateLimiter      *self,
                                             guint               units,
                                             gint64              now_us);
void           px_rate_limiter_sent         (PxRateLimiter      *self);
gboolean       px_rate_limiter_learn        (PxRateLimiter      *self,
                                             SoupMessageHeaders *headers,
                                             gboolean            success,
                                             gint64              now_us);
void           px_rate_limiter_exhausted    (PxRateLimiter      *self,
                                             gint64              now_us);
double         px_rate_limiter_get_per_minute (PxRateLimiter    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxRateLimiter, px_rate_limiter_free)

G_END_DECLS
