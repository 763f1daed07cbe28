/*
 * api_cmdb.c — configuration items, item types, relationships, impact
 * analysis, import/export and metrics: thin handlers over domain/cmdb*.c
 * and domain/metric.c.
 */
#include "api/handlers.h"
#include "domain/events/check.h"
#include "domain/cmdb/cmdb.h"
#include "render/cmdb.h"

#include <stdlib.h>
#include <string.h>


void api_cis_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ci_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_cis_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ci_create(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_cis_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ci_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_cis_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ci_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

static void impact(struct req *r, int direction)
{
	struct err e = { 0 };
	const char *l = req_query(r, "limit");
	json_t *out = NULL;
	int rc = cmdb_impact_json(r->st, &r->actor, r->params[0], direction, l ? atoi(l) : 0, &out,
				  &e);

	reply_result(r, rc, 200, out, &e);
}

void api_cis_impact(struct req *r)
{
	impact(r, 0);
}

void api_cis_dependencies(struct req *r)
{
	impact(r, 1);
}

void api_cis_history(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ci_history_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_cis_relationships(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_rel_list_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_cis_metrics(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = metric_query_json(r->st, &r->actor, r->params[0], r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

/* {"format":"csv","data":"…"} or a JSON document {"cis":[…],"relationships":[…]};
 * either may say "upsert": true (existing items are updated, not refused). */
void api_cis_import(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL, *data = json_object_get(r->json, "data");
	json_t *upsert = json_object_get(r->json, "upsert");
	const char *format = json_string_value(json_object_get(r->json, "format"));
	char *text = NULL;
	int rc;

	if (upsert && !json_is_boolean(upsert)) {
		reply_errorf(r, ERR_INVALID, "upsert", "'upsert' is true or false");
		return;
	}
	if (json_is_string(data)) {
		rc = cmdb_import(r->st, &r->actor, format ? format : "csv", json_string_value(data),
				 json_string_length(data), json_is_true(upsert), &out, &e);
	} else {
		json_object_del(r->json, "upsert"); /* a flag of the request, not the document */
		text = json_dumps(r->json, JSON_COMPACT);
		rc = text ? cmdb_import(r->st, &r->actor, "json", text, strlen(text),
					json_is_true(upsert), &out, &e)
			  : err_set(&e, ERR_INTERNAL, NULL, "out of memory");
		free(text);
	}
	reply_result(r, rc, 200, out, &e);
}

void api_cis_export(struct req *r)
{
	struct err e = { 0 };
	const char *format = req_query(r, "format");
	struct buf text = BUF_INIT;
	json_t *doc = NULL;
	int rc;

	format = format ? format : "json";
	rc = cmdb_export(r->st, &r->actor, &doc, &e);
	if (!rc)
		rc = cmdb_render_export(doc, format, &text, &e);
	json_decref(doc);
	if (rc) {
		buf_release(&text);
		reply_error(r, &e);
		return;
	}
	reply_raw(r, 200, strcmp(format, "csv") ? "application/json" : "text/csv; charset=utf-8",
		  buf_str(&text), text.len, 1);
	buf_release(&text);
}

void api_ci_types_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_types_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_ci_types_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	const char *name = json_string_value(json_object_get(r->json, "name"));
	int rc = cmdb_type_add(r->st, &r->actor, name, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_relationships_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_rel_create(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_relationships_delete(struct req *r)
{
	struct err e = { 0 };
	long long id;

	if (req_param_id(r, 0, "relationship", &id, &e) ||
	    cmdb_rel_delete(r->st, &r->actor, id, &e)) {
		reply_error(r, &e);
		return;
	}
	reply_raw(r, 204, "application/json", "", 0, 0);
}

void api_cis_tickets(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_tickets_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_items(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ticket_items_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_cis_link_ticket(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_ticket_link(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}
