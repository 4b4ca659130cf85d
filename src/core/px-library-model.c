/* px-library-model.c: a GListModel over the library that never holds the
 * whole library: it knows the count, reads rows a page at a time when a
 * view asks for a position, and keeps only a few pages. A grid of 100,000
 * images costs the pages on screen, not 100,000 objects. */
#include "config.h"

#include <string.h>

#include "px-library-model.h"

#define PAGE_SIZE 120
#define MAX_PAGES 16

struct _PxLibraryItem
{
  GObject         parent_instance;

  PxLibraryImage *image;
};

G_DEFINE_FINAL_TYPE (PxLibraryItem, px_library_item, G_TYPE_OBJECT)

static void
px_library_item_finalize (GObject *object)
{
  px_library_image_free (PX_LIBRARY_ITEM (object)->image);

  G_OBJECT_CLASS (px_library_item_parent_class)->finalize (object);
}

static void
px_library_item_class_init (PxLibraryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_library_item_finalize;
}

static void
px_library_item_init (PxLibraryItem *self)
{
}

const PxLibraryImage *
px_library_item_get_image (PxLibraryItem *self)
{
  g_return_val_if_fail (PX_IS_LIBRARY_ITEM (self), NULL);

  return self->image;
}

struct _PxLibraryModel
{
  GObject         parent_instance;

  PxLibrary      *library;
  char           *search;
  PxLibraryQuery  filter;     /* owns its strings; search unused */
  guint           n_items;
  GHashTable     *pages;      /* page number -> GPtrArray of PxLibraryItem */
  GQueue          page_order; /* least recently used first */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PxLibraryModel, px_library_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return PX_TYPE_LIBRARY_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return PX_LIBRARY_MODEL (model)->n_items;
}

static void
clear_filter (PxLibraryQuery *filter)
{
  g_free ((char *) filter->provider);
  g_free ((char *) filter->model);
  g_free ((char *) filter->feature);
  memset (filter, 0, sizeof *filter);
}

static gboolean
filter_equal (const PxLibraryQuery *a,
              const PxLibraryQuery *b)
{
  return g_strcmp0 (a->provider, b->provider) == 0 && g_strcmp0 (a->model, b->model) == 0 &&
         g_strcmp0 (a->feature, b->feature) == 0 && a->batch_id == b->batch_id &&
         a->created_from == b->created_from && a->created_to == b->created_to && a->sort == b->sort;
}

static GPtrArray *
load_page (PxLibraryModel *self,
           guint           page)
{
  g_autoptr(GError) error = NULL;
  PxLibraryQuery query = self->filter;
  g_autoptr(GPtrArray) images = NULL;
  GPtrArray *items;

  query.search = self->search;
  images = px_library_list (self->library, &query, page * PAGE_SIZE, PAGE_SIZE, &error);
  if (images == NULL)
    {
      g_warning ("Could not read the library: %s", error->message);
      return NULL;
    }

  items = g_ptr_array_new_full (images->len, g_object_unref);
  for (guint i = 0; i < images->len; i++)
    {
      PxLibraryItem *item = g_object_new (PX_TYPE_LIBRARY_ITEM, NULL);

      /* The item takes the row; the array forgets it. */
      item->image = g_ptr_array_index (images, i);
      images->pdata[i] = NULL;
      g_ptr_array_add (items, item);
    }

  return items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PxLibraryModel *self = PX_LIBRARY_MODEL (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    {
      items = load_page (self, page);
      if (items == NULL)
        return NULL;
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
      g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));
      while (g_queue_get_length (&self->page_order) > MAX_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_head (&self->page_order));
    }
  else
    {
      g_queue_remove (&self->page_order, GUINT_TO_POINTER (page));
      g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (page));
    }

  if (position % PAGE_SIZE >= items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (items, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Reads the count again and forgets the pages; views are told everything
 * changed. Cheap: only the count is read now. */
void
px_library_model_reload (PxLibraryModel *self)
{
  g_autoptr(GError) error = NULL;
  PxLibraryQuery query = self->filter;
  guint old = self->n_items;

  query.search = self->search;
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
  self->n_items = px_library_count (self->library, &query, &error);
  if (error != NULL)
    g_warning ("Could not count the library: %s", error->message);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

void
px_library_model_set_search (PxLibraryModel *self,
                             const char     *search)
{
  g_return_if_fail (PX_IS_LIBRARY_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (search, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  px_library_model_reload (self);
}

/* Only one model's images (NULL: all), in the given order. */
/* Everything in filter but the search words (see set_search). */
void
px_library_model_set_filter (PxLibraryModel       *self,
                             const PxLibraryQuery *filter)
{
  g_return_if_fail (PX_IS_LIBRARY_MODEL (self));
  g_return_if_fail (filter != NULL);

  if (filter_equal (filter, &self->filter))
    return;

  clear_filter (&self->filter);
  self->filter.provider = g_strdup (filter->provider);
  self->filter.model = g_strdup (filter->model);
  self->filter.feature = g_strdup (filter->feature);
  self->filter.batch_id = filter->batch_id;
  self->filter.created_from = filter->created_from;
  self->filter.created_to = filter->created_to;
  self->filter.sort = filter->sort;
  px_library_model_reload (self);
}

PxLibrary *
px_library_model_get_library (PxLibraryModel *self)
{
  return self->library;
}

PxLibraryModel *
px_library_model_new (PxLibrary *library)
{
  PxLibraryModel *self = g_object_new (PX_TYPE_LIBRARY_MODEL, NULL);

  self->library = g_object_ref (library);
  px_library_model_reload (self);

  return self;
}

static void
px_library_model_finalize (GObject *object)
{
  PxLibraryModel *self = PX_LIBRARY_MODEL (object);

  g_clear_object (&self->library);
  g_free (self->search);
  clear_filter (&self->filter);
  g_hash_table_unref (self->pages);
  g_queue_clear (&self->page_order);

  G_OBJECT_CLASS (px_library_model_parent_class)->finalize (object);
}

static void
px_library_model_class_init (PxLibraryModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_library_model_finalize;
}

static void
px_library_model_init (PxLibraryModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->page_order);
}
