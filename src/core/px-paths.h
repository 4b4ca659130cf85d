/* px-paths.h: where Pixmerge keeps the user's library, cache and settings files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *px_paths_get_library_dir (void);
void        px_paths_set_library_dir (const char *dir);
const char *px_paths_get_cache_dir   (void);
void        px_paths_init_i18n       (void);

G_END_DECLS
