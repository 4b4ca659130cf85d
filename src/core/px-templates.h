/* px-templates.h: saved setups (prompt template, model, settings, category)
 * and the built-in feature presets, which are the same thing shipped as
 * data. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PX_TEMPLATES_ERROR (px_templates_error_quark ())
/* A file of templates is text a person wrote or exported: a few kilobytes.
 * Past this, an import stops before parsing. */
#define PX_TEMPLATES_MAX_BYTES (4 * 1024 * 1024)

typedef enum {
  PX_TEMPLATES_ERROR_INVALID,
} PxTemplatesError;

typedef struct {
  gint64      row_id;          /* library row; 0 for a preset or an unsaved one */
  char       *preset_id;       /* built-in id; NULL for the user's */
  char       *name;
  char       *category;
  char       *description;
  char       *feature;         /* what the library records: "meme", "action-figure", … */
  char       *prompt;
  char       *model;           /* NULL: keep the model chosen now */
  GHashTable *settings;        /* name -> value */
  char       *caption_top;     /* memes: drawn over the image, with tokens */
  char       *caption_bottom;
} PxTemplate;

GQuark      px_templates_error_quark  (void);

PxTemplate *px_template_new           (const char        *name,
                                       const char        *prompt);
PxTemplate *px_template_copy          (const PxTemplate  *template_);
void        px_template_free          (PxTemplate        *template_);

GPtrArray  *px_templates_get_presets  (void);
const char * const *px_templates_get_preset_strings (void);
GPtrArray  *px_templates_from_json    (const char        *data,
                                       gssize             length,
                                       GError           **error);
GPtrArray  *px_templates_from_file    (const char        *path,
                                       GError           **error);
char       *px_templates_to_json      (GPtrArray         *templates);
char       *px_template_settings_to_json (const PxTemplate *template_);
void        px_template_set_settings_json (PxTemplate    *template_,
                                       const char        *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxTemplate, px_template_free)

G_END_DECLS
