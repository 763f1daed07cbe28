/*
 * import.c — migrated ticket history (see import.h).
 *
 * Each ticket is replayed at its recorded instants through the lifecycle
 * table (ticket_can_move) and the SLA clocks (sla_clock_*), exactly as live
 * changes are: so reports over imported history are computed as over live
 * tickets. A ticket is replayed twice: once to validate it and find its
 * final state (nothing written), then, after its row is inserted, again to
 * write its field history and comments (which reference the row).
 *
 * The whole batch runs in one write transaction through cached prepared
 * statements; the first bad ticket fails the transaction, so nothing of the
 * batch stays. Audit: one record per ticket ("ticket.import", the state as
 * stored) and one per comment, so audit_verify holds them like live ones.
 * Customers, users and SLAs are looked up once per batch.
 */
#include "domain/desk/import.h"
#include "domain/platform/audit.h"
#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "domain/desk/ticket.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES (4u * 1024 * 1024)

struct sla_slot {
	int found;
	struct sla_def d;
	const struct calendar *c;
};

/* One timeline event, parsed once (strings point into the ticket's JSON). */
struct ev {
	int64_t at;
	int comment;            /* 0: a status change */
	enum ticket_status to;
	const char *body, *by;
	int pub, staff;
	int64_t uid;
};

struct imp {
	const struct actor *a;
	FILE *f;                /* JSONL source, or */
	const json_t *items;    /* an array */
	const char *unit;       /* "line" or "ticket" */
	json_t *customers;      /* key -> id (0: unknown) */
	json_t *users;          /* username -> [id, role] */
	json_t *sla_index;      /* "cid/service" -> slot index */
	struct sla_slot *slots;
	size_t nslots, cap;
	struct ev *evs;
	size_t evcap;
	/* ticket numbers, taken from the counters once and written back once */
	int64_t number[KIND__COUNT];
	int numbered[KIND__COUNT];
	/* the audit chain, its head read once and stored once */
	struct audit_chain chain;
	int64_t now;
	/* the digest of the current ticket's field history, as written */
	struct history_digest hist;
	int64_t imported;
	char first[24], last[24];
};

/* Copy s into out[n] (truncating): snprintf("%s") without the formatter,
 * which the hot path calls a dozen times per ticket. */
static void copy(char *out, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = 0;
}

/* The decimal digits of v (v >= 0) at the end of buf[24]; returns them. */
static char *digits(int64_t v, char *buf)
{
	char *p = buf + 23;

	*p = 0;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	return p;
}

static int fail(struct imp *im, long n, struct err *e)
{
	char msg[sizeof(e->msg)];

	snprintf(msg, sizeof(msg), "%s", e->msg);
	snprintf(e->msg, sizeof(e->msg), "%s %ld: %.200s", im->unit, n, msg);
	return e->code ? e->code : ERR_INVALID;
}

/* ---- canonical JSON text, fast ----
 *
 * The text audit_append() stores is json_dumps(JSON_COMPACT |
 * JSON_SORT_KEYS | JSON_ENCODE_ANY). Dumping through jansson costs more
 * than a third of an imported ticket (a qsort, a callback per character
 * and a printf per number for every object); this writer makes the same
 * text directly: keys sorted by strcmp, compact separators, the same string
 * escapes (", \, and control characters), integers in decimal, reals as
 * jansson prints them. */

static int import_finish(struct store_tx *tx, struct imp *im, struct err *e)
{
	struct store *st = tx->st;
	int rc;

	for (int k = 0; k < KIND__COUNT; k++)
		if (im->numbered[k] &&
		    (rc = st->ops->sla->counter_set(tx, ticket_kind_prefix((enum ticket_kind)k),
						    im->number[k], e))) {
			audit_chain_release(&im->chain);
			return rc;
		}
	return audit_chain_finish(&im->chain, e);
}

static int next_number(struct store_tx *tx, struct imp *im, enum ticket_kind k, int64_t *n,
		       struct err *e)
{
	int rc;

	if (!im->numbered[k]) {
		if ((rc = tx->st->ops->sla->counter_get(tx, ticket_kind_prefix(k), &im->number[k],
							e)))
			return rc;
		im->numbered[k] = 1;
	}
	*n = ++im->number[k];
	return 0;
}

/* The customer key names, looked up once (im->customers remembers the
 * answer, never a failure of the store): 0, or ERR_INVALID when unknown. */
static int customer_id(struct store_tx *tx, struct imp *im, const char *key, struct err *e)
{
	json_t *v = json_object_get(im->customers, key);
	struct customer cu;
	int rc;

	if (!v) {
		rc = tx->st->ops->customer_get(tx->st, tx, 0, key, &cu, e);
		if (rc && rc != ERR_NOT_FOUND)
			return rc;
		v = json_integer(rc ? 0 : cu.id);
		json_object_set_new(im->customers, key, v);
	}
	if (!json_integer_value(v))
		return err_set(e, ERR_INVALID, "customer", "unknown customer '%s'", key);
	return 0;
}

/* The active user called name: 0 and id/role (and the customer's id when
 * customer_id is given, 0 for staff), ERR_NOT_FOUND (e untouched) when
 * there is none, or the store's failure. */
static int user_find_in(struct store_tx *tx, struct imp *im, const char *name, int64_t *id,
			enum role *role, int64_t *customer_id, struct err *e)
{
	json_t *v = json_object_get(im->users, name);
	struct user u;
	int rc;

	if (!v) {
		rc = tx->st->ops->user_get(tx->st, tx, 0, name, &u, e);
		if (rc && rc != ERR_NOT_FOUND)
			return rc;
		if (rc || !u.active)
			v = json_pack("[I, i, I]", (json_int_t)0, 0, (json_int_t)0);
		else
			v = json_pack("[I, i, I]", (json_int_t)u.id, (int)u.role,
				      (json_int_t)u.customer_id);
		json_object_set_new(im->users, name, v);
	}
	*id = json_integer_value(json_array_get(v, 0));
	*role = (enum role)json_integer_value(json_array_get(v, 1));
	if (customer_id)
		*customer_id = json_integer_value(json_array_get(v, 2));
	return *id ? 0 : ERR_NOT_FOUND;
}

static int user_find(struct store_tx *tx, struct imp *im, const char *name, int64_t *id,
		     enum role *role, struct err *e)
{
	return user_find_in(tx, im, name, id, role, NULL, e);
}

/* The line's "requester": an active user of the ticket's customer, who
 * then finds the ticket among their own (requester=me, the portal). */
static int requester_find(struct store_tx *tx, struct imp *im, const char *name,
			  const char *customer, struct ticket *t, struct err *e)
{
	int64_t cid = 0;
	enum role role;
	int rc;

	if (!customer)
		return err_set(e, ERR_INVALID, "requester",
			       "a requester needs the ticket's customer: add 'customer'");
	rc = user_find_in(tx, im, name, &t->requester_id, &role, &cid, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID, "requester", "unknown user '%s'", name);
	if (rc)
		return rc;
	if (cid != json_integer_value(json_object_get(im->customers, customer)))
		return err_set(e, ERR_INVALID, "requester",
			       "user '%s' is not a user of customer '%s'", name, customer);
	copy(t->requester, sizeof(t->requester), name);
	return 0;
}

static struct sla_slot *sla_for(struct store_tx *tx, struct imp *im, int64_t cid,
				const char *service, struct err *e)
{
	char key[96];
	json_t *v;
	struct sla_slot *s;
	struct sla_rec r = { 0 };
	int rc;

	snprintf(key, sizeof(key), "%lld/%s", (long long)cid, service);
	if ((v = json_object_get(im->sla_index, key)))
		return &im->slots[json_integer_value(v)];
	if (im->nslots == im->cap) {
		size_t nc = im->cap ? im->cap * 2 : 16;
		struct sla_slot *p = realloc(im->slots, nc * sizeof(*p));

		if (!p) {
			err_set(e, ERR_INTERNAL, NULL, "out of memory");
			return NULL;
		}
		im->slots = p;
		im->cap = nc;
	}
	s = &im->slots[im->nslots];
	memset(s, 0, sizeof(*s));
	rc = tx->st->ops->sla->sla_find(tx->st, tx, cid, service, &r, e);
	if (rc && rc != ERR_NOT_FOUND)
		return NULL; /* e says why; not found: no SLA, remembered as such */
	if (!rc) {
		rc = sla_def_parse(r.body, &s->d, e);

		free(r.body);
		if (rc)
			return NULL;
		s->d.id = r.id;
		s->d.version = r.version;
		snprintf(s->d.name, sizeof(s->d.name), "%s", r.name);
		if (sla_calendar_load(tx->st, tx, r.calendar, NULL, &s->c, e)) {
			sla_def_release(&s->d);
			return NULL;
		}
		s->found = 1;
	}
	json_object_set_new(im->sla_index, key, json_integer((json_int_t)im->nslots));
	im->nslots++;
	return s;
}

/* Write one field history row and fold it into the ticket's history
 * digest, in the form ticket_state_json() computes it from the stored rows
 * (id and time, actor, field, old, new; absent values as 0x01; each part
 * ended by 0x1f), so the audited state needs no re-read. The import's
 * audit test (tests/api/sla.test.mjs) verifies the two agree. */
static int history(struct store_tx *tx, struct imp *im, const struct ticket *t, int64_t at,
		   const char *field, const char *old, const char *new_value, struct err *e)
{
	struct history_entry h = { 0 };
	int rc;

	h.ticket_id = t->id;
	h.at = at;
	h.actor_id = im->a->user_id;
	copy(h.actor, sizeof(h.actor), im->a->username[0] ? im->a->username : "system");
	copy(h.field, sizeof(h.field), field);
	h.old_value = (char *)old;
	h.new_value = (char *)new_value;
	if ((rc = tx->st->ops->history_insert(tx, &h, e)))
		return rc;
	history_digest_add(&im->hist, &h);
	return 0;
}

static void field_name(char *out, size_t i)
{
	char d[24];

	memcpy(out, "timeline[", 9);
	copy(out + 9, 24, digits((int64_t)i, d));
	memcpy(out + strlen(out), "]", 2);
}

/* Parse and check the shape and order of a timeline into im->evs. */
static int parse_events(struct store_tx *tx, struct imp *im, const json_t *timeline,
			int64_t created, size_t *n, struct err *e)
{
	static const char *const status_fields[] = { "at", "status", NULL };
	static const char *const comment_fields[] = { "at", "comment", "public", "by", NULL };
	int64_t prev = created;
	size_t i;
	json_t *j;
	int rc;

	*n = 0;
	if (!timeline || json_is_null(timeline))
		return 0;
	if (!json_is_array(timeline))
		return err_set(e, ERR_INVALID, "timeline", "'timeline' must be a list");
	if (json_array_size(timeline) > im->evcap) {
		size_t nc = json_array_size(timeline) + 16;
		struct ev *p = realloc(im->evs, nc * sizeof(*p));

		if (!p)
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		im->evs = p;
		im->evcap = nc;
	}
	json_array_foreach(timeline, i, j)
	{
		struct ev *v = &im->evs[i];
		struct err sub = { 0 };
		char field[48];

		memset(v, 0, sizeof(*v));
		field_name(field, i);
		if (!json_is_object(j))
			return err_set(e, ERR_INVALID, field, "an event must be an object");
		if (jx_time(j, "at", JX_REQUIRED, &v->at, &sub))
			return err_set(e, ERR_INVALID, field, "%s", sub.msg);
		if (v->at < prev)
			return err_set(e, ERR_INVALID, field,
				       "events must be in time order (and not before created_at)");
		prev = v->at;
		if (json_object_get(j, "status")) {
			const char *s;

			if (jx_only(j, status_fields, &sub) ||
			    jx_str(j, "status", JX_REQUIRED, 32, &s, &sub))
				return err_set(e, ERR_INVALID, field, "%s", sub.msg);
			if (ticket_status_parse(s, &v->to))
				return err_set(e, ERR_INVALID, field, "unknown status '%s'", s);
		} else if (json_object_get(j, "comment")) {
			enum role role = ROLE_AGENT;

			v->comment = 1;
			v->pub = 1;
			v->staff = 1;
			if (jx_only(j, comment_fields, &sub) ||
			    jx_str(j, "comment", JX_REQUIRED, COMMENT_MAX, &v->body, &sub) ||
			    jx_bool(j, "public", JX_OPTIONAL, &v->pub, &sub) < 0 ||
			    jx_str(j, "by", JX_OPTIONAL, 63, &v->by, &sub) < 0)
				return err_set(e, ERR_INVALID, field, "%s", sub.msg);
			if (!v->body[strspn(v->body, " \t\r\n")])
				return err_set(e, ERR_INVALID, field, "comment must not be empty");
			rc = v->by ? user_find(tx, im, v->by, &v->uid, &role, e) : ERR_NOT_FOUND;
			if (rc && rc != ERR_NOT_FOUND)
				return rc;
			if (!rc)
				v->staff = role != ROLE_REQUESTER;
			else if (v->by && (!strcmp(v->by, "requester") || !strcmp(v->by, "customer")))
				v->staff = 0;
			if (!v->staff && !v->pub)
				return err_set(e, ERR_INVALID, field,
					       "requesters cannot write internal notes");
		} else {
			return err_set(e, ERR_INVALID, field, "an event has a status or a comment");
		}
	}
	*n = json_array_size(timeline);
	return 0;
}

/* Replay n events on t through the lifecycle (and the clock when k is
 * given, or write history and comments when write is set). */
static int replay(struct store_tx *tx, struct imp *im, struct ticket *t, size_t n,
		  struct sla_clock *k, const struct calendar *c, int write, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		const struct ev *v = &im->evs[i];
		char field[48];

		field_name(field, i);
		if (!v->comment) {
			enum ticket_status from = t->status, to = v->to;

			if (from == to)
				continue;
			if (!ticket_can_move(from, to))
				return err_set(e, ERR_TRANSITION, field,
					       "cannot move from '%s' to '%s'",
					       ticket_status_name(from), ticket_status_name(to));
			t->status = to;
			if (to == ST_RESOLVED)
				t->resolved_at = v->at;
			if (from == ST_RESOLVED && to == ST_IN_PROGRESS)
				t->resolved_at = 0;
			if (ticket_status_is_terminal(to))
				t->closed_at = v->at;
			t->updated_at = v->at;
			if (k)
				sla_clock_move(k, c, from, to, v->at);
			if (write && history(tx, im, t, v->at, "status", ticket_status_name(from),
					     ticket_status_name(to), e))
				return e->code;
			continue;
		}
		if (ticket_status_is_terminal(t->status))
			return err_set(e, ERR_TRANSITION, field,
				       "the ticket is %s: comments are closed",
				       ticket_status_name(t->status));
		t->updated_at = v->at;
		if (k && v->pub && v->staff)
			sla_clock_respond(k, v->at);
		if (write) {
			struct comment cm = { 0 };
			char entity[48];
			json_t *change;
			int rc;

			cm.ticket_id = t->id;
			cm.author_id = v->uid;
			snprintf(cm.author, sizeof(cm.author), "%s",
				 v->by ? v->by : im->a->username[0] ? im->a->username : "system");
			cm.body = (char *)v->body;
			cm.public = v->pub;
			cm.created_at = v->at;
			if ((rc = tx->st->ops->comment_insert(tx, &cm, e)))
				return rc;
			{
				char d[24];

				memcpy(entity, "comment:", 8);
				copy(entity + 8, sizeof(entity) - 8, digits(cm.id, d));
			}
			change = json_pack("{s:o}", "after", comment_to_json(&cm, t->key));
			rc = audit_chain_append(&im->chain, im->a, im->now, "ticket.import", entity, change, e);
			json_decref(change);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static const char *const create_fields[] = { "kind",	 "title",   "description", "impact",
					      "urgency", "customer", "service",	   "assignee",
					      "channel", NULL };

static int import_one(struct store_tx *tx, struct imp *im, const json_t *item, struct err *e)
{
	static const char *const fields[] = { "kind",	  "title",    "description", "impact",
					      "urgency",  "customer", "service",     "assignee",
					      "requester", "channel", "created_at",  "timeline",
					      NULL };
	struct store *st = tx->st;
	struct ticket t, w;
	struct sla_clock k;
	struct sla_slot *slot = NULL;
	const char *customer = NULL, *assignee = NULL, *requester = NULL;
	json_t *sub, *after, *change;
	char entity[48];
	size_t nev = 0;
	int64_t n;
	int rc;

	if (!json_is_object(item))
		return err_set(e, ERR_INVALID, NULL, "a ticket must be a JSON object");
	if ((rc = jx_only(item, fields, e)))
		return rc;
	sub = json_object();
	for (const char *const *f = create_fields; *f; f++)
		if (json_object_get(item, *f))
			json_object_set(sub, *f, json_object_get(item, *f));
	if (!json_object_get(sub, "channel"))
		json_object_set_new(sub, "channel", json_string("api"));
	rc = ticket_validate_create(sub, im->a, &t, e);
	if (!rc)
		rc = jx_time(item, "created_at", JX_REQUIRED, &t.created_at, e);
	if (!rc && jx_str(item, "customer", JX_OPTIONAL, 63, &customer, e) == 0)
		rc = customer_id(tx, im, customer, e);
	if (!rc && jx_str(item, "assignee", JX_OPTIONAL, 63, &assignee, e) == 0) {
		enum role role;

		rc = user_find(tx, im, assignee, &t.assignee_id, &role, e);
		if (rc == ERR_NOT_FOUND || (!rc && role == ROLE_REQUESTER))
			rc = err_set(e, ERR_INVALID, "assignee",
				     "user '%s' cannot be assigned tickets", assignee);
		else if (!rc)
			snprintf(t.assignee, sizeof(t.assignee), "%s", assignee);
	}
	/* Who asked: the line's requester, else whoever imports. */
	t.requester_id = im->a->user_id;
	snprintf(t.requester, sizeof(t.requester), "%s", im->a->user_id ? im->a->username : "");
	if (!rc && (rc = jx_str(item, "requester", JX_OPTIONAL, 63, &requester, e)) == 0)
		rc = requester_find(tx, im, requester, customer, &t, e);
	else if (rc > 0)
		rc = 0; /* none given */
	if (!rc)
		rc = parse_events(tx, im, json_object_get(item, "timeline"), t.created_at, &nev, e);
	if (rc)
		goto out;
	/* Strings still point into sub/item: both live until the end. */
	if (customer) {
		t.customer_id = json_integer_value(json_object_get(im->customers, customer));
		snprintf(t.customer, sizeof(t.customer), "%s", customer);
	}
	if (t.assignee_id)
		t.status = ST_ASSIGNED;
	t.updated_at = t.created_at;
	w = t; /* the starting state, for the second pass */
	if (t.customer_id && t.service[0]) {
		if (!(slot = sla_for(tx, im, t.customer_id, t.service, e))) {
			rc = e->code;
			goto out;
		}
		if (!slot->found)
			slot = NULL;
		else
			sla_clock_start(&k, &slot->d, slot->c, t.priority, t.created_at);
	}
	/* Pass 1: the lifecycle and the clocks; nothing is written. */
	if ((rc = replay(tx, im, &t, nev, slot ? &k : NULL, slot ? slot->c : NULL, 0, e)) ||
	    (rc = next_number(tx, im, t.kind, &n, e)))
		goto out;
	snprintf(t.key, sizeof(t.key), "%s-%lld", ticket_kind_prefix(t.kind), (long long)n);
	if ((rc = st->ops->ticket_insert(tx, &t, e)))
		goto out;
	/* Pass 2: field history and comments, which reference the row. */
	w.id = t.id;
	memcpy(w.key, t.key, sizeof(w.key));
	history_digest_init(&im->hist);
	if ((rc = history(tx, im, &w, w.created_at, "status", NULL, ticket_status_name(w.status),
			  e)) ||
	    (slot && (rc = history(tx, im, &w, w.created_at, "sla", NULL, slot->d.name, e))) ||
	    (rc = replay(tx, im, &w, nev, NULL, NULL, 1, e)))
		goto out;
	if (slot) {
		k.ticket_id = t.id;
		if ((rc = st->ops->sla->clock_put(tx, &k, e)))
			goto out;
	}
	/* The state audit_verify holds the ticket against, as
	 * ticket_state_json() makes it from the stored rows. */
	after = ticket_to_json(&t);
	history_digest_set(&im->hist, after);
	memcpy(entity, "ticket:", 7);
	copy(entity + 7, sizeof(entity) - 7, t.key);
	change = json_pack("{s:o, s:s}", "after", after, "source", "import");
	rc = audit_chain_append(&im->chain, im->a, im->now, "ticket.import", entity, change, e);
	json_decref(change);
	if (!rc) {
		if (!im->imported)
			snprintf(im->first, sizeof(im->first), "%s", t.key);
		snprintf(im->last, sizeof(im->last), "%s", t.key);
		im->imported++;
	}
out:
	json_decref(sub);
	return rc;
}

static int import_all(struct store_tx *tx, struct imp *im, struct err *e);

static int do_import(struct store_tx *tx, void *arg, struct err *e)
{
	int rc;

	struct imp *im = arg;

	/* Only speed depends on bulk (store_sla.h): its failure is not ours. */
	tx->st->ops->sla->bulk(tx, 1);
	audit_chain_init(&im->chain, tx);
	rc = import_all(tx, im, e);
	if (!rc)
		rc = import_finish(tx, im, e);
	else
		audit_chain_release(&im->chain);
	tx->st->ops->sla->bulk(tx, 0);
	return rc;
}

/* ---- reading JSONL on a thread of its own ----
 *
 * Reading and parsing lines runs beside the writer, which takes the parsed
 * objects in order from a bounded ring: the second core parses while the
 * first writes. The reader stops at the first unreadable line and hands over
 * its number and reason instead of an object. */

#define RING 512

struct parsed {
	long lineno;
	json_t *j;      /* NULL: err says why */
	int code;
	char err[200];
};

struct reader {
	FILE *f;
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	struct parsed ring[RING];
	size_t head, count;
	int eof, stop;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int last = 0;

	while (!last) {
		struct parsed p = { 0 };
		json_error_t jerr;

		if ((len = getline(&line, &cap, r->f)) < 0)
			break;
		lineno++;
		if (!line[strspn(line, " \t\r\n")])
			continue;
		p.lineno = lineno;
		if ((size_t)len > LINE_MAX_BYTES) {
			p.code = ERR_TOO_LARGE;
			snprintf(p.err, sizeof(p.err), "the line is too long");
		} else if (!(p.j = json_loadb(line, (size_t)len, 0, &jerr))) {
			p.code = ERR_INVALID;
			snprintf(p.err, sizeof(p.err), "malformed JSON: %.150s", jerr.text);
		}
		last = p.j == NULL;
		pthread_mutex_lock(&r->mu);
		while (r->count == RING && !r->stop)
			pthread_cond_wait(&r->can_put, &r->mu);
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			json_decref(p.j);
			break;
		}
		r->ring[(r->head + r->count) % RING] = p;
		if (r->count++ == 0) /* the writer waits only on an empty ring */
			pthread_cond_signal(&r->can_take);
		pthread_mutex_unlock(&r->mu);
	}
	free(line);
	pthread_mutex_lock(&r->mu);
	r->eof = 1;
	pthread_cond_signal(&r->can_take);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* The next parsed line: 1 and *p, or 0 at the end. */
static int reader_take(struct reader *r, struct parsed *p)
{
	int got = 0;

	pthread_mutex_lock(&r->mu);
	while (!r->count && !r->eof)
		pthread_cond_wait(&r->can_take, &r->mu);
	if (r->count) {
		*p = r->ring[r->head];
		r->head = (r->head + 1) % RING;
		if (r->count-- == RING) /* the reader waits only on a full ring */
			pthread_cond_signal(&r->can_put);
		got = 1;
	}
	pthread_mutex_unlock(&r->mu);
	return got;
}

static int import_file(struct store_tx *tx, struct imp *im, struct err *e)
{
	struct reader *r = calloc(1, sizeof(*r));
	struct parsed p;
	pthread_t th;
	int rc = 0;

	if (!r)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	r->f = im->f;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->can_put, NULL);
	pthread_cond_init(&r->can_take, NULL);
	if (pthread_create(&th, NULL, reader_main, r)) {
		free(r);
		return err_set(e, ERR_INTERNAL, NULL, "cannot start the reader");
	}
	while (!rc && reader_take(r, &p)) {
		if (!p.j) {
			err_set(e, p.code, NULL, "%s", p.err);
			rc = fail(im, p.lineno, e);
			break;
		}
		rc = import_one(tx, im, p.j, e);
		json_decref(p.j);
		if (rc)
			rc = fail(im, p.lineno, e);
	}
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->can_put);
	pthread_mutex_unlock(&r->mu);
	pthread_join(th, NULL);
	for (; r->count; r->count--, r->head = (r->head + 1) % RING)
		json_decref(r->ring[r->head].j);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->can_put);
	pthread_cond_destroy(&r->can_take);
	free(r);
	return rc;
}

static int import_all(struct store_tx *tx, struct imp *im, struct err *e)
{
	size_t i;
	json_t *it;
	int rc;

	if (!im->items)
		return import_file(tx, im, e);
	json_array_foreach(im->items, i, it)
		if ((rc = import_one(tx, im, it, e)))
			return fail(im, (long)i + 1, e);
	return 0;
}

static int run(struct store *st, struct imp *im, json_t **out, struct err *e)
{
	int rc;

	if (!actor_is_staff(im->a) || (im->a->role != ROLE_ADMIN && im->a->role != ROLE_SYSTEM))
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins import tickets");
	im->customers = json_object();
	im->users = json_object();
	im->sla_index = json_object();
	im->now = clock_now();
	rc = store_write(st, do_import, im, e);
	free(im->evs);
	json_decref(im->customers);
	json_decref(im->users);
	json_decref(im->sla_index);
	for (size_t i = 0; i < im->nslots; i++)
		sla_def_release(&im->slots[i].d);
	free(im->slots);
	if (rc)
		return rc;
	*out = json_pack("{s:I}", "imported", (json_int_t)im->imported);
	jx_set_str(*out, "first", im->imported ? im->first : NULL);
	jx_set_str(*out, "last", im->imported ? im->last : NULL);
	return 0;
}

int import_tickets_file(struct store *st, const struct actor *a, FILE *f, json_t **out,
			struct err *e)
{
	struct imp im = { .a = a, .f = f, .unit = "line" };

	return run(st, &im, out, e);
}

int import_tickets_json(struct store *st, const struct actor *a, const json_t *in, json_t **out,
			struct err *e)
{
	static const char *const fields[] = { "tickets", NULL };
	struct imp im = { .a = a, .unit = "ticket" };
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)))
		return rc;
	im.items = json_object_get(in, "tickets");
	if (!json_is_array(im.items))
		return err_set(e, ERR_INVALID, "tickets", "'tickets' must be a list of tickets");
	return run(st, &im, out, e);
}
