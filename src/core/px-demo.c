/* px-demo.c: starts the bundled demo provider and points the engine at it.
 *
 * The server runs as its own process: its image drawing never touches the
 * app's main loop, and it dies with the app (it asks the kernel for SIGTERM
 * when its parent goes). It prints its address on the first line. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-catalog.h"
#include "px-demo.h"

struct _PxDemo
{
  GObject      parent_instance;

  GSubprocess *process;
  char        *url;
};

G_DEFINE_FINAL_TYPE (PxDemo, px_demo, G_TYPE_OBJECT)

PxDemo *
px_demo_new (void)
{
  return g_object_new (PX_TYPE_DEMO, NULL);
}

/* The build tree and the tests name the program; installed, it is in
 * libexecdir. */
static char *
demo_program (void)
{
  const char *path = g_getenv ("PIXMERGE_DEMO_PROVIDER");

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  return g_build_filename (LIBEXECDIR, "pixmerge-demo-provider", NULL);
}

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PxDemo *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                                     &error);

  if (line == NULL || !g_str_has_prefix (line, "http://127.0.0.1:"))
    {
      px_demo_stop (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("The demo provider did not start%s%s"),
                               error != NULL ? ": " : ".", error != NULL ? error->message : "");
      return;
    }
  g_free (self->url);
  self->url = g_steal_pointer (&line);
  g_task_return_boolean (task, TRUE);
}

/* Starts the server (once) and finishes when it answers on its address. */
void
px_demo_start_async (PxDemo              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *program = demo_program ();
  const char *latency = g_getenv ("PIXMERGE_DEMO_LATENCY_MS");
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PX_IS_DEMO (self));

  g_task_set_source_tag (task, px_demo_start_async);
  if (self->url != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Real providers take seconds: the demo takes a little time too, so
   * progress and cancelling can be seen. */
  self->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, program, "--port", "0",
                                    "--key", PX_DEMO_KEY, "--latency-ms", latency != NULL ? latency : "700",
                                    NULL);
  if (self->process == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo provider could not be started (%s): %s"), program, error->message);
      return;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, on_line_read,
                                       g_steal_pointer (&task));
}

gboolean
px_demo_start_finish (PxDemo        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* NULL until started. */
const char *
px_demo_get_url (PxDemo *self)
{
  g_return_val_if_fail (PX_IS_DEMO (self), NULL);

  return self->url;
}

/* Every provider of the engine's catalog now goes to the demo server, with
 * the demo key (in memory only). */
void
px_demo_apply (PxDemo   *self,
               PxEngine *engine)
{
  GPtrArray *providers;

  g_return_if_fail (PX_IS_DEMO (self));
  g_return_if_fail (self->url != NULL);

  providers = px_catalog_get_providers (px_engine_get_catalog (engine));
  for (guint i = 0; i < providers->len; i++)
    {
      const PxProviderInfo *info = g_ptr_array_index (providers, i);
      g_autofree char *base = g_strcmp0 (info->wire, "openai") == 0 ? g_strconcat (self->url, "/v1", NULL)
                                                           : g_strdup (self->url);

      px_engine_set_base_url (engine, info->id, base);
      if (info->key_policy != PX_KEY_NONE)
        px_engine_set_api_key (engine, info->id, PX_DEMO_KEY);
    }
}

void
px_demo_stop (PxDemo *self)
{
  g_return_if_fail (PX_IS_DEMO (self));

  if (self->process != NULL)
    g_subprocess_force_exit (self->process);
  g_clear_object (&self->process);
  g_clear_pointer (&self->url, g_free);
}

static void
px_demo_finalize (GObject *object)
{
  px_demo_stop (PX_DEMO (object));

  G_OBJECT_CLASS (px_demo_parent_class)->finalize (object);
}

static void
px_demo_class_init (PxDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_demo_finalize;
}

static void
px_demo_init (PxDemo *self)
{
}
