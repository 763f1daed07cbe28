/*
 * time.c — time entries on tickets, procedure executions (runs) and changes
 * (see cost.h). Each write validates its body, then inside the store's
 * writer transaction reads the subject, the user and the rate, stores the
 * entry and appends the audit record "time:ID" whose "after" is the entry
 * as time_state_scan lists it — in that one transaction, so a refusal leaves
 * nothing behind.
 *
 * Invariants: an entry's rate, currency and rate_key are those in force
 * when it was recorded and never change; its cost is cost_of(minutes,
 * rate), worked out again only when its minutes are corrected; its
 * customer and service are its ticket's when recorded (a run's or a
 * change's as the entry names them).
 */
#include "domain/cost/cost.h"
#include "domain/desk/ticket.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_change.h"
#include "store/store_cost.h"
#include "store/store_operation.h"
#include "store/store_sla.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------ */

/* The entry as answers and the audit hold it. */
static json_t *entry_json(const struct time_entry *t)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "subject", json_string(t->subject));
	json_object_set_new(j, "ref", json_string(t->ref));
	jx_set_str(j, "customer", t->customer[0] ? t->customer : NULL);
	jx_set_str(j, "service", t->service[0] ? t->service : NULL);
	json_object_set_new(j, "user", json_string(t->user));
	json_object_set_new(j, "minutes", json_integer(t->minutes));
	json_object_set_new(j, "date", json_string(t->date));
	json_object_set_new(j, "note", json_string(t->note));
	jx_set_str(j, "rate_key", t->rate_key[0] ? t->rate_key : NULL);
	json_object_set_new(j, "rate", json_integer(t->rate));
	json_object_set_new(j, "currency", json_string(t->currency));
	json_object_set_new(j, "cost", json_integer(t->cost));
	json_object_set_new(j, "source", json_string(t->source));
	jx_set_str(j, "created_by", t->created_by_name[0] ? t->created_by_name : NULL);
	jx_set_time(j, "created_at", t->created_at);
	jx_set_time(j, "updated_at", t->updated_at);
	json_object_set_new(j, "version", json_integer(t->version));
	return j;
}

static int audit_entry(struct store_tx *tx, struct audit_chain *chain, const struct actor *a,
		       const char *action, const struct time_entry *t, const json_t *in,
		       json_t **after, struct err *e)
{
	char entity[40];
	json_t *change, *state = entry_json(t);
	int rc;

	snprintf(entity, sizeof(entity), "time:%lld", (long long)t->id);
	change = json_pack("{s:O, s:O}", "set", in ? in : json_null(), "after", state);
	if (!change)
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	else if (chain)
		rc = audit_chain_append(chain, a, t->updated_at, action, entity, change, e);
	else
		rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	if (!rc && after)
		*after = state;
	else
		json_decref(state);
	return rc;
}

/* ---- validation ------------------------------------------------------ */

static int staff_only(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 0, "time entries are for staff", NULL, e);
}

/* "YYYY-MM-DD", a day that exists, from 2000-01-01 up to today (UTC). */
static int check_date(const char *s, int64_t now, struct err *e)
{
	int64_t y, days;
	unsigned m, d, m2, d2;
	int64_t y2;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2)
		return err_set(e, ERR_INVALID, "date", "date must be YYYY-MM-DD, not '%s'", s);
	y = atoi(s);
	m = (unsigned)atoi(s + 5);
	d = (unsigned)atoi(s + 8);
	days = time_days_from_civil(y, m, d);
	time_civil_from_days(days, &y2, &m2, &d2);
	if (m < 1 || m > 12 || d < 1 || y2 != y || m2 != m || d2 != d)
		return err_set(e, ERR_INVALID, "date", "no such day '%s'", s);
	if (y < 2000)
		return err_set(e, ERR_INVALID, "date", "date '%s' is before 2000-01-01", s);
	if (days > time_floor_div(now, 86400))
		return err_set(e, ERR_INVALID, "date", "date '%s' is in the future", s);
	return 0;
}

static void today(int64_t now, char out[11])
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(time_floor_div(now, 86400), &y, &m, &d);
	snprintf(out, 11, "%04lld-%02u-%02u", (long long)y, m, d);
}

enum subject { SUBJ_TICKET, SUBJ_RUN, SUBJ_CHANGE };
static const char *const subject_names[] = { "ticket", "run", "change" };

static enum subject subject_of(const char *ref)
{
	if (!strncmp(ref, "CHG-", 4))
		return SUBJ_CHANGE;
	if (!strncmp(ref, "RUN-", 4))
		return SUBJ_RUN;
	return SUBJ_TICKET;
}

/* The fields of a body (an import line adds its subject and date rules). */
struct fields {
	int64_t minutes;
	const char *date, *note, *user, *rate, *customer, *service;
};

static int read_fields(const json_t *in, enum subject s, int import, struct fields *f,
		       struct err *e)
{
	static const char *const ticket_keys[] = { "minutes", "date", "note", "user", "rate", NULL };
	static const char *const other_keys[] = { "minutes", "date",	 "note",    "user",
						  "rate",    "customer", "service", NULL };
	static const char *const import_keys[] = { "ticket", "run",	 "change",  "minutes",
						   "date",   "note",	 "user",    "rate",
						   "customer", "service", NULL };
	int rc;

	memset(f, 0, sizeof(*f));
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "an entry must be a JSON object");
	if ((rc = jx_only(in, import ? import_keys : s == SUBJ_TICKET ? ticket_keys : other_keys,
			  e)))
		return rc;
	if (import && s == SUBJ_TICKET &&
	    (json_object_get(in, "customer") || json_object_get(in, "service")))
		return err_set(e, ERR_INVALID,
			       json_object_get(in, "customer") ? "customer" : "service",
			       "an entry on a ticket takes the ticket's customer and service");
	if ((rc = jx_int(in, "minutes", JX_REQUIRED, 1, TIME_MINUTES_MAX, &f->minutes, e)) < 0 ||
	    (rc = jx_str(in, "date", import, 10, &f->date, e)) < 0 ||
	    (rc = jx_str(in, "note", JX_OPTIONAL, TIME_NOTE_MAX, &f->note, e)) < 0 ||
	    (rc = jx_str(in, "user", import, 63, &f->user, e)) < 0 ||
	    (rc = jx_str(in, "rate", JX_OPTIONAL, COST_RATE_KEY_MAX, &f->rate, e)) < 0 ||
	    (rc = jx_str(in, "customer", JX_OPTIONAL, 63, &f->customer, e)) < 0 ||
	    (rc = jx_str(in, "service", JX_OPTIONAL, 63, &f->service, e)) < 0)
		return rc;
	return 0;
}

/* ---- building an entry inside the write ------------------------------ */

/* The subject ref as a's entry names it: a ticket a may see (its key,
 * customer and service), a run or a change that exists. */
static int load_subject(struct store *st, struct store_tx *tx, const struct actor *a,
			enum subject s, const char *ref, struct time_entry *t, struct err *e)
{
	int rc;

	snprintf(t->subject, sizeof(t->subject), "%s", subject_names[s]);
	if (s == SUBJ_TICKET) {
		struct ticket k;

		if ((rc = ticket_load_visible(st, tx, a, ref, &k, e)))
			return rc;
		snprintf(t->ref, sizeof(t->ref), "%s", k.key);
		t->customer_id = k.customer_id;
		snprintf(t->customer, sizeof(t->customer), "%s", k.customer);
		snprintf(t->service, sizeof(t->service), "%s", k.service);
		ticket_release(&k);
		return 0;
	}
	if (s == SUBJ_RUN) {
		struct op_run r;

		memset(&r, 0, sizeof(r));
		rc = st->ops->operation->run_get(st, tx, ref, &r, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, rc, NULL, "execution '%s' not found", ref);
		if (rc)
			return rc;
		snprintf(t->ref, sizeof(t->ref), "%s", r.key);
		op_run_release(&r);
		return 0;
	}
	{
		struct change_rec c;

		memset(&c, 0, sizeof(c));
		rc = st->ops->change->change_get(st, tx, ref, 0, &c, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, rc, NULL, "change '%s' not found", ref);
		if (rc)
			return rc;
		snprintf(t->ref, sizeof(t->ref), "%s", c.key);
		change_rec_release(&c);
		return 0;
	}
}

/* Whom the entry is for: a's own, or (a manager's) the named staff user. */
static int load_user(struct store_tx *tx, const struct actor *a, const char *name,
		     struct user *u, struct err *e)
{
	struct store *st = tx->st;
	int rc;

	if (!name && !a->user_id)
		return err_set(e, ERR_INVALID, "user", "'user' is required (whose time it is)");
	if (name && strcmp(name, a->username) && !actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, "user", "only managers record another's time");
	rc = st->ops->user_get(st, tx, name ? 0 : a->user_id, name, u, e);
	if (rc == ERR_NOT_FOUND || (!rc && (!u->active || u->role == ROLE_REQUESTER)))
		return err_set(e, ERR_INVALID, "user", "no active staff user '%s'",
			       name ? name : a->username);
	return rc;
}

static int build(struct store_tx *tx, const struct actor *a, enum subject s, const char *ref,
		 const struct fields *f, const char *source, int64_t now, struct time_entry *t,
		 struct err *e)
{
	struct store *st = tx->st;
	struct user u;
	int rc;

	memset(t, 0, sizeof(*t));
	if (f->date && (rc = check_date(f->date, now, e)))
		return rc;
	if ((rc = load_subject(st, tx, a, s, ref, t, e)) || (rc = load_user(tx, a, f->user, &u, e)))
		return rc;
	if (f->customer) {
		struct customer cu;

		rc = customer_named(st, tx, f->customer, &cu, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID, "customer", "no customer '%s'", f->customer);
		if (rc)
			return rc;
		t->customer_id = cu.id;
		snprintf(t->customer, sizeof(t->customer), "%s", cu.key);
	}
	if (f->service) {
		struct service_rec sv;

		rc = st->ops->sla->service_get(st, tx, f->service, &sv, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID, "service", "no service '%s'", f->service);
		if (rc)
			return rc;
		snprintf(t->service, sizeof(t->service), "%s", sv.key);
	}
	if ((rc = cost_rate_for(role_name(u.role), u.groups, f->rate, t->rate_key, &t->rate, e)))
		return rc;
	t->user_id = u.id;
	snprintf(t->user, sizeof(t->user), "%s", u.username);
	t->minutes = f->minutes;
	if (f->date)
		snprintf(t->date, sizeof(t->date), "%s", f->date);
	else
		today(now, t->date);
	snprintf(t->note, sizeof(t->note), "%s", f->note ? f->note : "");
	snprintf(t->currency, sizeof(t->currency), "%s", cost_currency());
	t->cost = cost_of(t->minutes, t->rate);
	snprintf(t->source, sizeof(t->source), "%s", source);
	t->created_by = a->user_id;
	snprintf(t->created_by_name, sizeof(t->created_by_name), "%s",
		 a->user_id ? a->username : "");
	t->created_at = t->updated_at = now;
	t->version = 1;
	return 0;
}

/* ---- adding ---------------------------------------------------------- */

struct add_w {
	const struct actor *a;
	enum subject s;
	const char *ref;
	const json_t *in;
	struct fields f;
	json_t *after;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct add_w *w = arg;
	struct time_entry t;
	int rc;

	if ((rc = build(tx, w->a, w->s, w->ref, &w->f, "api", clock_now(), &t, e)) ||
	    (rc = tx->st->ops->cost->insert(tx, &t, e)))
		return rc;
	return audit_entry(tx, NULL, w->a, "time.add", &t, w->in, &w->after, e);
}

static int add_to(struct store *st, const struct actor *a, enum subject s, const char *ref,
		  const json_t *in, json_t **out, struct err *e)
{
	struct add_w w = { a, s, ref, in, { 0 }, NULL };
	int rc;

	if ((rc = staff_only(a, e)) || (rc = read_fields(in, s, 0, &w.f, e)))
		return rc;
	if ((rc = store_write(st, do_add, &w, e))) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	return 0;
}

int time_add_ticket(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		    json_t **out, struct err *e)
{
	return add_to(st, a, SUBJ_TICKET, ref, in, out, e);
}

int time_add_run(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		 json_t **out, struct err *e)
{
	return add_to(st, a, SUBJ_RUN, ref, in, out, e);
}

int time_add_change(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		    json_t **out, struct err *e)
{
	return add_to(st, a, SUBJ_CHANGE, ref, in, out, e);
}

int time_add(struct store *st, const struct actor *a, const char *ref, const json_t *in,
	     json_t **out, struct err *e)
{
	return add_to(st, a, subject_of(ref), ref, in, out, e);
}

/* ---- listing --------------------------------------------------------- */

static int list_of(struct store *st, const struct actor *a, enum subject s, const char *ref,
		   const json_t *query, json_t **out, struct err *e)
{
	struct time_entry t, *v = NULL;
	int64_t minutes = 0, cost = 0;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = staff_only(a, e)))
		return rc;
	memset(&t, 0, sizeof(t));
	if ((rc = load_subject(st, NULL, a, s, ref, &t, e)))
		return rc;
	if ((rc = st->ops->cost->list(st, t.subject, t.ref, 0, 0, &v, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(items, entry_json(&v[i]));
		minutes += v[i].minutes;
		if (!strcmp(v[i].currency, cost_currency()))
			cost += v[i].cost;
	}
	free(v);
	if ((rc = jx_page(items, query, "id", 1, out, e)))
		return rc;
	json_object_set_new(*out, "minutes", json_integer(minutes));
	json_object_set_new(*out, "cost", json_integer(cost));
	json_object_set_new(*out, "currency", json_string(cost_currency()));
	return 0;
}

int time_list_ticket(struct store *st, const struct actor *a, const char *ref,
		     const json_t *query, json_t **out, struct err *e)
{
	return list_of(st, a, SUBJ_TICKET, ref, query, out, e);
}

int time_list_run(struct store *st, const struct actor *a, const char *ref, const json_t *query,
		  json_t **out, struct err *e)
{
	return list_of(st, a, SUBJ_RUN, ref, query, out, e);
}

int time_list_change(struct store *st, const struct actor *a, const char *ref,
		     const json_t *query, json_t **out, struct err *e)
{
	return list_of(st, a, SUBJ_CHANGE, ref, query, out, e);
}

int time_list(struct store *st, const struct actor *a, const char *ref, const json_t *query,
	      json_t **out, struct err *e)
{
	return list_of(st, a, subject_of(ref), ref, query, out, e);
}

/* ---- correcting ------------------------------------------------------ */

static int parse_id(const char *id, int64_t *out, struct err *e)
{
	char *end;

	*out = strtoll(id, &end, 10);
	if (!*id || *end || *out <= 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "time entry '%s' not found", id);
	return 0;
}

int time_get_json(struct store *st, const struct actor *a, const char *id, json_t **out,
		  struct err *e)
{
	struct time_entry t;
	int64_t n;
	int rc;

	if ((rc = staff_only(a, e)) || (rc = parse_id(id, &n, e)))
		return rc;
	rc = st->ops->cost->get(st, NULL, n, &t, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, rc, NULL, "time entry %lld not found", (long long)n);
	if (rc)
		return rc;
	*out = entry_json(&t);
	return 0;
}

struct upd_w {
	const struct actor *a;
	int64_t id, version;
	const json_t *in;
	struct fields f;
	json_t *after;
};

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct upd_w *w = arg;
	struct store *st = tx->st;
	struct time_entry t;
	int64_t now = clock_now();
	int rc = st->ops->cost->get(st, tx, w->id, &t, e);

	if (rc == ERR_NOT_FOUND)
		return err_set(e, rc, NULL, "time entry %lld not found", (long long)w->id);
	if (rc)
		return rc;
	if (t.user_id != w->a->user_id && t.created_by != w->a->user_id &&
	    !actor_is_manager(w->a))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only managers correct another's time entry");
	if (w->version != t.version)
		return err_set(e, ERR_CONFLICT, "version",
			       "time entry %lld was changed meanwhile (version %lld, not %lld)",
			       (long long)t.id, (long long)t.version, (long long)w->version);
	if (w->f.date && (rc = check_date(w->f.date, now, e)))
		return rc;
	if (w->f.minutes)
		t.minutes = w->f.minutes;
	if (w->f.date)
		snprintf(t.date, sizeof(t.date), "%s", w->f.date);
	if (w->f.note)
		snprintf(t.note, sizeof(t.note), "%s", w->f.note);
	t.cost = cost_of(t.minutes, t.rate);
	t.updated_at = now;
	t.version++;
	if ((rc = st->ops->cost->update(tx, &t, e)))
		return rc;
	return audit_entry(tx, NULL, w->a, "time.update", &t, w->in, &w->after, e);
}

int time_update(struct store *st, const struct actor *a, const char *id, const json_t *in,
		json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "minutes", "date", "note", NULL };
	struct upd_w w = { a, 0, 0, in, { 0 }, NULL };
	int rc;

	if ((rc = staff_only(a, e)) || (rc = parse_id(id, &w.id, e)))
		return rc;
	if ((rc = jx_only(in, keys, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w.version, e)) < 0 ||
	    (rc = jx_int(in, "minutes", JX_OPTIONAL, 1, TIME_MINUTES_MAX, &w.f.minutes, e)) < 0 ||
	    (rc = jx_str(in, "date", JX_OPTIONAL, 10, &w.f.date, e)) < 0 ||
	    (rc = jx_str(in, "note", JX_OPTIONAL, TIME_NOTE_MAX, &w.f.note, e)) < 0)
		return rc;
	if ((rc = store_write(st, do_update, &w, e))) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	return 0;
}

/* ---- importing ------------------------------------------------------- */

struct imp_w {
	const struct actor *a;
	const json_t *entries;
	const int *lines; /* the line of each entry (a file), or NULL */
	int64_t imported;
};

/* Where entry i came from, before its message. */
static int name_entry(const struct imp_w *w, size_t i, struct err *e)
{
	char msg[sizeof(e->msg)], field[sizeof(e->field)];

	snprintf(msg, sizeof(msg), "%s", e->msg);
	snprintf(field, sizeof(field), "%s", e->field);
	if (w->lines)
		return err_set(e, e->code, field[0] ? field : NULL, "line %d: %s", w->lines[i],
			       msg);
	return err_set(e, e->code, field[0] ? field : NULL, "entries[%zu]: %s", i, msg);
}

static int import_one(struct store_tx *tx, struct imp_w *w, struct audit_chain *chain,
		      const json_t *in, int64_t now, struct err *e)
{
	static const char *const subjects[] = { "ticket", "run", "change" };
	struct fields f;
	struct time_entry t;
	const char *ref = NULL;
	enum subject s = SUBJ_TICKET;
	int rc;

	for (int i = 0; i < 3; i++) {
		json_t *v = json_is_object(in) ? json_object_get(in, subjects[i]) : NULL;

		if (!v)
			continue;
		if (ref)
			return err_set(e, ERR_INVALID, subjects[i],
				       "name one of ticket, run and change");
		if (!json_is_string(v) || !*json_string_value(v))
			return err_set(e, ERR_INVALID, subjects[i], "'%s' must be a reference",
				       subjects[i]);
		ref = json_string_value(v);
		s = (enum subject)i;
	}
	if (!ref && json_is_object(in))
		return err_set(e, ERR_INVALID, "ticket", "name the ticket, run or change");
	if ((rc = read_fields(in, s, 1, &f, e)))
		return rc;
	rc = build(tx, w->a, s, ref, &f, "import", now, &t, e);
	if (rc == ERR_NOT_FOUND)
		rc = err_set(e, ERR_INVALID, subjects[s], "no %s '%s'", subjects[s], ref);
	if (rc || (rc = tx->st->ops->cost->insert(tx, &t, e)))
		return rc;
	return audit_entry(tx, chain, w->a, "time.import", &t, in, NULL, e);
}

static int do_import(struct store_tx *tx, void *arg, struct err *e)
{
	struct imp_w *w = arg;
	struct audit_chain chain;
	int64_t now = clock_now();
	size_t i;
	json_t *x;
	int rc = 0;

	w->imported = 0;
	audit_chain_init(&chain, tx);
	json_array_foreach(w->entries, i, x)
	{
		if ((rc = import_one(tx, w, &chain, x, now, e))) {
			name_entry(w, i, e);
			break;
		}
		w->imported++;
	}
	if (!rc)
		rc = audit_chain_finish(&chain, e);
	audit_chain_release(&chain);
	return rc;
}

static int import_entries(struct store *st, const struct actor *a, const json_t *entries,
			  const int *lines, json_t **out, struct err *e)
{
	struct imp_w w = { a, entries, lines, 0 };
	int rc;

	if ((rc = actor_require_staff(a, 1, "time entries are for staff",
				      "only managers import time entries", e)))
		return rc;
	if (!json_array_size(entries))
		return err_set(e, ERR_INVALID, "entries", "no entries to import");
	if ((rc = store_write(st, do_import, &w, e)))
		return rc;
	*out = json_pack("{s:I}", "imported", (json_int_t)w.imported);
	return 0;
}

int time_import(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e)
{
	static const char *const keys[] = { "entries", NULL };
	const json_t *entries = json_object_get(in, "entries");
	int rc;

	if ((rc = jx_only(in, keys, e)))
		return rc;
	if (!json_is_array(entries))
		return err_set(e, ERR_INVALID, "entries", "'entries' must be an array");
	return import_entries(st, a, entries, NULL, out, e);
}

#define IMPORT_MAX_ENTRIES 1000000

int time_import_file(struct store *st, const struct actor *a, FILE *f, json_t **out,
		     struct err *e)
{
	json_t *entries = json_array();
	int *lines = NULL;
	size_t cap = 0, len = 0;
	char *line = NULL;
	ssize_t got;
	int no = 0, rc = 0;

	while ((got = getline(&line, &len, f)) >= 0) {
		json_error_t je;
		json_t *v;
		size_t n = json_array_size(entries);

		no++;
		if (strspn(line, " \t\r\n") == (size_t)got)
			continue;
		if (!(v = json_loadb(line, (size_t)got, 0, &je))) {
			rc = err_set(e, ERR_INVALID, NULL, "line %d: not JSON: %s", no, je.text);
			break;
		}
		if (n >= IMPORT_MAX_ENTRIES) {
			json_decref(v);
			rc = err_set(e, ERR_INVALID, NULL, "line %d: more than %d entries", no,
				     IMPORT_MAX_ENTRIES);
			break;
		}
		if (n == cap) {
			int *more = realloc(lines, (cap = cap ? cap * 2 : 256) * sizeof(*lines));

			if (!more) {
				json_decref(v);
				rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
				break;
			}
			lines = more;
		}
		lines[n] = no;
		json_array_append_new(entries, v);
	}
	free(line);
	if (!rc)
		rc = import_entries(st, a, entries, lines, out, e);
	free(lines);
	json_decref(entries);
	return rc;
}

/* ---- what the audit holds -------------------------------------------- */

int time_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	int64_t after = 0;
	int rc = 0;

	for (;;) {
		struct time_entry *v = NULL;
		size_t n = 0;

		if ((rc = st->ops->cost->list(st, NULL, NULL, after, 200, &v, &n, e)))
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			rc = audit_state_hand(&to, entry_json(&v[i]), "time:%lld",
					      (long long)v[i].id);
			after = v[i].id;
		}
		free(v);
		if (rc || !n)
			break;
	}
	return rc;
}
