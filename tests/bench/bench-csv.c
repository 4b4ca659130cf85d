/* bench-csv.c: 50,000 spreadsheet rows with quoted fields parse in well
 * under a second. Exits 1 when the target is missed. */
#include "config.h"

#include <stdlib.h>

#include "px-csv.h"

int
main (int   argc,
      char *argv[])
{
  const guint n = 50000;
  g_autoptr(GString) data = g_string_new ("\xEF\xBB\xBF" "First Name,Last Name,Company,Job Title,City\r\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint rows = 0;
  gint64 start;
  double ms;
  char **row;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (data, "Person%u,Surname%u,\"Company %u, Inc.\",\"Head of \"\"Things\"\" %u\",City %u\r\n",
                            i, i, i % 977, i % 13, i % 101);

  start = g_get_monotonic_time ();
  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = px_csv_reader_new (stream);
  if (!px_csv_reader_read_header (reader, NULL, &error))
    g_error ("%s", error->message);
  while ((row = px_csv_reader_next_row (reader, NULL, &error)) != NULL)
    {
      rows++;
      g_strfreev (row);
    }
  ms = (g_get_monotonic_time () - start) / 1000.0;

  g_print ("csv: %u rows, %.1f MB: %.1f ms (target: < 1000 ms)\n", rows, data->len / 1e6, ms);
  return error == NULL && rows == n && ms < 1000 ? EXIT_SUCCESS : EXIT_FAILURE;
}
