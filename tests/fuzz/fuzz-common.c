/* fuzz-common.c: the set-up every fuzz target shares, linked into each. */
#include "config.h"

#include <stdlib.h>

#include "fuzz-common.h"

/* A critical or a warning is printed, then abort()ed on: libFuzzer keeps
 * the input that caused it (a GLib breakpoint trap would not be caught). */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

__attribute__((weak)) void
px_fuzz_target_init (void)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  px_fuzz_target_init ();
  return 0;
}
