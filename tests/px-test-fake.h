/* px-test-fake.h: what the UI tests set up before the app starts: a
 * private library folder and the fake provider, found by the app through
 * the environment as `build-aux/run --demo` does. */
#pragma once

#include "px-fake-provider.h"

G_BEGIN_DECLS

char           *px_test_fake_library_dir (const char *name);
PxFakeProvider *px_test_fake_start       (const char *key);
void            px_test_fake_remove_dir  (const char *dir);

G_END_DECLS
