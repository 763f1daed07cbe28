/*
 * fuzz/cmdb_json.c — libFuzzer target: CMDB bodies against the seeded store
 * (support/fuzz_store.h): POST /api/v1/cis (cmdb_ci_create), PATCH
 * /api/v1/cis/srv-db01 (cmdb_ci_update), POST /api/v1/relationships
 * (cmdb_rel_create) and POST /api/v1/cis/srv-db01/tickets
 * (cmdb_ticket_link), each as a manager, and the create as a requester.
 *
 * Checked beyond memory safety (cmdb.h):
 *  - a refusal is a 400, 403, 404 or 409 with a message, and nothing was
 *    written; a requester is refused whatever the body;
 *  - what the store holds inside the write is what the answer says (the
 *    item read back in the transaction equals the item answered), and the
 *    write appended exactly the audit records it should (one for the item,
 *    or for the relationship) and bumped the graph's generation;
 *  - an accepted item is well formed: a valid key, a known status, a name
 *    that is not blank, attributes an object of scalars.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cmdb/cmdb.h"
#include "domain/platform/audit.h"
#include "store/store.h"
#include "store/store_cmdb.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor manager, requester;
static int64_t base_seq, base_gen;

struct seen {
	const char *key; /* the item to read back, or NULL: the answer's */
	json_t *stored;  /* ci_to_json of it, in the write */
	int64_t seq, gen;
};

static int64_t gen_of(struct store *s, struct store_tx *tx)
{
	char v[32] = "0";
	struct err e = { 0 };
	int rc = s->ops->meta_get(s, tx, "cmdb.gen", v, sizeof(v), &e);

	CHECK(rc == 0 || rc == ERR_NOT_FOUND); /* a store that fails is no answer */
	return strtoll(v, NULL, 10);
}

static void read_back(struct store_tx *tx, void *arg)
{
	struct seen *s = arg;
	uint8_t head[AUDIT_HASH_LEN];
	struct err e = { 0 };
	struct ci c;

	CHECK(tx->st->ops->audit_head(tx, &s->seq, head, &e) == 0);
	s->gen = gen_of(tx->st, tx);
	if (s->key && tx->st->ops->cmdb->ci_get(tx->st, tx, 0, s->key, &c, &e) == 0) {
		s->stored = ci_to_json(&c);
		ci_release(&c);
	}
}

static int base_fn(struct store_tx *tx, void *arg, struct err *e)
{
	uint8_t head[AUDIT_HASH_LEN];

	base_gen = gen_of(tx->st, tx);
	return tx->st->ops->audit_head(tx, &base_seq, head, e);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e = { 0 };

	st = fuzz_store();
	fuzz_actor("mori", &manager);
	fuzz_actor("alice", &requester);
	CHECK(store_write(st, base_fn, NULL, &e) == 0);
	return 0;
}

static void check_refusal(int rc, const struct err *e, int writes)
{
	CHECK(rc == ERR_INVALID || rc == ERR_FORBIDDEN || rc == ERR_NOT_FOUND ||
	      rc == ERR_CONFLICT);
	CHECK(e->code == rc && e->msg[0]);
	CHECK(fuzz_store_writes() == writes);
}

static void check_item(const json_t *ci)
{
	const char *key = json_string_value(json_object_get(ci, "key"));
	const char *name = json_string_value(json_object_get(ci, "name"));
	const char *k;
	json_t *v;

	CHECK(key && ci_key_valid(key));
	CHECK(name && *name && !isspace((unsigned char)*name));
	CHECK(ci_status_valid(json_string_value(json_object_get(ci, "status"))));
	CHECK(json_is_object(json_object_get(ci, "attributes")));
	json_object_foreach(json_object_get(ci, "attributes"), k, v)
		CHECK(*k && !json_is_object(v) && !json_is_array(v) && !json_is_null(v));
}

/* One operation: run it, then hold the answer against the write. */
typedef int (*op_fn)(const json_t *in, json_t **out, struct err *e);

static int op_create(const json_t *in, json_t **out, struct err *e)
{
	return cmdb_ci_create(st, &manager, in, out, e);
}

static int op_update(const json_t *in, json_t **out, struct err *e)
{
	return cmdb_ci_update(st, &manager, "srv-db01", in, out, e);
}

static int op_relate(const json_t *in, json_t **out, struct err *e)
{
	return cmdb_rel_create(st, &manager, in, out, e);
}

static int op_link(const json_t *in, json_t **out, struct err *e)
{
	return cmdb_ticket_link(st, &manager, "srv-db01", in, out, e);
}

static void run(op_fn fn, const json_t *in, const char *key, int records)
{
	struct seen s = { key, NULL, 0, 0 };
	struct err e = { 0 };
	json_t *out = NULL;
	int writes = fuzz_store_writes(), rc;

	if (!key && json_is_object(in))
		s.key = json_string_value(json_object_get(in, "key"));
	fuzz_store_hook(read_back, &s);
	rc = fn(in, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("%s: %d %s\n", fn == op_create ? "create" : fn == op_update ? "update" :
			     fn == op_relate ? "relate" : "link", rc, rc ? e.msg : "");
	if (rc) {
		check_refusal(rc, &e, writes);
		CHECK(!s.stored);
		return;
	}
	CHECK(out && fuzz_store_writes() == writes + 1);
	CHECK(s.seq == base_seq + records);
	CHECK(s.gen > base_gen || fn == op_link);
	if (fn == op_create || fn == op_update) {
		json_t *a = json_deep_copy(out), *b = s.stored;

		CHECK(b);
		check_item(out);
		/* Times and id as the store set them; the rest as answered. */
		json_object_del(a, "created_at");
		json_object_del(b, "created_at");
		CHECK(json_equal(a, b));
		json_decref(a);
	}
	if (fn == op_relate) {
		CHECK(!strcmp(json_string_value(json_object_get(out, "source")),
			      json_string_value(json_object_get(in, "source"))));
		CHECK(!strcmp(json_string_value(json_object_get(out, "target")),
			      json_string_value(json_object_get(in, "target"))));
	}
	json_decref(s.stored);
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	struct err e = { 0 };
	json_t *out = NULL;
	int writes = fuzz_store_writes();

	if (!in)
		return 0;
	CHECK(cmdb_ci_create(st, &requester, in, &out, &e) == ERR_FORBIDDEN && !out);
	CHECK(fuzz_store_writes() == writes);
	run(op_create, in, NULL, 1);
	run(op_update, in, "srv-db01", 1);
	run(op_relate, in, NULL, 1); /* one record, "ci_rel:ID" */
	run(op_link, in, "srv-db01", 1);
	json_decref(in);
	return 0;
}
