/*
 * change_int.h — what the files of domain/change/ share and nobody else
 * reads: the record as JSON, the write that every operation runs, the
 * checks of who acts.
 */
#ifndef ITSM_CHANGE_INT_H
#define ITSM_CHANGE_INT_H

#include "domain/change/change.h"
#include "model/change.h"

struct store_tx;
struct cw;
struct freeze_rec;

/* One operation on a stored change, run inside the write: c is the fresh
 * record, body its parsed body (both may be changed; the write stores
 * them). */
typedef int (*change_op_fn)(struct store_tx *tx, struct cw *w, struct change_rec *c,
			    json_t *body, struct err *e);

struct cw {
	const struct actor *a;
	const json_t *in;
	const char *key;
	const char *action; /* "change.submit", … */
	int64_t version;
	change_op_fn op;
	json_t *ctx;    /* what the operation computed before the write (owned) */
	json_t *after;  /* the record after the write, as answered (owned) */
	json_t *detail; /* a refusal's details (owned) */
};

int change_actor_check(const struct actor *a, struct err *e);
json_t *change_rec_json(const struct change_rec *c);
/* Run w->op on the change w->key at w->version in one write, store it and
 * audit it; *out takes w->after, or on failure the detail (if any). */
int change_run(struct store *st, struct cw *w, json_t **out, struct err *e);
/* Read a change outside a write (404 when absent or not visible). */
int change_read(struct store *st, const struct actor *a, const char *key, struct change_rec *c,
		json_t **body, struct err *e);
/* The items reached from items (array of CI keys) in the CMDB graph, by key:
 * {"KEY": {"item", "relation": "same"|"impact"|"dependency", "path",
 * "explain"}}; with services and customers the items' impact reaches. */
int change_reach(struct store *st, const struct actor *a, const json_t *items, json_t **reach,
		 json_t **services, json_t **customers, struct err *e);

/* A freeze window as the API answers it and the audit records it. */
json_t *change_freeze_json(const struct freeze_rec *f);

/* The risk block of a body (change_reach.c): {"score", "level", "reasons",
 * "service_count", "customer_count", "services", "customers"}. */
int change_risk_json(struct store *st, const struct actor *a, const json_t *body, json_t **out,
		     struct err *e);

#endif
