/*
 * fuzz/staff_json.c — libFuzzer target: staff records against the seeded
 * store: POST /api/v1/staff (staff_add) and PATCH /api/v1/staff/sato
 * (staff_update) as a manager; POST /api/v1/staff/{key}/careers
 * (staff_career_add) as a manager, as an agent on their own record and on
 * another's; everything as a requester. The pure half of these bodies (the
 * skill engine's validators) is fuzz/skill_json.c.
 *
 * Checked beyond memory safety (staff.h):
 *  - requesters are refused whatever the body; an agent never adds to
 *    another's record; a refusal has a message and writes nothing;
 *  - the record the store holds inside the write is the record answered;
 *  - what is stored stays assessable: the profile composed from the stored
 *    record and its careers (staff_profile_compose, what staff_assess
 *    reads) is one the skill engine accepts.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "store/store.h"
#include "store/store_skill.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

#define TODAY 20514 /* 2026-03-02 */

static struct store *st;
static struct actor manager, agent, requester;

struct seen {
	const char *key;
	json_t *stored;  /* staff_to_json of the record, in the write */
	int assessable;  /* its composed profile validates */
};

static void read_back(struct store_tx *tx, void *arg)
{
	struct seen *s = arg;
	struct staff rec;
	struct staff_career *c = NULL;
	size_t n = 0;
	struct err e = { 0 };
	json_t *profile;

	memset(&rec, 0, sizeof(rec));
	if (!s->key || tx->st->ops->skill->staff_get(tx->st, tx, s->key, 0, &rec, NULL))
		return;
	CHECK(tx->st->ops->skill->career_list(tx->st, tx, rec.id, &c, &n, &e) == 0);
	profile = staff_profile_compose(&rec, c, n, TODAY);
	CHECK(profile);
	s->assessable = skill_validate_profile(profile, &e) == 0;
	if (!s->assessable)
		NOTE("not assessable: %s: %s\n", e.field, e.msg);
	s->stored = staff_to_json(&rec);
	json_decref(profile);
	staff_free_careers(c, n);
	staff_release(&rec);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("mori", &manager);
	fuzz_actor("sato", &agent);
	fuzz_actor("alice", &requester);
	return 0;
}

enum op { ADD, UPDATE, CAREER_MANAGER, CAREER_SELF, CAREER_OTHER };

static int call(enum op op, const json_t *in, json_t **out, struct err *e)
{
	switch (op) {
	case ADD: return staff_add(st, &manager, in, out, e);
	case UPDATE: return staff_update(st, &manager, "sato", in, out, e);
	case CAREER_MANAGER: return staff_career_add(st, &manager, "mori", in, out, e);
	case CAREER_SELF: return staff_career_add(st, &agent, "sato", in, out, e);
	default: return staff_career_add(st, &agent, "mori", in, out, e);
	}
}

static void run(enum op op, const json_t *in)
{
	static const char *const names[] = { "add", "update", "career", "career-self",
					     "career-other" };
	static const char *const keys[] = { NULL, "sato", "mori", "sato", "mori" };
	struct seen s = { keys[op], NULL, 0 };
	struct err e = { 0 };
	json_t *out = NULL;
	int writes = fuzz_store_writes(), rc;

	if (op == ADD)
		s.key = json_string_value(json_object_get(in, "key"));
	fuzz_store_hook(read_back, &s);
	rc = call(op, in, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("%s: %d %s\n", names[op], rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_NOT_FOUND || rc == ERR_CONFLICT) &&
		      e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !out);
		json_decref(s.stored);
		return;
	}
	CHECK(op != CAREER_OTHER);
	CHECK(out && fuzz_store_writes() == writes + 1);
	CHECK(s.stored && s.assessable);
	if (op == ADD || op == UPDATE)
		CHECK(json_equal(out, s.stored));
	json_decref(s.stored);
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *out = NULL;
	struct err e = { 0 };
	int writes = fuzz_store_writes();

	if (!in)
		return 0;
	CHECK(staff_add(st, &requester, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(staff_update(st, &requester, "sato", in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(staff_career_add(st, &requester, "sato", in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(staff_add(st, &agent, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);
	for (enum op op = ADD; op <= CAREER_OTHER; op++)
		run(op, in);
	json_decref(in);
	return 0;
}
