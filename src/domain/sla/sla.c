/*
 * sla.c — SLA and OLA records: validation, create, change, retire, list,
 * read, and parsing a stored definition for the clocks and the report.
 *
 * A change is validated exactly as a create, over the stored definition
 * with the given fields replaced; its customer (or group) and service never
 * change. A change of terms (anything in the body) is a new version whose
 * terms sla_versions keeps, so the clocks of tickets opened before it go on
 * with theirs; a change of status alone keeps the terms' version. A retired
 * SLA applies to no new ticket and stays in reports.
 *
 * An SLA is stored as its normalized definition (canonical JSON) beside the
 * columns it is looked up by (name, customer, group, service), so what the
 * API returns is exactly what was validated. An escalation's notify target
 * is held to the outbox's rules here (outbox_target_check: no control
 * character, a public http(s) host unless outbound.allow names it, one
 * plain mail address) and again when a notice is sent.
 */
#include "domain/platform/audit.h"
#include "domain/platform/lifecycle.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "domain/platform/outbox.h"
#include "domain/platform/user.h"
#include "domain/sla/sla_int.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_MAX_MINUTES (366LL * 24 * 60)

void sla_def_release(struct sla_def *d)
{
	json_decref(d->escalations);
	d->escalations = NULL;
}

static int number(const json_t *in, const char *key, double lo, double hi, double *out,
		  struct err *e)
{
	json_t *v = json_object_get(in, key);

	if (!v || json_is_null(v))
		return 1;
	if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
	    json_number_value(v) <= lo || json_number_value(v) > hi)
		return err_set(e, ERR_INVALID, key, "'%s' must be a number above %g, at most %g",
			       key, lo, hi);
	*out = json_number_value(v);
	return 0;
}

static int check_targets(const json_t *t, json_t *norm, struct err *e)
{
	static const char *const fields[] = { "response_minutes", "resolution_minutes", NULL };
	char key[2], field[48];

	if (!json_is_object(t))
		return err_set(e, ERR_INVALID, "targets",
			       "'targets' must be an object of priorities \"1\" to \"5\"");
	if (json_object_size(t) != SLA_PRIORITIES) {
		const char *k;
		json_t *v;

		json_object_foreach((json_t *)t, k, v)
		{
			if (strlen(k) != 1 || k[0] < '1' || k[0] > '5')
				return err_set(e, ERR_INVALID, "targets",
					       "unknown priority '%s' (want \"1\" to \"5\")", k);
		}
	}
	for (int p = 1; p <= SLA_PRIORITIES; p++) {
		json_t *one;
		int64_t r, s;
		struct err sub = { 0 };

		key[0] = (char)('0' + p);
		key[1] = 0;
		snprintf(field, sizeof(field), "targets.%d", p);
		one = json_object_get(t, key);
		if (!json_is_object(one))
			return err_set(e, ERR_INVALID, field, "priority %d needs a target", p);
		if (jx_only(one, fields, &sub) ||
		    jx_int(one, "response_minutes", JX_REQUIRED, 1, TARGET_MAX_MINUTES, &r, &sub) ||
		    jx_int(one, "resolution_minutes", JX_REQUIRED, 1, TARGET_MAX_MINUTES, &s,
			   &sub))
			return err_set(e, ERR_INVALID, field, "priority %d: %s", p, sub.msg);
		if (s < r)
			return err_set(e, ERR_INVALID, field,
				       "priority %d: resolution_minutes is below response_minutes",
				       p);
		json_object_set_new(norm, key,
				    json_pack("{s:I, s:I}", "response_minutes", (json_int_t)r,
					      "resolution_minutes", (json_int_t)s));
	}
	return 0;
}

static int check_escalations(const json_t *v, json_t *norm, struct err *e)
{
	static const char *const fields[] = { "on", "notify", "reassign_group", NULL };
	size_t i;
	json_t *x;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > SLA_ESCALATIONS_MAX)
		return err_set(e, ERR_INVALID, "escalations",
			       "'escalations' must be a list of at most %d rules",
			       SLA_ESCALATIONS_MAX);
	json_array_foreach(v, i, x)
	{
		char field[48];
		const char *on, *notify = NULL, *group = NULL;
		struct err sub = { 0 };
		json_t *rule;

		snprintf(field, sizeof(field), "escalations[%zu]", i);
		if (!json_is_object(x))
			return err_set(e, ERR_INVALID, field, "an escalation must be an object");
		if (jx_only(x, fields, &sub) || jx_str(x, "on", JX_REQUIRED, 16, &on, &sub) ||
		    jx_str(x, "notify", JX_OPTIONAL, 500, &notify, &sub) < 0 ||
		    jx_str(x, "reassign_group", JX_OPTIONAL, 63, &group, &sub) < 0)
			return err_set(e, ERR_INVALID, field, "%s", sub.msg);
		if (strcmp(on, "warning") && strcmp(on, "breach"))
			return err_set(e, ERR_INVALID, field,
				       "unknown event '%s' (want warning or breach)", on);
		if (!notify && !group)
			return err_set(e, ERR_INVALID, field,
				       "an escalation needs notify or reassign_group");
		if (notify && outbox_target_check(notify, &sub)) {
			/* The rules of outbox.h: a public http(s) host, or one plain
			 * mail address; no control character anywhere. */
			snprintf(field, sizeof(field), "escalations[%zu].notify", i);
			return err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
		}
		if (group && !sla_valid_key(group))
			return err_set(e, ERR_INVALID, field, "malformed group name '%s'", group);
		rule = json_pack("{s:s}", "on", on);
		if (notify)
			json_object_set_new(rule, "notify", json_string(notify));
		if (group)
			json_object_set_new(rule, "reassign_group", json_string(group));
		json_array_append_new(norm, rule);
	}
	return 0;
}

struct sla_ctx {
	const struct actor *a;
	json_t *def;  /* normalized definition */
	struct sla_rec r;
	const char *customer;
	json_t *after;
};

/* The record as its body says, with what the columns beside it say over
 * it (the store finds an SLA by those), so an API read and the audit log
 * both show what the store would act on. */
json_t *sla_record_json(const struct sla_rec *r)
{
	json_t *j = json_loads(r->body, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	json_object_set_new(j, "name", json_string(r->name));
	if (r->customer_id) {
		json_object_set_new(j, "customer", json_string(r->customer));
		json_object_del(j, "group");
	} else {
		json_object_set_new(j, "group", json_string(r->group));
		json_object_del(j, "customer");
	}
	json_object_set_new(j, "service", json_string(r->service));
	json_object_set_new(j, "calendar", json_string(r->calendar));
	json_object_set_new(j, "id", json_integer(r->id));
	jx_set_time(j, "created_at", r->created_at);
	jx_set_time(j, "updated_at", r->updated_at);
	json_object_set_new(j, "version", json_integer(r->version));
	return lifecycle_state(j, r->status);
}

/* The kept versions of an SLA, as sla_state_json sums them up. */
struct terms_acc {
	const struct sla_rec *r;
	json_t *list; /* [[version, calendar, body], …] */
	int n, same;  /* how many; whether the one kept is the SLA's own */
};

static int terms_row(int64_t version, int64_t created_at, const char *calendar, const char *body,
		     void *ctx)
{
	struct terms_acc *t = ctx;

	t->n++;
	t->same = t->n == 1 && version == 1 && !strcmp(calendar, t->r->calendar) &&
		  !strcmp(body, t->r->body);
	return json_array_append_new(t->list, json_pack("[I, s, s]", (json_int_t)version, calendar,
							 body)) ?
		       ERR_INTERNAL :
		       0;
}

int sla_state_json(struct store *st, struct store_tx *tx, const struct sla_rec *r, json_t **out,
		   struct err *e)
{
	struct terms_acc t = { .r = r, .list = json_array() };
	int rc = st->ops->sla->sla_versions_each(st, tx, r->id, terms_row, &t, e);

	if (rc) {
		json_decref(t.list);
		return rc < 0 && !e->code ? err_set(e, rc, NULL, "out of memory") : rc;
	}
	*out = sla_record_json(r);
	if (!(t.n == 1 && t.same)) {
		struct buf text = BUF_INIT;
		char d[AUDIT_HASH_LEN * 2 + 1];

		jx_canonical(&text, t.list);
		audit_secret_digest(buf_str(&text), text.len, d);
		buf_release(&text);
		json_object_set_new(*out, "terms_digest", json_string(d));
	}
	json_decref(t.list);
	return 0;
}

/* The version in force at an instant: the last one written before it, or
 * the first when all came after. */
struct terms_at {
	int64_t at, version;
	char *body; /* owned */
};

static int at_row(int64_t version, int64_t created_at, const char *calendar, const char *body,
		  void *ctx)
{
	struct terms_at *t = ctx;

	if (t->body && created_at >= t->at)
		return 0;
	free(t->body);
	t->version = version;
	return (t->body = strdup(body)) ? 0 : ERR_INTERNAL;
}

int sla_def_at(struct store *st, const struct sla_rec *r, int64_t at, struct sla_def *d,
	       struct err *e)
{
	struct terms_at t = { .at = at };
	int rc = st->ops->sla->sla_versions_each(st, NULL, r->id, at_row, &t, e);

	if (!rc && !t.body)
		rc = err_set(e, ERR_INTERNAL, NULL, "store: sla '%s' keeps no version", r->name);
	if (rc < 0 && !e->code)
		rc = err_set(e, rc, NULL, "out of memory");
	if (!rc && !(rc = sla_def_parse(t.body, d, e))) {
		d->id = r->id;
		d->version = t.version;
	}
	free(t.body);
	return rc;
}

/* The customer a new SLA names: known and not retired. */
static int customer_choosable(struct store *st, struct store_tx *tx, const char *key,
			      struct customer *cu, struct err *e)
{
	int rc = customer_named(st, tx, key, cu, e);

	if (!rc && lifecycle_retired(cu->status))
		rc = err_set(e, ERR_INVALID, "customer", "customer '%s' is retired", key);
	return rc;
}

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct sla_ctx *w = arg;
	struct store *st = tx->st;
	const struct calendar *cal;
	char entity[96];
	json_t *change;
	int rc;

	if (w->customer) {
		struct customer cu;

		if ((rc = customer_choosable(st, tx, w->customer, &cu, e)))
			return rc;
		w->r.customer_id = cu.id;
		snprintf(w->r.customer, sizeof(w->r.customer), "%s", cu.key);
	}
	{
		struct sla_rec dup = { 0 };

		if (!(rc = st->ops->sla->sla_get(st, tx, 0, w->r.name, &dup, e))) {
			free(dup.body);
			return err_set(e, ERR_CONFLICT, "name", "sla '%s' already exists", w->r.name);
		}
		if (rc != ERR_NOT_FOUND)
			return rc;
	}
	if ((rc = service_check_choosable(st, tx, w->r.service, "service", e)) ||
	    (rc = sla_calendar_check_choosable(st, tx, w->r.calendar, e)) ||
	    (rc = sla_calendar_load(st, tx, w->r.calendar, "calendar", &cal, e)))
		return rc;
	w->r.created_at = clock_now();
	if ((rc = st->ops->sla->sla_insert(tx, &w->r, e)))
		return rc;
	if ((rc = sla_state_json(st, tx, &w->r, &w->after, e)))
		return rc;
	snprintf(entity, sizeof(entity), "sla:%s", w->r.name);
	change = json_pack("{s:O}", "after", w->after);
	rc = audit_append(tx, w->a, w->customer ? "sla.add" : "ola.add", entity, change, e);
	json_decref(change);
	return rc;
}

/* The fields a definition is made of: a create's body, a change's. */
#define DEF_FIELDS                                                                                 \
	"name", "customer", "group", "service", "calendar", "targets", "warn_at",                \
		"availability_target", "escalations"

/* Validate a definition (a create's body, or a stored one with a change's
 * fields over it) into w->r (body owned, name, group, service, calendar)
 * and w->customer (pointing into in). Touches no store. */
static int normalize(const json_t *in, struct sla_ctx *w, struct err *e)
{
	const char *name, *customer = NULL, *group = NULL, *service, *calendar = "24x7";
	double warn_at = 0.75, avail = -1;
	json_t *targets, *esc;
	int rc;

	if ((rc = jx_str(in, "name", JX_REQUIRED, 63, &name, e)) ||
	    (rc = jx_str(in, "customer", JX_OPTIONAL, 63, &customer, e)) < 0 ||
	    (rc = jx_str(in, "group", JX_OPTIONAL, 63, &group, e)) < 0 ||
	    (rc = jx_str(in, "service", JX_REQUIRED, 63, &service, e)) ||
	    (rc = jx_str(in, "calendar", JX_OPTIONAL, 63, &calendar, e)) < 0)
		return rc;
	if (!sla_valid_key(name))
		return err_set(e, ERR_INVALID, "name",
			       "malformed sla name '%s' (letters, digits, '-', '_', '.')", name);
	if (!customer == !group)
		return err_set(e, ERR_INVALID, customer ? "group" : "customer",
			       "an SLA names a customer, an OLA a group: give exactly one");
	if (group && !sla_valid_key(group))
		return err_set(e, ERR_INVALID, "group", "malformed group name '%s'", group);
	if ((rc = number(in, "warn_at", 0, 0.999, &warn_at, e)) < 0 ||
	    (rc = number(in, "availability_target", 0, 100, &avail, e)) < 0)
		return rc;
	w->def = json_object();
	json_object_set_new(w->def, "name", json_string(name));
	if (customer)
		json_object_set_new(w->def, "customer", json_string(customer));
	else
		json_object_set_new(w->def, "group", json_string(group));
	json_object_set_new(w->def, "kind", json_string(customer ? "sla" : "ola"));
	json_object_set_new(w->def, "service", json_string(service));
	json_object_set_new(w->def, "calendar", json_string(calendar));
	targets = json_object();
	esc = json_array();
	json_object_set_new(w->def, "targets", targets);
	json_object_set_new(w->def, "escalations", esc);
	if ((rc = check_targets(json_object_get(in, "targets"), targets, e)) ||
	    (rc = check_escalations(json_object_get(in, "escalations"), esc, e))) {
		json_decref(w->def);
		return rc;
	}
	json_object_set_new(w->def, "warn_at", json_real(warn_at));
	json_object_set_new(w->def, "availability_target",
			    avail < 0 ? json_null() : json_real(avail));
	w->r.body = json_dumps(w->def, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(w->def);
	if (!w->r.body)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(w->r.name, sizeof(w->r.name), "%s", name);
	snprintf(w->r.group, sizeof(w->r.group), "%s", group ? group : "");
	snprintf(w->r.service, sizeof(w->r.service), "%s", service);
	snprintf(w->r.calendar, sizeof(w->r.calendar), "%s", calendar);
	w->customer = customer;
	return 0;
}

int sla_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	    struct err *e)
{
	static const char *const fields[] = { DEF_FIELDS, NULL };
	struct sla_ctx w = { .a = a };
	int rc;

	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins add SLAs");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) || (rc = normalize(in, &w, e)))
		return rc;
	rc = store_write(st, do_add, &w, e);
	if (!rc)
		*out = lifecycle_show(w.after);
	else
		json_decref(w.after);
	free(w.r.body);
	return rc;
}

struct upd_ctx {
	const struct actor *a;
	const char *name;
	const json_t *in;
	struct sla_ctx n; /* the definition as changed */
	json_t *after;
};

/* The stored definition with the change's fields over it: what normalize
 * reads. A new reference. */
static json_t *merged(const struct sla_rec *r, const json_t *in)
{
	static const char *const def[] = { DEF_FIELDS, NULL };
	json_t *cur = sla_record_json(r), *m = json_object();

	for (const char *const *k = def; *k; k++) {
		json_t *v = json_object_get(in, *k) ? json_object_get(in, *k) :
						      json_object_get(cur, *k);

		if (v)
			json_object_set(m, *k, v);
	}
	json_decref(cur);
	return m;
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct upd_ctx *w = arg;
	struct store *st = tx->st;
	struct sla_rec cur = { 0 };
	const struct calendar *cal;
	char what[96];
	json_t *m = NULL, *state;
	int was_retired, new_terms, rc;

	free(w->n.r.body); /* a write may run again */
	json_decref(w->after);
	memset(&w->n, 0, sizeof(w->n));
	w->after = NULL;
	if ((rc = st->ops->sla->sla_get(st, tx, 0, w->name, &cur, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "sla '%s' not found", w->name);
	snprintf(what, sizeof(what), "sla '%s'", cur.name);
	if ((rc = lifecycle_version_check(w->in, cur.version, what, e)))
		goto out;
	m = merged(&cur, w->in); /* w->n.customer points into it */
	if ((rc = normalize(m, &w->n, e)))
		goto out;
	if (strcmp(w->n.r.service, cur.service) || strcmp(w->n.r.group, cur.group) ||
	    (w->n.customer ? strcmp(w->n.customer, cur.customer) : cur.customer_id != 0)) {
		rc = err_set(e, ERR_INVALID,
			     strcmp(w->n.r.service, cur.service) ? "service" :
			     cur.customer_id			     ? "customer" :
									       "group",
			     "an agreement's customer, group and service never change: retire "
			     "sla '%s' and add another",
			     cur.name);
		goto out;
	}
	if (strcmp(w->n.r.calendar, cur.calendar) &&
	    (rc = sla_calendar_check_choosable(st, tx, w->n.r.calendar, e)))
		goto out;
	if ((rc = sla_calendar_load(st, tx, w->n.r.calendar, "calendar", &cal, e)))
		goto out;
	w->n.r.id = cur.id;
	w->n.r.customer_id = cur.customer_id;
	snprintf(w->n.r.customer, sizeof(w->n.r.customer), "%s", cur.customer);
	snprintf(w->n.r.status, sizeof(w->n.r.status), "%s", cur.status);
	was_retired = lifecycle_retired(cur.status);
	lifecycle_status_parse(w->in, w->n.r.status, NULL);
	if (was_retired && !lifecycle_retired(w->n.r.status)) {
		/* Back in force: its service and customer must still be chosen. */
		struct customer cu;

		if ((rc = service_check_choosable(st, tx, cur.service, "service", e)) ||
		    (cur.customer_id && (rc = customer_choosable(st, tx, cur.customer, &cu, e))))
			goto out;
	}
	new_terms = strcmp(w->n.r.body, cur.body) != 0;
	w->n.r.created_at = cur.created_at;
	w->n.r.updated_at = clock_now();
	w->n.r.version = cur.version + 1;
	if ((rc = st->ops->sla->sla_update(tx, &w->n.r, new_terms, e)))
		goto out;
	if ((rc = sla_state_json(st, tx, &w->n.r, &state, e)))
		goto out;
	w->after = sla_record_json(&w->n.r);
	rc = lifecycle_audit(tx, w->a, "sla", lifecycle_action(was_retired, w->n.r.status),
			     cur.name, w->in, state, e);
out:
	json_decref(m);
	free(cur.body);
	return rc;
}

int sla_update(struct store *st, const struct actor *a, const char *name, const json_t *in,
	       json_t **out, struct err *e)
{
	static const char *const fields[] = { DEF_FIELDS, "version", "status", NULL };
	struct upd_ctx w = { .a = a, .name = name, .in = in };
	const char *n = NULL;
	char status[16];
	int rc;

	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins change SLAs");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &(int64_t){ 0 }, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 63, &n, e)) < 0 ||
	    (rc = lifecycle_status_parse(in, status, e)))
		return rc;
	if (n && strcmp(n, name))
		return err_set(e, ERR_INVALID, "name", "an sla's name never changes ('%s')", name);
	rc = store_write(st, do_update, &w, e);
	free(w.n.r.body);
	if (!rc)
		*out = lifecycle_show(w.after);
	else
		json_decref(w.after);
	return rc;
}

int sla_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		  struct err *e)
{
	const char *customer = jx_qstr(q, "customer"), *service = jx_qstr(q, "service");
	const char *kind = jx_qstr(q, "kind");
	int64_t customer_id = 0;
	struct sla_rec *v;
	size_t n;
	int show, rc;

	/* An SLA is a customer's, an OLA a group's (sla_record_json's "kind"). */
	if (kind && strcmp(kind, "sla") && strcmp(kind, "ola"))
		return err_set(e, ERR_INVALID, "kind", "unknown kind '%s' (sla, ola)", kind);

	if (customer) {
		struct customer cu;

		rc = customer_named(st, NULL, customer, &cu, actor_is_staff(a) ? e : NULL);
		if (rc && actor_is_staff(a))
			return rc;
		/* To a requester a customer that does not exist is another's: the
		 * list is empty either way, so no customer's name is disclosed. */
		customer_id = rc ? -1 : cu.id;
	}
	if (!actor_is_staff(a)) {
		if (customer_id && customer_id != a->customer_id) {
			*out = json_pack("{s:[], s:n}", "items", "next_cursor");
			return 0;
		}
		customer_id = a->customer_id ? a->customer_id : -1;
	}
	if ((rc = lifecycle_list_filter(q, &show, e)) ||
	    (rc = st->ops->sla->sla_list(st, customer_id, service, &v, &n, e)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if ((!kind || (v[i].customer_id != 0) == (kind[0] == 's')) &&
		    lifecycle_listed(show, v[i].status))
			json_array_append_new(items, lifecycle_show(sla_record_json(&v[i])));
	sla_free_slas(v, n);
	return jx_page(items, q, "name", 0, out, e);
}

int sla_get_json(struct store *st, const struct actor *a, const char *name, json_t **out,
		 struct err *e)
{
	struct sla_rec r = { 0 };
	int rc;

	if ((rc = st->ops->sla->sla_get(st, NULL, 0, name, &r, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "sla '%s' not found", name);
	if (!actor_is_staff(a) && r.customer_id != a->customer_id) {
		free(r.body);
		return err_set(e, ERR_NOT_FOUND, NULL, "sla '%s' not found", name);
	}
	*out = lifecycle_show(sla_record_json(&r));
	free(r.body);
	return 0;
}

/* A stored target in seconds. A body holds only what check_targets let
 * through; a value out of that range (a store changed behind the server's
 * back) counts as absent, 0, rather than overflowing. */
static int64_t stored_target(const json_t *one, const char *key)
{
	json_int_t m = json_integer_value(json_object_get(one, key));

	return m >= 1 && m <= TARGET_MAX_MINUTES ? 60 * m : 0;
}

int sla_def_parse(const char *body, struct sla_def *d, struct err *e)
{
	json_t *j = json_loads(body, 0, NULL), *t;
	const char *s;

	memset(d, 0, sizeof(*d));
	if (!j)
		return err_set(e, ERR_INTERNAL, NULL, "stored sla is not JSON");
	if ((s = json_string_value(json_object_get(j, "name"))))
		snprintf(d->name, sizeof(d->name), "%s", s);
	if ((s = json_string_value(json_object_get(j, "customer"))))
		snprintf(d->customer, sizeof(d->customer), "%s", s);
	if ((s = json_string_value(json_object_get(j, "group"))))
		snprintf(d->group, sizeof(d->group), "%s", s);
	if ((s = json_string_value(json_object_get(j, "service"))))
		snprintf(d->service, sizeof(d->service), "%s", s);
	s = json_string_value(json_object_get(j, "calendar"));
	snprintf(d->calendar, sizeof(d->calendar), "%s", s ? s : "24x7");
	t = json_object_get(j, "targets");
	for (int p = 1; p <= SLA_PRIORITIES; p++) {
		char k[2] = { (char)('0' + p), 0 };
		json_t *one = json_object_get(t, k);

		d->resp_target[p] = stored_target(one, "response_minutes");
		d->res_target[p] = stored_target(one, "resolution_minutes");
	}
	d->warn_at = json_is_number(json_object_get(j, "warn_at")) ?
			     json_number_value(json_object_get(j, "warn_at")) :
			     0.75;
	d->availability_target = json_is_number(json_object_get(j, "availability_target")) ?
					 json_number_value(json_object_get(j, "availability_target")) :
					 -1;
	d->escalations = json_incref(json_object_get(j, "escalations"));
	json_decref(j);
	return 0;
}
