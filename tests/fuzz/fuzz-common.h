/* fuzz-common.h: what every fuzz target shares. libFuzzer calls
 * LLVMFuzzerTestOneInput with each input; a crash, a sanitizer report, a
 * GLib critical or warning (made fatal here: they mean a type was assumed
 * before it was checked) or a leak is a finding. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* What a target sets up once (fuzz-common.c calls it after the common
 * set-up); a target that needs nothing does not define it. */
void px_fuzz_target_init (void);

/* The input as a NUL-terminated string (inputs may hold NULs). */
static inline char *
px_fuzz_string (const uint8_t *data,
                size_t         size)
{
  return g_strndup ((const char *) data, size);
}
