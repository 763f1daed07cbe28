-- 003_sla.sql — service level management: the service catalogue, business
-- calendars, SLAs/OLAs, outages, the SLA clocks of tickets and the outbox of
-- escalation notices. Times are integer seconds since the Unix epoch, UTC;
-- JSON columns hold canonical text (sorted keys, compact).

CREATE TABLE services (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	owner_group TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE calendars (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	body       TEXT NOT NULL,            -- calendar_to_json(), canonical
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);

-- An SLA binds a customer (or, for an OLA, an internal group) and a service.
CREATE TABLE slas (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	customer_id INTEGER REFERENCES customers(id),
	grp         TEXT,
	service     TEXT NOT NULL,
	calendar    TEXT NOT NULL,
	body        TEXT NOT NULL,           -- targets, warn_at, availability_target, escalations
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1,
	CHECK ((customer_id IS NULL) <> (grp IS NULL))
);
CREATE UNIQUE INDEX slas_scope ON slas(COALESCE(customer_id, 0), COALESCE(grp, ''), service);

CREATE TABLE outages (
	id         INTEGER PRIMARY KEY,
	service    TEXT NOT NULL,
	start      INTEGER NOT NULL,
	end_at     INTEGER,                  -- NULL while ongoing
	planned    INTEGER NOT NULL DEFAULT 0,
	incident   TEXT,
	ci         TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX outages_service ON outages(service, start);

-- The SLA clocks of one ticket. Dues keep the value that applied when a
-- clock stopped (for the report's breach list). next_at is the earliest
-- warning or breach not yet fired; the partial index on it is the watcher's
-- priority queue.
CREATE TABLE ticket_sla (
	ticket_id     INTEGER PRIMARY KEY REFERENCES tickets(id),
	sla_id        INTEGER NOT NULL REFERENCES slas(id),
	priority      INTEGER NOT NULL,
	resp_target   INTEGER NOT NULL,
	res_target    INTEGER NOT NULL,
	warn_permille INTEGER NOT NULL,
	started_at    INTEGER NOT NULL,
	resp_due      INTEGER NOT NULL,
	resp_warn     INTEGER NOT NULL,
	resp_stopped  INTEGER NOT NULL DEFAULT 0,
	resp_met      INTEGER,               -- NULL while running
	res_spent     INTEGER NOT NULL DEFAULT 0,
	run_from      INTEGER NOT NULL DEFAULT 0,  -- 0: not running
	res_due       INTEGER NOT NULL,
	res_warn      INTEGER NOT NULL,
	res_stopped   INTEGER NOT NULL DEFAULT 0,  -- the resolution instant
	res_met       INTEGER,
	paused        INTEGER NOT NULL DEFAULT 0,
	fired         INTEGER NOT NULL DEFAULT 0,  -- 1 resp warn, 2 resp breach, 4 res warn, 8 res breach
	grp           TEXT NOT NULL DEFAULT '',    -- escalated to this group
	next_at       INTEGER
);
CREATE INDEX ticket_sla_next ON ticket_sla(next_at) WHERE next_at IS NOT NULL;
-- The monthly report: tickets of an SLA resolved in a month, covered.
CREATE INDEX ticket_sla_report
	ON ticket_sla(sla_id, res_stopped, resp_met, res_met, res_spent) WHERE res_stopped > 0;

-- Escalation notices waiting to be sent, retried with backoff.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	target     TEXT NOT NULL,            -- https://… or mailto:…
	payload    TEXT NOT NULL,
	state      TEXT NOT NULL DEFAULT 'pending', -- pending, sent, failed, undeliverable
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	sent_at    INTEGER
);
CREATE INDEX outbox_due ON outbox(next_at) WHERE state = 'pending';
