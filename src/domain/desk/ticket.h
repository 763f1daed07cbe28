/*
 * ticket.h — service desk tickets: incidents (failures), requests
 * (applications for a service) and inquiries (questions).
 *
 * Invariants kept here and nowhere else:
 *  - priority is derived from impact × urgency (ticket_priority), never sent;
 *  - status changes follow the lifecycle table (ticket_can_move);
 *  - every change bumps version, is written to the ticket's field history and
 *    to the audit log in the same transaction;
 *  - a requester sees and touches only tickets of their own customer (others
 *    are "not found") and never internal comments.
 */
#ifndef ITSM_TICKET_H
#define ITSM_TICKET_H

#include <jansson.h>
#include <sodium.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;
struct store_tx;

enum ticket_kind { KIND_INCIDENT, KIND_REQUEST, KIND_INQUIRY, KIND__COUNT };
enum ticket_status {
	ST_NEW,
	ST_ASSIGNED,
	ST_IN_PROGRESS,
	ST_PENDING,
	ST_RESOLVED,
	ST_CLOSED,
	ST_CANCELLED,
	ST__COUNT
};

#define TICKET_TITLE_MAX 200
#define TICKET_TEXT_MAX 65536
#define COMMENT_MAX 65536

struct ticket {
	int64_t id;
	char key[24];
	enum ticket_kind kind;
	char *title;       /* owned; freed by ticket_release */
	char *description; /* owned */
	int impact, urgency, priority;
	enum ticket_status status;
	int64_t requester_id, assignee_id, customer_id;
	char requester[64], assignee[64], customer[64]; /* names, filled on read */
	char service[64];   /* catalogue service key, "" when none */
	char channel[16];   /* web, api, email, phone, monitoring */
	int64_t created_at, updated_at, resolved_at, closed_at;
	int64_t version;
};

struct comment {
	int64_t id, ticket_id, author_id;
	char author[64];
	char *body; /* owned */
	int public;
	int64_t created_at;
};

struct history_entry {
	int64_t id, ticket_id, at, actor_id;
	char actor[64];
	char field[32];
	char *old_value, *new_value; /* owned, may be NULL */
};

struct ticket_filter {
	int status;     /* -1 any */
	int kind;       /* -1 any */
	int priority;   /* 0 any */
	int64_t assignee_id;   /* 0 any, -1 unassigned */
	int64_t customer_id;   /* 0 any */
	int64_t requester_id;  /* 0 any */
	const char *q;         /* text search over title and description */
	int64_t after_id;      /* cursor: ids below this one (0 = from the newest) */
	int limit;
};

/* Rules as data. */
int ticket_priority(int impact, int urgency);
int ticket_can_move(enum ticket_status from, enum ticket_status to);
const char *ticket_kind_name(enum ticket_kind k);
const char *ticket_kind_prefix(enum ticket_kind k);
int ticket_kind_parse(const char *s, enum ticket_kind *out);
const char *ticket_status_name(enum ticket_status s);
int ticket_status_parse(const char *s, enum ticket_status *out);
int ticket_status_is_terminal(enum ticket_status s);
/* Whether a may see t at all (others' tickets are "not found"). */
int ticket_visible_to(const struct actor *a, const struct ticket *t);
/* Read ticket ref (in tx, or NULL) for a, as "not found" when a may not
 * see it; t is the caller's to release (ticket_release) on success. */
int ticket_load_visible(struct store *st, struct store_tx *tx, const struct actor *a,
			const char *ref, struct ticket *t, struct err *e);

void ticket_release(struct ticket *t);
void comment_release(struct comment *c);
void history_release(struct history_entry *h);

/* Validate a create body into t (strings borrowed from j until ticket_create
 * copies them). Exposed for the fuzz target and unit tests. */
int ticket_validate_create(const json_t *j, const struct actor *a, struct ticket *t,
			   struct err *e);

/* The operations. Each returns 0 and a new JSON reference in *out (caller
 * json_decref()s), or a negative ERR_* with e filled in and nothing changed. */
int ticket_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e);
int ticket_get_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		    struct err *e);
int ticket_update(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		  json_t **out, struct err *e);
int ticket_comment(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		   json_t **out, struct err *e);
int ticket_comments_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
			 struct err *e);
int ticket_history_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
			struct err *e);
/* Query keys: status, kind, priority, assignee (username|"me"|"none"),
 * customer (key), q, cursor, limit. Returns {"items":[…],"next_cursor":…}. */
int ticket_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		     struct err *e);

/* The same three writes inside a write the caller already holds, for
 * modules that open or move tickets as part of their own transaction (as
 * monitoring correlation does). They check and record exactly what the
 * entry points above do; *after (may be NULL) receives the new state (the
 * caller json_decref()s). Live views are told once the caller's write is
 * durable (nothing is announced for a write rolled back). */
int ticket_create_in(struct store_tx *tx, const struct actor *a, const json_t *in,
		     json_t **after, struct err *e);
int ticket_update_in(struct store_tx *tx, const struct actor *a, const char *ref,
		     const json_t *in, json_t **after, struct err *e);
int ticket_comment_in(struct store_tx *tx, const struct actor *a, const char *ref,
		      const json_t *in, json_t **after, struct err *e);

json_t *ticket_to_json(const struct ticket *t);
/* The state the audit log records for ticket t ("after"): ticket_to_json()
 * plus the count and digest of its field history. tx may be NULL (reads).
 * New reference. */
json_t *ticket_state_json(struct store *st, struct store_tx *tx, const struct ticket *t);

/* The digest of a ticket's field history as its audited state records it
 * ("history_entries", "history_digest"), built entry by entry. */
struct history_digest {
	crypto_generichash_state h;
	unsigned char out[32];
	int64_t n;
};
void history_digest_init(struct history_digest *d);
void history_digest_add(struct history_digest *d, const struct history_entry *h);
void history_digest_set(struct history_digest *d, json_t *state);
json_t *comment_to_json(const struct comment *c, const char *ticket_key);

/* Every ticket and comment as stored now, as (entity, state) pairs in the
 * form the audit log recorded them ("ticket:INC-1", "comment:7"), for
 * audit_verify to hold against the chain. */
int ticket_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
