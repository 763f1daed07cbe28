/*
 * handlers.h — every HTTP handler, one group per api_*.c file, and the
 * console's files (web.c). Handlers are thin: read the request, call the
 * domain, reply.
 */
#ifndef ITSM_HANDLERS_H
#define ITSM_HANDLERS_H

#include "api/http.h"

/* api_platform.c */
void api_healthz(struct req *r);
void api_metrics(struct req *r);
void api_openapi(struct req *r);
void api_me(struct req *r);
void api_customers_list(struct req *r);
void api_customers_add(struct req *r);
void api_customers_update(struct req *r);
void api_users_list(struct req *r);
void api_users_add(struct req *r);
void api_users_get(struct req *r);
void api_users_update(struct req *r);
void api_users_password(struct req *r);
void api_tokens_create(struct req *r);
void api_tokens_list(struct req *r);
void api_tokens_revoke(struct req *r);
void api_audit_verify(struct req *r);
void api_admin_backup(struct req *r);
void api_audit_checkpoint(struct req *r);
void api_audit_list(struct req *r);

/* api_tickets.c */
void api_tickets_list(struct req *r);
void api_tickets_create(struct req *r);
void api_tickets_get(struct req *r);
void api_tickets_update(struct req *r);
void api_tickets_comments(struct req *r);
void api_tickets_comment(struct req *r);
void api_tickets_history(struct req *r);

/* api_session.c */
void api_session_create(struct req *r);
void api_session_get(struct req *r);
void api_session_delete(struct req *r);

/* api_stream.c: live change notices (Server-Sent Events). stream_start
 * once before the server answers, stream_stop once after it stopped. */
void api_stream(struct req *r);
void stream_start(void);
void stream_stop(void);

/* web.c: the console's files and their security headers (any path that is
 * not a route). */
void web_serve(struct req *r);
/* Reply 200 with a document the console links to (the service level
 * report): the console's security headers and Content-Security-Policy,
 * whose style-src also allows inline_style (the text of the page's one
 * <style> element, by its SHA-256; NULL: none), not cached, with
 * Content-Disposition when disposition is not NULL. data is copied. */
void web_reply_page(struct req *r, const char *type, const char *inline_style,
		    const char *disposition, const void *data, size_t len);

/* api_sla.c */
void api_services_list(struct req *r);
void api_services_create(struct req *r);
void api_services_get(struct req *r);
void api_services_update(struct req *r);
void api_calendars_list(struct req *r);
void api_calendars_create(struct req *r);
void api_calendars_get(struct req *r);
void api_calendars_update(struct req *r);
void api_calendars_holidays(struct req *r);
void api_calendars_holiday_add(struct req *r);
void api_calendars_holiday_remove(struct req *r);
void api_calendars_due(struct req *r);
void api_calendars_elapsed(struct req *r);
void api_slas_list(struct req *r);
void api_slas_create(struct req *r);
void api_slas_get(struct req *r);
void api_slas_update(struct req *r);
void api_outages_list(struct req *r);
void api_outages_create(struct req *r);
void api_outages_get(struct req *r);
void api_outages_update(struct req *r);
void api_sla_tick(struct req *r);
void api_outbox_list(struct req *r);
void api_report_service_level(struct req *r);
void api_report_operational_level(struct req *r);
void api_report_breaches(struct req *r);
void api_import_tickets(struct req *r);

/* api_cost.c */
void api_tickets_time(struct req *r);
void api_tickets_time_add(struct req *r);
void api_runs_time(struct req *r);
void api_runs_time_add(struct req *r);
void api_changes_time(struct req *r);
void api_changes_time_add(struct req *r);
void api_time_get(struct req *r);
void api_time_update(struct req *r);
void api_import_time(struct req *r);
void api_report_cost(struct req *r);

/* api_operation.c */
void api_procedures_list(struct req *r);
void api_procedures_add(struct req *r);
void api_procedures_get(struct req *r);
void api_procedures_draft(struct req *r);
void api_procedures_publish(struct req *r);
void api_schedule_list(struct req *r);
void api_schedule_add(struct req *r);
void api_schedule_today(struct req *r);
void api_runs_list(struct req *r);
void api_runs_start(struct req *r);
void api_runs_get(struct req *r);
void api_runs_step(struct req *r);
void api_runs_confirm(struct req *r);
void api_runs_abandon(struct req *r);
void api_conditions_list(struct req *r);
void api_conditions_add(struct req *r);
void api_conditions_get(struct req *r);
void api_conditions_update(struct req *r);
void api_conditions_sign(struct req *r);
void api_conditions_ack(struct req *r);
/* api_change.c */
void api_changes_list(struct req *r);
void api_changes_create(struct req *r);
void api_changes_calendar(struct req *r);
void api_changes_get(struct req *r);
void api_changes_update(struct req *r);
void api_changes_submit(struct req *r);
void api_changes_approve(struct req *r);
void api_changes_reject(struct req *r);
void api_changes_schedule(struct req *r);
void api_changes_start(struct req *r);
void api_changes_review(struct req *r);
void api_changes_cancel(struct req *r);
void api_freezes_list(struct req *r);
void api_freezes_add(struct req *r);
void api_freezes_remove(struct req *r);
/* api_acceptance.c */
void api_acceptances_criteria(struct req *r);
void api_acceptances_list(struct req *r);
void api_acceptances_create(struct req *r);
void api_acceptances_get(struct req *r);
void api_acceptances_update(struct req *r);
void api_acceptances_evidence(struct req *r);
void api_acceptances_plan(struct req *r);
void api_acceptances_decide(struct req *r);

/* api_risk.c */
void api_risks_list(struct req *r);
void api_risks_create(struct req *r);
void api_risks_heatmap(struct req *r);
void api_risks_get(struct req *r);
void api_risks_update(struct req *r);
void api_risks_review(struct req *r);
void api_risks_measure_add(struct req *r);
void api_risks_measure_update(struct req *r);
/* api_guideline.c */
void api_guidelines_list(struct req *r);
void api_guidelines_create(struct req *r);
void api_guidelines_get(struct req *r);
void api_guidelines_edit(struct req *r);
void api_guidelines_publish(struct req *r);
void api_guidelines_ack(struct req *r);
void api_guidelines_acks(struct req *r);
void api_guidelines_check(struct req *r);

/* api_routing.c */
void api_routing_list(struct req *r);
void api_routing_add(struct req *r);
void api_routing_get(struct req *r);
void api_routing_update(struct req *r);
void api_routing_delete(struct req *r);
/* api_notify.c */
void api_notify_templates(struct req *r);
void api_notify_template_get(struct req *r);
void api_notify_template_update(struct req *r);
void api_notify_prefs_get(struct req *r);
void api_notify_prefs_update(struct req *r);

/* api_skill.c */
void api_skills_assess(struct req *r);
void api_skills_map(struct req *r);
void api_staff_list(struct req *r);
void api_staff_add(struct req *r);
void api_staff_get(struct req *r);
void api_staff_update(struct req *r);
void api_staff_career_add(struct req *r);
void api_staff_career_verify(struct req *r);
void api_staff_assess(struct req *r);
void api_staff_assessments(struct req *r);

/* api_knowledge.c */
void api_knowledge_list(struct req *r);
void api_knowledge_add(struct req *r);
void api_knowledge_suggest(struct req *r);
void api_knowledge_get(struct req *r);
void api_knowledge_edit(struct req *r);
void api_knowledge_publish(struct req *r);
void api_knowledge_retire(struct req *r);
void api_knowledge_versions(struct req *r);
void api_knowledge_version(struct req *r);
void api_search(struct req *r);

/* api_problem.c */
void api_problems_list(struct req *r);
void api_problems_add(struct req *r);
void api_problems_get(struct req *r);
void api_problems_update(struct req *r);
void api_problems_link(struct req *r);
void api_problems_unlink(struct req *r);
void api_problems_proposals(struct req *r);
void api_problems_confirm(struct req *r);
void api_problems_dismiss(struct req *r);

/* api_cmdb.c, api_events.c */
void api_cis_list(struct req *r);
void api_cis_create(struct req *r);
void api_cis_get(struct req *r);
void api_cis_update(struct req *r);
void api_cis_impact(struct req *r);
void api_cis_dependencies(struct req *r);
void api_cis_history(struct req *r);
void api_cis_relationships(struct req *r);
void api_cis_metrics(struct req *r);
void api_cis_tickets(struct req *r);
void api_cis_link_ticket(struct req *r);
void api_cis_import(struct req *r);
void api_cis_export(struct req *r);
void api_ci_types_list(struct req *r);
void api_ci_types_add(struct req *r);
void api_relationships_create(struct req *r);
void api_relationships_delete(struct req *r);
void api_events_post(struct req *r);
void api_events_alertmanager(struct req *r);
void api_events_v2(struct req *r);
void api_alerts_list(struct req *r);
void api_alerts_get(struct req *r);
void api_checks_list(struct req *r);
void api_check_commands_list(struct req *r);
void api_checks_create(struct req *r);
void api_checks_get(struct req *r);
void api_checks_delete(struct req *r);
void api_checks_update(struct req *r);
void api_tickets_items(struct req *r);

/* api_mail.c */
void api_mail_inbound(struct req *r);
void api_mail_raw(struct req *r);
void api_tickets_mail(struct req *r);

/* api_attach.c */
void api_attachments_upload(struct req *r);
void api_attachments_list(struct req *r);
void api_attachments_get(struct req *r);
void api_attachments_meta(struct req *r);
void api_tickets_links(struct req *r);
void api_tickets_link(struct req *r);
void api_tickets_unlink(struct req *r);
void api_tickets_merge(struct req *r);

/* api_web.c */
void api_web_rating_create(struct req *r);
void api_web_rating_get(struct req *r);
void api_web_stats_tickets(struct req *r);

#endif
