/* px-application.h: the Pixmerge application object. */
#pragma once

#include <adwaita.h>

#include "px-ai-video-follower.h"
#include "px-engine.h"
#include "px-library.h"
#include "px-provider-batches.h"

G_BEGIN_DECLS

#define PX_TYPE_APPLICATION (px_application_get_type ())

G_DECLARE_FINAL_TYPE (PxApplication, px_application, PX, APPLICATION, AdwApplication)

PxApplication *px_application_new          (const char        *application_id,
                                            GApplicationFlags  flags);
GSettings     *px_application_get_settings (PxApplication     *self);
PxEngine      *px_application_get_engine   (PxApplication     *self);
char          *px_application_help_uri_for (GtkWindow         *window);
PxLibrary     *px_application_get_library  (PxApplication     *self,
                                            const GError     **error);
PxAiVideoFollower *px_application_get_ai_videos (PxApplication *self);
PxProviderBatches *px_application_get_provider_batches (PxApplication *self);
void           px_application_start_demo_async  (PxApplication       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       px_application_start_demo_finish (PxApplication       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
gboolean       px_application_is_demo           (PxApplication       *self);
void           px_application_stop_demo         (PxApplication       *self);

G_END_DECLS
