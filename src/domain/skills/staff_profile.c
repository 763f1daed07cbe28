/*
 * staff_profile.c — the profile part of a staff record (exams, succession,
 * specialty, develops_subordinates, note) and the profile the engine reads.
 *
 * Invariants: every value stored here has passed the engine's own validator
 * (skill_validate_succession, skill_validate_specialty), so a composed
 * profile always validates; verification stamps of succession items come
 * from the acting user and the clock, never from the request, and an item
 * verified once keeps its first stamps; the composed profile is canonical
 * (careers in id order, sorted keys when hashed), so equal inputs hash alike.
 */
#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define CANON (JSON_COMPACT | JSON_SORT_KEYS)
#define SUCCESSION_MAX 500
#define EXAM_MAX 32

json_t *staff_career_to_json(const struct staff_career *c)
{
	json_t *j = c->body ? json_loads(c->body, 0, NULL) : NULL;

	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "verified", json_boolean(c->verified_at != 0));
	jx_set_str(j, "verified_by", c->verified_at ? c->verified_by : NULL);
	jx_set_time(j, "verified_at", c->verified_at);
	json_object_set_new(j, "declared_by", json_string(c->declared_by));
	jx_set_time(j, "declared_at", c->created_at);
	return j;
}

/* The profile part, always with every key. A new reference. */
json_t *staff_part_load(const char *text)
{
	json_t *p = text ? json_loads(text, 0, NULL) : NULL;

	if (!json_is_object(p)) {
		json_decref(p);
		p = json_object();
	}
	if (!json_is_array(json_object_get(p, "exams")))
		json_object_set_new(p, "exams", json_array());
	if (!json_is_array(json_object_get(p, "succession")))
		json_object_set_new(p, "succession", json_array());
	if (!json_is_object(json_object_get(p, "specialty")))
		json_object_set_new(p, "specialty", json_object());
	if (!json_is_boolean(json_object_get(p, "develops_subordinates")))
		json_object_set_new(p, "develops_subordinates", json_false());
	if (!json_is_string(json_object_get(p, "note")))
		json_object_set_new(p, "note", json_string(""));
	return p;
}

/* ---- the profile part: exams, succession, specialty, … --------------- */

/* Validate the profile keys present in `in` and set them into part. */
int staff_part_apply(const json_t *in, json_t *part, struct err *e)
{
	json_t *v, *it;
	size_t i;
	char item[40];
	int rc, b;

	if ((v = json_object_get(in, "exams"))) {
		if (json_is_null(v)) {
			json_object_set_new(part, "exams", json_array());
		} else if (!json_is_array(v)) {
			return err_set(e, ERR_INVALID, "exams", "'exams' must be an array of exam codes");
		} else {
			json_array_foreach(v, i, it) {
				const char *s = json_string_value(it);

				snprintf(item, sizeof(item), "exams[%zu]", i);
				if (!s || !*s || strlen(s) > EXAM_MAX)
					return err_set(e, ERR_INVALID, item,
						       "'%s' must be an exam code of 1-%d characters",
						       item, EXAM_MAX);
			}
			json_object_set_new(part, "exams", json_deep_copy(v));
		}
	}
	if ((v = json_object_get(in, "succession"))) {
		if (json_is_null(v)) {
			json_object_set_new(part, "succession", json_array());
		} else if (!json_is_array(v)) {
			return err_set(e, ERR_INVALID, "succession",
				       "'succession' must be an array of items");
		} else {
			if (json_array_size(v) > SUCCESSION_MAX)
				return err_set(e, ERR_INVALID, "succession",
					       "at most %d succession items", SUCCESSION_MAX);
			json_array_foreach(v, i, it) {
				snprintf(item, sizeof(item), "succession[%zu]", i);
				if ((rc = skill_validate_succession(it, item, e)))
					return rc;
			}
			json_object_set_new(part, "succession", json_deep_copy(v));
		}
	}
	if ((v = json_object_get(in, "specialty"))) {
		json_t *clean = json_object();
		const char *k;

		if ((rc = skill_validate_specialty(v, "specialty", e))) {
			json_decref(clean);
			return rc;
		}
		json_object_foreach(v, k, it)
			if (!json_is_null(it))
				json_object_set(clean, k, it);
		json_object_set_new(part, "specialty", clean);
	}
	if ((rc = jx_bool(in, "develops_subordinates", JX_OPTIONAL, &b, e)) < 0)
		return rc;
	if (rc == 0)
		json_object_set_new(part, "develops_subordinates", json_boolean(b));
	if ((v = json_object_get(in, "note"))) {
		const char *s = "";

		if (!json_is_null(v) && (rc = jx_str(in, "note", JX_OPTIONAL, STAFF_NOTE_MAX, &s, e)))
			return rc;
		json_object_set_new(part, "note", json_string(s));
	}
	return 0;
}

/* An old verified item equal to it, verification stamps aside. */
static const json_t *same_verified(const json_t *old, const json_t *it)
{
	size_t i;
	json_t *o;

	json_array_foreach(old, i, o) {
		json_t *copy;
		int eq;

		if (!json_is_true(json_object_get(o, "verified")))
			continue;
		copy = json_deep_copy(o);
		json_object_del(copy, "verified_by");
		json_object_del(copy, "verified_at");
		eq = json_equal(copy, it);
		json_decref(copy);
		if (eq)
			return o;
	}
	return NULL;
}

/* Set the verification stamps of the succession items in part: an item
 * marked verified keeps the stamps of the same item verified before, or gets
 * the actor's and now; an unmarked one has none. Stamps sent in the request
 * are ignored. Nobody verifies items of their own record. */
int staff_part_stamp(json_t *part, const json_t *old, const struct actor *a, int self,
			    int64_t now, struct err *e)
{
	json_t *items = json_object_get(part, "succession"), *it;
	char ts[RFC3339_LEN], item[48];
	size_t i;

	time_format_rfc3339(now, ts);
	json_array_foreach(items, i, it) {
		int verified = json_is_true(json_object_get(it, "verified"));
		const json_t *prev;

		json_object_del(it, "verified_by");
		json_object_del(it, "verified_at");
		json_object_set_new(it, "verified", json_boolean(verified));
		if (!verified)
			continue;
		if ((prev = same_verified(old, it))) {
			json_object_set(it, "verified_by", json_object_get(prev, "verified_by"));
			json_object_set(it, "verified_at", json_object_get(prev, "verified_at"));
			continue;
		}
		if (self) {
			snprintf(item, sizeof(item), "succession[%zu].verified", i);
			return err_set(e, ERR_FORBIDDEN, item,
				       "you cannot verify items of your own record");
		}
		json_object_set_new(it, "verified_by",
				    json_string(a->username[0] ? a->username : "system"));
		json_object_set_new(it, "verified_at", json_string(ts));
	}
	return 0;
}

int staff_part_store(json_t *part, struct staff *s, struct err *e)
{
	char *text = json_dumps(part, CANON);

	if (!text)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(s->profile);
	s->profile = text;
	return 0;
}

json_t *staff_profile_compose(const struct staff *s, const struct staff_career *c, size_t n,
			      int64_t as_of_days)
{
	json_t *part = staff_part_load(s->profile), *careers = json_array(), *p;
	char as_of[11];

	time_format_date(as_of_days, as_of);
	for (size_t i = 0; careers && i < n; i++) {
		json_t *cj = staff_career_to_json(&c[i]);

		/* declared_* are the store's bookkeeping, not the engine's input. */
		json_object_del(cj, "declared_by");
		json_object_del(cj, "declared_at");
		if (!c[i].verified_at) {
			json_object_del(cj, "verified_by");
			json_object_del(cj, "verified_at");
		}
		json_array_append_new(careers, cj);
	}
	p = json_pack("{s:s, s:s, s:s, s:O, s:o, s:O, s:O, s:O}", "id", s->key, "name", s->name,
		      "as_of", as_of, "exams", json_object_get(part, "exams"), "careers", careers,
		      "succession", json_object_get(part, "succession"), "specialty",
		      json_object_get(part, "specialty"), "develops_subordinates",
		      json_object_get(part, "develops_subordinates"));
	json_decref(part);
	return p;
}

int staff_hash_json(const json_t *j, char out[65])
{
	char *text = json_dumps(j, CANON | JSON_ENCODE_ANY);
	unsigned char h[32];

	if (!text)
		return ERR_INTERNAL;
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, strlen(text), NULL, 0);
	free(text);
	sodium_bin2hex(out, 65, h, sizeof(h));
	return 0;
}
