/*
 * cmdb.h — configuration items (CIs), their typed relationships, impact
 * analysis over them, and import/export.
 *
 * Invariants kept here:
 *  - a CI key is 1..63 of [A-Za-z0-9._-] and never changes; its type is one
 *    of ci_types (the built-in list, extended by admins); its status one of
 *    planned, active, maintenance, retired; attributes are a JSON object;
 *  - a relationship "source TYPE target" means the source depends on the
 *    target (a failure of the target impacts the source); connected_to is
 *    symmetric and carries impact only with `propagates`;
 *  - every change to an item or relationship bumps the item's version where
 *    it has one, writes the item's history and an audit record ("ci:KEY"
 *    with the item's state, "ci_rel:ID" with the relationship's) in the
 *    same transaction, and bumps the "cmdb.gen" counter so the shared
 *    impact graph is rebuilt on its next use;
 *  - impact queries run on an immutable snapshot (cmdb_graph.c) shared by
 *    every thread; a rebuild swaps a new snapshot in under a lock, old ones
 *    are freed when their last reader lets go.
 */
#ifndef ITSM_CMDB_H
#define ITSM_CMDB_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "model/cmdb.h"
#include "lib/err.h"

struct store;
struct store_tx;

json_t *ci_to_json(const struct ci *c);
json_t *ci_rel_to_json(const struct ci_rel *r);
int ci_status_valid(const char *s);
int ci_key_valid(const char *s);
/* Every stored item and relationship in the form the audit log records
 * them, for audit_verify (cmdb_state.c). */
int cmdb_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* The operations. Each returns 0 and a new JSON reference in *out (caller
 * json_decref()s), or a negative ERR_* with e filled in and nothing changed. */
int cmdb_ci_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		   struct err *e);
int cmdb_ci_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e);
/* {"version", fields…}: a stale version is ERR_CONFLICT. */
int cmdb_ci_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
/* Query: type, status, q, owner_group, location, attr.NAME=VALUE, limit, cursor. */
int cmdb_ci_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		      struct err *e);
int cmdb_ci_history_json(struct store *st, const struct actor *a, const char *key, json_t **out,
			 struct err *e);
int cmdb_types_json(struct store *st, const struct actor *a, json_t **out, struct err *e);
int cmdb_type_add(struct store *st, const struct actor *a, const char *name, json_t **out,
		  struct err *e);

/* {"source","type","target","propagates"} */
int cmdb_rel_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		    struct err *e);
int cmdb_rel_delete(struct store *st, const struct actor *a, int64_t id, struct err *e);
int cmdb_rel_list_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		       struct err *e);
/* Tickets linked to an item (monitoring links the affected item and the
 * impacted services; staff link others): GET lists, link adds
 * {"ticket": "INC-7", "role": "affected"|"impacted"|"related"}. */
int cmdb_ticket_items_json(struct store *st, const struct actor *a, const char *ref,
			   json_t **out, struct err *e);
int cmdb_tickets_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		      struct err *e);
int cmdb_ticket_link(struct store *st, const struct actor *a, const char *key, const json_t *in,
		     json_t **out, struct err *e);

/* Inside a write: the same create/relate as above, for import and the
 * correlation. `line` (>0) prefixes errors with "line N: ". */
int cmdb_ci_create_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		      struct ci *out, struct err *e);
int cmdb_rel_create_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		       struct ci_rel *out, struct err *e);
/* A re-import (itsm ci import --upsert): an item whose key is not there is
 * created; one that is gets the row's fields (attributes given replace its
 * attributes) and is written — version, history, audit — only when that
 * changes it; a relationship that is there is left alone (a different
 * `propagates` is ERR_CONFLICT). *outcome says which. */
enum cmdb_outcome { CMDB_CREATED, CMDB_UPDATED, CMDB_UNCHANGED };
int cmdb_ci_upsert_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		      enum cmdb_outcome *outcome, struct err *e);
int cmdb_rel_upsert_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		       enum cmdb_outcome *outcome, struct err *e);
/* Mark the graph stale (inside the write that changed relationships). */
int cmdb_graph_touch(struct store_tx *tx, struct err *e);

/* ---- impact analysis (cmdb_graph.c) ---- */

/* {"ci": {...}, "items": [{"key","name","type","distance","path":[…],
 *  "explain": "…"}], "services": [...], "customers": [...], "count",
 *  "cyclic", "truncated", "elapsed_ms"}. direction 0 = impact, 1 =
 *  dependencies. At most limit items are listed (<= 0: 1000); "count" is
 *  the whole number reached and services are always all listed. */
int cmdb_impact_json(struct store *st, const struct actor *a, const char *key, int direction,
		     int limit, json_t **out, struct err *e);

/* The services (items of type service, as their catalogue key or, when they
 * have none, their CI key) that a failure of ci_id impacts, the item itself
 * included when it is a service. *services is a json array of
 * {"ci","service"}; caller decrefs (NULL on failure). Also sets *n_items to the number of
 * items impacted. Reads the shared snapshot (may rebuild it). */
int cmdb_impacted_services(struct store *st, int64_t ci_id, json_t **services, int64_t *n_items,
			   struct err *e);

/* Rebuild the shared snapshot now if there is one and the CMDB changed
 * (called after CMDB writes, in the writer's caller, so the store's writer
 * thread — which runs the event correlation — rarely has to). Errors are
 * logged, not returned. */
void cmdb_graph_prewarm(struct store *st);
/* Build the snapshot now whatever the state (the server, at start). */
void cmdb_graph_warm(struct store *st);
/* Drop the cached snapshot (tests, shutdown). */
void cmdb_graph_reset(void);

/* ---- import / export (cmdb_io.c) ---- */

/* format "csv" or "json"; all-or-nothing, errors name the line (csv) or
 * the array index + 1 (json). *out = {"cis": n, "relationships": m}; with
 * upsert (existing keys are updated, see cmdb_ci_upsert_tx) {"upsert":
 * true, "cis": {"created", "updated", "unchanged"}, "relationships":
 * {"created", "unchanged"}}. */
int cmdb_import(struct store *st, const struct actor *a, const char *format, const char *data,
		size_t len, int upsert, json_t **out, struct err *e);
/* Everything as the import's JSON document {"cis": [...], "relationships":
 * [...]}: a new reference in *doc (caller json_decref()s). Staff only. As
 * text (CSV, or JSON that imports back): render/cmdb.h. */
int cmdb_export(struct store *st, const struct actor *a, json_t **doc, struct err *e);

#endif
