/*
 * csv.h — writing and reading CSV (RFC 4180): one writer and one reader for
 * every CSV the program makes or takes.
 *
 * Writer invariants:
 *  - a text cell is quoted when it holds a comma, a quote, CR or LF (or
 *    always, with CSV_QUOTE_ALL); a quote inside is doubled;
 *  - a text cell never begins with a character a spreadsheet would evaluate
 *    (= + - @ TAB CR): such a cell is written with a single quote ' before
 *    it (OWASP "CSV injection"). So is a cell made of one or more ' and then
 *    one of those characters, so that csv_unformula() undoes exactly what the
 *    writer did and a write → read round trip is lossless;
 *  - numeric cells (csv_put_int, csv_put_decimal, csv_put_number) are
 *    numbers the program wrote: never escaped, never quoted; integers and
 *    decimals never in exponent form (no %g: it drops digits).
 * The caller writes the separators: ',' between cells, '\n' after a row.
 * Every call returns 0 or the error of the buffer (ERR_TOO_LARGE), leaving
 * what was written before.
 *
 * Reader invariants:
 *  - a record ends at LF, CRLF or a lone CR outside quotes; inside quotes
 *    commas, quotes ("" is one ") and line ends are field text;
 *  - lines count from 1; a record that holds line ends inside quotes spans
 *    several lines, and r->record_line names the first;
 *  - refused, naming the line at fault: a quoted field that does not end,
 *    text after a closing quote, a NUL byte, more than max_fields fields in
 *    a record, a field longer than max_field_len bytes. A refusal ends the
 *    reading (the reader holds no record afterwards).
 *
 * Lifecycle: csv_reader_init(r, data, len) → csv_read(r, e) until it returns
 * 0 or an error → csv_reader_release(r). The data is borrowed, the fields
 * are the reader's (valid until the next csv_read or the release).
 */
#ifndef ITSM_CSV_H
#define ITSM_CSV_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/err.h"

/* ---- writing ---- */

#define CSV_QUOTE_ALL 1u /* quote the text cell even when it needs no quotes */

/* s as one text cell (NULL writes an empty cell). */
int csv_put_text(struct buf *b, const char *s, unsigned flags);
/* An integer, exactly: -5 stays -5. */
int csv_put_int(struct buf *b, long long v);
/* A decimal with at most `places` (0..17) digits after the point, trailing
 * zeros and a bare point dropped: 99.5 → "99.5", 12000.0 → "12000",
 * 2581980.25 → "2581980.25" (never "2.58198e+06"); -0 → "0". A value
 * that is not finite writes an empty cell. */
int csv_put_decimal(struct buf *b, double v, int places);
/* A number the caller already has as text (e.g. a JSON number as jansson
 * prints it): written as it is when it is one (sign, digits, at most one
 * point, an exponent), otherwise as a text cell, escaped. */
int csv_put_number(struct buf *b, const char *num);

/* A cell as read back: s without the ' the writer put before a formula
 * character (a pointer into s, or s itself when it was not escaped). */
const char *csv_unformula(const char *s);

/* ---- reading ---- */

#define CSV_MAX_FIELDS 4096
#define CSV_MAX_FIELD_LEN (1024u * 1024)

struct csv_reader {
	const char *p, *end;
	int line;	      /* the line the next record begins on */
	int record_line;      /* the line the record just read began on */
	size_t max_fields;    /* default CSV_MAX_FIELDS; may be set after init */
	size_t max_field_len; /* default CSV_MAX_FIELD_LEN; likewise */
	struct buf *field;    /* field[0 .. nfield) hold the record just read */
	size_t nfield, alloc;
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* 1 with a record (at least one field: an empty line is one empty field),
 * 0 at the end of the data, or ERR_INVALID with e filled in ("line 3: a
 * quoted field does not end"); ERR_INTERNAL when memory runs out. */
int csv_read(struct csv_reader *r, struct err *e);
/* Field i of the record just read, NUL-terminated ("" when i >= nfield). */
const char *csv_field(const struct csv_reader *r, size_t i);
void csv_reader_release(struct csv_reader *r);

#endif
