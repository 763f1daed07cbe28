/*
 * audit.h — the tamper-evident audit log.
 *
 * Every write appends one record (sequence, time, actor, action, entity, the
 * change as JSON) inside the transaction of the write itself. Each record's
 * hash is BLAKE2b-256 over the previous record's hash and this record's
 * canonical bytes, so changing, deleting or reordering any record breaks the
 * chain from that record on; audit_verify names the first record that does
 * not verify. The head (count and last hash) is also kept beside the chain,
 * so a record cut from the end is detected too.
 *
 * Whoever can write the database can also rewrite the chain and its head
 * together, or cut both; signed checkpoints kept outside the store
 * (audit_checkpoint.h) catch that: audit_verify_anchored checks that the
 * chain still holds every checkpointed (sequence, hash).
 *
 * The stored state of every kind of record that grants rights or feeds a
 * report is held against the chain: each write records the record's state
 * after it under "after" (null when the record is deleted), and a scan of
 * the capability lists every stored record in that same form (see the
 * state_sources table in audit.c and docs/audit.md).
 */
#ifndef ITSM_AUDIT_H
#define ITSM_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "model/platform.h"
#include "lib/buf.h"
#include "lib/err.h"

struct store;
struct store_tx;
struct audit_checkpoint;

struct audit_result {
	int ok;
	int64_t records;
	int64_t first_bad; /* 0 when none */
	char head[AUDIT_HASH_LEN * 2 + 1];
	char reason[160];
	int anchored;             /* checkpoints were given */
	int64_t checkpoints_held; /* how many of them the chain still holds */
};

/* Appending several records in one write keeps the chain's head in memory
 * (read once, stored once by audit_chain_finish) — for bulk writes such as
 * an import. audit_append is a chain of one. */
struct audit_chain {
	struct store_tx *tx;
	int started;
	int64_t seq;
	uint8_t head[AUDIT_HASH_LEN];
	struct buf text;
};

void audit_chain_init(struct audit_chain *c, struct store_tx *tx);
int audit_chain_append(struct audit_chain *c, const struct actor *a, int64_t at,
		       const char *action, const char *entity, const json_t *change,
		       struct err *e);
/* Store the head beside the chain and release c. */
int audit_chain_finish(struct audit_chain *c, struct err *e);
void audit_chain_release(struct audit_chain *c);

/* Append a record inside a write transaction. change is serialized in
 * canonical form (jx_canonical: sorted keys, compact). */
int audit_append(struct store_tx *tx, const struct actor *a, const char *action,
		 const char *entity, const json_t *change, struct err *e);
/* audit_append of a write's usual record: {"set": set (the request; NULL
 * records null), "after": after (the state written)}. */
int audit_set_after(struct store_tx *tx, const struct actor *a, const char *action,
		    const char *entity, const json_t *set, const json_t *after, struct err *e);
void audit_hash(const struct audit_rec *r, uint8_t out[AUDIT_HASH_LEN]);
/* The hex digest a state records in place of a secret it must not show
 * (a password hash, a token hash): keyed BLAKE2b-256, one way. */
void audit_secret_digest(const void *secret, size_t n, char out[AUDIT_HASH_LEN * 2 + 1]);
/* A record's stored state, as (entity, state in the form the chain recorded
 * it), handed out by the scans audit_verify holds against the chain. */
typedef int (*audit_state_fn)(const char *entity, const json_t *state, void *ctx);
/* What the scans' store callbacks carry: the verifier's fn and its ctx. */
struct audit_scan {
	audit_state_fn fn;
	void *ctx;
};
/* Hand one stored record's state to s->fn under the entity that fmt names
 * ("check:%s"), then release it: state is consumed, and NULL (out of
 * memory) is ERR_INTERNAL. Returns what fn returned. */
int audit_state_hand(const struct audit_scan *s, json_t *state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int audit_verify(struct store *st, struct audit_result *res, struct err *e);
/* audit_verify, and the chain must hold each of cps (sorted by sequence,
 * signatures already checked: audit_checkpoints_load). */
int audit_verify_anchored(struct store *st, const struct audit_checkpoint *cps, size_t ncps,
			  struct audit_result *res, struct err *e);
json_t *audit_result_json(const struct audit_result *r);
/* Query: cursor (the last sequence seen), limit (1-500, default 50). */
int audit_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e);

#endif
