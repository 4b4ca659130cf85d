/* px-token-editor.h: the prompt editor, where tokens are chips. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a token drag carries: the token as written ("[COMPANY|Acme]") and,
 * for a chip dragged within the editor, the chip it moves. */
typedef struct {
  char               *text;
  GtkTextChildAnchor *source;
} PxTokenDrag;

#define PX_TYPE_TOKEN_DRAG (px_token_drag_get_type ())

GType        px_token_drag_get_type (void) G_GNUC_CONST;
PxTokenDrag *px_token_drag_new      (const char         *text,
                                     GtkTextChildAnchor *source);
PxTokenDrag *px_token_drag_copy     (const PxTokenDrag  *drag);
void         px_token_drag_free     (PxTokenDrag        *drag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxTokenDrag, px_token_drag_free)

#define PX_TYPE_TOKEN_EDITOR (px_token_editor_get_type ())

G_DECLARE_FINAL_TYPE (PxTokenEditor, px_token_editor, PX, TOKEN_EDITOR, GtkTextView)

GtkWidget     *px_token_editor_new                (void);
char          *px_token_editor_get_text           (PxTokenEditor      *self);
void           px_token_editor_set_text           (PxTokenEditor      *self,
                                                   const char         *text);
void           px_token_editor_replace_text       (PxTokenEditor      *self,
                                                   const char         *text);
void           px_token_editor_set_known_tokens   (PxTokenEditor      *self,
                                                   const char * const *names);
void           px_token_editor_set_missing        (PxTokenEditor      *self,
                                                   const char * const *names);
void           px_token_editor_insert_token       (PxTokenEditor      *self,
                                                   const char         *token_text);
gboolean       px_token_editor_drop_token         (PxTokenEditor      *self,
                                                   const PxTokenDrag  *drag,
                                                   double              x,
                                                   double              y);
void           px_token_editor_undo               (PxTokenEditor      *self);
guint          px_token_editor_get_n_chips        (PxTokenEditor      *self);
GtkPopover    *px_token_editor_get_completion     (PxTokenEditor      *self);
GtkListBox    *px_token_editor_get_completion_list (PxTokenEditor     *self);
GtkDropTarget *px_token_editor_get_drop_target    (PxTokenEditor      *self);

G_END_DECLS
