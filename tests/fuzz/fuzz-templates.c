/* fuzz-templates.c: template import (a file a user was sent) on any bytes;
 * what it reads is written back and read again to the same templates. */
#include "config.h"

#include "fuzz-common.h"
#include "px-templates.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = px_templates_from_json ((const char *) data, size, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;

  if (templates == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  json = px_templates_to_json (templates);
  again = px_templates_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, templates->len);

  return 0;
}
