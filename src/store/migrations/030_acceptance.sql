-- 030_acceptance.sql — operational acceptance for production migration
-- (docs/acceptance.md): one checklist (ACC-n) per system entering
-- production, tied to a catalogue service and/or CMDB items. Times are
-- integer seconds since the Unix epoch, UTC. The columns are what the store
-- selects on; the rest — the description, the items, the criteria with
-- their manual evidence notes, the migration plan and the decisions — is
-- one canonical JSON text in body. Automatic evidence is not stored: it is
-- read from the checks, procedures, runs and SLAs each time the checklist
-- is read, and kept in body only as the snapshot a decision saw.

CREATE TABLE acceptances (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL,
	status     TEXT NOT NULL,              -- open, go, no_go
	service    TEXT NOT NULL DEFAULT '',   -- catalogue service key; '' none
	body       TEXT NOT NULL DEFAULT '{}',
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX acceptances_status ON acceptances(status, id);
