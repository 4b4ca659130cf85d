/* px-video-item.c: a video of the library as a list item; "prompt" (its
 * image's prompt) is what the Gallery's search matches. */
#include "config.h"

#include <glib/gi18n.h>

#include "px-video-item.h"

struct _PxVideoItem
{
  GObject         parent_instance;

  PxLibraryVideo *video;
};

G_DEFINE_FINAL_TYPE (PxVideoItem, px_video_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROMPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Takes @video. */
PxVideoItem *
px_video_item_new (PxLibraryVideo *video)
{
  PxVideoItem *self = g_object_new (PX_TYPE_VIDEO_ITEM, NULL);

  self->video = video;
  return self;
}

const PxLibraryVideo *
px_video_item_get_video (PxVideoItem *self)
{
  g_return_val_if_fail (PX_IS_VIDEO_ITEM (self), NULL);

  return self->video;
}

/* What a screen reader says for it, and its tooltip: what it shows. */
char *
px_video_item_describe (PxVideoItem *self)
{
  guint seconds;

  g_return_val_if_fail (PX_IS_VIDEO_ITEM (self), NULL);

  seconds = (guint) ((self->video->duration_ms + 500) / 1000);

  if (self->video->prompt != NULL)
    return g_strdup_printf (ngettext ("Video, %u second: %s", "Video, %u seconds: %s", seconds), seconds,
                            self->video->prompt);
  return g_strdup_printf (ngettext ("Video, %u second, of an image no longer in the library",
                                    "Video, %u seconds, of an image no longer in the library", seconds), seconds);
}

static void
px_video_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PxVideoItem *self = PX_VIDEO_ITEM (object);

  switch (prop_id)
    {
    case PROP_PROMPT:
      g_value_set_string (value, self->video->prompt ? self->video->prompt : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
px_video_item_finalize (GObject *object)
{
  PxVideoItem *self = PX_VIDEO_ITEM (object);

  px_library_video_free (self->video);

  G_OBJECT_CLASS (px_video_item_parent_class)->finalize (object);
}

static void
px_video_item_class_init (PxVideoItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = px_video_item_finalize;
  object_class->get_property = px_video_item_get_property;

  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
px_video_item_init (PxVideoItem *self)
{
}
