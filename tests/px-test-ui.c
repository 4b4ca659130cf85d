/* px-test-ui.c: what every UI test and the screenshot tool need: a display
 * check, an application registered like the real one, and ways to wait for
 * a window to be drawn and to find widgets in it. */
#include "config.h"

#include <adwaita.h>

#include "px-paths.h"
#include "px-test-ui.h"
#include "px-video.h"

/* Returns FALSE when there is no display. Under build-aux/test there always
 * is one, and PIXMERGE_TESTS_STRICT turns a missing display into a failure
 * there instead of a silent skip. */
gboolean
px_test_ui_init (void)
{
  px_video_setup_environment ();
  px_paths_init_i18n ();
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
  /* The pages, not the first start's welcome (test-welcome resets it). */
  g_settings_set_boolean (px_application_get_settings (app), "welcome-done", TRUE);

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

/* A notification server on the test's session bus: what the desktop shows,
 * recorded. */

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *path,
                      const char            *interface,
                      const char            *method,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (user_data, g_strdup_printf ("%s: %s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ((GPtrArray *) user_data)->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "pixmerge", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Starts it; the array fills with "summary: body" as notifications come. */
GPtrArray *
px_test_ui_serve_notifications (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
    "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
    "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
    "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
    "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
    "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, &error);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  GPtrArray *notifications = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0], &vtable,
                                     notifications, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  return notifications;
}

/* What a focused widget shows, for the messages: its type, name and text. */
static char *
describe (GtkWidget *widget)
{
  const char *text = NULL;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_EDITABLE (widget))
    text = gtk_editable_get_text (GTK_EDITABLE (widget));
  else if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  if (text == NULL)
    text = gtk_widget_get_tooltip_text (widget);
  return g_strdup_printf ("%s#%s \"%s\"", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
                          text ? text : "");
}

/* Presses Tab in @window from @start until the focus is back on it and
 * checks what a keyboard user relies on: the focus goes round (no trap,
 * at most 150 stops), every stop is drawn inside the window, and it reads
 * the window's way: it goes up only into a column further right, but for
 * once, where the round starts again (stops under @unordered, which may be
 * NULL, are not held to that). Returns the stops in order, the last being
 * @start. */
GPtrArray *
px_test_ui_tab_through (GtkWindow *window,
                        GtkWidget *start,
                        GtkWidget *unordered)
{
  GPtrArray *stops = g_ptr_array_new ();
  graphene_rect_t last = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  gboolean have_last = FALSE;
  guint going_back = 0;
  GtkWidget *focus;

  gtk_widget_grab_focus (start);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == start);
  do
    {
      graphene_rect_t bounds;
      g_autofree char *what = NULL;

      /* GtkWindow wraps at the end by dropping the focus first: a second press. */
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD) ||
                     gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_ptr_array_add (stops, focus);
      what = describe (focus);
      g_assert_true (gtk_widget_compute_bounds (focus, GTK_WIDGET (window), &bounds));
      g_test_message ("Tab %u: %s at %.0f,%.0f %.0fx%.0f", stops->len, what, bounds.origin.x, bounds.origin.y,
                      bounds.size.width, bounds.size.height);
      if (!gtk_widget_is_drawable (focus) || bounds.size.width < 4 || bounds.size.height < 4 ||
          bounds.origin.x < 0 || bounds.origin.y < 0 ||
          bounds.origin.x + bounds.size.width > gtk_widget_get_width (GTK_WIDGET (window)) ||
          (bounds.origin.y > gtk_widget_get_height (GTK_WIDGET (window)) &&
           gtk_widget_get_ancestor (focus, GTK_TYPE_SCROLLED_WINDOW) == NULL))
        g_error ("the focus went to %s, which is not on the screen", what);
      if (unordered == NULL || (focus != unordered && !gtk_widget_is_ancestor (focus, unordered)))
        {
          if (have_last && bounds.origin.y + bounds.size.height <= last.origin.y &&
              bounds.origin.x < last.origin.x + last.size.width / 2 && ++going_back > 1)
            g_error ("the focus went back up to %s, and not where the round starts again", what);
          last = bounds;
          have_last = TRUE;
        }
    }
  while (focus != start && stops->len < 150);
  g_assert_true (focus == start);
  return stops;
}
