-- 004_skills.sql — stored staff, their career records and the append-only
-- history of skill assessments. Times are integer seconds since the Unix
-- epoch, UTC; JSON columns hold canonical text (sorted keys, compact).

CREATE TABLE staff (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	groups_csv TEXT NOT NULL DEFAULT '',
	user_id    INTEGER REFERENCES users(id),
	profile    TEXT NOT NULL DEFAULT '{}', -- exams, succession, specialty, develops_subordinates, note
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);
-- A user is at most one person.
CREATE UNIQUE INDEX staff_user ON staff(user_id) WHERE user_id IS NOT NULL;

CREATE TABLE staff_careers (
	id          INTEGER PRIMARY KEY,
	staff_id    INTEGER NOT NULL REFERENCES staff(id),
	field       TEXT NOT NULL,
	body        TEXT NOT NULL,            -- the declared record
	declared_by TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	verified_by TEXT,
	verified_at INTEGER
);
CREATE INDEX staff_careers_staff ON staff_careers(staff_id, id);

-- A declared record never changes; only its verification is set, once.
CREATE TRIGGER staff_careers_frozen BEFORE UPDATE ON staff_careers
WHEN OLD.verified_at IS NOT NULL OR NEW.body IS DISTINCT FROM OLD.body
	OR NEW.staff_id IS DISTINCT FROM OLD.staff_id OR NEW.field IS DISTINCT FROM OLD.field
	OR NEW.declared_by IS DISTINCT FROM OLD.declared_by
	OR NEW.created_at IS DISTINCT FROM OLD.created_at
BEGIN
	SELECT RAISE(ABORT, 'career records are declared once and verified once');
END;
CREATE TRIGGER staff_careers_kept BEFORE DELETE ON staff_careers
BEGIN
	SELECT RAISE(ABORT, 'career records are never deleted');
END;

CREATE TABLE staff_assessments (
	id            INTEGER PRIMARY KEY,
	staff_id      INTEGER NOT NULL REFERENCES staff(id),
	at            INTEGER NOT NULL,
	assessor      TEXT NOT NULL,
	rules_version TEXT NOT NULL,
	input_hash    TEXT NOT NULL,          -- hex BLAKE2b-256 of profile
	as_of         TEXT NOT NULL,
	profile       TEXT NOT NULL,          -- the input, as assessed
	result        TEXT NOT NULL,          -- {"declared": …, "verified": …}
	levels        TEXT NOT NULL,          -- {"<field>": {"declared", "verified"}}
	decided_field TEXT,
	decided_level INTEGER,
	note          TEXT
);
CREATE INDEX staff_assessments_staff ON staff_assessments(staff_id, id);

-- Append-only: old results are never rewritten.
CREATE TRIGGER staff_assessments_no_update BEFORE UPDATE ON staff_assessments
BEGIN
	SELECT RAISE(ABORT, 'assessments are append-only');
END;
CREATE TRIGGER staff_assessments_no_delete BEFORE DELETE ON staff_assessments
BEGIN
	SELECT RAISE(ABORT, 'assessments are append-only');
END;
