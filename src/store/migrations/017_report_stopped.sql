-- 017_report_stopped.sql — the report lists its breaches from the same two
-- index ranges as its counts: the resolution index carries res_stopped too
-- (the response one has resp_stopped since 011), so listing the 100 most
-- overdue of 27,000 missed clocks reads no row of ticket_sla.
DROP INDEX ticket_sla_res_due;
CREATE INDEX ticket_sla_res_due ON ticket_sla(sla_id, res_due, res_met, run_from, paused,
	res_spent, res_target, res_stopped, ticket_id);
