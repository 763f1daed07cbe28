/*
 * fuzz/condition_json.c — libFuzzer target: condition report inputs
 * against the seeded store: the body of POST /api/v1/condition-reports
 * (cond_add) as an operator and as a requester, the same object read as a
 * draft's query (cond_draft_json), and its members as [shift] keys of the
 * configuration (cond_shifts_add).
 *
 * Checked beyond memory safety (condition.h):
 *  - requesters are refused whatever the body, and nothing is written;
 *  - a refusal is 400 or 409 with a message and writes nothing;
 *  - an accepted body writes once: the report the store holds inside the
 *    write is the one answered, a draft at version 1 of the body's date,
 *    its period starting on that date and at most 24 hours long;
 *  - a draft's query is answered or refused on date or shift, never
 *    otherwise; its period is the same as an added report's would be;
 *  - a configured shift's times are minutes of one day.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/operation/condition.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_condition.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor operator, requester;

/* The report as the store holds it inside the write (COND-1: the counter's
 * first value, every write being undone). */
static void read_back(struct store_tx *tx, void *arg)
{
	struct cond_report *r = arg;

	CHECK(tx->st->ops->condition->get(tx->st, tx, "COND-1", r, NULL) == 0);
}

static int64_t seconds(const json_t *o, const char *k)
{
	int64_t t = 0;

	CHECK(time_parse_rfc3339(json_string_value(json_object_get(o, k)), &t) == 0);
	return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("watanabe", &operator);
	fuzz_actor("alice", &requester);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *out = NULL;
	struct cond_report stored;
	struct cond_shifts set = { 0 };
	struct err e = { 0 };
	int writes = fuzz_store_writes(), rc;
	const char *k;
	json_t *v;

	if (!in)
		return 0;
	CHECK(cond_add(st, &requester, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);

	memset(&e, 0, sizeof(e));
	memset(&stored, 0, sizeof(stored));
	fuzz_store_hook(read_back, &stored);
	rc = cond_add(st, &operator, in, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("add: %d %s\n", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_CONFLICT) && e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !out && !stored.key[0]);
	} else {
		int64_t day, from = seconds(out, "from"), to = seconds(out, "to");

		CHECK(fuzz_store_writes() == writes + 1);
		CHECK(!strcmp(stored.key, json_string_value(json_object_get(out, "key"))));
		CHECK(!strcmp(stored.state, "draft") && stored.version == 1);
		CHECK(!strcmp(json_string_value(json_object_get(out, "state")), "draft"));
		CHECK(time_parse_date(json_string_value(json_object_get(in, "date")), &day) == 0);
		CHECK(stored.day == day && stored.from == from && stored.to == to);
		CHECK(from >= day * 86400 && from < (day + 1) * 86400 && to > from && to - from <= 86400);
		CHECK(json_is_false(json_object_get(out, "frozen")));
	}
	cond_report_release(&stored);
	json_decref(out);
	out = NULL;

	if (json_is_object(in)) {
		memset(&e, 0, sizeof(e));
		rc = cond_draft_json(st, &operator, in, &out, &e);
		CHECK(rc == 0 || (rc == ERR_INVALID && (!strcmp(e.field, "date") ||
							 !strcmp(e.field, "shift"))));
		if (!rc)
			CHECK(json_is_null(json_object_get(out, "key")) &&
			      seconds(out, "to") > seconds(out, "from"));
		json_decref(out);
		json_object_foreach(in, k, v) {
			if (!json_is_string(v))
				continue;
			memset(&e, 0, sizeof(e));
			rc = cond_shifts_add(&set, k, json_string_value(v), &e);
			CHECK(rc == 0 || (rc == ERR_INVALID && e.msg[0]));
		}
		for (size_t i = 0; i < set.n; i++)
			CHECK(set.s[i].start < 24 * 60 && set.s[i].end < 24 * 60 && set.s[i].name[0]);
	}
	json_decref(in);
	return 0;
}
