/*
 * jsonx.c — typed field getters for request validation.
 */
#include "lib/jsonx.h"
#include "lib/timeutil.h"

#include <string.h>

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

void jx_set_time(json_t *obj, const char *key, int64_t t)
{
	char ts[RFC3339_LEN];

	if (!t) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	time_format_rfc3339(t, ts);
	json_object_set_new(obj, key, json_string(ts));
}

void jx_set_str(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, s ? json_string(s) : json_null());
}
