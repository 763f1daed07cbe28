-- The monthly report counts each SLA clock in the month its due falls in,
-- resolved or not (docs/sla.md, "Report"): one range of a covering index
-- per clock and SLA, holding what decides the clock's verdict. The index of
-- resolved tickets by resolution instant it replaces is no longer read.
DROP INDEX ticket_sla_report;
CREATE INDEX ticket_sla_resp_due ON ticket_sla(sla_id, resp_due, resp_met, resp_stopped);
CREATE INDEX ticket_sla_res_due
	ON ticket_sla(sla_id, res_due, res_met, run_from, paused, res_spent, res_target);
