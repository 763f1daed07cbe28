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

#endif
