/*
 * import.h — migrated ticket history: one ticket per JSON object with its
 * historical created_at and a timeline of status changes and comments,
 * replayed through the lifecycle rules and the SLA clocks at the recorded
 * instants. All or nothing: the whole batch is validated and written in
 * one transaction; the first bad ticket refuses it with its line number.
 */
#ifndef ITSM_IMPORT_H
#define ITSM_IMPORT_H

#include <jansson.h>
#include <stdio.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* JSONL from f (line numbers in errors: "line N: …"). */
int import_tickets_file(struct store *st, const struct actor *a, FILE *f, json_t **out,
			struct err *e);
/* {"tickets":[…]} (positions in errors: "ticket N: …", 1-based). */
int import_tickets_json(struct store *st, const struct actor *a, const json_t *in, json_t **out,
			struct err *e);

#endif
