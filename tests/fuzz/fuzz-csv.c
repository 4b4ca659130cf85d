/* fuzz-csv.c: the CSV reader on any bytes: header, then every row until the
 * end or an error. */
#include "config.h"

#include <gio/gio.h>

#include "fuzz-common.h"
#include "px-csv.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, size), size, g_free);
  g_autoptr(PxCsvReader) reader = px_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;
  char **row;

  if (!px_csv_reader_read_header (reader, NULL, &error))
    return 0;
  g_assert_nonnull (px_csv_reader_get_columns (reader));
  while ((row = px_csv_reader_next_row (reader, NULL, &error)) != NULL)
    {
      g_assert_cmpuint (g_strv_length (row), ==, g_strv_length ((char **) px_csv_reader_get_columns (reader)));
      g_strfreev (row);
    }

  return 0;
}
