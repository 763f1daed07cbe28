/*
 * fuzz/check_json.c — libFuzzer target: check definitions against the
 * seeded store: POST /api/v1/checks (check_create) and PATCH
 * /api/v1/checks/ping-fw (check_update) as an operator, and both as an agent
 * and a requester. Nothing is run: the command is only validated and kept.
 *
 * Checked beyond memory safety (check.h, check_command.h):
 *  - only operators, managers and admins configure checks: an agent or a
 *    requester is refused whatever the body, and nothing is written;
 *  - a refusal is a 400, 404 or 409 with a message, and nothing is written;
 *  - what the store holds inside the write is what the answer says; the
 *    command is the name of a template of the configuration (never a
 *    program: an argument vector is refused), the arguments are the array
 *    of strings sent (or, on an update that changes only them, the check's
 *    template keeps its name), and none that stands as a whole element of
 *    the command line starts with '-' (so no value becomes an option); the numbers are within their bounds, with the
 *    documented defaults (60 s, retry = interval, 3 attempts, 10 s) on a
 *    create that leaves them out.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events/check.h"
#include "domain/events/check_command.h"
#include "store/store.h"
#include "store/store_cmdb.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor operator, agent, requester;

struct seen {
	const char *name;
	json_t *stored;
};

static void read_back(struct store_tx *tx, void *arg)
{
	struct seen *s = arg;
	struct check c;

	memset(&c, 0, sizeof(c));
	if (s->name && tx->st->ops->cmdb->check_get(tx->st, tx, s->name, &c, NULL) == 0) {
		s->stored = check_to_json(&c);
		check_release(&c);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("watanabe", &operator);
	fuzz_actor("sato", &agent);
	fuzz_actor("alice", &requester);
	return 0;
}

static int64_t number(const json_t *in, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(in, key);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static int is_template(const char *name)
{
	static const char *const lines[][2] = { FUZZ_COMMANDS };

	for (size_t i = 0; name && i < sizeof(lines) / sizeof(lines[0]); i++)
		if (!strcmp(name, lines[i][0]))
			return 1;
	return 0;
}

/* Whether the template's argument i stands as a whole argv element (and so
 * may not start with '-'), by FUZZ_COMMANDS: $ARG1$ of every template and
 * $ARG2$ of ping; http's $ARG2$ sits inside "--url=$ARG2$". */
static int whole_element(const char *cmd, size_t i)
{
	return i == 0 || (i == 1 && !strcmp(cmd, "ping"));
}

static void check_stored(const json_t *in, const json_t *out, const json_t *stored, int creating)
{
	const char *cmd = json_string_value(json_object_get(out, "command"));
	json_t *args = json_object_get(out, "args"), *a;
	int64_t interval = json_integer_value(json_object_get(out, "interval_seconds"));
	size_t i;

	CHECK(stored && json_equal(out, stored));
	CHECK(is_template(cmd) && !json_object_get(out, "legacy_command"));
	CHECK(json_is_array(args));
	json_array_foreach(args, i, a)
		CHECK(json_is_string(a) && (json_string_value(a)[0] != '-' || !whole_element(cmd, i)));
	if (json_object_get(in, "command"))
		CHECK(json_equal(json_object_get(out, "command"), json_object_get(in, "command")));
	if (json_object_get(in, "args"))
		CHECK(json_equal(args, json_object_get(in, "args")));
	else if (creating || json_object_get(in, "command"))
		CHECK(json_array_size(args) == 0);
	CHECK(interval >= 1 && interval <= 86400);
	if (!creating)
		return;
	CHECK(interval == number(in, "interval_seconds", 60));
	CHECK(json_integer_value(json_object_get(out, "retry_seconds")) ==
	      number(in, "retry_seconds", interval));
	CHECK(json_integer_value(json_object_get(out, "max_attempts")) ==
	      number(in, "max_attempts", 3));
	CHECK(json_integer_value(json_object_get(out, "timeout_seconds")) ==
	      number(in, "timeout_seconds", 10));
	CHECK(!strcmp(json_string_value(json_object_get(out, "name")),
		      json_string_value(json_object_get(in, "name"))));
}

static void run(const json_t *in, int creating)
{
	struct seen s = { NULL, NULL };
	struct err e = { 0 };
	json_t *out = NULL;
	int writes = fuzz_store_writes(), rc;

	s.name = creating ? json_string_value(json_object_get(in, "name")) : "ping-fw";
	fuzz_store_hook(read_back, &s);
	rc = creating ? check_create(st, &operator, in, &out, &e) :
			check_update(st, &operator, "ping-fw", in, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("%s: %d %s\n", creating ? "create" : "update", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_NOT_FOUND || rc == ERR_CONFLICT) &&
		      e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !s.stored && !out);
		return;
	}
	CHECK(out && fuzz_store_writes() == writes + 1);
	check_stored(in, out, s.stored, creating);
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
	CHECK(check_create(st, &agent, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(check_update(st, &requester, "ping-fw", in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);
	run(in, 1);
	run(in, 0);
	json_decref(in);
	return 0;
}
