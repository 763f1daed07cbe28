-- 024_risk.sql — the operational risk register (RISK-n) with its preventive
-- measures, and operational guidelines (GL-n): their published versions,
-- who acknowledged which version, and the runs of their compliance
-- checklists. Times are integer seconds since the Unix epoch, UTC; 0 is
-- "none". A record's columns are what the store selects on; the rest
-- (a risk's description, services, items, last review; a guideline's
-- audience and checklist) is one canonical JSON text in body.

CREATE TABLE risks (
	id                INTEGER PRIMARY KEY,
	key               TEXT NOT NULL UNIQUE,
	title             TEXT NOT NULL,
	status            TEXT NOT NULL,
	owner             TEXT NOT NULL,
	likelihood        INTEGER NOT NULL,
	impact            INTEGER NOT NULL,
	review_every_days INTEGER NOT NULL DEFAULT 0, -- 0: no periodic review
	next_review       INTEGER NOT NULL DEFAULT 0,
	review_warned     INTEGER NOT NULL DEFAULT 0, -- the next_review last warned of
	body              TEXT NOT NULL DEFAULT '{}',
	created_by        TEXT NOT NULL,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL,
	version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX risks_status ON risks(status, id);
CREATE INDEX risks_review ON risks(next_review);

-- A preventive measure belongs to one risk; warned_due is the due date
-- its owner was last warned of (a new due date warns again).
CREATE TABLE risk_measures (
	id          INTEGER PRIMARY KEY,
	risk_id     INTEGER NOT NULL REFERENCES risks(id),
	description TEXT NOT NULL,
	owner       TEXT NOT NULL,
	due         INTEGER NOT NULL DEFAULT 0,
	status      TEXT NOT NULL,
	warned_due  INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX risk_measures_risk ON risk_measures(risk_id, id);
CREATE INDEX risk_measures_due ON risk_measures(due);

CREATE TABLE guidelines (
	id          INTEGER PRIMARY KEY,
	key         TEXT NOT NULL UNIQUE,
	title       TEXT NOT NULL,
	status      TEXT NOT NULL,               -- draft, published, retired
	current     INTEGER NOT NULL DEFAULT 0,  -- the published version; 0: none yet
	draft       TEXT NOT NULL DEFAULT '',    -- the Markdown being written
	every_days  INTEGER NOT NULL DEFAULT 0,  -- checklist period; 0: none
	next_check  INTEGER NOT NULL DEFAULT 0,
	body        TEXT NOT NULL DEFAULT '{}',
	created_by  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);

-- Each published version's text, kept: an acknowledgement names one.
CREATE TABLE guideline_versions (
	guideline_id INTEGER NOT NULL REFERENCES guidelines(id),
	n            INTEGER NOT NULL,
	text         TEXT NOT NULL,
	published_by TEXT NOT NULL,
	published_at INTEGER NOT NULL,
	PRIMARY KEY(guideline_id, n)
) WITHOUT ROWID;

CREATE TABLE guideline_acks (
	guideline_id INTEGER NOT NULL REFERENCES guidelines(id),
	n            INTEGER NOT NULL,
	username     TEXT NOT NULL,
	at           INTEGER NOT NULL,
	PRIMARY KEY(guideline_id, n, username)
) WITHOUT ROWID;

-- A run of a guideline's checklist: each item's result, and the tickets
-- its failures opened, as JSON.
CREATE TABLE guideline_runs (
	id           INTEGER PRIMARY KEY,
	guideline_id INTEGER NOT NULL REFERENCES guidelines(id),
	results      TEXT NOT NULL,
	failed       INTEGER NOT NULL,
	run_by       TEXT NOT NULL,
	run_at       INTEGER NOT NULL
);
CREATE INDEX guideline_runs_guideline ON guideline_runs(guideline_id, id);
