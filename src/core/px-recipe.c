/* px-recipe.c: recipes as JSON. Every step is checked when it is read:
 * an unknown operation or setting, a value out of range, a colour that is
 * not #rrggbb, a missing overlay file are errors that name the step
 * ("Step 2 (adjust): …"), so a recipe that loads also renders. Writing
 * gives the same recipe back when read. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "px-json.h"
#include "px-recipe.h"

#define MAX_RECIPE_BYTES (1024 * 1024)
#define MAX_OPS 200

struct _PxRecipe
{
  GArray *ops;   /* PxRecipeOp */
};

static const char * const op_names[] = {
  "crop", "rotate", "flip", "straighten", "adjust", "sharpen", "filter", "text", "overlay", "resize",
};
static const char * const aspects[] = { "free", "1:1", "4:5", "16:9", "9:16", "3:2", NULL };
static const char * const filters[] = { "bw", "sepia", "vignette", "fade", "vivid", "cool", "warm", NULL };
static const char * const positions[] = { "top", "center", "bottom", "top-left", "top-right", "bottom-left",
                                          "bottom-right", NULL };
static const char * const aligns[] = { "left", "center", "right", NULL };

G_DEFINE_QUARK (px-recipe-error-quark, px_recipe_error)

const char *
px_recipe_op_name (PxRecipeOpKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (op_names), NULL);

  return op_names[kind];
}

static void
op_clear (PxRecipeOp *op)
{
  g_free (op->aspect);
  g_free (op->filter);
  g_free (op->text);
  g_free (op->font);
  g_free (op->position);
  g_free (op->align);
  g_free (op->file);
}

static void
op_copy (PxRecipeOp       *to,
         const PxRecipeOp *from)
{
  *to = *from;
  to->aspect = g_strdup (from->aspect);
  to->filter = g_strdup (from->filter);
  to->text = g_strdup (from->text);
  to->font = g_strdup (from->font);
  to->position = g_strdup (from->position);
  to->align = g_strdup (from->align);
  to->file = g_strdup (from->file);
}

PxRecipe *
px_recipe_new (void)
{
  PxRecipe *recipe = g_new0 (PxRecipe, 1);

  recipe->ops = g_array_new (FALSE, TRUE, sizeof (PxRecipeOp));
  g_array_set_clear_func (recipe->ops, (GDestroyNotify) op_clear);
  return recipe;
}

void
px_recipe_free (PxRecipe *recipe)
{
  if (recipe == NULL)
    return;
  g_array_unref (recipe->ops);
  g_free (recipe);
}

PxRecipe *
px_recipe_copy (const PxRecipe *recipe)
{
  PxRecipe *copy = px_recipe_new ();

  for (guint i = 0; i < recipe->ops->len; i++)
    px_recipe_append (copy, &g_array_index (recipe->ops, PxRecipeOp, i));
  return copy;
}

guint
px_recipe_get_n_ops (const PxRecipe *recipe)
{
  return recipe->ops->len;
}

const PxRecipeOp *
px_recipe_get_op (const PxRecipe *recipe,
                  guint           index)
{
  g_return_val_if_fail (index < recipe->ops->len, NULL);

  return &g_array_index (recipe->ops, PxRecipeOp, index);
}

/* Appends a copy of @op. */
void
px_recipe_append (PxRecipe         *recipe,
                  const PxRecipeOp *op)
{
  PxRecipeOp copy;

  op_copy (&copy, op);
  g_array_append_val (recipe->ops, copy);
}

void
px_recipe_remove_last (PxRecipe *recipe)
{
  if (recipe->ops->len > 0)
    g_array_set_size (recipe->ops, recipe->ops->len - 1);
}

gboolean
px_recipe_uses_tokens (const PxRecipe *recipe)
{
  for (guint i = 0; i < recipe->ops->len; i++)
    {
      const PxRecipeOp *op = &g_array_index (recipe->ops, PxRecipeOp, i);

      if (op->kind == PX_RECIPE_TEXT && op->text != NULL && strchr (op->text, '[') != NULL)
        return TRUE;
    }
  return FALSE;
}

/* ---- reading ---- */

typedef struct {
  guint       step;
  const char *op;
  GError    **error;
} Step;

static gboolean G_GNUC_PRINTF (2, 3)
step_error (Step       *step,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (step->op != NULL)
    g_set_error (step->error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID, _("Step %u (%s): %s"), step->step, step->op,
                 message);
  else
    g_set_error (step->error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID, _("Step %u: %s"), step->step, message);
  return FALSE;
}

static gboolean
read_number (Step       *step,
             JsonObject *object,
             const char *name,
             double      min,
             double      max,
             double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    return step_error (step, _("“%s” must be a number."), name);
  *value = json_node_get_double (node);
  if (!(*value >= min && *value <= max))
    return step_error (step, _("“%s” must be from %g to %g, not %g."), name, min, max, *value);
  return TRUE;
}

static gboolean
read_choice (Step               *step,
             JsonObject         *object,
             const char         *name,
             const char * const *choices,
             char              **value)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return step_error (step, _("“%s” must be text."), name);
  text = json_node_get_string (node);
  if (choices != NULL && !g_strv_contains (choices, text))
    {
      g_autofree char *all = g_strjoinv (", ", (char **) choices);

      return step_error (step, _("“%s” is one of %s, not “%s”."), name, all, text);
    }
  g_free (*value);
  *value = g_strdup (text);
  return TRUE;
}

static gboolean
read_colour (Step       *step,
             JsonObject *object,
             const char *name,
             guint32    *value,
             gboolean   *present)
{
  g_autofree char *text = NULL;
  guint64 parsed;

  if (!read_choice (step, object, name, NULL, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (strlen (text) != 7 || text[0] != '#' || !g_ascii_string_to_unsigned (text + 1, 16, 0, 0xffffff, &parsed, NULL))
    return step_error (step, _("“%s” is a colour written #rrggbb, not “%s”."), name, text);
  *value = (guint32) parsed;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

static gboolean
read_bool (Step       *step,
           JsonObject *object,
           const char *name,
           gboolean   *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return step_error (step, _("“%s” must be true or false."), name);
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* Settings an operation does not have are mistakes worth saying. */
static gboolean
only_known (Step               *step,
            JsonObject         *object,
            const char * const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "op") && !g_strv_contains (known, l->data))
      {
        g_autofree char *all = g_strjoinv (", ", (char **) known);

        return step_error (step, _("it has no setting “%s” (it has %s)."), (char *) l->data, all);
      }
  return TRUE;
}

static gboolean
read_position (Step       *step,
               JsonObject *object,
               PxRecipeOp *op)
{
  if (!read_choice (step, object, "position", positions, &op->position))
    return FALSE;
  if (json_object_has_member (object, "x") || json_object_has_member (object, "y"))
    {
      op->x = op->y = 0.5;
      op->has_xy = TRUE;
      if (!read_number (step, object, "x", 0, 1, &op->x) || !read_number (step, object, "y", 0, 1, &op->y))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_op (Step        *step,
         JsonObject  *object,
         const char  *base_dir,
         PxRecipeOp  *op)
{
  const char *name = px_json_string_member (object, "op", NULL);
  double number = 0;

  memset (op, 0, sizeof *op);
  if (name == NULL)
    return step_error (step, _("it has no “op” saying what it does."));
  op->kind = G_N_ELEMENTS (op_names);
  for (guint i = 0; i < G_N_ELEMENTS (op_names); i++)
    if (g_str_equal (name, op_names[i]))
      op->kind = (PxRecipeOpKind) i;
  if ((guint) op->kind == G_N_ELEMENTS (op_names))
    {
      g_autofree char *all = g_strjoinv (", ", (char **) op_names);

      return step_error (step, _("there is no operation “%s” (there are %s)."), name, all);
    }
  step->op = op_names[op->kind];

  switch (op->kind)
    {
    case PX_RECIPE_CROP:
      {
        static const char * const known[] = { "aspect", "x", "y", "width", "height", NULL };

        op->x = op->y = 0.5;
        op->width = op->height = 1;
        if (!only_known (step, object, known) || !read_choice (step, object, "aspect", aspects, &op->aspect))
          return FALSE;
        if (op->aspect == NULL)
          op->aspect = g_strdup ("free");
        op->has_xy = json_object_has_member (object, "x") || json_object_has_member (object, "y");
        if (g_str_equal (op->aspect, "free"))
          {
            op->x = op->y = 0;
            if (!read_number (step, object, "x", 0, 1, &op->x) || !read_number (step, object, "y", 0, 1, &op->y) ||
                !read_number (step, object, "width", 0.01, 1, &op->width) ||
                !read_number (step, object, "height", 0.01, 1, &op->height))
              return FALSE;
            if (op->x + op->width > 1.0001 || op->y + op->height > 1.0001)
              return step_error (step, _("the crop goes past the edge of the image."));
          }
        else if (!read_number (step, object, "x", 0, 1, &op->x) || !read_number (step, object, "y", 0, 1, &op->y))
          return FALSE;
        return TRUE;
      }
    case PX_RECIPE_ROTATE:
      {
        static const char * const known[] = { "degrees", NULL };

        number = 90;
        if (!only_known (step, object, known) || !read_number (step, object, "degrees", -270, 270, &number))
          return FALSE;
        if (number != 90 && number != 180 && number != 270 && number != -90 && number != -180 && number != -270)
          return step_error (step, _("“degrees” is 90, 180 or 270, not %g."), number);
        op->degrees = ((int) number + 360) % 360;
        return TRUE;
      }
    case PX_RECIPE_FLIP:
      {
        static const char * const known[] = { "direction", NULL };
        static const char * const directions[] = { "horizontal", "vertical", NULL };
        g_autofree char *direction = NULL;

        if (!only_known (step, object, known) || !read_choice (step, object, "direction", directions, &direction))
          return FALSE;
        op->vertical = g_strcmp0 (direction, "vertical") == 0;
        return TRUE;
      }
    case PX_RECIPE_STRAIGHTEN:
      {
        static const char * const known[] = { "angle", NULL };

        return only_known (step, object, known) && read_number (step, object, "angle", -45, 45, &op->angle);
      }
    case PX_RECIPE_ADJUST:
      {
        static const char * const known[] = { "exposure", "contrast", "saturation", "warmth", NULL };

        return only_known (step, object, known) && read_number (step, object, "exposure", -1, 1, &op->exposure) &&
               read_number (step, object, "contrast", -1, 1, &op->contrast) &&
               read_number (step, object, "saturation", -1, 1, &op->saturation) &&
               read_number (step, object, "warmth", -1, 1, &op->warmth);
      }
    case PX_RECIPE_SHARPEN:
      {
        static const char * const known[] = { "amount", NULL };

        op->amount = 0.5;
        return only_known (step, object, known) && read_number (step, object, "amount", 0, 1, &op->amount);
      }
    case PX_RECIPE_FILTER:
      {
        static const char * const known[] = { "name", "strength", NULL };

        op->amount = 1;
        if (!only_known (step, object, known) || !read_choice (step, object, "name", filters, &op->filter) ||
            !read_number (step, object, "strength", 0, 1, &op->amount))
          return FALSE;
        if (op->filter == NULL)
          return step_error (step, _("it needs a “name”."));
        return TRUE;
      }
    case PX_RECIPE_TEXT:
      {
        static const char * const known[] = { "text", "font", "size", "color", "outline", "shadow", "position", "x",
                                              "y", "align", "wrap", "style", NULL };
        static const char * const styles[] = { "plain", "meme", NULL };
        g_autofree char *style = NULL;

        if (!read_choice (step, object, "style", styles, &style))
          return FALSE;
        op->meme = g_strcmp0 (style, "meme") == 0;
        /* A meme's size is its largest: by default an eighth of the height. */
        op->size = op->meme ? 0 : 48;
        op->color = 0xffffff;
        op->wrap = 0.9;
        if (!only_known (step, object, known) || !read_choice (step, object, "text", NULL, &op->text) ||
            !read_choice (step, object, "font", NULL, &op->font) ||
            (json_object_has_member (object, "size") && !read_number (step, object, "size", 4, 2000, &op->size)) ||
            !read_colour (step, object, "color", &op->color, NULL) ||
            !read_colour (step, object, "outline", &op->outline, &op->has_outline) ||
            !read_bool (step, object, "shadow", &op->shadow) || !read_position (step, object, op) ||
            !read_choice (step, object, "align", aligns, &op->align) ||
            !read_number (step, object, "wrap", 0.05, 1, &op->wrap))
          return FALSE;
        if (op->text == NULL)
          return step_error (step, _("it needs a “text”."));
        if (op->position == NULL && !op->has_xy)
          op->position = g_strdup ("bottom");
        return TRUE;
      }
    case PX_RECIPE_OVERLAY:
      {
        static const char * const known[] = { "file", "scale", "opacity", "position", "x", "y", NULL };

        op->scale = 0.2;
        op->opacity = 1;
        if (!only_known (step, object, known) || !read_choice (step, object, "file", NULL, &op->file) ||
            !read_number (step, object, "scale", 0.01, 1, &op->scale) ||
            !read_number (step, object, "opacity", 0, 1, &op->opacity) || !read_position (step, object, op))
          return FALSE;
        if (op->file == NULL)
          return step_error (step, _("it needs a “file”."));
        if (!g_path_is_absolute (op->file) && base_dir != NULL)
          {
            char *absolute = g_build_filename (base_dir, op->file, NULL);

            g_free (op->file);
            op->file = absolute;
          }
        if (!g_file_test (op->file, G_FILE_TEST_IS_REGULAR))
          return step_error (step, _("there is no file %s."), op->file);
        if (op->position == NULL && !op->has_xy)
          op->position = g_strdup ("bottom-right");
        return TRUE;
      }
    case PX_RECIPE_RESIZE:
      {
        static const char * const known[] = { "scale", NULL };

        number = 2;
        if (!only_known (step, object, known) || !read_number (step, object, "scale", 2, 4, &number))
          return FALSE;
        if (number != 2 && number != 4)
          return step_error (step, _("“scale” is 2 or 4, not %g."), number);
        op->factor = (int) number;
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static PxRecipe *
parse (const char  *json,
       gssize       length,
       const char  *base_dir,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(PxRecipe) recipe = px_recipe_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *ops;
  gsize size = length < 0 ? strlen (json) : (gsize) length;

  if (size > MAX_RECIPE_BYTES)
    {
      g_set_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID, _("A recipe is at most 1 MB; this is %zu"
                                                                      " bytes."), size);
      return NULL;
    }
  if (!px_json_load (parser, json, size, &local_error))
    {
      g_set_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID, _("This is not a recipe: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (ops = px_json_array_member (root = json_node_get_object (json_parser_get_root (parser)), "operations")) == NULL)
    {
      g_set_error_literal (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID,
                           _("This is not a recipe: it needs {\"operations\": [ … ]}."));
      return NULL;
    }
  if (json_array_get_length (ops) > MAX_OPS)
    {
      g_set_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID, _("A recipe has at most %d steps; this has %u."),
                   MAX_OPS, json_array_get_length (ops));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *object = px_json_object_element (ops, i);
      Step step = { i + 1, NULL, error };
      PxRecipeOp op;

      if (object == NULL)
        {
          step_error (&step, _("it is not an object."));
          return NULL;
        }
      if (!read_op (&step, object, base_dir, &op))
        {
          op_clear (&op);
          return NULL;
        }
      g_array_append_val (recipe->ops, op);
    }
  return g_steal_pointer (&recipe);
}

PxRecipe *
px_recipe_new_from_json (const char  *json,
                         gssize       length,
                         GError     **error)
{
  return parse (json, length, NULL, error);
}

/* Overlay files named without a folder are looked for next to the recipe. */
PxRecipe *
px_recipe_new_from_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                                                 error);
  gsize length;

  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > MAX_RECIPE_BYTES)
    {
      g_set_error (error, PX_RECIPE_ERROR, PX_RECIPE_ERROR_INVALID, _("%s is not a recipe: more than 1 MB."), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return parse (contents, length, dir, error);
}

/* ---- writing ---- */

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_colour (JsonBuilder *builder,
            const char  *name,
            guint32      value)
{
  g_autofree char *text = g_strdup_printf ("#%06x", value & 0xffffff);

  px_json_add_string (builder, name, text);
}

static void
add_position (JsonBuilder      *builder,
              const PxRecipeOp *op)
{
  px_json_add_string (builder, "position", op->position);
  if (op->has_xy)
    {
      add_number (builder, "x", op->x);
      add_number (builder, "y", op->y);
    }
}

/* The recipe as JSON that reads back as the same recipe. */
char *
px_recipe_to_json (const PxRecipe *recipe)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < recipe->ops->len; i++)
    {
      const PxRecipeOp *op = &g_array_index (recipe->ops, PxRecipeOp, i);

      json_builder_begin_object (builder);
      px_json_add_string (builder, "op", op_names[op->kind]);
      switch (op->kind)
        {
        case PX_RECIPE_CROP:
          px_json_add_string (builder, "aspect", op->aspect);
          if (g_strcmp0 (op->aspect, "free") == 0)
            {
              add_number (builder, "x", op->x);
              add_number (builder, "y", op->y);
              add_number (builder, "width", op->width);
              add_number (builder, "height", op->height);
            }
          else if (op->has_xy)
            {
              add_number (builder, "x", op->x);
              add_number (builder, "y", op->y);
            }
          break;
        case PX_RECIPE_ROTATE:
          add_number (builder, "degrees", op->degrees);
          break;
        case PX_RECIPE_FLIP:
          px_json_add_string (builder, "direction", op->vertical ? "vertical" : "horizontal");
          break;
        case PX_RECIPE_STRAIGHTEN:
          add_number (builder, "angle", op->angle);
          break;
        case PX_RECIPE_ADJUST:
          add_number (builder, "exposure", op->exposure);
          add_number (builder, "contrast", op->contrast);
          add_number (builder, "saturation", op->saturation);
          add_number (builder, "warmth", op->warmth);
          break;
        case PX_RECIPE_SHARPEN:
          add_number (builder, "amount", op->amount);
          break;
        case PX_RECIPE_FILTER:
          px_json_add_string (builder, "name", op->filter);
          add_number (builder, "strength", op->amount);
          break;
        case PX_RECIPE_TEXT:
          px_json_add_string (builder, "text", op->text);
          if (op->meme)
            px_json_add_string (builder, "style", "meme");
          px_json_add_string (builder, "font", op->font);
          if (op->size > 0)
            add_number (builder, "size", op->size);
          add_colour (builder, "color", op->color);
          if (op->has_outline)
            add_colour (builder, "outline", op->outline);
          json_builder_set_member_name (builder, "shadow");
          json_builder_add_boolean_value (builder, op->shadow);
          add_position (builder, op);
          px_json_add_string (builder, "align", op->align);
          add_number (builder, "wrap", op->wrap);
          break;
        case PX_RECIPE_OVERLAY:
          px_json_add_string (builder, "file", op->file);
          add_number (builder, "scale", op->scale);
          add_number (builder, "opacity", op->opacity);
          add_position (builder, op);
          break;
        case PX_RECIPE_RESIZE:
          add_number (builder, "scale", op->factor);
          break;
        default:
          g_assert_not_reached ();
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* A line for people: "Crop 1:1 · Adjust · Text “Hello [NAME]”". */
char *
px_recipe_describe (const PxRecipe *recipe)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < recipe->ops->len; i++)
    {
      const PxRecipeOp *op = &g_array_index (recipe->ops, PxRecipeOp, i);

      if (out->len > 0)
        g_string_append (out, " · ");
      switch (op->kind)
        {
        case PX_RECIPE_CROP:
          g_string_append_printf (out, _("Crop %s"), op->aspect);
          break;
        case PX_RECIPE_ROTATE:
          g_string_append_printf (out, _("Turn %d°"), op->degrees);
          break;
        case PX_RECIPE_FLIP:
          g_string_append (out, _("Flip"));
          break;
        case PX_RECIPE_STRAIGHTEN:
          g_string_append_printf (out, _("Straighten %g°"), op->angle);
          break;
        case PX_RECIPE_ADJUST:
          g_string_append (out, _("Adjust"));
          break;
        case PX_RECIPE_SHARPEN:
          g_string_append (out, _("Sharpen"));
          break;
        case PX_RECIPE_FILTER:
          g_string_append_printf (out, _("Filter %s"), op->filter);
          break;
        case PX_RECIPE_TEXT:
          g_string_append_printf (out, _("Text “%s”"), op->text);
          break;
        case PX_RECIPE_OVERLAY:
          {
            g_autofree char *name = g_path_get_basename (op->file);

            g_string_append_printf (out, _("Overlay %s"), name);
          }
          break;
        case PX_RECIPE_RESIZE:
          g_string_append_printf (out, _("Enlarge %d×"), op->factor);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (out->len == 0)
    g_string_append (out, _("No change"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
