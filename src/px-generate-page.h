/* px-generate-page.h: the Generate page: prompt with tokens, model and
 * settings, generate, results. */
#pragma once

#include <adwaita.h>

#include "px-application.h"
#include "px-token-editor.h"
#include "px-token-palette.h"

G_BEGIN_DECLS

#define PX_TYPE_GENERATE_PAGE (px_generate_page_get_type ())

G_DECLARE_FINAL_TYPE (PxGeneratePage, px_generate_page, PX, GENERATE_PAGE, AdwBin)

void            px_generate_page_set_application (PxGeneratePage       *self,
                                                  PxApplication        *application);
void            px_generate_page_reuse           (PxGeneratePage       *self,
                                                  const PxLibraryImage *image);
gboolean        px_generate_page_select_model    (PxGeneratePage       *self,
                                                  const char           *model_id);
gboolean        px_generate_page_apply_template  (PxGeneratePage       *self,
                                                  const char           *id);
gboolean        px_generate_page_save_template   (PxGeneratePage       *self,
                                                  const char           *name,
                                                  const char           *category,
                                                  GError              **error);
void            px_generate_page_load_sample     (PxGeneratePage       *self);
gboolean        px_generate_page_is_running      (PxGeneratePage       *self);
PxTokenEditor  *px_generate_page_get_editor      (PxGeneratePage       *self);
PxTokenPalette *px_generate_page_get_palette     (PxGeneratePage       *self);
const char     *px_generate_page_get_preview     (PxGeneratePage       *self);
const char     *px_generate_page_get_missing     (PxGeneratePage       *self);
const char     *px_generate_page_get_banner      (PxGeneratePage       *self);
GPtrArray      *px_generate_page_get_saved_templates (PxGeneratePage   *self);
guint           px_generate_page_get_n_results   (PxGeneratePage       *self);
gint64          px_generate_page_get_result_id   (PxGeneratePage       *self,
                                                  guint                 index);

G_END_DECLS
