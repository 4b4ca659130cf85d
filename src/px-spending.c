/* px-spending.c: the budget read on a worker; when it is spent, either a
 * question (Cancel is the default: going over a budget is a choice) or a
 * plain no with the reason. A notice is taken on the library's writer
 * (so it is given once a month) and shown as a notification: the work
 * that reached the budget may be a batch in a window that is not looked
 * at. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-dialog.h"
#include "px-spending.h"
#include "px-usage.h"

typedef struct {
  GtkWidget       *from;
  char            *provider_id;
  gboolean         ask;
  PxSpendingReady  then;
  gboolean         allowed;
  char            *reason;
} Check;

static void
check_free (Check *check)
{
  g_object_unref (check->from);
  g_free (check->provider_id);
  g_free (check->reason);
  g_free (check);
}

static gboolean
read_budget (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Check *check = data;

  check->allowed = px_budget_allows (library, check->provider_id, 0, &check->reason, error);
  return check->allowed || check->reason != NULL;
}

static void
check_closure_free (gpointer  data,
                    GClosure *closure)
{
  check_free (data);
}

static void
on_answered (AdwMessageDialog *dialog,
             const char       *response,
             Check            *check)
{
  check->then (check->from, g_str_equal (response, "go"), check->reason);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Check *check = user_data;
  AdwMessageDialog *dialog;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    /* A budget that cannot be read does not stop the work: say why. */
    check->then (check->from, TRUE, error->message);
  else if (check->allowed || !check->ask)
    check->then (check->from, check->allowed, check->reason);
  else
    {
      dialog = px_dialog_ask (check->from, _("This Month’s Budget Is Spent"), check->reason, NULL, "go",
                              _("_Go Over the Budget"), ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      /* The dialog keeps the check until it is answered. */
      g_signal_connect_data (dialog, "response", G_CALLBACK (on_answered), check, check_closure_free, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  check_free (check);
}

/* Calls @then once it is known whether paid work for @provider_id may
 * start: straight away if the budget allows, after asking if @ask. */
void
px_spending_check (GtkWidget       *from,
                   PxLibrary       *library,
                   const char      *provider_id,
                   gboolean         ask,
                   PxSpendingReady  then)
{
  Check *check;

  if (library == NULL)
    {
      then (from, TRUE, NULL);
      return;
    }
  check = g_new0 (Check, 1);
  check->from = g_object_ref (from);
  check->provider_id = g_strdup (provider_id);
  check->ask = ask;
  check->then = then;
  px_library_read_async (library, read_budget, check, NULL, NULL, on_read, check);
}

/* ---- notices ---- */

typedef struct {
  char  *provider_id;
  guint  level;
  char  *message;
} Notice;

static void
notice_free (Notice *notice)
{
  g_free (notice->provider_id);
  g_free (notice->message);
  g_free (notice);
}

static gboolean
take_notice (PxLibrary     *library,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Notice *notice = data;

  notice->level = px_budget_take_notice (library, notice->provider_id, 0, &notice->message, error);
  return TRUE;
}

/* A budget notice as a desktop notification that opens Analytics. */
void
px_spending_notify (guint       level,
                    const char *message)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL || level == 0)
    return;
  notification = g_notification_new (level >= 100 ? _("This Month’s Budget Is Spent")
                                                  : _("Most of This Month’s Budget Is Spent"));
  g_notification_set_body (notification, message);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "analytics");
  g_application_send_notification (app, "budget", notification);
}

static void
on_noticed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Notice *notice = NULL;

  if (px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &notice, NULL))
    px_spending_notify (notice->level, notice->message);
}

/* After paid work was kept: a notification the first time this month that
 * a budget reaches 80 % and 100 %. */
void
px_spending_notice (PxLibrary  *library,
                    const char *provider_id)
{
  Notice *notice;

  if (library == NULL)
    return;
  notice = g_new0 (Notice, 1);
  notice->provider_id = g_strdup (provider_id);
  px_library_write_async (library, take_notice, notice, (GDestroyNotify) notice_free, NULL, on_noticed, NULL);
}

/* ---- usage noted from the app ---- */

static gboolean
record_event (PxLibrary     *library,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return px_usage_record (library, data, error);
}

static void
event_free (PxUsageEvent *event)
{
  g_free ((char *) event->kind);
  g_free ((char *) event->provider);
  g_free ((char *) event->model);
  g_free ((char *) event->feature);
  g_free (event);
}

static void
on_recorded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    g_warning ("Usage was not noted: %s", error->message);
}

/* @event noted in the library's usage, on its writer (a copy is kept). */
void
px_spending_record (PxLibrary          *library,
                    const PxUsageEvent *event)
{
  PxUsageEvent *copy;

  if (library == NULL)
    return;
  copy = g_memdup2 (event, sizeof *event);
  copy->kind = g_strdup (event->kind);
  copy->provider = g_strdup (event->provider);
  copy->model = g_strdup (event->model);
  copy->feature = g_strdup (event->feature);
  px_library_write_async (library, record_event, copy, (GDestroyNotify) event_free, NULL, on_recorded, NULL);
}

/* A request that failed after it was sent may be charged all the same:
 * noted in the usage (and so against the budget) with what it may cost. */
void
px_spending_record_lost (PxLibrary  *library,
                         const char *provider_id,
                         const char *model_id,
                         const char *feature,
                         double      possibly_paid)
{
  PxUsageEvent event = { .kind = "generation", .provider = provider_id, .model = model_id, .feature = feature,
                         .possibly_paid = possibly_paid };

  if (possibly_paid > 0)
    px_spending_record (library, &event);
}
