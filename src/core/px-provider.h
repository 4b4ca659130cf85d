/* px-provider.h: the interface every provider implements. A provider only
 * builds its HTTP request, parses its response and maps its errors; retries,
 * rate limits, the cache, image checks and cost live in PxEngine. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "px-catalog.h"
#include "px-generation.h"

G_BEGIN_DECLS

#define PX_PROVIDER_ERROR (px_provider_error_quark ())

typedef enum {
  PX_PROVIDER_ERROR_AUTH,             /* missing, wrong or unauthorised key */
  PX_PROVIDER_ERROR_RATE_LIMITED,     /* slow down; retried */
  PX_PROVIDER_ERROR_QUOTA,            /* billing or daily quota; not retried */
  PX_PROVIDER_ERROR_POLICY,           /* refused by the provider's safety system */
  PX_PROVIDER_ERROR_INVALID_REQUEST,  /* the provider rejected what we sent */
  PX_PROVIDER_ERROR_SERVER,           /* 5xx; retried */
  PX_PROVIDER_ERROR_NETWORK,          /* could not connect, connection lost; retried */
  PX_PROVIDER_ERROR_TIMEOUT,          /* retried */
  PX_PROVIDER_ERROR_BAD_RESPONSE,     /* not the JSON or the image it should be */
  PX_PROVIDER_ERROR_CANCELLED,
  PX_PROVIDER_ERROR_MODEL_RETIRED,    /* the provider no longer serves the model, or not to this account */
  PX_PROVIDER_ERROR_NOT_VERIFIED,     /* the organization must be verified for this model */
  PX_PROVIDER_ERROR_REGION,           /* not offered where the user is */
  PX_PROVIDER_ERROR_BILLING,          /* billing not enabled or not active */
  PX_PROVIDER_ERROR_FREE_TIER,        /* the free tier allows this model nothing (limit 0) */
} PxProviderError;

/* Everything a provider needs to talk to one service for one model. */
typedef struct {
  const PxProviderInfo *info;
  const PxModel        *model;
  const char           *base_url;   /* no trailing slash */
  const char           *api_key;    /* NULL when there is none */
} PxProviderContext;

#define PX_TYPE_PROVIDER (px_provider_get_type ())

G_DECLARE_INTERFACE (PxProvider, px_provider, PX, PROVIDER, GObject)

struct _PxProviderInterface
{
  GTypeInterface parent_iface;

  SoupMessage *(*build_message)  (PxProvider                *self,
                                  const PxProviderContext   *context,
                                  const PxGenerationRequest *request,
                                  GHashTable                *settings,
                                  GError                   **error);
  gboolean     (*parse_response) (PxProvider                *self,
                                  const PxProviderContext   *context,
                                  GBytes                    *body,
                                  PxGenerationResult        *result,
                                  GError                   **error);
  /* A cheap authenticated request (a model list) to test the key and address. */
  SoupMessage *(*build_check_message) (PxProvider           *self,
                                  const PxProviderContext   *context,
                                  GError                   **error);
  GError      *(*map_error)      (PxProvider                *self,
                                  const PxProviderContext   *context,
                                  guint                      status,
                                  SoupMessageHeaders        *headers,
                                  GBytes                    *body,
                                  gint64                    *retry_after_ms);
};

GQuark       px_provider_error_quark       (void);

PxProvider  *px_provider_new_for_wire      (const char                *wire);
SoupMessage *px_provider_build_message     (PxProvider                *self,
                                            const PxProviderContext   *context,
                                            const PxGenerationRequest *request,
                                            GHashTable                *settings,
                                            GError                   **error);
gboolean     px_provider_parse_response    (PxProvider                *self,
                                            const PxProviderContext   *context,
                                            GBytes                    *body,
                                            PxGenerationResult        *result,
                                            GError                   **error);
SoupMessage *px_provider_build_check_message (PxProvider         *self,
                                            const PxProviderContext   *context,
                                            GError                   **error);
SoupMessage *px_provider_new_get_message   (const PxProviderContext   *context,
                                            const char                *url,
                                            GError                   **error);
GError      *px_provider_map_error         (PxProvider                *self,
                                            const PxProviderContext   *context,
                                            guint                      status,
                                            SoupMessageHeaders        *headers,
                                            GBytes                    *body,
                                            gint64                    *retry_after_ms);

/* Helpers shared by the implementations. */
gboolean     px_provider_error_is_retryable (const GError             *error);
gboolean     px_provider_error_is_account_problem (const GError       *error);
gint64       px_provider_parse_duration    (const char                *text);
JsonObject  *px_provider_parse_json_object (GBytes                    *body,
                                            const char                *provider_name,
                                            GError                   **error);
GBytes      *px_provider_decode_base64     (const char                *text,
                                            const char                *provider_name,
                                            GError                   **error);
gint64       px_provider_parse_retry_after (SoupMessageHeaders        *headers);
PxProviderError px_provider_code_for_status (guint                    status);
GError      *px_provider_status_error      (const PxProviderContext   *context,
                                            guint                      status,
                                            int                        code,
                                            const char                *provider_message);
SoupMessage *px_provider_new_json_message  (const PxProviderContext   *context,
                                            const char                *url,
                                            JsonBuilder               *builder,
                                            GError                   **error);
void         px_provider_set_invalid_url_error (const PxProviderContext *context,
                                            GError                   **error);
void         px_provider_scrub_key         (GError                   *error,
                                            const char               *api_key);
char        *px_provider_body_excerpt      (GBytes                    *body);
GError      *px_provider_google_error      (PxProvider                *provider,
                                            const PxProviderContext   *context,
                                            guint                      status,
                                            SoupMessageHeaders        *headers,
                                            GBytes                    *body,
                                            gint64                    *retry_after_ms);

G_END_DECLS
