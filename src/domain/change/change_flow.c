/*
 * change_flow.c — the moves of a change along its lifecycle: submit,
 * approve and reject, schedule (with the conflict check, freeze windows and
 * the planned outages), start, review, cancel. Each is one change_run: the
 * move is checked against the fresh record inside the write.
 */
#include "domain/change/change_int.h"
#include "domain/sla/outage.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_change.h"

#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 2000

static int move(struct change_rec *c, enum change_status to, struct err *e)
{
	enum change_status from;

	if (change_status_parse(c->status, &from) || !change_can_move(from, to))
		return err_set(e, ERR_TRANSITION, "status", "cannot move change %s from '%s' to '%s'",
			       c->key, c->status, change_status_name(to));
	snprintf(c->status, sizeof(c->status), "%s", change_status_name(to));
	return 0;
}

static json_t *now_json(void)
{
	char t[RFC3339_LEN];

	time_format_rfc3339(clock_now(), t);
	return json_string(t);
}

/* The common front of every move: staff, an object, only the keys listed,
 * a version. */
static int begin(struct cw *w, const struct actor *a, const char *key, const json_t *in,
		 const char *const *keys, struct err *e)
{
	int rc;

	w->a = a;
	w->key = key;
	w->in = in;
	if ((rc = change_actor_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w->version, e)))
		return rc;
	return 0;
}

/* ---- submit ---- */

static int op_submit(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		     struct err *e)
{
	enum change_type t = CHT_NORMAL;

	change_type_parse(c->type, &t);
	if (t == CHT_STANDARD) /* pre-approved: no assessment */
		return move(c, CHS_APPROVED, e);
	if (t == CHT_NORMAL) {
		enum change_rule r = CHR_ALL;
		size_t n = json_array_size(json_object_get(body, "approvers"));
		int q = (int)json_integer_value(json_object_get(body, "quorum"));

		change_rule_parse(json_string_value(json_object_get(body, "rule")), &r);
		if (!n)
			return err_set(e, ERR_INVALID, "approvers",
				       "a normal change needs named approvers");
		if (change_rule_outcome(r, q, (int)n, 0, 0) < 0)
			return err_set(e, ERR_INVALID, "quorum",
				       "a quorum of %d out of %zu approvers cannot be met", q, n);
	}
	return move(c, CHS_ASSESSMENT, e);
}

static const char *const version_only[] = { "version", NULL };

int change_submit(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e)
{
	struct cw w = { .action = "change.submit", .op = op_submit };
	int rc = begin(&w, a, key, in, version_only, e);

	return rc ? rc : change_run(st, &w, out, e);
}

/* ---- approve, reject ---- */

static int decide(struct cw *w, struct change_rec *c, json_t *body, int approve, struct err *e)
{
	json_t *approvals = json_object_get(body, "approvals"), *x;
	json_t *approvers = json_object_get(body, "approvers");
	const char *comment = json_string_value(json_object_get(w->in, "comment"));
	enum change_type t = CHT_NORMAL;
	enum change_rule r = CHR_ALL;
	int named = 0, yes = 0, no = 0, outcome;
	size_t i;

	change_type_parse(c->type, &t);
	if (strcmp(c->status, "assessment"))
		return err_set(e, ERR_TRANSITION, "status", "change %s is %s, not in assessment",
			       c->key, c->status);
	json_array_foreach(approvers, i, x)
		named |= !strcmp(json_string_value(x), w->a->username);
	if (t == CHT_EMERGENCY) {
		if (!actor_is_manager(w->a))
			return err_set(e, ERR_FORBIDDEN, NULL,
				       "an emergency change is approved by a manager");
	} else if (!named) {
		return err_set(e, ERR_FORBIDDEN, NULL, "'%s' is not an approver of change %s",
			       w->a->username, c->key);
	}
	json_array_foreach(approvals, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "approver")), w->a->username))
			return err_set(e, ERR_CONFLICT, "approver", "'%s' has decided on %s already",
				       w->a->username, c->key);
	if (!json_is_array(approvals)) {
		approvals = json_array();
		json_object_set_new(body, "approvals", approvals);
	}
	json_array_append_new(approvals,
			      json_pack("{s:s, s:s, s:s?, s:o}", "approver", w->a->username,
					"decision", approve ? "approved" : "rejected", "comment",
					comment, "at", now_json()));
	if (t == CHT_EMERGENCY) /* one manager decides now */
		return move(c, approve ? CHS_APPROVED : CHS_REJECTED, e);
	json_array_foreach(approvals, i, x) {
		const char *d = json_string_value(json_object_get(x, "decision"));

		yes += !strcmp(d, "approved");
		no += !strcmp(d, "rejected");
	}
	change_rule_parse(json_string_value(json_object_get(body, "rule")), &r);
	outcome = change_rule_outcome(r, (int)json_integer_value(json_object_get(body, "quorum")),
				      (int)json_array_size(approvers), yes, no);
	if (outcome > 0)
		return move(c, CHS_APPROVED, e);
	if (outcome < 0)
		return move(c, CHS_REJECTED, e);
	return 0;
}

static int op_approve(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		      struct err *e)
{
	return decide(w, c, body, 1, e);
}

static int op_reject(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		     struct err *e)
{
	return decide(w, c, body, 0, e);
}

static const char *const decide_keys[] = { "version", "comment", NULL };

static int run_decide(struct store *st, const struct actor *a, const char *key, const json_t *in,
		      int approve, json_t **out, struct err *e)
{
	struct cw w = { .action = approve ? "change.approve" : "change.reject",
			.op = approve ? op_approve : op_reject };
	const char *comment;
	int rc;

	if ((rc = begin(&w, a, key, in, decide_keys, e)) ||
	    (rc = (approve ? jx_str : jx_text)(in, "comment", !approve, COMMENT_MAX, &comment,
					      e)) < 0)
		return rc;
	return change_run(st, &w, out, e);
}

int change_approve(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	return run_decide(st, a, key, in, 1, out, e);
}

int change_reject(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e)
{
	return run_decide(st, a, key, in, 0, out, e);
}

/* ---- schedule ---- */

static int has_str(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

static void window_text(int64_t a, int64_t b, char *out, size_t n)
{
	char s[RFC3339_LEN], t[RFC3339_LEN];

	time_format_rfc3339(a, s);
	time_format_rfc3339(b, t);
	snprintf(out, n, "%s/%s", s, t);
}

/* The conflicts of c's window with other active changes (through reach,
 * the items c's items reach) and with freezes (global, or on a service c
 * names or its items reach). */
static int conflicts_of(struct store_tx *tx, const struct change_rec *c, const json_t *body,
			const json_t *reach, const json_t *reached_services, json_t **out,
			struct err *e)
{
	struct store *st = tx->st;
	struct change_rec *v = NULL;
	struct freeze_rec *f = NULL;
	size_t n = 0, nf = 0;
	json_t *list = json_array();
	char win[2 * RFC3339_LEN + 2], why[700];
	int rc;

	if ((rc = st->ops->change->change_active(st, tx, c->start, c->end, &v, &n, e)))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		json_t *ob = json_loads(v[i].body ? v[i].body : "{}", 0, NULL), *x;
		size_t k;

		if (v[i].id == c->id)
			goto next;
		window_text(v[i].start, v[i].end, win, sizeof(win));
		json_array_foreach(json_object_get(ob, "items"), k, x) {
			const char *item = json_string_value(x);
			json_t *r = json_object_get(reach, item);
			const char *rel, *via;

			rel = json_string_value(json_object_get(r, "relation"));
			via = json_string_value(json_object_get(r, "item"));
			if (!rel || !via)
				continue;
			if (!strcmp(rel, "same"))
				snprintf(why, sizeof(why), "%s (%s) changes %s too", v[i].key, win,
					 item);
			else
				snprintf(why, sizeof(why), "%s (%s) changes %s, %s %s: %s", v[i].key,
					 win, item,
					 !strcmp(rel, "impact") ? "which depends on"
								: "which is needed by",
					 via, json_string_value(json_object_get(r, "explain")));
			json_array_append_new(
				list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "kind", "change",
						"change", v[i].key, "item", item, "via", via, "reason",
						why, "path", json_object_get(r, "path")));
		}
next:
		json_decref(ob);
	}
	if ((rc = st->ops->change->freeze_list(st, tx, c->start, c->end, &f, &nf, e)))
		goto fail;
	for (size_t i = 0; i < nf; i++) {
		int global = !f[i].service[0];

		if (!global && !has_str(json_object_get(body, "services"), f[i].service) &&
		    !has_str(reached_services, f[i].service))
			continue;
		window_text(f[i].start, f[i].end, win, sizeof(win));
		snprintf(why, sizeof(why), "inside freeze %lld (%s%s, %s): %s", (long long)f[i].id,
			 global ? "every service" : "service ", global ? "" : f[i].service, win,
			 f[i].reason);
		json_array_append_new(list, json_pack("{s:s, s:I, s:s?, s:s, s:[]}", "kind",
						      "freeze", "freeze", (json_int_t)f[i].id,
						      "service", global ? NULL : f[i].service,
						      "reason", why, "path"));
	}
	change_free_recs(v, n);
	free(f);
	*out = list;
	return 0;
fail:
	change_free_recs(v, n);
	free(f);
	json_decref(list);
	return rc;
}

static int op_schedule(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		       struct err *e)
{
	const char *override = json_string_value(json_object_get(w->in, "override"));
	json_t *conflicts, *outages, *x;
	size_t i;
	int rc;

	if ((rc = move(c, CHS_SCHEDULED, e)))
		return rc;
	if (!c->start || !c->end)
		return err_set(e, ERR_INVALID, c->start ? "planned_end" : "planned_start",
			       "change %s has no planned window: set planned_start and planned_end",
			       c->key);
	if ((rc = conflicts_of(tx, c, body, json_object_get(w->ctx, "reach"),
			       json_object_get(w->ctx, "services"), &conflicts, e)))
		return rc;
	if (json_array_size(conflicts) && !override) {
		json_t *first = json_array_get(conflicts, 0);

		w->detail = json_pack("{s:o}", "conflicts", conflicts);
		return err_set(e, ERR_CONFLICT, "planned_start",
			       "change %s has %zu conflict%s: %.160s%s", c->key,
			       json_array_size(conflicts), json_array_size(conflicts) == 1 ? "" : "s",
			       json_string_value(json_object_get(first, "reason")),
			       json_array_size(conflicts) > 1 ? "; …" : "");
	}
	if (override)
		json_object_set_new(body, "override",
				    json_pack("{s:s, s:s, s:o, s:o}", "by", w->a->username, "reason",
					      override, "at", now_json(), "conflicts", conflicts));
	else
		json_decref(conflicts);
	/* One planned outage per service named, over the window. */
	outages = json_array();
	json_array_foreach(json_object_get(body, "services"), i, x) {
		int64_t id;

		if ((rc = outage_open(tx, w->a, json_string_value(x), c->start, 1, NULL, NULL, &id,
				      e)) ||
		    (rc = outage_close(tx, w->a, id, c->end, e))) {
			json_decref(outages);
			return rc;
		}
		json_array_append_new(outages, json_integer(id));
	}
	json_object_set_new(body, "outages", outages);
	return 0;
}

static const char *const schedule_keys[] = { "version", "override", NULL };

int change_schedule(struct store *st, const struct actor *a, const char *key, const json_t *in,
		    json_t **out, struct err *e)
{
	struct cw w = { .action = "change.schedule", .op = op_schedule };
	struct change_rec c;
	json_t *body, *reach, *svcs;
	const char *override;
	int rc;

	*out = NULL;
	if ((rc = begin(&w, a, key, in, schedule_keys, e)) ||
	    (rc = jx_str(in, "override", JX_OPTIONAL, 500, &override, e)) < 0)
		return rc;
	if (rc == 0 && !*override)
		return err_set(e, ERR_INVALID, "override", "an override needs a reason");
	if (rc == 0 && !actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, "override", "only managers override conflicts");
	/* The reach of the items in the CMDB graph, read before the write (the
	 * items of a change past draft do not change). */
	if ((rc = change_read(st, a, key, &c, &body, e)))
		return rc;
	rc = change_reach(st, a, json_object_get(body, "items"), &reach, &svcs, NULL, e);
	json_decref(body);
	change_rec_release(&c);
	if (rc)
		return rc;
	w.ctx = json_pack("{s:o, s:o}", "reach", reach, "services", svcs);
	return change_run(st, &w, out, e);
}

/* ---- start, review, cancel ---- */

static int op_start(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		    struct err *e)
{
	int rc = move(c, CHS_IMPLEMENTING, e);

	if (!rc)
		json_object_set_new(body, "started_at", now_json());
	return rc;
}

int change_start(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e)
{
	struct cw w = { .action = "change.start", .op = op_start };
	int rc = begin(&w, a, key, in, version_only, e);

	return rc ? rc : change_run(st, &w, out, e);
}

static int op_review(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		     struct err *e)
{
	const char *outcome = json_string_value(json_object_get(w->in, "outcome"));
	const char *notes = json_string_value(json_object_get(w->in, "notes"));
	int rc;

	int opened = !strcmp(c->status, "implementing");

	/* From implementing the review opens; with an outcome it also ends. */
	if (opened && (rc = move(c, CHS_REVIEW, e)))
		return rc;
	if (!outcome && !opened)
		return strcmp(c->status, "review")
			       ? move(c, CHS_REVIEW, e)
			       : err_set(e, ERR_INVALID, "outcome",
					 "change %s is in review: give its outcome", c->key);
	if (!outcome)
		return 0;
	if ((rc = move(c, strcmp(outcome, "success") ? CHS_FAILED : CHS_CLOSED, e)))
		return rc;
	json_object_set_new(body, "review",
			    json_pack("{s:s, s:s?, s:s, s:o}", "outcome", outcome, "notes", notes,
				      "by", w->a->username, "at", now_json()));
	return 0;
}

static const char *const review_keys[] = { "version", "outcome", "notes", NULL };

int change_review(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e)
{
	struct cw w = { .action = "change.review", .op = op_review };
	const char *s;
	int rc;

	if ((rc = begin(&w, a, key, in, review_keys, e)) ||
	    (rc = jx_str(in, "notes", JX_OPTIONAL, 8000, &s, e)) < 0 ||
	    (rc = jx_str(in, "outcome", JX_OPTIONAL, 16, &s, e)) < 0)
		return rc;
	if (rc == 0 && strcmp(s, "success") && strcmp(s, "failure"))
		return err_set(e, ERR_INVALID, "outcome", "unknown outcome '%.16s' (success, failure)",
			       s);
	return change_run(st, &w, out, e);
}

static int op_cancel(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		     struct err *e)
{
	const char *reason = json_string_value(json_object_get(w->in, "reason"));
	int scheduled = !strcmp(c->status, "scheduled");
	json_t *x;
	size_t i;
	int rc;

	if ((rc = move(c, CHS_CANCELLED, e)))
		return rc;
	if (scheduled) /* its planned outages go with it */
		json_array_foreach(json_object_get(body, "outages"), i, x)
			if ((rc = outage_remove(tx, w->a, json_integer_value(x), e)))
				return rc;
	json_object_set_new(body, "outages", json_array());
	json_object_set_new(body, "cancel_reason", reason ? json_string(reason) : json_null());
	return 0;
}

static const char *const cancel_keys[] = { "version", "reason", NULL };

int change_cancel(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e)
{
	struct cw w = { .action = "change.cancel", .op = op_cancel };
	const char *s;
	int rc;

	if ((rc = begin(&w, a, key, in, cancel_keys, e)) ||
	    (rc = jx_str(in, "reason", JX_OPTIONAL, 2000, &s, e)) < 0)
		return rc;
	return change_run(st, &w, out, e);
}
