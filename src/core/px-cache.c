/* px-cache.c: the response cache. The key is a hash of everything that
 * decides the image (provider, model, resolved prompt, settings, reference
 * images); entries live in the XDG cache folder and expire after the TTL.
 * Lookups and stores do file I/O: the engine calls them from a worker
 * thread, and each entry is written atomically (images, then the index). */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "px-cache.h"
#include "px-image-check.h"
#include "px-json.h"

struct _PxCache
{
  GObject  parent_instance;

  char    *directory;
  guint    ttl_seconds;
};

G_DEFINE_FINAL_TYPE (PxCache, px_cache, G_TYPE_OBJECT)

PxCache *
px_cache_new (const char *directory,
              guint       ttl_seconds)
{
  PxCache *self = g_object_new (PX_TYPE_CACHE, NULL);

  self->directory = g_strdup (directory);
  self->ttl_seconds = ttl_seconds;

  return self;
}

void
px_cache_set_ttl (PxCache *self,
                  guint    ttl_seconds)
{
  g_return_if_fail (PX_IS_CACHE (self));

  self->ttl_seconds = ttl_seconds;
}

guint
px_cache_get_ttl (PxCache *self)
{
  g_return_val_if_fail (PX_IS_CACHE (self), 0);

  return self->ttl_seconds;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
px_cache_key (const char *provider_id,
              const char *model_id,
              const char *prompt,
              GHashTable *settings,
              GPtrArray  *references)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  /* Each field ends in a NUL so "ab"+"c" never collides with "a"+"bc". */
  g_checksum_update (sum, (const guchar *) provider_id, strlen (provider_id) + 1);
  g_checksum_update (sum, (const guchar *) model_id, strlen (model_id) + 1);
  g_checksum_update (sum, (const guchar *) prompt, strlen (prompt) + 1);

  if (settings != NULL)
    {
      g_hash_table_iter_init (&iter, settings);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (keys, key);
      g_ptr_array_sort (keys, compare_strings);
      for (guint i = 0; i < keys->len; i++)
        {
          const char *name = g_ptr_array_index (keys, i);
          const char *value = g_hash_table_lookup (settings, name);

          g_checksum_update (sum, (const guchar *) name, strlen (name) + 1);
          g_checksum_update (sum, (const guchar *) value, strlen (value) + 1);
        }
    }

  for (guint i = 0; references != NULL && i < references->len; i++)
    {
      PxImage *image = g_ptr_array_index (references, i);
      gsize size;
      const guchar *data = g_bytes_get_data (image->bytes, &size);
      g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);

      g_checksum_update (sum, (const guchar *) hash, strlen (hash) + 1);
    }

  return g_strdup (g_checksum_get_string (sum));
}

static char *
entry_path (PxCache    *self,
            const char *key,
            const char *suffix)
{
  g_autofree char *name = g_strconcat (key, suffix, NULL);

  return g_build_filename (self->directory, name, NULL);
}

/* A hit, marked cached and free, or NULL. An expired or damaged entry is a
 * miss (and an expired one is removed). */
PxGenerationResult *
px_cache_lookup (PxCache    *self,
                 const char *key)
{
  g_autofree char *index_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PxGenerationResult) result = NULL;
  JsonObject *root;
  JsonArray *images;
  gint64 created;

  g_return_val_if_fail (PX_IS_CACHE (self), NULL);

  if (self->ttl_seconds == 0)
    return NULL;

  index_path = entry_path (self, key, ".json");
  if (!px_json_load_file (parser, index_path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  created = json_object_get_int_member_with_default (root, "created", 0);
  if (g_get_real_time () - created > (gint64) self->ttl_seconds * G_USEC_PER_SEC || created <= 0)
    {
      images = px_json_array_member (root, "images");
      for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
        {
          g_autofree char *suffix = g_strdup_printf ("-%u.img", i);
          g_autofree char *path = entry_path (self, key, suffix);
          g_unlink (path);
        }
      g_unlink (index_path);
      return NULL;
    }

  result = px_generation_result_new ();
  result->cached = TRUE;
  result->cost = 0;
  result->revised_prompt = g_strdup (json_object_get_string_member_with_default (root, "revised_prompt", NULL));
  result->provider_metadata = g_strdup (json_object_get_string_member_with_default (root, "provider_metadata", NULL));
  images = px_json_array_member (root, "images");
  for (guint i = 0; images != NULL && i < json_array_get_length (images); i++)
    {
      g_autofree char *suffix = g_strdup_printf ("-%u.img", i);
      g_autofree char *path = entry_path (self, key, suffix);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      PxImage *image;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        return NULL;
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      image = px_image_new (bytes, NULL);
      if (!px_image_check (bytes, &image->mime_type, &image->width, &image->height, NULL))
        {
          px_image_free (image);
          return NULL;
        }
      g_ptr_array_add (result->images, image);
    }

  if (result->images->len == 0)
    return NULL;

  return g_steal_pointer (&result);
}

gboolean
px_cache_store (PxCache             *self,
                const char          *key,
                PxGenerationResult  *result,
                GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (PX_IS_CACHE (self), FALSE);

  if (self->ttl_seconds == 0)
    return TRUE;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Could not create %s: %s", self->directory, g_strerror (errno));
      return FALSE;
    }

  for (guint i = 0; i < result->images->len; i++)
    {
      PxImage *image = g_ptr_array_index (result->images, i);
      g_autofree char *suffix = g_strdup_printf ("-%u.img", i);
      g_autofree char *path = entry_path (self, key, suffix);
      gsize size;
      const char *data = g_bytes_get_data (image->bytes, &size);

      if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, g_get_real_time ());
  if (result->revised_prompt != NULL)
    {
      json_builder_set_member_name (builder, "revised_prompt");
      json_builder_add_string_value (builder, result->revised_prompt);
    }
  if (result->provider_metadata != NULL)
    {
      json_builder_set_member_name (builder, "provider_metadata");
      json_builder_add_string_value (builder, result->provider_metadata);
    }
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->images->len; i++)
    json_builder_add_int_value (builder, i);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  index_path = entry_path (self, key, ".json");

  return g_file_set_contents_full (index_path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
px_cache_finalize (GObject *object)
{
  PxCache *self = PX_CACHE (object);

  g_free (self->directory);

  G_OBJECT_CLASS (px_cache_parent_class)->finalize (object);
}

static void
px_cache_class_init (PxCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_cache_finalize;
}

static void
px_cache_init (PxCache *self)
{
}
