-- 005_cmdb.sql — configuration items and their relationships, the monitoring
-- intake (alerts correlated by dedup key, every event received), the outages
-- the intake started, check definitions and their performance data.
-- Times are integer seconds since the Unix epoch, UTC; JSON columns hold
-- canonical text (sorted keys, compact).

CREATE TABLE ci_types (
	name    TEXT PRIMARY KEY,
	builtin INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO ci_types(name, builtin) VALUES
	('network_device', 1), ('server', 1), ('virtual_machine', 1), ('operating_system', 1),
	('middleware', 1), ('database', 1), ('application', 1), ('appliance', 1),
	('mainframe', 1), ('storage', 1), ('service', 1);

CREATE TABLE cis (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	type        TEXT NOT NULL REFERENCES ci_types(name),
	status      TEXT NOT NULL,
	owner_group TEXT NOT NULL DEFAULT '',
	location    TEXT NOT NULL DEFAULT '',
	service     TEXT NOT NULL DEFAULT '', -- catalogue service key (type service)
	attributes  TEXT NOT NULL DEFAULT '{}',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cis_name ON cis(name);
CREATE INDEX cis_type ON cis(type, id);

-- "source TYPE target": the source depends on the target.
CREATE TABLE ci_relationships (
	id         INTEGER PRIMARY KEY,
	source_id  INTEGER NOT NULL REFERENCES cis(id),
	type       TEXT NOT NULL,
	target_id  INTEGER NOT NULL REFERENCES cis(id),
	propagates INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	UNIQUE(source_id, type, target_id)
);
CREATE INDEX ci_relationships_target ON ci_relationships(target_id);

CREATE TABLE ci_history (
	id     INTEGER PRIMARY KEY,
	ci_id  INTEGER NOT NULL REFERENCES cis(id),
	at     INTEGER NOT NULL,
	actor  TEXT NOT NULL,
	action TEXT NOT NULL,
	change TEXT NOT NULL
);
CREATE INDEX ci_history_ci ON ci_history(ci_id, id);

-- Tickets linked to items: the affected item and the impacted services.
CREATE TABLE ticket_cis (
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	ci_id     INTEGER NOT NULL REFERENCES cis(id),
	role      TEXT NOT NULL, -- affected | impacted
	PRIMARY KEY(ticket_id, ci_id)
) WITHOUT ROWID;
CREATE INDEX ticket_cis_ci ON ticket_cis(ci_id);

-- One alert per dedup key: the correlation state of a stream of events.
CREATE TABLE alerts (
	id          INTEGER PRIMARY KEY,
	dedup_key   TEXT NOT NULL UNIQUE,
	source      TEXT NOT NULL,
	resource    TEXT NOT NULL,
	check_name  TEXT NOT NULL,
	ci_id       INTEGER REFERENCES cis(id),
	severity    TEXT NOT NULL,
	state       TEXT NOT NULL,            -- open | closed
	flapping    INTEGER NOT NULL DEFAULT 0,
	count       INTEGER NOT NULL DEFAULT 0,
	first_seen  INTEGER NOT NULL,
	last_seen   INTEGER NOT NULL,         -- when the last event arrived
	last_at     INTEGER NOT NULL,         -- the newest event time ("at") seen
	summary     TEXT NOT NULL,
	incident_id INTEGER REFERENCES tickets(id),
	transitions TEXT NOT NULL DEFAULT '', -- recent open/close times, for flapping
	opened_at   INTEGER,
	closed_at   INTEGER
);
CREATE INDEX alerts_state ON alerts(state, id);

-- Every event received, with what correlation made of it.
CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	alert_id    INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	source      TEXT NOT NULL,
	severity    TEXT NOT NULL,
	action      TEXT NOT NULL,
	summary     TEXT NOT NULL,
	outcome     TEXT NOT NULL
);
CREATE INDEX events_alert ON events(alert_id, id);

-- The outages an alert started on services, and (once the SLA module keeps
-- outages) the id of its outage record.
CREATE TABLE alert_outages (
	id         INTEGER PRIMARY KEY,
	alert_id   INTEGER NOT NULL REFERENCES alerts(id),
	service    TEXT NOT NULL,
	ci_id      INTEGER,
	outage_id  INTEGER,
	started_at INTEGER NOT NULL,
	ended_at   INTEGER
);
CREATE INDEX alert_outages_alert ON alert_outages(alert_id, ended_at);

CREATE TABLE checks (
	id               INTEGER PRIMARY KEY,
	name             TEXT NOT NULL UNIQUE,
	ci_id            INTEGER NOT NULL REFERENCES cis(id),
	command          TEXT NOT NULL,  -- JSON array of strings
	interval_s       INTEGER NOT NULL,
	retry_s          INTEGER NOT NULL,
	max_attempts     INTEGER NOT NULL,
	timeout_s        INTEGER NOT NULL,
	enabled          INTEGER NOT NULL DEFAULT 1,
	state            TEXT NOT NULL DEFAULT 'pending',
	state_type       TEXT NOT NULL DEFAULT 'hard',
	hard_state       TEXT NOT NULL DEFAULT 'ok',
	attempt          INTEGER NOT NULL DEFAULT 0,
	last_run         INTEGER,
	next_run         INTEGER NOT NULL,
	last_output      TEXT NOT NULL DEFAULT '',
	last_exit        INTEGER,
	last_duration_ms INTEGER,
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL,
	version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checks_due ON checks(enabled, next_run);

CREATE TABLE metrics (
	ci_id INTEGER NOT NULL,
	name  TEXT NOT NULL,
	at    INTEGER NOT NULL,
	value REAL NOT NULL,
	uom   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY(ci_id, name, at)
) WITHOUT ROWID;
