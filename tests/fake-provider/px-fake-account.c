/* px-fake-account.c: what the fake's account allows. The limiter is a
 * bucket of per_minute requests that refills continuously (per_minute / 60
 * a second) and starts full, as OpenAI describes its own; every OpenAI
 * answer reports it in x-ratelimit-* headers. The bodies are the providers'
 * own words for each problem, as their documentation and SDKs show them. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "px-fake-account.h"

void
px_fake_account_init (PxFakeAccount *self,
                      guint          per_minute)
{
  memset (self, 0, sizeof *self);
  px_fake_account_set_rate (self, per_minute);
}

void
px_fake_account_set_rate (PxFakeAccount *self,
                          guint          per_minute)
{
  self->per_minute = MAX (1, per_minute);
  self->tokens = self->per_minute;
  self->refilled_us = g_get_monotonic_time ();
}

static void
refill (PxFakeAccount *self)
{
  gint64 now = g_get_monotonic_time ();

  self->tokens = MIN (self->per_minute,
                      self->tokens + (now - self->refilled_us) * self->per_minute / (60.0 * G_USEC_PER_SEC));
  self->refilled_us = now;
}

/* One request's worth, or FALSE and how long until there is one. */
gboolean
px_fake_account_take (PxFakeAccount *self,
                      gint64        *retry_ms)
{
  refill (self);
  if (self->tokens >= 1)
    {
      self->tokens -= 1;
      return TRUE;
    }

  self->refused++;
  *retry_ms = (gint64) ceil ((1 - self->tokens) * 60000.0 / self->per_minute);
  return FALSE;
}

/* "6m0s", "1.5s", "120ms": how OpenAI writes x-ratelimit-reset-*. */
char *
px_fake_format_duration (gint64 ms)
{
  if (ms < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT "ms", ms);
  if (ms < 60000)
    return g_strdup_printf ("%gs", ms / 1000.0);
  return g_strdup_printf ("%" G_GINT64_FORMAT "m%gs", ms / 60000, (ms % 60000) / 1000.0);
}

void
px_fake_account_add_headers (PxFakeAccount      *self,
                             SoupMessageHeaders *headers)
{
  g_autofree char *limit = NULL, *remaining = NULL, *reset = NULL;
  gint64 until_full;

  refill (self);
  until_full = (gint64) ceil ((self->per_minute - self->tokens) * 60000.0 / self->per_minute);
  limit = g_strdup_printf ("%.0f", self->per_minute);
  remaining = g_strdup_printf ("%.0f", floor (MAX (0, self->tokens)));
  reset = px_fake_format_duration (until_full);
  soup_message_headers_replace (headers, "x-ratelimit-limit-requests", limit);
  soup_message_headers_replace (headers, "x-ratelimit-remaining-requests", remaining);
  soup_message_headers_replace (headers, "x-ratelimit-reset-requests", reset);
  soup_message_headers_replace (headers, "x-ratelimit-limit-tokens", "4000000");
  soup_message_headers_replace (headers, "x-ratelimit-remaining-tokens", "3999000");
  soup_message_headers_replace (headers, "x-ratelimit-reset-tokens", "15ms");
}

char *
px_fake_account_limited_body (PxFakeAccount *self,
                              PxFakeWire     wire,
                              const char    *model,
                              gint64         retry_ms)
{
  g_autofree char *wait = px_fake_format_duration (retry_ms);

  if (wire == PX_FAKE_WIRE_OPENAI)
    return g_strdup_printf ("{\n  \"error\": {\n    \"message\": \"Rate limit reached for %s in organization "
                            "org-fake on requests per min (RPM): Limit %.0f, Used %.0f, Requested 1. Please try "
                            "again in %s. Visit https://platform.openai.com/account/rate-limits to learn more.\",\n"
                            "    \"type\": \"requests\",\n    \"param\": null,\n    \"code\": \"rate_limit_exceeded\"\n"
                            "  }\n}\n", model, self->per_minute, self->per_minute, wait);

  return g_strdup_printf ("{\n  \"error\": {\n    \"code\": 429,\n    \"message\": \"You exceeded your current quota, "
                          "please check your plan and billing details.\\n* Quota exceeded for metric: "
                          "generativelanguage.googleapis.com/generate_content_paid_tier_requests, limit: %.0f, "
                          "model: %s\\nPlease retry in %s.\",\n    \"status\": \"RESOURCE_EXHAUSTED\",\n"
                          "    \"details\": [\n      {\"@type\": \"type.googleapis.com/google.rpc.QuotaFailure\", "
                          "\"violations\": [{\"quotaMetric\": \"generativelanguage.googleapis.com/"
                          "generate_content_paid_tier_requests\", \"quotaId\": "
                          "\"GenerateRequestsPerMinutePerProjectPerModel\", \"quotaDimensions\": {\"location\": "
                          "\"global\", \"model\": \"%s\"}, \"quotaValue\": \"%.0f\"}]},\n"
                          "      {\"@type\": \"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"%.3fs\"}\n"
                          "    ]\n  }\n}\n", self->per_minute, model, wait, model, self->per_minute, retry_ms / 1000.0);
}

/* The answer to every paid request while the account has a problem, or
 * NULL when it has none. */
char *
px_fake_account_problem_body (PxFakeAccount *self,
                              PxFakeWire     wire,
                              const char    *model,
                              guint         *status)
{
  if (wire == PX_FAKE_WIRE_OPENAI)
    switch (self->problem)
      {
      case PX_FAKE_ACCOUNT_REVOKED_KEY:
        *status = 401;
        return g_strdup ("{\"error\": {\"message\": \"Incorrect API key provided: sk-proj-****oked. You can find "
                         "your API key at https://platform.openai.com/account/api-keys.\", \"type\": "
                         "\"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}");
      case PX_FAKE_ACCOUNT_NO_QUOTA:
        *status = 429;
        return g_strdup ("{\"error\": {\"message\": \"You exceeded your current quota, please check your plan and "
                         "billing details. For more information on this error, read the docs: "
                         "https://platform.openai.com/docs/guides/error-codes/api-errors.\", \"type\": "
                         "\"insufficient_quota\", \"param\": null, \"code\": \"insufficient_quota\"}}");
      case PX_FAKE_ACCOUNT_BILLING_INACTIVE:
        *status = 429;
        return g_strdup ("{\"error\": {\"message\": \"Your account is not active, please check your billing "
                         "details on our website.\", \"type\": \"billing_not_active\", \"param\": null, "
                         "\"code\": \"billing_not_active\"}}");
      case PX_FAKE_ACCOUNT_NOT_VERIFIED:
        *status = 403;
        return g_strdup_printf ("{\"error\": {\"message\": \"Your organization must be verified to use the model "
                                "`%s`. Please go to: https://platform.openai.com/settings/organization/general and "
                                "click on Verify Organization. If you just verified, it can take up to 15 minutes "
                                "for access to propagate.\", \"type\": \"invalid_request_error\", \"param\": null, "
                                "\"code\": null}}", model);
      case PX_FAKE_ACCOUNT_REGION:
      case PX_FAKE_ACCOUNT_FREE_TIER_ZERO:
        *status = 403;
        return g_strdup ("{\"error\": {\"code\": \"unsupported_country_region_territory\", \"message\": "
                         "\"Country, region, or territory not supported\", \"param\": null, \"type\": "
                         "\"request_forbidden\"}}");
      case PX_FAKE_ACCOUNT_OK:
      default:
        return NULL;
      }

  switch (self->problem)
    {
    case PX_FAKE_ACCOUNT_REVOKED_KEY:
      *status = 400;
      return g_strdup ("{\"error\": {\"code\": 400, \"message\": \"API key expired. Please renew the API key.\", "
                       "\"status\": \"INVALID_ARGUMENT\", \"details\": [{\"@type\": "
                       "\"type.googleapis.com/google.rpc.ErrorInfo\", \"reason\": \"API_KEY_INVALID\", "
                       "\"domain\": \"googleapis.com\"}]}}");
    case PX_FAKE_ACCOUNT_NO_QUOTA:
      *status = 429;
      return g_strdup ("{\"error\": {\"code\": 429, \"message\": \"You exceeded your current quota, please check "
                       "your plan and billing details.\", \"status\": \"RESOURCE_EXHAUSTED\", \"details\": "
                       "[{\"@type\": \"type.googleapis.com/google.rpc.QuotaFailure\", \"violations\": "
                       "[{\"quotaMetric\": \"generativelanguage.googleapis.com/generate_requests_per_model_per_day\", "
                       "\"quotaId\": \"GenerateRequestsPerDayPerProjectPerModel\"}]}]}}");
    case PX_FAKE_ACCOUNT_BILLING_INACTIVE:
    case PX_FAKE_ACCOUNT_NOT_VERIFIED:
      *status = 400;
      return g_strdup ("{\"error\": {\"code\": 400, \"message\": \"Gemini API free tier is not available in your "
                       "country. Please enable billing on your project in Google AI Studio.\", \"status\": "
                       "\"FAILED_PRECONDITION\"}}");
    case PX_FAKE_ACCOUNT_REGION:
      *status = 400;
      return g_strdup ("{\"error\": {\"code\": 400, \"message\": \"User location is not supported for the API "
                       "use.\", \"status\": \"FAILED_PRECONDITION\"}}");
    case PX_FAKE_ACCOUNT_FREE_TIER_ZERO:
      *status = 429;
      return g_strdup_printf ("{\"error\": {\"code\": 429, \"message\": \"You exceeded your current quota, please "
                              "check your plan and billing details. For more information on this error, head to: "
                              "https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric: "
                              "generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, "
                              "model: %s\\nPlease retry in 41.2s.\", \"status\": \"RESOURCE_EXHAUSTED\", "
                              "\"details\": [{\"@type\": \"type.googleapis.com/google.rpc.QuotaFailure\", "
                              "\"violations\": [{\"quotaMetric\": \"generativelanguage.googleapis.com/"
                              "generate_content_free_tier_requests\", \"quotaId\": "
                              "\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\", \"quotaDimensions\": "
                              "{\"location\": \"global\", \"model\": \"%s\"}}]}, {\"@type\": "
                              "\"type.googleapis.com/google.rpc.RetryInfo\", \"retryDelay\": \"41s\"}]}}",
                              model, model);
    case PX_FAKE_ACCOUNT_OK:
    default:
      return NULL;
    }
}

PxFakeAccountProblem
px_fake_account_problem_from_string (const char *name)
{
  static const char * const names[] = { "ok", "revoked-key", "no-quota", "billing-inactive", "not-verified",
                                        "region", "free-tier-zero", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return (PxFakeAccountProblem) i;
  return PX_FAKE_ACCOUNT_OK;
}
