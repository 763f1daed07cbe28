-- 012_report_covering.sql — the report's two indexes (011) carry the
-- ticket id too, so that the report reads no row of ticket_sla on either
-- engine: SQLite put the rowid (the ticket id) in every index by itself,
-- PostgreSQL needs it named, or it reads the table (10,000,000 tickets:
-- 6.5 s a month's SLA instead of 0.4 s).
DROP INDEX ticket_sla_resp_due;
DROP INDEX ticket_sla_res_due;
CREATE INDEX ticket_sla_resp_due
	ON ticket_sla(sla_id, resp_due, resp_met, resp_stopped, ticket_id);
CREATE INDEX ticket_sla_res_due
	ON ticket_sla(sla_id, res_due, res_met, run_from, paused, res_spent, res_target, ticket_id);
