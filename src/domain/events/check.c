/*
 * check.c — check definitions, the soft/hard state machine, and running one
 * check: expand its command template (check_command.h) into an argument
 * vector, spawn the plugin (lib/proc.h), parse what it says (plugin.h),
 * store its new state and performance data, and feed a HARD state change
 * through the event correlation — all in one write.
 *
 * A check names a command template the configuration defines and gives its
 * arguments; it never names a program. A check stored before templates
 * (migration 008) keeps its raw argument vector and runs only while that
 * program resolves inside a plugin directory; otherwise its next run
 * disables it, records why as its (hard, unknown) result, raises the alert
 * and writes a check.disable audit record, in one write.
 *
 * A result becomes an event only on a HARD state change (a problem that
 * repeated max_attempts times, a change between problem states, or a
 * recovery), as Nagios and Icinga do, so a soft blip opens nothing.
 * Plugin states map to event severities: ok → ok (resolve), warning →
 * warning, critical → critical, unknown → warning (a check that cannot
 * tell is not evidence of an outage; it stays visible as an alert).
 */
#include "domain/platform/audit.h"
#include "domain/events/check.h"
#include "domain/events/check_command.h"
#include "domain/cmdb/cmdb.h"
#include "domain/events/correlate.h"
#include "domain/events/event.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

_Atomic uint64_t check_runs[4];
_Atomic uint64_t check_latency_ms_sum;
_Atomic uint64_t check_latency_buckets[8];
_Atomic int64_t check_running;
const double check_latency_bounds[7] = { 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

json_t *check_to_json(const struct check *c)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "name", json_string(c->name));
	json_object_set_new(j, "ci", json_string(c->ci));
	if (c->legacy_argv) {
		json_object_set_new(j, "command", json_null());
		json_object_set(j, "legacy_command", c->legacy_argv);
	} else {
		json_object_set_new(j, "command", json_string(c->command));
	}
	if (c->args)
		json_object_set(j, "args", c->args);
	else
		json_object_set_new(j, "args", json_array());
	json_object_set_new(j, "interval_seconds", json_integer(c->interval_s));
	json_object_set_new(j, "retry_seconds", json_integer(c->retry_s));
	json_object_set_new(j, "max_attempts", json_integer(c->max_attempts));
	json_object_set_new(j, "timeout_seconds", json_integer(c->timeout_s));
	json_object_set_new(j, "enabled", json_boolean(c->enabled));
	json_object_set_new(j, "state",
			    json_string(c->pending ? "pending" : plugin_state_name(c->state)));
	json_object_set_new(j, "state_type", json_string(c->hard ? "hard" : "soft"));
	json_object_set_new(j, "hard_state", json_string(plugin_state_name(c->hard_state)));
	json_object_set_new(j, "attempt", json_integer(c->attempt));
	jx_set_time(j, "last_run", c->last_run);
	jx_set_time(j, "next_run", c->next_run);
	json_object_set_new(j, "last_output", json_string(c->last_output ? c->last_output : ""));
	if (c->last_run)
		json_object_set_new(j, "last_exit", json_integer(c->last_exit));
	else
		json_object_set_new(j, "last_exit", json_null());
	json_object_set_new(j, "last_duration_ms", json_integer(c->last_duration_ms));
	jx_set_time(j, "created_at", c->created_at);
	json_object_set_new(j, "version", json_integer(c->version));
	return j;
}

int check_apply_result(struct check *c, enum plugin_state result, int64_t now)
{
	int was_pending = c->pending;

	c->pending = 0;
	if (result == PLUGIN_OK) {
		/* Only an announced (hard) problem recovers; a soft one was
		 * never announced. */
		int change = c->hard_state != PLUGIN_OK;
		c->state = PLUGIN_OK;
		c->hard = 1;
		c->hard_state = PLUGIN_OK;
		c->attempt = 1;
		c->next_run = now + c->interval_s;
		return change;
	}
	if (c->hard && c->hard_state != PLUGIN_OK) {
		/* An announced problem goes on: recheck at the normal interval. */
		int change = result != c->hard_state;

		c->state = result;
		c->hard_state = result;
		c->attempt = c->max_attempts;
		c->next_run = now + c->interval_s;
		return change;
	}
	if (c->hard || c->state == PLUGIN_OK || was_pending)
		c->attempt = 1;
	else
		c->attempt++;
	c->state = result;
	if (c->attempt >= c->max_attempts) {
		c->hard = 1;
		c->hard_state = result;
		c->next_run = now + c->interval_s;
		return 1;
	}
	c->hard = 0;
	c->next_run = now + c->retry_s;
	return 0;
}

/* ---- create, read, delete ---- */

static int valid_name(const char *s)
{
	return ident_valid(s, 63, IDENT_PUNCT);
}

static int may(const struct actor *a, int write, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff %s checks",
			       write ? "configure" : "read");
	if (write && a->role == ROLE_AGENT)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only operators, managers and admins configure checks");
	return 0;
}

struct write_ctx {
	const struct actor *a;
	const json_t *in;
	struct check c;
	const char *ci;
	json_t *after;
	/* run */
	int disable; /* a stored argument vector that may not run: disable */
	enum plugin_state result;
	struct plugin_output po;
	struct proc_result pr;
	int64_t now;
};

/* The "command" field: the name of a command template. */
static int command_name(const json_t *cmd, const char **name, struct err *e)
{
	if (json_is_array(cmd))
		return err_set(e, ERR_INVALID, "command",
			       "command must name a command template of the configuration "
			       "([commands]); a check no longer gives a program and its arguments");
	if (!json_is_string(cmd) || !json_string_length(cmd))
		return err_set(e, ERR_INVALID, "command",
			       "command must name a command template of the configuration "
			       "([commands])");
	*name = json_string_value(cmd);
	return 0;
}

/* Set c's command to the template name with args (NULL or null: none),
 * both checked against the installed templates. */
static int set_command(struct check *c, const char *name, const json_t *args, struct err *e)
{
	int rc;

	if (args && json_is_null(args))
		args = NULL;
	if ((rc = check_command_validate(name, args, e)))
		return rc;
	if (name != c->command)
		snprintf(c->command, sizeof(c->command), "%s", name);
	json_decref(c->args);
	c->args = args ? json_deep_copy(args) : json_array();
	json_decref(c->legacy_argv);
	c->legacy_argv = NULL;
	return 0;
}

/* The program of a check stored before templates ("" when it has none). */
static const char *legacy_program(const struct check *c)
{
	const char *p = json_string_value(json_array_get(c->legacy_argv, 0));

	return p ? p : "";
}

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ci ci;
	char entity[80];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->cmdb->ci_get(tx->st, tx, 0, w->ci, &ci, e)))
		return err_absent(e, rc, ERR_INVALID, "ci", "unknown item '%s'", w->ci);
	w->c.ci_id = ci.id;
	snprintf(w->c.ci, sizeof(w->c.ci), "%s", ci.key);
	ci_release(&ci);
	w->c.created_at = w->c.updated_at = clock_now();
	w->c.next_run = w->c.created_at;
	if ((rc = tx->st->ops->cmdb->check_insert(tx, &w->c, e)))
		return rc;
	w->after = check_to_json(&w->c);
	snprintf(entity, sizeof(entity), "check:%s", w->c.name);
	change = json_pack("{s:O, s:O}", "set", w->in, "after", w->after);
	rc = audit_append(tx, w->a, "check.create", entity, change, e);
	json_decref(change);
	return rc;
}

static int int_field(const json_t *in, const char *k, int64_t min, int64_t max, int def,
		     int *out, struct err *e)
{
	int64_t v;
	int rc = jx_int(in, k, JX_OPTIONAL, min, max, &v, e);

	if (rc < 0)
		return rc;
	*out = rc == 0 ? (int)v : def;
	return 0;
}

int check_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		 struct err *e)
{
	static const char *const fields[] = { "name",	      "ci",	       "command",
					      "args",		  "interval_seconds", "retry_seconds",
					      "max_attempts",	  "timeout_seconds",  "enabled",
					      NULL };
	struct write_ctx w = { .a = a, .in = in };
	const char *name, *command;
	int rc;

	if ((rc = may(a, 1, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_str(in, "name", JX_REQUIRED, 63, &name, e)) ||
	    (rc = jx_str(in, "ci", JX_REQUIRED, CI_KEY_MAX, &w.ci, e)))
		return rc;
	if (!valid_name(name))
		return err_set(e, ERR_INVALID, "name",
			       "malformed check name '%s' (letters, digits, '.', '-', '_')", name);
	if ((rc = command_name(json_object_get(in, "command"), &command, e)) ||
	    (rc = set_command(&w.c, command, json_object_get(in, "args"), e)))
		goto out;
	snprintf(w.c.name, sizeof(w.c.name), "%s", name);
	w.c.enabled = 1;
	if ((rc = int_field(in, "interval_seconds", 1, 86400, 60, &w.c.interval_s, e)) ||
	    (rc = int_field(in, "retry_seconds", 1, 86400, w.c.interval_s, &w.c.retry_s, e)) ||
	    (rc = int_field(in, "max_attempts", 1, 20, 3, &w.c.max_attempts, e)) ||
	    (rc = int_field(in, "timeout_seconds", 1, 3600, 10, &w.c.timeout_s, e)) ||
	    (rc = jx_bool(in, "enabled", JX_OPTIONAL, &w.c.enabled, e)) < 0)
		goto out;
	w.c.pending = 1;
	w.c.hard = 1;
	w.c.hard_state = PLUGIN_OK;
	rc = store_write(st, do_create, &w, e);
	if (!rc) {
		*out = w.after;
		w.after = NULL;
	}
out:
	json_decref(w.after);
	check_release(&w.c);
	return rc < 0 ? rc : 0;
}

int check_list_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	struct check *items;
	size_t n;
	json_t *arr;
	int rc;

	if ((rc = may(a, 0, e)) || (rc = st->ops->cmdb->check_list(st, &items, &n, e)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, check_to_json(&items[i]));
	check_free_array(items, n);
	*out = json_pack("{s:o, s:n}", "items", arr, "next_cursor");
	return 0;
}

int check_commands_list_json(struct store *st, const struct actor *a, json_t **out,
			     struct err *e)
{
	int rc;

	if ((rc = may(a, 0, e)))
		return rc;
	*out = check_commands_json();
	return 0;
}

int check_get_json(struct store *st, const struct actor *a, const char *name, json_t **out,
		   struct err *e)
{
	struct check c;
	int rc;

	if ((rc = may(a, 0, e)) || (rc = st->ops->cmdb->check_get(st, NULL, name, &c, e)))
		return rc;
	*out = check_to_json(&c);
	check_release(&c);
	return 0;
}

static int do_delete(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	char entity[80];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->cmdb->check_get(tx->st, tx, w->ci, &w->c, e)) ||
	    (rc = tx->st->ops->cmdb->check_delete(tx, w->c.id, e)))
		return rc;
	snprintf(entity, sizeof(entity), "check:%s", w->c.name);
	change = json_pack("{s:n}", "after");
	rc = audit_append(tx, w->a, "check.delete", entity, change, e);
	json_decref(change);
	return rc;
}

int check_delete(struct store *st, const struct actor *a, const char *name, struct err *e)
{
	struct write_ctx w = { .a = a, .ci = name };
	int rc;

	if ((rc = may(a, 1, e)))
		return rc;
	rc = store_write(st, do_delete, &w, e);
	check_release(&w.c);
	return rc;
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct check *c = &w->c;
	int64_t version;
	char entity[80], path[PATH_MAX];
	json_t *cmd, *args, *change;
	const char *command;
	int rc;

	if ((rc = tx->st->ops->cmdb->check_get(tx->st, tx, w->ci, c, e)))
		return rc;
	jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	if (version != c->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "check '%s' is at version %lld, not %lld: reload and retry", c->name,
			       (long long)c->version, (long long)version);
	cmd = json_object_get(w->in, "command");
	args = json_object_get(w->in, "args");
	if (cmd || args) {
		/* A new template takes its own arguments (none when not given);
		 * new arguments go to the template the check has. */
		if (cmd && (rc = command_name(cmd, &command, e)))
			return rc;
		if (!cmd && c->legacy_argv)
			return err_set(e, ERR_INVALID, "command",
				       "check '%s' has no command template: give command with its args",
				       c->name);
		if ((rc = set_command(c, cmd ? command : c->command, args, e)))
			return rc;
	}
	if ((rc = int_field(w->in, "interval_seconds", 1, 86400, c->interval_s, &c->interval_s,
			    e)) ||
	    (rc = int_field(w->in, "retry_seconds", 1, 86400, c->retry_s, &c->retry_s, e)) ||
	    (rc = int_field(w->in, "max_attempts", 1, 20, c->max_attempts, &c->max_attempts, e)) ||
	    (rc = int_field(w->in, "timeout_seconds", 1, 3600, c->timeout_s, &c->timeout_s, e)) ||
	    (rc = jx_bool(w->in, "enabled", JX_OPTIONAL, &c->enabled, e)) < 0)
		return rc;
	if (c->legacy_argv && c->enabled) {
		struct err why = { 0 };

		if (check_plugin_resolve(legacy_program(c), path, sizeof(path), &why))
			return err_set(e, ERR_INVALID, "command",
				       "check '%s' has no command template and may not run: %s; "
				       "give it a command, or disable it",
				       c->name, why.msg);
	}
	c->updated_at = c->next_run = clock_now();
	c->version++;
	if ((rc = tx->st->ops->cmdb->check_update(tx, c, e)))
		return rc;
	w->after = check_to_json(c);
	snprintf(entity, sizeof(entity), "check:%s", c->name);
	change = json_pack("{s:O, s:O}", "set", w->in, "after", w->after);
	rc = audit_append(tx, w->a, "check.update", entity, change, e);
	json_decref(change);
	return rc;
}

int check_update(struct store *st, const struct actor *a, const char *name, const json_t *in,
		 json_t **out, struct err *e)
{
	static const char *const fields[] = { "version",	 "command",	 "args",
					      "interval_seconds", "retry_seconds", "max_attempts",
					      "timeout_seconds",  "enabled",	 NULL };
	struct write_ctx w = { .a = a, .in = in, .ci = name };
	int64_t version;
	int rc;

	if ((rc = may(a, 1, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &version, e)))
		return rc;
	rc = store_write(st, do_update, &w, e);
	if (!rc) {
		*out = w.after;
		w.after = NULL;
	}
	json_decref(w.after);
	check_release(&w.c);
	return rc;
}

/* ---- running ---- */

static const char *const severity_of_state[] = { "ok", "warning", "critical", "warning" };

/* The event a HARD state change makes, through the same parser as the API. */
static int result_event(const struct write_ctx *w, const struct check *c, struct event *ev,
			struct err *e)
{
	char at[RFC3339_LEN], dedup[96];
	json_t *j, *details;
	int rc;

	time_format_rfc3339(w->now, at);
	snprintf(dedup, sizeof(dedup), "check::%s", c->name);
	details = json_pack("{s:i, s:s, s:s, s:i, s:s, s:I, s:b}", "exit_code", w->pr.exit_code,
			    "state", plugin_state_name(w->result), "long_output", w->po.long_text,
			    "attempt", c->attempt, "perfdata", w->po.perfdata, "duration_ms",
			    (json_int_t)w->pr.duration_ms, "timed_out", w->pr.timed_out);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "source", "itsm-check",
		      "resource", c->ci, "check", c->name, "severity",
		      severity_of_state[w->result & 3], "summary",
		      w->po.short_text[0] ? w->po.short_text : plugin_state_name(w->result),
		      "dedup_key", dedup, "details", details, "at", at);
	rc = event_parse(j, ev, e);
	json_decref(j);
	return rc;
}

static int do_result(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	const struct store_cmdb_ops *ops = tx->st->ops->cmdb;
	struct check *c = &w->c;
	struct event ev;
	struct actor sys;
	enum plugin_state hard_before;
	int rc, hard_change, was_hard;

	/* Re-read: the check may have been changed or deleted meanwhile. */
	check_release(c);
	if ((rc = ops->check_get(tx->st, tx, w->ci, c, e)))
		return rc;
	if (w->disable && !c->legacy_argv)
		return 0; /* given a command template meanwhile: nothing to disable */
	hard_before = c->hard_state;
	was_hard = c->hard;
	hard_change = check_apply_result(c, w->result, w->now);
	if (w->disable) {
		/* Not a blip to confirm: the check will not run again. */
		hard_change = !(was_hard && hard_before == PLUGIN_UNKNOWN);
		c->hard = 1;
		c->hard_state = PLUGIN_UNKNOWN;
		c->attempt = c->max_attempts;
		c->enabled = 0;
	}
	c->last_run = w->now;
	c->updated_at = w->now;
	c->last_exit = w->pr.exit_code;
	c->last_duration_ms = w->pr.duration_ms;
	free(c->last_output);
	c->last_output = strdup(w->po.short_text ? w->po.short_text : "");
	if ((rc = ops->check_save_state(tx, c, e)))
		return rc;
	if (w->disable) {
		char entity[80];
		json_t *change;

		c->version++;
		if ((rc = ops->check_update(tx, c, e)))
			return rc;
		snprintf(entity, sizeof(entity), "check:%s", c->name);
		change = json_pack("{s:{s:b}, s:s, s:o}", "set", "enabled", 0, "reason",
				   c->last_output, "after", check_to_json(c));
		rc = audit_append(tx, w->a, "check.disable", entity, change, e);
		json_decref(change);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < w->po.nperf; i++) {
		const struct plugin_perf *p = &w->po.perf[i];
		char name[160];

		if (!p->value_known)
			continue;
		snprintf(name, sizeof(name), "%s/%s", c->name, p->label);
		if ((rc = ops->metric_insert(tx, c->ci_id, name, w->now, p->value, p->uom, e)))
			return rc;
	}
	if (!hard_change)
		return 0;
	memset(&ev, 0, sizeof(ev));
	if ((rc = result_event(w, c, &ev, e)))
		return rc;
	actor_system(&sys, "monitoring");
	{
		enum correlate_outcome o;

		rc = correlate_ingest_tx(tx, &sys, &ev, 1, &o, e);
		if (!rc)
			intake_count(INTAKE_SRC_CHECKS, &o, 1, 0);
	}
	event_release(&ev);
	return rc;
}

static void count_run(enum plugin_state s, int64_t ms)
{
	double sec = (double)ms / 1000;
	int b = 0;

	atomic_fetch_add(&check_runs[s & 3], 1);
	atomic_fetch_add(&check_latency_ms_sum, (uint64_t)(ms > 0 ? ms : 0));
	while (b < 7 && sec > check_latency_bounds[b])
		b++;
	atomic_fetch_add(&check_latency_buckets[b], 1);
}

/* The argument vector c runs (one allocation; free()), or why it may not
 * run. A check stored before templates runs its vector only while its
 * program resolves inside a plugin directory. */
static int check_argv(struct store *st, const struct check *c, char ***argv, struct err *e)
{
	char path[PATH_MAX];
	size_t n;
	char **v, *data;
	int rc;

	if (!c->legacy_argv) {
		struct check_macros m = { c->ci, c->ci };
		struct ci ci;
		const char *addr;

		if ((rc = st->ops->cmdb->ci_get(st, NULL, c->ci_id, NULL, &ci, e)))
			return rc;
		addr = json_string_value(json_object_get(ci.attributes, "address"));
		if (addr && *addr)
			m.hostaddress = addr;
		rc = check_command_argv(c->command, c->args, &m, argv, e);
		ci_release(&ci);
		return rc;
	}
	n = json_array_size(c->legacy_argv);
	if (!n || (rc = check_plugin_resolve(legacy_program(c), path, sizeof(path), e)))
		return n ? rc : err_set(e, ERR_INVALID, "command", "the check has no command");
	if (!(v = malloc((n + 1) * sizeof(*v) + strlen(path) + 1)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	data = (char *)(v + n + 1);
	memcpy(data, path, strlen(path) + 1);
	v[0] = data;
	for (size_t i = 1; i < n; i++) {
		const char *arg = json_string_value(json_array_get(c->legacy_argv, i));

		v[i] = (char *)(arg ? arg : "");
	}
	v[n] = NULL;
	*argv = v;
	return 0;
}

/* What a check that may not run records as its result. */
static int not_run(struct write_ctx *w, const struct err *why)
{
	memset(&w->pr, 0, sizeof(w->pr));
	w->pr.exit_code = PLUGIN_UNKNOWN;
	w->result = PLUGIN_UNKNOWN;
	if (asprintf(&w->pr.out, "UNKNOWN - not run: %s%s", why->msg,
		     w->disable ? " (check disabled: give it a command template)" : "") < 0)
		w->pr.out = NULL;
	w->pr.out_len = w->pr.out ? strlen(w->pr.out) : 0;
	w->pr.errout = strdup("");
	return w->pr.out && w->pr.errout ? 0 : ERR_INTERNAL;
}

int check_run_now(struct store *st, const struct actor *a, const char *name, json_t **out,
		  struct err *e)
{
	struct write_ctx w = { .a = a, .ci = name };
	struct err why = { 0 };
	char **argv = NULL;
	int rc;

	/* Running a check starts a process and records its result: the same
	 * right as configuring checks. */
	if ((rc = may(a, 1, e)))
		return rc;

	if ((rc = st->ops->cmdb->check_get(st, NULL, name, &w.c, e)))
		return rc;
	if ((rc = check_argv(st, &w.c, &argv, &why))) {
		if (rc != ERR_INVALID) {
			check_release(&w.c);
			if (e)
				*e = why;
			return rc;
		}
		/* A template the configuration no longer defines may come back
		 * with it; a stored vector outside the plugin directories will not. */
		w.disable = w.c.legacy_argv != NULL;
		log_warn("msg=\"check not run\" check=%s disabled=%d err=%s", LOG_STR(name),
			 w.disable, LOG_STR(why.msg));
		if (not_run(&w, &why)) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
		w.now = clock_now();
	} else {
		atomic_fetch_add(&check_running, 1);
		rc = proc_run(argv, w.c.timeout_s * 1000, &w.pr, e);
		atomic_fetch_sub(&check_running, 1);
		if (rc)
			goto out;
		w.now = clock_now();
		if (w.pr.timed_out) {
			w.result = PLUGIN_UNKNOWN;
			free(w.pr.out);
			w.pr.out = NULL;
			if (asprintf(&w.pr.out, "UNKNOWN - plugin timed out after %d s and was killed",
				     w.c.timeout_s) < 0)
				w.pr.out = NULL;
			w.pr.out_len = w.pr.out ? strlen(w.pr.out) : 0;
		} else {
			w.result = plugin_state_from_exit(w.pr.exit_code);
		}
		if (w.pr.exit_code == 127 || w.pr.exit_code == 126) {
			free(w.pr.out);
			if (asprintf(&w.pr.out, "UNKNOWN - cannot run '%s': %s", argv[0],
				     w.pr.errout ? w.pr.errout : "") < 0)
				w.pr.out = NULL;
			w.pr.out_len = w.pr.out ? strlen(w.pr.out) : 0;
		}
	}
	rc = plugin_output_parse(w.pr.out ? w.pr.out : "", w.pr.out ? w.pr.out_len : 0, &w.po, e);
	if (!rc) {
		count_run(w.result, w.pr.duration_ms);
		rc = store_write(st, do_result, &w, e);
	}
	if (!rc && out)
		*out = check_to_json(&w.c);
	plugin_output_release(&w.po);
out:
	free(argv);
	proc_result_release(&w.pr);
	check_release(&w.c);
	return rc;
}
