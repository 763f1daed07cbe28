/*
 * operation.h — operation by procedure: procedures (runbooks, PROC-n) with
 * versioned, ordered steps; the operation schedule (JOB-n: a procedure run
 * on an RFC 5545 recurrence, per shift, with a deadline); executions
 * (RUN-n) recording each step's result in order, with confirmation by a
 * second operator and incidents opened from deviations. docs/operation.md.
 *
 * Invariants kept here and nowhere else:
 *  - a procedure version is a draft until published; a published version
 *    never changes; a new version is a draft; only the newest version may be
 *    a draft, and only it may be published;
 *  - an execution runs the newest published version as it was when it
 *    started (its number is stored with the run);
 *  - steps are recorded in order, once each; a step that needs
 *    confirmation must be confirmed, by an operator other than the one who
 *    recorded it, before the next is recorded; the last step recorded (and
 *    confirmed) completes the run; nothing is recorded on a completed or
 *    abandoned run (run_rules.c, the step state rules);
 *  - one execution per occurrence of a job; an occurrence no run started
 *    before its deadline is "missed";
 *  - every write appends an audit record ("procedure:PROC-n", "job:JOB-n",
 *    "run:RUN-n") in its own transaction, an incident opened from a
 *    deviation in the same one;
 *  - who may do what: managers and admins (and the CLI's system actor)
 *    define procedures and schedule jobs; staff (agents, operators and
 *    above) read them and execute; requesters and event tokens are refused.
 */
#ifndef ITSM_DOMAIN_OPERATION_H
#define ITSM_DOMAIN_OPERATION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"
#include "model/operation.h"

struct store;
struct store_tx;

/* ---- pure: recurrences (rrule.c, libical) ----------------------------- */

/* Whether text is an RRULE itsm evaluates (FREQ of MINUTELY or coarser):
 * 0, or ERR_INVALID on "rrule" saying why. */
int op_rrule_check(const char *text, struct err *e);
/* The occurrences of rule from dtstart (UTC seconds) in [from, to), in
 * order, into out (at most max; *n set). ERR_INVALID on "rrule" for a bad
 * rule or more than max occurrences in the window. */
int op_rrule_between(const char *text, int64_t dtstart, int64_t from, int64_t to, int64_t *out,
		     size_t max, size_t *n, struct err *e);

/* ---- pure: step state rules (run_rules.c) ----------------------------- */

/* What the rules read of a run: its status, the confirm flag of each of
 * the version's steps, and the steps recorded so far (step order). */
struct op_run_view {
	const char *status;
	size_t nsteps;
	const int *confirm; /* nsteps flags */
	size_t nrec;
	const struct op_step *rec;
};

/* Whether step may be recorded now: 0, ERR_INVALID on "step" out of range,
 * ERR_TRANSITION when the run is over, the step is not the next or the
 * previous one awaits its confirmation. */
int op_rule_record(const struct op_run_view *v, int64_t step, struct err *e);
/* Whether who may confirm step now: 0; ERR_INVALID on "step";
 * ERR_TRANSITION (the run is over, the step is not recorded, needs no
 * confirmation or has it); ERR_CONFLICT on "operator" when who recorded it. */
int op_rule_confirm(const struct op_run_view *v, int64_t step, const char *who,
		    struct err *e);
/* 1 when every step is recorded and every confirmation given. */
int op_rule_complete(const struct op_run_view *v);
/* Whether a run of status may be abandoned: 0 or ERR_TRANSITION. */
int op_rule_abandon(const char *status, struct err *e);
/* The next step to record (1-based), or 0 when none: over, awaiting a
 * confirmation, or all recorded. */
int64_t op_rule_next(const struct op_run_view *v);

/* ---- pure: an occurrence's state (schedule.c) ------------------------- */

/* The state of the occurrence at `at` of a job with that deadline, at now:
 * the status of the run that executes it (run_status, NULL when none was
 * started), else "missed" from at + deadline_min minutes on, "due" from at
 * on, "upcoming" before. A static string. */
const char *op_occurrence_state(int64_t at, int64_t deadline_min, const char *run_status,
				int64_t now);

/* ---- operations -------------------------------------------------------- */

/* Each returns 0 and a new JSON reference in *out (caller json_decref()s),
 * or a negative ERR_* with e filled in and nothing changed. */

/* {"title", "steps": [{"instruction", "expected", "confirm"?}]} → PROC-n
 * with version 1 as a draft. */
int op_procedure_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		     struct err *e);
/* {"steps", "title"?, "version"?}: replace the draft, or start version n+1
 * as a draft when the newest is published. */
int op_procedure_draft(struct store *st, const struct actor *a, const char *key,
		       const json_t *in, json_t **out, struct err *e);
/* {"version": N}: publish the draft N (the newest). */
int op_procedure_publish(struct store *st, const struct actor *a, const char *key,
			 const json_t *in, json_t **out, struct err *e);
int op_procedure_get_json(struct store *st, const struct actor *a, const char *key,
			  json_t **out, struct err *e);
/* Query: limit, cursor. */
int op_procedure_list_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e);

/* {"procedure", "rrule", "start", "deadline_minutes", "shift", "items"?} */
int op_job_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	       struct err *e);
/* Query: shift, limit, cursor. */
int op_job_list_json(struct store *st, const struct actor *a, const json_t *query,
		     json_t **out, struct err *e);
/* Query: shift (required), date (YYYY-MM-DD, UTC; default today) → the
 * day's occurrences with their state (upcoming, due, missed, running,
 * completed, abandoned). */
int op_schedule_today_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e);

/* {"procedure"} ad hoc, or {"job", "occurrence"} */
int op_run_start(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		 struct err *e);
/* {"step", "result", "deviation"?, "incident"?: bool, "impact"?, "urgency"?} */
int op_run_step(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e);
int op_run_confirm(struct store *st, const struct actor *a, const char *key,
		   const char *step, json_t **out, struct err *e);
/* {"reason"} */
int op_run_abandon(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
int op_run_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		    struct err *e);
/* Query: status, job, limit, cursor. */
int op_run_list_json(struct store *st, const struct actor *a, const json_t *query,
		     json_t **out, struct err *e);

/* ---- shared by operation's files -------------------------------------- */

/* ERR_FORBIDDEN for requesters and event tokens (all), and for staff below
 * manager when manage is set. */
int op_actor_check(const struct actor *a, int manage, struct err *e);
/* Append the audit record of a write to entity (change consumed; NULL
 * means out of memory). */
int op_audit(struct store_tx *tx, const struct actor *a, const char *action,
	     const char *entity, json_t *change, struct err *e);
/* A version's steps (text stored) parsed; NULL when out of memory or bad. */
json_t *op_steps_parse(const char *text);

/* The forms the audit log records as "after" (new references): a procedure
 * with every version, a job, a run with every step; and the scan of every
 * stored procedure, job and run in those forms for audit_verify
 * (operation_state.c). */
int op_procedure_state_json(struct store *st, const struct op_procedure *p, json_t **out,
			    struct err *e);
json_t *op_job_to_json(const struct op_job *j);
int op_run_state_json(struct store *st, const char *key, json_t **out, struct err *e);
int op_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
