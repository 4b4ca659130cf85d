/* px-test-engine.h: an engine wired to an in-process fake provider. */
#pragma once

#include "px-engine.h"
#include "px-fake-provider.h"
#include "px-provider.h"

G_BEGIN_DECLS

#define PX_TEST_KEY "sk-test-0123456789abcdef"

PxEngine           *px_test_engine_new (PxFakeProvider       *fake);
PxGenerationResult *px_test_generate   (PxEngine             *engine,
                                        PxGenerationRequest  *request,
                                        GCancellable         *cancellable,
                                        GError              **error);
GBytes             *px_test_png        (int                   width,
                                        int                   height);

G_END_DECLS
