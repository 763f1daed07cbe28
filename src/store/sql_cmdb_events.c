/*
 * sql_cmdb_events.c — the SQL store's monitoring operations (see
 * store_cmdb.h): alerts, the event log, the outages alerts started, open
 * incident counts, checks and performance data. The ops table is in
 * sql_cmdb.c.
 */
#include "lib/timeutil.h"
#include "store/sql_cmdb.h"

#include <stdlib.h>
#include <string.h>

#define ALERT_COLS                                                                          \
	"id, dedup_key, source, resource, check_name, ci_id, severity, state, flapping, count, " \
	"first_seen, last_seen, last_at, summary, incident_id, transitions, opened_at, closed_at"

static const char SQL_ALERT_BY_KEY[] = "SELECT " ALERT_COLS " FROM alerts WHERE dedup_key = ?1";
static const char SQL_ALERT_BY_ID[] = "SELECT " ALERT_COLS " FROM alerts WHERE id = ?1";
static const char SQL_ALERT_INSERT[] =
	"INSERT INTO alerts(dedup_key, source, resource, check_name, ci_id, severity, state, "
	"flapping, count, first_seen, last_seen, last_at, summary, incident_id, transitions, "
	"opened_at, closed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	"?15, ?16, ?17) RETURNING id";
static const char SQL_ALERT_UPDATE[] =
	"UPDATE alerts SET source = ?2, resource = ?3, check_name = ?4, ci_id = ?5, severity = ?6, "
	"state = ?7, flapping = ?8, count = ?9, first_seen = ?10, last_seen = ?11, last_at = ?12, "
	"summary = ?13, incident_id = ?14, transitions = ?15, opened_at = ?16, closed_at = ?17 "
	"WHERE id = ?1";
static const char SQL_ALERT_LIST[] =
	"SELECT a.id, a.dedup_key, a.source, a.resource, a.check_name, c.key, a.severity, a.state, "
	"a.flapping, a.count, a.first_seen, a.last_seen, a.summary, t.key, a.opened_at, "
	"a.closed_at FROM alerts a LEFT JOIN cis c ON c.id = a.ci_id "
	"LEFT JOIN tickets t ON t.id = a.incident_id "
	"WHERE (?1 < 0 OR (a.state = 'open') = (?1 = 1)) AND a.id > ?2 ORDER BY a.id LIMIT ?3";
static const char SQL_EVENT_INSERT[] =
	"INSERT INTO events(alert_id, received_at, at, source, severity, action, summary, outcome) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_EVENT_LIST[] =
	"SELECT received_at, at, source, severity, action, summary, outcome FROM events "
	"WHERE alert_id = ?1 ORDER BY id DESC LIMIT ?2";
static const char SQL_OUTAGE_INSERT[] =
	"INSERT INTO alert_outages(alert_id, service, ci_id, outage_id, started_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_OUTAGE_OPEN[] =
	"SELECT id, outage_id, service FROM alert_outages WHERE alert_id = ?1 AND ended_at IS NULL "
	"ORDER BY id";
static const char SQL_OUTAGE_END[] = "UPDATE alert_outages SET ended_at = ?2 WHERE id = ?1";
static const char SQL_OUTAGE_LIST[] =
	"SELECT o.id, o.service, c.key, o.outage_id, o.started_at, o.ended_at FROM alert_outages o "
	"LEFT JOIN cis c ON c.id = o.ci_id WHERE o.alert_id = ?1 OR ?1 = 0 ORDER BY o.id";
static const char SQL_INCIDENT_COUNTS[] =
	"SELECT priority, count(*) FROM tickets WHERE kind = 'incident' AND status NOT IN "
	"('resolved', 'closed', 'cancelled') GROUP BY priority";

#define CHECK_COLS                                                                          \
	"k.id, k.name, k.ci_id, c.key, k.command, k.interval_s, k.retry_s, k.max_attempts, "  \
	"k.timeout_s, k.enabled, k.state, k.state_type, k.hard_state, k.attempt, k.last_run, " \
	"k.next_run, k.last_output, k.last_exit, k.last_duration_ms, k.created_at, "          \
	"k.updated_at, k.version, k.template, k.args FROM checks k JOIN cis c ON c.id = k.ci_id"
static const char SQL_CHECK_INSERT[] =
	"INSERT INTO checks(name, ci_id, command, interval_s, retry_s, max_attempts, timeout_s, "
	"enabled, next_run, created_at, updated_at, template, args) VALUES(?1, ?2, ?3, ?4, ?5, "
	"?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12) RETURNING id";
static const char SQL_CHECK_GET[] = "SELECT " CHECK_COLS " WHERE k.name = ?1";
static const char SQL_CHECK_LIST[] = "SELECT " CHECK_COLS " ORDER BY k.name";
static const char SQL_CHECK_DUE[] =
	"SELECT " CHECK_COLS " WHERE k.enabled = 1 AND k.next_run <= ?1 ORDER BY k.next_run LIMIT ?2";
static const char SQL_CHECK_SAVE[] =
	"UPDATE checks SET state = ?2, state_type = ?3, hard_state = ?4, attempt = ?5, "
	"last_run = ?6, next_run = ?7, last_output = ?8, last_exit = ?9, last_duration_ms = ?10, "
	"updated_at = ?11 WHERE id = ?1";
static const char SQL_CHECK_DELETE[] = "DELETE FROM checks WHERE id = ?1";
static const char SQL_CHECK_UPDATE[] =
	"UPDATE checks SET command = ?2, interval_s = ?3, retry_s = ?4, max_attempts = ?5, "
	"timeout_s = ?6, enabled = ?7, next_run = ?8, updated_at = ?9, version = ?10, "
	"template = ?11, args = ?12 WHERE id = ?1 AND version = ?10 - 1";
static const char SQL_METRIC_INSERT[] =
	"INSERT INTO metrics(ci_id, name, at, value, uom) VALUES(?1, ?2, ?3, ?4, ?5) "
	"ON CONFLICT(ci_id, name, at) DO UPDATE SET value = excluded.value, uom = excluded.uom";
static const char SQL_METRIC_QUERY[] =
	"SELECT (at / ?5) * ?5 AS b, avg(value), min(value), max(value), count(*), max(uom) "
	"FROM metrics WHERE ci_id = ?1 AND name = ?2 AND at >= ?3 AND at <= ?4 "
	"GROUP BY b ORDER BY b";
static const char SQL_PRUNE_EVENTS[] = "DELETE FROM events WHERE received_at < ?1";
static const char SQL_PRUNE_METRICS[] = "DELETE FROM metrics WHERE at < ?1";
static const char SQL_METRIC_NAMES[] =
	"SELECT DISTINCT name FROM metrics WHERE ci_id = ?1 ORDER BY name";

/* A time column as RFC 3339 text, null for 0; NULL only when out of memory
 * (json_pack's "o" then fails the row). */
static json_t *time_col(struct db_stmt *s, int col)
{
	int64_t t = db_int(s, col);
	char b[RFC3339_LEN];

	if (!t)
		return json_null();
	time_format_rfc3339(t, b);
	return json_string(b);
}

/* A text column for json_pack's "s?": NULL (null) for SQL NULL. */
static const char *text_col(struct db_stmt *s, int col)
{
	return db_cstr(s, col);
}

/* ---- alerts ---- */

static int read_alert(struct db_stmt *s, void *item)
{
	struct alert *a = item;
	char sev[16], state[16], buf[ALERT_TRANSITIONS_MAX * 24];
	char *p, *end;

	memset(a, 0, sizeof(*a));
	a->id = db_int(s, 0);
	a->ci_id = db_int(s, 5);
	db_text(s, 6, sev, sizeof(sev));
	if (event_severity_parse(sev, &a->severity))
		a->severity = EVENT_INFO;
	db_text(s, 7, state, sizeof(state));
	a->open = !strcmp(state, "open");
	a->flapping = db_int(s, 8);
	a->count = db_int(s, 9);
	a->first_seen = db_int(s, 10);
	a->last_seen = db_int(s, 11);
	a->last_at = db_int(s, 12);
	a->incident_id = db_int(s, 14);
	db_text(s, 15, buf, sizeof(buf));
	for (p = buf; *p && a->n_transitions < ALERT_TRANSITIONS_MAX; p = end) {
		a->transitions[a->n_transitions++] = strtoll(p, &end, 10);
		if (end == p)
			break;
		if (*end == ',')
			end++;
	}
	a->opened_at = db_int(s, 16);
	a->closed_at = db_int(s, 17);
	return db_dup(s, 1, &a->dedup_key) || db_dup(s, 2, &a->source) ||
			       db_dup(s, 3, &a->resource) || db_dup(s, 4, &a->check_name) ||
			       db_dup(s, 13, &a->summary)
		       ? ERR_INTERNAL
		       : 0;
}

static void alert_drop(void *item)
{
	alert_release(item);
}

static const struct db_kind alert_kind = { sizeof(struct alert), read_alert, alert_drop };

int sqc_alert_get(struct store *st, struct store_tx *tx, int64_t id, const char *dedup_key,
		  struct alert *a, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc = db_one_by(c, SQL_ALERT_BY_KEY, SQL_ALERT_BY_ID, dedup_key, id, &alert_kind, a, e);

	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "alert not found");
}

static void bind_alert(struct db_stmt *s, const struct alert *a, char *buf, size_t n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < a->n_transitions && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%lld", i ? "," : "",
					(long long)a->transitions[i]);
	db_bind_str(s, 2, a->source);
	db_bind_str(s, 3, a->resource);
	db_bind_str(s, 4, a->check_name);
	db_bind_id(s, 5, a->ci_id);
	db_bind_str(s, 6, event_severity_name(a->severity));
	db_bind_str(s, 7, a->open ? "open" : "closed");
	db_bind_int(s, 8, a->flapping);
	db_bind_int(s, 9, a->count);
	db_bind_int(s, 10, a->first_seen);
	db_bind_int(s, 11, a->last_seen);
	db_bind_int(s, 12, a->last_at);
	db_bind_str(s, 13, a->summary);
	db_bind_id(s, 14, a->incident_id);
	db_bind_str(s, 15, buf);
	db_bind_id(s, 16, a->opened_at);
	db_bind_id(s, 17, a->closed_at);
}

int sqc_alert_insert(struct store_tx *tx, struct alert *a, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ALERT_INSERT, e);
	char buf[ALERT_TRANSITIONS_MAX * 24];
	int rc;

	bind_alert(s, a, buf, sizeof(buf));
	db_bind_str(s, 1, a->dedup_key);
	rc = db_insert(s, NULL, NULL, &a->id, e);
	return rc;
}

int sqc_alert_update(struct store_tx *tx, const struct alert *a, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ALERT_UPDATE, e);
	char buf[ALERT_TRANSITIONS_MAX * 24];

	bind_alert(s, a, buf, sizeof(buf));
	db_bind_int(s, 1, a->id);
	return db_done(s, NULL, NULL, e);
}

static json_t *alert_json(struct db_stmt *s)
{
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:b, s:I, s:o, s:o, "
			 "s:s?, s:s?, s:o, s:o}",
			 "id", (json_int_t)db_int(s, 0), "dedup_key", text_col(s, 1), "source",
			 text_col(s, 2), "resource", text_col(s, 3), "check", text_col(s, 4), "ci",
			 text_col(s, 5), "severity", text_col(s, 6), "state", text_col(s, 7),
			 "flapping", db_int(s, 8), "count", (json_int_t)db_int(s, 9),
			 "first_seen", time_col(s, 10), "last_seen", time_col(s, 11), "summary",
			 text_col(s, 12), "incident", text_col(s, 13), "opened_at", time_col(s, 14),
			 "closed_at", time_col(s, 15));
}

int sqc_alert_list(struct store *st, int state, int64_t after_id, int limit, json_t **items,
		   struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_ALERT_LIST, e);

	db_bind_int(s, 1, state);
	db_bind_int(s, 2, after_id);
	db_bind_int(s, 3, limit);
	return db_json(s, alert_json, items, e);
}

int sqc_event_insert(struct store_tx *tx, int64_t alert_id, int64_t received_at,
		     const struct event *ev, const char *outcome, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_EVENT_INSERT, e);

	db_bind_int(s, 1, alert_id);
	db_bind_int(s, 2, received_at);
	db_bind_int(s, 3, ev->at);
	db_bind_str(s, 4, ev->source);
	db_bind_str(s, 5, event_severity_name(ev->severity));
	db_bind_str(s, 6, event_action_name(ev->action));
	db_bind_str(s, 7, ev->summary);
	db_bind_str(s, 8, outcome);
	return db_done(s, NULL, NULL, e);
}

static json_t *event_json(struct db_stmt *s)
{
	return json_pack("{s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:s?}", "received_at", time_col(s, 0),
			 "at", time_col(s, 1), "source", text_col(s, 2), "severity", text_col(s, 3),
			 "action", text_col(s, 4), "summary", text_col(s, 5), "outcome",
			 text_col(s, 6));
}

int sqc_event_list(struct store *st, int64_t alert_id, int limit, json_t **items, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_EVENT_LIST, e);

	db_bind_int(s, 1, alert_id);
	db_bind_int(s, 2, limit);
	return db_json(s, event_json, items, e);
}

/* ---- outages started by alerts ---- */

int sqc_outage_insert(struct store_tx *tx, int64_t alert_id, const char *service, int64_t ci_id,
		      int64_t outage_id, int64_t start, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OUTAGE_INSERT, e);

	db_bind_int(s, 1, alert_id);
	db_bind_str(s, 2, service);
	db_bind_id(s, 3, ci_id);
	db_bind_id(s, 4, outage_id);
	db_bind_int(s, 5, start);
	return db_done(s, NULL, NULL, e);
}

static json_t *open_outage_json(struct db_stmt *s)
{
	return json_pack("{s:I, s:I, s:s}", "id", (json_int_t)db_int(s, 0), "outage_id",
			 (json_int_t)db_int(s, 1), "service", text_col(s, 2));
}

int sqc_outage_open_list(struct store *st, struct store_tx *tx, int64_t alert_id, json_t **items,
			 struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_OUTAGE_OPEN, e);

	db_bind_int(s, 1, alert_id);
	return db_json(s, open_outage_json, items, e);
}

int sqc_outage_end(struct store_tx *tx, int64_t id, int64_t end, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OUTAGE_END, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, end);
	return db_done(s, NULL, NULL, e);
}

static json_t *outage_json(struct db_stmt *s)
{
	int64_t outage = db_int(s, 3);

	return json_pack("{s:I, s:s?, s:s?, s:o, s:o, s:o, s:b}", "id", (json_int_t)db_int(s, 0),
			 "service", text_col(s, 1), "ci", text_col(s, 2), "outage_id",
			 outage ? json_integer(outage) : json_null(), "start", time_col(s, 4), "end",
			 time_col(s, 5), "planned", 0);
}

int sqc_outage_list(struct store *st, int64_t alert_id, json_t **items, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_OUTAGE_LIST, e);

	db_bind_int(s, 1, alert_id);
	return db_json(s, outage_json, items, e);
}

/* (priority, count) into counts[priority], priorities 1-5. */
static int priority_row(struct db_stmt *s, void *ctx)
{
	int64_t *counts = ctx;
	int p = db_int(s, 0);

	if (p >= 1 && p <= 5)
		counts[p] = db_int(s, 1);
	return 0;
}

int sqc_incident_counts(struct store *st, int64_t counts[6], struct err *e)
{
	memset(counts, 0, 6 * sizeof(counts[0]));
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_INCIDENT_COUNTS, e);

	return db_each(s, priority_row, counts, e);
}

/* ---- checks ---- */

static enum plugin_state state_parse(const char *s, int *pending)
{
	static const char *const names[] = { "ok", "warning", "critical", "unknown" };

	if (pending)
		*pending = !strcmp(s, "pending");
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return (enum plugin_state)i;
	return PLUGIN_OK;
}

static int read_check(struct db_stmt *s, void *item)
{
	struct check *k = item;
	const char *vector = db_cstr(s, 4);
	const char *args = db_cstr(s, 23);
	char buf[32];

	memset(k, 0, sizeof(*k));
	k->id = db_int(s, 0);
	db_text(s, 1, k->name, sizeof(k->name));
	k->ci_id = db_int(s, 2);
	db_text(s, 3, k->ci, sizeof(k->ci));
	k->interval_s = db_int(s, 5);
	k->retry_s = db_int(s, 6);
	k->max_attempts = db_int(s, 7);
	k->timeout_s = db_int(s, 8);
	k->enabled = db_int(s, 9);
	db_text(s, 10, buf, sizeof(buf));
	k->state = state_parse(buf, &k->pending);
	db_text(s, 11, buf, sizeof(buf));
	k->hard = !strcmp(buf, "hard");
	db_text(s, 12, buf, sizeof(buf));
	k->hard_state = state_parse(buf, NULL);
	k->attempt = db_int(s, 13);
	k->last_run = db_int(s, 14);
	k->next_run = db_int(s, 15);
	k->last_exit = db_is_null(s, 17) ? -1 : db_int(s, 17);
	k->last_duration_ms = db_int(s, 18);
	k->created_at = db_int(s, 19);
	k->updated_at = db_int(s, 20);
	k->version = db_int(s, 21);
	if (!db_is_null(s, 22))
		db_text(s, 22, k->command, sizeof(k->command));
	/* A vector in `command` makes a check legacy: one stored before
	 * templates (template NULL), or a row whose template check also holds a
	 * vector, which no write of itsm leaves ('[]'): it is read as it is
	 * stored, so it runs only the legacy way (inside a plugin directory or
	 * disabled) and audit_verify sees it differ from what was recorded. A
	 * vector or arguments that are not a JSON array read as empty ones. */
	if (db_is_null(s, 22) || !vector || strcmp(vector, "[]")) {
		k->legacy_argv = json_loads(vector ? vector : "", 0, NULL);
		if (!json_is_array(k->legacy_argv)) {
			json_decref(k->legacy_argv);
			k->legacy_argv = json_array();
		}
		if (!k->legacy_argv)
			return ERR_INTERNAL;
	}
	k->args = json_loads(args ? args : "", 0, NULL);
	if (!json_is_array(k->args)) {
		json_decref(k->args);
		k->args = json_array();
	}
	return !k->args || db_dup(s, 16, &k->last_output) ? ERR_INTERNAL : 0;
}

static void check_drop(void *item)
{
	check_release(item);
}

static const struct db_kind check_kind = { sizeof(struct check), read_check, check_drop };

/* The definition from ?first on: the legacy vector (or '[]'), interval,
 * retry, attempts, timeout, enabled, next run; and at ?tmpl and ?tmpl+1 the
 * template (NULL for a legacy check) and its arguments. The texts bound
 * are in *cmd and *args, which the caller frees. */
static int bind_check(struct db_stmt *s, int first, int tmpl, const struct check *k, char **cmd,
		      char **args, struct err *e)
{
	*cmd = k->legacy_argv ? json_dumps(k->legacy_argv, JSON_COMPACT) : strdup("[]");
	*args = json_dumps(k->args ? k->args : json_array(), JSON_COMPACT);
	if (!*cmd || !*args) {
		free(*cmd);
		free(*args);
		*cmd = *args = NULL;
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	db_bind_str(s, first, *cmd);
	db_bind_int(s, first + 1, k->interval_s);
	db_bind_int(s, first + 2, k->retry_s);
	db_bind_int(s, first + 3, k->max_attempts);
	db_bind_int(s, first + 4, k->timeout_s);
	db_bind_int(s, first + 5, k->enabled);
	db_bind_int(s, first + 6, k->next_run);
	if (k->legacy_argv)
		db_bind_null(s, tmpl, DB_TEXT);
	else
		db_bind_str(s, tmpl, k->command);
	db_bind_str(s, tmpl + 1, *args);
	return 0;
}

int sqc_check_insert(struct store_tx *tx, struct check *k, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CHECK_INSERT, e);
	char *cmd, *args;
	int rc;

	if ((rc = bind_check(s, 3, 11, k, &cmd, &args, e)))
		return rc;
	db_bind_str(s, 1, k->name);
	db_bind_int(s, 2, k->ci_id);
	db_bind_int(s, 10, k->created_at);
	rc = db_insert(s, NULL, NULL, &k->id, e);
	free(cmd);
	free(args);
	if (rc)
		return rc == ERR_CONFLICT
			       ? err_set(e, ERR_CONFLICT, "name", "a check named '%s' exists", k->name)
			       : rc;
	k->version = 1;
	return 0;
}

int sqc_check_get(struct store *st, struct store_tx *tx, const char *name, struct check *k,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_CHECK_GET, e);

	db_bind_str(s, 1, name);
	return err_absent(e, db_one(s, &check_kind, k, e), ERR_NOT_FOUND, NULL,
			  "check '%s' not found", name);
}

static int check_rows(struct store *st, const char *sql, int64_t now, int limit,
		      struct check **items, size_t *n, struct err *e)
{
	*items = NULL;
	*n = 0;
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, sql, e);

	if (sql == SQL_CHECK_DUE) {
		db_bind_int(s, 1, now);
		db_bind_int(s, 2, limit);
	}
	return db_all(s, &check_kind, 0, (void **)items, n, NULL, e);
}

int sqc_check_list(struct store *st, struct check **items, size_t *n, struct err *e)
{
	return check_rows(st, SQL_CHECK_LIST, 0, 0, items, n, e);
}

int sqc_check_due(struct store *st, int64_t now, int limit, struct check **items, size_t *n,
		  struct err *e)
{
	return check_rows(st, SQL_CHECK_DUE, now, limit, items, n, e);
}

int sqc_check_save_state(struct store_tx *tx, const struct check *k, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CHECK_SAVE, e);

	db_bind_int(s, 1, k->id);
	db_bind_str(s, 2, k->pending ? "pending" : plugin_state_name(k->state));
	db_bind_str(s, 3, k->hard ? "hard" : "soft");
	db_bind_str(s, 4, plugin_state_name(k->hard_state));
	db_bind_int(s, 5, k->attempt);
	db_bind_id(s, 6, k->last_run);
	db_bind_int(s, 7, k->next_run);
	db_bind_str(s, 8, k->last_output);
	db_bind_int(s, 9, k->last_exit);
	db_bind_int(s, 10, k->last_duration_ms);
	db_bind_int(s, 11, k->updated_at);
	return db_done(s, NULL, NULL, e);
}

int sqc_check_update(struct store_tx *tx, const struct check *k, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CHECK_UPDATE, e);
	char *cmd, *args;
	int rc;

	if ((rc = bind_check(s, 2, 11, k, &cmd, &args, e)))
		return rc;
	db_bind_int(s, 1, k->id);
	db_bind_int(s, 9, k->updated_at);
	db_bind_int(s, 10, k->version);
	rc = db_done_versioned(s, e, "check '%s'", k->name);
	free(cmd);
	free(args);
	return rc;
}

int sqc_check_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CHECK_DELETE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

/* ---- performance data ---- */

int sqc_metric_insert(struct store_tx *tx, int64_t ci_id, const char *name, int64_t at,
		      double value, const char *uom, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_METRIC_INSERT, e);

	db_bind_int(s, 1, ci_id);
	db_bind_str(s, 2, name);
	db_bind_int(s, 3, at);
	db_bind_double(s, 4, value);
	db_bind_str(s, 5, uom);
	return db_done(s, NULL, NULL, e);
}

static json_t *point_json(struct db_stmt *s)
{
	return json_pack("{s:o, s:f, s:f, s:f, s:I, s:s?}", "at", time_col(s, 0), "avg",
			 db_double(s, 1), "min", db_double(s, 2), "max",
			 db_double(s, 3), "count", (json_int_t)db_int(s, 4), "uom",
			 text_col(s, 5));
}

int sqc_metric_query(struct store *st, int64_t ci_id, const char *name, int64_t from, int64_t to,
		     int64_t step, json_t **points, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_METRIC_QUERY, e);

	db_bind_int(s, 1, ci_id);
	db_bind_str(s, 2, name);
	db_bind_int(s, 3, from);
	db_bind_int(s, 4, to);
	db_bind_int(s, 5, step);
	return db_json(s, point_json, points, e);
}

static json_t *name_json(struct db_stmt *s)
{
	return json_string(text_col(s, 0));
}

int sqc_metric_names(struct store *st, int64_t ci_id, json_t **names, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_METRIC_NAMES, e);

	db_bind_int(s, 1, ci_id);
	return db_json(s, name_json, names, e);
}

int sqc_prune(struct store_tx *tx, int64_t before, int64_t *events, int64_t *points,
	      struct err *e)
{
	struct db *c = sq_txc(tx);
	const char *const sql[2] = { SQL_PRUNE_EVENTS, SQL_PRUNE_METRICS };
	int64_t *out[2] = { events, points };

	for (int i = 0; i < 2; i++) {
		STMT_OR_FAIL(s, c, sql[i], e);
		int rc;

		db_bind_int(s, 1, before);
		if ((rc = db_done(s, NULL, NULL, e)))
			return rc;
		*out[i] = db_changes(s);
	}
	return 0;
}
