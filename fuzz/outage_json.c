/*
 * fuzz/outage_json.c — libFuzzer target: outage bodies against the seeded
 * store: POST /api/v1/outages (outage_create) and PATCH /api/v1/outages/4
 * (outage_update, closing the seeded open outage) as an agent, and both as
 * a requester.
 *
 * Checked beyond memory safety (outage.h):
 *  - requesters are refused whatever the body, and nothing is written;
 *  - a refusal is a 400, 404 or 409 with a message, and nothing is written;
 *  - the outage answered is the outage asked for: its service and planned
 *    flag as sent, its start and end the instants the RFC 3339 texts name
 *    (an open outage has no end, and an outage with an end is not open),
 *    never ending before it starts.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/sla/outage.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor agent, requester;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("sato", &agent);
	fuzz_actor("alice", &requester);
	return 0;
}

/* The instant a request's time field names; INT64_MIN when absent or null (an
 * open outage). */
static int64_t asked(const json_t *in, const char *key)
{
	const char *s = json_string_value(json_object_get(in, key));
	int64_t t = INT64_MIN;

	if (s)
		CHECK(time_parse_rfc3339(s, &t) == 0);
	return t;
}

/* The same of an answer: null for an open outage (its end). */
static int64_t answered(const json_t *out, const char *key)
{
	const char *s = json_string_value(json_object_get(out, key));
	int64_t t = INT64_MIN;

	CHECK(s || json_is_null(json_object_get(out, key)));
	if (s)
		CHECK(time_parse_rfc3339(s, &t) == 0);
	return t;
}

static void check_out(const json_t *in, const json_t *out, int creating)
{
	int64_t start = answered(out, "start"), end = answered(out, "end");

	CHECK(start != INT64_MIN && (end == INT64_MIN || end >= start));
	CHECK(json_integer_value(json_object_get(out, "id")) > 0);
	if (!creating) {
		CHECK(json_integer_value(json_object_get(out, "id")) == 4);
		CHECK(end == asked(in, "end"));
		return;
	}
	CHECK(!strcmp(json_string_value(json_object_get(out, "service")),
		      json_string_value(json_object_get(in, "service"))));
	CHECK(start == asked(in, "start"));
	CHECK(end == asked(in, "end"));
	CHECK(json_is_true(json_object_get(out, "planned")) ==
	      json_is_true(json_object_get(in, "planned")));
}

static void run(const json_t *in, int creating)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int writes = fuzz_store_writes(), rc;

	rc = creating ? outage_create(st, &agent, in, &out, &e) :
			outage_update(st, &agent, "4", in, &out, &e);
	NOTE("%s: %d %s\n", creating ? "create" : "update", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_NOT_FOUND || rc == ERR_CONFLICT) &&
		      e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !out);
		return;
	}
	CHECK(out && fuzz_store_writes() == writes + 1);
	check_out(in, out, creating);
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *out = NULL;
	struct err e = { 0 };
	int writes = fuzz_store_writes();

	if (!in)
		return 0;
	CHECK(outage_create(st, &requester, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(outage_update(st, &requester, "4", in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);
	run(in, 1);
	run(in, 0);
	json_decref(in);
	return 0;
}
