/* px-http.c: sends a message and reads its answer in pieces, with a limit
 * on the answer's size (after libsoup has decompressed it) and on how long
 * each part of the exchange may take. What comes from a server is not
 * trusted: a bomb, a stall or an endless body ends with an error, in
 * bounded time and memory. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "px-http.h"

#define CHUNK_BYTES (64 * 1024)
#define BLOCK_BYTES (1024 * 1024)

typedef enum {
  PHASE_CONNECT,
  PHASE_HEADERS,
  PHASE_BODY,
} Phase;

typedef struct {
  SoupMessage  *message;
  GInputStream *stream;
  GCancellable *cancellable;   /* ours: the caller's, or a limit, cancels it */
  GCancellable *caller;
  gulong        caller_handler;
  gulong        wrote_handler;
  PxHttpLimits  limits;
  Phase         phase;
  GSource      *phase_timer;
  GSource      *total_timer;
  const char   *timed_out;     /* which limit ended the attempt, or NULL */
  guint         timed_out_ms;
  GPtrArray    *blocks;        /* GByteArray of BLOCK_BYTES, filled in turn */
  gsize         total;
  guint8        buffer[CHUNK_BYTES];
} Send;

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
send_free (Send *send)
{
  clear_source (&send->phase_timer);
  clear_source (&send->total_timer);
  if (send->wrote_handler != 0)
    g_signal_handler_disconnect (send->message, send->wrote_handler);
  if (send->caller_handler != 0)
    g_cancellable_disconnect (send->caller, send->caller_handler);
  g_clear_object (&send->caller);
  g_clear_object (&send->message);
  g_clear_object (&send->stream);
  g_clear_object (&send->cancellable);
  g_ptr_array_unref (send->blocks);
  g_free (send);
}

void
px_http_limits_init (PxHttpLimits *limits)
{
  limits->connect_ms = PX_HTTP_CONNECT_MS;
  limits->headers_ms = PX_HTTP_HEADERS_MS;
  limits->idle_ms = PX_HTTP_IDLE_MS;
  limits->total_ms = PX_HTTP_TOTAL_MS;
}

static gboolean
on_limit (gpointer user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  guint limit_ms;

  if (send->timed_out != NULL)
    return G_SOURCE_REMOVE;

  if (g_main_current_source () == send->total_timer)
    {
      send->timed_out = "total";
      limit_ms = send->limits.total_ms;
    }
  else
    {
      send->timed_out = send->phase == PHASE_CONNECT ? "connect" : send->phase == PHASE_HEADERS ? "headers" : "idle";
      limit_ms = send->phase == PHASE_CONNECT ? send->limits.connect_ms
               : send->phase == PHASE_HEADERS ? send->limits.headers_ms : send->limits.idle_ms;
    }
  send->timed_out_ms = limit_ms;
  g_cancellable_cancel (send->cancellable);

  return G_SOURCE_REMOVE;
}

static GSource *
limit_source (GTask *task,
              guint  ms)
{
  GSource *source;

  if (ms == 0)
    return NULL;
  source = g_timeout_source_new (ms);
  g_source_set_callback (source, on_limit, task, NULL);
  g_source_set_static_name (source, "[pixmerge] http limit");
  g_source_attach (source, g_task_get_context (task));

  return source;
}

/* The phase's own limit starts over: a new phase, or a piece of the body. */
static void
enter_phase (GTask *task,
             Phase  phase)
{
  Send *send = g_task_get_task_data (task);

  send->phase = phase;
  clear_source (&send->phase_timer);
  send->phase_timer = limit_source (task, phase == PHASE_CONNECT ? send->limits.connect_ms
                                        : phase == PHASE_HEADERS ? send->limits.headers_ms : send->limits.idle_ms);
}

static void
on_wrote_headers (SoupMessage *message,
                  GTask       *task)
{
  Send *send = g_task_get_task_data (task);

  if (send->phase == PHASE_CONNECT)
    enter_phase (task, PHASE_HEADERS);
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
fail (GTask  *task,
      GError *error)
{
  Send *send = g_task_get_task_data (task);
  double seconds = send->timed_out_ms / 1000.0;

  if (send->timed_out != NULL && !g_cancellable_is_cancelled (send->caller))
    {
      g_clear_error (&error);
      if (g_str_equal (send->timed_out, "connect"))
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("could not connect within %g s"), seconds);
      else if (g_str_equal (send->timed_out, "headers"))
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("no answer within %g s"), seconds);
      else if (g_str_equal (send->timed_out, "idle"))
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             _("the answer stopped coming for %g s after %zu bytes"),
                             seconds, send->total);
      else
        error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("the exchange took longer than %g s"), seconds);
    }
  g_task_return_error (task, error);
}

/* What came is kept in blocks of a mebibyte, so memory is what came (no
 * buffer per small piece, no copy on growth); the blocks are joined once at
 * the end. */
static void
keep (Send         *send,
      const guint8 *data,
      gsize         size)
{
  send->total += size;
  while (size > 0)
    {
      GByteArray *block = send->blocks->len > 0 ? g_ptr_array_index (send->blocks, send->blocks->len - 1) : NULL;
      gsize room = block != NULL ? BLOCK_BYTES - block->len : 0;

      if (room == 0)
        {
          g_ptr_array_add (send->blocks, g_byte_array_sized_new (BLOCK_BYTES));
          continue;
        }
      g_byte_array_append (block, data, MIN (room, size));
      data += MIN (room, size);
      size -= MIN (room, size);
    }
}

static void
finish (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  guint8 *data = g_malloc (MAX (send->total, 1));
  gsize at = 0;

  clear_source (&send->phase_timer);
  clear_source (&send->total_timer);
  for (guint i = 0; i < send->blocks->len; i++)
    {
      GByteArray *block = g_ptr_array_index (send->blocks, i);

      memcpy (data + at, block->data, block->len);
      at += block->len;
    }
  g_ptr_array_set_size (send->blocks, 0);
  g_task_return_pointer (task, g_bytes_new_take (data, send->total), (GDestroyNotify) g_bytes_unref);
}

static void read_next (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;
  gssize size = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  guint status = soup_message_get_status (send->message);
  gsize cap = SOUP_STATUS_IS_SUCCESSFUL (status) ? PX_HTTP_MAX_BODY_BYTES : PX_HTTP_MAX_ERROR_BODY_BYTES;

  if (size < 0)
    {
      fail (task, error);
      return;
    }
  if (size == 0)
    {
      finish (task);
      return;
    }
  if (send->total + size > cap)
    {
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          /* An error's words are in its first megabyte. */
          keep (send, send->buffer, cap - send->total);
          finish (task);
          return;
        }
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("the answer is larger than %d MB"), PX_HTTP_MAX_BODY_BYTES / (1024 * 1024));
      return;
    }
  keep (send, send->buffer, size);
  enter_phase (task, PHASE_BODY);
  read_next (g_steal_pointer (&task));
}

/* Each piece is read into one buffer, then kept (keep()). */
static void
read_next (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  g_input_stream_read_async (send->stream, send->buffer, CHUNK_BYTES, g_task_get_priority (task),
                             send->cancellable, on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (send->stream == NULL)
    {
      fail (task, error);
      return;
    }
  enter_phase (task, PHASE_BODY);
  read_next (g_steal_pointer (&task));
}

/* Like soup_session_send_and_read_async(), with @limits (NULL: the
 * defaults). A success answer over PX_HTTP_MAX_BODY_BYTES fails with
 * G_IO_ERROR_MESSAGE_TOO_LARGE; an error answer is cut at
 * PX_HTTP_MAX_ERROR_BODY_BYTES; a limit of time fails with
 * G_IO_ERROR_TIMED_OUT saying which. The message's status and headers are
 * there when the answer began. */
void
px_http_send_async (SoupSession         *session,
                    SoupMessage         *message,
                    const PxHttpLimits  *limits,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  Send *send = g_new0 (Send, 1);

  g_task_set_source_tag (task, px_http_send_async);
  g_task_set_name (task, "[pixmerge] http exchange");
  send->message = g_object_ref (message);
  send->cancellable = g_cancellable_new ();
  send->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  if (limits != NULL)
    send->limits = *limits;
  else
    px_http_limits_init (&send->limits);
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);

  if (cancellable != NULL)
    {
      send->caller = g_object_ref (cancellable);
      send->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                    send->cancellable, NULL);
    }
  send->wrote_handler = g_signal_connect (message, "wrote-headers", G_CALLBACK (on_wrote_headers), task);
  send->total_timer = limit_source (task, send->limits.total_ms);
  enter_phase (task, PHASE_CONNECT);

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, send->cancellable, on_sent, task);
}

GBytes *
px_http_send_finish (SoupSession   *session,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
