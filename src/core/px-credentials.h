/* px-credentials.h: API keys in the Secret Service keyring, and nowhere else. */
#pragma once

#include <gio/gio.h>

#include "px-catalog.h"

G_BEGIN_DECLS

#define PX_CREDENTIALS_ERROR (px_credentials_error_quark ())

typedef enum {
  PX_CREDENTIALS_ERROR_UNAVAILABLE,  /* no keyring reachable, or it is locked */
  PX_CREDENTIALS_ERROR_FAILED,
} PxCredentialsError;

GQuark   px_credentials_error_quark   (void);

void     px_credentials_store_async   (const char          *provider_id,
                                       const char          *provider_name,
                                       const char          *api_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean px_credentials_store_finish  (GAsyncResult        *result,
                                       GError             **error);
void     px_credentials_lookup_async  (const char          *provider_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char    *px_credentials_lookup_finish (GAsyncResult        *result,
                                       GError             **error);
void     px_credentials_clear_async   (const char          *provider_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean px_credentials_clear_finish  (GAsyncResult        *result,
                                       GError             **error);

void     px_credentials_find_async    (const PxProviderInfo *info,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char    *px_credentials_find_finish   (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
