-- The monthly report counts each SLA clock in the month its due falls in,
-- resolved or not (docs/sla.md, "Report"): one index range per clock and
-- SLA. The index of resolved tickets by resolution instant it replaces is
-- no longer read.
DROP INDEX ticket_sla_report;
CREATE INDEX ticket_sla_resp_due ON ticket_sla(sla_id, resp_due);
CREATE INDEX ticket_sla_res_due ON ticket_sla(sla_id, res_due);
