/* px-application.c: the application object. Owns the settings, the app-wide
 * actions (preferences, help, about, quit) and their keyboard shortcuts, and
 * keeps Pixmerge single-instance. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "px-a11y.h"
#include "px-ai-video-follower.h"
#include "px-application.h"
#include "px-cache.h"
#include "px-demo.h"
#include "px-editor-window.h"
#include "px-image-window.h"
#include "px-model-list.h"
#include "px-paths.h"
#include "px-preferences-window.h"
#include "px-video-dialog.h"
#include "px-video-window.h"
#include "px-window.h"

struct _PxApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  PxLibrary      *library;
  GError         *library_error;
  gboolean        opening_library;
  PxEngine       *engine;
  PxCache        *cache;
  PxAiVideoFollower *ai_videos;
  PxProviderBatches *provider_batches;
  PxDemo         *demo;          /* running: every provider is the demo one */
  GPtrArray      *pending_files; /* opened before the first window */
};

G_DEFINE_FINAL_TYPE (PxApplication, px_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PxApplication *
px_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (PX_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", APP_PATH,
                       NULL);
}

GSettings *
px_application_get_settings (PxApplication *self)
{
  g_return_val_if_fail (PX_IS_APPLICATION (self), NULL);

  return self->settings;
}

static gboolean
purge_leftover_trash (PxLibrary     *library,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return px_library_purge_trash (library, error);
}

static void
on_leftover_trash_purged (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!px_library_run_finish (PX_LIBRARY (source), result, NULL, &error))
    g_warning ("The trash left from the last run could not be emptied: %s", error->message);
}

/* A provider's video ended: the library changed, and the user hears of
 * it even with the window that asked long closed. */
static void
on_ai_video_finished (PxApplication *self,
                      gint64         job_id,
                      gint64         video_id,
                      const GError  *error)
{
  g_autoptr(GNotification) notification = g_notification_new (video_id > 0 ? _("Your video is ready")
                                                                           : _("The video could not be made"));
  g_autofree char *id = g_strdup_printf ("ai-video-%" PRId64, job_id);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  g_notification_set_body (notification, video_id > 0 ? _("It is in the Gallery, under Videos.")
                                                       : error ? error->message : NULL);
  g_notification_set_default_action (notification, "app.show-videos");
  g_application_send_notification (G_APPLICATION (self), id, notification);
  for (GList *l = windows; l != NULL; l = l->next)
    if (PX_IS_WINDOW (l->data))
      gtk_widget_activate_action (GTK_WIDGET (l->data), "win.library-changed", NULL);
}

/* Starts and follows the videos providers make; NULL without a library. */
PxAiVideoFollower *
px_application_get_ai_videos (PxApplication *self)
{
  g_return_val_if_fail (PX_IS_APPLICATION (self), NULL);

  if (self->ai_videos == NULL && px_application_get_library (self, NULL) != NULL)
    {
      self->ai_videos = px_ai_video_follower_new (px_application_get_engine (self), self->library);
      g_signal_connect_object (self->ai_videos, "finished", G_CALLBACK (on_ai_video_finished), self,
                               G_CONNECT_SWAPPED);
      /* What the last run left running at the provider. */
      px_ai_video_follower_resume (self->ai_videos);
    }
  return self->ai_videos;
}

/* A batch at a provider's batch engine ended (or stopped with a problem):
 * the library changed, and the user hears of it, window open or not. */
static void
on_provider_batch_finished (PxApplication *self,
                            gint64         batch_id,
                            const GError  *error)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = g_strdup_printf ("provider-batch-%" PRId64, batch_id);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (PX_IS_WINDOW (l->data))
      gtk_widget_activate_action (GTK_WIDGET (l->data), "win.library-changed", NULL);
  /* Stopped on purpose (the window closed, Pause): nothing to tell. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  notification = g_notification_new (error == NULL ? _("Provider batch finished")
                                                   : _("A provider batch needs attention"));
  g_notification_set_body (notification, error == NULL ? _("Its images are in the Gallery.") : error->message);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "batch");
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* Follows the batches handed to providers' batch engines; NULL without a
 * library. The first call picks up what the last run left waiting. */
PxProviderBatches *
px_application_get_provider_batches (PxApplication *self)
{
  g_return_val_if_fail (PX_IS_APPLICATION (self), NULL);

  if (self->provider_batches == NULL && px_application_get_library (self, NULL) != NULL)
    {
      self->provider_batches = px_provider_batches_new (px_application_get_engine (self), self->library);
      g_signal_connect_object (self->provider_batches, "finished", G_CALLBACK (on_provider_batch_finished), self,
                               G_CONNECT_SWAPPED);
      px_provider_batches_resume (self->provider_batches);
    }
  return self->provider_batches;
}

static void
take_library (PxApplication *self,
              PxLibrary     *library,
              GError        *error)
{
  self->library = library;
  self->library_error = error;
  /* What the last run left in the trash (deleted, and the app quit before
   * the Undo went away): gone now, on the library's writer thread. */
  if (library != NULL)
    px_library_write_async (library, purge_leftover_trash, NULL, NULL, NULL, on_leftover_trash_purged, NULL);
}

/* The library; NULL with the reason when it cannot be opened (a damaged or
 * too-new database), which the Gallery shows. The app opens it off the main
 * thread before its first window (px_application_open_library_async);
 * tests and tools that call this first open it here. */
PxLibrary *
px_application_get_library (PxApplication  *self,
                            const GError  **error)
{
  g_return_val_if_fail (PX_IS_APPLICATION (self), NULL);

  if (self->library == NULL && self->library_error == NULL)
    {
      GError *open_error = NULL;
      PxLibrary *library = px_library_open (px_paths_get_library_dir (), &open_error);

      take_library (self, library, open_error);
    }

  if (error != NULL)
    *error = self->library_error;
  return self->library;
}

static void
open_library_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  PxLibrary *library = px_library_open (task_data, &error);

  if (library != NULL)
    g_task_return_pointer (task, library, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_library_opened (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PxApplication *self = PX_APPLICATION (source);
  GError *error = NULL;
  PxLibrary *library = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->library == NULL && self->library_error == NULL)
    take_library (self, library, error);
  else
    {
      g_clear_object (&library);
      g_clear_error (&error);
    }
  g_application_release (G_APPLICATION (self));
  g_application_activate (G_APPLICATION (self));
}

static void
px_application_open_library_async (PxApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_library_opened, NULL);

  g_application_hold (G_APPLICATION (self));
  g_task_set_task_data (task, g_strdup (px_paths_get_library_dir ()), g_free);
  g_task_run_in_thread (task, open_library_in_thread);
}

static void
apply_settings (PxApplication *self)
{
  PxCatalog *catalog = px_engine_get_catalog (self->engine);
  GPtrArray *providers = px_catalog_get_providers (catalog);
  g_autoptr(GVariant) urls = g_settings_get_value (self->settings, "base-urls");
  g_autoptr(GVariant) limits = g_settings_get_value (self->settings, "provider-limits");

  for (guint i = 0; i < providers->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (providers, i);
      const char *url = NULL;
      int concurrency = 0, rpm = 0;

      /* 0: Automatic. The engine paces by what the provider says. */
      g_variant_lookup (limits, info->id, "(ii)", &concurrency, &rpm);
      px_engine_set_limits (self->engine, info->id, MAX (0, concurrency), MAX (0, rpm));
      g_variant_lookup (urls, info->id, "&s", &url);
      px_engine_set_base_url (self->engine, info->id, url);
    }
  px_cache_set_ttl (self->cache, g_settings_get_int (self->settings, "cache-ttl-minutes") * 60);
  /* The demo, while it runs, wins over every address set. */
  if (self->demo != NULL)
    px_demo_apply (self->demo, self->engine);
}

static void
on_demo_started (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PxApplication *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!px_demo_start_finish (PX_DEMO (source), result, &error))
    {
      if (self->demo == PX_DEMO (source))
        g_clear_object (&self->demo);
      g_task_return_error (task, error);
      return;
    }
  if (self->demo == PX_DEMO (source))
    {
      px_demo_apply (self->demo, px_application_get_engine (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
  g_task_return_boolean (task, TRUE);
}

/* "Try Without a Key": starts the bundled demo provider and sends every
 * provider's requests to it, with a demo key held in memory only. */
void
px_application_start_demo_async (PxApplication       *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (PX_IS_APPLICATION (self));

  if (self->demo == NULL)
    self->demo = px_demo_new ();
  px_demo_start_async (self->demo, cancellable, on_demo_started, task);
}

gboolean
px_application_start_demo_finish (PxApplication  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
px_application_is_demo (PxApplication *self)
{
  g_return_val_if_fail (PX_IS_APPLICATION (self), FALSE);

  return self->demo != NULL && px_demo_get_url (self->demo) != NULL;
}

/* Back to the real providers: the settings' addresses, and the keys found
 * again in the keyring when next needed. */
void
px_application_stop_demo (PxApplication *self)
{
  GPtrArray *providers;

  g_return_if_fail (PX_IS_APPLICATION (self));

  if (self->demo == NULL)
    return;
  g_clear_object (&self->demo);
  if (self->engine != NULL)
    {
      providers = px_catalog_get_providers (px_engine_get_catalog (self->engine));
      for (guint i = 0; i < providers->len; i++)
        px_engine_set_api_key (self->engine, ((const PxProviderInfo *) g_ptr_array_index (providers, i))->id, NULL);
      apply_settings (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

/* The engine, made on first use with the settings applied (and kept in
 * step with them). Keys are added by whoever finds them: see
 * px_credentials_find_async(). */
PxEngine *
px_application_get_engine (PxApplication *self)
{
  g_return_val_if_fail (PX_IS_APPLICATION (self), NULL);

  if (self->engine == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PxCatalog) catalog = px_catalog_new_default (&error);
      g_autofree char *cache_dir = g_build_filename (px_paths_get_cache_dir (), "responses", NULL);

      /* A broken list of the user's own models: say so, use the built-in one. */
      if (catalog == NULL)
        {
          g_warning ("%s", error->message);
          g_clear_error (&error);
          catalog = px_catalog_new_builtin (&error);
          g_assert_no_error (error);
        }
      self->engine = px_engine_new (catalog);
      /* The providers' own lists: last time's now (a few small files, read
       * before the first page lists the models), a new one once a day. */
      px_engine_set_refresh_model_lists (self->engine, TRUE);
      px_model_list_merge_cached (catalog);
      self->cache = px_cache_new (cache_dir, 0);
      px_engine_set_cache (self->engine, self->cache);
      apply_settings (self);
      /* Only the keys it reads: the pages save their state often. */
      g_signal_connect_object (self->settings, "changed::provider-limits", G_CALLBACK (apply_settings), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::base-urls", G_CALLBACK (apply_settings), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::cache-ttl-minutes", G_CALLBACK (apply_settings), self,
                               G_CONNECT_SWAPPED);
    }
  return self->engine;
}

static void
px_application_activate (GApplication *app)
{
  PxApplication *self = PX_APPLICATION (app);
  GtkWindow *window;

  /* The first window comes when the library is open: opening (and
   * migrating) reads the disk, never on the main loop. */
  if (self->library == NULL && self->library_error == NULL)
    {
      if (!self->opening_library)
        {
          self->opening_library = TRUE;
          px_application_open_library_async (self);
        }
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (px_window_new (PX_APPLICATION (app)));

  gtk_window_present (window);
  if (self->pending_files != NULL && self->pending_files->len > 0)
    {
      g_autoptr(GPtrArray) files = g_steal_pointer (&self->pending_files);

      px_window_open_files (PX_WINDOW (window), (GFile **) files->pdata, (int) files->len);
    }
  /* Videos a provider was still making when Pixmerge last quit, and
   * batches still at a provider's batch engine. */
  px_application_get_ai_videos (self);
  px_application_get_provider_batches (self);
}

/* Files from the file manager or the command line: handled by the window,
 * once there is one (the library opens first). */
static void
px_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  PxApplication *self = PX_APPLICATION (app);

  if (self->pending_files == NULL)
    self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (self->pending_files, g_object_ref (files[i]));
  g_application_activate (app);
}

static int
px_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "Pixmerge", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing (not destroying) lets each window save its state and, later,
   * ask before it stops running work. The application exits with its last
   * window. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

/* Preferences, on @page ("providers" from the welcome and the demo) or
 * the first. */
static void
open_preferences (PxApplication *self,
                  const char    *page)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PxPreferencesWindow *prefs;

  prefs = px_preferences_window_new (self->settings, px_application_get_engine (self));
  px_preferences_window_set_library (prefs, self->library);
  if (page != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), page);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  open_preferences (PX_APPLICATION (user_data), NULL);
}

static void
preferences_page_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  open_preferences (PX_APPLICATION (user_data), g_variant_get_string (parameter, NULL));
}

/* F1 opens the topic of what is in front: the main window's page, the
 * Editor, a video, an image's details (the Gallery's topic). */
char *
px_application_help_uri_for (GtkWindow *window)
{
  const char *topic = NULL;

  while (window != NULL && !PX_IS_WINDOW (window) && topic == NULL)
    {
      if (PX_IS_EDITOR_WINDOW (window))
        topic = "editor";
      else if (PX_IS_VIDEO_WINDOW (window) || PX_IS_VIDEO_DIALOG (window))
        topic = "video";
      else if (PX_IS_IMAGE_WINDOW (window))
        topic = "gallery";
      else if (PX_IS_PREFERENCES_WINDOW (window))
        topic = "accounts";
      else
        window = gtk_window_get_transient_for (window);
    }
  if (topic == NULL && window != NULL && PX_IS_WINDOW (window))
    topic = px_window_showing_welcome (PX_WINDOW (window)) ? "first-start" : px_window_get_page (PX_WINDOW (window));
  return topic ? g_strdup_printf ("help:pixmerge/%s", topic) : g_strdup ("help:pixmerge");
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autofree char *uri = px_application_help_uri_for (parent);

  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  static const char *developers[] = { "The Pixmerge developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", "Pixmerge",
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Pixmerge developers"),
                        "developers", developers,
                        "comments", _("Mail merge for AI images: one prompt with tokens, many personalised images."),
                        "website", "https://github.com/pixmerge/pixmerge",
                        "issue-url", "https://github.com/pixmerge/pixmerge/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* A window to show something in (a notification was clicked): the
 * active one, or a new one. */
static GtkWindow *
present_window (PxApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL && self->library != NULL)
    window = GTK_WINDOW (px_window_new (self));
  if (window != NULL)
    gtk_window_present (window);
  return window;
}

/* From a notification: a window on the Gallery's videos. */
static void
show_videos_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = present_window (user_data);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-videos", NULL);
}

/* From a notification: a window on one of its pages (the Analytics page
 * for a budget notice). */
static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = present_window (user_data);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "show-videos", .activate = show_videos_action },
  { .name = "show-page", .activate = show_page_action, .parameter_type = "s" },
  { .name = "preferences", .activate = preferences_action },
  { .name = "preferences-page", .activate = preferences_page_action, .parameter_type = "s" },
  { .name = "help", .activate = help_action },
  { .name = "about", .activate = about_action },
};

static void
set_accels (GtkApplication *app,
            const char     *action,
            const char     *accel)
{
  const char *accels[] = { accel, NULL };

  gtk_application_set_accels_for_action (app, action, accels);
}

static void
px_application_startup (GApplication *app)
{
  PxApplication *self = PX_APPLICATION (app);
  GtkApplication *gtk_app = GTK_APPLICATION (app);

  G_APPLICATION_CLASS (px_application_parent_class)->startup (app);
  px_a11y_install ();

  /* Debug builds (and the test suite) abort on a library call made on the
   * main loop. */
  px_library_set_main_thread_guard (PX_DEBUG_CHECKS || g_getenv ("PIXMERGE_CHECK_MAIN_THREAD") != NULL);

  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);

  set_accels (gtk_app, "app.quit", "<Control>q");
  set_accels (gtk_app, "app.preferences", "<Control>comma");
  set_accels (gtk_app, "app.help", "F1");
  set_accels (gtk_app, "window.close", "<Control>w");
  set_accels (gtk_app, "win.show-page::generate", "<Alt>1");
  set_accels (gtk_app, "win.show-page::gallery", "<Alt>2");
  set_accels (gtk_app, "win.show-page::batch", "<Alt>3");
  set_accels (gtk_app, "win.show-page::compare", "<Alt>4");
  set_accels (gtk_app, "win.show-page::analytics", "<Alt>5");

  gtk_window_set_default_icon_name (APP_ID);
}

static void
px_application_dispose (GObject *object)
{
  PxApplication *self = PX_APPLICATION (object);

  if (self->ai_videos != NULL)
    px_ai_video_follower_stop (self->ai_videos);
  g_clear_object (&self->ai_videos);
  g_clear_object (&self->provider_batches);
  g_clear_object (&self->demo);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->library);
  g_clear_error (&self->library_error);
  g_clear_object (&self->engine);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (px_application_parent_class)->dispose (object);
}

static void
px_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, px_application_is_demo (PX_APPLICATION (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
px_application_class_init (PxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = px_application_dispose;
  object_class->get_property = px_application_get_property;

  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->activate = px_application_activate;
  app_class->open = px_application_open;
  app_class->startup = px_application_startup;
  app_class->handle_local_options = px_application_handle_local_options;
}

static void
px_application_init (PxApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}
