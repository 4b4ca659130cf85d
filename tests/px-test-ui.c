/* px-test-ui.c: what every UI test and the screenshot tool need: a display
 * check, an application registered like the real one, and ways to wait for
 * a window to be drawn and to find widgets in it. */
#include "config.h"

#include <adwaita.h>

#include "px-test-ui.h"
#include "px-video.h"

/* Returns FALSE when there is no display. Under build-aux/test there always
 * is one, and PIXMERGE_TESTS_STRICT turns a missing display into a failure
 * there instead of a silent skip. */
gboolean
px_test_ui_init (void)
{
  px_video_setup_environment ();
  if (!gtk_init_check ())
    {
      if (g_getenv ("PIXMERGE_TESTS_STRICT") != NULL)
        g_error ("No display, but PIXMERGE_TESTS_STRICT is set: run the tests with build-aux/test");
      return FALSE;
    }

  adw_init ();
  /* Every UI test proves the window never waits for the library: a library
   * call made on the main loop aborts the test. */
  px_library_set_main_thread_guard (TRUE);
  return TRUE;
}

/* The real application class, registered non-unique so tests never talk to
 * (or become) a running Pixmerge. Registering runs startup: settings,
 * actions and accelerators are set up exactly as in the app. */
PxApplication *
px_test_ui_application (void)
{
  g_autoptr(GError) error = NULL;
  PxApplication *app;

  app = px_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Could not register the application: %s", error->message);
  /* The tests count the requests they make: no background model lists. */
  px_engine_set_refresh_model_lists (px_application_get_engine (app), FALSE);

  return app;
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
px_test_ui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Waits until the widget's surface has painted a frame, then lets the main
 * loop run for settle_ms more so late layout and texture loads land. */
gboolean
px_test_ui_wait_for_draw (GtkWidget *widget,
                          guint      settle_ms)
{
  gboolean painted = FALSE;
  gboolean timed_out = FALSE;
  GdkFrameClock *clock;
  gulong handler;
  guint timeout;

  timeout = g_timeout_add_seconds (20, on_timeout, &timed_out);
  while (!gtk_widget_get_mapped (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    return FALSE;

  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  while (!painted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);

  if (timed_out)
    return FALSE;
  g_source_remove (timeout);

  if (settle_ms > 0)
    px_test_ui_spin (settle_ms);

  return TRUE;
}

GtkWidget *
px_test_ui_find_by_name (GtkWidget  *root,
                         GType       type,
                         const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = px_test_ui_find_by_name (child, type, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
px_test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

/* Spins the main loop until done (data) or 30 s; whether it got done. The
 * library answers on its own threads: tests wait for what a user would see. */
gboolean
px_test_ui_wait_until (gboolean (*done) (gpointer data),
                       gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    px_test_ui_spin (10);
  return done (data);
}

typedef struct {
  GListModel *model;
  guint       n;
} Count;

static gboolean
has_n_items (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (count->model) == count->n;
}

/* Waits until model has n items (a count read off the main thread). */
gboolean
px_test_ui_wait_for_n_items (GListModel *model,
                             guint       n)
{
  Count count = { model, n };

  return px_test_ui_wait_until (has_n_items, &count);
}
