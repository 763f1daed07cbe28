/*
 * staff.h — stored staff for the skill module: a record per person, the
 * career records they declare, a manager's verification of each, the
 * append-only history of assessments, and the team skill map.
 *
 * The assessment itself is skill.h's pure engine; this module keeps what it
 * reads (a profile composed from the stored records) and what it answered.
 *
 * Invariants kept here and nowhere else:
 *  - a career is added declared and unverified, and is validated with
 *    skill_validate_career before anything is stored; only a manager or an
 *    admin verifies it, never on their own record, and the verifier and the
 *    time are recorded once (a second verification is a conflict);
 *  - the profile part of a staff record (exams, succession, specialty,
 *    develops_subordinates, note) changes only through staff_update with the
 *    current version (a stale one is ERR_CONFLICT);
 *  - an assessment row is written once, never changed or deleted (the store
 *    refuses both): time, assessor, rules_version, the input profile, its
 *    BLAKE2b-256 hash, the declared and verified results and an optional
 *    decided level with a note;
 *  - every write appends an audit record for "staff:KEY" in its own
 *    transaction;
 *  - who may do what: managers and admins (and the CLI's system actor)
 *    manage every record; agents and operators read their own record (the
 *    one linked to their user), add careers to it and read its history, and
 *    see no other ("not found"); requesters are refused outright.
 *  - evidence from itsm's own records (the linked user's role, since when,
 *    tickets handled) is shown beside the declared careers and never counted.
 */
#ifndef ITSM_DOMAIN_STAFF_H
#define ITSM_DOMAIN_STAFF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "model/skills.h"
#include "lib/err.h"

struct store;

/* ---- pure helpers (exposed for the unit tests) ---------------------- */

int staff_key_valid(const char *key);
/* Normalise a group list (a JSON array of names, or NULL for none) into
 * "a,b,c" in out (n bytes); ERR_INVALID naming the item at fault. */
int staff_groups_parse(const json_t *arr, char *out, size_t n, struct err *e);
/* The profile the engine reads for s with its careers (id order), as of
 * as_of_days; a new reference the caller json_decref()s, NULL when out of
 * memory. */
json_t *staff_profile_compose(const struct staff *s, const struct staff_career *c, size_t n,
			      int64_t as_of_days);
/* hex BLAKE2b-256 of the canonical form (sorted keys, compact) of j. */
int staff_hash_json(const json_t *j, char out[65]);

/* ---- operations ------------------------------------------------------ */

/* Each returns 0 and a new JSON reference in *out (caller json_decref()s),
 * or a negative ERR_* with e filled in and nothing changed. */

/* {"key", "name", "groups": [...], "user": USERNAME|null, "exams", "succession",
 *  "specialty", "develops_subordinates", "note"} */
int staff_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	      struct err *e);
/* Query: group, cursor, limit → {"items": […], "next_cursor"}. */
int staff_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e);
/* The record with its careers and, when linked to a user, its evidence. */
int staff_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		   struct err *e);
/* PATCH: {"version", and any of name, groups, user, exams, succession,
 * specialty, develops_subordinates, note}. */
int staff_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e);
/* One career record (docs/skills.md), declared and unverified. */
int staff_career_add(struct store *st, const struct actor *a, const char *key,
		     const json_t *in, json_t **out, struct err *e);
int staff_career_verify(struct store *st, const struct actor *a, const char *key,
			const char *career_id, json_t **out, struct err *e);
/* {"as_of"?, "field"?, "level"?, "note"?} → the stored assessment row. */
int staff_assess(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e);
/* Query: cursor, limit → {"items": [rows, newest first], "next_cursor"}. */
int staff_assessments_json(struct store *st, const struct actor *a, const char *key,
			   const json_t *query, json_t **out, struct err *e);

/* Stateless self-diagnosis: assess a profile, store nothing. */
int staff_assess_profile(const struct actor *a, const json_t *profile, json_t **out,
			 struct err *e);
/* The team skill map. Query: group. */
int staff_skill_map_json(struct store *st, const struct actor *a, const json_t *query,
			 json_t **out, struct err *e);

/* ---- shared by staff*.c ------------------------------------------------ */

struct store_tx;


/* The record is the one linked to the actor's user. */
int staff_actor_is_self(const struct actor *a, const struct staff *s);
/* ERR_FORBIDDEN for requesters and event-only tokens, else 0. */
int staff_actor_check(const struct actor *a, struct err *e);
/* Load the record the actor may see (tx NULL to read outside a write):
 * ERR_NOT_FOUND for a record that does not exist or is not theirs. */
int staff_load_visible(struct store *st, struct store_tx *tx, const struct actor *a,
		       const char *key, struct staff *s, struct err *e);
json_t *staff_to_json(const struct staff *s);
/* The career as the API shows it: the declared keys plus id, verified,
 * verified_by, verified_at, declared_by, declared_at. */
json_t *staff_career_to_json(const struct staff_career *c);
/* Append the audit record of a write to "staff:KEY" (change is consumed;
 * NULL means out of memory). */
int staff_audit(struct store_tx *tx, const struct actor *a, const char *action,
		const char *key, json_t *change, struct err *e);
/* The forms the audit log records (new references) — a career with its
 * person's key and field ("career:ID"), an assessment in full with its
 * profile and result ("assessment:ID") — the audit record of a career's
 * write, and the scan of every stored person, career and assessment for
 * audit_verify (staff_state.c). */
json_t *staff_career_state_json(const struct staff_career *c, const char *staff_key);
json_t *staff_assessment_to_json(const struct staff_assessment *a, const char *key, int full);
json_t *staff_assessment_state_json(const struct staff_assessment *a, const char *key);
int staff_career_audit(struct store_tx *tx, const struct actor *a, const char *action,
		       const struct staff_career *c, const char *staff_key, struct err *e);
int staff_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* staff_profile.c: the profile part (exams, succession, specialty,
 * develops_subordinates, note). staff_part_load parses stored text (NULL
 * for none) into an object with every key (a new reference);
 * staff_part_apply validates the keys present in `in` and sets them into
 * part; staff_part_stamp sets the succession items' verification stamps
 * (old: the items stored before, or NULL; self: the record is the actor's,
 * who may not verify on it); staff_part_store writes part's canonical text
 * into s->profile. */
json_t *staff_part_load(const char *text);
int staff_part_apply(const json_t *in, json_t *part, struct err *e);
int staff_part_stamp(json_t *part, const json_t *old, const struct actor *a, int self,
		     int64_t now, struct err *e);
int staff_part_store(json_t *part, struct staff *s, struct err *e);

/* Days since 1970-01-01 of clock_now(). */
int64_t staff_today(void);
/* Read "limit" (1-500, default 50) from a query object. */
int staff_query_limit(const json_t *q, int *limit, struct err *e);

#endif
