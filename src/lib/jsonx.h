/*
 * jsonx.h — reading request bodies with jansson: typed getters that name the
 * field at fault in a struct err, so a validator reads as a list of fields.
 *
 * Each getter returns 0 and stores the value, 1 when the key is absent (and
 * not required), or ERR_INVALID with e filled in. Returned strings point into
 * the json_t and live as long as it does.
 */
#ifndef ITSM_JSONX_H
#define ITSM_JSONX_H

#include <jansson.h>
#include <stdint.h>

#include "lib/err.h"

enum { JX_OPTIONAL = 0, JX_REQUIRED = 1 };

int jx_str(const json_t *obj, const char *key, int required, size_t maxlen, const char **out,
	   struct err *e);
/* jx_str for text a person must write (a title, a reason): one of only
 * spaces is refused as empty; *out skips the leading spaces. */
int jx_text(const json_t *obj, const char *key, int required, size_t maxlen, const char **out,
	    struct err *e);
int jx_int(const json_t *obj, const char *key, int required, int64_t min, int64_t max,
	   int64_t *out, struct err *e);
int jx_bool(const json_t *obj, const char *key, int required, int *out, struct err *e);
int jx_time(const json_t *obj, const char *key, int required, int64_t *out, struct err *e);
/* Refuse keys not in the NULL-terminated list (a typo must not be ignored). */
int jx_only(const json_t *obj, const char *const *allowed, struct err *e);

/* Append j to b in canonical form (sorted keys, compact, minimal escapes):
 * the same value always gives the same bytes. */
struct buf;
int jx_canonical(struct buf *b, const json_t *j);
/* j in canonical form as a new string into *out (the caller frees it; the
 * old *out is freed): 0, or -1 when j is NULL or memory ran out (*out then
 * unchanged). */
int jx_canonical_dup(const json_t *j, char **out);

/* jansson reports no memory only by a NULL or a -1 that code building a
 * value seldom checks (json_object_set_new), so a value can come out
 * silently short. jx_watch_alloc hands jansson an allocator that counts its
 * failures per thread (malloc and free, as before: safe at any time);
 * jx_alloc_failures is this thread's count, so a caller can tell whether
 * anything built in between may be missing a member. */
void jx_watch_alloc(void);
unsigned long jx_alloc_failures(void);

/* Query parameters (an object of strings, as the API and the CLI build
 * them): the text of one, or NULL when it is absent. */
const char *jx_qstr(const json_t *query, const char *key);
/* A whole number parameter in [min, max]: 0 and the value, 1 when absent
 * (*out untouched), or ERR_INVALID naming the parameter ("10x", "", "1.5"
 * are refused). */
int jx_qint(const json_t *query, const char *key, int64_t min, int64_t max, int64_t *out,
	    struct err *e);

/* One page of a list, as every list answers ({"items", "next_cursor"}):
 * items (consumed) ordered by `field` (unique; an integer when numeric, else
 * a string), those after the query's "cursor", at most its "limit" (default
 * 50, at most 500). A NULL query gives every item. */
int jx_page(json_t *items, const json_t *query, const char *field, int numeric, json_t **out,
	    struct err *e);

/* Set obj[key] to an RFC 3339 string, or null when t == 0. */
/* A time as RFC 3339 text, null for 0 (NULL only when out of memory). */
json_t *jx_time_value(int64_t t);
void jx_set_time(json_t *obj, const char *key, int64_t t);
/* Set obj[key] to a string, or null when s is NULL. */
void jx_set_str(json_t *obj, const char *key, const char *s);

/* Figures in answers. Every percentage an answer carries is jx_percent's:
 * 4 decimals, rounded down (a figure never reads better than it is:
 * 99.99996 is 99.9999, never 100; a miss of a target compares the unrounded
 * figure, see report.c). Every duration in seconds is jx_seconds': a whole
 * number, rounded to the nearest. Both give null when has is 0. The values
 * are new references. */
#define JX_PERCENT_PLACES 4
json_t *jx_percent(int has, double percent);
json_t *jx_seconds(int has, double seconds);
/* The flags every answer is written with (HTTP and the CLI's --json): 15
 * significant digits, so a double rounded to a few decimals is written as
 * those decimals (99.9, not jansson's default 99.900000000000006). */
#define JX_DUMP_FLAGS (JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

#endif
