/*
 * terms.h — a search query as its words: the text between separators
 * (ASCII white space and the ideographic space U+3000), each kept as
 * written. A query is at most TERMS_MAX_CHARS characters and
 * TERMS_MAX words; what a word holds — quotes, stars, "AND", "NEAR",
 * brackets — is text to find, never syntax: the store quotes each word for
 * its engine (sql_search.c).
 */
#ifndef ITSM_TERMS_H
#define ITSM_TERMS_H

#include <stddef.h>

#define TERMS_MAX_CHARS 200
#define TERMS_MAX 16

struct terms {
	char buf[TERMS_MAX_CHARS * 4 + TERMS_MAX + 1];
	const char *v[TERMS_MAX]; /* into buf, NUL-terminated */
	size_t chars[TERMS_MAX];  /* each word's length in characters */
	size_t n;
};

/* Split q (UTF-8) into t: 0; -1 when q is not well-formed UTF-8 or has a
 * control character, -2 when it has no word, -3 when it is longer than
 * TERMS_MAX_CHARS characters, -4 when it has more than TERMS_MAX words. */
int terms_split(const char *q, struct terms *t);
/* The characters (code points) of the n bytes at s, well-formed UTF-8. */
size_t terms_chars(const char *s, size_t n);

#endif
