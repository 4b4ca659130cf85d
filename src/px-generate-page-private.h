/* px-generate-page-private.h: what the Generate page's files share: its
 * fields and the helpers that px-generate-page-run.c (keys, generating,
 * results, the reference image) and the page itself call across. */
#pragma once

#include "px-generate-page.h"
#include "px-model-settings.h"
#include "px-prompt-helper.h"
#include "px-templates-popover.h"

G_BEGIN_DECLS

typedef enum {
  BANNER_NONE,
  BANNER_ADD_KEY,
  BANNER_RETRY,
} BannerAction;

struct _PxGeneratePage
{
  AdwBin                parent_instance;

  PxApplication        *application;
  PxEngine             *engine;
  PxLibrary            *library;
  GSettings            *settings;

  GPtrArray            *models;            /* const PxModel *, in model_row's order */
  const PxModel        *model;
  PxModelSettings      *model_settings;
  gboolean              restoring;

  GBytes               *reference;
  char                 *reference_mime;
  char                 *feature;           /* from the last template; NULL: "generate" */
  char                 *preview;
  char                 *missing;
  guint                 save_state_source;

  GCancellable         *cancellable;       /* the running generation */
  GCancellable         *page_cancellable;  /* the page's own calls: cancelled when it goes */
  gint64                started_us;
  guint                 tick_source;
  gboolean              pending_regenerate;
  gboolean              checking_budget;   /* the budget is being read before a generation */
  void                (*key_then) (PxGeneratePage *self);   /* what waits for a provider's key */

  BannerAction          banner_action;
  char                 *banner_provider;

  PxPromptHelper       *helper;
  GCancellable         *helper_cancellable;
  GString              *rewrite;
  gboolean              rewrite_ok;
  GtkPopover           *improve_popover;
  GtkLabel             *improve_label;
  GtkButton            *improve_accept;

  PxTemplatesPopover   *templates_popover;
  GPtrArray            *saved;             /* PxTemplate from the library */

  GtkFileChooserNative *chooser;

  /* template children */
  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  GtkMenuButton        *templates_button;
  GtkMenuButton        *improve_button;
  PxTokenEditor        *editor;
  GtkLabel             *preview_label;
  GtkLabel             *missing_label;
  AdwComboRow          *model_row;
  AdwPreferencesGroup  *reference_group;
  AdwActionRow         *reference_row;
  GtkPicture           *reference_picture;
  AdwPreferencesGroup  *captions_group;
  AdwEntryRow          *caption_top;
  AdwEntryRow          *caption_bottom;
  GtkButton            *generate_button;
  GtkButton            *cancel_button;
  GtkWidget            *progress_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *elapsed_label;
  GtkFlowBox           *results;
  PxTokenPalette       *palette;
  AdwFlap              *flap;      /* the palette beside the page, or folded away */
  GtkToggleButton      *tokens_button;
  GtkWidget            *prompt_heading;
  GtkWidget            *prompt_heading_above;
};

typedef void (*KeyContinuation) (PxGeneratePage *self);

void        px_generate_page_toast             (PxGeneratePage       *self,
                                                const char           *title);
void        px_generate_page_show_banner       (PxGeneratePage       *self,
                                                const char           *message,
                                                BannerAction          action,
                                                const char           *provider_id);
void        px_generate_page_hide_banner       (PxGeneratePage       *self);
GHashTable *px_generate_page_current_settings  (PxGeneratePage       *self);
gboolean    px_generate_page_is_meme           (PxGeneratePage       *self);
void        px_generate_page_update_preview    (PxGeneratePage       *self);
void        px_generate_page_set_running       (PxGeneratePage       *self,
                                                gboolean              running);
void        px_generate_page_start_generation  (PxGeneratePage       *self,
                                                gboolean              bypass_cache);
void        px_generate_page_with_key          (PxGeneratePage       *self,
                                                const PxProviderInfo *info,
                                                KeyContinuation       then);
void        px_generate_page_class_init_run    (GtkWidgetClass       *widget_class);
void        px_generate_page_init_run          (PxGeneratePage       *self);

G_END_DECLS
