/*
 * terms.c — a search query split into words (terms.h). The split is by
 * bytes: a separator is an ASCII space, tab or line end, or the three bytes
 * of U+3000; every other character belongs to a word.
 */
#include "lib/terms.h"
#include "lib/utf8.h"

#include <string.h>

size_t terms_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* The length of the separator at s (0: none). */
static size_t sep(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	/* Byte by byte: a string ending early stops at its NUL. */
	if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

int terms_split(const char *q, struct terms *t)
{
	size_t len = strlen(q), used = 0;

	t->n = 0;
	if (!utf8_valid(q, len))
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)q[i] < 0x20 && !sep(q + i))
			return -1;
	if (terms_chars(q, len) > TERMS_MAX_CHARS)
		return -3;
	for (size_t i = 0; i < len;) {
		size_t s = sep(q + i), start;

		if (s) {
			i += s;
			continue;
		}
		for (start = i; i < len && !sep(q + i); i++)
			;
		if (t->n == TERMS_MAX)
			return -4;
		memcpy(t->buf + used, q + start, i - start);
		t->v[t->n] = t->buf + used;
		t->chars[t->n] = terms_chars(q + start, i - start);
		t->n++;
		used += i - start;
		t->buf[used++] = '\0';
	}
	return t->n ? 0 : -2;
}
