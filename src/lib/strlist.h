/*
 * strlist.h — comma-separated name lists as records keep them ("ops,dba"):
 * staff groups, user groups, an alert's transition times. Empty items are
 * skipped; items are not trimmed (the writers never put spaces in).
 */
#ifndef ITSM_STRLIST_H
#define ITSM_STRLIST_H

#include <jansson.h>
#include <stddef.h>

/* Whether list (NULL: empty) holds the item of n bytes at item. */
int strlist_has(const char *list, const char *item, size_t n);
/* The items as a JSON array of strings; a new reference (NULL only when out
 * of memory). */
json_t *strlist_json(const char *list);

#endif
