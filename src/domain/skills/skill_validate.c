/*
 * skill_validate.c — reading skill profiles: every career record, succession
 * item and specialty depth is checked against the codes of skill_rules.c,
 * and any error names the item at fault ("careers[2].role"). Nothing is
 * assessed before the whole profile validates.
 */
#include "domain/skills/skill_int.h"
#include "lib/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const skill_size_keys[SZ_COUNT] = {
	"persons", "peak_persons", "contract_yen", "users",
};

static const char *const career_keys[] = {
	"field", "role", "from", "to", "succeeded", "verified", "persons",
	"contract_yen", "peak_persons", "users", "complexity", "responsibilities",
	"id", "title", "note", "verified_by", "verified_at", NULL,
};
static const char *const succ_keys[] = {
	"kind", "date", "title", "field", "verified", "id", "note",
	"verified_by", "verified_at", NULL,
};
static const char *const profile_keys[] = {
	"name", "as_of", "exams", "careers", "succession", "specialty",
	"develops_subordinates", "id", "group", "note", NULL,
};

/* ---- reading JSON, naming the item at fault ------------------------- */

static const char *path(char *dst, size_t n, const char *prefix, const char *key)
{
	snprintf(dst, n, "%s%s%s", prefix, *prefix ? "." : "", key);
	return dst;
}

static int bad(struct err *e, const char *prefix, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad(struct err *e, const char *prefix, const char *key, const char *fmt, ...)
{
	char p[64], msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INVALID, path(p, sizeof(p), prefix, key), "%s", msg);
}

static int only_keys(const json_t *o, const char *const *allowed, const char *prefix,
		     struct err *e)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v) {
		size_t i;

		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (!allowed[i])
			return bad(e, prefix, key, "unknown key '%s'", key);
	}
	return 0;
}

static int get_str(const json_t *o, const char *key, int required, const char *prefix,
		   const char **out, struct err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return required ? bad(e, prefix, key, "missing '%s'", key) : 0;
	if (!json_is_string(v))
		return bad(e, prefix, key, "'%s' must be a string", key);
	*out = json_string_value(v);
	return 0;
}

static int get_bool(const json_t *o, const char *key, int dflt, const char *prefix, int *out,
		    struct err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = dflt;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return bad(e, prefix, key, "'%s' must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

/* *out is left untouched when the key is absent or null. */
static int get_date(const json_t *o, const char *key, int required, const char *prefix,
		    int64_t *out, struct err *e)
{
	const char *s;
	int rc = get_str(o, key, required, prefix, &s, e);

	if (rc || !s)
		return rc;
	if (time_parse_date(s, out))
		return bad(e, prefix, key, "bad date '%s', expected YYYY-MM-DD", s);
	return 0;
}

static int get_size(const json_t *o, const char *key, const char *prefix, int64_t *out,
		    struct err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return bad(e, prefix, key, "'%s' must be a non-negative integer", key);
	if (json_integer_value(v) < 0)
		return bad(e, prefix, key, "negative %s %lld", key,
			   (long long)json_integer_value(v));
	*out = json_integer_value(v);
	return 0;
}

static int code_index(const char *const *codes, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(codes[i], s))
			return i;
	return -1;
}

/* Read an array of codes of field f into a bitmask; resp picks the list. */
static int get_codes(const json_t *o, const char *key, int f, int resp, const char *prefix,
		     unsigned *mask, struct err *e)
{
	const struct skill_field_def *d = &skill_fields[f];
	const char *what = resp ? "responsibility" : "complexity criterion";
	const json_t *arr = json_object_get(o, key), *v;
	char item[40];
	size_t i;

	*mask = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return bad(e, prefix, key, "'%s' must be an array of codes", key);
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		int k;

		snprintf(item, sizeof(item), "%s[%zu]", key, i);
		if (!s)
			return bad(e, prefix, item, "'%s' must be a string", item);
		k = resp ? code_index(d->responsibilities, d->nresponsibilities, s)
			 : code_index(d->complexity, d->ncomplexity, s);
		if (k >= 0) {
			*mask |= 1u << k;
			continue;
		}
		for (int g = 0; g < SKILL_FIELD_COUNT; g++) {
			const struct skill_field_def *o2 = &skill_fields[g];

			if ((resp ? code_index(o2->responsibilities, o2->nresponsibilities, s)
				  : code_index(o2->complexity, o2->ncomplexity, s)) >= 0)
				return bad(e, prefix, item, "%s '%s' does not belong to field '%s'",
					   what, s, d->name);
		}
		return bad(e, prefix, item, "unknown %s '%s'", what, s);
	}
	return 0;
}

/* ---- validation ----------------------------------------------------- */

static int parse_career(const json_t *c, const char *prefix, struct skill_career *out,
			struct err *e)
{
	const char *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(c))
		return err_set(e, ERR_INVALID, prefix, "career must be an object");
	if ((rc = only_keys(c, career_keys, prefix, e)))
		return rc;
	if ((rc = get_str(c, "field", 1, prefix, &s, e)))
		return rc;
	if ((out->field = skill_field_from_name(s)) < 0)
		return bad(e, prefix, "field", "unknown field '%s'", s);
	if ((rc = get_str(c, "role", 1, prefix, &s, e)))
		return rc;
	if ((out->role = skill_role_from_name(s)) < 0)
		return bad(e, prefix, "role", "unknown role '%s'", s);
	if ((rc = get_date(c, "from", 1, prefix, &out->from, e)))
		return rc;
	out->to = INT64_MAX;
	if ((rc = get_date(c, "to", 0, prefix, &out->to, e)))
		return rc;
	if (out->to < out->from) {
		char f[11], t[11];

		time_format_date(out->from, f);
		time_format_date(out->to, t);
		return bad(e, prefix, "to", "to '%s' is before from '%s'", t, f);
	}
	if ((rc = get_bool(c, "succeeded", 1, prefix, &out->succeeded, e)) ||
	    (rc = get_bool(c, "verified", 0, prefix, &out->verified, e)))
		return rc;
	for (int i = 0; i < SZ_COUNT; i++)
		if ((rc = get_size(c, skill_size_keys[i], prefix, &out->size[i], e)))
			return rc;
	if ((rc = get_codes(c, "complexity", out->field, 0, prefix, &out->complexity, e)))
		return rc;
	if ((rc = get_codes(c, "responsibilities", out->field, 1, prefix,
			    &out->responsibilities, e)))
		return rc;
	return get_str(c, "title", 0, prefix, &s, e);
}

static int parse_succ(const json_t *it, const char *prefix, struct skill_succ *out,
		      struct err *e)
{
	const char *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(it))
		return err_set(e, ERR_INVALID, prefix, "succession item must be an object");
	if ((rc = only_keys(it, succ_keys, prefix, e)))
		return rc;
	if ((rc = get_str(it, "kind", 1, prefix, &s, e)))
		return rc;
	if ((out->kind = skill_succession_from_name(s)) < 0)
		return bad(e, prefix, "kind", "unknown succession kind '%s'", s);
	out->date = INT64_MIN;
	if ((rc = get_date(it, "date", 0, prefix, &out->date, e)))
		return rc;
	if ((rc = get_str(it, "field", 0, prefix, &s, e)))
		return rc;
	out->field = -1;
	if (s && (out->field = skill_field_from_name(s)) < 0)
		return bad(e, prefix, "field", "unknown field '%s'", s);
	if ((rc = get_bool(it, "verified", 0, prefix, &out->verified, e)))
		return rc;
	return get_str(it, "title", 0, prefix, &s, e);
}

static int parse_specialty(const json_t *map, const char *prefix, int depth[], struct err *e)
{
	const char *key;
	json_t *v;

	for (int f = 0; f < SKILL_FIELD_COUNT; f++)
		depth[f] = SKILL_DEPTH_NONE;
	if (!map || json_is_null(map))
		return 0;
	if (!json_is_object(map))
		return err_set(e, ERR_INVALID, prefix, "'%s' must be an object", prefix);
	json_object_foreach((json_t *)map, key, v) {
		int f = skill_field_from_name(key), d;

		if (f < 0)
			return bad(e, prefix, key, "unknown field '%s'", key);
		if (json_is_null(v))
			continue;
		if (!json_is_string(v))
			return bad(e, prefix, key, "'%s' must be a string", key);
		if ((d = skill_depth_from_name(json_string_value(v))) < 0)
			return bad(e, prefix, key, "unknown depth '%s'", json_string_value(v));
		depth[f] = d;
	}
	return 0;
}

int skill_validate_career(const json_t *career, const char *prefix, struct err *e)
{
	struct skill_career c;

	return parse_career(career, prefix ? prefix : "", &c, e);
}

int skill_validate_succession(const json_t *item, const char *prefix, struct err *e)
{
	struct skill_succ s;

	return parse_succ(item, prefix ? prefix : "", &s, e);
}

int skill_validate_specialty(const json_t *map, const char *prefix, struct err *e)
{
	int depth[SKILL_FIELD_COUNT];

	return parse_specialty(map, prefix ? prefix : "", depth, e);
}

/* Fill x from the profile; x->careers and x->succ are the caller's to free. */
int skill_parse_profile(const json_t *p, int64_t today, struct skill_ctx *x, struct err *e)
{
	const json_t *arr, *v, *id;
	char pre[40];
	size_t i;
	int rc;

	if (!json_is_object(p))
		return err_set(e, ERR_INVALID, "", "profile must be an object");
	if ((rc = only_keys(p, profile_keys, "", e)) ||
	    (rc = get_str(p, "name", 0, "", &x->name, e)))
		return rc;
	x->as_of = today;
	if ((rc = get_date(p, "as_of", 0, "", &x->as_of, e)) ||
	    (rc = get_bool(p, "develops_subordinates", 0, "", &x->develops, e)) ||
	    (rc = parse_specialty(json_object_get(p, "specialty"), "specialty", x->depth, e)))
		return rc;

	x->exams = json_object_get(p, "exams");
	if (x->exams && !json_is_null(x->exams)) {
		if (!json_is_array(x->exams))
			return err_set(e, ERR_INVALID, "exams", "'exams' must be an array");
		json_array_foreach(x->exams, i, v) {
			snprintf(pre, sizeof(pre), "exams[%zu]", i);
			if (!json_is_string(v) || !*json_string_value(v))
				return err_set(e, ERR_INVALID, pre, "'%s' must be an exam code", pre);
		}
	}

	arr = json_object_get(p, "careers");
	if (arr && !json_is_null(arr)) {
		if (!json_is_array(arr))
			return err_set(e, ERR_INVALID, "careers", "'careers' must be an array");
		x->ncareers = json_array_size(arr);
		x->careers = calloc(x->ncareers + 1, sizeof(*x->careers));
		x->iv = calloc(x->ncareers + 1, sizeof(*x->iv));
		if (!x->careers || !x->iv)
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		json_array_foreach(arr, i, v) {
			snprintf(pre, sizeof(pre), "careers[%zu]", i);
			if ((rc = parse_career(v, pre, &x->careers[i], e)))
				return rc;
			id = json_object_get(v, "id");
			x->careers[i].ref = json_is_integer(id) && json_integer_value(id) > 0
						    ? json_integer_value(id)
						    : (int64_t)i;
		}
	}

	arr = json_object_get(p, "succession");
	if (arr && !json_is_null(arr)) {
		if (!json_is_array(arr))
			return err_set(e, ERR_INVALID, "succession", "'succession' must be an array");
		x->nsucc = json_array_size(arr);
		if (!(x->succ = calloc(x->nsucc + 1, sizeof(*x->succ))))
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		json_array_foreach(arr, i, v) {
			snprintf(pre, sizeof(pre), "succession[%zu]", i);
			if ((rc = parse_succ(v, pre, &x->succ[i], e)))
				return rc;
			x->succ[i].index = i;
		}
	}
	return 0;
}

int skill_validate_profile(const json_t *profile, struct err *e)
{
	struct skill_ctx x = { 0 };
	int rc = skill_parse_profile(profile, 0, &x, e);

	free(x.careers);
	free(x.succ);
	free(x.iv);
	return rc;
}
