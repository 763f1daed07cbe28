-- 031_cost.sql — time spent on tickets, procedure executions and changes,
-- and what it cost (docs/cost.md).
--
-- An entry keeps the rate in force when it was recorded (rate_key names
-- the row of [cost] rates that gave it, '' when none applied) and the cost
-- worked out from it, in minor units of currency: a later change of the
-- rates rewrites no past month. work_date is the day worked, YYYY-MM-DD
-- (the report's month is its first seven characters). customer_id and
-- service are the ticket's when the entry was recorded (a change's or an
-- execution's as the entry names them; NULL and '' when none). Times are
-- integer seconds since the Unix epoch, UTC.

CREATE TABLE time_entries (
	id          INTEGER PRIMARY KEY,
	subject     TEXT NOT NULL,           -- ticket, change, run
	subject_key TEXT NOT NULL,           -- INC-4, CHG-2, RUN-3
	customer_id INTEGER REFERENCES customers(id),
	service     TEXT NOT NULL DEFAULT '',
	user_id     INTEGER NOT NULL REFERENCES users(id),
	minutes     INTEGER NOT NULL CHECK (minutes > 0),
	work_date   TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	rate_key    TEXT NOT NULL DEFAULT '',
	rate        INTEGER NOT NULL,        -- minor units per hour
	currency    TEXT NOT NULL,
	cost        INTEGER NOT NULL,        -- minutes × rate / 60, rounded half up
	source      TEXT NOT NULL,           -- api, import
	created_by  INTEGER REFERENCES users(id),
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX time_entries_subject ON time_entries(subject, subject_key, id);
CREATE INDEX time_entries_date ON time_entries(work_date, customer_id, service);
