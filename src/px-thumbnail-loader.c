/* px-thumbnail-loader.c: a grid binds many more cells than it shows, and a
 * thumbnail is a file read, maybe a decode and a scale: this loads them a
 * few at a time on worker threads (the main thread keeps a core to itself),
 * on-screen cells first, and keeps the last few hundred textures so that
 * scrolling back or a reload shows them at once. */
#include "config.h"

#include "px-thread.h"
#include "px-thumbnail-loader.h"

struct _PxThumbnailLoader
{
  GObject       parent_instance;

  PxLibrary    *library;
  GtkWidget    *viewport;    /* not owned: cells are on screen inside it */
  int           size;
  guint         max_textures;
  GHashTable   *textures;    /* sha256 -> GdkTexture */
  GQueue        texture_order;
  GQueue        queue;       /* of Job, newest last */
  GHashTable   *wanted;      /* GtkPicture -> sha256 it shows now */
  guint         running;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PxThumbnailLoader, px_thumbnail_loader, G_TYPE_OBJECT)

typedef struct {
  PxLibrary      *library;
  GtkPicture     *picture;
  PxLibraryImage  image;   /* only file, sha256, mime_type are used */
  int             size;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->library);
  g_object_unref (job->picture);
  g_free (job->image.file);
  g_free (job->image.sha256);
  g_free (job->image.mime_type);
  g_free (job);
}

static void
remember_texture (PxThumbnailLoader *self,
                  const char        *sha256,
                  GdkTexture        *texture)
{
  if (g_hash_table_contains (self->textures, sha256))
    return;

  g_hash_table_insert (self->textures, g_strdup (sha256), g_object_ref (texture));
  g_queue_push_tail (&self->texture_order, g_strdup (sha256));
  while (g_queue_get_length (&self->texture_order) > self->max_textures)
    {
      g_autofree char *oldest = g_queue_pop_head (&self->texture_order);
      g_hash_table_remove (self->textures, oldest);
    }
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autofree char *path = NULL;
  GError *error = NULL;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;

  px_thread_yield_to_ui ();
  path = px_library_thumbnail (job->library, &job->image, job->size, &error);
  texture = path ? gdk_texture_new_from_filename (path, &error) : NULL;
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void start_jobs (PxThumbnailLoader *self);

static gboolean
wants (PxThumbnailLoader *self,
       GtkPicture        *picture,
       const char        *sha256)
{
  return g_strcmp0 (g_hash_table_lookup (self->wanted, picture), sha256) == 0;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  PxThumbnailLoader *self = PX_THUMBNAIL_LOADER (source);
  Job *job = g_task_get_task_data (G_TASK (result));

  if (texture == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->running--;
  if (texture == NULL)
    g_debug ("No thumbnail for %s: %s", job->image.file, error->message);
  else
    {
      remember_texture (self, job->image.sha256, texture);
      /* The cell may show another image by now. */
      if (wants (self, job->picture, job->image.sha256))
        gtk_picture_set_paintable (job->picture, GDK_PAINTABLE (texture));
    }
  start_jobs (self);
}

static gboolean
on_screen (PxThumbnailLoader *self,
           GtkWidget         *cell)
{
  graphene_rect_t bounds;

  if (self->viewport == NULL || !gtk_widget_get_mapped (cell) ||
      !gtk_widget_compute_bounds (cell, self->viewport, &bounds))
    return FALSE;

  return bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (self->viewport) &&
         bounds.origin.x + bounds.size.width > 0 && bounds.origin.x < gtk_widget_get_width (self->viewport);
}

/* The next request worth loading: a cell on screen first, else the newest
 * (when scrolling, the newest are nearest). Requests whose cell moved on to
 * another image, or whose texture came in meanwhile, are settled on the way. */
static Job *
next_job (PxThumbnailLoader *self)
{
  GList *fallback = NULL;

  for (GList *l = self->queue.tail; l != NULL;)
    {
      Job *job = l->data;
      GList *prev = l->prev;
      gboolean wanted = wants (self, job->picture, job->image.sha256);
      GdkTexture *texture = g_hash_table_lookup (self->textures, job->image.sha256);

      if (!wanted || texture != NULL)
        {
          if (texture != NULL && wanted)
            gtk_picture_set_paintable (job->picture, GDK_PAINTABLE (texture));
          g_queue_delete_link (&self->queue, l);
          job_free (job);
        }
      else if (on_screen (self, GTK_WIDGET (job->picture)))
        {
          g_queue_unlink (&self->queue, l);
          g_list_free (l);
          return job;
        }
      else if (fallback == NULL)
        fallback = l;
      l = prev;
    }

  if (fallback != NULL)
    {
      Job *job = fallback->data;

      g_queue_delete_link (&self->queue, fallback);
      return job;
    }
  return NULL;
}

static void
start_jobs (PxThumbnailLoader *self)
{
  guint max_jobs = CLAMP (g_get_num_processors () - 1, 1, 4);

  while (self->running < max_jobs)
    {
      Job *job = next_job (self);
      g_autoptr(GTask) task = NULL;

      if (job == NULL)
        return;

      self->running++;
      task = g_task_new (self, self->cancellable, on_loaded, NULL);
      g_task_set_task_data (task, job, (GDestroyNotify) job_free);
      g_task_run_in_thread (task, load_in_thread);
    }
}

static void
forget_picture (gpointer  data,
                GObject  *where_the_picture_was)
{
  PxThumbnailLoader *self = data;

  g_hash_table_remove (self->wanted, where_the_picture_was);
}

/* Shows image's thumbnail in picture: now if it is cached, else when it is
 * loaded (unless picture shows another image by then). NULL: nothing yet,
 * for a row still being read. */
void
px_thumbnail_loader_show (PxThumbnailLoader    *self,
                          GtkPicture           *picture,
                          const PxLibraryImage *image)
{
  GdkTexture *texture;
  Job *job;

  g_return_if_fail (PX_IS_THUMBNAIL_LOADER (self));

  if (!g_hash_table_contains (self->wanted, picture))
    g_object_weak_ref (G_OBJECT (picture), forget_picture, self);
  g_hash_table_insert (self->wanted, picture, image ? g_strdup (image->sha256) : NULL);

  texture = image ? g_hash_table_lookup (self->textures, image->sha256) : NULL;
  gtk_picture_set_paintable (picture, texture ? GDK_PAINTABLE (texture) : NULL);
  if (texture != NULL || image == NULL)
    return;

  job = g_new0 (Job, 1);
  job->library = g_object_ref (self->library);
  job->picture = g_object_ref (picture);
  job->image.file = g_strdup (image->file);
  job->image.sha256 = g_strdup (image->sha256);
  job->image.mime_type = g_strdup (image->mime_type);
  job->size = self->size;
  g_queue_push_tail (&self->queue, job);
  start_jobs (self);
}

/* Stops loading: for a page going away. */
void
px_thumbnail_loader_cancel (PxThumbnailLoader *self)
{
  g_return_if_fail (PX_IS_THUMBNAIL_LOADER (self));

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify) job_free);
  self->viewport = NULL;
}

PxThumbnailLoader *
px_thumbnail_loader_new (PxLibrary *library,
                         GtkWidget *viewport,
                         int        size,
                         guint      max_textures)
{
  PxThumbnailLoader *self = g_object_new (PX_TYPE_THUMBNAIL_LOADER, NULL);

  self->library = g_object_ref (library);
  self->viewport = viewport;
  self->size = size;
  self->max_textures = max_textures;
  return self;
}

static void
px_thumbnail_loader_dispose (GObject *object)
{
  PxThumbnailLoader *self = PX_THUMBNAIL_LOADER (object);
  GHashTableIter iter;
  gpointer picture;

  px_thumbnail_loader_cancel (self);
  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &picture, NULL))
    g_object_weak_unref (picture, forget_picture, self);
  g_hash_table_remove_all (self->wanted);

  G_OBJECT_CLASS (px_thumbnail_loader_parent_class)->dispose (object);
}

static void
px_thumbnail_loader_finalize (GObject *object)
{
  PxThumbnailLoader *self = PX_THUMBNAIL_LOADER (object);

  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->textures);
  g_hash_table_unref (self->wanted);
  g_queue_clear_full (&self->texture_order, g_free);

  G_OBJECT_CLASS (px_thumbnail_loader_parent_class)->finalize (object);
}

static void
px_thumbnail_loader_class_init (PxThumbnailLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_thumbnail_loader_dispose;
  object_class->finalize = px_thumbnail_loader_finalize;
}

static void
px_thumbnail_loader_init (PxThumbnailLoader *self)
{
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->wanted = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->texture_order);
  g_queue_init (&self->queue);
}
