/* px-library-model.h: the library as a GListModel, read lazily by page on
 * worker threads; items are placeholders (no image) until their page is in. */
#pragma once

#include <gio/gio.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_LIBRARY_ITEM (px_library_item_get_type ())

G_DECLARE_FINAL_TYPE (PxLibraryItem, px_library_item, PX, LIBRARY_ITEM, GObject)

const PxLibraryImage *px_library_item_get_image (PxLibraryItem *self);

#define PX_TYPE_LIBRARY_MODEL (px_library_model_get_type ())

G_DECLARE_FINAL_TYPE (PxLibraryModel, px_library_model, PX, LIBRARY_MODEL, GObject)

PxLibraryModel *px_library_model_new        (PxLibrary            *library);
void            px_library_model_set_search (PxLibraryModel       *self,
                                             const char           *search);
void            px_library_model_set_filter (PxLibraryModel       *self,
                                             const PxLibraryQuery *filter);
void            px_library_model_reload     (PxLibraryModel       *self);
gboolean        px_library_model_get_loading (PxLibraryModel      *self);
gboolean        px_library_model_remove     (PxLibraryModel       *self,
                                             const gint64         *ids,
                                             guint                 n_ids);
void            px_library_model_get_ids_async (PxLibraryModel *self,
                                             GArray               *positions,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GArray         *px_library_model_get_ids_finish (PxLibraryModel *self,
                                             GAsyncResult         *result,
                                             GError              **error);
PxLibrary      *px_library_model_get_library (PxLibraryModel      *self);

G_END_DECLS
