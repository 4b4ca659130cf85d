/* fuzz-common.h: what every fuzz target shares. libFuzzer calls
 * LLVMFuzzerTestOneInput with each input; a crash, a sanitizer report, a
 * GLib critical or warning (made fatal here: they mean a type was assumed
 * before it was checked) or a leak is a finding. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A critical or a warning is printed, then abort()ed on: libFuzzer keeps
 * the input that caused it (a GLib breakpoint trap would not be caught). */
static inline GLogWriterOutput
px_fuzz_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

static inline void
px_fuzz_init (void)
{
  g_log_set_writer_func (px_fuzz_log_writer, NULL, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

/* The input as a NUL-terminated string (inputs may hold NULs). */
static inline char *
px_fuzz_string (const uint8_t *data,
                size_t         size)
{
  return g_strndup ((const char *) data, size);
}
