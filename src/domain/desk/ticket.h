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
#include "model/desk.h"
#include "lib/err.h"

struct store;
struct store_tx;

#define TICKET_TITLE_MAX 200
#define TICKET_TEXT_MAX 65536
#define COMMENT_MAX 65536

/* Rules as data. */
int ticket_priority(int impact, int urgency);
int ticket_can_move(enum ticket_status from, enum ticket_status to);

int ticket_status_is_terminal(enum ticket_status s);
/* A list filter's statuses, "new,in_progress" or "open" (new, assigned,
 * in_progress, pending — what the desk still works on), as a set of bits
 * 1u << status; 0, or ERR_INVALID naming the first unknown name. */
int ticket_status_set_parse(const char *list, unsigned *set, struct err *e);
/* Whether a may see t at all (others' tickets are "not found"). */
int ticket_visible_to(const struct actor *a, const struct ticket *t);
/* Read ticket ref (in tx, or NULL) for a, as "not found" when a may not
 * see it; t is the caller's to release (ticket_release) on success. */
int ticket_load_visible(struct store *st, struct store_tx *tx, const struct actor *a,
			const char *ref, struct ticket *t, struct err *e);

/* Assignment groups (ticket_group.c): a name as users carry them in
 * `groups`, 1-63 letters, digits, '.', '_', '-'. */
#define TICKET_GROUP_MAX 63
int ticket_group_valid(const char *s);
/* The list filter `group=`: names separated by commas, "none" (no group)
 * and "mine" (the caller's own groups), as the JSON array of names the
 * store's filter takes, in *out (the caller free()s it); 0, or
 * ERR_INVALID on "group" naming a malformed name. */
int ticket_group_filter(struct store *st, const struct actor *a, const char *list, char **out,
			struct err *e);

/* Where a ticket comes from, known only to the way it came in: what
 * routing matches beside the ticket's own fields — the configuration item
 * monitoring opened it for, the mail queue it arrived at (each NULL when
 * none) — and whether the system opens it on its own (by_system: no
 * requester, rather than the actor, whose token only carried the event). */
struct ticket_origin {
	const char *ci;
	const char *queue;
	int by_system;
};

/* The impact and the urgency of a ticket created without them: medium. */
#define TICKET_LEVEL_DEFAULT 2

/* Validate a create body into t (strings borrowed from j until ticket_create
 * copies them); impact and urgency each default to TICKET_LEVEL_DEFAULT.
 * Exposed for the fuzz target and unit tests. */
int ticket_validate_create(const json_t *j, const struct actor *a, struct ticket *t,
			   struct err *e);

/* Who asked for a ticket no user asked for: monitoring's incidents, the
 * mail intake's tickets from an address no user has, and whatever else
 * the system opens on its own (requester_id 0). The stored row and the
 * audited state keep no requester (null); the replies of the API and the
 * CLI name this instead (ticket_json_present), and the list filter
 * `requester=system` finds them. No user may take the name. */
#define TICKET_REQUESTER_SYSTEM USERNAME_SYSTEM
/* Present a ticket's JSON as the API and the CLI answer it: a null
 * requester becomes TICKET_REQUESTER_SYSTEM. Never on an audited state. */
void ticket_json_present(json_t *j);

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
 * customer (key), requester ("me"|"system"), group, q, cursor, limit. Returns {"items":[…],"next_cursor":…}. */
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
/* ticket_create_in from an origin (may be NULL): the mail intake's queue,
 * monitoring's item and its requester-less incidents. */
int ticket_create_from_in(struct store_tx *tx, const struct actor *a, const json_t *in,
			    const struct ticket_origin *hint, json_t **after,
			    struct err *e);
int ticket_update_in(struct store_tx *tx, const struct actor *a, const char *ref,
		     const json_t *in, json_t **after, struct err *e);
int ticket_comment_in(struct store_tx *tx, const struct actor *a, const char *ref,
		      const json_t *in, json_t **after, struct err *e);

/* Inside the caller's write: record in ticket key's history that field went
 * from old to new_value (either may be NULL) — a link made or undone, a
 * merge — and audit the ticket's new state under action with set (may be
 * NULL). The ticket's fields and version do not change. */
int ticket_note_in(struct store_tx *tx, const struct actor *a, const char *key,
		   const char *field, const char *old, const char *new_value, const char *action,
		   const json_t *set, struct err *e);

json_t *ticket_to_json(const struct ticket *t);
/* The state the audit log records for ticket t ("after"): ticket_to_json()
 * plus the count and digest of its field history, in *out, a new reference.
 * tx may be NULL (reads). */
int ticket_state_json(struct store *st, struct store_tx *tx, const struct ticket *t, json_t **out,
		      struct err *e);

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
