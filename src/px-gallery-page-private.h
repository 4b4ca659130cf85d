/* px-gallery-page-private.h: what the Gallery page's files share: the
 * page's fields and the helpers its actions use. */
#pragma once

#include "px-gallery-page.h"
#include "px-library-model.h"
#include "px-thumbnail-loader.h"
#include "px-video-grid.h"

G_BEGIN_DECLS

struct _PxGalleryPage
{
  AdwBin                parent_instance;

  PxLibrary            *library;
  PxLibraryModel       *model;
  GtkMultiSelection    *selection;
  PxThumbnailLoader    *thumbnails;
  GCancellable         *cancellable;

  GtkStack             *stack;
  GtkGridView          *grid;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *kind_filter;
  PxVideoGrid          *video_grid;
  AdwStatusPage        *error_page;
  GtkDropDown          *model_filter;
  GtkToggleButton      *sort_order;
  GtkDropDown          *feature_filter;
  GtkDropDown          *date_filter;
  GtkMenuButton        *filters_button;
  GtkButton            *batch_chip;
  gint64                batch_id;   /* show one batch's images; 0: all */
  GtkStringList        *models;
  GtkStringList        *features;
  gboolean              updating_choices;
  guint                 fit_source;
  guint                 check_source;
  GtkFileChooserNative *chooser;
  char                 *export_pattern;
  guint                 export_format;  /* index in the dialog's list; 0: as kept */
  GArray               *export_ids;
  AdwToast             *undo_toast;   /* weak: the last deletion's, while shown */
};

gboolean px_gallery_page_showing_videos (PxGalleryPage *self);
void     px_gallery_page_show_toast    (PxGalleryPage *self,
                                        AdwToast      *toast);
void     px_gallery_page_show_error    (PxGalleryPage *self,
                                        const char    *what,
                                        const GError  *error);
void     px_gallery_page_delete        (PxGalleryPage *self,
                                        GArray        *ids);
void     px_gallery_page_start_check   (PxGalleryPage *self);
void     px_gallery_page_refresh_choices (PxGalleryPage *self);
void     px_gallery_page_class_init_actions (GtkWidgetClass *widget_class);
gboolean px_gallery_page_on_drop       (GtkDropTarget *target,
                                        const GValue  *value,
                                        double         x,
                                        double         y,
                                        PxGalleryPage *self);

G_END_DECLS
