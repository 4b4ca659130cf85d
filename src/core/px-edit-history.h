/* px-edit-history.h: the Editor's undo and redo: steps of (look, the
 * library image it applies to). Changes that come in a run (a slider's
 * drag, typing) are one step once they rest; an AI edit is a step that
 * changes the image itself, so undo goes back to the picture before it
 * (the AI's answer stays in the library). */
#pragma once

#include "px-edit-look.h"

G_BEGIN_DECLS

typedef struct {
  PxEditLook *look;
  gint64      base_id;    /* the library image the look applies to */
} PxEditStep;

typedef struct _PxEditHistory PxEditHistory;

void           px_edit_step_free         (PxEditStep       *step);
PxEditHistory *px_edit_history_new       (void);
void           px_edit_history_free      (PxEditHistory    *history);
void           px_edit_history_begin     (PxEditHistory    *history,
                                          const PxEditLook *current);
gboolean       px_edit_history_close     (PxEditHistory    *history,
                                          const PxEditLook *current,
                                          gint64            base_id);
void           px_edit_history_push      (PxEditHistory    *history,
                                          const PxEditLook *before,
                                          gint64            base_id);
gboolean       px_edit_history_can_undo  (PxEditHistory    *history);
gboolean       px_edit_history_can_redo  (PxEditHistory    *history);
PxEditStep    *px_edit_history_undo      (PxEditHistory    *history,
                                          const PxEditLook *current,
                                          gint64            base_id);
PxEditStep    *px_edit_history_redo      (PxEditHistory    *history,
                                          const PxEditLook *current,
                                          gint64            base_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxEditStep, px_edit_step_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PxEditHistory, px_edit_history_free)

G_END_DECLS
