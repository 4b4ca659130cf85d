/* px-generation.h: what one generation asks for and what it gives back. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GBytes *bytes;
  char   *mime_type;
  int     width;
  int     height;
} PxImage;

typedef struct {
  char        *template_prompt;  /* as the user wrote it, with tokens */
  GHashTable  *tokens;           /* upper-case name -> value */
  char        *prompt;           /* resolved and cleaned: what is sent */
  char        *model_id;         /* MODEL or PROVIDER/MODEL */
  GHashTable  *settings;         /* name -> value; defaults filled by the engine */
  GPtrArray   *references;       /* PxImage: reference images for edits */
  PxImage     *mask;             /* OpenAI edits: a PNG whose transparent pixels may change, or NULL */
  gboolean     bypass_cache;     /* "Regenerate": ask the provider again */
} PxGenerationRequest;

typedef struct {
  GPtrArray   *images;           /* PxImage, validated */
  char        *revised_prompt;
  char        *provider_id;
  char        *model_id;
  GHashTable  *settings;         /* every setting, as sent */
  gint64       generation_ms;
  double       cost;             /* dollars; 0 when cached */
  gboolean     cached;
  gint64       output_tokens;    /* from the provider's usage, or -1 */
  gint64       input_text_tokens;  /* the prompt, where usage says (edits are billed for their input) */
  gint64       input_image_tokens; /* the reference images, where usage says */
  char        *provider_metadata; /* JSON the provider reports (seeds, …), or NULL */
  guint        attempts;
  guint        unknown_outcomes;  /* requests lost after they were sent: maybe charged */
  double       possibly_paid;     /* dollars those may have cost, on top of cost */
} PxGenerationResult;

PxImage             *px_image_new                     (GBytes              *bytes,
                                                       const char          *mime_type);
void                 px_image_free                    (PxImage             *image);

PxGenerationRequest *px_generation_request_new        (const char          *model_id,
                                                       const char          *prompt);
void                 px_generation_request_set_template (PxGenerationRequest *request,
                                                       const char          *template_prompt,
                                                       GHashTable          *tokens);
void                 px_generation_request_set_setting (PxGenerationRequest *request,
                                                       const char          *name,
                                                       const char          *value);
void                 px_generation_request_set_mask (PxGenerationRequest *request,
                                                    GBytes              *png);
void                 px_generation_request_add_reference (PxGenerationRequest *request,
                                                       GBytes              *bytes,
                                                       const char          *mime_type);
void                 px_generation_request_free       (PxGenerationRequest *request);

PxGenerationResult  *px_generation_result_new         (void);
void                 px_generation_result_free        (PxGenerationResult  *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxImage, px_image_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxGenerationRequest, px_generation_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxGenerationResult, px_generation_result_free)

G_END_DECLS
