-- 033_ola_past.sql — the OLA clocks of groups that handed a ticket on
-- (docs/sla.md, "OLAs").
--
-- ticket_ola holds the clock of the group holding a ticket. Until now a
-- change of group replaced that row, so a group that held a ticket past
-- its OLA and passed it on left no breach behind. The clock a group ends
-- by handing the ticket on is kept here, stopped at the handover, and
-- the operational level report counts these beside the running ones.
CREATE TABLE ticket_ola_past (
	id            INTEGER PRIMARY KEY,
	ticket_id     INTEGER NOT NULL REFERENCES tickets(id),
	sla_id        INTEGER NOT NULL REFERENCES slas(id),
	priority      INTEGER NOT NULL,
	resp_target   INTEGER NOT NULL,
	res_target    INTEGER NOT NULL,
	warn_permille INTEGER NOT NULL,
	started_at    INTEGER NOT NULL,
	resp_due      INTEGER NOT NULL,
	resp_warn     INTEGER NOT NULL,
	resp_stopped  INTEGER NOT NULL DEFAULT 0,
	resp_met      INTEGER,
	res_spent     INTEGER NOT NULL DEFAULT 0,
	run_from      INTEGER NOT NULL DEFAULT 0,
	res_due       INTEGER NOT NULL,
	res_warn      INTEGER NOT NULL,
	res_stopped   INTEGER NOT NULL DEFAULT 0,
	res_met       INTEGER,
	paused        INTEGER NOT NULL DEFAULT 0,
	fired         INTEGER NOT NULL DEFAULT 0,
	grp           TEXT NOT NULL DEFAULT '',
	next_at       INTEGER,
	sla_version   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ticket_ola_past_sla ON ticket_ola_past(sla_id, res_due);
CREATE INDEX ticket_ola_past_ticket ON ticket_ola_past(ticket_id);
