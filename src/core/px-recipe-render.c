/* px-recipe-render.c: a recipe drawn over an image, on the calling thread
 * (a worker), the same pixels every time for the same image and recipe.
 * Geometry (crop, rotate, flip, straighten, resize) makes a new surface
 * with cairo; colour (adjust, filter, sharpen) works on the pixels in
 * place; text is shaped by Pango (any script) with its [TOKENS] filled
 * from the row; an overlay is decoded, scaled and laid on. A preview
 * renders at max_size with every size in the recipe scaled to match. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "px-image-check.h"
#include "px-png.h"
#include "px-recipe.h"
#include "px-tokens.h"

#define MAX_RESULT_PIXELS (64.0 * 1000 * 1000)
#define MAX_TEXT_CHARS 2000

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf), height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf), src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int stride = cairo_image_surface_get_stride (surface);
  guchar *dst;

  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  for (int y = 0; y < height; y++)
    {
      const guchar *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (dst + (gsize) y * stride);

      for (int x = 0; x < width; x++, s += channels)
        {
          guint a = channels == 4 ? s[3] : 255;

          d[x] = (a << 24) | ((s[0] * a + 127) / 255) << 16 | ((s[1] * a + 127) / 255) << 8 | ((s[2] * a + 127) / 255);
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static cairo_surface_t *
decode (GBytes  *bytes,
        int      max_size,
        int     *full_width,
        GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autofree char *mime = NULL;
  int width = 0, height = 0;

  /* Dimensions and limits first: a bomb is refused before it is decoded. */
  if (!px_image_check (bytes, &mime, &width, &height, &local_error) ||
      (pixbuf = px_image_load_scaled (bytes, mime, max_size > 0 ? max_size : G_MAXINT, &local_error)) == NULL)
    {
      g_set_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_IMAGE, _("The image cannot be edited: %s"),
                   local_error->message);
      return NULL;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  /* Rotated by its orientation tag, the full width is its full height. */
  if (full_width != NULL)
    *full_width = gdk_pixbuf_get_width (oriented) == gdk_pixbuf_get_width (pixbuf) ? width : height;
  return surface_from_pixbuf (oriented);
}

static cairo_surface_t *
new_like (int width,
          int height)
{
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (1, width), MAX (1, height));
}

static int
width_of (cairo_surface_t *surface)
{
  return cairo_image_surface_get_width (surface);
}

static int
height_of (cairo_surface_t *surface)
{
  return cairo_image_surface_get_height (surface);
}

/* ---- geometry ---- */

static cairo_surface_t *
crop (cairo_surface_t  *in,
      const PxRecipeOp *op)
{
  int w = width_of (in), h = height_of (in);
  double x, y, cw, ch;
  cairo_surface_t *out;
  cairo_t *cr;

  if (g_strcmp0 (op->aspect, "free") == 0)
    {
      x = op->x * w;
      y = op->y * h;
      cw = op->width * w;
      ch = op->height * h;
    }
  else
    {
      int num = 1, den = 1;
      double ratio;

      sscanf (op->aspect, "%d:%d", &num, &den);
      ratio = (double) num / den;
      /* The largest rectangle of that shape, centred on (x, y) and kept inside. */
      cw = MIN (w, h * ratio);
      ch = cw / ratio;
      x = CLAMP (op->x * w - cw / 2, 0, w - cw);
      y = CLAMP (op->y * h - ch / 2, 0, h - ch);
    }
  out = new_like ((int) lround (cw), (int) lround (ch));
  cr = cairo_create (out);
  cairo_set_source_surface (cr, in, -lround (x), -lround (y));
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  return out;
}

/* @in drawn through @matrix (from the new picture's space to @in's) into
 * a new @width × @height picture. */
static cairo_surface_t *
transformed (cairo_surface_t      *in,
             int                   width,
             int                   height,
             const cairo_matrix_t *matrix,
             cairo_filter_t        filter)
{
  cairo_surface_t *out = new_like (width, height);
  cairo_t *cr = cairo_create (out);
  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (in);

  cairo_pattern_set_matrix (pattern, matrix);
  cairo_pattern_set_filter (pattern, filter);
  /* Edges repeat their last pixel instead of fading to nothing. */
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_source (cr, pattern);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);
  return out;
}

static cairo_surface_t *
rotate (cairo_surface_t  *in,
        const PxRecipeOp *op)
{
  int w = width_of (in), h = height_of (in);
  gboolean quarter = op->degrees == 90 || op->degrees == 270;
  int ow = quarter ? h : w, oh = quarter ? w : h;
  cairo_matrix_t m;

  /* Out to in: about the centres, turned back. */
  cairo_matrix_init_translate (&m, w / 2.0, h / 2.0);
  cairo_matrix_rotate (&m, -op->degrees * G_PI / 180);
  cairo_matrix_translate (&m, -ow / 2.0, -oh / 2.0);
  return transformed (in, ow, oh, &m, CAIRO_FILTER_NEAREST);
}

static cairo_surface_t *
flip (cairo_surface_t  *in,
      const PxRecipeOp *op)
{
  int w = width_of (in), h = height_of (in);
  cairo_matrix_t m;

  if (op->vertical)
    cairo_matrix_init (&m, 1, 0, 0, -1, 0, h);
  else
    cairo_matrix_init (&m, -1, 0, 0, 1, w, 0);
  return transformed (in, w, h, &m, CAIRO_FILTER_NEAREST);
}

/* Turned by a small angle and enlarged just enough that the frame stays
 * covered: no empty corners, the same size. */
static cairo_surface_t *
straighten (cairo_surface_t  *in,
            const PxRecipeOp *op)
{
  int w = width_of (in), h = height_of (in);
  double a = fabs (op->angle) * G_PI / 180;
  double cover = MAX ((w * cos (a) + h * sin (a)) / w, (w * sin (a) + h * cos (a)) / h);
  cairo_matrix_t m;

  cairo_matrix_init_translate (&m, w / 2.0, h / 2.0);
  cairo_matrix_scale (&m, 1 / cover, 1 / cover);
  cairo_matrix_rotate (&m, -op->angle * G_PI / 180);
  cairo_matrix_translate (&m, -w / 2.0, -h / 2.0);
  return transformed (in, w, h, &m, CAIRO_FILTER_BILINEAR);
}

static cairo_surface_t *
resize (cairo_surface_t  *in,
        const PxRecipeOp *op)
{
  cairo_matrix_t m;

  cairo_matrix_init_scale (&m, 1.0 / op->factor, 1.0 / op->factor);
  return transformed (in, width_of (in) * op->factor, height_of (in) * op->factor, &m, CAIRO_FILTER_BEST);
}

/* ---- colour, in place ---- */

/* Exposure in stops (2^e) and contrast about the middle grey are the same
 * for every channel: one table of 256 values, worked out once. Saturation
 * moves away from the pixel's own grey; warmth is red up and blue down. */
static void
adjust (cairo_surface_t  *surface,
        const PxRecipeOp *op)
{
  int w = width_of (surface), h = height_of (surface), stride = cairo_image_surface_get_stride (surface);
  float table[256];
  float gain = (float) pow (2, op->exposure), k = (float) (1 + op->contrast), s = (float) (1 + op->saturation);
  float warm_r = (float) (1 + 0.2 * op->warmth), warm_b = (float) (1 - 0.2 * op->warmth);
  guint8 *data;

  for (int v = 0; v < 256; v++)
    table[v] = (v / 255.0f * gain - 0.5f) * k + 0.5f;
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < h; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < w; x++)
        {
          guint32 p = row[x];
          guint a = p >> 24;
          float r, g, b, l;

          if (a == 0)
            continue;
          if (a == 255)
            {
              r = table[(p >> 16) & 0xff];
              g = table[(p >> 8) & 0xff];
              b = table[p & 0xff];
            }
          else
            {
              /* Unpremultiplied, through the table's neighbour. */
              r = table[MIN (255, ((p >> 16) & 0xff) * 255 / a)];
              g = table[MIN (255, ((p >> 8) & 0xff) * 255 / a)];
              b = table[MIN (255, (p & 0xff) * 255 / a)];
            }
          l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
          r = (l + (r - l) * s) * warm_r;
          g = l + (g - l) * s;
          b = (l + (b - l) * s) * warm_b;
          row[x] = a << 24 | (guint) (CLAMP (r, 0, 1) * a + 0.5f) << 16 | (guint) (CLAMP (g, 0, 1) * a + 0.5f) << 8 |
                   (guint) (CLAMP (b, 0, 1) * a + 0.5f);
        }
    }
  cairo_surface_mark_dirty (surface);
}

typedef enum {
  FILTER_BW, FILTER_SEPIA, FILTER_VIGNETTE, FILTER_FADE, FILTER_VIVID, FILTER_COOL, FILTER_WARM,
} Filter;

#define VIGNETTE_STEPS 1024

/* A look over every pixel, blended with the original by its strength.
 * The filter is looked up once, the vignette's fall-off is a table by
 * squared distance from the centre, so the loop is plain float math. */
static void
filter (cairo_surface_t  *surface,
        const PxRecipeOp *op)
{
  static const char * const names[] = { "bw", "sepia", "vignette", "fade", "vivid", "cool", "warm" };
  int w = width_of (surface), h = height_of (surface), stride = cairo_image_surface_get_stride (surface);
  float amount = (float) op->amount, falloff[VIGNETTE_STEPS + 1];
  Filter which = FILTER_BW;
  guint8 *data;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (op->filter, names[i]))
      which = (Filter) i;
  /* keep = 1 − 0.8 d^2.5, d from 0 (centre) to 1 (corner), by d². */
  for (int i = 0; i <= VIGNETTE_STEPS; i++)
    falloff[i] = (float) (1 - 0.8 * pow ((double) i / VIGNETTE_STEPS, 1.25));

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < h; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);
      float dy = ((y + 0.5f) / h - 0.5f) / 0.5f;

      for (int x = 0; x < w; x++)
        {
          guint32 p = row[x];
          guint a = p >> 24;
          float r, g, b, nr, ng, nb, l;

          if (a == 0)
            continue;
          /* Unpremultiplied, 0 to 1. */
          r = ((p >> 16) & 0xff) / (float) a;
          g = ((p >> 8) & 0xff) / (float) a;
          b = (p & 0xff) / (float) a;
          l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
          nr = r;
          ng = g;
          nb = b;
          switch (which)
            {
            case FILTER_BW:
              nr = ng = nb = l;
              break;
            case FILTER_SEPIA:
              nr = 0.393f * r + 0.769f * g + 0.189f * b;
              ng = 0.349f * r + 0.686f * g + 0.168f * b;
              nb = 0.272f * r + 0.534f * g + 0.131f * b;
              break;
            case FILTER_VIGNETTE:
              {
                float dx = ((x + 0.5f) / w - 0.5f) / 0.5f;
                float keep = falloff[MIN (VIGNETTE_STEPS, (int) ((dx * dx + dy * dy) / 2 * VIGNETTE_STEPS + 0.5f))];

                nr *= keep;
                ng *= keep;
                nb *= keep;
              }
              break;
            case FILTER_FADE:
              nr = 0.12f + r * 0.8f;
              ng = 0.12f + g * 0.8f;
              nb = 0.12f + b * 0.8f;
              break;
            case FILTER_VIVID:
              nr = l + (r - l) * 1.4f;
              ng = l + (g - l) * 1.4f;
              nb = l + (b - l) * 1.4f;
              break;
            case FILTER_COOL:
              nr *= 0.9f;
              nb = nb * 1.1f + 0.03f;
              break;
            case FILTER_WARM:
              nr = nr * 1.1f + 0.03f;
              nb *= 0.9f;
              break;
            default:
              g_assert_not_reached ();
            }
          r += (nr - r) * amount;
          g += (ng - g) * amount;
          b += (nb - b) * amount;
          row[x] = a << 24 | (guint) (CLAMP (r, 0, 1) * a + 0.5f) << 16 | (guint) (CLAMP (g, 0, 1) * a + 0.5f) << 8 |
                   (guint) (CLAMP (b, 0, 1) * a + 0.5f);
        }
    }
  cairo_surface_mark_dirty (surface);
}

/* Unsharp mask: the pixel pushed away from the mean of its 3 × 3 block. */
static void
sharpen (cairo_surface_t  *surface,
         const PxRecipeOp *op)
{
  int w = width_of (surface), h = height_of (surface), stride = cairo_image_surface_get_stride (surface);
  g_autofree guint8 *copy = NULL;
  guint8 *data;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  copy = g_memdup2 (data, (gsize) stride * h);
  for (int y = 1; y < h - 1; y++)
    for (int x = 1; x < w - 1; x++)
      for (int c = 0; c < 3; c++)
        {
          int sum = 0, here = copy[(gsize) y * stride + x * 4 + c], alpha = copy[(gsize) y * stride + x * 4 + 3];
          double value;

          for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
              sum += copy[(gsize) (y + dy) * stride + (x + dx) * 4 + c];
          value = here + op->amount * 1.5 * (here - sum / 9.0);
          data[(gsize) y * stride + x * 4 + c] = (guint8) CLAMP (lround (value), 0, alpha);
        }
  cairo_surface_mark_dirty (surface);
}

/* ---- text and overlay ---- */

/* Where a box of @bw × @bh goes in a @w × @h image. */
static void
place (const PxRecipeOp *op,
       double            w,
       double            h,
       double            bw,
       double            bh,
       double            margin,
       double           *x,
       double           *y)
{
  const char *p = op->position;

  if (op->has_xy && p == NULL)
    {
      /* The box's centre at (x, y), kept inside. */
      *x = CLAMP (op->x * w - bw / 2, 0, MAX (0, w - bw));
      *y = CLAMP (op->y * h - bh / 2, 0, MAX (0, h - bh));
      return;
    }
  *x = (w - bw) / 2;
  *y = (h - bh) / 2;
  if (g_str_has_prefix (p, "top"))
    *y = margin;
  if (g_str_has_prefix (p, "bottom"))
    *y = h - bh - margin;
  if (g_str_has_suffix (p, "left"))
    *x = margin;
  if (g_str_has_suffix (p, "right"))
    *x = w - bw - margin;
}

static void
set_rgb (cairo_t *cr,
         guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* The step's number and name at the front of an error. */
static void
name_step (GError **error,
           guint    step,
           PxRecipeOpKind kind)
{
  if (error != NULL && *error != NULL)
    g_prefix_error (error, _("Step %u (%s): "), step, px_recipe_op_name (kind));
}

#define MEME_FONT "Impact, Anton, Oswald, DejaVu Sans Condensed, Sans"

static gboolean
draw_text (cairo_surface_t  *surface,
           const PxRecipeOp *op,
           GHashTable       *tokens,
           double            scale,
           GError          **error)
{
  g_autoptr(GHashTable) none = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  PangoAlignment alignment = PANGO_ALIGN_CENTER;
  double w = width_of (surface), h = height_of (surface), x, y;
  double size = op->size > 0 ? op->size * scale : h / 8;
  double margin = op->meme ? MAX (2, w / 25) : MAX (2, w / 30);
  double box = op->meme ? w - 2 * margin : w * op->wrap;
  int tw, th;
  cairo_t *cr;

  if (tokens == NULL)
    tokens = none = g_hash_table_new (g_str_hash, g_str_equal);
  text = op->literal ? g_strdup (op->text) : px_tokens_resolve (op->text, tokens, MAX_TEXT_CHARS, error);
  if (text == NULL)
    return FALSE;
  if (op->meme)
    {
      g_autofree char *plain = g_strstrip (g_strdup (text));

      g_free (text);
      text = g_utf8_strup (plain, -1);
    }
  if (*text == '\0')
    return TRUE;

  cr = cairo_create (surface);
  layout = pango_cairo_create_layout (cr);
  pango_layout_set_text (layout, text, -1);
  if (g_strcmp0 (op->align, "left") == 0)
    alignment = PANGO_ALIGN_LEFT;
  else if (g_strcmp0 (op->align, "right") == 0)
    alignment = PANGO_ALIGN_RIGHT;
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, (int) (box * PANGO_SCALE));
  font = pango_font_description_from_string (op->meme ? MEME_FONT : op->font ? op->font : "Sans Bold");
  if (op->meme)
    pango_font_description_set_weight (font, PANGO_WEIGHT_HEAVY);
  /* The meme look shrinks until the caption fits a quarter of the height. */
  for (;; size = size * 9 / 10)
    {
      pango_font_description_set_absolute_size (font, MAX (1, size) * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (!op->meme || th <= h / 4 || size <= 8)
        break;
    }
  pango_font_description_free (font);
  /* The layout box is the wrap width; its text is aligned inside it. */
  place (op, w, h, box, th, margin, &x, &y);

  if (op->shadow)
    {
      cairo_move_to (cr, x + size / 16, y + size / 16);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  if (op->has_outline || op->meme)
    {
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_width (cr, op->meme ? MAX (2.0, size / 7.0) : MAX (1.0, size / 10));
      set_rgb (cr, op->meme ? 0x000000 : op->outline);
      cairo_stroke_preserve (cr);
    }
  set_rgb (cr, op->meme ? 0xffffff : op->color);
  cairo_fill (cr);
  cairo_destroy (cr);
  return TRUE;
}

static gboolean
draw_overlay (cairo_surface_t  *surface,
              const PxRecipeOp *op,
              GError          **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *logo;
  double w = width_of (surface), h = height_of (surface), lw, lh, x, y, k;
  gsize length;
  cairo_t *cr;

  if (!g_file_get_contents (op->file, &contents, &length, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  /* Decoded no larger than it is drawn. */
  logo = decode (bytes, (int) ceil (MAX (w, h) * op->scale) + 1, NULL, error);
  if (logo == NULL)
    return FALSE;
  lw = w * op->scale;
  k = lw / width_of (logo);
  lh = height_of (logo) * k;
  place (op, w, h, lw, lh, MAX (2, w / 30), &x, &y);
  cr = cairo_create (surface);
  cairo_translate (cr, x, y);
  cairo_scale (cr, k, k);
  cairo_set_source_surface (cr, logo, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint_with_alpha (cr, op->opacity);
  cairo_destroy (cr);
  cairo_surface_destroy (logo);
  return TRUE;
}

/* ---- the whole recipe ---- */

/* The edited image as a surface (ARGB32, premultiplied). max_size > 0
 * renders a preview whose longer side is at most that, the recipe's
 * sizes scaled along; 0 renders at full size. @tokens fill the text's
 * [TOKENS] (NULL: none; a token without a value or default is an error). */
cairo_surface_t *
px_recipe_render_surface (const PxRecipe *recipe,
                          GBytes         *image,
                          GHashTable     *tokens,
                          int             max_size,
                          GError        **error)
{
  int full_width = 0;
  cairo_surface_t *surface = decode (image, max_size, &full_width, error);
  cairo_surface_t *result;

  if (surface == NULL)
    return NULL;
  result = px_recipe_apply (recipe, surface, full_width > 0 ? (double) width_of (surface) / full_width : 1, tokens,
                            error);
  cairo_surface_destroy (surface);
  return result;
}

/* The image decoded for editing: at most @max_size on its longer side (0:
 * full size); @scale gets its size against the full image's. For a live
 * preview: decode once, apply the recipe to a copy at each change. */
cairo_surface_t *
px_recipe_decode (GBytes  *image,
                  int      max_size,
                  double  *scale,
                  GError **error)
{
  int full_width = 0;
  cairo_surface_t *surface = decode (image, max_size, &full_width, error);

  if (surface != NULL && scale != NULL)
    *scale = full_width > 0 ? (double) width_of (surface) / full_width : 1;
  return surface;
}

/* The recipe applied to a copy of @source (a decoded image, @scale of its
 * full size: sizes in the recipe are scaled to match); @source is kept. */
cairo_surface_t *
px_recipe_apply (const PxRecipe  *recipe,
                 cairo_surface_t *source,
                 double           scale,
                 GHashTable      *tokens,
                 GError         **error)
{
  cairo_surface_t *surface = new_like (width_of (source), height_of (source));
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_surface (cr, source, 0, 0);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);

  for (guint i = 0; i < px_recipe_get_n_ops (recipe); i++)
    {
      const PxRecipeOp *op = px_recipe_get_op (recipe, i);
      cairo_surface_t *next = NULL;
      GError *local_error = NULL;

      switch (op->kind)
        {
        case PX_RECIPE_CROP:
          next = crop (surface, op);
          break;
        case PX_RECIPE_ROTATE:
          next = rotate (surface, op);
          break;
        case PX_RECIPE_FLIP:
          next = flip (surface, op);
          break;
        case PX_RECIPE_STRAIGHTEN:
          next = straighten (surface, op);
          break;
        case PX_RECIPE_RESIZE:
          if ((double) width_of (surface) * op->factor * height_of (surface) * op->factor > MAX_RESULT_PIXELS)
            {
              g_set_error (&local_error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_TOO_LARGE,
                           _("the result would be %d × %d, more than the 64 megapixels Pixmerge makes."),
                           width_of (surface) * op->factor, height_of (surface) * op->factor);
              break;
            }
          next = resize (surface, op);
          break;
        case PX_RECIPE_ADJUST:
          adjust (surface, op);
          break;
        case PX_RECIPE_FILTER:
          filter (surface, op);
          break;
        case PX_RECIPE_SHARPEN:
          sharpen (surface, op);
          break;
        case PX_RECIPE_TEXT:
          draw_text (surface, op, tokens, scale, &local_error);
          break;
        case PX_RECIPE_OVERLAY:
          draw_overlay (surface, op, &local_error);
          break;
        default:
          g_assert_not_reached ();
        }
      if (local_error != NULL)
        {
          if (local_error->domain != PX_RECIPE_ERROR || local_error->code != PX_RECIPE_ERROR_INVALID)
            name_step (&local_error, i + 1, op->kind);
          cairo_surface_destroy (surface);
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (next != NULL)
        {
          cairo_surface_destroy (surface);
          surface = next;
        }
    }
  return surface;
}

/* The edited image as a PNG. */
GBytes *
px_recipe_render_png (const PxRecipe *recipe,
                      GBytes         *image,
                      GHashTable     *tokens,
                      int             max_size,
                      GError        **error)
{
  cairo_surface_t *surface = px_recipe_render_surface (recipe, image, tokens, max_size, error);
  GBytes *png;

  if (surface == NULL)
    return NULL;
  png = px_png_from_surface (surface, error);
  cairo_surface_destroy (surface);
  return png;
}
