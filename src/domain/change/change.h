/*
 * change.h — change control: changes (CHG-n) of three types, their risk,
 * approvals, schedule with conflict detection, planned outages, review; freeze
 * (blackout) windows; the schedule as an iCalendar feed.
 *
 * Invariants:
 *  - a change moves only along the lifecycle table (change_rules.c); any
 *    other move is ERR_TRANSITION; every write names the version it read
 *    (stale: ERR_CONFLICT on "version");
 *  - a standard change is pre-approved: submit takes it from draft straight
 *    to approved; a normal change needs its approvers' rule (all, any,
 *    quorum N); an emergency change needs one manager's approval;
 *  - moving to scheduled checks the window against every other scheduled or
 *    implementing change on the same items or on items in their impact or
 *    dependency path (the CMDB graph), and against freeze windows; a
 *    conflict refuses the move unless a manager overrides it with a reason,
 *    which the record and the audit chain keep;
 *  - a scheduled change has one planned outage per service it names, over
 *    its window; cancelling it removes them;
 *  - every write runs in one store_write with its audit record ("change:KEY",
 *    "freeze:ID"), so a refused request leaves nothing behind.
 */
#ifndef ITSM_CHANGE_H
#define ITSM_CHANGE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;

/* ---- the rules (change_rules.c), pure ---- */

enum change_status {
	CHS_DRAFT,
	CHS_ASSESSMENT,
	CHS_APPROVED,
	CHS_SCHEDULED,
	CHS_IMPLEMENTING,
	CHS_REVIEW,
	CHS_CLOSED,
	CHS_REJECTED,
	CHS_CANCELLED,
	CHS_FAILED,
	CHS__COUNT
};

enum change_type { CHT_STANDARD, CHT_NORMAL, CHT_EMERGENCY, CHT__COUNT };

const char *change_status_name(enum change_status s);
int change_status_parse(const char *s, enum change_status *out);
const char *change_type_name(enum change_type t);
int change_type_parse(const char *s, enum change_type *out);
/* Whether the lifecycle allows the move from -> to. */
int change_can_move(enum change_status from, enum change_status to);
int change_status_terminal(enum change_status s);

/* The approval rule over n named approvers: "all", "any", "quorum" (with
 * quorum 1..n). Given approved and rejected decisions so far, the outcome:
 * 1 approved, -1 rejected (the rule can no longer be met), 0 pending. */
enum change_rule { CHR_ALL, CHR_ANY, CHR_QUORUM };
int change_rule_parse(const char *s, enum change_rule *out);
const char *change_rule_name(enum change_rule r);
int change_rule_outcome(enum change_rule r, int quorum, int n, int approved, int rejected);

/* The risk score: the questionnaire's answers (an object of booleans; an
 * unanswered question counts as the risky answer) and the number of
 * services and customers the items reach. Returns the score and sets *level
 * ("low", "medium", "high") and *reasons (a new array of strings). */
int change_risk_score(const json_t *answers, int64_t services, int64_t customers,
		      const char **level, json_t **reasons);
/* The questions, for the answer and the docs: NULL-terminated keys. */
extern const char *const change_risk_questions[];

/* ---- the operations (change.c, change_flow.c) ---- */

/* Each returns 0 and a new JSON reference in *out, or a negative ERR_* with
 * e filled and nothing stored. */
int change_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e);
int change_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		    struct err *e);
int change_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		     struct err *e);
/* A draft's fields at {"version", …}. */
int change_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e);
/* The moves, each at {"version", …}: submit; approve and reject
 * {"comment"}; schedule {"override": "reason"}; start; review
 * {"outcome": "success"|"failure", "notes"}; cancel {"reason"}. On a
 * refused schedule *out holds {"conflicts": [...]} (caller decrefs) beside
 * the error. */
int change_submit(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e);
int change_approve(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
int change_reject(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e);
int change_schedule(struct store *st, const struct actor *a, const char *key, const json_t *in,
		    json_t **out, struct err *e);
int change_start(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e);
int change_review(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e);
int change_cancel(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e);

/* The schedule: every scheduled or implementing change, in start order,
 * as {"items": [change, …]} (render/change_ics.h lays it out as
 * iCalendar). */
int change_calendar_json(struct store *st, const struct actor *a, json_t **out, struct err *e);

/* Every stored change and freeze in the form the audit log records them,
 * for audit_verify (change_state.c). */
int change_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* ---- freeze windows (freeze.c) ---- */
/* {"start", "end", "service"?, "reason"} (managers). */
int freeze_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	       struct err *e);
int freeze_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		     struct err *e);
int freeze_remove(struct store *st, const struct actor *a, const char *id, json_t **out,
		  struct err *e);

#endif
