-- 009_catalogue_versions.sql — the catalogue changes and retires
-- (docs/sla.md, "Change and retire").
--
-- status: 'active' or 'retired' on customers, services, calendars and SLAs.
-- A retired record stays (tickets, clocks and reports refer to it) but is no
-- longer chosen for anything new.
--
-- sla_versions: the terms of each version of an SLA (its body and calendar
-- as that version wrote them), so a clock keeps computing with the terms it
-- started under; ticket_sla.sla_version names that version. Every SLA stored
-- before this migration is at version 1, and so is every clock.
--
-- One agreement per customer (or group) and service among the active SLAs
-- only: a retired SLA frees its pair for the one that replaces it.

ALTER TABLE customers ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
	CHECK (status IN ('active', 'retired'));
ALTER TABLE services ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
	CHECK (status IN ('active', 'retired'));
ALTER TABLE calendars ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
	CHECK (status IN ('active', 'retired'));
ALTER TABLE slas ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
	CHECK (status IN ('active', 'retired'));

CREATE TABLE sla_versions (
	sla_id     INTEGER NOT NULL REFERENCES slas(id),
	version    INTEGER NOT NULL,
	calendar   TEXT NOT NULL,
	body       TEXT NOT NULL,            -- the SLA's body as that version wrote it
	created_at INTEGER NOT NULL,
	PRIMARY KEY (sla_id, version)
);
INSERT INTO sla_versions(sla_id, version, calendar, body, created_at)
	SELECT id, version, calendar, body, updated_at FROM slas;

ALTER TABLE ticket_sla ADD COLUMN sla_version INTEGER NOT NULL DEFAULT 1;

DROP INDEX slas_scope;
CREATE UNIQUE INDEX slas_scope ON slas(COALESCE(customer_id, 0), COALESCE(grp, ''), service)
	WHERE status = 'active';
