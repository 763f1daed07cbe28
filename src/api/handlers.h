/*
 * handlers.h — every HTTP handler, one group per api_*.c file. Handlers are
 * thin: read the request, call the domain, reply.
 */
#ifndef ITSM_HANDLERS_H
#define ITSM_HANDLERS_H

#include "api/http.h"

/* api_platform.c */
void api_healthz(struct req *r);
void api_metrics(struct req *r);
void api_me(struct req *r);
void api_customers_list(struct req *r);
void api_customers_add(struct req *r);
void api_users_list(struct req *r);
void api_users_add(struct req *r);
void api_users_get(struct req *r);
void api_tokens_create(struct req *r);
void api_audit_verify(struct req *r);
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
void api_stream(struct req *r);
/* @session-handlers */

/* api_sla.c */
/* @sla-handlers */

/* api_skill.c */
/* @skill-handlers */

/* api_cmdb.c, api_events.c */
/* @cmdb-handlers */

/* api_web.c */
/* @web-handlers */

#endif
