/* px-library-model.c: a GListModel over the library that never holds the
 * whole library and never reads it on the caller's thread: it knows the
 * count, hands out placeholders for a page a view asks for while the page
 * is read on a worker (by key from a neighbouring page, no OFFSET walk),
 * then swaps the rows in. A grid of 100,000 images costs the pages on
 * screen, not 100,000 objects, and scrolling never waits for sqlite. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "px-library-model.h"

#define PAGE_SIZE 120
#define MAX_PAGES 16
#define MAX_ADDED_SEEN 2000

struct _PxLibraryItem
{
  GObject         parent_instance;

  PxLibraryImage *image;
};

G_DEFINE_FINAL_TYPE (PxLibraryItem, px_library_item, G_TYPE_OBJECT)

enum {
  ITEM_FILLED,
  N_ITEM_SIGNALS
};

static guint item_signals[N_ITEM_SIGNALS];

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

  /* A placeholder got its row: a view showing it shows the image now (no
   * items-changed, so the view keeps its cell). Emitted once, if ever. */
  item_signals[ITEM_FILLED] = g_signal_new ("filled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                            NULL, G_TYPE_NONE, 0);
}

static void
px_library_item_init (PxLibraryItem *self)
{
}

/* NULL while the item is a placeholder for a row still being read. */
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
  gboolean        loading;    /* the count is being read */
  gboolean        query_changed;  /* since the last count: positions mean other rows */
  gint64          top_id;         /* the first row at the last count; 0: none */
  guint           generation; /* bumped by each reload: older answers are dropped */
  GHashTable     *pages;      /* page number -> Page */
  GQueue          page_order; /* least recently used first */
  GCancellable   *cancellable;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A page of PAGE_SIZE positions: placeholders (items without an image)
 * until its rows arrive, then the rows. */
typedef struct {
  GPtrArray    *items;
  gboolean      loaded;
  PxLibraryKey  first;
  PxLibraryKey  last;
} Page;

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static Page *
page_new (guint size)
{
  Page *page = g_new0 (Page, 1);

  page->items = g_ptr_array_new_full (size, g_object_unref);
  return page;
}

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
  g_free ((char *) filter->search);
  g_free ((char *) filter->provider);
  g_free ((char *) filter->model);
  g_free ((char *) filter->feature);
  memset (filter, 0, sizeof *filter);
}

static void
copy_filter (PxLibraryQuery       *to,
             const PxLibraryQuery *from)
{
  *to = *from;
  to->search = g_strdup (from->search);
  to->provider = g_strdup (from->provider);
  to->model = g_strdup (from->model);
  to->feature = g_strdup (from->feature);
}

static gboolean
filter_equal (const PxLibraryQuery *a,
              const PxLibraryQuery *b)
{
  return g_strcmp0 (a->provider, b->provider) == 0 && g_strcmp0 (a->model, b->model) == 0 &&
         g_strcmp0 (a->feature, b->feature) == 0 && a->batch_id == b->batch_id &&
         a->created_from == b->created_from && a->created_to == b->created_to && a->sort == b->sort;
}

/* ---- reading, on the library's worker threads ---- */

typedef struct {
  PxLibraryModel *self;
  guint           generation;
  guint           page;
  PxLibraryQuery  query;
  gboolean        has_after, has_before, from_end;
  PxLibraryKey    after, before;
  guint           skip, limit;
  guint           previous; /* for a count: the count before */
  guint           count;    /* out: for a count */
  GPtrArray      *images;   /* out: for a page */
} Read;

static void
read_free (Read *read)
{
  g_object_unref (read->self);
  clear_filter (&read->query);
  g_clear_pointer (&read->images, g_ptr_array_unref);
  g_free (read);
}

static Read *
read_new (PxLibraryModel *self)
{
  Read *read = g_new0 (Read, 1);

  read->self = g_object_ref (self);
  read->generation = self->generation;
  copy_filter (&read->query, &self->filter);
  g_free ((char *) read->query.search);
  read->query.search = g_strdup (self->search);
  return read;
}

static gboolean
count_in_thread (PxLibrary     *library,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Read *read = data;
  GError *local_error = NULL;

  /* The count and the rows in one moment: a row committed between them
   * would make the rows disagree with the count. */
  if (!px_library_begin_snapshot (library, error))
    return FALSE;
  read->count = px_library_count (library, &read->query, &local_error);
  if (local_error != NULL)
    {
      px_library_end_snapshot (library);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* The first page too, in the same trip: what a view at the top shows
   * (and where new rows land) comes with the count. */
  /* Past the rows added since, up to a point: the row that was first is
   * looked for right after them (rows_added_on_top). */
  read->limit = MIN (read->count, PAGE_SIZE + MIN (read->previous > 0 && read->count > read->previous
                                                   ? read->count - read->previous : 0, MAX_ADDED_SEEN));
  read->images = px_library_list_range (library, &read->query, NULL, NULL, 0, read->limit, FALSE, NULL);
  px_library_end_snapshot (library);
  return TRUE;
}

static gboolean
page_in_thread (PxLibrary     *library,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Read *read = data;

  read->images = px_library_list_range (library, &read->query, read->has_after ? &read->after : NULL,
                                        read->has_before ? &read->before : NULL, read->skip, read->limit,
                                        read->from_end, error);
  return read->images != NULL;
}

/* Tells views about positions start … start + n - 1 of page, replaced. */
static void
emit_run (PxLibraryModel *self,
          guint           start,
          guint           n)
{
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), start, n, n);
}

/* A page's rows, read: a placeholder is filled where it is; a row that is
 * still there keeps its item; only a position that now holds another row
 * is replaced, so a view rebinds nothing it need not. Fewer rows than
 * places: the library changed under the read, and the rest stay
 * placeholders until the reload that change brings. */
static void
fill_page (PxLibraryModel *self,
           guint           number,
           Page           *page,
           GPtrArray      *images)
{
  guint n = MIN (page->items->len, images->len);
  guint run_start = 0, run_length = 0;

  for (guint i = 0; i < n; i++)
    {
      PxLibraryItem *item = g_ptr_array_index (page->items, i);
      PxLibraryImage *image = g_steal_pointer (&images->pdata[i]);

      if (item->image == NULL)
        {
          item->image = image;
          g_signal_emit (item, item_signals[ITEM_FILLED], 0);
        }
      else if (item->image->id == image->id)
        px_library_image_free (image);
      else
        {
          PxLibraryItem *replacement = g_object_new (PX_TYPE_LIBRARY_ITEM, NULL);

          replacement->image = image;
          g_ptr_array_index (page->items, i) = replacement;
          g_object_unref (item);
          if (run_length > 0 && run_start + run_length == i)
            run_length++;
          else
            {
              emit_run (self, number * PAGE_SIZE + run_start, run_length);
              run_start = i;
              run_length = 1;
            }
        }
    }
  page->loaded = n > 0;
  if (n > 0)
    {
      const PxLibraryImage *first = ((PxLibraryItem *) g_ptr_array_index (page->items, 0))->image;
      const PxLibraryImage *last = ((PxLibraryItem *) g_ptr_array_index (page->items, n - 1))->image;

      page->first = (PxLibraryKey) { first->created, first->id };
      page->last = (PxLibraryKey) { last->created, last->id };
    }
  emit_run (self, number * PAGE_SIZE + run_start, run_length);
}

static void
on_page_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PxLibraryModel *self;
  Read *read = NULL;
  Page *page;

  if (!px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the library: %s", error->message);
      return;
    }

  self = read->self;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (read->page));
  /* A reload since, or the page was let go: nothing shows these rows. */
  if (read->generation != self->generation || page == NULL || page->loaded)
    return;

  fill_page (self, read->page, page, read->images);
}

static Page *
loaded_page (PxLibraryModel *self,
             guint           page)
{
  Page *found = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  return found != NULL && found->loaded ? found : NULL;
}

/* Asks for one page: by key from a loaded neighbour when there is one (no
 * OFFSET: jumping to the end and scrolling back reads only what is shown),
 * by position from the nearer end otherwise. */
static void
start_page_read (PxLibraryModel *self,
                 guint           page,
                 guint           size)
{
  Read *read = read_new (self);
  Page *before = page > 0 ? loaded_page (self, page - 1) : NULL;
  Page *after = loaded_page (self, page + 1);
  guint start = page * PAGE_SIZE;

  read->page = page;
  read->limit = size;
  if (before != NULL)
    {
      read->has_after = TRUE;
      read->after = before->last;
    }
  else if (after != NULL)
    {
      read->has_before = TRUE;
      read->before = after->first;
      read->from_end = TRUE;
    }
  else if (start + size >= self->n_items || start > self->n_items / 2)
    {
      read->from_end = TRUE;
      read->skip = self->n_items - (start + size);
    }
  else
    read->skip = start;

  px_library_read_async (self->library, page_in_thread, read, (GDestroyNotify) read_free, self->cancellable,
                         on_page_read, NULL);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PxLibraryModel *self = PX_LIBRARY_MODEL (model);
  guint number = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  if (page == NULL)
    {
      guint size = MIN (PAGE_SIZE, self->n_items - number * PAGE_SIZE);

      page = page_new (size);
      for (guint i = 0; i < size; i++)
        g_ptr_array_add (page->items, g_object_new (PX_TYPE_LIBRARY_ITEM, NULL));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), page);
      g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (number));
      while (g_queue_get_length (&self->page_order) > MAX_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_head (&self->page_order));
      /* While a count is out, positions may be about to move: the page is
       * read when the count is in (refresh_pages). */
      if (!self->loading)
        start_page_read (self, number, size);
    }
  else
    {
      g_queue_remove (&self->page_order, GUINT_TO_POINTER (number));
      g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (number));
    }

  if (position % PAGE_SIZE >= page->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* The held items move to new positions (G_MAXUINT: the row is gone) in a
 * model of n_items; the places no held item lands on are placeholders. The
 * same objects move: a view that is told of the move rebinds nothing. */
typedef guint (*Relocation) (guint position,
                             guint at,
                             guint count);

static void
relocate_items (PxLibraryModel *self,
                guint           n_items,
                Relocation      relocate,
                guint           at,
                guint           count)
{
  g_autoptr(GHashTable) moved = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          guint position = relocate (GPOINTER_TO_UINT (key) * PAGE_SIZE + i, at, count);
          guint number = position / PAGE_SIZE;
          Page *to;

          if (position >= n_items)
            continue;
          to = g_hash_table_lookup (moved, GUINT_TO_POINTER (number));
          if (to == NULL)
            {
              guint size = MIN (PAGE_SIZE, n_items - number * PAGE_SIZE);

              to = page_new (size);
              g_ptr_array_set_size (to->items, size);
              g_hash_table_insert (moved, GUINT_TO_POINTER (number), to);
            }
          g_ptr_array_index (to->items, position % PAGE_SIZE) = g_object_ref (g_ptr_array_index (page->items, i));
        }
    }

  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->page_order);
  g_hash_table_iter_init (&iter, moved);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        if (g_ptr_array_index (page->items, i) == NULL)
          g_ptr_array_index (page->items, i) = g_object_new (PX_TYPE_LIBRARY_ITEM, NULL);
      g_hash_table_iter_steal (&iter);
      g_hash_table_insert (self->pages, key, page);
      g_queue_push_tail (&self->page_order, key);
    }
  self->n_items = n_items;
}

/* count rows came in at position at (newest first: the top). */
static guint
after_insertion (guint position,
                 guint at,
                 guint count)
{
  return position >= at ? position + count : position;
}

/* The row at position at went. */
static guint
after_removal (guint position,
               guint at,
               guint count)
{
  if (position == at)
    return G_MAXUINT;
  return position > at ? position - 1 : position;
}

/* Pages that still hold placeholders (where rows were added) are read
 * again; the others keep their rows, which only moved. */
static void
refresh_pages (PxLibraryModel *self)
{
  g_autoptr(GList) numbers = g_hash_table_get_keys (self->pages);

  for (GList *l = numbers; l != NULL; l = l->next)
    {
      Page *page = g_hash_table_lookup (self->pages, l->data);
      gboolean complete = page->items->len > 0;

      for (guint i = 0; complete && i < page->items->len; i++)
        complete = ((PxLibraryItem *) g_ptr_array_index (page->items, i))->image != NULL;
      page->loaded = complete;
      if (complete)
        {
          const PxLibraryImage *first = ((PxLibraryItem *) g_ptr_array_index (page->items, 0))->image;
          const PxLibraryImage *last = ((PxLibraryItem *) g_ptr_array_index (page->items, page->items->len - 1))->image;

          page->first = (PxLibraryKey) { first->created, first->id };
          page->last = (PxLibraryKey) { last->created, last->id };
        }
    }
  for (GList *l = numbers; l != NULL; l = l->next)
    {
      Page *page = g_hash_table_lookup (self->pages, l->data);

      if (!page->loaded)
        start_page_read (self, GPOINTER_TO_UINT (l->data), page->items->len);
    }
}

static gint64
read_top_id (Read *read)
{
  /* fill_page takes the rows it uses: the first is either still there or
   * now an item of page 0. */
  PxLibraryImage *first = g_ptr_array_index (read->images, 0);
  Page *top;

  if (first != NULL)
    return first->id;
  top = g_hash_table_lookup (read->self->pages, GUINT_TO_POINTER (0));
  return top != NULL && top->items->len > 0 && ((PxLibraryItem *) g_ptr_array_index (top->items, 0))->image != NULL
         ? ((PxLibraryItem *) g_ptr_array_index (top->items, 0))->image->id : 0;
}

/* Whether the rows that came were added where new rows go (the top, newest
 * first; the end, oldest first) and nothing else moved: the row that was
 * first before is right after them. An undo (rows back in the middle) or
 * anything else is not, and takes the safe way. */
static gboolean
rows_added_on_top (PxLibraryModel *self,
                   Read           *read,
                   guint           added)
{
  PxLibraryImage *image;

  if (added == 0)
    return TRUE;
  /* Oldest first, new rows go after the last: the first page cannot tell
   * them from rows brought back in the middle. */
  if (self->filter.sort == PX_LIBRARY_SORT_OLDEST)
    return FALSE;
  if (self->top_id == 0 || read->images == NULL || read->images->len <= added)
    return FALSE;
  image = g_ptr_array_index (read->images, added);
  return image != NULL && image->id == self->top_id;
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PxLibraryModel *self;
  Read *read = NULL;
  guint old;
  gboolean ok = px_library_run_finish (PX_LIBRARY (source), result, (gpointer *) &read, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = read->self;
  if (read->generation != self->generation)
    return;
  if (!ok)
    g_warning ("Could not count the library: %s", error->message);

  old = self->n_items;
  self->n_items = ok ? read->count : 0;
  self->loading = FALSE;
  if (ok && !self->query_changed && self->n_items >= old && rows_added_on_top (self, read, self->n_items - old))
    {
      /* The same query with rows added on top (a generation, a batch: the
       * newest). Views are told of those only; what they show moves, it is
       * not rebuilt, and only the pages with new places are read. Rows
       * gone, or back in the middle (an undo), take the other way. */
      guint added = self->n_items - old;
      guint at = 0;
      Page *top;

      if (added > 0)
        {
          relocate_items (self, self->n_items, after_insertion, at, added);
          g_list_model_items_changed (G_LIST_MODEL (self), at, 0, added);
        }
      top = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (0));
      if (top != NULL && read->images != NULL)
        fill_page (self, 0, top, read->images);
      refresh_pages (self);
    }
  else
    {
      /* Another query, or rows gone: everything may have moved. The top
       * page is there at once, from the count's trip. */
      g_hash_table_remove_all (self->pages);
      g_queue_clear (&self->page_order);
      if (read->images != NULL && read->images->len > 0)
        {
          guint size = MIN (PAGE_SIZE, read->images->len);
          Page *top = page_new (size);

          for (guint i = 0; i < size; i++)
            g_ptr_array_add (top->items, g_object_new (PX_TYPE_LIBRARY_ITEM, NULL));
          g_hash_table_insert (self->pages, GUINT_TO_POINTER (0), top);
          g_queue_push_tail (&self->page_order, GUINT_TO_POINTER (0));
          fill_page (self, 0, top, read->images);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
    }
  self->query_changed = FALSE;
  self->top_id = read->images != NULL && read->images->len > 0 ? read_top_id (read) : 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Reads the count again, then forgets the pages; views are told everything
 * changed when the count is in. Nothing is read on the caller's thread. */
void
px_library_model_reload (PxLibraryModel *self)
{
  g_return_if_fail (PX_IS_LIBRARY_MODEL (self));

  self->generation++;
  if (!self->loading)
    {
      self->loading = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  {
    Read *read = read_new (self);

    read->previous = self->n_items;
    px_library_read_async (self->library, count_in_thread, read, (GDestroyNotify) read_free, self->cancellable,
                           on_counted, NULL);
  }
}

/* TRUE from a reload until its count is in: a view shows neither "empty"
 * nor a stale count as final meanwhile. */
gboolean
px_library_model_get_loading (PxLibraryModel *self)
{
  g_return_val_if_fail (PX_IS_LIBRARY_MODEL (self), FALSE);

  return self->loading;
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
  self->query_changed = TRUE;
  px_library_model_reload (self);
}

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
  copy_filter (&self->filter, filter);
  g_clear_pointer ((char **) &self->filter.search, g_free);
  self->query_changed = TRUE;
  px_library_model_reload (self);
}

static gint
compare_guints (gconstpointer a,
                gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The rows of ids were deleted: when the model holds every one of them, it
 * takes them out where they are (views are told of those positions only,
 * the rest move up) and returns TRUE; else FALSE, and a reload does it. */
gboolean
px_library_model_remove (PxLibraryModel *self,
                         const gint64   *ids,
                         guint           n_ids)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (PX_IS_LIBRARY_MODEL (self), FALSE);

  if (self->loading || n_ids == 0 || n_ids > self->n_items)
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    g_hash_table_add (wanted, (gpointer) &ids[i]);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          PxLibraryItem *item = g_ptr_array_index (page->items, i);
          guint position = GPOINTER_TO_UINT (key) * PAGE_SIZE + i;

          if (item->image != NULL && g_hash_table_contains (wanted, &item->image->id))
            g_array_append_val (gone, position);
        }
    }
  if (gone->len != n_ids)
    return FALSE;
  g_array_sort (gone, compare_guints);

  /* Last first, one at a time: the held items and the count always match
   * what views have been told so far. */
  for (guint k = gone->len; k > 0; k--)
    {
      guint removed = g_array_index (gone, guint, k - 1);

      relocate_items (self, self->n_items - 1, after_removal, removed, 1);
      g_list_model_items_changed (G_LIST_MODEL (self), removed, 1, 0);
    }
  {
    Page *top = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (0));
    PxLibraryItem *first = top != NULL && top->items->len > 0 ? g_ptr_array_index (top->items, 0) : NULL;

    self->top_id = first != NULL && first->image != NULL ? first->image->id : 0;
  }
  refresh_pages (self);
  return TRUE;
}

typedef struct {
  PxLibraryQuery  query;
  GArray         *positions;   /* in: guint, ascending */
  GArray         *ids;         /* out: gint64, one per position */
} Ids;

static void
ids_free (Ids *ids)
{
  clear_filter (&ids->query);
  g_array_unref (ids->positions);
  g_clear_pointer (&ids->ids, g_array_unref);
  g_free (ids);
}

static gint
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The rows at the positions, read a page at a time. */
static gboolean
ids_in_thread (PxLibrary     *library,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Ids *job = data;
  g_autoptr(GPtrArray) images = NULL;
  guint loaded_page = G_MAXUINT;

  job->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), job->positions->len);
  for (guint i = 0; i < job->positions->len; i++)
    {
      guint position = g_array_index (job->positions, guint, i);
      guint page = position / PAGE_SIZE;
      const PxLibraryImage *image;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (page != loaded_page)
        {
          g_clear_pointer (&images, g_ptr_array_unref);
          images = px_library_list_range (library, &job->query, NULL, NULL, page * PAGE_SIZE, PAGE_SIZE, FALSE, error);
          if (images == NULL)
            return FALSE;
          loaded_page = page;
        }
      if (position % PAGE_SIZE >= images->len)
        continue;
      image = g_ptr_array_index (images, position % PAGE_SIZE);
      g_array_append_val (job->ids, image->id);
    }
  return TRUE;
}

/* The ids of the images at the positions (a selection), read off the
 * caller's thread where the pages are not loaded. */
void
px_library_model_get_ids_async (PxLibraryModel      *self,
                                GArray              *positions,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Ids *job;

  g_return_if_fail (PX_IS_LIBRARY_MODEL (self));

  job = g_new0 (Ids, 1);
  copy_filter (&job->query, &self->filter);
  g_free ((char *) job->query.search);
  job->query.search = g_strdup (self->search);
  job->positions = g_array_copy (positions);
  g_array_sort (job->positions, compare_positions);
  px_library_read_async (self->library, ids_in_thread, job, (GDestroyNotify) ids_free, cancellable, callback,
                         user_data);
}

GArray *
px_library_model_get_ids_finish (PxLibraryModel  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  Ids *job = NULL;

  if (!px_library_run_finish (self->library, result, (gpointer *) &job, error))
    return NULL;
  return g_steal_pointer (&job->ids);
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
  self->query_changed = TRUE;
  px_library_model_reload (self);

  return self;
}

static void
px_library_model_dispose (GObject *object)
{
  PxLibraryModel *self = PX_LIBRARY_MODEL (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (px_library_model_parent_class)->dispose (object);
}

static void
px_library_model_finalize (GObject *object)
{
  PxLibraryModel *self = PX_LIBRARY_MODEL (object);

  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);
  g_free (self->search);
  clear_filter (&self->filter);
  g_hash_table_unref (self->pages);
  g_queue_clear (&self->page_order);

  G_OBJECT_CLASS (px_library_model_parent_class)->finalize (object);
}

static void
px_library_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, PX_LIBRARY_MODEL (object)->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
px_library_model_class_init (PxLibraryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = px_library_model_dispose;
  object_class->finalize = px_library_model_finalize;
  object_class->get_property = px_library_model_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
px_library_model_init (PxLibraryModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->page_order);
}
