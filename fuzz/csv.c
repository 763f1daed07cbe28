/*
 * fuzz/csv.c — libFuzzer target: lib/csv's reader on arbitrary bytes, then
 * its writer on what was read. Beyond memory safety and leaks it checks:
 *  - every record has at least one field, and begins on a later line than
 *    the one before;
 *  - a refusal is ERR_INVALID with a message naming a line, and ends the
 *    reading;
 *  - read → write → read gives the same records and fields once
 *    csv_unformula() undoes the writer's ', quoted everywhere or only where
 *    needed, and no cell read back begins with a formula character;
 *  - with small caps no record has more fields, or a field more bytes,
 *    than allowed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/csv.h"
#include "lib/err.h"

struct rec {
	char **f;
	size_t n;
};

static void free_recs(struct rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < v[i].n; j++)
			free(v[i].f[j]);
		free(v[i].f);
	}
	free(v);
}

/* Read everything; the records in *out (caller frees), or NULL on a
 * refusal. */
static int read_all(const char *data, size_t size, size_t max_fields, size_t max_len,
		    struct rec **out, size_t *nout)
{
	struct csv_reader r;
	struct err e = { 0 };
	struct rec *v = NULL;
	size_t n = 0;
	int rc, last = 0;

	csv_reader_init(&r, data, size);
	r.max_fields = max_fields;
	r.max_field_len = max_len;
	while ((rc = csv_read(&r, &e)) == 1) {
		struct rec *grown = realloc(v, (n + 1) * sizeof(*v));

		if (r.nfield < 1 || r.nfield > max_fields || r.record_line <= last)
			abort();
		last = r.record_line;
		if (!grown)
			abort();
		v = grown;
		v[n].n = r.nfield;
		v[n].f = calloc(r.nfield, sizeof(char *));
		for (size_t i = 0; i < r.nfield; i++) {
			if (strlen(csv_field(&r, i)) > max_len)
				abort();
			v[n].f[i] = strdup(csv_field(&r, i));
			if (!v[n].f[i])
				abort();
		}
		n++;
	}
	if (rc < 0) {
		if (rc != ERR_INVALID || e.code != ERR_INVALID || strncmp(e.msg, "line ", 5) ||
		    r.nfield != 0 || csv_read(&r, &e) != 0)
			abort();
		free_recs(v, n);
		v = NULL;
		n = 0;
	}
	csv_reader_release(&r);
	*out = v;
	*nout = n;
	return rc;
}

static void round_trip(const struct rec *v, size_t n)
{
	struct buf b = BUF_INIT;
	struct rec *back;
	size_t nback;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < v[i].n; j++) {
			if (j && buf_putc(&b, ','))
				abort();
			if (csv_put_text(&b, v[i].f[j], (i + j) % 2 ? CSV_QUOTE_ALL : 0))
				abort();
		}
		if (buf_putc(&b, '\n'))
			abort();
	}
	if (read_all(buf_str(&b), b.len, CSV_MAX_FIELDS, CSV_MAX_FIELD_LEN, &back, &nback))
		abort();
	if (nback != n)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (back[i].n != v[i].n)
			abort();
		for (size_t j = 0; j < v[i].n; j++) {
			const char *s = back[i].f[j];

			if (*s && strchr("=+-@\t\r", *s))
				abort();
			if (strcmp(csv_unformula(s), v[i].f[j]))
				abort();
		}
	}
	free_recs(back, nback);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec *v;
	size_t n;

	if (!read_all((const char *)data, size, CSV_MAX_FIELDS, CSV_MAX_FIELD_LEN, &v, &n))
		round_trip(v, n);
	free_recs(v, n);
	if (!read_all((const char *)data, size, 8, 16, &v, &n))
		round_trip(v, n);
	free_recs(v, n);
	return 0;
}
