/*
 * fuzz/skill_json.c — libFuzzer target: the skill engine's inputs (a whole
 * profile, POST /api/v1/skills/assess and the stored staff's composed
 * profile; a career record, POST /api/v1/staff/{key}/careers; a succession
 * item and the specialty map) and the staff record's profile part and group
 * list (POST/PATCH /api/v1/staff), all pure functions.
 *
 * Checked beyond memory safety (skill.h, staff.h):
 *  - validation and assessment agree: a profile skill_validate_profile
 *    refuses, skill_assess and skill_assess_ex refuse with the same item at
 *    fault and nothing handed out; one it accepts, both assess;
 *  - an assessment is a function of its input: the same profile twice gives
 *    equal answers; it names the rules version and its basis, every field
 *    with a level in the field's range or null, one row per career;
 *  - the verified level never exceeds the declared one (fewer records can
 *    only meet fewer criteria);
 *  - every career, succession item and the specialty map of an accepted
 *    profile pass their own validators;
 *  - what staff_part_apply accepts into a stored record is a profile the
 *    engine accepts; a group list parses to distinct valid names.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "lib/err.h"
#include "support/fuzz_check.h"

#define TODAY 20514 /* 2026-03-02 */

static int level(const json_t *answer, const char *field)
{
	json_t *l = json_object_get(json_object_get(json_object_get(answer, "fields"), field),
				    "level");

	return json_is_integer(l) ? (int)json_integer_value(l) : 0;
}

static void check_answer(const json_t *profile, const json_t *a, const char *basis)
{
	CHECK(!strcmp(json_string_value(json_object_get(a, "rules_version")),
		      skill_rules_version));
	CHECK(!strcmp(json_string_value(json_object_get(a, "basis")), basis));
	CHECK(json_object_size(json_object_get(a, "fields")) == SKILL_FIELD_COUNT);
	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const struct skill_field_def *d = &skill_fields[f];
		json_t *l = json_object_get(json_object_get(json_object_get(a, "fields"), d->name),
					    "level");

		CHECK(json_is_null(l) || (json_is_integer(l) && json_integer_value(l) >= d->min_level &&
					  json_integer_value(l) <= d->max_level));
	}
	CHECK(json_array_size(json_object_get(a, "careers")) ==
	      json_array_size(json_object_get(profile, "careers")));
}

static void check_items(const json_t *p)
{
	json_t *v, *spec;
	char prefix[40];
	struct err e;
	size_t i;

	json_array_foreach(json_object_get(p, "careers"), i, v) {
		snprintf(prefix, sizeof(prefix), "careers[%zu]", i);
		CHECK(skill_validate_career(v, prefix, &e) == 0);
	}
	json_array_foreach(json_object_get(p, "succession"), i, v) {
		snprintf(prefix, sizeof(prefix), "succession[%zu]", i);
		CHECK(skill_validate_succession(v, prefix, &e) == 0);
	}
	spec = json_object_get(p, "specialty");
	CHECK(!spec || json_is_null(spec) || skill_validate_specialty(spec, "specialty", &e) == 0);
}

static void profile(const json_t *j)
{
	struct err ev = { 0 }, e1 = { 0 }, e2 = { 0 };
	json_t *a1 = NULL, *a2 = NULL, *again = NULL;
	int v = skill_validate_profile(j, &ev);
	int r1 = skill_assess(j, TODAY, &a1, &e1);
	int r2 = skill_assess_ex(j, TODAY, 1, &a2, &e2);

	if (v) {
		CHECK(v == ERR_INVALID && ev.msg[0]);
		CHECK(r1 == v && r2 == v && !a1 && !a2);
		CHECK(!strcmp(ev.field, e1.field) && !strcmp(ev.field, e2.field));
		return;
	}
	CHECK(r1 == 0 && r2 == 0 && a1 && a2);
	check_answer(j, a1, "declared");
	check_answer(j, a2, "verified");
	for (int f = 0; f < SKILL_FIELD_COUNT; f++)
		CHECK(level(a2, skill_fields[f].name) <= level(a1, skill_fields[f].name));
	CHECK(skill_assess(j, TODAY, &again, &e1) == 0 && json_equal(again, a1));
	check_items(j);
	json_decref(again);
	json_decref(a1);
	json_decref(a2);
}

/* The profile part of a staff record, as staff_add and staff_update keep it. */
static void staff_part(const json_t *j)
{
	json_t *part = staff_part_load(NULL), *composed;
	struct err e = { 0 };
	char groups[256];

	if (staff_part_apply(j, part, &e) == 0) {
		composed = json_deep_copy(part);
		json_object_set_new(composed, "careers", json_array());
		CHECK(skill_validate_profile(composed, &e) == 0);
		json_decref(composed);
	} else {
		CHECK(e.code == ERR_INVALID && e.msg[0]);
	}
	json_decref(part);

	if (staff_groups_parse(json_object_get(j, "groups"), groups, sizeof(groups), &e) == 0) {
		char *copy = strdup(groups), *save = NULL;
		json_t *seen = json_object();

		for (char *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
			CHECK(*g && !json_object_get(seen, g));
			json_object_set_new(seen, g, json_true());
		}
		json_decref(seen);
		free(copy);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	struct err e;

	if (!j)
		return 0;
	profile(j);
	/* The same text as one career, one succession item, a specialty map. */
	(void)skill_validate_career(j, "", &e);
	(void)skill_validate_succession(j, "", &e);
	(void)skill_validate_specialty(j, "specialty", &e);
	if (json_is_object(j))
		staff_part(j);
	json_decref(j);
	return 0;
}
