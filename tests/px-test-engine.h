/* px-test-engine.h: an engine wired to an in-process fake provider. */
#pragma once

#include "px-engine.h"
#include "px-fake-provider.h"
#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TEST_KEY "test-key-0123456789"

/* A fake provider that wants PX_TEST_KEY and an engine pointed at it. */
typedef struct {
  PxFakeProvider *fake;
  PxEngine       *engine;
} PxTestFixture;

PxEngine           *px_test_engine_new (PxFakeProvider       *fake);
void                px_test_fixture_set_up    (PxTestFixture *f,
                                               gconstpointer  data);
void                px_test_fixture_tear_down (PxTestFixture *f,
                                               gconstpointer  data);
PxGenerationResult *px_test_generate   (PxEngine             *engine,
                                        PxGenerationRequest  *request,
                                        GCancellable         *cancellable,
                                        GError              **error);
void                px_test_store_result (GObject            *source,
                                        GAsyncResult         *result,
                                        gpointer              user_data);
GBytes             *px_test_png        (int                   width,
                                        int                   height);

G_END_DECLS
