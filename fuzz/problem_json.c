/*
 * fuzz/problem_json.c — libFuzzer target: problem bodies against the
 * seeded store: POST /api/v1/problems (problem_add) as an agent, and as a
 * requester; the same body read as a PATCH (problem_validate of an update).
 *
 * Checked beyond memory safety (problem.h):
 *  - requesters are refused whatever the body, and nothing is written;
 *  - a refusal is 400 or 409 with a message, and writes nothing;
 *  - an accepted body writes once; the problem the store holds inside the
 *    write (its fields, items and incidents) is the one answered; it is new,
 *    at version 1, its priority the desk's matrix of its impact and
 *    urgency, and every incident linked is an incident.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/desk/ticket.h"
#include "domain/problem/problem.h"
#include "store/store.h"
#include "store/store_problem.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor agent, requester;

/* The problem as the store holds it inside the write (PRB-1: the counter's
 * first value, every write being undone). */
static void read_back(struct store_tx *tx, void *arg)
{
	json_t **stored = arg, *items = NULL, *inc = NULL;
	struct problem p;

	memset(&p, 0, sizeof(p));
	if (tx->st->ops->problem->get(tx->st, tx, "PRB-1", &p, NULL))
		return;
	CHECK(tx->st->ops->problem->items_list(tx->st, tx, p.id, &items, NULL) == 0);
	CHECK(tx->st->ops->problem->incidents_list(tx->st, tx, p.id, &inc, NULL) == 0);
	*stored = problem_to_json(&p);
	json_object_set_new(*stored, "items", items);
	json_object_set_new(*stored, "incidents", inc);
	problem_release(&p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("sato", &agent);
	fuzz_actor("alice", &requester);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *out = NULL;
	json_t *stored = NULL, *v;
	struct err e = { 0 };
	int writes = fuzz_store_writes(), rc;
	size_t i;

	if (!in)
		return 0;
	CHECK(problem_add(st, &requester, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);
	rc = problem_validate(in, 0, &e);
	CHECK(rc == 0 || (rc == ERR_INVALID && e.msg[0]));

	memset(&e, 0, sizeof(e));
	fuzz_store_hook(read_back, &stored);
	rc = problem_add(st, &agent, in, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("add: %d %s\n", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_CONFLICT) && e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !out && !stored);
		json_decref(in);
		return 0;
	}
	CHECK(out && stored && fuzz_store_writes() == writes + 1);
	CHECK(json_equal(out, stored));
	CHECK(!strcmp(json_string_value(json_object_get(out, "status")), "new"));
	CHECK(json_integer_value(json_object_get(out, "version")) == 1);
	CHECK(json_integer_value(json_object_get(out, "priority")) ==
	      ticket_priority((int)json_integer_value(json_object_get(out, "impact")),
			      (int)json_integer_value(json_object_get(out, "urgency"))));
	json_array_foreach(json_object_get(out, "incidents"), i, v)
		CHECK(!strncmp(json_string_value(json_object_get(v, "key")), "INC-", 4));
	json_decref(stored);
	json_decref(out);
	json_decref(in);
	return 0;
}
