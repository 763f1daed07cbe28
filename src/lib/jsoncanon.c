/*
 * jsoncanon.c — JSON in canonical form: object keys sorted bytewise, no
 * whitespace, strings escaped minimally (", \\ and control characters only,
 * \u00XX in upper case; UTF-8 passes through; a NUL inside a string is
 * \u0000, never the string's end). The audit log hashes records in this
 * form and compares stored states through it, so the same value always
 * gives the same bytes, whoever wrote it; a text that could not be written
 * whole (no memory, the buffer's cap) is an error, never a shorter text.
 *
 * Invariant: the bytes are exactly jansson's json_dumps(JSON_COMPACT |
 * JSON_SORT_KEYS | JSON_ENCODE_ANY) — what the audit stored before this
 * writer — for every value (fuzz/json_canon.c checks it differentially).
 */
#include "lib/buf.h"
#include "lib/jsonx.h"

#include <stdlib.h>
#include <string.h>

/* Non-negative v in decimal, written backwards into the end of buf[24]. */
static char *digits(int64_t v, char *buf)
{
	char *p = buf + 23;

	*p = 0;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	return p;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int dump(struct buf *b, const json_t *j);

/* Every write to b is checked: one lost byte would change the hash. */
#define TRY(x)                                                                                     \
	do {                                                                                       \
		int rc_ = (x);                                                                     \
		if (rc_)                                                                           \
			return rc_;                                                                \
	} while (0)

static int dump_string(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s, *end = s + len;

	TRY(buf_putc(b, '"'));
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = { '\\', 0 };
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		TRY(buf_append(b, run, (size_t)(s - run)));
		run = s + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		TRY(buf_append(b, esc, n));
	}
	TRY(buf_append(b, run, (size_t)(s - run)));
	return buf_putc(b, '"');
}

static int dump(struct buf *b, const json_t *j)
{
	char d[32];

	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *small[64], **keys = small, *k;
		size_t n = json_object_size(j), i = 0;
		json_t *v;
		int rc;

		if (n > 64 && !(keys = malloc(n * sizeof(*keys))))
			return ERR_INTERNAL;
		json_object_foreach((json_t *)j, k, v)
			keys[i++] = k;
		qsort(keys, n, sizeof(*keys), key_cmp);
		rc = buf_putc(b, '{');
		for (i = 0; !rc && i < n; i++)
			if (!(rc = i ? buf_putc(b, ',') : 0) && !(rc = dump_string(b, keys[i], strlen(keys[i]))) &&
			    !(rc = buf_putc(b, ':')))
				rc = dump(b, json_object_get(j, keys[i]));
		if (keys != small)
			free(keys);
		return rc ? rc : buf_putc(b, '}');
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;

		TRY(buf_putc(b, '['));
		json_array_foreach(j, i, v) {
			if (i)
				TRY(buf_putc(b, ','));
			TRY(dump(b, v));
		}
		return buf_putc(b, ']');
	}
	case JSON_STRING:
		return dump_string(b, json_string_value(j), json_string_length(j));
	case JSON_INTEGER: {
		json_int_t v = json_integer_value(j);

		if (v < 0) {
			snprintf(d, sizeof(d), "%" JSON_INTEGER_FORMAT, v);
			return buf_puts(b, d);
		}
		return buf_puts(b, digits(v, d));
	}
	case JSON_REAL: {
		char *t = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		int rc = t ? buf_puts(b, t) : ERR_INTERNAL;

		free(t);
		return rc;
	}
	case JSON_TRUE:
		return buf_puts(b, "true");
	case JSON_FALSE:
		return buf_puts(b, "false");
	default:
		return buf_puts(b, "null");
	}
}

int jx_canonical(struct buf *b, const json_t *j)
{
	return dump(b, j);
}

int jx_canonical_dup(const json_t *j, char **out)
{
	struct buf b = BUF_INIT;
	char *text;

	if (!j || dump(&b, j) || !(text = buf_detach(&b, NULL))) {
		buf_release(&b);
		return -1;
	}
	free(*out);
	*out = text;
	return 0;
}
