/*
 * ident.h — the shape of the keys and names people give records (customer
 * keys, usernames, service and calendar names, item keys): 1 to max bytes of
 * ASCII letters, digits and the punctuation a module allows. They appear in
 * URLs, file names and table cells, so nothing else is accepted.
 */
#ifndef ITSM_IDENT_H
#define ITSM_IDENT_H

#include <stddef.h>

#define IDENT_PUNCT "._-" /* what most keys allow besides letters and digits */

/* 1 when s is 1..max bytes of letters, digits and characters of punct. */
int ident_valid(const char *s, size_t max, const char *punct);

/* 1 when key is a numbered record's key: prefix, '-', then a number of 1
 * to 19 digits without a leading zero ("PRB-12", prefix "PRB"). A key of
 * another shape names no record (its look-up answers not found). */
int ident_numbered(const char *key, const char *prefix);

#endif
