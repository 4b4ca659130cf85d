/* test-editor.c: the Editor's AI mode in a real window under Xvfb, talking
 * HTTP to the fake provider: an instruction with a token filled from the
 * image's values, an area painted on the picture and sent as OpenAI's
 * alpha mask, a refusal and a quota error shown in the provider's own
 * words (and nothing kept), then an edit kept as a new version of the image
 * with its instruction, the Editor going on with it. */
#include "config.h"

#include <string.h>

#include "px-editor-ai-panel.h"
#include "px-editor-canvas.h"
#include "px-editor-window.h"
#include "px-fake-image.h"
#include "px-fake-provider.h"
#include "px-test-fake.h"
#include "px-test-ui.h"
#include "px-window.h"

#define KEY "test-key-0123456789"

static PxApplication *app;
static PxFakeProvider *fake;
static PxWindow *window;
static gint64 seeded_id;

static PxLibrary *
library (void)
{
  return px_application_get_library (app, NULL);
}

static gint64
seed (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxLibrary) seeded = px_library_open (dir, &error);
  g_autoptr(PxGenerationRequest) request = px_generation_request_new ("gpt-image-1.5", "Portrait of Ada");
  g_autoptr(PxGenerationResult) result = px_generation_result_new ();
  g_autoptr(GBytes) png = px_fake_render_image ("Portrait of Ada", 256, 192, "png");
  PxImage *image = px_image_new (png, "image/png");
  gint64 id;

  g_assert_no_error (error);
  px_generation_request_set_template (request, "Portrait of [FIRSTNAME]", NULL);
  g_hash_table_insert (request->tokens, g_strdup ("FIRSTNAME"), g_strdup ("Ada"));
  image->width = 256;
  image->height = 192;
  g_ptr_array_add (result->images, image);
  result->provider_id = g_strdup ("openai");
  result->model_id = g_strdup ("gpt-image-1.5");
  result->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  id = px_library_add_generation (seeded, request, result, 0, "generate", &error);
  g_assert_no_error (error);
  return id;
}

static gboolean
editor_ready (gpointer data)
{
  return px_editor_window_is_ready (data);
}

static gboolean
panel_idle (gpointer data)
{
  return !px_editor_ai_panel_is_running (data);
}

static gboolean
editor_saved (gpointer data)
{
  return px_editor_window_get_saved_id (data) > 0;
}

static gboolean
on_new_version (gpointer data)
{
  return px_editor_window_get_image_id (data) == px_editor_window_get_saved_id (data) &&
         px_editor_window_is_ready (data);
}

static const char *
label_of (GtkWidget  *root,
          const char *name)
{
  return gtk_label_get_text (GTK_LABEL (px_test_ui_find_by_name (root, GTK_TYPE_LABEL, name)));
}

/* The part called @name of the last request's multipart body. */
static GBytes *
last_part (const char *name)
{
  GPtrArray *requests = px_fake_provider_get_requests (fake);
  PxFakeRequest *last = g_ptr_array_index (requests, requests->len - 1);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMultipart) multipart = NULL;

  g_assert_cmpstr (last->path, ==, "/v1/images/edits");
  soup_message_headers_replace (headers, "Content-Type", last->content_type_header);
  multipart = soup_multipart_new_from_message (headers, last->body);
  g_assert_nonnull (multipart);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;

      soup_multipart_get_part (multipart, i, &part_headers, &part);
      if (soup_message_headers_get_content_disposition (part_headers, NULL, &params) &&
          g_strcmp0 (g_hash_table_lookup (params, "name"), name) == 0)
        return g_bytes_ref (part);
    }
  return NULL;
}

static guint8
alpha_at (GdkTexture *texture,
          int         x,
          int         y)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);

  /* GDK_MEMORY_DEFAULT: premultiplied B, G, R, A on little-endian. */
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  return pixels[((gsize) y * width + x) * 4 + 3];
}

static void
test_ai_edit (void)
{
  g_autoptr(PxLibraryImage) image = px_library_get_image (library (), seeded_id, NULL);
  g_autoptr(PxLibraryImage) edit = NULL;
  g_autoptr(GBytes) mask = NULL;
  g_autoptr(GdkTexture) mask_texture = NULL;
  GtkWidget *editor, *panel, *instruction, *canvas;
  guint before;
  int width, height;

  g_assert_nonnull (image);
  editor = GTK_WIDGET (px_editor_window_new (GTK_WINDOW (window), library (), image));
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_true (px_test_ui_wait_until (editor_ready, editor));
  gtk_stack_set_visible_child_name (GTK_STACK (px_test_ui_find_by_name (editor, GTK_TYPE_STACK, "mode")), "ai");
  panel = px_test_ui_find_by_name (editor, PX_TYPE_EDITOR_AI_PANEL, "ai-panel");
  g_assert_true (px_editor_ai_panel_select_model (PX_EDITOR_AI_PANEL (panel), "gpt-image-1.5"));

  /* The instruction's token filled from the image's own values; the price on the button. */
  instruction = px_test_ui_find_by_name (panel, ADW_TYPE_ENTRY_ROW, "instruction");
  gtk_editable_set_text (GTK_EDITABLE (instruction), "Put [FIRSTNAME] on a beach at sunset");
  g_assert_cmpstr (label_of (panel, "ai-sends"), ==, "Sends: Put Ada on a beach at sunset");
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (px_test_ui_find_by_name (panel, GTK_TYPE_BUTTON,
                                                                                      "ai-run"))), "$"));

  /* Paint the area that may change: one stroke across the middle. */
  gtk_switch_set_active (GTK_SWITCH (px_test_ui_find_by_name (panel, GTK_TYPE_SWITCH, "paint-mask")), TRUE);
  canvas = px_test_ui_find_by_name (editor, PX_TYPE_EDITOR_CANVAS, "canvas");
  g_assert_true (px_editor_canvas_get_painting (PX_EDITOR_CANVAS (canvas)));
  g_assert_true (px_test_ui_wait_for_draw (editor, 50));
  width = gtk_widget_get_width (canvas);
  height = gtk_widget_get_height (canvas);
  g_assert_true (px_editor_canvas_paint_at (PX_EDITOR_CANVAS (canvas), width / 2.0 - 10, height / 2.0, TRUE));
  g_assert_true (px_editor_canvas_paint_at (PX_EDITOR_CANVAS (canvas), width / 2.0 + 10, height / 2.0, FALSE));
  g_assert_cmpuint (px_editor_canvas_get_strokes (PX_EDITOR_CANVAS (canvas))->len, ==, 1);

  /* Refused, then out of quota: the provider's words, nothing kept. */
  before = px_library_count (library (), NULL, NULL);
  px_fake_provider_push_fault (fake, PX_FAKE_FAULT_POLICY, 0);
  px_editor_ai_panel_run (PX_EDITOR_AI_PANEL (panel));
  px_test_ui_spin (50);
  g_assert_true (px_test_ui_wait_until (panel_idle, panel));
  g_assert_nonnull (strstr (label_of (panel, "ai-status"), "rejected as a result of our safety system"));
  px_fake_provider_push_fault (fake, PX_FAKE_FAULT_QUOTA, 0);
  px_editor_ai_panel_run (PX_EDITOR_AI_PANEL (panel));
  px_test_ui_spin (50);
  g_assert_true (px_test_ui_wait_until (panel_idle, panel));
  g_assert_nonnull (strstr (label_of (panel, "ai-status"), "exceeded your current quota"));
  g_assert_cmpuint (px_library_count (library (), NULL, NULL), ==, before);

  /* Made: a new version with its instruction; the mask as OpenAI takes
   * it (the image's size, transparent where painted, opaque elsewhere). */
  px_editor_ai_panel_run (PX_EDITOR_AI_PANEL (panel));
  g_assert_true (px_test_ui_wait_until (editor_saved, editor));
  edit = px_library_get_image (library (), px_editor_window_get_saved_id (PX_EDITOR_WINDOW (editor)), NULL);
  g_assert_nonnull (edit);
  g_assert_cmpint (edit->parent_id, ==, image->id);
  g_assert_cmpstr (edit->instruction, ==, "Put Ada on a beach at sunset");
  g_assert_cmpstr (edit->feature, ==, "ai-edit");
  g_assert_cmpstr (edit->model, ==, "gpt-image-1.5");
  g_assert_cmpstr (edit->prompt, ==, "Portrait of Ada");
  g_assert_cmpfloat (edit->cost, >, 0);
  g_assert_cmpuint (px_library_count (library (), NULL, NULL), ==, before + 1);
  mask = last_part ("mask");
  g_assert_nonnull (mask);
  mask_texture = gdk_texture_new_from_bytes (mask, NULL);
  g_assert_nonnull (mask_texture);
  g_assert_cmpint (gdk_texture_get_width (mask_texture), ==, 256);
  g_assert_cmpint (gdk_texture_get_height (mask_texture), ==, 192);
  g_assert_cmpuint (alpha_at (mask_texture, 128, 96), ==, 0);
  g_assert_cmpuint (alpha_at (mask_texture, 2, 2), ==, 255);
  {
    g_autoptr(GBytes) sent = last_part ("image[]");
    g_autoptr(GBytes) prompt = last_part ("prompt");

    if (sent == NULL)
      sent = last_part ("image");
    g_assert_nonnull (sent);
    g_assert_cmpmem (g_bytes_get_data (prompt, NULL), g_bytes_get_size (prompt), "Put Ada on a beach at sunset", 28);
  }

  /* The Editor goes on with the new version; undo goes back to the
   * picture before it (the version stays in the library), redo to it. */
  g_assert_true (px_test_ui_wait_until (on_new_version, editor));
  g_assert_true (gtk_widget_activate_action (editor, "editor.undo", NULL));
  g_assert_cmpint (px_editor_window_get_image_id (PX_EDITOR_WINDOW (editor)), ==, image->id);
  g_assert_true (px_test_ui_wait_until (editor_ready, editor));
  g_assert_true (gtk_widget_activate_action (editor, "editor.redo", NULL));
  g_assert_true (px_test_ui_wait_until (on_new_version, editor));
  g_assert_cmpuint (px_library_count (library (), NULL, NULL), ==, before + 1);
  gtk_window_close (GTK_WINDOW (editor));
  px_test_ui_spin (100);
}

/* The Editor by keyboard: Tab goes round the header, the picture's zoom
 * and every tool in reading order (left column, then the tools on the
 * right), reaching the sliders and Save, and nothing off the screen. */
static void
test_focus_order (void)
{
  g_autoptr(PxLibraryImage) image = px_library_get_image (library (), seeded_id, NULL);
  g_autoptr(GPtrArray) stops = NULL;
  GtkWidget *editor, *start;
  gboolean slider = FALSE, save = FALSE;

  editor = GTK_WIDGET (px_editor_window_new (GTK_WINDOW (window), library (), image));
  gtk_window_set_default_size (GTK_WINDOW (editor), 1100, 720);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_true (px_test_ui_wait_until (editor_ready, editor));
  /* A change, so that there is something to save. */
  gtk_range_set_value (GTK_RANGE (px_test_ui_find_by_name (editor, GTK_TYPE_SCALE, "exposure")), 0.2);
  g_assert_true (px_test_ui_wait_until (editor_ready, editor));
  g_assert_true (px_test_ui_wait_for_draw (editor, 50));
  g_assert_true (gtk_widget_child_focus (editor, GTK_DIR_TAB_FORWARD));
  start = gtk_root_get_focus (GTK_ROOT (editor));
  stops = px_test_ui_tab_through (GTK_WINDOW (editor), start, NULL);
  for (guint i = 0; i < stops->len; i++)
    {
      const char *name = gtk_widget_get_name (g_ptr_array_index (stops, i));

      slider |= g_str_equal (name, "exposure");
      save |= g_str_equal (name, "save-version");
    }
  g_assert_true (slider);
  g_assert_true (save);
  gtk_window_close (GTK_WINDOW (editor));
  px_test_ui_spin (100);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *library_dir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (!px_test_ui_init ())
    {
      g_test_skip ("No display: run the UI tests with build-aux/test");
      return g_test_run ();
    }

  library_dir = px_test_fake_library_dir ("editor");
  seeded_id = seed (library_dir);
  fake = px_test_fake_start (KEY);

  app = px_test_ui_application ();
  window = px_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (px_test_ui_wait_for_draw (GTK_WIDGET (window), 50));

  g_test_add_func ("/editor/ai-edit", test_ai_edit);
  g_test_add_func ("/editor/focus-order", test_focus_order);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  px_test_ui_spin (50);
  g_clear_object (&app);
  g_clear_object (&fake);
  px_test_fake_remove_dir (library_dir);
  return ret;
}
