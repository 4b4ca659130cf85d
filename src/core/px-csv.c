/* px-csv.c: reads CSV files of any size row by row (RFC 4180 plus what
 * spreadsheets really write: a UTF-8 BOM, LF or CRLF, ; or tab delimiters),
 * and writes CSV that a spreadsheet cannot mistake for formulas. Every error
 * names the row (data rows count from 1 after the header) and the column. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "px-csv.h"

#define CHUNK_SIZE (64 * 1024)

G_DEFINE_QUARK (px-csv-error-quark, px_csv_error)

struct _PxCsvReader
{
  GObject        parent_instance;

  GInputStream  *stream;
  char          *buf;
  gsize          buf_len;
  gsize          pos;
  gboolean       eof;

  char           delimiter;
  char         **columns;
  guint          n_columns;
  guint          row;           /* records read after the header */
  guint          data_rows;     /* of them, those not empty */
  guint          max_rows;
};

G_DEFINE_FINAL_TYPE (PxCsvReader, px_csv_reader, G_TYPE_OBJECT)

PxCsvReader *
px_csv_reader_new (GInputStream *stream)
{
  PxCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (PX_TYPE_CSV_READER, NULL);
  self->stream = g_object_ref (stream);

  return self;
}

PxCsvReader *
px_csv_reader_new_for_path (const char  *path,
                            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_IO,
                   _("Could not open %s: %s"), path, local_error->message);
      return NULL;
    }

  return px_csv_reader_new (G_INPUT_STREAM (stream));
}

/* Makes sure at least `need` unread bytes are buffered, unless the stream
 * ends first. Returns FALSE only on a read error. */
static gboolean
fill (PxCsvReader   *self,
      gsize          need,
      GCancellable  *cancellable,
      GError       **error)
{
  while (!self->eof && self->buf_len - self->pos < need)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n;

      if (self->pos > 0)
        {
          memmove (self->buf, self->buf + self->pos, self->buf_len - self->pos);
          self->buf_len -= self->pos;
          self->pos = 0;
        }
      self->buf = g_realloc (self->buf, self->buf_len + CHUNK_SIZE);
      n = g_input_stream_read (self->stream, self->buf + self->buf_len, CHUNK_SIZE,
                               cancellable, &local_error);
      if (n < 0)
        {
          g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_IO,
                       _("Could not read the CSV file: %s"), local_error->message);
          return FALSE;
        }
      if (n == 0)
        self->eof = TRUE;
      self->buf_len += n;
    }

  return TRUE;
}

/* Peeks the next byte; -1 at the end of the input, -2 on a read error. */
static inline int
peek (PxCsvReader   *self,
      GCancellable  *cancellable,
      GError       **error)
{
  if (G_UNLIKELY (self->pos >= self->buf_len))
    {
      if (!fill (self, 1, cancellable, error))
        return -2;
      if (self->pos >= self->buf_len)
        return -1;
    }

  return (unsigned char) self->buf[self->pos];
}

/* What the reader calls a row in messages: the header is row 0, data rows
 * count from 1, like the Batch page's preview. */
static void
set_row_error (PxCsvReader  *self,
               GError      **error,
               PxCsvError    code,
               guint         column,
               const char   *what)
{
  if (self->columns == NULL)
    g_set_error (error, PX_CSV_ERROR, code, _("Header row, column %u: %s"), column, what);
  else if (column > 0)
    g_set_error (error, PX_CSV_ERROR, code, _("Row %u, column %u (%s): %s"),
                 self->row, column,
                 column <= self->n_columns ? self->columns[column - 1] : "?", what);
  else
    g_set_error (error, PX_CSV_ERROR, code, _("Row %u: %s"), self->row, what);
}

/* Reads one record. Returns NULL at the end of the input (error unset) or on
 * an error. A record with nothing in it at all is returned as zero fields. */
static GPtrArray *
read_record (PxCsvReader   *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_sized_new (64);
  gboolean any = FALSE;
  guint bad_column = 0;
  gboolean has_nul = FALSE;
  int c;

  c = peek (self, cancellable, error);
  if (c == -2)
    return NULL;
  if (c == -1)
    return NULL;

  for (;;)
    {
      g_string_truncate (field, 0);
      c = peek (self, cancellable, error);
      if (c == -2)
        return NULL;

      if (c == '"')
        {
          any = TRUE;
          self->pos++;
          for (;;)
            {
              c = peek (self, cancellable, error);
              if (c == -2)
                return NULL;
              if (c == -1)
                {
                  set_row_error (self, error, PX_CSV_ERROR_UNTERMINATED, fields->len + 1,
                                 _("a quoted field is never closed; check for a missing \"."));
                  return NULL;
                }
              self->pos++;
              if (c == '"')
                {
                  int next = peek (self, cancellable, error);

                  if (next == -2)
                    return NULL;
                  if (next != '"')
                    break;
                  self->pos++;
                }
              g_string_append_c (field, (char) c);
              if (G_UNLIKELY (field->len > PX_CSV_FIELD_MAX_BYTES))
                goto too_long;
            }
        }

      /* Unquoted text, or whatever follows a closing quote, up to the next
       * delimiter or line end. Scanning the buffer directly keeps 50,000
       * rows well under a second. */
      for (;;)
        {
          const char *start, *p, *end;

          c = peek (self, cancellable, error);
          if (c == -2)
            return NULL;
          if (c == -1 || c == self->delimiter || c == '\n' || c == '\r')
            break;

          start = self->buf + self->pos;
          end = self->buf + self->buf_len;
          for (p = start; p < end; p++)
            if (*p == self->delimiter || *p == '\n' || *p == '\r')
              break;
          /* A quote inside an unquoted field is kept as written, as
           * spreadsheets do. */
          g_string_append_len (field, start, p - start);
          self->pos += p - start;
          any = TRUE;
          if (G_UNLIKELY (field->len > PX_CSV_FIELD_MAX_BYTES))
            goto too_long;
        }

      /* Named once the row is read to its end, so reading can go on with
       * the next row. */
      if (bad_column == 0 && !g_utf8_validate (field->str, field->len, NULL))
        {
          bad_column = fields->len + 1;
          /* NUL bytes: a binary or UTF-16 file, not a stray character. */
          has_nul = memchr (field->str, '\0', field->len) != NULL;
        }

      g_ptr_array_add (fields, g_strndup (field->str, field->len));
      if (G_UNLIKELY (fields->len > PX_CSV_MAX_COLUMNS))
        {
          g_autofree char *what = g_strdup_printf (_("it has more than %u fields; is the delimiter right?"),
                                                   PX_CSV_MAX_COLUMNS);
          set_row_error (self, error, PX_CSV_ERROR_TOO_WIDE, 0, what);
          return NULL;
        }

      if (c == self->delimiter)
        {
          self->pos++;
          any = TRUE;
          continue;
        }

      /* End of line: \n, \r\n or a lone \r. */
      if (c == '\r')
        {
          self->pos++;
          if (peek (self, cancellable, error) == '\n')
            self->pos++;
        }
      else if (c == '\n')
        self->pos++;
      break;
    }

  if (bad_column > 0)
    {
      set_row_error (self, error, PX_CSV_ERROR_ENCODING, bad_column,
                     has_nul ? _("it holds NUL bytes, so the file is not text (or is saved as UTF-16); save it as "
                                 "“CSV UTF-8”.")
                             : _("the text is not valid UTF-8; save the file as “CSV UTF-8”."));
      return NULL;
    }

  if (!any)
    g_ptr_array_set_size (fields, 0);

  return g_steal_pointer (&fields);

too_long:
  {
    g_autofree char *what = g_strdup_printf (_("the field is longer than %u KiB."),
                                             PX_CSV_FIELD_MAX_BYTES / 1024);
    set_row_error (self, error, PX_CSV_ERROR_FIELD_TOO_LONG, fields->len + 1, what);
    return NULL;
  }
}

/* Trims, upper-cases, and turns runs of spaces or - into _ ("Job Title" ->
 * "JOB_TITLE"). NULL when the name is empty or has any other character. */
char *
px_csv_normalize_header (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  gboolean in_gap = FALSE;

  if (*trimmed == '\0' || !g_utf8_validate (trimmed, -1, NULL))
    return NULL;

  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' || c == '-')
        {
          if (!in_gap)
            g_string_append_c (out, '_');
          in_gap = TRUE;
          continue;
        }
      in_gap = FALSE;
      if (c != '_' && !g_unichar_isalnum (c))
        return NULL;
      g_string_append_unichar (out, g_unichar_toupper (c));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char
detect_delimiter (const char *line,
                  gsize       len)
{
  const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean in_quotes = FALSE;
  guint best = 0;

  for (gsize i = 0; i < len && (in_quotes || (line[i] != '\n' && line[i] != '\r')); i++)
    {
      if (line[i] == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes)
        for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
          if (line[i] == candidates[k])
            counts[k]++;
    }

  for (guint k = 1; k < G_N_ELEMENTS (candidates); k++)
    if (counts[k] > counts[best])
      best = k;

  return candidates[best];
}

gboolean
px_csv_reader_read_header (PxCsvReader   *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PX_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (self->columns == NULL, FALSE);

  if (!fill (self, CHUNK_SIZE, cancellable, error))
    return FALSE;

  if (self->buf_len >= 3 && memcmp (self->buf, "\xEF\xBB\xBF", 3) == 0)
    self->pos = 3;

  self->delimiter = detect_delimiter (self->buf + self->pos, self->buf_len - self->pos);

  fields = read_record (self, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (fields == NULL || fields->len == 0)
    {
      g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_EMPTY,
                   _("The file is empty: the first row must name the columns."));
      return FALSE;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *raw = g_ptr_array_index (fields, i);
      char *name = px_csv_normalize_header (raw);

      if (name == NULL)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (raw));

          if (*trimmed == '\0')
            g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_BAD_HEADER,
                         _("Header row, column %u: the column has no name."), i + 1);
          else
            g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_BAD_HEADER,
                         _("Header row, column %u: “%s” can only use letters, digits, spaces, - and _."),
                         i + 1, raw);
          return FALSE;
        }

      for (guint k = 0; k < names->len; k++)
        if (g_str_equal (g_ptr_array_index (names, k), name))
          {
            g_set_error (error, PX_CSV_ERROR, PX_CSV_ERROR_BAD_HEADER,
                         _("Header row, column %u: “%s” is the same column name as column %u (%s)."),
                         i + 1, raw, k + 1, name);
            g_free (name);
            return FALSE;
          }

      g_ptr_array_add (names, name);
    }

  g_ptr_array_add (names, NULL);
  self->n_columns = names->len - 1;
  self->columns = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);

  return TRUE;
}

const char * const *
px_csv_reader_get_columns (PxCsvReader *self)
{
  g_return_val_if_fail (PX_IS_CSV_READER (self), NULL);

  return (const char * const *) self->columns;
}

char
px_csv_reader_get_delimiter (PxCsvReader *self)
{
  g_return_val_if_fail (PX_IS_CSV_READER (self), ',');

  return self->delimiter;
}

guint
px_csv_reader_get_row_number (PxCsvReader *self)
{
  g_return_val_if_fail (PX_IS_CSV_READER (self), 0);

  return self->row;
}

/* Returns the next data row as a NULL-terminated array with one string per
 * column, or NULL at the end (error unset) or on an error. Empty lines are
 * not data, but they keep their row number so messages match the file. */
char **
px_csv_reader_next_row (PxCsvReader   *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (PX_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (self->columns != NULL, NULL);

  for (;;)
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) local_error = NULL;

      self->row++;
      fields = read_record (self, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (fields == NULL)
        {
          self->row--;
          return NULL;
        }
      if (fields->len == 0)
        continue;
      if (G_UNLIKELY (++self->data_rows > self->max_rows))
        {
          g_autofree char *what = g_strdup_printf (_("the file has more than %u rows; split it into smaller files."),
                                                   self->max_rows);
          set_row_error (self, error, PX_CSV_ERROR_TOO_MANY_ROWS, 0, what);
          return NULL;
        }

      if (fields->len != self->n_columns)
        {
          g_autofree char *what = g_strdup_printf (_("it has %u fields, but the header has %u columns."),
                                                   fields->len, self->n_columns);
          set_row_error (self, error, PX_CSV_ERROR_RAGGED, 0, what);
          return NULL;
        }

      g_ptr_array_add (fields, NULL);
      return (char **) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
    }
}

static gboolean
needs_quotes (const char *field)
{
  gsize len = strlen (field);

  return strpbrk (field, ",;\t\"\r\n") != NULL ||
         (len > 0 && (field[0] == ' ' || field[len - 1] == ' '));
}

/* Appends one CRLF-terminated record. A field that a spreadsheet would run
 * as a formula (= + - @, tab or CR first) gets a leading ' so it shows as
 * the text it is. */
void
px_csv_append_row (GString            *out,
                   const char * const *fields,
                   gsize               n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";
      g_autofree char *safe = NULL;

      if (i > 0)
        g_string_append_c (out, ',');

      if (strchr ("=+-@\t\r", field[0]) != NULL && field[0] != '\0')
        field = safe = g_strconcat ("'", field, NULL);

      if (!needs_quotes (field))
        {
          g_string_append (out, field);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = field; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}

static void
px_csv_reader_finalize (GObject *object)
{
  PxCsvReader *self = PX_CSV_READER (object);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buf, g_free);
  g_clear_pointer (&self->columns, g_strfreev);

  G_OBJECT_CLASS (px_csv_reader_parent_class)->finalize (object);
}

static void
px_csv_reader_class_init (PxCsvReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = px_csv_reader_finalize;
}

static void
px_csv_reader_init (PxCsvReader *self)
{
  self->delimiter = ',';
  self->max_rows = PX_CSV_MAX_ROWS;
}

/* Fewer rows than PX_CSV_MAX_ROWS (for tests, which cannot wait for a
 * million rows under the sanitizers). */
void
px_csv_reader_set_max_rows (PxCsvReader *self,
                            guint        max_rows)
{
  g_return_if_fail (PX_IS_CSV_READER (self));

  self->max_rows = max_rows;
}
