/*
 * csv.c — the CSV writer and reader (RFC 4180). See csv.h for the
 * invariants: what gets quoted, the ' before a formula character and its
 * exact inverse, numbers written whole, records with the line they began on,
 * and what the reader refuses.
 *
 * The reader copies each field into a struct buf of its own (reused from
 * record to record), in spans between the bytes that matter, so a long
 * field costs a few appends, not one per byte.
 */
#include "lib/csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

static int formula_char(char c)
{
	return c && strchr("=+-@\t\r", c) != NULL;
}

/* 1 when s begins with a formula character, after any number of '. */
static int formula_like(const char *s)
{
	return formula_char(s[strspn(s, "'")]);
}

/* Undo a failed cell: the buffer as it was before it. */
static int undo(struct buf *b, size_t mark, int rc)
{
	b->len = mark;
	if (b->data)
		b->data[mark] = '\0';
	return rc;
}

int csv_put_text(struct buf *b, const char *s, unsigned flags)
{
	size_t mark = b->len;
	int quote, rc = 0;

	if (!s)
		s = "";
	quote = (flags & CSV_QUOTE_ALL) || strpbrk(s, ",\"\r\n");
	if (quote)
		rc = buf_putc(b, '"');
	if (!rc && formula_like(s))
		rc = buf_putc(b, '\'');
	if (!quote)
		rc = rc ? rc : buf_puts(b, s);
	while (quote && !rc) {
		const char *q = strchr(s, '"');

		if (!q) {
			if (!(rc = buf_puts(b, s)))
				rc = buf_putc(b, '"');
			break;
		}
		/* the text up to and with the quote, then the quote again */
		if (!(rc = buf_append(b, s, (size_t)(q - s) + 1)))
			rc = buf_putc(b, '"');
		s = q + 1;
	}
	return rc ? undo(b, mark, rc) : 0;
}

int csv_put_int(struct buf *b, long long v)
{
	return buf_printf(b, "%lld", v);
}

int csv_put_decimal(struct buf *b, double v, int places)
{
	/* DBL_MAX has 309 digits before the point, 17 after is the most asked. */
	char t[400];
	int n;

	if (!isfinite(v))
		return 0;
	if (places < 0)
		places = 0;
	if (places > 17)
		places = 17;
	n = snprintf(t, sizeof(t), "%.*f", places, v);
	if (n < 0 || (size_t)n >= sizeof(t))
		return ERR_INTERNAL;
	if (strchr(t, '.')) {
		while (n > 0 && t[n - 1] == '0')
			t[--n] = '\0';
		if (n > 0 && t[n - 1] == '.')
			t[--n] = '\0';
	}
	if (!strcmp(t, "-0"))
		return buf_putc(b, '0');
	return buf_append(b, t, (size_t)n);
}

/* The JSON number grammar, leniently: -?D+(.D+)?([eE][+-]?D+)? */
static int is_number(const char *s)
{
	size_t n;

	s += *s == '-';
	if (!(n = strspn(s, "0123456789")))
		return 0;
	s += n;
	if (*s == '.') {
		if (!(n = strspn(++s, "0123456789")))
			return 0;
		s += n;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		s += *s == '+' || *s == '-';
		if (!(n = strspn(s, "0123456789")))
			return 0;
		s += n;
	}
	return *s == '\0';
}

int csv_put_number(struct buf *b, const char *num)
{
	if (num && is_number(num))
		return buf_puts(b, num);
	return csv_put_text(b, num, 0);
}

const char *csv_unformula(const char *s)
{
	if (s && s[0] == '\'' && formula_like(s + 1))
		return s + 1;
	return s;
}

/* ---- reading ---- */

void csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->p = data;
	r->end = data + len;
	r->line = 1;
	r->max_fields = CSV_MAX_FIELDS;
	r->max_field_len = CSV_MAX_FIELD_LEN;
}

void csv_reader_release(struct csv_reader *r)
{
	for (size_t i = 0; i < r->alloc; i++)
		buf_release(&r->field[i]);
	free(r->field);
	r->field = NULL;
	r->nfield = r->alloc = 0;
}

const char *csv_field(const struct csv_reader *r, size_t i)
{
	return i < r->nfield ? buf_str(&r->field[i]) : "";
}

/* A refusal: fill e, hold no record, read no further. */
static int refuse(struct csv_reader *r, struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse(struct csv_reader *r, struct err *e, int code, const char *fmt, ...)
{
	char msg[sizeof(((struct err *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->p = r->end;
	r->nfield = 0;
	return err_set(e, code, NULL, "%s", msg);
}

/* The next field of the record, empty; NULL when the record has max_fields. */
static struct buf *new_field(struct csv_reader *r)
{
	struct buf *f;

	if (r->nfield >= r->max_fields)
		return NULL;
	if (r->nfield == r->alloc) {
		size_t n = r->alloc ? r->alloc * 2 : 16;

		if (!(f = realloc(r->field, n * sizeof(*f))))
			return NULL;
		for (size_t i = r->alloc; i < n; i++)
			buf_init(&f[i], 0);
		r->field = f;
		r->alloc = n;
	}
	f = &r->field[r->nfield++];
	buf_reset(f);
	f->limit = r->max_field_len ? r->max_field_len : CSV_MAX_FIELD_LEN;
	return f;
}

/* The first of the bytes in stop (a NUL always stops) from p, or end. */
static const char *span(const char *p, const char *end, const char *stop)
{
	while (p < end && *p && !strchr(stop, *p))
		p++;
	return p;
}

static int add(struct csv_reader *r, struct buf *f, const char *s, size_t n, struct err *e)
{
	int rc = buf_append(f, s, n);

	if (rc == ERR_TOO_LARGE)
		return refuse(r, e, ERR_INVALID, "line %d: field %zu is longer than %zu bytes",
			      r->line, r->nfield, f->limit);
	if (rc)
		return refuse(r, e, ERR_INTERNAL, "out of memory");
	return 0;
}

/* A quoted field from just after its opening quote to just after its
 * closing one. */
static int quoted(struct csv_reader *r, struct buf *f, struct err *e)
{
	int opened = r->line, rc;

	for (;;) {
		const char *q = span(r->p, r->end, "\"\r\n");

		if ((rc = add(r, f, r->p, (size_t)(q - r->p), e)))
			return rc;
		r->p = q;
		if (q >= r->end)
			return refuse(r, e, ERR_INVALID, "line %d: a quoted field does not end",
				      opened);
		if (!*q)
			return refuse(r, e, ERR_INVALID, "line %d: a NUL byte", r->line);
		if (*q == '"') {
			r->p++;
			if (r->p < r->end && *r->p == '"') {
				if ((rc = add(r, f, "\"", 1, e)))
					return rc;
				r->p++;
				continue;
			}
			return 0;
		}
		/* a line end inside the field: CRLF counts once */
		if (*q == '\n' || q + 1 >= r->end || q[1] != '\n')
			r->line++;
		if ((rc = add(r, f, q, 1, e)))
			return rc;
		r->p++;
	}
}

int csv_read(struct csv_reader *r, struct err *e)
{
	int rc;

	r->nfield = 0;
	if (r->p >= r->end)
		return 0;
	r->record_line = r->line;
	for (;;) {
		struct buf *f = new_field(r);
		const char *q;

		if (!f)
			return r->nfield >= r->max_fields
				       ? refuse(r, e, ERR_INVALID, "line %d: more than %zu fields",
						r->line, r->max_fields)
				       : refuse(r, e, ERR_INTERNAL, "out of memory");
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			if ((rc = quoted(r, f, e)))
				return rc;
			if (r->p < r->end && *r->p && !strchr(",\r\n", *r->p))
				return refuse(r, e, ERR_INVALID,
					      "line %d: text after a closing quote", r->line);
		} else {
			/* a quote inside an unquoted field is taken as it is */
			q = span(r->p, r->end, ",\r\n");
			if ((rc = add(r, f, r->p, (size_t)(q - r->p), e)))
				return rc;
			r->p = q;
		}
		if (r->p < r->end && !*r->p)
			return refuse(r, e, ERR_INVALID, "line %d: a NUL byte", r->line);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		r->line++;
		return 1;
	}
}
