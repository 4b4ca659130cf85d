/* px-thread.c: background work (library reads and writes, thumbnails, a
 * batch's database thread) runs at a lower CPU priority than the thread
 * that draws the window: on a machine with few cores, a batch writing at
 * full speed must not take the turns the main loop needs for a smooth
 * scroll. Linux keeps a nice value per thread. */
#include "config.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "px-thread.h"

#define BACKGROUND_NICE 10

/* Once per thread; the thread stays lowered for whatever it runs next,
 * which is background work too (GIO's worker threads never draw). */
void
px_thread_yield_to_ui (void)
{
  static GPrivate lowered;

  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (TRUE));
#ifdef SYS_gettid
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), BACKGROUND_NICE);
#endif
}
