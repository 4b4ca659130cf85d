/* px-edit-history.c: two stacks of steps and the start of the run of
 * changes not yet a step. A new step forgets what could be redone. */
#include "config.h"

#include "px-edit-history.h"

struct _PxEditHistory
{
  GPtrArray  *undo;      /* PxEditStep, oldest first */
  GPtrArray  *redo;
  PxEditLook *start;     /* the look before the open run, or NULL */
};

static PxEditStep *
step_new (const PxEditLook *look,
          gint64            base_id)
{
  PxEditStep *step = g_new0 (PxEditStep, 1);

  step->look = px_edit_look_copy (look);
  step->base_id = base_id;
  return step;
}

void
px_edit_step_free (PxEditStep *step)
{
  if (step == NULL)
    return;
  px_edit_look_free (step->look);
  g_free (step);
}

PxEditHistory *
px_edit_history_new (void)
{
  PxEditHistory *history = g_new0 (PxEditHistory, 1);

  history->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) px_edit_step_free);
  history->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) px_edit_step_free);
  return history;
}

void
px_edit_history_free (PxEditHistory *history)
{
  if (history == NULL)
    return;
  g_ptr_array_unref (history->undo);
  g_ptr_array_unref (history->redo);
  px_edit_look_free (history->start);
  g_free (history);
}

/* Before a change: where the run started, if none is open. */
void
px_edit_history_begin (PxEditHistory    *history,
                       const PxEditLook *current)
{
  if (history->start == NULL)
    history->start = px_edit_look_copy (current);
}

/* The open run becomes a step, unless it changed nothing. TRUE if a step
 * was made. */
gboolean
px_edit_history_close (PxEditHistory    *history,
                       const PxEditLook *current,
                       gint64            base_id)
{
  g_autoptr(PxEditLook) start = g_steal_pointer (&history->start);

  if (start == NULL || px_edit_look_equal (start, current))
    return FALSE;
  g_ptr_array_add (history->undo, step_new (start, base_id));
  g_ptr_array_set_size (history->redo, 0);
  return TRUE;
}

/* A step made at once (the picture itself changed): @before on @base_id is
 * what undo goes back to. */
void
px_edit_history_push (PxEditHistory    *history,
                      const PxEditLook *before,
                      gint64            base_id)
{
  g_clear_pointer (&history->start, px_edit_look_free);
  g_ptr_array_add (history->undo, step_new (before, base_id));
  g_ptr_array_set_size (history->redo, 0);
}

gboolean
px_edit_history_can_undo (PxEditHistory *history)
{
  return history->undo->len > 0 || history->start != NULL;
}

gboolean
px_edit_history_can_redo (PxEditHistory *history)
{
  return history->redo->len > 0;
}

static PxEditStep *
move (PxEditHistory    *history,
      GPtrArray        *from,
      GPtrArray        *to,
      const PxEditLook *current,
      gint64            base_id)
{
  px_edit_history_close (history, current, base_id);
  if (from->len == 0)
    return NULL;
  g_ptr_array_add (to, step_new (current, base_id));
  return g_ptr_array_steal_index (from, from->len - 1);
}

/* The step to show instead of (@current, @base_id), which can be redone;
 * NULL: nothing to undo. */
PxEditStep *
px_edit_history_undo (PxEditHistory    *history,
                      const PxEditLook *current,
                      gint64            base_id)
{
  return move (history, history->undo, history->redo, current, base_id);
}

PxEditStep *
px_edit_history_redo (PxEditHistory    *history,
                      const PxEditLook *current,
                      gint64            base_id)
{
  return move (history, history->redo, history->undo, current, base_id);
}
