/* px-prompt-helper.h: "Improve prompt": a chat model rewrites a prompt,
 * streamed as it arrives; the rewrite must keep every token. */
#pragma once

#include "px-engine.h"

G_BEGIN_DECLS

#define PX_PROMPT_HELPER_ERROR (px_prompt_helper_error_quark ())

typedef enum {
  PX_PROMPT_HELPER_ERROR_NO_TEXT_MODEL,   /* the provider has no chat model we know */
  PX_PROMPT_HELPER_ERROR_TOKENS_CHANGED,  /* the rewrite lost or invented tokens */
  PX_PROMPT_HELPER_ERROR_EMPTY,           /* nothing came back */
} PxPromptHelperError;

#define PX_TYPE_PROMPT_HELPER (px_prompt_helper_get_type ())

G_DECLARE_FINAL_TYPE (PxPromptHelper, px_prompt_helper, PX, PROMPT_HELPER, GObject)

GQuark          px_prompt_helper_error_quark  (void);

PxPromptHelper *px_prompt_helper_new           (PxEngine            *engine);
void            px_prompt_helper_improve_async (PxPromptHelper      *self,
                                                const char          *provider_id,
                                                const char          *prompt,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char           *px_prompt_helper_improve_finish (PxPromptHelper     *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void            px_prompt_helper_get_usage     (PxPromptHelper      *self,
                                                gint64              *input_tokens,
                                                gint64              *output_tokens,
                                                double              *cost);
gboolean        px_prompt_helper_parse_usage   (const char          *line,
                                                gboolean             gemini,
                                                gint64              *input,
                                                gint64              *output);
char           *px_prompt_helper_parse_line    (const char          *line,
                                                gboolean             gemini,
                                                gboolean            *done,
                                                GError             **error);
gboolean        px_prompt_helper_check_tokens  (const char          *original,
                                                const char          *rewrite,
                                                GError             **error);

G_END_DECLS
