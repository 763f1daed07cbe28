/*
 * api_change.c — change control: thin handlers over domain/change/ (which
 * also decides who may do what, so the CLI's --as gets the same answers),
 * and the schedule's iCalendar feed (render/change_ics.c).
 */
#include "api/handlers.h"
#include "domain/change/change.h"
#include "render/change_ics.h"

#include <stdlib.h>
#include <string.h>

void api_changes_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = change_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_changes_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = change_create(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_changes_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = change_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_changes_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = change_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

typedef int (*move_fn)(struct store *st, const struct actor *a, const char *key, const json_t *in,
		       json_t **out, struct err *e);

/* A move; a refusal that lists conflicts carries them in the error. */
static void move(struct req *r, move_fn fn)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(r->st, &r->actor, r->params[0], r->json, &out, &e);

	if (rc && out)
		reply_error_with(r, &e, "conflicts", json_incref(json_object_get(out, "conflicts")));
	else
		reply_result(r, rc, 200, rc ? NULL : out, &e);
	if (rc)
		json_decref(out);
}

void api_changes_submit(struct req *r)
{
	move(r, change_submit);
}

void api_changes_approve(struct req *r)
{
	move(r, change_approve);
}

void api_changes_reject(struct req *r)
{
	move(r, change_reject);
}

void api_changes_schedule(struct req *r)
{
	move(r, change_schedule);
}

void api_changes_start(struct req *r)
{
	move(r, change_start);
}

void api_changes_review(struct req *r)
{
	move(r, change_review);
}

void api_changes_cancel(struct req *r)
{
	move(r, change_cancel);
}

void api_changes_calendar(struct req *r)
{
	struct err e = { 0 };
	json_t *doc = NULL;
	char *text = NULL;
	int rc = change_calendar_json(r->st, &r->actor, &doc, &e);

	if (!rc)
		rc = change_render_ics(doc, &text, &e);
	json_decref(doc);
	if (rc) {
		reply_error(r, &e);
		return;
	}
	reply_raw(r, 200, "text/calendar; charset=utf-8", text, strlen(text), 1);
	free(text);
}

void api_freezes_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = freeze_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_freezes_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = freeze_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_freezes_remove(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = freeze_remove(r->st, &r->actor, r->params[0], &out, &e);

	if (!rc) {
		json_decref(out);
		reply_raw(r, 204, "application/json", "", 0, 0);
		return;
	}
	reply_error(r, &e);
}
