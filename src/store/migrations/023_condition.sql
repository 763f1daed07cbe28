-- 023_condition.sql — condition reports and shift handover (COND-n): a
-- report of one UTC day, or of one configured shift starting on that day,
-- drafted with the operator's remarks, signed by a shift leader (its
-- figures frozen then, as canonical JSON with their SHA-256), acknowledged
-- by someone of the next shift. Times are integer seconds since the Unix
-- epoch, UTC; day is days since the epoch. The indexes on other modules'
-- tables let a report count a period's records by time.

CREATE TABLE condition_reports (
	id           INTEGER PRIMARY KEY,
	key          TEXT NOT NULL UNIQUE,
	day          INTEGER NOT NULL,
	shift        TEXT NOT NULL DEFAULT '',  -- '': the whole day
	period_from  INTEGER NOT NULL,
	period_to    INTEGER NOT NULL,
	state        TEXT NOT NULL,             -- draft, signed, acknowledged
	remarks      TEXT NOT NULL DEFAULT '',
	created_by   TEXT NOT NULL,
	signed_by    TEXT,
	signed_at    INTEGER,
	figures      TEXT,                      -- frozen at signing
	figures_hash TEXT,
	acked_by     TEXT,
	acked_at     INTEGER,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1,
	UNIQUE (day, shift)
);

-- What was signed never changes: neither its figures nor its remarks.
CREATE TRIGGER condition_reports_frozen BEFORE UPDATE ON condition_reports
WHEN OLD.figures IS NOT NULL AND (NEW.figures IS NULL OR NEW.figures <> OLD.figures
	OR NEW.figures_hash <> OLD.figures_hash OR NEW.remarks <> OLD.remarks)
BEGIN
	SELECT RAISE(ABORT, 'a signed condition report never changes');
END;
CREATE TRIGGER condition_reports_kept BEFORE DELETE ON condition_reports
BEGIN
	SELECT RAISE(ABORT, 'condition reports are never deleted');
END;

CREATE INDEX tickets_created ON tickets(created_at);
CREATE INDEX runs_started ON runs(started_at);
CREATE INDEX run_steps_done ON run_steps(done_at);
CREATE INDEX ticket_history_at ON ticket_history(at);
CREATE INDEX events_at ON events(at);
CREATE INDEX outages_start ON outages(start);
