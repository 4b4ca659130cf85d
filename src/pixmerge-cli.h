/* pixmerge-cli.h: what the command-line tool's files share. */
#pragma once

#include <gio/gio.h>

#include "px-catalog.h"
#include "px-engine.h"
#include "px-library.h"

G_BEGIN_DECLS

#define EXIT_USAGE 2

int         px_cli_fail              (const char      *format,
                                      ...) G_GNUC_PRINTF (1, 2);
int         px_cli_usage             (GOptionContext  *context,
                                      const char      *message);
gboolean    px_cli_parse_tokens      (char           **pairs,
                                      GHashTable      *tokens,
                                      char           **bad);
PxCatalog  *px_cli_load_catalog      (void);
PxLibrary  *px_cli_open_library      (void);
char       *px_cli_find_key          (const PxProviderInfo *info);
PxEngine   *px_cli_new_engine        (PxCatalog       *catalog,
                                      const PxProviderInfo *info,
                                      const char      *base_url,
                                      guint            concurrency,
                                      guint            rpm);
void        px_cli_on_async_done     (GObject         *source,
                                      GAsyncResult    *result,
                                      gpointer         user_data);
GAsyncResult *px_cli_wait_for        (GAsyncResult   **slot);
GBytes     *px_cli_read_image        (const char      *input,
                                      GError         **error);
int         px_cli_cmd_edit          (int              argc,
                                      char           **argv);
int         px_cli_cmd_batch_edit    (int              argc,
                                      char           **argv);
int         px_cli_run_provider_batch (gint64          id,
                                      PxCatalog       *catalog,
                                      const char      *base_url,
                                      double           poll_seconds);
int         px_cli_poll_provider_batch (gint64         id,
                                      PxCatalog       *catalog,
                                      const char      *base_url);
int         px_cli_cancel_provider_batch (gint64       id,
                                      PxCatalog       *catalog,
                                      const char      *base_url,
                                      double           poll_seconds);
int         px_cli_cmd_batch         (int              argc,
                                      char           **argv);
int         px_cli_cmd_video         (int              argc,
                                      char           **argv);
int         px_cli_cmd_batch_video   (int              argc,
                                      char           **argv);
int         px_cli_cmd_compare       (int              argc,
                                      char           **argv);
int         px_cli_cmd_usage         (int              argc,
                                      char           **argv);
int         px_cli_cmd_budget        (int              argc,
                                      char           **argv);
gboolean    px_cli_budget_allows     (PxLibrary       *library,
                                      const char      *provider);
void        px_cli_budget_notice     (PxLibrary       *library,
                                      const char      *provider);

G_END_DECLS
