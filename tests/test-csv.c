/* test-csv.c: the CSV files people export from spreadsheets, and the broken
 * ones they send by mistake: every rule of the reader and the writer. */
#include "config.h"

#include <string.h>

#include "px-csv.h"

typedef struct {
  const char *name;
  const char *data;
  const char *columns;   /* comma-separated normalised names */
  const char *rows;      /* rows separated by '\n', fields by '|' ; NULL when an error is expected */
  int         error_code;
  const char *message_part;
} CsvCase;

static const CsvCase cases[] = {
  { "simple", "First Name,Company\nAda,Acme\nBo,Beta\n", "FIRST_NAME,COMPANY", "Ada|Acme\nBo|Beta" },
  { "crlf, no final newline", "a,b\r\n1,2\r\n3,4", "A,B", "1|2\n3|4" },
  { "lone cr", "a,b\r1,2\r", "A,B", "1|2" },
  { "bom", "\xEF\xBB\xBFname,city\nAda,Paris\n", "NAME,CITY", "Ada|Paris" },
  { "semicolon", "name;note\nAda;\"a, b\"\n", "NAME,NOTE", "Ada|a, b" },
  { "tab", "name\tnote\nAda\tx;y,z\n", "NAME,NOTE", "Ada|x;y,z" },
  { "quotes", "a,b\n\"say \"\"hi\"\"\",\"x\"\n", "A,B", "say \"hi\"|x" },
  { "quoted newline", "a,b\n\"line1\nline2\",2\n\"r\r\nn\",3\n", "A,B", "line1\nline2|2\nr\r\nn|3" },
  { "empty fields", "a,b,c\n,,\n1,,3\n", "A,B,C", "||\n1||3" },
  { "blank lines skipped", "a,b\n\n1,2\n\n\n3,4\n\n", "A,B", "1|2\n3|4" },
  { "header normalising", " Job Title , e-mail,first  --  name,ÉCOLE\n1,2,3,4\n", "JOB_TITLE,E_MAIL,FIRST_NAME,ÉCOLE", "1|2|3|4" },
  { "utf8 values", "name\nZoë ✓\n", "NAME", "Zoë ✓" },
  { "header only", "a,b\n", "A,B", "" },
  { "quote inside unquoted field", "a\nsay \"hi\"\n", "A", "say \"hi\"" },
  /* Errors name the row (data rows from 1) and the column. */
  { "empty file", "", NULL, NULL, PX_CSV_ERROR_EMPTY, "empty" },
  { "only bom", "\xEF\xBB\xBF", NULL, NULL, PX_CSV_ERROR_EMPTY, "empty" },
  { "duplicate header", "Name,City,name\n", NULL, NULL, PX_CSV_ERROR_BAD_HEADER, "column 3: “name” is the same column name as column 1 (NAME)" },
  { "duplicate after normalising", "Job Title,job-title\n", NULL, NULL, PX_CSV_ERROR_BAD_HEADER, "column 2" },
  { "empty header", "a,,c\n", NULL, NULL, PX_CSV_ERROR_BAD_HEADER, "column 2: the column has no name" },
  { "bad header char", "a,b/c\n", NULL, NULL, PX_CSV_ERROR_BAD_HEADER, "column 2: “b/c”" },
  { "ragged short", "a,b\n1,2\n3\n", NULL, "1|2", PX_CSV_ERROR_RAGGED, "Row 2: it has 1 fields, but the header has 2 columns" },
  { "ragged long", "a,b\n1,2,3\n", NULL, "", PX_CSV_ERROR_RAGGED, "Row 1: it has 3 fields" },
  { "row number counts blank lines", "a,b\n1,2\n\n3\n", NULL, "1|2", PX_CSV_ERROR_RAGGED, "Row 3:" },
  { "bad utf8", "a,b\n1,2\nx,\xC3\x28\n", NULL, "1|2", PX_CSV_ERROR_ENCODING, "Row 2, column 2 (B): the text is not valid UTF-8" },
  { "latin1 header", "caf\xE9\n", NULL, NULL, PX_CSV_ERROR_ENCODING, "Header row, column 1" },
  { "unterminated", "a,b\n1,\"open\n2,3\n", NULL, "", PX_CSV_ERROR_UNTERMINATED, "Row 1, column 2 (B)" },
};

static void
run_case (const CsvCase *c)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (c->data, strlen (c->data), NULL);
  g_autoptr(PxCsvReader) reader = px_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  gboolean ok;
  char **row;

  g_test_message ("case: %s", c->name);
  ok = px_csv_reader_read_header (reader, NULL, &error);

  if (c->rows == NULL)
    {
      /* An error in the header itself. */
      g_assert_false (ok);
      g_assert_error (error, PX_CSV_ERROR, c->error_code);
      if (strstr (error->message, c->message_part) == NULL)
        g_error ("%s: “%s” does not contain “%s”", c->name, error->message, c->message_part);
      return;
    }

  g_assert_no_error (error);
  if (c->columns != NULL)
    {
      g_autofree char *columns = g_strjoinv (",", (char **) px_csv_reader_get_columns (reader));
      g_assert_cmpstr (columns, ==, c->columns);
    }

  while ((row = px_csv_reader_next_row (reader, NULL, &error)) != NULL)
    {
      g_autofree char *joined = g_strjoinv ("|", row);

      if (got->len > 0)
        g_string_append_c (got, '\n');
      g_string_append (got, joined);
      g_strfreev (row);
    }

  g_assert_cmpstr (got->str, ==, c->rows);
  if (c->message_part == NULL)
    {
      g_assert_no_error (error);
      return;
    }

  g_assert_error (error, PX_CSV_ERROR, c->error_code);
  if (strstr (error->message, c->message_part) == NULL)
    g_error ("%s: “%s” does not contain “%s”", c->name, error->message, c->message_part);
}

static void
test_reader_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);
}

static void
test_field_too_long (void)
{
  g_autoptr(GString) data = g_string_new ("a,b\n1,\"");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < PX_CSV_FIELD_MAX_BYTES + 10; i++)
    g_string_append_c (data, 'x');
  g_string_append (data, "\"\n");

  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = px_csv_reader_new (stream);
  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  g_assert_null (px_csv_reader_next_row (reader, NULL, &error));
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Row 1, column 2 (B)"));
}

/* Fields that straddle the reader's 64 KiB buffer boundary, across a big file. */
static void
test_large_file_streams (void)
{
  g_autoptr(GString) data = g_string_new ("id;text\r\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  char **row;

  for (guint i = 1; i <= 20000; i++)
    g_string_append_printf (data, "%u;\"value %u; with \"\"quotes\"\"\r\nand a newline\"\r\n", i, i);

  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = px_csv_reader_new (stream);
  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  g_assert_cmpint (px_csv_reader_get_delimiter (reader), ==, ';');

  while ((row = px_csv_reader_next_row (reader, NULL, &error)) != NULL)
    {
      g_autofree char *expected = g_strdup_printf ("value %u; with \"quotes\"\r\nand a newline", n + 1);
      g_autofree char *id = g_strdup_printf ("%u", n + 1);

      g_assert_cmpstr (row[0], ==, id);
      g_assert_cmpstr (row[1], ==, expected);
      g_strfreev (row);
      n++;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 20000);
  g_assert_cmpuint (px_csv_reader_get_row_number (reader), ==, 20000);
}

static void
test_reader_from_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PxCsvReader) reader = px_csv_reader_new_for_path ("/nonexistent/people.csv", &error);

  g_assert_null (reader);
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/people.csv"));
}

static void
test_writer (void)
{
  const char *row1[] = { "plain", "a,b", "say \"hi\"", "two\nlines", " padded", "" };
  const char *row2[] = { "=1+1", "+33 1 23", "-5", "@SUM(A1)", "\tx", "\rx", "a=b" };
  g_autoptr(GString) out = g_string_new (NULL);

  px_csv_append_row (out, row1, G_N_ELEMENTS (row1));
  g_assert_cmpstr (out->str, ==, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\r\n");

  g_string_truncate (out, 0);
  px_csv_append_row (out, row2, G_N_ELEMENTS (row2));
  g_assert_cmpstr (out->str, ==, "'=1+1,'+33 1 23,'-5,'@SUM(A1),\"'\tx\",\"'\rx\",a=b\r\n");
}

/* What the writer writes, the reader reads back to the same text (apart from
 * the formula guard). */
static void
test_round_trip (void)
{
  const char *header[] = { "Name", "Note" };
  const char *row[] = { "Zoë, \"the\" best", "line1\r\nline2", NULL };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) got = NULL;

  px_csv_append_row (out, header, 2);
  px_csv_append_row (out, row, 2);
  stream = g_memory_input_stream_new_from_data (out->str, out->len, NULL);
  reader = px_csv_reader_new (stream);
  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  got = px_csv_reader_next_row (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (got, row);
}

/* A bad row is named and skipped: the next call goes on with the next row,
 * so a whole file's problems can be listed. */
static void
test_reading_goes_on_after_bad_rows (void)
{
  static const char data[] = "Name,City\nAda,Paris\nBo\nC\xffy,Rome\nDi,Lima\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr(PxCsvReader) reader = px_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) row = NULL;

  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  row = px_csv_reader_next_row (reader, NULL, &error);
  g_assert_cmpstr (row[0], ==, "Ada");
  g_clear_pointer (&row, g_strfreev);

  g_assert_null (px_csv_reader_next_row (reader, NULL, &error));
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_RAGGED);
  g_assert_true (g_str_has_prefix (error->message, "Row 2:"));
  g_clear_error (&error);

  g_assert_null (px_csv_reader_next_row (reader, NULL, &error));
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "Row 3, column 1 (NAME)"));
  g_clear_error (&error);

  row = px_csv_reader_next_row (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row[0], ==, "Di");
  g_assert_cmpstr (row[1], ==, "Lima");
  g_assert_cmpuint (px_csv_reader_get_row_number (reader), ==, 4);
  g_clear_pointer (&row, g_strfreev);
  g_assert_null (px_csv_reader_next_row (reader, NULL, &error));
  g_assert_no_error (error);
}

/* A UTF-16 or binary file: its NUL bytes are named as what they mean. */
static void
test_nul_bytes_named (void)
{
  static const char data[] = "Name,City\nAda,Paris\nB\0o,Rome\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr(PxCsvReader) reader = px_csv_reader_new (stream);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) row = NULL;

  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  row = px_csv_reader_next_row (reader, NULL, &error);
  g_assert_cmpstr (row[0], ==, "Ada");
  g_assert_null (px_csv_reader_next_row (reader, NULL, &error));
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Row 2, column 1 (NAME): it holds NUL bytes"));
  g_assert_nonnull (strstr (error->message, "UTF-16"));
}

/* A line of commas (a wrong delimiter, or hostile input) ends at the
 * column limit with the row named, before it becomes millions of fields;
 * the header too. */
static void
test_too_wide (void)
{
  g_autoptr(GString) data = g_string_new ("a,b\n");
  g_autoptr(GString) header = g_string_new ("x");
  g_autoptr(GInputStream) stream = NULL, header_stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL, header_reader = NULL;
  g_autoptr(GError) error = NULL, header_error = NULL;

  for (guint i = 0; i < 5 * 1000 * 1000; i++)
    g_string_append_c (data, ',');
  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = px_csv_reader_new (stream);
  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  g_assert_null (px_csv_reader_next_row (reader, NULL, &error));
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_TOO_WIDE);
  g_assert_nonnull (strstr (error->message, "Row 1: it has more than 1024 fields"));

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (header, ",c%u", i);
  header_stream = g_memory_input_stream_new_from_data (header->str, header->len, NULL);
  header_reader = px_csv_reader_new (header_stream);
  g_assert_false (px_csv_reader_read_header (header_reader, NULL, &header_error));
  g_assert_error (header_error, PX_CSV_ERROR, PX_CSV_ERROR_TOO_WIDE);
}

/* Rows past the limit (a million; 1,000 here) are an error naming it; the
 * rows before it were all read (empty lines do not count). */
static void
test_too_many_rows (void)
{
  g_autoptr(GString) data = g_string_new ("n\n\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint read = 0;
  char **row;

  g_assert_cmpuint (PX_CSV_MAX_ROWS, ==, 1000000);
  for (guint i = 0; i < 1001; i++)
    g_string_append (data, "1\n");
  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  reader = px_csv_reader_new (stream);
  px_csv_reader_set_max_rows (reader, 1000);
  g_assert_true (px_csv_reader_read_header (reader, NULL, &error));
  while ((row = px_csv_reader_next_row (reader, NULL, &error)) != NULL)
    {
      g_strfreev (row);
      read++;
    }
  g_assert_cmpuint (read, ==, 1000);
  g_assert_error (error, PX_CSV_ERROR, PX_CSV_ERROR_TOO_MANY_ROWS);
  g_assert_nonnull (strstr (error->message, "Row 1002: the file has more than 1000 rows"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/reader", test_reader_table);
  g_test_add_func ("/csv/field-too-long", test_field_too_long);
  g_test_add_func ("/csv/large-file", test_large_file_streams);
  g_test_add_func ("/csv/missing-file", test_reader_from_path);
  g_test_add_func ("/csv/writer", test_writer);
  g_test_add_func ("/csv/round-trip", test_round_trip);
  g_test_add_func ("/csv/reading-goes-on-after-bad-rows", test_reading_goes_on_after_bad_rows);
  g_test_add_func ("/csv/nul-bytes-named", test_nul_bytes_named);
  g_test_add_func ("/csv/too-wide", test_too_wide);
  g_test_add_func ("/csv/too-many-rows", test_too_many_rows);

  return g_test_run ();
}
