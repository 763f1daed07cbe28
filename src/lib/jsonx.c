/*
 * jsonx.c — typed field getters for request validation, the count of
 * jansson's failed allocations, and the one way figures (percentages,
 * seconds) are written into answers.
 */
#include "lib/jsonx.h"
#include "lib/timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local unsigned long alloc_failures;

static void *counted_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		alloc_failures++;
	return p;
}

void jx_watch_alloc(void)
{
	json_set_alloc_funcs(counted_malloc, free);
}

unsigned long jx_alloc_failures(void)
{
	return alloc_failures;
}

static int absent(const char *key, int required, struct err *e)
{
	if (required)
		return err_set(e, ERR_INVALID, key, "missing field '%s'", key);
	return 1;
}

int jx_str(const json_t *obj, const char *key, int required, size_t maxlen, const char **out,
	   struct err *e)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return absent(key, required, e);
	if (!json_is_string(v))
		return err_set(e, ERR_INVALID, key, "field '%s' must be a string", key);
	if (maxlen && json_string_length(v) > maxlen)
		return err_set(e, ERR_INVALID, key, "field '%s' is longer than %zu bytes", key,
			       maxlen);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return err_set(e, ERR_INVALID, key, "field '%s' contains a NUL character", key);
	*out = json_string_value(v);
	return 0;
}

int jx_text(const json_t *obj, const char *key, int required, size_t maxlen, const char **out,
	    struct err *e)
{
	const char *s;
	int rc = jx_str(obj, key, required, maxlen, &s, e);

	if (rc)
		return rc;
	s += strspn(s, " \t\r\n\v\f");
	if (!*s)
		return err_set(e, ERR_INVALID, key, "%s must not be empty", key);
	*out = s;
	return 0;
}

int jx_int(const json_t *obj, const char *key, int required, int64_t min, int64_t max,
	   int64_t *out, struct err *e)
{
	json_t *v = json_object_get(obj, key);
	json_int_t i;

	if (!v || json_is_null(v))
		return absent(key, required, e);
	if (!json_is_integer(v))
		return err_set(e, ERR_INVALID, key, "field '%s' must be an integer", key);
	i = json_integer_value(v);
	if (i < min || i > max)
		return err_set(e, ERR_INVALID, key, "field '%s' must be between %lld and %lld", key,
			       (long long)min, (long long)max);
	*out = i;
	return 0;
}

int jx_bool(const json_t *obj, const char *key, int required, int *out, struct err *e)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return absent(key, required, e);
	if (!json_is_boolean(v))
		return err_set(e, ERR_INVALID, key, "field '%s' must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

int jx_time(const json_t *obj, const char *key, int required, int64_t *out, struct err *e)
{
	const char *s;
	int rc = jx_str(obj, key, required, 64, &s, e);

	if (rc)
		return rc;
	if (time_parse_rfc3339(s, out))
		return err_set(e, ERR_INVALID, key, "field '%s' is not an RFC 3339 time: '%s'", key,
			       s);
	return 0;
}

int jx_only(const json_t *obj, const char *const *allowed, struct err *e)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
	{
		const char *const *a = allowed;

		while (*a && strcmp(*a, key))
			a++;
		if (!*a)
			return err_set(e, ERR_INVALID, key, "unknown field '%s'", key);
	}
	return 0;
}

json_t *jx_time_value(int64_t t)
{
	char ts[RFC3339_LEN];

	if (!t)
		return json_null();
	time_format_rfc3339(t, ts);
	return json_string(ts);
}

void jx_set_time(json_t *obj, const char *key, int64_t t)
{
	json_object_set_new(obj, key, jx_time_value(t));
}

void jx_set_str(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, s ? json_string(s) : json_null());
}

/* ---- query parameters ---- */

const char *jx_qstr(const json_t *query, const char *key)
{
	json_t *v = json_object_get(query, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int jx_qint(const json_t *query, const char *key, int64_t min, int64_t max, int64_t *out,
	    struct err *e)
{
	const char *s = jx_qstr(query, key);
	char *end;
	long long v;

	if (!s)
		return 1;
	errno = 0;
	v = strtoll(s, &end, 10);
	/* Digits only (a minus sign first at most): no blanks, no '+', no tail. */
	if ((!isdigit((unsigned char)*s) && *s != '-') || *end || errno || v < min || v > max)
		return err_set(e, ERR_INVALID, key, "'%s' must be a number from %lld to %lld", key,
			       (long long)min, (long long)max);
	*out = v;
	return 0;
}

/* ---- pages of a list ---- */

static int item_cmp_field(const json_t *a, const json_t *b, const char *field)
{
	json_t *x = json_object_get(a, field), *y = json_object_get(b, field);

	if (json_is_integer(x) && json_is_integer(y))
		return json_integer_value(x) < json_integer_value(y) ? -1 :
		       json_integer_value(x) > json_integer_value(y);
	return strcmp(json_is_string(x) ? json_string_value(x) : "",
		      json_is_string(y) ? json_string_value(y) : "");
}

static int item_cmp(const void *a, const void *b, void *field)
{
	return item_cmp_field(*(json_t *const *)a, *(json_t *const *)b, field);
}

int jx_page(json_t *items, const json_t *query, const char *field, int numeric, json_t **out,
	    struct err *e)
{
	const char *cur = jx_qstr(query, "cursor");
	size_t n = json_array_size(items), start = 0, i, take;
	json_t **v, *page, *probe = NULL;
	int64_t limit = 50, c = 0;

	if (jx_qint(query, "limit", 1, 500, &limit, e) < 0 ||
	    (numeric && jx_qint(query, "cursor", INT64_MIN, INT64_MAX, &c, e) < 0)) {
		json_decref(items);
		if (!strcmp(e->field, "cursor"))
			err_set(e, ERR_INVALID, "cursor", "malformed cursor '%s'", cur);
		return e->code;
	}
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v) {
		json_decref(items);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	for (i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	qsort_r(v, n, sizeof(*v), item_cmp, (void *)field);
	if (cur) {
		/* The page starts after the cursor, so a deleted item never
		 * strands a client. */
		if (numeric) {
			probe = json_pack("{s:I}", field, (json_int_t)c);
		} else {
			probe = json_pack("{s:s}", field, cur);
		}
		while (start < n && item_cmp_field(v[start], probe, field) <= 0)
			start++;
		json_decref(probe);
	}
	take = query ? (size_t)limit : n;
	page = json_array();
	for (i = start; i < n && i < start + take; i++)
		json_array_append(page, v[i]);
	*out = json_pack("{s:o}", "items", page);
	if (i < n) {
		json_t *last = json_object_get(v[i - 1], field);
		char buf[32];

		if (json_is_integer(last)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(last));
			json_object_set_new(*out, "next_cursor", json_string(buf));
		} else {
			json_object_set(*out, "next_cursor", last);
		}
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	free(v);
	json_decref(items);
	return 0;
}

json_t *jx_percent(int has, double percent)
{
	double scale = pow(10, JX_PERCENT_PLACES);

	if (!has || !isfinite(percent))
		return json_null();
	/* The tolerance keeps 99.89 (stored as 99.889999…) at 99.89; it is far
	 * below the smallest step of a real figure (one second of a month). */
	return json_real(floor(percent * scale + 1e-6) / scale);
}

json_t *jx_seconds(int has, double seconds)
{
	if (!has || !isfinite(seconds))
		return json_null();
	return json_integer((json_int_t)llround(seconds));
}
