/*
 * utf8.h — well-formed UTF-8 as Unicode defines it (Table 3-7): no overlong
 * forms, no surrogates, nothing above U+10FFFF. The request path, query
 * parameters, log values and error messages are held to it.
 */
#ifndef ITSM_UTF8_H
#define ITSM_UTF8_H

#include <stddef.h>

/* The length (1-4) of the well-formed sequence that starts s, which holds
 * n bytes; 0 when n is 0 or the bytes there are not one. */
size_t utf8_seq(const char *s, size_t n);

/* 1 when all n bytes of s are well-formed UTF-8 (NUL counts as a
 * character: a caller that refuses NUL checks for it itself). */
int utf8_valid(const char *s, size_t n);

/* Copy the C string s into dst (size bytes, size > 0), every byte that is not
 * part of a well-formed sequence replaced by U+FFFD, and cut at a character
 * boundary when it does not fit: the result is always valid UTF-8, so
 * jansson takes it. Returns dst. */
char *utf8_repair(char *dst, size_t size, const char *s);

#endif
