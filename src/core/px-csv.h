/* px-csv.h: streaming RFC 4180 CSV reader and a formula-safe writer. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PX_CSV_ERROR (px_csv_error_quark ())

typedef enum {
  PX_CSV_ERROR_EMPTY,           /* no header row */
  PX_CSV_ERROR_BAD_HEADER,      /* empty, invalid or duplicate column name */
  PX_CSV_ERROR_RAGGED,          /* a row with more or fewer fields than the header */
  PX_CSV_ERROR_ENCODING,        /* not UTF-8 */
  PX_CSV_ERROR_FIELD_TOO_LONG,
  PX_CSV_ERROR_UNTERMINATED,    /* a quoted field that never closes */
  PX_CSV_ERROR_IO,
  PX_CSV_ERROR_TOO_WIDE,        /* more fields in a row than PX_CSV_MAX_COLUMNS */
  PX_CSV_ERROR_TOO_MANY_ROWS,   /* more data rows than PX_CSV_MAX_ROWS */
} PxCsvError;

#define PX_CSV_FIELD_MAX_BYTES (64 * 1024)
/* No token list has a thousand columns; a line of commas stops here
 * instead of becoming millions of empty fields. */
#define PX_CSV_MAX_COLUMNS 1024
/* A batch of a million rows is already one for the providers' batch
 * engines; a file longer than that is split first. */
#define PX_CSV_MAX_ROWS 1000000

#define PX_TYPE_CSV_READER (px_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (PxCsvReader, px_csv_reader, PX, CSV_READER, GObject)

GQuark              px_csv_error_quark            (void);

PxCsvReader        *px_csv_reader_new             (GInputStream  *stream);
PxCsvReader        *px_csv_reader_new_for_path    (const char    *path,
                                                   GError       **error);
gboolean            px_csv_reader_read_header     (PxCsvReader   *self,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
const char * const *px_csv_reader_get_columns     (PxCsvReader   *self);
char                px_csv_reader_get_delimiter   (PxCsvReader   *self);
char              **px_csv_reader_next_row        (PxCsvReader   *self,
                                                   GCancellable  *cancellable,
                                                   GError       **error);
guint               px_csv_reader_get_row_number  (PxCsvReader   *self);
void                px_csv_reader_set_max_rows    (PxCsvReader   *self,
                                                   guint          max_rows);

char               *px_csv_normalize_header       (const char    *name);

void                px_csv_append_row             (GString       *out,
                                                   const char * const *fields,
                                                   gsize          n_fields);

G_END_DECLS
