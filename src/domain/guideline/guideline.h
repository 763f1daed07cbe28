/*
 * guideline.h — operational guidelines (GL-n): versioned Markdown documents
 * for an audience (roles, user groups, named users), acknowledged by each
 * member version by version, with a compliance checklist run periodically.
 *
 * Invariants kept here and nowhere else:
 *  - a guideline is a draft until first published; publishing makes the
 *    working text version current + 1, kept as it was published; a retired
 *    guideline is terminal: it is neither edited, published, acknowledged
 *    nor checked (ERR_TRANSITION);
 *  - an acknowledgement names the version current when it was made, so a
 *    new version leaves every member unacknowledged until they ack it;
 *    acknowledging twice is answered as the first time, nothing stored;
 *  - a checklist run answers every item exactly once (pass or fail, a
 *    comment); each failure opens a follow-up ticket (inquiry unless the
 *    run asks for incidents) through the service desk's own create, in the
 *    same write as the run, and the run records the ticket's key; the next
 *    check falls every_days after the run;
 *  - every write names the version it read (stale: ERR_CONFLICT) — but an
 *    acknowledgement, which changes no field of the guideline — and appends
 *    an audit record on "guideline:KEY" in the same store_write;
 *  - managers write guidelines; staff read them, acknowledge them and run
 *    checklists; requesters and event-only tokens are refused.
 */
#ifndef ITSM_DOMAIN_GUIDELINE_H
#define ITSM_DOMAIN_GUIDELINE_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;

/* ---- the rules (guideline_rules.c), pure ---- */

enum guideline_status { GS_DRAFT, GS_PUBLISHED, GS_RETIRED, GS__COUNT };

const char *guideline_status_name(enum guideline_status s);
int guideline_status_parse(const char *name, enum guideline_status *out);
/* What may be done in status s: 0, or ERR_TRANSITION. */
int guideline_may_edit(enum guideline_status s);
int guideline_may_publish(enum guideline_status s);
int guideline_may_ack(enum guideline_status s);
int guideline_may_check(enum guideline_status s);
/* Whether a user of role, groups (comma-separated) and name is in the
 * audience {"roles": [...], "groups": [...], "users": [...]} (an empty
 * audience holds every staff user). */
int guideline_audience_has(const json_t *audience, const char *role, const char *groups,
			   const char *username);

/* ---- the operations (guideline.c); each returns 0 and
 * a new reference in *out, or a negative ERR_* with e filled and nothing
 * stored ---- */

/* {"title", "text", "roles", "groups", "users", "checklist": [TEXT],
 *  "every_days"} (managers) → 201, a draft. */
int guideline_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e);
/* PATCH {"version", any field of add, "status": "retired"} (managers). */
int guideline_edit(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
/* {"version"}: the working text becomes the next version (managers). */
int guideline_publish(struct store *st, const struct actor *a, const char *key,
		      const json_t *in, json_t **out, struct err *e);
/* The guideline with "text" (the current version's, or the draft's before
 * the first), "draft", "acknowledged" (by the caller, of the current
 * version), "check_overdue" and the last runs (staff). */
int guideline_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		       struct err *e);
/* Query: status, cursor, limit (staff). */
int guideline_list_json(struct store *st, const struct actor *a, const json_t *query,
			json_t **out, struct err *e);
/* {} acknowledges the current version for the caller (staff). */
int guideline_ack(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e);
/* Query version (default: current): {"version", "acknowledged": [{"username",
 * "at"}], "pending": [usernames of the audience who have not]} (staff). */
int guideline_acks_json(struct store *st, const struct actor *a, const char *key,
			const json_t *query, json_t **out, struct err *e);
/* {"version", "results": [{"item", "result": "pass"|"fail", "comment"}],
 *  "followup_kind": "inquiry"|"incident"} → the run (staff). */
int guideline_check(struct store *st, const struct actor *a, const char *key, const json_t *in,
		    json_t **out, struct err *e);

/* Every stored guideline ("guideline:KEY") in the form the audit log records
 * it, for audit_verify (acknowledgements and runs are rows of their own). */
int guideline_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
