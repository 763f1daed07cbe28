/*
 * risk.h — the operational risk register: risks (RISK-n) tied to services
 * and configuration items, scored likelihood × impact against the level
 * table of the configuration, owned by a staff user, with preventive
 * measures and a periodic review whose lapses warn the owner.
 *
 * Invariants kept here and nowhere else:
 *  - likelihood and impact are 1..5; the score is their product (1..25)
 *    and the level the configured band that holds it (risk_levels_set:
 *    bands in order, covering 1..25 without a gap or an overlap);
 *  - a risk moves along the lifecycle table (risk_can_move), a measure
 *    along its own (risk_measure_can_move); closed, done and cancelled are
 *    terminal; any other move is ERR_TRANSITION;
 *  - the owner of a risk or a measure is an active staff user; every item
 *    is a stored CI, every service in the catalogue (ERR_INVALID naming
 *    the entry at fault);
 *  - every write names the risk's version it read (stale: ERR_CONFLICT on
 *    "version"), bumps it, and appends the audit record "risk:KEY" whose
 *    "after" is the risk with its measures, in the same store_write, so a
 *    refused request leaves nothing;
 *  - an overdue measure and an overdue review warn the owner once per due
 *    date (risk_watch_step, run by the SLA watcher's leader only).
 */
#ifndef ITSM_DOMAIN_RISK_H
#define ITSM_DOMAIN_RISK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;

/* ---- the rules (risk_rules.c), pure ---- */

#define RISK_SCALE 5 /* likelihood and impact are 1..RISK_SCALE */
#define RISK_SCORE_MAX (RISK_SCALE * RISK_SCALE)
#define RISK_LEVELS_MAX 8
#define RISK_LEVELS_DEFAULT "low:1-4, medium:5-9, high:10-16, critical:17-25"

enum risk_status { RS_OPEN, RS_MITIGATING, RS_ACCEPTED, RS_CLOSED, RS__COUNT };
enum measure_status { MS_PLANNED, MS_IN_PROGRESS, MS_DONE, MS_CANCELLED, MS__COUNT };

const char *risk_status_name(enum risk_status s);
int risk_status_parse(const char *name, enum risk_status *out);
int risk_can_move(enum risk_status from, enum risk_status to);
const char *risk_measure_status_name(enum measure_status s);
int risk_measure_status_parse(const char *name, enum measure_status *out);
int risk_measure_can_move(enum measure_status from, enum measure_status to);
/* Whether a measure in s still has work to do (planned, in progress). */
int risk_measure_is_open(enum measure_status s);

/* The level table: "NAME:FROM-TO, …", names of a-z, 0-9 and _ (1-31), the
 * bands ascending from 1 and ending at 25 without a gap. 0, or
 * ERR_INVALID saying what is wrong (no field); the table in force is kept
 * on failure. Set once at start (itsm.conf [risk] levels). */
int risk_levels_set(const char *spec, struct err *e);
/* The score of likelihood × impact (0 when either is out of 1..5). */
int risk_score(int likelihood, int impact);
/* The level of a score under the table in force ("" out of 1..25). */
const char *risk_level(int score);
/* The table as [{"level", "from", "to"}] (a new reference). */
json_t *risk_levels_json(void);

/* ---- the operations (risk.c); each returns 0 and a new reference in
 * *out, or a negative ERR_* with e filled and nothing stored ---- */

/* {"title", "description", "owner", "likelihood", "impact", "services",
 *  "items", "review_every_days"} (managers) → 201. */
int risk_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	     struct err *e);
/* The risk with its measures, their "overdue" and the review's (staff). */
int risk_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		  struct err *e);
/* Query: status, owner, cursor, limit (staff). */
int risk_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		   struct err *e);
/* PATCH {"version", any of the fields of add and "status"} (managers). */
int risk_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e);
/* {"version", "description", "owner", "due"?, "status"?} adds a measure;
 * with "id" it changes that measure (managers). The risk is answered. */
int risk_measure(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e);
/* {"version", "notes"?, "likelihood"?, "impact"?}: a review now, the next
 * one review_every_days later (managers). */
int risk_review(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e);
/* {"counts": 5×5 (likelihood rows, impact columns) of risks not closed,
 *  "levels": 5×5 level names, "bands", "total"} (staff). */
int risk_heatmap_json(struct store *st, const struct actor *a, json_t **out, struct err *e);

/* Every stored risk ("risk:KEY", with its measures) in the form the audit
 * log records it, for audit_verify. */
int risk_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* ---- the periodic check (risk_watch.c) ---- */

/* Warn the owners of measures and reviews past due at now, each once per
 * due date: an audit record "risk.warning" on "risk:KEY" and, when the
 * owner has an e-mail address, a notice in the outbox. *fired counts them. */
int risk_watch_step(struct store *st, int64_t now, int64_t *fired, struct err *e);

#endif
