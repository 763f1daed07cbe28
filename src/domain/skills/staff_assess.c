/*
 * staff_assess.c — assessing stored staff, the append-only history of those
 * assessments, the team skill map, and the stateless self-diagnosis.
 *
 * The idea: an assessment is a fact about a moment. Inside one write
 * transaction the person's profile is composed from the stored records
 * (staff_profile_compose), assessed twice by the pure engine — every record
 * (declared) and only verified ones (verified) — and written as one row with
 * the input itself, its BLAKE2b-256 hash and the rules_version, so any row
 * can be re-run and compared later. Rows are never changed (the store's
 * triggers refuse it); progress is the sequence of rows.
 *
 * The skill map reads the latest row of each person: what was assessed and
 * when, not a live recomputation, so the map shows the official record and
 * its date (docs/skills.md).
 */
#include "domain/platform/audit.h"
#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "lib/jsonx.h"
#include "lib/strlist.h"
#include "lib/timeutil.h"
#include "store/store_skill.h"

#include <stdlib.h>
#include <string.h>

#define CANON (JSON_COMPACT | JSON_SORT_KEYS)

static json_t *loads_or(const char *text, json_t *dflt)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;

	if (j) {
		json_decref(dflt);
		return j;
	}
	return dflt;
}

json_t *staff_assessment_to_json(const struct staff_assessment *a, const char *key, int full)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(a->id));
	json_object_set_new(j, "staff", json_string(key));
	jx_set_time(j, "at", a->at);
	json_object_set_new(j, "assessor", json_string(a->assessor));
	json_object_set_new(j, "rules_version", json_string(a->rules_version));
	json_object_set_new(j, "input_hash", json_string(a->input_hash));
	json_object_set_new(j, "as_of", json_string(a->as_of));
	json_object_set_new(j, "levels", loads_or(a->levels, json_object()));
	json_object_set_new(j, "decision",
			    a->decided_field[0] ? json_pack("{s:s, s:i}", "field", a->decided_field,
							    "level", a->decided_level)
						: json_null());
	jx_set_str(j, "note", a->note);
	if (full) {
		json_object_set_new(j, "profile", loads_or(a->profile, json_null()));
		json_object_set_new(j, "result", loads_or(a->result, json_null()));
	}
	return j;
}

/* The audit log's form: the full record, and the decision's columns as
 * stored (the API shows a decision only with its field). */
json_t *staff_assessment_state_json(const struct staff_assessment *a, const char *key)
{
	json_t *j = staff_assessment_to_json(a, key, 1);

	json_object_set_new(j, "decided_field", json_string(a->decided_field));
	json_object_set_new(j, "decided_level", json_integer(a->decided_level));
	return j;
}

/* ---- assess a stored person ------------------------------------------ */

struct assess_ctx {
	const struct actor *a;
	const char *key;
	int64_t as_of;
	int field;              /* decided field, -1 when none */
	int level;
	const char *note;
	struct staff s;
	struct staff_career *c;
	size_t nc;
	struct staff_assessment row;
	json_t *after;
};

static int dump_into(const json_t *j, char **out, struct err *e)
{
	if (!(*out = json_dumps(j, CANON)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

/* {"<field>": {"declared": N|null, "verified": N|null}} */
static json_t *levels_of(const json_t *declared, const json_t *verified)
{
	json_t *levels = json_object();

	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const char *name = skill_fields[f].name;
		json_t *d = json_object_get(json_object_get(json_object_get(declared, "fields"),
							    name), "level");
		json_t *v = json_object_get(json_object_get(json_object_get(verified, "fields"),
							    name), "level");

		json_object_set_new(levels, name,
				    json_pack("{s:O, s:O}", "declared", d ? d : json_null(),
					      "verified", v ? v : json_null()));
	}
	return levels;
}

static int do_assess(struct store_tx *tx, void *arg, struct err *e)
{
	struct assess_ctx *x = arg;
	struct staff_assessment *row = &x->row;
	json_t *profile = NULL, *decl = NULL, *ver = NULL, *levels = NULL, *result = NULL;
	struct err ee = { 0 };
	char as_of[11];
	int rc;

	if ((rc = staff_load_visible(tx->st, tx, x->a, x->key, &x->s, e)) ||
	    (rc = tx->st->ops->skill->career_list(tx->st, tx, x->s.id, &x->c, &x->nc, e)))
		return rc;
	rc = ERR_INTERNAL;
	if (!(profile = staff_profile_compose(&x->s, x->c, x->nc, x->as_of)))
		goto oom;
	if (skill_assess_ex(profile, x->as_of, 0, &decl, &ee) ||
	    skill_assess_ex(profile, x->as_of, 1, &ver, &ee)) {
		/* Stored records were validated on the way in; only a change of
		 * the rules could make them fail now. */
		rc = err_set(e, ERR_INTERNAL, NULL,
			     "the stored profile of staff '%s' does not validate: %s (%s)",
			     x->s.key, ee.msg, ee.field);
		goto out;
	}
	if (!(levels = levels_of(decl, ver)) ||
	    !(result = json_pack("{s:O, s:O}", "declared", decl, "verified", ver)))
		goto oom;
	if (x->field >= 0 && x->a->user_id && x->s.user_id == x->a->user_id) {
		rc = err_set(e, ERR_FORBIDDEN, "level", "you cannot decide a level on your own record");
		goto out;
	}
	if (x->field >= 0) {
		const char *fname = skill_fields[x->field].name;
		json_t *v = json_object_get(json_object_get(levels, fname), "verified");

		if ((!json_is_integer(v) || json_integer_value(v) != x->level) &&
		    (!x->note || !*x->note)) {
			char has[16] = "none";

			if (json_is_integer(v))
				snprintf(has, sizeof(has), "%lld", (long long)json_integer_value(v));
			rc = err_set(e, ERR_INVALID, "note",
				     "deciding level %d in '%s' where the verified level is %s needs "
				     "a note saying why",
				     x->level, fname, has);
			goto out;
		}
		snprintf(row->decided_field, sizeof(row->decided_field), "%s", fname);
		row->decided_level = x->level;
	}
	row->staff_id = x->s.id;
	row->at = clock_now();
	snprintf(row->assessor, sizeof(row->assessor), "%s",
		 x->a->username[0] ? x->a->username : "system");
	snprintf(row->rules_version, sizeof(row->rules_version), "%s", skill_rules_version);
	time_format_date(x->as_of, as_of);
	snprintf(row->as_of, sizeof(row->as_of), "%s", as_of);
	if (staff_hash_json(profile, row->input_hash) || dump_into(profile, &row->profile, e) ||
	    dump_into(result, &row->result, e) || dump_into(levels, &row->levels, e) ||
	    (x->note && *x->note && !(row->note = strdup(x->note))))
		goto oom;
	if ((rc = tx->st->ops->skill->assessment_insert(tx, row, e)))
		goto out;
	x->after = staff_assessment_to_json(row, x->s.key, 1);
	{
		char entity[64];
		json_t *change = json_pack("{s:o}", "after", staff_assessment_state_json(row, x->s.key));

		if (!change)
			goto oom;
		snprintf(entity, sizeof(entity), "assessment:%lld", (long long)row->id);
		rc = audit_append(tx, x->a, "staff.assess", entity, change, e);
		json_decref(change);
	}
	goto out;
oom:
	rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
out:
	json_decref(profile);
	json_decref(decl);
	json_decref(ver);
	json_decref(levels);
	json_decref(result);
	return rc;
}

static const char *const assess_keys[] = { "as_of", "field", "level", "note", NULL };

int staff_assess(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e)
{
	struct assess_ctx x = { .a = a, .key = key, .field = -1 };
	const char *s;
	int64_t level;
	int rc, has_field, has_level;

	if ((rc = staff_actor_check(a, e)))
		return rc;
	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins assess staff");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, assess_keys, e)))
		return rc;
	x.as_of = staff_today();
	if ((rc = jx_str(in, "as_of", JX_OPTIONAL, 10, &s, e)) < 0)
		return rc;
	if (rc == 0 && time_parse_date(s, &x.as_of))
		return err_set(e, ERR_INVALID, "as_of", "bad date '%s', expected YYYY-MM-DD", s);
	if ((has_field = jx_str(in, "field", JX_OPTIONAL, 32, &s, e)) < 0)
		return has_field;
	if (has_field == 0 && (x.field = skill_field_from_name(s)) < 0)
		return err_set(e, ERR_INVALID, "field", "unknown field '%s'", s);
	if ((has_level = jx_int(in, "level", JX_OPTIONAL, 0, 99, &level, e)) < 0)
		return has_level;
	if (has_level == 0 && has_field != 0)
		return err_set(e, ERR_INVALID, "field", "a decided level needs the field it is for");
	if (has_field == 0 && has_level != 0)
		return err_set(e, ERR_INVALID, "level", "name the level decided in field '%s'", s);
	if (has_level == 0) {
		const struct skill_field_def *d = &skill_fields[x.field];

		if (level < d->min_level || level > d->max_level)
			return err_set(e, ERR_INVALID, "level",
				       "level %lld is not a level of field '%s' (%d-%d)",
				       (long long)level, d->name, d->min_level, d->max_level);
		x.level = (int)level;
	}
	if ((rc = jx_str(in, "note", JX_OPTIONAL, STAFF_NOTE_MAX, &x.note, e)) < 0)
		return rc;
	rc = store_write(st, do_assess, &x, e);
	if (!rc)
		*out = x.after;
	else
		json_decref(x.after);
	staff_release(&x.s);
	staff_free_careers(x.c, x.nc);
	staff_assessment_release(&x.row);
	return rc;
}

/* ---- history --------------------------------------------------------- */

int staff_assessments_json(struct store *st, const struct actor *a, const char *key,
			   const json_t *q, json_t **out, struct err *e)
{
	const char *cursor = json_string_value(json_object_get(q, "cursor"));
	const char *summary = json_string_value(json_object_get(q, "summary"));
	struct staff s;
	struct staff_assessment *rows = NULL;
	size_t n = 0;
	int64_t before = 0;
	int limit, more = 0, rc;
	json_t *items;

	if ((rc = staff_query_limit(q, &limit, e)))
		return rc;
	if (cursor) {
		char *end;

		before = strtoll(cursor, &end, 10);
		if (!*cursor || *end || before <= 0)
			return err_set(e, ERR_INVALID, "cursor", "malformed cursor '%.32s'", cursor);
	}
	if ((rc = staff_load_visible(st, NULL, a, key, &s, e)))
		return rc;
	rc = st->ops->skill->assessment_list(st, s.id, before, limit, &rows, &n, &more, e);
	if (rc) {
		staff_release(&s);
		return rc;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, staff_assessment_to_json(&rows[i], s.key,
								!summary || strcmp(summary, "true")));
	if (more && n) {
		char cur[24];

		snprintf(cur, sizeof(cur), "%lld", (long long)rows[n - 1].id);
		*out = json_pack("{s:o, s:s}", "items", items, "next_cursor", cur);
	} else {
		*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	}
	staff_release(&s);
	staff_free_assessments(rows, n);
	return 0;
}

/* ---- the team skill map ---------------------------------------------- */

static const char *const bases[] = { "declared", "verified" };

struct map_ctx {
	json_t *people;
	json_t *counts;   /* field -> basis -> "3".."7"|"none" -> n (assessed people) */
	int64_t assessed;
};

static json_t *empty_counts(void)
{
	json_t *counts = json_object();

	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const struct skill_field_def *d = &skill_fields[f];
		json_t *fo = json_object();

		for (size_t b = 0; b < 2; b++) {
			json_t *lv = json_object();
			char k[8];

			for (int L = d->min_level; L <= d->max_level; L++) {
				snprintf(k, sizeof(k), "%d", L);
				json_object_set_new(lv, k, json_integer(0));
			}
			json_object_set_new(lv, "none", json_integer(0));
			json_object_set_new(fo, bases[b], lv);
		}
		json_object_set_new(counts, d->name, fo);
	}
	return counts;
}

static void count_one(json_t *counts, const char *field, const char *basis, const json_t *level)
{
	json_t *lv = json_object_get(json_object_get(counts, field), basis), *c;
	char k[8] = "none";

	if (json_is_integer(level))
		snprintf(k, sizeof(k), "%lld", (long long)json_integer_value(level));
	if ((c = json_object_get(lv, k)))
		json_integer_set(c, json_integer_value(c) + 1);
}

/* "At least L": what a contract asks ("two people at level 4 or above"). */
static json_t *at_least_of(const json_t *counts)
{
	json_t *out = json_object();

	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const struct skill_field_def *d = &skill_fields[f];
		json_t *fo = json_object();

		for (size_t b = 0; b < 2; b++) {
			json_t *src = json_object_get(json_object_get(counts, d->name), bases[b]);
			json_t *lv = json_object();
			json_int_t sum = 0;
			char k[8];

			for (int L = d->max_level; L >= d->min_level; L--) {
				snprintf(k, sizeof(k), "%d", L);
				sum += json_integer_value(json_object_get(src, k));
				json_object_set_new(lv, k, json_integer(sum));
			}
			json_object_set_new(fo, bases[b], lv);
		}
		json_object_set_new(out, d->name, fo);
	}
	return out;
}

static int map_one(const struct staff *s, const struct staff_assessment *a, void *arg)
{
	struct map_ctx *m = arg;
	json_t *levels = a ? loads_or(a->levels, json_object()) : json_object();
	json_t *fields = json_object(), *p;
	json_t *groups = strlist_json(s->groups);
	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const char *name = skill_fields[f].name;
		json_t *lv = json_object_get(levels, name);
		json_t *d = json_object_get(lv, "declared"), *v = json_object_get(lv, "verified");
		int decided = a && !strcmp(a->decided_field, name);

		json_object_set_new(fields, name,
				    json_pack("{s:O, s:O, s:o}", "declared", d ? d : json_null(),
					      "verified", v ? v : json_null(), "decided",
					      decided ? json_integer(a->decided_level)
						      : json_null()));
		if (a) {
			count_one(m->counts, name, "declared", d);
			count_one(m->counts, name, "verified", v);
		}
	}
	json_decref(levels);
	p = json_pack("{s:s, s:s, s:o, s:o}", "key", s->key, "name", s->name, "groups", groups,
		      "fields", fields);
	if (!p)
		return ERR_INTERNAL;
	if (a) {
		m->assessed++;
		json_object_set_new(p, "assessment", json_integer(a->id));
		jx_set_time(p, "assessed_at", a->at);
		json_object_set_new(p, "as_of", json_string(a->as_of));
		json_object_set_new(p, "rules_version", json_string(a->rules_version));
		json_object_set_new(p, "current_rules",
				    json_boolean(!strcmp(a->rules_version, skill_rules_version)));
	} else {
		json_object_set_new(p, "assessment", json_null());
		json_object_set_new(p, "assessed_at", json_null());
	}
	return json_array_append_new(m->people, p) ? ERR_INTERNAL : 0;
}

int staff_skill_map_json(struct store *st, const struct actor *a, const json_t *q,
			 json_t **out, struct err *e)
{
	const char *group = json_string_value(json_object_get(q, "group"));
	struct map_ctx m = { json_array(), empty_counts(), 0 };
	char scratch[80];
	json_t *garr;
	int rc;

	if ((rc = staff_actor_check(a, e)))
		goto fail;
	if (!actor_is_manager(a)) {
		rc = err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins read the skill map");
		goto fail;
	}
	if (group && *group) {
		garr = json_pack("[s]", group);
		rc = staff_groups_parse(garr, scratch, sizeof(scratch), e);
		json_decref(garr);
		if (rc) {
			snprintf(e->field, sizeof(e->field), "group");
			goto fail;
		}
	}
	if ((rc = st->ops->skill->staff_latest_scan(st, group && *group ? group : NULL, map_one, &m,
						    e)))
		goto fail;
	*out = json_pack("{s:o, s:s, s:I, s:I, s:o, s:o, s:o}", "group",
			 group && *group ? json_string(group) : json_null(), "rules_version",
			 skill_rules_version, "people_count", (json_int_t)json_array_size(m.people),
			 "assessed_count", (json_int_t)m.assessed, "people", m.people, "at_least",
			 at_least_of(m.counts), "counts", m.counts);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
fail:
	json_decref(m.people);
	json_decref(m.counts);
	return rc;
}

/* ---- stateless self-diagnosis ---------------------------------------- */

int staff_assess_profile(const struct actor *a, const json_t *profile, json_t **out,
			 struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	return skill_assess(profile, staff_today(), out, e);
}
