-- 018_operation.sql — operation by procedure: procedures (PROC-n) and their
-- versions, the operation schedule (JOB-n) and executions (RUN-n) with one
-- row per recorded step. Times are integer seconds since the Unix epoch,
-- UTC; steps hold canonical JSON text.

CREATE TABLE procedures (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);

-- Version n of a procedure: a draft until published, then never changed.
CREATE TABLE procedure_versions (
	id           INTEGER PRIMARY KEY,
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	number       INTEGER NOT NULL,
	steps        TEXT NOT NULL,            -- [{"instruction","expected","confirm"}]
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	published_by TEXT,
	published_at INTEGER,
	UNIQUE (procedure_id, number)
);

CREATE TRIGGER procedure_versions_frozen BEFORE UPDATE ON procedure_versions
WHEN OLD.published_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a published procedure version never changes');
END;

CREATE TABLE schedule_jobs (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE,
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	rrule        TEXT NOT NULL,            -- RFC 5545 RRULE, evaluated in UTC
	dtstart      INTEGER NOT NULL,
	deadline_min INTEGER NOT NULL,         -- minutes after each occurrence
	shift        TEXT NOT NULL,
	items        TEXT NOT NULL DEFAULT '', -- CMDB CI keys, comma-separated
	created_by   TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX schedule_jobs_shift ON schedule_jobs(shift, id);

CREATE TABLE runs (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE,
	procedure_id INTEGER NOT NULL REFERENCES procedures(id),
	proc_version INTEGER NOT NULL,
	job_id       INTEGER REFERENCES schedule_jobs(id),
	occurrence   INTEGER,                  -- the job's occurrence it executes
	status       TEXT NOT NULL,            -- running, completed, abandoned
	reason       TEXT,
	started_by   TEXT NOT NULL,
	started_at   INTEGER NOT NULL,
	ended_at     INTEGER,
	updated_at   INTEGER NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
);
-- One execution per occurrence of a job.
CREATE UNIQUE INDEX runs_occurrence ON runs(job_id, occurrence) WHERE job_id IS NOT NULL;

CREATE TABLE run_steps (
	id           INTEGER PRIMARY KEY,
	run_id       INTEGER NOT NULL REFERENCES runs(id),
	step         INTEGER NOT NULL,
	result       TEXT NOT NULL,
	deviation    TEXT,
	ticket_key   TEXT,                     -- the incident the deviation opened
	done_by      TEXT NOT NULL,
	done_at      INTEGER NOT NULL,
	confirmed_by TEXT,
	confirmed_at INTEGER,
	UNIQUE (run_id, step)
);
