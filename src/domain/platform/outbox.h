/*
 * outbox.h — the persistent outbox of escalation notices.
 *
 * A notice is queued inside the write that caused it (so it exists iff the
 * event does) and delivered later by a pass that runs outside any write:
 * webhooks get an HTTP POST of the JSON payload (2xx = sent); "mailto:"
 * targets are piped to $ITSM_SENDMAIL when set, else marked undeliverable.
 * A failure is retried with exponential backoff (30 s doubling, at most 1 h
 * apart) up to OUTBOX_MAX_ATTEMPTS, then marked failed. Delivery is
 * at-least-once: a notice in flight when the process stops is sent again.
 */
#ifndef ITSM_OUTBOX_H
#define ITSM_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;
struct store_tx;

#define OUTBOX_MAX_ATTEMPTS 8

int outbox_queue(struct store_tx *tx, const char *target, const json_t *payload, int64_t now,
		 struct err *e);
/* Deliver every pending notice due at now; counts in *sent and *failed
 * (failed attempts, retried later or given up). */
int outbox_deliver(struct store *st, int64_t now, int64_t *sent, int64_t *failed,
		   struct err *e);
/* Admins: {"items":[…]} newest first; query state, limit. */
int outbox_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		     struct err *e);

#endif
