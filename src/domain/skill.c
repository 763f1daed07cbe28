/*
 * skill.c — validating skill profiles and assessing them against the ITSS
 * rule tables of skill_rules.c.
 *
 * The idea: a profile is parsed once into plain structs (every error names
 * the item at fault), then each (field, level) row is judged on its own:
 *  - business: the union of the inclusive periods of the records that pass
 *    the row (succeeded, role, the row's complexity and size, its field
 *    responsibilities) reaches the row's years of 365 days;
 *  - professional: specialty depth, distinct succession kinds, developing
 *    subordinates.
 * The level is the highest L with every row from the field's first level up
 * to L met. Rows are judged independently, so where the seed's lists are not
 * nested (Operations Management 6–7 accept international criteria 3–5 lack)
 * a higher row can hold while a lower one fails; that is reported as an
 * anomaly, never folded into the level.
 *
 * Invariants: nothing is assessed before the whole profile validates; the
 * answer depends only on (profile, as_of, verified_only, rules); exams are
 * echoed with their remark and never counted.
 */
#include "domain/skill.h"
#include "lib/buf.h"
#include "lib/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SZ_PERSONS, SZ_PEAK, SZ_YEN, SZ_USERS, SZ_COUNT };

static const char *const size_keys[SZ_COUNT] = {
	"persons", "peak_persons", "contract_yen", "users",
};

struct skill_career {
	size_t index;
	int field, role;
	int64_t from, to;       /* inclusive; to = INT64_MAX while ongoing */
	int succeeded, verified;
	int64_t size[SZ_COUNT]; /* -1 when not given */
	unsigned complexity, responsibilities;
};

struct skill_succ {
	size_t index;
	int kind, field;        /* field -1: counts for every field */
	int64_t date;           /* INT64_MIN when not given */
	int verified;
};

struct skill_ctx {
	const char *name;
	int64_t as_of;
	int verified_only;
	struct skill_career *careers;
	size_t ncareers;
	struct skill_succ *succ;
	size_t nsucc;
	int depth[SKILL_FIELD_COUNT];
	int develops;
	const json_t *exams;
	int64_t (*iv)[2];       /* scratch: one period per career */
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
		if ((rc = get_size(c, size_keys[i], prefix, &out->size[i], e)))
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
static int parse_profile(const json_t *p, int64_t today, struct skill_ctx *x, struct err *e)
{
	const json_t *arr, *v;
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
			x->careers[i].index = i;
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
	int rc = parse_profile(profile, 0, &x, e);

	free(x.careers);
	free(x.succ);
	free(x.iv);
	return rc;
}

/* ---- words for the answer ------------------------------------------- */

static void put_yen(struct buf *b, int64_t v)
{
	const int64_t billion = 1000000000, million = 1000000;

	if (v >= billion && v % (billion / 10) == 0 && v % billion)
		buf_printf(b, "¥%lld.%lldB", (long long)(v / billion),
			   (long long)(v % billion / (billion / 10)));
	else if (v >= billion && v % billion == 0)
		buf_printf(b, "¥%lldB", (long long)(v / billion));
	else if (v >= million && v % million == 0)
		buf_printf(b, "¥%lldM", (long long)(v / million));
	else
		buf_printf(b, "¥%lld", (long long)v);
}

static void put_amount(struct buf *b, int k, int64_t v, const char *cmp)
{
	buf_puts(b, cmp);
	switch (k) {
	case SZ_YEN:
		put_yen(b, v);
		break;
	case SZ_PERSONS:
		buf_printf(b, "%lld persons", (long long)v);
		break;
	case SZ_PEAK:
		buf_printf(b, "%lld peak persons", (long long)v);
		break;
	default:
		buf_printf(b, "%lld users", (long long)v);
	}
}

/* ">=75 persons or >=¥750M" */
static void put_band(struct buf *b, const struct skill_band *band)
{
	const int64_t v[SZ_COUNT] = { band->persons, band->peak_persons, band->contract_yen,
				      band->users };
	int n = 0;

	for (int k = 0; k < SZ_COUNT; k++)
		if (v[k] > 0) {
			buf_puts(b, n++ ? " or " : "");
			put_amount(b, k, v[k], ">=");
		}
}

static void put_years(struct buf *b, int64_t days)
{
	buf_printf(b, "%lld.%lld", (long long)(days / 365), (long long)(days * 10 / 365 % 10));
}

/* Append a reason to why (when not NULL) and count it. The reasons only
 * explain; one lost to a failed allocation does not change a verdict. */
static int note(json_t *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int note(json_t *why, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!why)
		return 1;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	json_array_append_new(why, json_string(line));
	return 1;
}

/* ---- judging one record against one row ----------------------------- */

static int band_met(const struct skill_band *band, const struct skill_career *c)
{
	const int64_t v[SZ_COUNT] = { band->persons, band->peak_persons, band->contract_yen,
				      band->users };

	for (int k = 0; k < SZ_COUNT; k++)
		if (v[k] > 0 && c->size[k] >= v[k])
			return 1;
	return 0;
}

/* The row's complexity and size test for one record. Returns the number of
 * reasons it fails, appending them to why when why is not NULL. */
static int cx_size_check(const struct skill_rule *r, const struct skill_career *c, json_t *why)
{
	const struct skill_field_def *d = &skill_fields[r->field];
	int n = __builtin_popcount(c->complexity & r->complexity), fails = 0, m = 0;
	struct buf b = BUF_INIT;

	if (r->required_complexity >= 0 && !(c->complexity & (1u << r->required_complexity)))
		fails += note(why, "lacks complexity criterion '%s'",
			      d->complexity[r->required_complexity]);
	if (n < r->complexity_count)
		fails += note(why, "has %d of the level's complexity criteria, needs %d", n,
			      r->complexity_count);
	if (!r->size_specified || band_met(&r->main, c))
		return fails;
	if (r->lower_count && band_met(&r->lower, c) && n >= r->lower_count)
		return fails;
	buf_puts(&b, "size below the band: has ");
	for (int k = 0; k < SZ_COUNT; k++)
		if (c->size[k] >= 0) {
			buf_puts(&b, m++ ? ", " : "");
			put_amount(&b, k, c->size[k], "");
		}
	buf_puts(&b, m ? "; needs " : "no size; needs ");
	put_band(&b, &r->main);
	if (r->lower_count && band_met(&r->lower, c)) {
		buf_puts(&b, "; in the lower band (");
		put_band(&b, &r->lower);
		buf_printf(&b, ") with %d complexity criteria, needs %d", n, r->lower_count);
	} else if (r->lower_count) {
		buf_puts(&b, " (or ");
		put_band(&b, &r->lower);
		buf_printf(&b, " with %d)", r->lower_count);
	}
	fails += note(why, "%s", buf_str(&b));
	buf_release(&b);
	return fails;
}

/* Every reason a record does not count for the row's business criterion. */
static int record_check(const struct skill_ctx *x, const struct skill_rule *r,
			const struct skill_career *c, json_t *why)
{
	const struct skill_field_def *d = &skill_fields[r->field];
	int fails = 0;
	char day[11];

	if (x->verified_only && !c->verified)
		fails += note(why, "not verified");
	if (!c->succeeded)
		fails += note(why, "failed project");
	if (c->from > x->as_of) {
		time_format_date(x->as_of, day);
		fails += note(why, "starts after as_of %s", day);
	}
	if (c->role < (int)r->role)
		fails += note(why, "role '%s' is below '%s'", skill_role_names[c->role],
			      skill_role_names[r->role]);
	fails += cx_size_check(r, c, why);
	for (int k = 0; k < d->nresponsibilities; k++)
		if (r->responsibilities & ~c->responsibilities & (1u << k))
			fails += note(why, "lacks responsibility '%s'", d->responsibilities[k]);
	return fails;
}

static int cmp_iv(const void *a, const void *b)
{
	const int64_t *p = a, *q = b;

	return (p[0] > q[0]) - (p[0] < q[0]);
}

/* Days covered by the union of n inclusive periods; sorts iv. */
static int64_t union_days(int64_t (*iv)[2], size_t n)
{
	int64_t total = 0, a, z;

	if (!n)
		return 0;
	qsort(iv, n, sizeof(*iv), cmp_iv);
	a = iv[0][0];
	z = iv[0][1];
	for (size_t i = 1; i < n; i++) {
		if (iv[i][0] > z + 1) {
			total += z - a + 1;
			a = iv[i][0];
		}
		if (iv[i][1] > z)
			z = iv[i][1];
	}
	return total + z - a + 1;
}

/* ---- criteria ------------------------------------------------------- */

static json_t *criterion(int level, const char *kind, int met, json_t *records, const char *shortfall)
{
	json_t *o = json_pack("{s:i, s:s, s:b, s:o}", "level", level, "kind", kind,
			      "met", met, "records", records ? records : json_array());

	if (o && !met && json_object_set_new(o, "shortfall", json_string(shortfall))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* "needs 3.0 years as responsible at >=75 persons or >=¥750M with 2
 * complexity criteria (or >=35 persons or >=¥350M with 4)" */
static void put_business_needs(struct buf *b, const struct skill_rule *r)
{
	const struct skill_field_def *d = &skill_fields[r->field];
	int m = 0;

	buf_printf(b, "needs %d.0 years as %s", r->years, skill_role_names[r->role]);
	if (r->size_specified) {
		buf_puts(b, " at ");
		put_band(b, &r->main);
	}
	buf_printf(b, " with %d complexity criteria", r->complexity_count);
	if (r->required_complexity >= 0)
		buf_printf(b, " including %s", d->complexity[r->required_complexity]);
	if (r->lower_count) {
		buf_puts(b, " (or ");
		put_band(b, &r->lower);
		buf_printf(b, " with %d)", r->lower_count);
	}
	for (int k = 0; k < d->nresponsibilities; k++)
		if (r->responsibilities & (1u << k))
			buf_printf(b, "%s%s", m++ ? ", " : " and responsibilities ",
				   d->responsibilities[k]);
}

static json_t *business(struct skill_ctx *x, const struct skill_rule *r, int *met)
{
	json_t *records = json_array(), *rejected = json_array(), *o = NULL;
	struct buf b = BUF_INIT;
	size_t n = 0;
	int64_t days;

	for (size_t i = 0; records && rejected && i < x->ncareers; i++) {
		const struct skill_career *c = &x->careers[i];
		json_t *why;

		if (c->field != (int)r->field)
			continue;
		if (!record_check(x, r, c, NULL)) {
			json_array_append_new(records, json_integer((json_int_t)c->index));
			x->iv[n][0] = c->from;
			x->iv[n++][1] = c->to < x->as_of ? c->to : x->as_of;
			continue;
		}
		why = json_array();
		record_check(x, r, c, why);
		json_array_append_new(rejected, json_pack("{s:I, s:o}", "record",
							  (json_int_t)c->index, "reasons", why));
	}
	days = union_days(x->iv, n);
	*met = days >= (int64_t)r->years * 365;

	put_business_needs(&b, r);
	buf_puts(&b, "; has ");
	put_years(&b, days);

	if (records && rejected)
		o = criterion(r->level, "business", *met, records, buf_str(&b));
	else
		json_decref(records);
	if (o && !*met && json_object_set(o, "rejected", rejected)) {
		json_decref(o);
		o = NULL;
	}
	json_decref(rejected);
	buf_release(&b);
	return o;
}

static json_t *succession(const struct skill_ctx *x, const struct skill_rule *r, int *met)
{
	json_t *records = json_array();
	unsigned kinds = 0;
	char line[128];
	int n;

	for (size_t i = 0; records && i < x->nsucc; i++) {
		const struct skill_succ *s = &x->succ[i];

		if ((s->field >= 0 && s->field != (int)r->field) ||
		    (s->date != INT64_MIN && s->date > x->as_of) ||
		    (x->verified_only && !s->verified))
			continue;
		kinds |= 1u << s->kind;
		json_array_append_new(records, json_integer((json_int_t)s->index));
	}
	n = __builtin_popcount(kinds);
	*met = n >= r->succession;
	snprintf(line, sizeof(line), "needs %d kinds of expertise succession; has %d",
		 r->succession, n);
	return records ? criterion(r->level, "succession", *met, records, line) : NULL;
}

static json_t *specialty(const struct skill_ctx *x, const struct skill_rule *r, int *met)
{
	const char *has = skill_depth_name(x->depth[r->field]);
	char line[128];

	*met = x->depth[r->field] >= (int)r->depth;
	snprintf(line, sizeof(line), "needs specialty depth %s; has %s",
		 skill_depth_name(r->depth), has ? has : "none");
	return criterion(r->level, "specialty", *met, NULL, line);
}

/* Rows are judged on their own, so a higher level's business criterion can
 * hold where a lower one's does not (the seed's lists are not nested). Each
 * such level becomes one anomaly naming the lower levels that fail. */
static int field_anomalies(const struct skill_field_def *d, const int biz[], json_t *anomalies)
{
	int rc = 0;

	for (int L = d->min_level + 1; L <= d->max_level && !rc; L++) {
		json_t *below = json_array();
		struct buf b = BUF_INIT;
		char msg[256];

		for (int k = d->min_level; below && biz[L] && k < L; k++)
			if (!biz[k]) {
				buf_printf(&b, "%s%d", json_array_size(below) ? ", " : "", k);
				json_array_append_new(below, json_integer(k));
			}
		if (!below)
			rc = ERR_INTERNAL;
		else if (json_array_size(below)) {
			snprintf(msg, sizeof(msg), "%s: level %d business criteria hold but "
				 "those of level %s do not", d->name, L, buf_str(&b));
			if (json_array_append_new(anomalies, json_pack("{s:s, s:i, s:O, s:s}",
					"field", d->name, "level", L, "unmet_levels", below,
					"message", msg)))
				rc = ERR_INTERNAL;
		}
		json_decref(below);
		buf_release(&b);
	}
	return rc;
}

/* Judge every row of field f into out_fields[name]; anomalies appended. */
static int assess_field(struct skill_ctx *x, int f, json_t *out_fields, json_t *anomalies)
{
	const struct skill_field_def *d = &skill_fields[f];
	int met[8] = { 0 }, biz[8] = { 0 }, level = 0, next, m;
	json_t *criteria = json_array(), *missing = NULL, *fo, *c;
	size_t i;

	if (!criteria)
		return ERR_INTERNAL;
	for (int L = d->min_level; L <= d->max_level; L++) {
		const struct skill_rule *r = skill_rule_find((enum skill_field)f, L);

		met[L] = 1;
		if (json_array_append_new(criteria, business(x, r, &biz[L])))
			goto oom;
		met[L] &= biz[L];
		if (json_array_append_new(criteria, specialty(x, r, &m)))
			goto oom;
		met[L] &= m;
		if (r->succession) {
			if (json_array_append_new(criteria, succession(x, r, &m)))
				goto oom;
			met[L] &= m;
		}
		if (r->develops_subordinates) {
			m = x->develops;
			if (json_array_append_new(criteria, criterion(L, "develops_subordinates", m,
					NULL, "needs develops_subordinates true; has false")))
				goto oom;
			met[L] &= m;
		}
	}
	for (int L = d->min_level; L <= d->max_level && met[L]; L++)
		level = L;

	if (field_anomalies(d, biz, anomalies))
		goto oom;

	next = level ? level + 1 : d->min_level;
	if (next <= d->max_level) {
		json_t *v;

		if (!(missing = json_array()))
			goto oom;
		json_array_foreach(criteria, i, c) {
			if (json_integer_value(json_object_get(c, "level")) != next ||
			    json_is_true(json_object_get(c, "met")))
				continue;
			v = json_object_get(c, "shortfall");
			if (json_array_append(missing, v))
				goto oom;
		}
	}
	fo = json_pack("{s:o, s:o, s:o}", "level", level ? json_integer(level) : json_null(),
		       "criteria", criteria, "next", missing ? json_pack("{s:i, s:o}", "level",
		       next, "missing", missing) : json_null());
	if (!fo || json_object_set_new(out_fields, d->name, fo))
		return ERR_INTERNAL;
	return 0;
oom:
	json_decref(criteria);
	json_decref(missing);
	return ERR_INTERNAL;
}

/* ---- the answer ----------------------------------------------------- */

static json_t *careers_summary(const struct skill_ctx *x)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < x->ncareers; i++) {
		const struct skill_career *c = &x->careers[i];
		const struct skill_field_def *d = &skill_fields[c->field];
		int eq = 0;

		for (int L = d->min_level; L <= d->max_level; L++)
			if (!cx_size_check(skill_rule_find((enum skill_field)c->field, L), c, NULL))
				eq = L;
		if (json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:b}", "record",
				(json_int_t)c->index, "field", d->name, "equivalent_level",
				eq ? json_integer(eq) : json_null(), "counted",
				c->succeeded && (c->verified || !x->verified_only)))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *exams_summary(const struct skill_ctx *x)
{
	json_t *arr = json_array(), *v;
	size_t i;

	if (!arr || !x->exams || json_is_null(x->exams))
		return arr;
	json_array_foreach(x->exams, i, v) {
		const char *code = json_string_value(v);

		if (json_array_append_new(arr, json_pack("{s:s, s:b, s:s?}", "exam", code,
				"counted", 0, "remark", strcmp(code, "AP") ? NULL :
				"minimum capability of level 3 reached"))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int skill_assess_ex(const json_t *profile, int64_t today_days, int verified_only,
		    json_t **out, struct err *e)
{
	struct skill_ctx x = { 0 };
	json_t *res = NULL, *fields = NULL, *anomalies = NULL;
	char as_of[11];
	int rc;

	*out = NULL;
	x.verified_only = verified_only;
	if ((rc = parse_profile(profile, today_days, &x, e)))
		goto out;
	rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!(fields = json_object()) || !(anomalies = json_array()))
		goto out;
	for (int f = 0; f < SKILL_FIELD_COUNT; f++)
		if (assess_field(&x, f, fields, anomalies))
			goto out;
	time_format_date(x.as_of, as_of);
	res = json_pack("{s:s?, s:s, s:s, s:s, s:O, s:o, s:o, s:O}", "name", x.name,
			"as_of", as_of, "rules_version", skill_rules_version, "basis",
			verified_only ? "verified" : "declared", "fields", fields,
			"careers", careers_summary(&x), "exams", exams_summary(&x),
			"anomalies", anomalies);
	if (!res)
		goto out;
	*out = res;
	err_clear(e);
	rc = 0;
out:
	json_decref(fields);
	json_decref(anomalies);
	free(x.careers);
	free(x.succ);
	free(x.iv);
	return rc;
}

int skill_assess(const json_t *profile, int64_t today_days, json_t **out, struct err *e)
{
	return skill_assess_ex(profile, today_days, 0, out, e);
}
