-- 021_changes.sql — change control: changes (CHG-n) and freeze (blackout)
-- windows. Times are integer seconds since the Unix epoch, UTC. A change's
-- columns are what the store selects on (status, window); the rest of the
-- record (plans, items, services, approvers and decisions, risk, outages,
-- override, review) is one canonical JSON text in body.

CREATE TABLE changes (
	id            INTEGER PRIMARY KEY,
	key           TEXT NOT NULL UNIQUE,
	type          TEXT NOT NULL,
	status        TEXT NOT NULL,
	title         TEXT NOT NULL,
	planned_start INTEGER NOT NULL DEFAULT 0, -- 0: not planned yet
	planned_end   INTEGER NOT NULL DEFAULT 0,
	body          TEXT NOT NULL DEFAULT '{}',
	created_by    TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX changes_status ON changes(status, planned_start);

CREATE TABLE change_freezes (
	id         INTEGER PRIMARY KEY,
	service    TEXT,             -- NULL: every service
	starts_at  INTEGER NOT NULL,
	ends_at    INTEGER NOT NULL,
	reason     TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX change_freezes_window ON change_freezes(starts_at, ends_at);
