/* px-engine.c: the one place that runs generations. A job goes: checks
 * (model, settings, prompt length, key) -> cache (worker thread) -> a slot
 * in its provider's queue -> the provider's rate limit -> HTTP -> parse ->
 * image check -> cost -> cache store.
 *
 * Money decides what is sent again. A request the provider says it did not
 * do (429; a 5xx error answer from a paid provider, which does not bill
 * failed requests; a connection that failed before the request was out) is
 * retried within a small budget. A request whose outcome is unknown (the
 * connection lost or timed out after it was sent, a gateway timeout) may
 * have been charged: it is counted as possibly paid and sent again at most
 * once. A 429 that names a wait is waited out, however many times, up to
 * max_rate_wait in all; the wait holds back the provider's other jobs, and
 * concurrency halves after a 429 and creeps back after clean answers. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-engine-private.h"
#include "px-image-check.h"
#include "px-provider.h"
#include "px-rate-limiter.h"

#define DEFAULT_MAX_RATE_WAIT_MS (10 * 60 * 1000)


typedef enum {
  OUTCOME_NOT_DONE,   /* the provider did nothing: safe to send again */
  OUTCOME_UNKNOWN,    /* sent, and then lost: maybe done, maybe charged */
  OUTCOME_REFUSED,    /* the provider answered; sending again changes nothing */
} Outcome;


typedef struct {
  PxEngine            *engine;
  PxGenerationRequest *request;
  const PxModel       *model;
  ProviderQueue       *queue;
  GHashTable          *settings;
  char                *cache_key;
  char                *base_url;
  char                *api_key;
  SoupMessage         *message;
  GCancellable        *attempt;       /* this send only: cancelled with the task, or by the resend guard */
  gboolean             request_sent;  /* the body went out on this attempt */
  gboolean             resend_stopped;
  gboolean             paced;         /* holds a reservation in the rate limiter */
  guint                attempts;
  guint                unknown_outcomes;
  double               possibly_paid;
  gint64               rate_waited_ms;
  gint64               started_us;
  gboolean             holds_slot;
  guint                wait_source;
  gulong               cancel_handler;
} Job;

G_DEFINE_FINAL_TYPE (PxEngine, px_engine, G_TYPE_OBJECT)

static void job_start (GTask *task);
static void job_send (GTask *task);

static void
job_free (Job *job)
{
  g_clear_object (&job->engine);
  px_generation_request_free (job->request);
  g_clear_pointer (&job->settings, g_hash_table_unref);
  g_free (job->cache_key);
  g_free (job->base_url);
  /* Overwrite the key before freeing: it should not linger in freed memory. */
  if (job->api_key != NULL)
    memset (job->api_key, 0, strlen (job->api_key));
  g_free (job->api_key);
  if (job->message != NULL)
    g_signal_handlers_disconnect_by_data (job->message, job);
  g_clear_object (&job->message);
  g_clear_object (&job->attempt);
  g_free (job);
}

static void
drop_message (Job *job)
{
  if (job->message != NULL)
    g_signal_handlers_disconnect_by_data (job->message, job);
  g_clear_object (&job->message);
  g_clear_object (&job->attempt);
}

PxEngine *
px_engine_new (PxCatalog *catalog)
{
  PxEngine *self;

  g_return_val_if_fail (PX_IS_CATALOG (catalog), NULL);

  self = g_object_new (PX_TYPE_ENGINE, NULL);
  self->catalog = g_object_ref (catalog);

  return self;
}

/* Never let the key reach a message that may be shown or logged. */
static void
scrub_key (Job     *job,
           GError  *error)
{
  px_provider_scrub_key (error, job->api_key);
}

static void
release_slot (Job *job)
{
  ProviderQueue *queue = job->queue;

  if (!job->holds_slot)
    return;

  job->holds_slot = FALSE;
  queue->active--;

  while (queue->active < queue->limit && !g_queue_is_empty (&queue->waiting))
    {
      GTask *next = g_queue_pop_head (&queue->waiting);
      Job *next_job = g_task_get_task_data (next);

      queue->active++;
      next_job->holds_slot = TRUE;
      job_start (next);
      g_object_unref (next);
    }
}

static void
disconnect_cancel (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  if (job->cancel_handler != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), job->cancel_handler);
      job->cancel_handler = 0;
    }
}

static void
job_fail (GTask  *task,
          GError *error)
{
  Job *job = g_task_get_task_data (task);

  if (job->wait_source != 0)
    {
      g_source_remove (job->wait_source);
      job->wait_source = 0;
    }
  disconnect_cancel (task);
  release_slot (job);
  scrub_key (job, error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_CANCELLED,
                              _("The generation was cancelled."));
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  ProviderQueue *queue = job->queue;

  /* Only jobs that are waiting (for a slot or a retry) are ours to end here;
   * a job with a request in flight ends through libsoup's cancellation. */
  if (g_queue_remove (&queue->waiting, task))
    {
      /* The queue's reference */
      g_object_unref (task);
      job_fail (task, cancelled_error ());
    }
  else if (job->wait_source != 0)
    job_fail (task, cancelled_error ());
  else if (job->attempt != NULL)
    g_cancellable_cancel (job->attempt);

  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              GTask        *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  /* May run in whichever thread cancelled, inside the signal emission where
   * disconnecting would deadlock: always continue from a source in the
   * task's context, at default priority: an idle one can wait behind a
   * window's redraws for as long as a progress bar animates. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, on_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static gboolean
on_wait_done (gpointer user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);

  job->wait_source = 0;
  job_send (task);

  return G_SOURCE_REMOVE;
}

static void
job_wait_then_send (GTask  *task,
                    gint64  delay_ms)
{
  Job *job = g_task_get_task_data (task);

  if (delay_ms <= 0)
    {
      job_send (task);
      return;
    }

  job->wait_source = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), on_wait_done, task);
}

/* Takes a slot, then waits for the provider's rate limit. */
static void
job_start (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  ProviderQueue *queue = job->queue;
  gint64 now = g_get_monotonic_time ();
  gint64 wait_us = px_rate_limiter_take (queue->limiter, px_model_get_count (job->model, job->settings), now);
  gint64 at = MAX (now + wait_us, queue->blocked_until_us);

  job->paced = wait_us > 0;
  job_wait_then_send (task, (at - now + 999) / 1000);
}

static gint64
backoff_ms (PxEngine *self,
            guint     attempt)
{
  gint64 delay = (gint64) self->base_backoff_ms << MIN (attempt - 1, 16);

  delay = MIN (delay, (gint64) self->max_backoff_ms);
  /* Full jitter on half the delay keeps many clients from retrying in step. */
  return delay / 2 + g_random_int_range (0, (gint32) MAX (1, delay / 2 + 1));
}

static void
finish_job (GTask              *task,
            PxGenerationResult *result)
{
  Job *job = g_task_get_task_data (task);

  disconnect_cancel (task);
  release_slot (job);
  g_task_return_pointer (task, result, (GDestroyNotify) px_generation_result_free);
  g_object_unref (task);
}

static void
on_stored (GObject      *source,
           GAsyncResult *store,
           gpointer      user_data)
{
  GTask *task = user_data;

  finish_job (task, g_task_propagate_pointer (G_TASK (store), NULL));
}

static void
store_in_thread (GTask        *store,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PxEngine *self = source_object;
  Job *job = task_data;
  PxGenerationResult *result = g_object_get_data (G_OBJECT (store), "result");
  g_autoptr(GError) error = NULL;

  /* A full disk must not fail a generation that worked: the cache is only
   * an optimisation. */
  if (!px_cache_store (self->cache, job->cache_key, result, &error))
    g_debug ("Could not cache a result: %s", error->message);
  g_task_return_pointer (store, result, NULL);
}

/* From the provider's own count where it gives one: the image made, and
 * what was read (a long prompt, the reference images of an edit); else
 * the model's price per image. */
double
px_engine_cost_of (const PxModel            *model,
                   GHashTable               *settings,
                   const PxGenerationResult *result)
{
  if (result->output_tokens >= 0 && model->output_token_price > 0)
    return result->output_tokens * model->output_token_price +
           result->input_text_tokens * model->input_text_token_price +
           result->input_image_tokens * model->input_image_token_price;
  return px_model_price_per_image (model, settings) * result->images->len;
}

static void
job_succeed (GTask              *task,
             PxGenerationResult *result)
{
  Job *job = g_task_get_task_data (task);
  PxEngine *self = job->engine;

  result->provider_id = g_strdup (job->model->provider_id);
  result->model_id = g_strdup (job->model->id);
  result->settings = g_hash_table_ref (job->settings);
  result->attempts = job->attempts;
  result->unknown_outcomes = job->unknown_outcomes;
  result->possibly_paid = job->possibly_paid;
  result->generation_ms = (g_get_monotonic_time () - job->started_us) / 1000;

  if (!result->cached)
    {
      result->cost = px_engine_cost_of (job->model, job->settings, result);

      /* Stored before the caller hears of it, so that the next identical
       * request (or the next run of the command-line tool) finds it. */
      if (self->cache != NULL && job->cache_key != NULL)
        {
          g_autoptr(GTask) store = g_task_new (self, NULL, on_stored, task);

          g_task_set_task_data (store, job, NULL);
          g_object_set_data (G_OBJECT (store), "result", result);
          g_task_run_in_thread (store, store_in_thread);
          return;
        }
    }

  finish_job (task, result);
}

GError *
px_engine_transport_error (const PxProviderInfo *info,
                 const char           *base_url,
                 const GError         *error)
{
  const char *name = info->name;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return cancelled_error ();
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT,
                        _("%s did not answer in time (%s)."), name, error->message);
  if (error->domain == G_TLS_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK,
                        _("Could not make a secure connection to %s at %s: %s"),
                        name, base_url, error->message);

  return g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK,
                      _("Could not reach %s at %s: %s"), name, base_url, error->message);
}

/* What the request would have cost: what a lost one may have cost. */
static double
price_of (Job *job)
{
  return px_model_price_per_image (job->model, job->settings) * px_model_get_count (job->model, job->settings);
}

static char *
format_wait (gint64 ms)
{
  if (ms >= 3600 * 1000)
    return g_strdup_printf (_("%.1f hours"), ms / 3600000.0);
  if (ms >= 120 * 1000)
    return g_strdup_printf (_("%.0f minutes"), ms / 60000.0);
  return g_strdup_printf (_("%.0f seconds"), ms / 1000.0);
}

static void
handle_failure (GTask   *task,
                GError  *error,
                gint64   retry_after_ms,
                Outcome  outcome)
{
  Job *job = g_task_get_task_data (task);
  PxEngine *self = job->engine;
  gboolean retry = FALSE;
  gint64 delay = -1;

  drop_message (job);
  scrub_key (job, error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_clear_error (&error);
      job_fail (task, cancelled_error ());
      return;
    }

  if (outcome == OUTCOME_UNKNOWN)
    {
      job->unknown_outcomes++;
      job->possibly_paid += price_of (job);
    }

  if (g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_RATE_LIMITED) && retry_after_ms >= 0)
    {
      /* The provider named a time: wait it out, as often as it asks, until
       * the waits add up to more than a person would sit through. */
      if (job->rate_waited_ms + retry_after_ms <= self->max_rate_wait_ms)
        {
          job->rate_waited_ms += retry_after_ms;
          retry = TRUE;
          delay = retry_after_ms;
        }
      else
        {
          g_autofree char *wait = format_wait (retry_after_ms);

          g_prefix_error (&error, _("%s asks Pixmerge to wait %s before the next request. "),
                          job->queue->info->name, wait);
        }
    }
  else if (px_provider_error_is_retryable (error) && job->holds_slot && job->attempts < self->max_attempts)
    {
      /* A lost request may have been done and charged: once more at most. */
      retry = outcome == OUTCOME_NOT_DONE || (outcome == OUTCOME_UNKNOWN && job->unknown_outcomes <= 1);
      delay = retry_after_ms >= 0 ? MIN (retry_after_ms, self->max_rate_wait_ms) : backoff_ms (self, job->attempts);
    }

  if (retry)
    {
      ProviderQueue *queue = job->queue;

      /* The provider asked everyone to wait, not just this request. */
      if (error->code == PX_PROVIDER_ERROR_RATE_LIMITED)
        queue->blocked_until_us = MAX (queue->blocked_until_us, g_get_monotonic_time () + delay * 1000);

      if (outcome == OUTCOME_UNKNOWN)
        g_message ("%s: the answer to a request was lost after it was sent, so it may have been charged; "
                   "sending it once more: %s", job->model->id, error->message);
      else
        g_debug ("Retrying %s in %" G_GINT64_FORMAT " ms after attempt %u: %s",
                 job->model->id, delay, job->attempts, error->message);
      g_clear_error (&error);
      job_wait_then_send (task, delay);
      return;
    }

  if (job->attempts > 1 && px_provider_error_is_retryable (error) && !(error->code == PX_PROVIDER_ERROR_RATE_LIMITED && retry_after_ms >= 0))
    g_prefix_error (&error, _("Gave up after %u attempts. "), job->attempts);
  if (g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_MODEL_RETIRED))
    {
      g_autofree char *alternatives = px_catalog_describe_alternatives (self->catalog, job->model);

      if (alternatives != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("%s Choose another model: %s."), error->message, alternatives);

          g_free (error->message);
          error->message = g_steal_pointer (&message);
        }
    }
  if (job->possibly_paid > 0)
    {
      g_autofree char *message = g_strdup_printf (_("%s It may have been charged all the same (up to $%.3f)."),
                                                  error->message, job->possibly_paid);

      g_free (error->message);
      error->message = g_steal_pointer (&message);
    }

  job_fail (task, error);
}

/* JSON, base64 and a full decode of every image: tens of milliseconds for
 * large images, so never on the main thread. */
static void
decode_in_thread (GTask        *decode,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Job *job = task_data;
  GBytes *body = g_object_get_data (G_OBJECT (decode), "body");
  PxProviderContext context = { job->queue->info, job->model, job->base_url, job->api_key };
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  GError *error = NULL;

  if (!px_provider_parse_response (job->queue->provider, &context, body, result, &error))
    {
      g_task_return_error (decode, error);
      return;
    }

  for (guint i = 0; i < result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (result->images, i);

      g_clear_pointer (&image->mime_type, g_free);
      if (!px_image_check (image->bytes, &image->mime_type, &image->width, &image->height, &error))
        {
          g_task_return_error (decode, error);
          return;
        }
    }

  g_task_return_pointer (decode, g_steal_pointer (&result), (GDestroyNotify) px_generation_result_free);
}

static void
run_decoder (gpointer data,
             gpointer user_data)
{
  g_autoptr(GTask) decode = data;

  decode_in_thread (decode, NULL, g_task_get_task_data (decode), NULL);
}

static void
on_decoded (GObject      *source,
            GAsyncResult *decode,
            gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  PxGenerationResult *result = g_task_propagate_pointer (G_TASK (decode), &error);

  if (result != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      drop_message (g_task_get_task_data (task));
      job_succeed (task, result);
      return;
    }

  g_clear_pointer (&result, px_generation_result_free);
  /* The provider answered and charged; what it sent cannot be used. */
  if (!g_error_matches (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_POLICY))
    ((Job *) g_task_get_task_data (task))->possibly_paid += price_of (g_task_get_task_data (task));
  handle_failure (task, error, -1, OUTCOME_REFUSED);
}

/* Whether an HTTP error answer means the provider did nothing. Paid
 * providers do not bill requests that end in an error answer; a gateway
 * timeout means the request may still have run behind the gateway. A local
 * server's 500 is usually out of memory: asking again brings the same. */
static Outcome
outcome_for_status (Job                *job,
                    guint               status,
                    SoupMessageHeaders *headers)
{
  /* OpenAI may say so itself (its SDKs obey the header too). */
  const char *should_retry = soup_message_headers_get_one (headers, "x-should-retry");

  if (g_strcmp0 (should_retry, "false") == 0)
    return OUTCOME_REFUSED;
  if (g_strcmp0 (should_retry, "true") == 0 && status >= 400)
    return OUTCOME_NOT_DONE;
  if (status == 429)
    return OUTCOME_NOT_DONE;
  if (status == 408 || status == 504)
    return OUTCOME_UNKNOWN;
  if (status == 500 && job->queue->info->key_policy != PX_KEY_REQUIRED)
    return OUTCOME_REFUSED;
  if (status >= 500)
    return OUTCOME_NOT_DONE;
  return OUTCOME_REFUSED;
}

static void
on_response (GObject      *source,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  ProviderQueue *queue = job->queue;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 retry_after_ms = -1;
  GError *error;
  guint status;

  body = px_http_send_finish (SOUP_SESSION (source), async_result, &local_error);
  status = soup_message_get_status (job->message);
  if (status != 0)
    px_rate_limiter_learn (queue->limiter, soup_message_get_response_headers (job->message),
                           body != NULL && status >= 200 && status < 300, g_get_monotonic_time ());

  if (body != NULL && status >= 200 && status < 300)
    {
      g_autoptr(GTask) decode = g_task_new (job->engine, NULL, on_decoded, task);

      px_engine_queue_adjust (queue, FALSE);
      /* The provider is done with this request: its slot goes to the next
       * one while we decode. */
      release_slot (job);

      g_task_set_task_data (decode, job, NULL);
      g_object_set_data_full (G_OBJECT (decode), "body", g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      g_thread_pool_push (job->engine->decoders, g_steal_pointer (&decode), NULL);
      return;
    }

  if (body == NULL && job->resend_stopped)
    {
      /* libsoup was about to send the request again on a new connection
       * after the old one died with the request written: our decision. */
      handle_failure (task, g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK,
                                         _("The connection to %s was lost after the request was sent."),
                                         queue->info->name), -1, OUTCOME_UNKNOWN);
      return;
    }

  if (body == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      /* The provider answered (and may bill it); asking again would bring
       * the same flood. */
      job->possibly_paid += price_of (job);
      handle_failure (task, g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_BAD_RESPONSE,
                                         _("%s sent an answer Pixmerge will not read: %s."),
                                         queue->info->name, local_error->message), -1, OUTCOME_REFUSED);
      return;
    }

  if (body == NULL && status != 0 && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The answer had begun: the provider did the work; what failed is the
       * way back. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        error = g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_TIMEOUT,
                             _("%s stopped sending its answer (%s)."), queue->info->name, local_error->message);
      else
        error = g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK,
                             _("The connection to %s was lost while its answer came in: %s"),
                             queue->info->name, local_error->message);
      handle_failure (task, error, -1, OUTCOME_UNKNOWN);
      return;
    }

  if (body == NULL && job->request_sent && local_error->domain == G_IO_ERROR &&
      (local_error->code == G_IO_ERROR_CONNECTION_CLOSED || local_error->code == G_IO_ERROR_PARTIAL_INPUT ||
       local_error->code == G_IO_ERROR_BROKEN_PIPE || local_error->code == G_IO_ERROR_CONNECTION_REFUSED ||
       local_error->code == G_IO_ERROR_FAILED))
    {
      handle_failure (task, g_error_new (PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_NETWORK,
                                         _("The connection to %s was lost after the request was sent: %s"),
                                         queue->info->name, local_error->message), -1, OUTCOME_UNKNOWN);
      return;
    }

  if (body == NULL)
    {
      error = px_engine_transport_error (queue->info, job->base_url, local_error);
      handle_failure (task, error, -1, job->request_sent ? OUTCOME_UNKNOWN : OUTCOME_NOT_DONE);
      return;
    }

  error = px_provider_map_error (queue->provider,
                                 &(PxProviderContext) { queue->info, job->model, job->base_url, job->api_key },
                                 status, soup_message_get_response_headers (job->message),
                                 body, &retry_after_ms);
  if (status == 429)
    {
      px_engine_queue_adjust (queue, TRUE);
      px_rate_limiter_exhausted (queue->limiter, g_get_monotonic_time ());
    }
  handle_failure (task, error, retry_after_ms,
                  outcome_for_status (job, status, soup_message_get_response_headers (job->message)));
}

static void
on_wrote_body (SoupMessage *message,
               Job         *job)
{
  job->request_sent = TRUE;
}

/* libsoup sends a request again by itself when a kept-alive connection
 * turns out dead. Before the request was written that is what we want;
 * after, the provider may have it, and paying twice is ours to decide. */
static void
on_restarted (SoupMessage *message,
              Job         *job)
{
  if (job->request_sent && job->attempt != NULL)
    {
      job->resend_stopped = TRUE;
      g_cancellable_cancel (job->attempt);
    }
}

static void
job_send (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  PxProviderContext context = { job->queue->info, job->model, job->base_url, job->api_key };
  GError *error = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      job_fail (task, cancelled_error ());
      return;
    }

  job->message = px_provider_build_message (job->queue->provider, &context, job->request, job->settings, &error);
  if (job->message == NULL)
    {
      job_fail (task, error);
      return;
    }

  /* libsoup opens a new connection for every POST unless told the request
   * may go over a kept-alive one: a new TLS handshake per image would cost
   * more than the image takes to arrive. The flag also lets libsoup resend
   * on its own; on_restarted() stops that once the request was written. */
  soup_message_add_flags (job->message, SOUP_MESSAGE_IDEMPOTENT);
  g_signal_connect (job->message, "wrote-body", G_CALLBACK (on_wrote_body), job);
  g_signal_connect (job->message, "restarted", G_CALLBACK (on_restarted), job);
  job->request_sent = job->resend_stopped = FALSE;
  job->attempt = g_cancellable_new ();
  if (job->paced)
    px_rate_limiter_sent (job->queue->limiter);
  job->paced = FALSE;

  job->attempts++;
  px_http_send_async (job->engine->session, job->message, &job->engine->http_limits,
                      job->attempt, on_response, task);
}

static void
enqueue (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  ProviderQueue *queue = job->queue;

  if (queue->active < queue->limit)
    {
      queue->active++;
      job->holds_slot = TRUE;
      job_start (task);
    }
  else
    g_queue_push_tail (&queue->waiting, g_object_ref (task));
}

static void
lookup_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PxEngine *self = source_object;
  Job *job = task_data;

  g_task_return_pointer (task, px_cache_lookup (self->cache, job->cache_key),
                         (GDestroyNotify) px_generation_result_free);
}

static void
on_cache_lookup (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  PxGenerationResult *hit = g_task_propagate_pointer (G_TASK (result), NULL);

  if (hit != NULL)
    {
      job_succeed (task, hit);
      return;
    }

  enqueue (task);
}

void
px_engine_generate_async (PxEngine            *self,
                          PxGenerationRequest *request,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  Job *job;
  const PxProviderInfo *info;
  GError *error = NULL;

  g_return_if_fail (PX_IS_ENGINE (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, px_engine_generate_async);
  /* Cancellation is reported as PX_PROVIDER_ERROR_CANCELLED, by us. */
  g_task_set_check_cancellable (task, FALSE);
  job = g_new0 (Job, 1);
  job->engine = g_object_ref (self);
  job->request = request;
  job->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  job->model = px_catalog_lookup_model (self->catalog, request->model_id, &error);
  if (job->model == NULL)
    {
      g_task_return_error (task, px_engine_invalid_request (error));
      g_object_unref (task);
      return;
    }

  info = px_catalog_lookup_provider (self->catalog, job->model->provider_id);
  job->queue = px_engine_get_queue (self, info);
  job->base_url = px_engine_get_base_url (self, info->id);
  if (info->key_policy != PX_KEY_NONE)
    job->api_key = g_strdup (g_hash_table_lookup (self->keys, info->id));

  px_engine_refresh_list_when_old (self, info);
  if (!px_engine_check_request (self, job->model, info, job->request, job->api_key, &job->settings, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (cancellable != NULL)
    job->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);

  if (self->cache != NULL && px_cache_get_ttl (self->cache) > 0 && !request->bypass_cache)
    {
      g_autoptr(GTask) lookup = NULL;

      job->cache_key = px_cache_key (info->id, job->model->id, request->prompt,
                                     job->settings, request->references);
      /* The same image with another mask is another edit. */
      if (request->mask != NULL)
        {
          g_autofree char *plain = job->cache_key;
          g_autofree char *mask = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, request->mask->bytes);
          g_autofree char *both = g_strconcat (plain, ":mask:", mask, NULL);

          job->cache_key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, both, -1);
        }
      lookup = g_task_new (self, NULL, on_cache_lookup, task);
      g_task_set_task_data (lookup, job, NULL);
      g_task_run_in_thread (lookup, lookup_in_thread);
      return;
    }

  enqueue (task);
}

PxGenerationResult *
px_engine_generate_finish (PxEngine      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For a generation that failed: what its lost requests may have cost all
 * the same (0 when every failure was an answer the provider does not bill). */
double
px_engine_generate_get_possibly_paid (PxEngine     *self,
                                      GAsyncResult *result)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  job = g_task_get_task_data (G_TASK (result));
  return job != NULL ? job->possibly_paid : 0;
}

static void
px_engine_dispose (GObject *object)
{
  PxEngine *self = PX_ENGINE (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  /* Lets queued decodes finish: their callbacks hold the jobs. */
  if (self->decoders != NULL)
    g_thread_pool_free (g_steal_pointer (&self->decoders), FALSE, TRUE);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->queues, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_clear_pointer (&self->base_urls, g_hash_table_unref);
  g_clear_pointer (&self->lists_checked, g_hash_table_unref);

  G_OBJECT_CLASS (px_engine_parent_class)->dispose (object);
}

static void
px_engine_class_init (PxEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = px_engine_dispose;
}

static void
px_engine_init (PxEngine *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Pixmerge/%s ", PACKAGE_VERSION);

  /* One session for every provider; TLS certificates are always checked. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 0,   /* px-http's limits instead */
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 16,
                                                 NULL);
  self->queues = px_engine_new_queues ();
  self->lists_checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->base_urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->decoders = g_thread_pool_new (run_decoder, NULL, (int) g_get_num_processors (), FALSE, NULL);
  self->max_attempts = 5;
  self->base_backoff_ms = 1000;
  self->max_backoff_ms = 60000;
  self->max_rate_wait_ms = DEFAULT_MAX_RATE_WAIT_MS;
  px_http_limits_init (&self->http_limits);
}
