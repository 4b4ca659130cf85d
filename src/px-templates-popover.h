/* px-templates-popover.h: the Generate page's templates: the user's own
 * (kept in the library) and the built-in presets, by category. */
#pragma once

#include <gtk/gtk.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_TEMPLATES_POPOVER (px_templates_popover_get_type ())

G_DECLARE_FINAL_TYPE (PxTemplatesPopover, px_templates_popover, PX, TEMPLATES_POPOVER, GtkPopover)

PxTemplatesPopover *px_templates_popover_new         (void);
void                px_templates_popover_set_library (PxTemplatesPopover *self,
                                                      PxLibrary          *library);
const PxTemplate   *px_templates_popover_find        (PxTemplatesPopover *self,
                                                      const char         *id);
GPtrArray          *px_templates_popover_get_saved   (PxTemplatesPopover *self);
void                px_templates_popover_save        (PxTemplatesPopover *self,
                                                      PxTemplate         *template_);

G_END_DECLS
