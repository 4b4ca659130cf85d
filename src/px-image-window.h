/* px-image-window.h: one library image, large, with everything about it. */
#pragma once

#include <adwaita.h>

#include "px-library.h"

G_BEGIN_DECLS

#define PX_TYPE_IMAGE_WINDOW (px_image_window_get_type ())

G_DECLARE_FINAL_TYPE (PxImageWindow, px_image_window, PX, IMAGE_WINDOW, AdwWindow)

PxImageWindow        *px_image_window_new       (GtkWindow            *parent,
                                                 const PxLibraryImage *image);
const PxLibraryImage *px_image_window_get_image (PxImageWindow        *self);

G_END_DECLS
