/*
 * routes.c — the one table of every HTTP route: method, path pattern,
 * handler, who may call it, and whether it takes a JSON body. The router
 * enforces the last two before any handler runs.
 */
#include "api/handlers.h"
#include "api/http.h"

const struct route routes[] = {
	/* platform */
	{ "GET", "/healthz", api_healthz, AUTH_NONE, BODY_NONE, "healthz" },
	{ "GET", "/metrics", api_metrics, AUTH_NONE, BODY_NONE, "metrics" },
	{ "GET", "/api/v1/me", api_me, AUTH_ANY, BODY_NONE, "me" },
	{ "GET", "/api/v1/customers", api_customers_list, AUTH_ANY, BODY_NONE, "customers.list" },
	{ "POST", "/api/v1/customers", api_customers_add, AUTH_ADMIN, BODY_JSON, "customers.add" },
	{ "GET", "/api/v1/users", api_users_list, AUTH_STAFF, BODY_NONE, "users.list" },
	{ "POST", "/api/v1/users", api_users_add, AUTH_ADMIN, BODY_JSON, "users.add" },
	{ "GET", "/api/v1/users/:name", api_users_get, AUTH_ANY, BODY_NONE, "users.get" },
	{ "POST", "/api/v1/tokens", api_tokens_create, AUTH_ANY, BODY_JSON, "tokens.create" },
	{ "GET", "/api/v1/audit/verify", api_audit_verify, AUTH_ADMIN, BODY_NONE, "audit.verify" },
	{ "GET", "/api/v1/audit", api_audit_list, AUTH_MANAGER, BODY_NONE, "audit.list" },

	/* service desk */
	{ "GET", "/api/v1/tickets", api_tickets_list, AUTH_ANY, BODY_NONE, "tickets.list" },
	{ "POST", "/api/v1/tickets", api_tickets_create, AUTH_ANY, BODY_JSON, "tickets.create" },
	{ "GET", "/api/v1/tickets/:ref", api_tickets_get, AUTH_ANY, BODY_NONE, "tickets.get" },
	{ "PATCH", "/api/v1/tickets/:ref", api_tickets_update, AUTH_ANY, BODY_JSON,
	  "tickets.update" },
	{ "GET", "/api/v1/tickets/:ref/comments", api_tickets_comments, AUTH_ANY, BODY_NONE,
	  "tickets.comments" },
	{ "POST", "/api/v1/tickets/:ref/comments", api_tickets_comment, AUTH_ANY, BODY_JSON,
	  "tickets.comment" },
	{ "GET", "/api/v1/tickets/:ref/history", api_tickets_history, AUTH_ANY, BODY_NONE,
	  "tickets.history" },

	/* web console sessions and live updates (api_session.c) */
	{ "POST", "/api/v1/session", api_session_create, AUTH_NONE, BODY_JSON, "session.create" },
	{ "GET", "/api/v1/session", api_session_get, AUTH_ANY, BODY_NONE, "session.get" },
	{ "DELETE", "/api/v1/session", api_session_delete, AUTH_ANY, BODY_NONE, "session.delete" },
	{ "GET", "/api/v1/stream", api_stream, AUTH_ANY, BODY_NONE, "stream" },
	/* @session-routes */
	/* service level management (api_sla.c) */
	/* @sla-routes */
	/* skills (api_skill.c) */
	/* @skill-routes */
	/* configuration management and events (api_cmdb.c, api_events.c) */
	/* @cmdb-routes */
	/* web console support: dashboard statistics, satisfaction (api_web.c) */
	/* @web-routes */
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
