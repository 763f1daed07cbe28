/*
 * check.h — Nagios-compatible active checks: definitions, the soft/hard
 * state machine, and the scheduler thread of `itsm serve`.
 *
 * Invariants:
 *  - a check names an existing item and a command template of the
 *    configuration with its arguments (check_command.h), expanded into an
 *    argument vector run without a shell (lib/proc.h); a check stored before
 *    templates runs its own vector only while its program lies inside a
 *    plugin directory, else its next run disables it; a plugin that
 *    outlives timeout_s is killed and the result is UNKNOWN;
 *  - a non-OK result is SOFT until it repeats max_attempts times (rechecked
 *    every retry_s), then HARD; recovery to OK is HARD at once; only HARD
 *    state changes (and HARD recoveries) become events, fed through the same
 *    correlation as the HTTP intake (correlate_ingest_tx) in the same write
 *    as the check's new state and its performance data;
 *  - the scheduler never runs more than `workers` plugins at once, never
 *    runs one check twice at the same time, and never blocks HTTP threads
 *    (it has threads of its own and writes through store_write).
 */
#ifndef ITSM_CHECK_H
#define ITSM_CHECK_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "domain/events/plugin.h"
#include "lib/err.h"

struct store;

json_t *check_to_json(const struct check *c);
/* The keys of check_to_json the audit log holds (NULL-terminated), and the
 * scan of every stored check ("check:NAME") for audit_verify
 * (check_state.c). */
extern const char *const check_state_keys[];
int check_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* The state machine: apply one result (state, at `now`) to c's state
 * fields (state, hard, hard_state, attempt, next_run). Returns 1 when the
 * result is a HARD state change that must become an event, else 0. */
int check_apply_result(struct check *c, enum plugin_state result, int64_t now);

/* {"name", "ci", "command": TEMPLATE, "args": [strings], "interval_seconds",
 * "retry_seconds", "max_attempts", "timeout_seconds", "enabled"}: an unknown
 * template is ERR_INVALID on "command", arguments that do not fit it on
 * "args". */
int check_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		 struct err *e);
int check_list_json(struct store *st, const struct actor *a, json_t **out, struct err *e);
int check_get_json(struct store *st, const struct actor *a, const char *name, json_t **out,
		   struct err *e);
int check_delete(struct store *st, const struct actor *a, const char *name, struct err *e);
/* {"version", "command", "args", "interval_seconds", "retry_seconds",
 * "max_attempts", "timeout_seconds", "enabled"}: a stale version is
 * ERR_CONFLICT. A new command takes the args given with it (none when not
 * given); args alone go to the check's template. A changed definition is
 * due at once. */
int check_update(struct store *st, const struct actor *a, const char *name, const json_t *in,
		 json_t **out, struct err *e);
/* Run one check now, in the calling thread, and store its result (the
 * CLI's `itsm check run NAME`, and the scheduler's workers). */
int check_run_now(struct store *st, const struct actor *a, const char *name, json_t **out,
		  struct err *e);

/* The command templates the configuration defines (staff): GET
 * /api/v1/check-commands, itsm check commands. */
int check_commands_list_json(struct store *st, const struct actor *a, json_t **out,
			     struct err *e);

/* Metrics of the performance data: GET /api/v1/cis/{key}/metrics. */
int metric_query_json(struct store *st, const struct actor *a, const char *ci_key,
		      const json_t *query, json_t **out, struct err *e);

/* ---- the scheduler ---- */
struct check_scheduler;
/* Start a scheduler thread with `workers` plugin runners (1..64); NULL with
 * e set on failure. Stop (waits for running plugins) and free. */
struct check_scheduler *check_scheduler_start(struct store *st, int workers, struct err *e);
void check_scheduler_stop(struct check_scheduler *s);

/* Counters for /metrics. */
extern _Atomic uint64_t check_runs[4];      /* by result state */
extern _Atomic uint64_t check_latency_ms_sum;
extern _Atomic uint64_t check_latency_buckets[8]; /* ≤0.1,0.25,0.5,1,2.5,5,10,+Inf s */
extern _Atomic int64_t check_running;
extern const double check_latency_bounds[7];

#endif
