/* px-rate-limiter.c: a token bucket that mirrors the provider's own.
 *
 * OpenAI limits requests (and, for image models, images) per minute with a
 * bucket that refills continuously, and reports it on every answer:
 * x-ratelimit-limit-requests (the bucket), -remaining-requests (what is left
 * in it) and -reset-requests (until it is full again). We keep the same
 * bucket locally: a request takes a unit, or waits until one has refilled.
 * Tokens may go below zero: each unit below zero is a request already
 * promised a later time ("reserved"), so that what the provider says is
 * left can be set as the truth without counting those twice.
 *
 * Before the first answer the catalog's guess applies; a provider that
 * sends no limit headers at all (Google, local servers) is not paced by a
 * guess any longer, only by its 429s and the user's own cap. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "px-provider.h"
#include "px-rate-limiter.h"

struct _PxRateLimiter
{
  double   per_minute;      /* the provider's limit (learned or guessed); 0: none known */
  double   burst;           /* the bucket's size */
  double   tokens;
  gint64   refilled_us;
  guint    reserved;        /* requests promised a later time, not sent yet */
  guint    user_cap;        /* the user's requests a minute; 0: none */
  gboolean learned;
  gboolean learned_limit;   /* the provider has said what its limit is */
};

PxRateLimiter *
px_rate_limiter_new (guint first_guess_per_minute,
                     guint first_burst)
{
  PxRateLimiter *self = g_new0 (PxRateLimiter, 1);

  self->per_minute = first_guess_per_minute;
  /* Until the provider has said how big its bucket is, send no more at
   * once than may be in flight. */
  self->burst = MAX (1, first_burst);
  self->tokens = self->burst;
  self->refilled_us = g_get_monotonic_time ();
  return self;
}

void
px_rate_limiter_free (PxRateLimiter *self)
{
  g_free (self);
}

void
px_rate_limiter_set_user_cap (PxRateLimiter *self,
                              guint          per_minute)
{
  self->user_cap = per_minute;
  if (per_minute > 0)
    self->tokens = MIN (self->tokens, 1);
}

/* Before the provider has said how big its bucket is, as many at once as
 * may be in flight. */
void
px_rate_limiter_set_first_burst (PxRateLimiter *self,
                                 guint          burst)
{
  if (self->learned_limit)
    return;
  self->tokens += MAX (1, burst) - self->burst;
  self->burst = MAX (1, burst);
}

static double
rate_per_minute (PxRateLimiter *self)
{
  if (self->user_cap > 0 && (self->per_minute <= 0 || self->user_cap < self->per_minute))
    return self->user_cap;
  return self->per_minute;
}

static double
bucket_size (PxRateLimiter *self)
{
  /* The user's cap spaces requests evenly: no bursts past it. */
  return self->user_cap > 0 ? 1 : self->burst;
}

static void
refill (PxRateLimiter *self,
        gint64         now_us)
{
  double rate = rate_per_minute (self);

  if (now_us > self->refilled_us && rate > 0)
    self->tokens = MIN (bucket_size (self),
                        self->tokens + (now_us - self->refilled_us) * rate / (60.0 * G_USEC_PER_SEC));
  self->refilled_us = MAX (self->refilled_us, now_us);
}

/* Takes units (a request, or its images where the provider counts images)
 * and says how long to wait before sending, in microseconds. A wait is a
 * reservation: call px_rate_limiter_sent() when the request goes. */
gint64
px_rate_limiter_take (PxRateLimiter *self,
                      guint          units,
                      gint64         now_us)
{
  double rate = rate_per_minute (self);

  if (rate <= 0)
    return 0;

  refill (self, now_us);
  self->tokens -= MAX (1, units);
  if (self->tokens >= 0)
    return 0;

  self->reserved++;
  return (gint64) ceil (-self->tokens * 60.0 * G_USEC_PER_SEC / rate);
}

void
px_rate_limiter_sent (PxRateLimiter *self)
{
  if (self->reserved > 0)
    self->reserved--;
}

static gboolean
read_number (SoupMessageHeaders *headers,
             const char         *name,
             const char         *unit,
             double             *out)
{
  g_autofree char *header = g_strconcat (name, unit, NULL);
  const char *value = soup_message_headers_get_one (headers, header);
  char *end = NULL;

  if (value == NULL)
    return FALSE;
  *out = g_ascii_strtod (value, &end);
  return end != value && *out >= 0;
}

/* What an answer says about the limit; TRUE when it said anything. OpenAI
 * counts images for image models where it sends the -images headers. */
gboolean
px_rate_limiter_learn (PxRateLimiter      *self,
                       SoupMessageHeaders *headers,
                       gboolean            success,
                       gint64              now_us)
{
  const char *unit = "-images";
  double limit = 0, remaining = 0;

  if (headers == NULL)
    return FALSE;
  if (!read_number (headers, "x-ratelimit-limit", unit, &limit))
    unit = "-requests";
  if (!read_number (headers, "x-ratelimit-limit", unit, &limit) || limit < 1)
    {
      /* No headers on a good answer: this provider does not say, so the
       * catalog's guess must not hold anyone back any longer. */
      if (success && !self->learned)
        {
          self->learned = TRUE;
          self->per_minute = 0;
        }
      return FALSE;
    }

  refill (self, now_us);
  /* The first answer tells how much is left; later ones may have been
   * counted before requests we sent since, so they only ever lower what
   * we think is left (the local refill raises it). */
  if (read_number (headers, "x-ratelimit-remaining", unit, &remaining))
    {
      double told = MIN (remaining, limit) - self->reserved;

      self->tokens = self->learned_limit ? MIN (self->tokens, told) : told;
    }
  self->learned = self->learned_limit = TRUE;
  self->per_minute = limit;
  self->burst = limit;
  return TRUE;
}

/* A 429: the provider's bucket is empty whatever we thought. */
void
px_rate_limiter_exhausted (PxRateLimiter *self,
                           gint64         now_us)
{
  refill (self, now_us);
  self->tokens = MIN (self->tokens, -(double) self->reserved);
  self->refilled_us = now_us;
}

double
px_rate_limiter_get_per_minute (PxRateLimiter *self)
{
  return rate_per_minute (self);
}
