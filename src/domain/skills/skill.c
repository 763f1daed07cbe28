/*
 * skill.c — assessing skill profiles against the ITSS rule tables of
 * skill_rules.c (profiles are read and validated by skill_validate.c).
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
#include "domain/skills/skill_int.h"
#include "lib/buf.h"
#include "lib/timeutil.h"
#include "lib/plural.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		buf_printf(b, "%lld %s", (long long)v, plural(v, "person", "persons"));
		break;
	case SZ_PEAK:
		buf_printf(b, "%lld %s", (long long)v, plural(v, "peak person", "peak persons"));
		break;
	default:
		buf_printf(b, "%lld %s", (long long)v, plural(v, "user", "users"));
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
			json_array_append_new(records, json_integer((json_int_t)c->ref));
			x->iv[n][0] = c->from;
			x->iv[n++][1] = c->to < x->as_of ? c->to : x->as_of;
			continue;
		}
		why = json_array();
		record_check(x, r, c, why);
		json_array_append_new(rejected, json_pack("{s:I, s:o}", "record",
							  (json_int_t)c->ref, "reasons", why));
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
	snprintf(line, sizeof(line), "needs %d %s of expertise succession; has %d",
		 r->succession, plural(r->succession, "kind", "kinds"), n);
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
				(json_int_t)c->ref, "field", d->name, "equivalent_level",
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
	if ((rc = skill_parse_profile(profile, today_days, &x, e)))
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
