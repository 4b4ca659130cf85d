/* px-provider.c: the provider interface and the pieces every provider
 * shares: JSON and base64 decoding with clear errors, HTTP status to error
 * code, Retry-After. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-a1111-provider.h"
#include "px-gemini-provider.h"
#include "px-imagen-provider.h"
#include "px-openai-provider.h"
#include "px-provider.h"
#include "px-json.h"

G_DEFINE_QUARK (px-provider-error-quark, px_provider_error)

G_DEFINE_INTERFACE (PxProvider, px_provider, G_TYPE_OBJECT)

static void
px_provider_default_init (PxProviderInterface *iface)
{
}

PxProvider *
px_provider_new_for_wire (const char *wire)
{
  if (g_strcmp0 (wire, "openai") == 0)
    return g_object_new (PX_TYPE_OPENAI_PROVIDER, NULL);
  if (g_strcmp0 (wire, "gemini") == 0)
    return g_object_new (PX_TYPE_GEMINI_PROVIDER, NULL);
  if (g_strcmp0 (wire, "imagen") == 0)
    return g_object_new (PX_TYPE_IMAGEN_PROVIDER, NULL);
  if (g_strcmp0 (wire, "a1111") == 0)
    return g_object_new (PX_TYPE_A1111_PROVIDER, NULL);

  return NULL;
}

SoupMessage *
px_provider_build_message (PxProvider                *self,
                           const PxProviderContext   *context,
                           const PxGenerationRequest *request,
                           GHashTable                *settings,
                           GError                   **error)
{
  g_return_val_if_fail (PX_IS_PROVIDER (self), NULL);

  return PX_PROVIDER_GET_IFACE (self)->build_message (self, context, request, settings, error);
}

gboolean
px_provider_parse_response (PxProvider               *self,
                            const PxProviderContext  *context,
                            GBytes                   *body,
                            PxGenerationResult       *result,
                            GError                  **error)
{
  g_return_val_if_fail (PX_IS_PROVIDER (self), FALSE);

  return PX_PROVIDER_GET_IFACE (self)->parse_response (self, context, body, result, error);
}

GError *
px_provider_map_error (PxProvider              *self,
                       const PxProviderContext *context,
                       guint                    status,
                       SoupMessageHeaders      *headers,
                       GBytes                  *body,
                       gint64                  *retry_after_ms)
{
  gint64 ignored;
  GError *error;

  g_return_val_if_fail (PX_IS_PROVIDER (self), NULL);

  /* Callers that do not retry pass NULL. */
  if (retry_after_ms == NULL)
    retry_after_ms = &ignored;
  *retry_after_ms = px_provider_parse_retry_after (headers);
  error = PX_PROVIDER_GET_IFACE (self)->map_error (self, context, status, headers, body, retry_after_ms);
  /* Some services quote the key they were sent. */
  px_provider_scrub_key (error, context->api_key);

  return error;
}

/* Problems with the account, the key or the model that no retry mends and
 * that every further request would meet too: a batch pauses on them. */
gboolean
px_provider_error_is_account_problem (const GError *error)
{
  if (error == NULL || error->domain != PX_PROVIDER_ERROR)
    return FALSE;

  switch (error->code)
    {
    case PX_PROVIDER_ERROR_AUTH:
    case PX_PROVIDER_ERROR_QUOTA:
    case PX_PROVIDER_ERROR_MODEL_RETIRED:
    case PX_PROVIDER_ERROR_NOT_VERIFIED:
    case PX_PROVIDER_ERROR_REGION:
    case PX_PROVIDER_ERROR_BILLING:
    case PX_PROVIDER_ERROR_FREE_TIER:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
px_provider_error_is_retryable (const GError *error)
{
  return error != NULL && error->domain == PX_PROVIDER_ERROR &&
         (error->code == PX_PROVIDER_ERROR_RATE_LIMITED ||
          error->code == PX_PROVIDER_ERROR_SERVER ||
          error->code == PX_PROVIDER_ERROR_NETWORK ||
          error->code == PX_PROVIDER_ERROR_TIMEOUT);
}

/* The first bytes of a body, printable, for messages about bodies that are
 * not what they should be. */
char *
px_provider_body_excerpt (GBytes *body)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const guchar *data;
  gsize size;

  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  for (gsize i = 0; data != NULL && i < size && out->len < 60; i++)
    g_string_append_c (out, g_ascii_isprint (data[i]) ? (char) data[i] : ' ');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

JsonObject *
px_provider_parse_json_object (GBytes      *body,
                               const char  *provider_name,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize size;

  data = g_bytes_get_data (body, &size);
  if (size == 0 ||
      !px_json_load (parser, data, size, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autofree char *excerpt = px_provider_body_excerpt (body);

      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent a response Pixmerge cannot read (%s): “%s”"),
                   provider_name, local_error ? local_error->message : _("not a JSON object"), excerpt);
      return NULL;
    }

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

GBytes *
px_provider_decode_base64 (const char  *text,
                           const char  *provider_name,
                           GError     **error)
{
  gsize len = text != NULL ? strlen (text) : 0;
  guchar *data;
  gsize size;

  /* g_base64_decode() accepts anything; check the alphabet and length so
   * that a truncated or garbled payload is named as such. */
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("+/=\r\n", text[i]) == NULL)
      {
        len = 0;
        break;
      }

  if (len == 0)
    {
      g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                   _("%s sent image data that is not base64."), provider_name);
      return NULL;
    }

  data = g_base64_decode (text, &size);
  return g_bytes_new_take (data, size);
}

/* How long the provider asks us to wait, in ms; -1 when it does not say.
 * OpenAI's retry-after-ms comes first (finer), then Retry-After in seconds
 * or as an HTTP date. Absurd values are the engine's to judge; this only
 * keeps them from overflowing. */
gint64
px_provider_parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value;
  guint64 seconds;

  if (headers == NULL)
    return -1;

  value = soup_message_headers_get_one (headers, "retry-after-ms");
  if (value != NULL)
    {
      char *end = NULL;
      double ms = g_ascii_strtod (value, &end);

      if (end != value && ms >= 0 && ms < 1e12)
        return (gint64) ms;
    }

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return -1;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &seconds, NULL))
    return (gint64) seconds * 1000;

  {
    g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (date != NULL)
      return MAX (0, g_date_time_difference (date, now) / 1000);
  }

  return -1;
}

/* OpenAI's durations in x-ratelimit-reset-*: "12ms", "1s", "6m0s",
 * "1h2m3.5s", and Google's "17s" / "0.5s". Milliseconds, or -1. */
gint64
px_provider_parse_duration (const char *text)
{
  double total = 0;
  const char *p = text;

  if (text == NULL || *text == '\0')
    return -1;

  while (*p != '\0')
    {
      char *end = NULL;
      double value = g_ascii_strtod (p, &end);

      if (end == p || value < 0)
        return -1;
      p = end;
      if (g_str_has_prefix (p, "ms"))
        total += value, p += 2;
      else if (*p == 'h')
        total += value * 3600000, p++;
      else if (*p == 'm')
        total += value * 60000, p++;
      else if (*p == 's')
        total += value * 1000, p++;
      else if (*p == '\0')
        total += value * 1000;   /* a bare number: seconds */
      else
        return -1;
    }

  return total < 1e12 ? (gint64) total : -1;
}

PxProviderError
px_provider_code_for_status (guint status)
{
  switch (status)
    {
    case 401:
    case 403:
      return PX_PROVIDER_ERROR_AUTH;
    case 408:
    case 504:
      return PX_PROVIDER_ERROR_TIMEOUT;
    case 429:
      return PX_PROVIDER_ERROR_RATE_LIMITED;
    default:
      return status >= 500 ? PX_PROVIDER_ERROR_SERVER : PX_PROVIDER_ERROR_INVALID_REQUEST;
    }
}

/* A sentence for the user that says what happened and quotes the
 * provider's own words. code < 0: derive it from the status. */
GError *
px_provider_status_error (const PxProviderContext *context,
                          guint                    status,
                          int                      code,
                          const char              *provider_message)
{
  const char *name = context->info->name;
  g_autofree char *quoted = provider_message != NULL && *provider_message != '\0' ?
                            g_strdup_printf (" “%s”", provider_message) : g_strdup ("");

  if (code < 0)
    code = px_provider_code_for_status (status);

  switch (code)
    {
    case PX_PROVIDER_ERROR_AUTH:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s did not accept the API key (HTTP %u):%s. Update the key in Preferences "
                            "(or with “pixmerge-cli keys set”), then resume."),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_RATE_LIMITED:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s is limiting how fast Pixmerge may send requests (HTTP %u):%s"),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_QUOTA:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("Your %s account has no credit or quota left (HTTP %u):%s. Add credit or raise "
                            "the limit in the account's billing settings, then resume; Pixmerge will not retry."),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_POLICY:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s refused this prompt under its content policy:%s. Try rewording it."),
                          name, quoted);
    case PX_PROVIDER_ERROR_SERVER:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s had a server error (HTTP %u):%s"), name, status, quoted);
    case PX_PROVIDER_ERROR_TIMEOUT:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s took too long to answer (HTTP %u):%s"), name, status, quoted);
    case PX_PROVIDER_ERROR_MODEL_RETIRED:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s no longer serves “%s”, or this account cannot use it (HTTP %u):%s"),
                          name, context->model ? context->model->id : "?", status, quoted);
    case PX_PROVIDER_ERROR_NOT_VERIFIED:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s requires a verified organization for this model (HTTP %u):%s. Verify your "
                            "organization in the provider's account settings, or choose another model."),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_REGION:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s is not available where you are (HTTP %u):%s. Use another provider."),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_BILLING:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s needs billing set up for this key (HTTP %u):%s. Enable billing in your account, "
                            "then resume."),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_FREE_TIER:
      return g_error_new (PX_PROVIDER_ERROR, code,
                          _("%s allows this model nothing on the free tier (HTTP %u):%s. Enable billing for the "
                            "key's project, or choose another model."),
                          name, status, quoted);
    case PX_PROVIDER_ERROR_INVALID_REQUEST:
    default:
      return g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
                          _("%s rejected the request (HTTP %u):%s"), name, status, quoted);
    }
}

void
px_provider_set_invalid_url_error (const PxProviderContext  *context,
                                   GError                  **error)
{
  g_set_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST,
               _("The address of %s, “%s”, is not a valid URL."),
               context->info->name, context->base_url);
}

/* A POST of the builder's JSON to url, or NULL with an error that names the
 * provider's address when it is not a valid URL. */
SoupMessage *
px_provider_build_check_message (PxProvider               *self,
                                 const PxProviderContext  *context,
                                 GError                  **error)
{
  g_return_val_if_fail (PX_IS_PROVIDER (self), NULL);

  return PX_PROVIDER_GET_IFACE (self)->build_check_message (self, context, error);
}

SoupMessage *
px_provider_new_get_message (const PxProviderContext  *context,
                             const char               *url,
                             GError                  **error)
{
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);

  if (message == NULL)
    px_provider_set_invalid_url_error (context, error);
  return message;
}

SoupMessage *
px_provider_new_json_message (const PxProviderContext  *context,
                              const char               *url,
                              JsonBuilder              *builder,
                              GError                  **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  gsize length;
  char *text;

  message = soup_message_new (SOUP_METHOD_POST, url);
  if (message == NULL)
    {
      px_provider_set_invalid_url_error (context, error);
      return NULL;
    }

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (text, length);
  soup_message_set_request_body_from_bytes (message, "application/json", body);

  return message;
}

/* Google's error envelope, shared by the Gemini API and Vertex AI:
 * {"error": {"code", "message", "status", "details": [...]}}. A RetryInfo
 * detail says how long to wait; a per-day quota is not worth retrying; an
 * invalid key comes back as a 400 with reason API_KEY_INVALID. Both Google
 * providers use it as their map_error. */
GError *
px_provider_google_error (PxProvider              *provider,
                          const PxProviderContext *context,
                          guint                    status,
                          SoupMessageHeaders      *headers,
                          GBytes                  *body,
                          gint64                  *retry_after_ms)
{
  g_autoptr(JsonObject) root = px_provider_parse_json_object (body, context->info->name, NULL);
  JsonObject *error = NULL;
  JsonArray *details = NULL;
  const char *message = NULL, *google_status = NULL;
  int code = -1;

  if (root != NULL && json_object_has_member (root, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error")))
    error = json_object_get_object_member (root, "error");

  if (error == NULL)
    {
      g_autofree char *excerpt = px_provider_body_excerpt (body);
      return px_provider_status_error (context, status, -1, excerpt);
    }

  message = px_json_string_member (error, "message", NULL);
  google_status = px_json_string_member (error, "status", NULL);
  if (json_object_has_member (error, "details") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (error, "details")))
    details = json_object_get_array_member (error, "details");

  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonObject *detail = px_json_object_element (details, i);
      const char *type = detail ? px_json_string_member (detail, "@type", "") : "";

      if (g_str_has_suffix (type, "google.rpc.RetryInfo"))
        {
          const char *delay = px_json_string_member (detail, "retryDelay", NULL);

          if (delay != NULL)
            *retry_after_ms = (gint64) (g_ascii_strtod (delay, NULL) * 1000);
        }
      else if (g_str_has_suffix (type, "google.rpc.ErrorInfo"))
        {
          const char *reason = px_json_string_member (detail, "reason", "");

          if (g_str_equal (reason, "API_KEY_INVALID"))
            code = PX_PROVIDER_ERROR_AUTH;
        }
      else if (g_str_has_suffix (type, "google.rpc.QuotaFailure") && status == 429)
        {
          JsonArray *violations = px_json_array_member (detail, "violations");

          for (guint k = 0; violations != NULL && k < json_array_get_length (violations); k++)
            {
              JsonObject *violation = px_json_object_element (violations, k);
              const char *quota = violation ? px_json_string_member (violation, "quotaId", "") : "";
              const char *value = violation ? px_json_string_member (violation, "quotaValue", "") : "";

              if (g_str_equal (value, "0"))
                code = PX_PROVIDER_ERROR_FREE_TIER;
              else if (strstr (quota, "PerDay") != NULL && code < 0)
                code = PX_PROVIDER_ERROR_QUOTA;
            }
        }
    }

  /* The free tier of a model it does not offer for free says so in words
   * ("limit: 0"), with a RetryInfo that no wait would honour. */
  if (status == 429 && message != NULL && strstr (message, "limit: 0") != NULL)
    code = PX_PROVIDER_ERROR_FREE_TIER;
  if (code < 0 && g_strcmp0 (google_status, "FAILED_PRECONDITION") == 0)
    code = message != NULL && strstr (message, "location") != NULL ? PX_PROVIDER_ERROR_REGION
                                                                    : PX_PROVIDER_ERROR_BILLING;
  if (code < 0 && (g_strcmp0 (google_status, "NOT_FOUND") == 0 || status == 404))
    code = PX_PROVIDER_ERROR_MODEL_RETIRED;
  if (code == PX_PROVIDER_ERROR_FREE_TIER || code == PX_PROVIDER_ERROR_QUOTA)
    *retry_after_ms = -1;

  return px_provider_status_error (context, status, code, message);
}

/* Replaces the key wherever a message quotes it (some services echo it
 * back), so it never reaches a toast, a log or the database. */
void
px_provider_scrub_key (GError     *error,
                       const char *api_key)
{
  char *found;

  if (error == NULL || api_key == NULL || strlen (api_key) < 4)
    return;

  while ((found = strstr (error->message, api_key)) != NULL)
    {
      g_autofree char *before = g_strndup (error->message, found - error->message);
      char *replaced = g_strconcat (before, "••••", found + strlen (api_key), NULL);

      g_free (error->message);
      error->message = replaced;
    }
}
