/* px-prompt-helper.c: streams a rewrite of the prompt from OpenAI chat
 * completions or Gemini streamGenerateContent (server-sent events), emits
 * ::text-received for each piece, and refuses a rewrite whose tokens differ
 * from the original's: a lost [FIRSTNAME] would silently break a batch. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-prompt-helper.h"
#include "px-provider.h"
#include "px-tokens.h"
#include "px-http.h"
#include "px-json.h"

#define INSTRUCTIONS \
  "Rewrite the user's image-generation prompt so it is vivid, specific and well composed. " \
  "Keep every token in square brackets, such as [FIRSTNAME] or [COMPANY|Acme], exactly as written, " \
  "and do not add new ones. Answer with the rewritten prompt only."

struct _PxPromptHelper
{
  GObject   parent_instance;

  PxEngine *engine;
  gint64    input_tokens;    /* the last rewrite's, as the provider reported; -1: not reported */
  gint64    output_tokens;
  double    cost;
};

G_DEFINE_FINAL_TYPE (PxPromptHelper, px_prompt_helper, G_TYPE_OBJECT)

G_DEFINE_QUARK (px-prompt-helper-error-quark, px_prompt_helper_error)

enum {
  TEXT_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  PxProviderContext  context;
  PxProvider        *provider;
  char              *base_url;
  char              *api_key;
  char              *prompt;
  gboolean           gemini;
  SoupMessage       *message;
  GDataInputStream  *lines;
  GString           *text;
  gint64             input_tokens;
  gint64             output_tokens;
  GByteArray        *error_body;
  gboolean           done;
  GCancellable      *cancellable;   /* the caller's cancels it, and so does a stall */
  GCancellable      *caller;
  gulong             caller_handler;
  GSource           *limit;
  guint              limit_ms;
  gboolean           timed_out;
} Stream;

/* A rewrite is a prompt: more text than this is not one. */
#define MAX_TEXT_BYTES (64 * 1024)

static void
clear_limit (Stream *stream)
{
  if (stream->limit != NULL)
    {
      g_source_destroy (stream->limit);
      g_clear_pointer (&stream->limit, g_source_unref);
    }
}

static gboolean
on_limit (gpointer user_data)
{
  Stream *stream = user_data;

  stream->timed_out = TRUE;
  g_cancellable_cancel (stream->cancellable);
  return G_SOURCE_REMOVE;
}

/* Until the answer starts, the model may think; once text streams, a
 * pause as long as px-http's idle limit is a stall. */
static void
restart_limit (Stream *stream,
               guint   ms)
{
  clear_limit (stream);
  stream->limit_ms = ms;
  stream->limit = g_timeout_source_new (ms);
  g_source_set_callback (stream->limit, on_limit, stream, NULL);
  g_source_set_static_name (stream->limit, "[pixmerge] prompt helper limit");
  g_source_attach (stream->limit, g_main_context_get_thread_default ());
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

/* @error, or what the stall that caused it was. */
static void
return_error (GTask  *task,
              GError *error)
{
  Stream *stream = g_task_get_task_data (task);

  if (stream->timed_out && !g_cancellable_is_cancelled (stream->caller))
    {
      g_clear_error (&error);
      error = g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT,
                           _("%s stopped answering (nothing for %u s)."), stream->context.info->name,
                           stream->limit_ms / 1000);
    }
  g_task_return_error (task, error);
}

static void
stream_free (Stream *stream)
{
  clear_limit (stream);
  if (stream->caller_handler != 0)
    g_cancellable_disconnect (stream->caller, stream->caller_handler);
  g_clear_object (&stream->caller);
  g_clear_object (&stream->cancellable);
  g_clear_object (&stream->provider);
  g_free (stream->base_url);
  g_free (stream->api_key);
  g_free (stream->prompt);
  g_clear_object (&stream->message);
  g_clear_object (&stream->lines);
  g_string_free (stream->text, TRUE);
  if (stream->error_body != NULL)
    g_byte_array_unref (stream->error_body);
  g_free (stream);
}

PxPromptHelper *
px_prompt_helper_new (PxEngine *engine)
{
  PxPromptHelper *self;

  g_return_val_if_fail (PX_IS_ENGINE (engine), NULL);

  self = g_object_new (PX_TYPE_PROMPT_HELPER, NULL);
  self->engine = g_object_ref (engine);
  return self;
}

static GPtrArray *
token_texts (const char *text)
{
  g_autoptr(GPtrArray) tokens = px_tokens_parse (text, NULL);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; tokens != NULL && i < tokens->len; i++)
    {
      PxToken *token = g_ptr_array_index (tokens, i);
      g_autofree char *raw = g_strndup (text + token->start, token->end - token->start);

      if (!g_ptr_array_find_with_equal_func (texts, raw, g_str_equal, NULL))
        g_ptr_array_add (texts, g_steal_pointer (&raw));
    }
  return texts;
}

static char *
join_tokens (GPtrArray *texts)
{
  g_ptr_array_add (texts, NULL);
  return g_strjoinv (", ", (char **) texts->pdata);
}

/* The rewrite must have each token of the original, written the same way
 * (default and filter included), and no others. */
gboolean
px_prompt_helper_check_tokens (const char  *original,
                               const char  *rewrite,
                               GError     **error)
{
  g_autoptr(GPtrArray) before = token_texts (original);
  g_autoptr(GPtrArray) after = token_texts (rewrite);
  g_autoptr(GPtrArray) lost = g_ptr_array_new ();
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  for (guint i = 0; i < before->len; i++)
    if (!g_ptr_array_find_with_equal_func (after, g_ptr_array_index (before, i), g_str_equal, NULL))
      g_ptr_array_add (lost, g_ptr_array_index (before, i));
  for (guint i = 0; i < after->len; i++)
    if (!g_ptr_array_find_with_equal_func (before, g_ptr_array_index (after, i), g_str_equal, NULL))
      g_ptr_array_add (added, g_ptr_array_index (after, i));

  if (lost->len > 0)
    {
      g_autofree char *names = join_tokens (lost);

      g_set_error (error, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_TOKENS_CHANGED,
                   _("The rewrite lost %s, so it was not used. Keep your prompt, or try again."), names);
      return FALSE;
    }
  if (added->len > 0)
    {
      g_autofree char *names = join_tokens (added);

      g_set_error (error, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_TOKENS_CHANGED,
                   _("The rewrite added %s, which your tokens do not have, so it was not used."), names);
      return FALSE;
    }
  return TRUE;
}

static SoupMessage *
build_message (Stream  *stream,
               GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *url = NULL;
  SoupMessage *message;

  json_builder_begin_object (builder);
  if (stream->gemini)
    {
      json_builder_set_member_name (builder, "systemInstruction");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, INSTRUCTIONS);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "contents");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "user");
      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, stream->prompt);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      url = g_strdup_printf ("%s/v1beta/models/%s:streamGenerateContent?alt=sse",
                             stream->base_url, stream->context.info->text_model);
    }
  else
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, stream->context.info->text_model);
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, TRUE);
      /* OpenAI reports the tokens only when asked (a last chunk with no
       * choices); servers of other makers may not know the option. */
      if (g_strcmp0 (stream->context.info->id, "openai") == 0)
        {
          json_builder_set_member_name (builder, "stream_options");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "include_usage");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "system");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, INSTRUCTIONS);
      json_builder_end_object (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "user");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, stream->prompt);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      url = g_strdup_printf ("%s/chat/completions", stream->base_url);
    }
  json_builder_end_object (builder);

  message = px_provider_new_json_message (&stream->context, url, builder, error);
  if (message == NULL)
    return NULL;

  if (stream->api_key != NULL && stream->gemini)
    soup_message_headers_replace (soup_message_get_request_headers (message), "x-goog-api-key", stream->api_key);
  else if (stream->api_key != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", stream->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "text/event-stream");
  return message;
}

/* The text of one event's JSON, or NULL. */
static const char *
event_text (gboolean    gemini,
            JsonObject *object)
{
  /* Every member is checked for its type: this is network data. */
  if (gemini)
    {
      JsonObject *first = px_json_object_element (px_json_array_member (object, "candidates"), 0);
      JsonArray *parts = px_json_array_member (px_json_object_member (first, "content"), "parts");

      return px_json_string_member (px_json_object_element (parts, 0), "text", NULL);
    }

  /* A usage-only chunk has no choices. */
  return px_json_string_member (px_json_object_member (px_json_object_element (
                                      px_json_array_member (object, "choices"), 0), "delta"), "content", NULL);
}

/* One line of a server-sent event stream, from Gemini (@gemini) or an
 * OpenAI-compatible chat: the text it adds (NULL: none, and no error), or
 * an error when the line is not what such a stream sends. *@done is set at
 * OpenAI's "[DONE]". Blank lines end events and ":" lines are comments;
 * only data lines matter. */
char *
px_prompt_helper_parse_line (const char  *line,
                             gboolean     gemini,
                             gboolean    *done,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data, *text;

  *done = FALSE;
  if (!g_str_has_prefix (line, "data:"))
    return NULL;
  data = line + 5;
  while (*data == ' ')
    data++;
  if (g_str_equal (data, "[DONE]"))
    {
      *done = TRUE;
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!px_json_load (parser, data, -1, &local_error) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                           local_error ? local_error->message : _("an event is not a JSON object"));
      return NULL;
    }
  text = event_text (gemini, json_node_get_object (json_parser_get_root (parser)));

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static void finish (GTask *task);
static void read_next_line (GTask *task);

/* The token counts a line reports (OpenAI's last chunk when usage is asked
 * for; Gemini's usageMetadata, whose last counts are the whole answer's).
 * FALSE when it reports none. */
gboolean
px_prompt_helper_parse_usage (const char *line,
                              gboolean    gemini,
                              gint64     *input,
                              gint64     *output)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object, *usage;
  const char *data;

  if (!g_str_has_prefix (line, "data:"))
    return FALSE;
  data = line + 5;
  while (*data == ' ')
    data++;
  parser = json_parser_new_immutable ();
  if (!px_json_load (parser, data, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  usage = px_json_object_member (object, gemini ? "usageMetadata" : "usage");
  if (usage == NULL)
    return FALSE;
  if (gemini)
    {
      /* Thinking is billed as output. */
      *input = px_json_int_member (usage, "promptTokenCount", 0);
      *output = px_json_int_member (usage, "candidatesTokenCount", 0) + px_json_int_member (usage, "thoughtsTokenCount", 0);
    }
  else
    {
      *input = px_json_int_member (usage, "prompt_tokens", 0);
      *output = px_json_int_member (usage, "completion_tokens", 0);
    }
  return TRUE;
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Stream *stream = g_task_get_task_data (task);
  PxPromptHelper *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  g_autofree char *text = NULL;
  gboolean done;

  if (error != NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }
  restart_limit (stream, PX_HTTP_IDLE_MS);
  if (line == NULL)   /* the end: Gemini's streams just stop */
    {
      finish (task);
      return;
    }

  px_prompt_helper_parse_usage (line, stream->gemini, &stream->input_tokens, &stream->output_tokens);
  text = px_prompt_helper_parse_line (line, stream->gemini, &done, &error);
  if (error != NULL)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                               _("%s sent a stream Pixmerge could not read: %s"), stream->context.info->name,
                               error->message);
      return;
    }
  if (done)
    {
      finish (task);
      return;
    }
  if (text != NULL && stream->text->len + strlen (text) > MAX_TEXT_BYTES)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                               _("%s sent more than %d KB of text for one prompt."), stream->context.info->name,
                               MAX_TEXT_BYTES / 1024);
      return;
    }
  if (text != NULL)
    {
      g_string_append (stream->text, text);
      g_signal_emit (self, signals[TEXT_RECEIVED], 0, text);
    }
  read_next_line (g_steal_pointer (&task));
}

static void
read_next_line (GTask *task)
{
  Stream *stream = g_task_get_task_data (task);

  g_data_input_stream_read_line_async (stream->lines, G_PRIORITY_DEFAULT, stream->cancellable, on_line, task);
}

static void
finish (GTask *task)
{
  Stream *stream = g_task_get_task_data (task);
  PxPromptHelper *self = g_task_get_source_object (task);
  g_autofree char *rewrite = g_strstrip (g_strdup (stream->text->str));
  GError *error = NULL;

  /* What it cost, whatever the text turns out to be: it was answered. */
  self->input_tokens = stream->input_tokens;
  self->output_tokens = stream->output_tokens;
  self->cost = stream->input_tokens >= 0
               ? stream->input_tokens * stream->context.info->text_input_price +
                 stream->output_tokens * stream->context.info->text_output_price
               : 0;

  if (*rewrite == '\0')
    g_task_return_new_error (task, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_EMPTY,
                             _("%s sent back no text."), stream->context.info->name);
  else if (!px_prompt_helper_check_tokens (stream->prompt, rewrite, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&rewrite), g_free);
}

static void
on_error_body (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Stream *stream = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (body != NULL && g_bytes_get_size (body) > 0 && stream->error_body->len < 64 * 1024)
    {
      g_byte_array_append (stream->error_body, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      restart_limit (stream, PX_HTTP_IDLE_MS);
      g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 16 * 1024, G_PRIORITY_DEFAULT,
                                       stream->cancellable, on_error_body, g_steal_pointer (&task));
      return;
    }

  {
    g_autoptr(GBytes) all = g_byte_array_free_to_bytes (g_steal_pointer (&stream->error_body));
    GError *error = px_provider_map_error (stream->provider, &stream->context, soup_message_get_status (stream->message),
                                           soup_message_get_response_headers (stream->message), all, NULL);

    px_provider_scrub_key (error, stream->api_key);
    g_task_return_error (task, error);
  }
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Stream *stream = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK,
                                 _("Could not reach %s: %s"), stream->context.info->name, error->message);
      return;
    }

  restart_limit (stream, PX_HTTP_IDLE_MS);
  if (soup_message_get_status (stream->message) != SOUP_STATUS_OK)
    {
      stream->error_body = g_byte_array_new ();
      g_input_stream_read_bytes_async (body, 16 * 1024, G_PRIORITY_DEFAULT, stream->cancellable,
                                       on_error_body, g_steal_pointer (&task));
      return;
    }

  stream->lines = g_data_input_stream_new (body);
  g_data_input_stream_set_newline_type (stream->lines, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_next_line (g_steal_pointer (&task));
}

void
px_prompt_helper_improve_async (PxPromptHelper      *self,
                                const char          *provider_id,
                                const char          *prompt,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PxCatalog *catalog;
  const PxProviderInfo *info;
  Stream *stream;
  GError *error = NULL;

  g_return_if_fail (PX_IS_PROMPT_HELPER (self));
  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (prompt != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, px_prompt_helper_improve_async);

  catalog = px_engine_get_catalog (self->engine);
  info = px_catalog_lookup_provider (catalog, provider_id);
  if (info == NULL || info->text_model == NULL ||
      !(g_str_equal (info->wire, "openai") || g_str_equal (info->wire, "gemini")))
    {
      g_task_return_new_error (task, PX_PROMPT_HELPER_ERROR, PX_PROMPT_HELPER_ERROR_NO_TEXT_MODEL,
                               _("%s has no text model Pixmerge can ask to improve a prompt; choose an OpenAI or "
                                 "Gemini model."), info ? info->name : provider_id);
      return;
    }

  stream = g_new0 (Stream, 1);
  stream->context.info = info;
  stream->gemini = g_str_equal (info->wire, "gemini");
  stream->provider = px_provider_new_for_wire (info->wire);
  stream->base_url = px_engine_get_base_url (self->engine, provider_id);
  stream->api_key = px_engine_dup_api_key (self->engine, provider_id);
  stream->context.base_url = stream->base_url;
  stream->context.api_key = stream->api_key;
  stream->prompt = g_strdup (prompt);
  stream->text = g_string_new (NULL);
  stream->input_tokens = stream->output_tokens = -1;
  self->input_tokens = self->output_tokens = -1;
  self->cost = 0;
  g_task_set_task_data (task, stream, (GDestroyNotify) stream_free);

  if (info->key_policy == PX_KEY_REQUIRED && stream->api_key == NULL)
    {
      g_task_return_new_error (task, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_AUTH,
                               _("There is no API key for %s. Add one in Preferences."), info->name);
      return;
    }

  stream->message = build_message (stream, &error);
  if (stream->message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stream->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      stream->caller = g_object_ref (cancellable);
      stream->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                      stream->cancellable, NULL);
    }
  restart_limit (stream, PX_HTTP_HEADERS_MS);
  soup_session_send_async (px_engine_get_session (self->engine), stream->message, G_PRIORITY_DEFAULT,
                           stream->cancellable, on_sent, g_steal_pointer (&task));
}

char *
px_prompt_helper_improve_finish (PxPromptHelper  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The last rewrite's token counts (-1: the provider reported none) and
 * what they cost. */
void
px_prompt_helper_get_usage (PxPromptHelper *self,
                            gint64         *input_tokens,
                            gint64         *output_tokens,
                            double         *cost)
{
  g_return_if_fail (PX_IS_PROMPT_HELPER (self));

  *input_tokens = self->input_tokens;
  *output_tokens = self->output_tokens;
  *cost = self->cost;
}

static void
px_prompt_helper_dispose (GObject *object)
{
  g_clear_object (&PX_PROMPT_HELPER (object)->engine);

  G_OBJECT_CLASS (px_prompt_helper_parent_class)->dispose (object);
}

static void
px_prompt_helper_class_init (PxPromptHelperClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = px_prompt_helper_dispose;

  /**
   * PxPromptHelper::text-received:
   * @text: the next piece of the rewrite
   */
  signals[TEXT_RECEIVED] = g_signal_new ("text-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
px_prompt_helper_init (PxPromptHelper *self)
{
}
