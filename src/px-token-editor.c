/* px-token-editor.c: a GtkTextView in which every token is a chip (a child
 * widget at a GtkTextChildAnchor), not text a user can half-delete. A
 * finished "[NAME]" typed by hand becomes a chip; typing "[" offers the
 * known tokens; chips are dragged in from the token palette or moved
 * within the prompt, and land where they are dropped. The text the rest of
 * Pixmerge sees is the plain template, tokens written out. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-token-editor.h"
#include "px-tokens.h"

#define CHIP_TEXT_KEY "px-token-text"

struct _PxTokenEditor
{
  GtkTextView     parent_instance;

  GtkPopover     *completion;
  GtkListBox     *completion_list;
  GtkDropTarget  *drop_target;
  char          **known;
  char          **missing;
  int             completion_start;   /* char offset of the "[" being completed; -1: none */
  gboolean        converting;
  GPtrArray      *undo;               /* template texts, oldest first; the last is now */
  GPtrArray      *redo;
};

#define MAX_UNDO 100

G_DEFINE_FINAL_TYPE (PxTokenEditor, px_token_editor, GTK_TYPE_TEXT_VIEW)

static void remember (PxTokenEditor *self);

G_DEFINE_BOXED_TYPE (PxTokenDrag, px_token_drag, px_token_drag_copy, px_token_drag_free)

PxTokenDrag *
px_token_drag_new (const char         *text,
                   GtkTextChildAnchor *source)
{
  PxTokenDrag *drag = g_new0 (PxTokenDrag, 1);

  drag->text = g_strdup (text);
  drag->source = source ? g_object_ref (source) : NULL;
  return drag;
}

PxTokenDrag *
px_token_drag_copy (const PxTokenDrag *drag)
{
  return px_token_drag_new (drag->text, drag->source);
}

void
px_token_drag_free (PxTokenDrag *drag)
{
  if (drag == NULL)
    return;
  g_free (drag->text);
  g_clear_object (&drag->source);
  g_free (drag);
}

GtkWidget *
px_token_editor_new (void)
{
  return g_object_new (PX_TYPE_TOKEN_EDITOR, NULL);
}

/* "[COMPANY|Acme]" -> "COMPANY | Acme" for the chip's face. */
static char *
chip_label (const char *token_text)
{
  g_autoptr(GPtrArray) tokens = px_tokens_parse (token_text, NULL);
  PxToken *token;
  g_autoptr(GString) label = NULL;

  if (tokens == NULL || tokens->len != 1)
    return g_strdup (token_text);

  token = g_ptr_array_index (tokens, 0);
  label = g_string_new (token->name);
  if (token->filter == PX_TOKEN_FILTER_UPPER)
    g_string_append (label, ":upper");
  else if (token->filter == PX_TOKEN_FILTER_LOWER)
    g_string_append (label, ":lower");
  else if (token->filter == PX_TOKEN_FILTER_TITLE)
    g_string_append (label, ":title");
  if (token->default_value != NULL)
    g_string_append_printf (label, " | %s", token->default_value);
  return g_string_free (g_steal_pointer (&label), FALSE);
}

static GdkContentProvider *
on_chip_drag_prepare (GtkDragSource *source,
                      double         x,
                      double         y,
                      GtkWidget     *chip)
{
  GtkTextChildAnchor *anchor = g_object_get_data (G_OBJECT (chip), "anchor");
  g_autoptr(PxTokenDrag) drag = NULL;

  if (anchor == NULL || gtk_text_child_anchor_get_deleted (anchor))
    return NULL;

  drag = px_token_drag_new (g_object_get_data (G_OBJECT (anchor), CHIP_TEXT_KEY), anchor);
  return gdk_content_provider_new_typed (PX_TYPE_TOKEN_DRAG, drag);
}

static char *
token_name_of (const char *token_text)
{
  g_autoptr(GPtrArray) tokens = px_tokens_parse (token_text, NULL);

  return tokens != NULL && tokens->len == 1 ? g_strdup (((PxToken *) g_ptr_array_index (tokens, 0))->name) : NULL;
}

static void
style_chip (PxTokenEditor *self,
            GtkWidget     *chip,
            const char    *token_text)
{
  g_autofree char *name = token_name_of (token_text);
  gboolean missing = name != NULL && self->missing != NULL && g_strv_contains ((const char * const *) self->missing, name);

  if (missing)
    gtk_widget_add_css_class (chip, "missing");
  else
    gtk_widget_remove_css_class (chip, "missing");
}

/* A chip for token_text at iter; iter ends up after it. */
static void
insert_chip (PxTokenEditor *self,
             GtkTextIter   *iter,
             const char    *token_text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GtkTextChildAnchor) anchor = gtk_text_child_anchor_new ();
  g_autofree char *label = chip_label (token_text);
  g_autofree char *tooltip = g_strdup_printf (_("Token %s: drag it to move it, delete it like a letter"), token_text);
  g_autofree char *name = g_strndup (token_text + 1, strlen (token_text) - 2);
  g_autofree char *spoken = g_strdup_printf (_("Token %s"), name);
  GtkWidget *chip = gtk_label_new (label);
  GtkDragSource *source = gtk_drag_source_new ();

  /* The text first: inserting the anchor tells listeners the prompt changed. */
  g_object_set_data_full (G_OBJECT (anchor), CHIP_TEXT_KEY, g_strdup (token_text), g_free);
  gtk_text_buffer_insert_child_anchor (buffer, iter, anchor);
  g_object_set_data (G_OBJECT (chip), "anchor", anchor);
  gtk_widget_add_css_class (chip, "px-token");
  gtk_widget_set_tooltip_text (chip, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
  style_chip (self, chip, token_text);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_chip_drag_prepare), chip);
  gtk_widget_add_controller (chip, GTK_EVENT_CONTROLLER (source));

  gtk_text_view_add_child_at_anchor (GTK_TEXT_VIEW (self), chip, anchor);
}

/* The template as text: each chip written out as its token. */
char *
px_token_editor_get_text (PxTokenEditor *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PX_IS_TOKEN_EDITOR (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter); gtk_text_iter_forward_char (&iter))
    {
      GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);

      if (anchor != NULL)
        g_string_append (text, g_object_get_data (G_OBJECT (anchor), CHIP_TEXT_KEY));
      else
        g_string_append_unichar (text, gtk_text_iter_get_char (&iter));
    }
  return g_string_free (text, FALSE);
}

typedef struct {
  int   start;    /* char offsets in the buffer */
  int   end;
  char *text;
} Found;

static void
found_free (Found *found)
{
  g_free (found->text);
  g_free (found);
}

/* Complete tokens typed as text become chips. Runs after each user action,
 * never inside a buffer signal. */
static void
convert_typed_tokens (PxTokenEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) found_free);
  g_autofree char *slice = NULL;
  g_autofree gunichar *chars = NULL;
  GtkTextIter start, end;
  glong n = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  slice = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
  chars = g_utf8_to_ucs4_fast (slice, -1, &n);

  for (glong i = 0; i < n; i++)
    {
      glong close;
      g_autofree char *candidate = NULL;
      g_autoptr(GPtrArray) tokens = NULL;

      if (chars[i] != '[')
        continue;
      if (i + 1 < n && chars[i + 1] == '[')   /* "[[" is a literal bracket */
        {
          i++;
          continue;
        }
      for (close = i + 1; close < n && chars[close] != ']' && chars[close] != '[' && chars[close] != '\n' &&
                          chars[close] != 0xFFFC; close++)
        ;
      if (close >= n || chars[close] != ']')
        continue;
      candidate = g_ucs4_to_utf8 (chars + i, close - i + 1, NULL, NULL, NULL);
      tokens = px_tokens_parse (candidate, NULL);
      if (tokens != NULL && tokens->len == 1 && ((PxToken *) g_ptr_array_index (tokens, 0))->start == 0 &&
          ((PxToken *) g_ptr_array_index (tokens, 0))->end == strlen (candidate))
        {
          Found *f = g_new0 (Found, 1);

          f->start = i;
          f->end = close + 1;
          f->text = g_steal_pointer (&candidate);
          g_ptr_array_add (found, f);
        }
      i = close;
    }

  if (found->len == 0)
    return;

  self->converting = TRUE;
  gtk_text_buffer_begin_user_action (buffer);
  for (guint k = found->len; k > 0; k--)
    {
      Found *f = g_ptr_array_index (found, k - 1);

      gtk_text_buffer_get_iter_at_offset (buffer, &start, f->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, f->end);
      gtk_text_buffer_delete (buffer, &start, &end);
      insert_chip (self, &start, f->text);
    }
  gtk_text_buffer_end_user_action (buffer);
  self->converting = FALSE;
}

void
px_token_editor_set_text (PxTokenEditor *self,
                          const char    *text)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (PX_IS_TOKEN_EDITOR (self));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  self->converting = TRUE;
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  self->converting = FALSE;
  convert_typed_tokens (self);
  /* A step too (undo itself restores the step it is on: no new one). */
  remember (self);
}

/* Like set_text, but one step Ctrl+Z takes back. */
void
px_token_editor_replace_text (PxTokenEditor *self,
                              const char    *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (PX_IS_TOKEN_EDITOR (self));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text ? text : "", -1);
  gtk_text_buffer_end_user_action (buffer);
}

void
px_token_editor_insert_token (PxTokenEditor *self,
                              const char    *token_text)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_if_fail (PX_IS_TOKEN_EDITOR (self));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_buffer_begin_user_action (buffer);
  insert_chip (self, &iter, token_text);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_buffer_end_user_action (buffer);
}

static void
iter_at_point (PxTokenEditor *self,
               double         x,
               double         y,
               GtkTextIter   *iter)
{
  int bx, by, trailing = 0;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y, &bx, &by);
  gtk_text_view_get_iter_at_position (GTK_TEXT_VIEW (self), iter, &trailing, bx, by);
  gtk_text_iter_forward_chars (iter, trailing);
}

/* Puts the dragged token where it was dropped; a chip dragged within the
 * prompt moves (its old place is emptied). */
gboolean
px_token_editor_drop_token (PxTokenEditor     *self,
                            const PxTokenDrag *drag,
                            double             x,
                            double             y)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  GtkTextMark *target;
  g_autofree char *name = NULL;

  g_return_val_if_fail (PX_IS_TOKEN_EDITOR (self), FALSE);

  if (drag == NULL || drag->text == NULL || (name = token_name_of (drag->text)) == NULL)
    return FALSE;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  iter_at_point (self, x, y, &iter);
  target = gtk_text_buffer_create_mark (buffer, NULL, &iter, TRUE);

  gtk_text_buffer_begin_user_action (buffer);
  if (drag->source != NULL && !gtk_text_child_anchor_get_deleted (drag->source))
    {
      GtkTextIter from, to;

      gtk_text_buffer_get_iter_at_child_anchor (buffer, &from, drag->source);
      /* Only a chip of this buffer; dropping a chip on itself changes nothing. */
      if (gtk_text_iter_get_buffer (&from) == buffer)
        {
          to = from;
          gtk_text_iter_forward_char (&to);
          gtk_text_buffer_delete (buffer, &from, &to);
        }
    }
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, target);
  insert_chip (self, &iter, drag->text);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_buffer_end_user_action (buffer);
  gtk_text_buffer_delete_mark (buffer, target);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PxTokenEditor *self)
{
  return px_token_editor_drop_token (self, g_value_get_boxed (value), x, y);
}

guint
px_token_editor_get_n_chips (PxTokenEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter iter;
  guint n = 0;

  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter); gtk_text_iter_forward_char (&iter))
    if (gtk_text_iter_get_child_anchor (&iter) != NULL)
      n++;
  return n;
}

/* ---- completion ---- */

static void
hide_completion (PxTokenEditor *self)
{
  self->completion_start = -1;
  gtk_popover_popdown (self->completion);
}

static void
accept_completion (PxTokenEditor *self,
                   GtkListBoxRow *row)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const char *name;
  g_autofree char *token_text = NULL;
  GtkTextIter start, end;

  if (row == NULL || self->completion_start < 0)
    return;

  name = g_object_get_data (G_OBJECT (row), "token-name");
  token_text = g_strdup_printf ("[%s]", name);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, self->completion_start);
  gtk_text_buffer_get_iter_at_mark (buffer, &end, gtk_text_buffer_get_insert (buffer));
  hide_completion (self);

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  insert_chip (self, &start, token_text);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_end_user_action (buffer);
}

static void
on_completion_activated (GtkListBox    *list,
                         GtkListBoxRow *row,
                         PxTokenEditor *self)
{
  accept_completion (self, row);
}

/* After "[" and letters, offer the known tokens that start with them. */
static void
update_completion (PxTokenEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter cursor, iter;
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_autofree char *upper = NULL;
  GtkWidget *child;
  GdkRectangle rect;
  guint shown = 0;
  int start = -1;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  iter = cursor;
  while (gtk_text_iter_backward_char (&iter))
    {
      gunichar c = gtk_text_iter_get_char (&iter);

      if (c == '[')
        {
          GtkTextIter before = iter;

          /* "[[" is a literal bracket, not a token. */
          if (!gtk_text_iter_backward_char (&before) || gtk_text_iter_get_char (&before) != '[')
            start = gtk_text_iter_get_offset (&iter);
          break;
        }
      if (!(g_unichar_isalnum (c) || c == '_') || gtk_text_iter_get_child_anchor (&iter) != NULL)
        break;
      g_string_prepend_unichar (prefix, c);
    }

  if (start < 0 || self->known == NULL)
    {
      hide_completion (self);
      return;
    }

  upper = g_utf8_strup (prefix->str, -1);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->completion_list))) != NULL)
    gtk_list_box_remove (self->completion_list, child);
  for (guint i = 0; self->known[i] != NULL; i++)
    if (g_str_has_prefix (self->known[i], upper))
      {
        GtkWidget *row = gtk_list_box_row_new ();
        GtkWidget *label = gtk_label_new (self->known[i]);

        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_widget_add_css_class (label, "px-token");
        gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
        g_object_set_data_full (G_OBJECT (row), "token-name", g_strdup (self->known[i]), g_free);
        gtk_list_box_append (self->completion_list, row);
        shown++;
      }
  if (shown == 0)
    {
      hide_completion (self);
      return;
    }

  self->completion_start = start;
  gtk_list_box_select_row (self->completion_list, gtk_list_box_get_row_at_index (self->completion_list, 0));
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self), &cursor, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &rect.x, &rect.y);
  gtk_popover_set_pointing_to (self->completion, &rect);
  gtk_popover_popup (self->completion);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PxTokenEditor         *self)
{
  GtkListBoxRow *row;
  int index;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->completion)))
    return FALSE;

  row = gtk_list_box_get_selected_row (self->completion_list);
  index = row ? gtk_list_box_row_get_index (row) : -1;
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_Up:
      row = gtk_list_box_get_row_at_index (self->completion_list, index + (keyval == GDK_KEY_Down ? 1 : -1));
      if (row != NULL)
        gtk_list_box_select_row (self->completion_list, row);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_Tab:
      accept_completion (self, row);
      return TRUE;
    case GDK_KEY_Escape:
      hide_completion (self);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Undo works on the template text, not on the buffer: GtkTextBuffer's own
 * history brings a deleted chip back as a bare U+FFFC, without its token. */
static void
remember (PxTokenEditor *self)
{
  g_autofree char *text = px_token_editor_get_text (self);

  if (self->undo->len > 0 && g_str_equal (g_ptr_array_index (self->undo, self->undo->len - 1), text))
    return;
  g_ptr_array_add (self->undo, g_steal_pointer (&text));
  if (self->undo->len > MAX_UNDO)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
}

static void
restore (PxTokenEditor *self,
         GPtrArray     *from,
         GPtrArray     *to)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter end;

  if (from == self->undo ? from->len < 2 : from->len == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  g_ptr_array_add (to, g_ptr_array_steal_index (from, from->len - 1));
  if (from == self->redo)
    {
      g_ptr_array_add (self->undo, g_ptr_array_steal_index (to, to->len - 1));
      px_token_editor_set_text (self, g_ptr_array_index (self->undo, self->undo->len - 1));
    }
  else
    px_token_editor_set_text (self, g_ptr_array_index (from, from->len - 1));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxTokenEditor *self = PX_TOKEN_EDITOR (widget);

  restore (self, self->undo, self->redo);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PxTokenEditor *self = PX_TOKEN_EDITOR (widget);

  restore (self, self->redo, self->undo);
}

static void
on_user_action_ended (GtkTextBuffer *buffer,
                      PxTokenEditor *self)
{
  if (self->converting)
    return;
  convert_typed_tokens (self);
  update_completion (self);
  remember (self);
}

void
px_token_editor_set_known_tokens (PxTokenEditor      *self,
                                  const char * const *names)
{
  g_return_if_fail (PX_IS_TOKEN_EDITOR (self));

  g_strfreev (self->known);
  self->known = g_strdupv ((char **) names);
}

/* Chips of tokens that have no value and no default look wrong. */
void
px_token_editor_set_missing (PxTokenEditor      *self,
                             const char * const *names)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_if_fail (PX_IS_TOKEN_EDITOR (self));

  g_strfreev (self->missing);
  self->missing = g_strdupv ((char **) names);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter); gtk_text_iter_forward_char (&iter))
    {
      GtkTextChildAnchor *anchor = gtk_text_iter_get_child_anchor (&iter);
      guint n_widgets = 0;
      g_autofree GtkWidget **widgets = anchor ? gtk_text_child_anchor_get_widgets (anchor, &n_widgets) : NULL;

      for (guint i = 0; i < n_widgets; i++)
        style_chip (self, widgets[i], g_object_get_data (G_OBJECT (anchor), CHIP_TEXT_KEY));
    }
}

GtkPopover *
px_token_editor_get_completion (PxTokenEditor *self)
{
  return self->completion;
}

GtkListBox *
px_token_editor_get_completion_list (PxTokenEditor *self)
{
  return self->completion_list;
}

GtkDropTarget *
px_token_editor_get_drop_target (PxTokenEditor *self)
{
  return self->drop_target;
}

static void
px_token_editor_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  PxTokenEditor *self = PX_TOKEN_EDITOR (widget);

  GTK_WIDGET_CLASS (px_token_editor_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->completion != NULL)
    gtk_popover_present (self->completion);
}

static void
px_token_editor_dispose (GObject *object)
{
  PxTokenEditor *self = PX_TOKEN_EDITOR (object);

  g_clear_pointer ((GtkWidget **) &self->completion, gtk_widget_unparent);
  g_clear_pointer (&self->known, g_strfreev);
  g_clear_pointer (&self->missing, g_strfreev);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);

  G_OBJECT_CLASS (px_token_editor_parent_class)->dispose (object);
}

static void
px_token_editor_class_init (PxTokenEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = px_token_editor_dispose;
  widget_class->size_allocate = px_token_editor_size_allocate;

  /* GtkTextView's own text.undo/text.redo would use the buffer's history. */
  gtk_widget_class_install_action (widget_class, "prompt.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "prompt.redo", NULL, redo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "prompt.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "prompt.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "prompt.redo", NULL);
}

static void
px_token_editor_init (PxTokenEditor *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->completion_start = -1;
  self->undo = g_ptr_array_new_with_free_func (g_free);
  self->redo = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->undo, g_strdup (""));
  gtk_text_buffer_set_enable_undo (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self), GTK_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self), "px-token-editor");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Prompt"), -1);

  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)), "end-user-action",
                    G_CALLBACK (on_user_action_ended), self);

  /* The list of tokens after "[": keyboard focus stays in the prompt. */
  self->completion = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->completion, FALSE);
  gtk_popover_set_has_arrow (self->completion, FALSE);
  gtk_popover_set_position (self->completion, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->completion), GTK_ALIGN_START);
  gtk_widget_set_can_focus (GTK_WIDGET (self->completion), FALSE);
  self->completion_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_can_focus (GTK_WIDGET (self->completion_list), FALSE);
  gtk_list_box_set_activate_on_single_click (self->completion_list, TRUE);
  g_signal_connect (self->completion_list, "row-activated", G_CALLBACK (on_completion_activated), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->completion_list));
  gtk_popover_set_child (self->completion, scroller);
  gtk_widget_set_parent (GTK_WIDGET (self->completion), GTK_WIDGET (self));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  /* Tokens from the palette, or chips moved within the prompt. */
  self->drop_target = gtk_drop_target_new (PX_TYPE_TOKEN_DRAG, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}

/* Ctrl+Z, for code and tests. */
void
px_token_editor_undo (PxTokenEditor *self)
{
  g_return_if_fail (PX_IS_TOKEN_EDITOR (self));

  restore (self, self->undo, self->redo);
}
