/* test-ai-edit.c: edits by instruction, over real HTTP against the fake:
 * OpenAI's edits get the image and the mask as the API documents them (a
 * PNG whose transparent pixels may change, the image's size) and the
 * instruction with its tokens filled; a mask the API would refuse costs no
 * request; Gemini takes the image and the instruction; the provider's
 * refusal and quota errors arrive in its own words. */
#include "config.h"

#include <cairo.h>
#include <string.h>

#include "px-fake-image.h"
#include "px-test-engine.h"
#include "px-tokens.h"

static cairo_status_t
append (void                *closure,
        const unsigned char *data,
        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A mask of @width × @height: opaque, with a transparent hole where the
 * edit may change things; RGB24 for one with no alpha at all. */
static GBytes *
mask_png (int            width,
          int            height,
          cairo_format_t format)
{
  cairo_surface_t *surface = cairo_image_surface_create (format, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_rectangle (cr, width / 4, height / 4, width / 2, height / 2);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static PxGenerationRequest *
edit_request (const char *model,
              GBytes     *image)
{
  g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  const char *instruction = "Make the background a beach at sunset behind [FIRSTNAME]";
  g_autofree char *prompt = NULL;
  PxGenerationRequest *request;

  g_hash_table_insert (tokens, "FIRSTNAME", "Ada");
  prompt = px_tokens_resolve (instruction, tokens, 0, &error);
  g_assert_no_error (error);
  request = px_generation_request_new (model, prompt);
  px_generation_request_set_template (request, instruction, NULL);
  g_hash_table_insert (request->tokens, g_strdup ("FIRSTNAME"), g_strdup ("Ada"));
  px_generation_request_add_reference (request, image, "image/png");
  return request;
}

/* The parts of the last request's multipart body, by name. */
static GHashTable *
last_parts (PxFakeProvider *fake)
{
  GPtrArray *requests = px_fake_provider_get_requests (fake);
  PxFakeRequest *last = g_ptr_array_index (requests, requests->len - 1);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMultipart) multipart = NULL;
  GHashTable *parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);

  soup_message_headers_replace (headers, "Content-Type", last->content_type_header);
  multipart = soup_multipart_new_from_message (headers, last->body);
  g_assert_nonnull (multipart);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part;
      g_autoptr(GHashTable) params = NULL;

      soup_multipart_get_part (multipart, i, &part_headers, &part);
      if (soup_message_headers_get_content_disposition (part_headers, NULL, &params))
        g_hash_table_insert (parts, g_strdup (g_hash_table_lookup (params, "name")), g_bytes_ref (part));
    }
  return parts;
}

static void
test_openai_mask (PxTestFixture *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) image = px_fake_render_image ("Portrait of Ada", 256, 192, "png");
  g_autoptr(GBytes) mask = mask_png (256, 192, CAIRO_FORMAT_ARGB32);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) parts = NULL;
  PxGenerationRequest *request = edit_request ("gpt-image-2", image);
  g_autoptr(PxGenerationResult) result = NULL;
  GBytes *prompt;

  px_generation_request_set_mask (request, mask);
  result = px_test_generate (f->engine, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->images->len, ==, 1);

  parts = last_parts (f->fake);
  prompt = g_hash_table_lookup (parts, "prompt");
  g_assert_cmpmem (g_bytes_get_data (prompt, NULL), g_bytes_get_size (prompt),
                   "Make the background a beach at sunset behind Ada", 48);
  g_assert_true (g_bytes_equal (g_hash_table_lookup (parts, "image"), image));
  g_assert_true (g_bytes_equal (g_hash_table_lookup (parts, "mask"), mask));
  g_assert_cmpstr (((PxFakeRequest *) g_ptr_array_index (px_fake_provider_get_requests (f->fake), 0))->path, ==,
                   "/v1/images/edits");
}

/* Masks the API would refuse: no alpha, another size, a model that takes
 * none. Refused here, nothing sent. */
static void
test_bad_masks (PxTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) image = px_fake_render_image ("Portrait of Ada", 256, 192, "png");
  struct {
    const char    *model;
    int            width, height;
    cairo_format_t format;
    const char    *words;
  } cases[] = {
    { "gpt-image-2", 256, 192, CAIRO_FORMAT_RGB24, "PNG with transparency" },
    { "gpt-image-2", 128, 96, CAIRO_FORMAT_ARGB32, "The mask is 128 × 96 but the image is 256 × 192" },
    { "gemini-3.1-flash-image", 256, 192, CAIRO_FORMAT_ARGB32, "takes no mask" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) mask = mask_png (cases[i].width, cases[i].height, cases[i].format);
      g_autoptr(GError) error = NULL;
      g_autoptr(PxGenerationResult) result = NULL;
      PxGenerationRequest *request = edit_request (cases[i].model, image);

      px_generation_request_set_mask (request, mask);
      result = px_test_generate (f->engine, request, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, PX_PROVIDER_ERROR, PX_PROVIDER_ERROR_INVALID_REQUEST);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].words);
    }
  g_assert_cmpuint (px_fake_provider_get_request_count (f->fake), ==, 0);
}

/* Gemini: the image and the instruction in one generateContent. */
static void
test_gemini_instruction (PxTestFixture *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) image = px_fake_render_image ("Portrait of Ada", 256, 192, "png");
  g_autoptr(GError) error = NULL;
  PxGenerationRequest *request = edit_request ("gemini-3.1-flash-image", image);
  g_autoptr(PxGenerationResult) result = px_test_generate (f->engine, request, NULL, &error);
  GPtrArray *requests = px_fake_provider_get_requests (f->fake);
  PxFakeRequest *sent = g_ptr_array_index (requests, requests->len - 1);
  g_autofree char *body = g_strndup (g_bytes_get_data (sent->body, NULL), g_bytes_get_size (sent->body));
  g_autofree char *encoded = g_base64_encode (g_bytes_get_data (image, NULL), g_bytes_get_size (image));

  g_assert_no_error (error);
  g_assert_cmpuint (result->images->len, ==, 1);
  g_assert_true (g_str_has_suffix (sent->path, "gemini-3.1-flash-image:generateContent"));
  g_assert_nonnull (strstr (body, "Make the background a beach at sunset behind Ada"));
  g_assert_nonnull (strstr (body, encoded));
}

/* The provider's refusal and its quota, in its own words. */
static void
test_refusal_and_quota (PxTestFixture *f,
                        gconstpointer  data)
{
  static const struct {
    PxFakeFault fault;
    int         code;
  } cases[] = {
    { PX_FAKE_FAULT_POLICY, PX_PROVIDER_ERROR_POLICY },
    { PX_FAKE_FAULT_QUOTA, PX_PROVIDER_ERROR_QUOTA },
  };
  g_autoptr(GBytes) image = px_fake_render_image ("Portrait of Ada", 256, 192, "png");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PxGenerationResult) result = NULL;
      PxGenerationRequest *request = edit_request ("gpt-image-2", image);

      px_fake_provider_push_fault (f->fake, cases[i].fault, 0);
      result = px_test_generate (f->engine, request, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, PX_PROVIDER_ERROR, cases[i].code);
      /* The provider's words are quoted. */
      g_assert_nonnull (strstr (error->message, "“"));
      g_assert_null (strstr (error->message, PX_TEST_KEY));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ai-edit/openai-mask", PxTestFixture, NULL, px_test_fixture_set_up, test_openai_mask,
              px_test_fixture_tear_down);
  g_test_add ("/ai-edit/bad-masks", PxTestFixture, NULL, px_test_fixture_set_up, test_bad_masks,
              px_test_fixture_tear_down);
  g_test_add ("/ai-edit/gemini-instruction", PxTestFixture, NULL, px_test_fixture_set_up, test_gemini_instruction,
              px_test_fixture_tear_down);
  g_test_add ("/ai-edit/refusal-and-quota", PxTestFixture, NULL, px_test_fixture_set_up, test_refusal_and_quota,
              px_test_fixture_tear_down);

  return g_test_run ();
}
