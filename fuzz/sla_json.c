/*
 * fuzz/sla_json.c — libFuzzer target: SLA and OLA bodies (POST
 * /api/v1/slas, sla_add) against the seeded store, and sla_def_parse, which
 * reads a stored body back for the clocks and the report.
 *
 * Checked beyond memory safety (sla.h):
 *  - only managers add: an agent or a requester is refused whatever the
 *    body, before anything is read;
 *  - a refusal is a 400 or 409 with a message, and nothing was written;
 *  - round trip: the body the store holds, read back inside the write and
 *    parsed by sla_def_parse, says what the request said — name, customer or
 *    group, service, calendar (24x7 by default), each priority's targets in
 *    seconds, warn_at (0.75 by default), the availability target, the
 *    escalations — and resolution never comes before response;
 *  - sla_def_parse takes any text without failing but on malformed JSON.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/sla/sla.h"
#include "store/store.h"
#include "store/store_sla.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor manager, agent, requester;

struct seen {
	const char *name;
	char *body; /* the stored body, read in the write */
};

static void read_back(struct store_tx *tx, void *arg)
{
	struct seen *s = arg;
	struct sla_rec r = { 0 };

	if (tx->st->ops->sla->sla_get(tx->st, tx, 0, s->name, &r, NULL) == 0)
		s->body = r.body;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("mori", &manager);
	fuzz_actor("sato", &agent);
	fuzz_actor("alice", &requester);
	return 0;
}

static double num(const json_t *in, const char *key, double dflt)
{
	json_t *v = json_object_get(in, key);

	return json_is_number(v) ? json_number_value(v) : dflt;
}

/* The stored definition against the request it came from. */
static void check_def(const json_t *in, const char *body)
{
	const char *customer = json_string_value(json_object_get(in, "customer"));
	const char *group = json_string_value(json_object_get(in, "group"));
	const char *calendar = json_string_value(json_object_get(in, "calendar"));
	json_t *targets = json_object_get(in, "targets"), *esc = json_object_get(in, "escalations");
	struct sla_def d;
	struct err e = { 0 };

	CHECK(sla_def_parse(body, &d, &e) == 0);
	CHECK(!strcmp(d.name, json_string_value(json_object_get(in, "name"))));
	CHECK(!strcmp(d.service, json_string_value(json_object_get(in, "service"))));
	CHECK(!strcmp(d.calendar, calendar ? calendar : "24x7"));
	CHECK(!customer == !!group);
	CHECK(customer ? !strcmp(d.customer, customer) : !strcmp(d.group, group));
	for (int p = 1; p <= SLA_PRIORITIES; p++) {
		char k[2] = { (char)('0' + p), 0 };
		json_t *one = json_object_get(targets, k);

		CHECK(d.resp_target[p] ==
		      60 * json_integer_value(json_object_get(one, "response_minutes")));
		CHECK(d.res_target[p] ==
		      60 * json_integer_value(json_object_get(one, "resolution_minutes")));
		CHECK(d.resp_target[p] > 0 && d.res_target[p] >= d.resp_target[p]);
	}
	CHECK(d.warn_at == num(in, "warn_at", 0.75) && d.warn_at > 0 && d.warn_at < 1);
	CHECK(d.availability_target == num(in, "availability_target", -1));
	CHECK(json_is_array(d.escalations) &&
	      json_array_size(d.escalations) == json_array_size(esc));
	sla_def_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *out = NULL;
	char *text = malloc(size + 1);
	struct seen s = { NULL, NULL };
	struct sla_def d;
	struct err e = { 0 };
	int writes = fuzz_store_writes(), rc;

	/* Any text, as a stored body. */
	memcpy(text, data, size);
	text[size] = 0;
	rc = sla_def_parse(text, &d, &e);
	CHECK(rc == 0 || rc == ERR_INTERNAL);
	if (!rc)
		sla_def_release(&d);
	free(text);
	if (!in)
		return 0;

	CHECK(sla_add(st, &agent, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(sla_add(st, &requester, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);

	s.name = json_string_value(json_object_get(in, "name"));
	memset(&e, 0, sizeof(e));
	fuzz_store_hook(read_back, &s);
	rc = sla_add(st, &manager, in, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("sla_add: %d %s\n", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_CONFLICT) && e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !s.body);
	} else {
		CHECK(out && fuzz_store_writes() == writes + 1 && s.body);
		check_def(in, s.body);
		CHECK(!strcmp(json_string_value(json_object_get(out, "name")), s.name));
		CHECK(!strcmp(json_string_value(json_object_get(out, "kind")),
			      json_object_get(in, "customer") ? "sla" : "ola"));
	}
	free(s.body);
	json_decref(out);
	json_decref(in);
	return 0;
}
