/*
 * acceptance.h — operational acceptance for production migration: a
 * checklist (ACC-n) per system entering production, tied to a catalogue
 * service and/or CMDB items, whose criteria (copied from the templates of
 * acceptance_rules.c, or written for the one checklist) are met by evidence
 * found in itsm — a check, a published procedure, a backup run, an SLA —
 * or by a manual note naming who recorded it; a migration plan (steps with
 * owners and times, and the rollback); and the go/no-go of a manager.
 *
 * Invariants kept here and nowhere else:
 *  - a checklist names a service in the catalogue or at least one stored
 *    item (ERR_INVALID naming the entry at fault);
 *  - automatic evidence is read from the store each time a checklist is
 *    read and never stored, except as the snapshot a decision saw;
 *  - go is refused (ERR_TRANSITION on "criteria.CODE") while a mandatory
 *    criterion lacks evidence, and (on "plan") while there is no plan with
 *    a step and a rollback; no-go needs a reason; a checklist decided go is
 *    final (any change ERR_TRANSITION);
 *  - every write names the checklist's version it read (stale: ERR_CONFLICT
 *    on "version"), bumps it, and appends the audit record "acceptance:KEY"
 *    whose "after" is the stored checklist, in the same store_write, so a
 *    refused request leaves nothing.
 */
#ifndef ITSM_DOMAIN_ACCEPTANCE_H
#define ITSM_DOMAIN_ACCEPTANCE_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;

/* ---- the rules (acceptance_rules.c), pure ---- */

/* How a criterion's evidence is found. */
enum acc_rule {
	ACC_RULE_CHECK,     /* an enabled check on every item (or on an item of the service) */
	ACC_RULE_PROCEDURE, /* a published procedure names an item or the service */
	ACC_RULE_BACKUP,    /* a backup procedure's run completed without deviation lately */
	ACC_RULE_SLA,       /* an active SLA of a customer covers the service */
	ACC_RULE_MANUAL,    /* a note someone recorded */
	ACC_RULE__COUNT
};

enum acc_status { ACC_OPEN, ACC_GO, ACC_NO_GO, ACC_STATUS__COUNT };

struct acc_template {
	const char *code, *title;
	enum acc_rule rule;
	int mandatory;
	int days; /* ACC_RULE_BACKUP: how recent the run must be */
};

#define ACC_BACKUP_DAYS 30
#define ACC_DAYS_MAX 3650

const char *acc_rule_name(enum acc_rule r);
int acc_rule_parse(const char *name, enum acc_rule *out);
/* What the rule asks, in a sentence (for the answer and the docs). */
const char *acc_rule_text(enum acc_rule r);
const char *acc_status_name(enum acc_status s);
int acc_status_parse(const char *name, enum acc_status *out);
/* The templates in order, ending with a NULL code. */
const struct acc_template *acc_templates(void);
const struct acc_template *acc_template_find(const char *code);
/* A criterion code: 1-32 of a-z, 0-9 and _, starting with a letter. */
int acc_code_valid(const char *code);

/* ---- the operations (acceptance.c); each returns 0 and a new reference
 * in *out, or a negative ERR_* with e filled and nothing stored ---- */

/* {"items": [templates]} (staff). */
int acc_criteria_json(struct store *st, const struct actor *a, json_t **out, struct err *e);
/* {"title", "description", "service", "items", "criteria"} (managers). */
int acc_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	    struct err *e);
/* The checklist with each criterion's evidence found now (staff). */
int acc_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		 struct err *e);
/* Query: status, service, cursor, limit (staff). */
int acc_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		  struct err *e);
/* PATCH {"version", "title", "description", "service", "items", "criteria"}
 * (managers); notes stay with the criteria whose code remains. */
int acc_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
	       json_t **out, struct err *e);
/* {"version", "criterion", "note", "link"?}: a manual evidence note on a
 * manual criterion, the link an article (KB-n) or procedure (PROC-n) of
 * itsm that must exist (staff). */
int acc_evidence(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e);
/* {"version", "steps": [{"title", "owner", "at"}], "rollback"} replaces the
 * migration plan (managers). */
int acc_plan(struct store *st, const struct actor *a, const char *key, const json_t *in,
	     json_t **out, struct err *e);
/* {"version", "decision": "go"|"no_go", "reason"} (managers). */
int acc_decide(struct store *st, const struct actor *a, const char *key, const json_t *in,
	       json_t **out, struct err *e);

/* What the skills evidence shows of a user (not an operation: no actor
 * check, the caller's is): {"decisions", "go", "no_go", "recent": [{"key",
 * "title", "decision", "at"}, newest first, at most 5]} of the go/no-go
 * decisions recorded by username. A new reference in *out. */
int acc_decisions_by(struct store *st, const char *username, json_t **out, struct err *e);

/* Every stored checklist ("acceptance:KEY") in the form the audit log
 * records it, for audit_verify. */
int acc_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* ---- the evidence (acceptance_evidence.c) ---- */

/* Fill each criterion of the stored criteria array with "met", "evidence"
 * ([{"source", "ref", "target", "at"}]) and, when not met, "missing" (a
 * sentence), as found in the store at now (tx: inside a write, or NULL). */
int acc_evidence_eval(struct store *st, struct store_tx *tx, const char *service,
		      const json_t *items, json_t *criteria, int64_t now, struct err *e);

#endif
