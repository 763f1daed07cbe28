/*
 * audit.c — the hash-chained audit log: appending inside a write, verifying
 * the whole chain. See audit.h for the invariants.
 *
 * The hashed bytes of a record are, in order: the previous hash (32 bytes),
 * then seq, at, actor, action, entity and change, each as a decimal or text
 * field followed by a 0x1f unit separator, so no two different records can
 * produce the same byte string.
 */
#include "domain/platform/audit.h"
#include "domain/attach/attach.h"
#include "domain/change/change.h"
#include "domain/cost/cost.h"
#include "domain/cmdb/cmdb.h"
#include "domain/desk/routing.h"
#include "domain/desk/survey.h"
#include "domain/desk/ticket.h"
#include "domain/guideline/guideline.h"
#include "domain/events/check.h"
#include "domain/operation/condition.h"
#include "domain/operation/operation.h"
#include "domain/mail/mail.h"
#include "domain/platform/audit_checkpoint.h"
#include "domain/platform/session.h"
#include "domain/platform/user.h"
#include "domain/problem/problem.h"
#include "domain/risk/risk.h"
#include "domain/acceptance/acceptance.h"
#include "domain/skills/staff.h"
#include "domain/sla/sla.h"
#include "lib/log.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <assert.h>
#include <sodium.h>
#include <stdarg.h>
#include <string.h>

static void hash_field(crypto_generichash_state *h, const char *s)
{
	static const unsigned char sep = 0x1f;

	crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
	crypto_generichash_update(h, &sep, 1);
}

void audit_hash(const struct audit_rec *r, uint8_t out[AUDIT_HASH_LEN])
{
	crypto_generichash_state h;
	char num[32];

	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&h, r->prev, AUDIT_HASH_LEN);
	snprintf(num, sizeof(num), "%lld", (long long)r->seq);
	hash_field(&h, num);
	snprintf(num, sizeof(num), "%lld", (long long)r->at);
	hash_field(&h, num);
	hash_field(&h, r->actor);
	hash_field(&h, r->action);
	hash_field(&h, r->entity);
	hash_field(&h, r->change ? r->change : "");
	crypto_generichash_final(&h, out, AUDIT_HASH_LEN);
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

void audit_secret_digest(const void *secret, size_t n, char out[AUDIT_HASH_LEN * 2 + 1])
{
	static const unsigned char ctx[] = "itsm audit: digest of a secret";
	uint8_t h[AUDIT_HASH_LEN];

	crypto_generichash(h, AUDIT_HASH_LEN, secret, n, ctx, sizeof(ctx) - 1);
	hex(h, AUDIT_HASH_LEN, out);
}

void audit_chain_init(struct audit_chain *c, struct store_tx *tx)
{
	memset(c, 0, sizeof(*c));
	c->tx = tx;
	buf_init(&c->text, 0);
}

void audit_chain_release(struct audit_chain *c)
{
	buf_release(&c->text);
}

int audit_chain_append(struct audit_chain *c, const struct actor *a, int64_t at,
		       const char *action, const char *entity, const json_t *change,
		       struct err *e)
{
	struct store *st = c->tx->st;
	struct audit_rec r;
	int rc;

	if (!c->started) {
		if ((rc = st->ops->audit_head(c->tx, &c->seq, c->head, e)))
			return rc;
		c->started = 1;
	}
	memset(&r, 0, sizeof(r));
	r.seq = c->seq + 1;
	r.at = at;
	snprintf(r.actor, sizeof(r.actor), "%s", a->username[0] ? a->username : "system");
	snprintf(r.action, sizeof(r.action), "%s", action);
	snprintf(r.entity, sizeof(r.entity), "%s", entity);
	memcpy(r.prev, c->head, AUDIT_HASH_LEN);
	buf_reset(&c->text);
	if (jx_canonical(&c->text, change ? change : json_null()))
		return err_set(e, ERR_INTERNAL, NULL, "cannot encode audit record");
	r.change = buf_str(&c->text);
	audit_hash(&r, r.hash);
	if ((rc = st->ops->audit_insert(c->tx, &r, e)))
		return rc;
	c->seq = r.seq;
	memcpy(c->head, r.hash, AUDIT_HASH_LEN);
	return 0;
}

int audit_chain_finish(struct audit_chain *c, struct err *e)
{
	char head[AUDIT_HASH_LEN * 2 + 32];
	int rc = 0;

	if (c->started) {
		/* The head beside the chain: a record cut from the end shows. */
		snprintf(head, sizeof(head), "%lld:", (long long)c->seq);
		hex(c->head, AUDIT_HASH_LEN, head + strlen(head));
		rc = c->tx->st->ops->meta_set(c->tx, "audit_head", head, e);
	}
	audit_chain_release(c);
	return rc;
}

int audit_append(struct store_tx *tx, const struct actor *a, const char *action,
		 const char *entity, const json_t *change, struct err *e)
{
	struct audit_chain c;
	int rc;

	audit_chain_init(&c, tx);
	rc = audit_chain_append(&c, a, clock_now(), action, entity, change, e);
	if (rc) {
		audit_chain_release(&c);
		return rc;
	}
	return audit_chain_finish(&c, e);
}

int audit_set_after(struct store_tx *tx, const struct actor *a, const char *action,
		    const char *entity, const json_t *set, const json_t *after, struct err *e)
{
	json_t *change = json_pack("{s:O, s:O}", "set", set ? set : json_null(), "after", after);
	int rc = change ? audit_append(tx, a, action, entity, change, e)
			: err_set(e, ERR_INTERNAL, NULL, "out of memory");

	json_decref(change);
	return rc;
}

struct verify_ctx {
	struct audit_result *res;
	uint8_t prev[AUDIT_HASH_LEN];
	int64_t expect;
	json_t *states; /* entity -> [seq, digest hex] of the last recorded state */
	const struct audit_checkpoint *cps; /* sorted by seq */
	size_t ncps, next_cp;
};

/* The kinds of record whose stored rows are held against the chain, and
 * the scans that list them in the form the chain recorded them: the records
 * of support matters, who may act on them and how (users, tokens, sessions),
 * and what the reports are made of. held names the keys of the form that
 * are held, for records some of whose fields move without an audit record
 * (a check's last result); NULL holds the whole form. */
typedef int (*state_scan_fn)(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

static const struct {
	const char *prefix;
	state_scan_fn scan; /* listed once per scan, at its first prefix */
	const char *const *held;
} state_sources[] = {
	{ "ticket:", ticket_state_scan, NULL },
	{ "comment:", NULL, NULL },
	{ "customer:", user_state_scan, NULL },
	{ "user:", NULL, NULL },
	{ "token:", NULL, NULL },
	{ "session:", session_state_scan, NULL },
	{ "rating:", survey_state_scan, NULL },
	{ "service:", sla_state_scan, NULL },
	{ "calendar:", NULL, NULL },
	{ "sla:", NULL, NULL },
	{ "outage:", NULL, NULL },
	{ "ci:", cmdb_state_scan, NULL },
	{ "ci_rel:", NULL, NULL },
	{ "check:", check_state_scan, check_state_keys },
	{ "staff:", staff_state_scan, NULL },
	{ "career:", NULL, NULL },
	{ "assessment:", NULL, NULL },
	{ "procedure:", op_state_scan, NULL },
	{ "job:", NULL, NULL },
	{ "run:", NULL, NULL },
	{ "condition:", cond_state_scan, NULL },
	{ "problem:", problem_state_scan, problem_state_keys },
	{ "change:", change_state_scan, NULL },
	{ "freeze:", NULL, NULL },
	{ "mail:", mail_state_scan, mail_state_keys },
	{ "risk:", risk_state_scan, NULL },
	{ "acceptance:", acc_state_scan, NULL },
	{ "guideline:", guideline_state_scan, NULL },
	{ "routing_rule:", routing_state_scan, NULL },
	{ "attachment:", attach_state_scan, NULL },
	{ "time:", time_state_scan, NULL },
};

#define N_SOURCES (sizeof(state_sources) / sizeof(state_sources[0]))

/* The source an entity belongs to, or -1 when its state is not held. */
static int state_source(const char *entity)
{
	for (size_t i = 0; i < N_SOURCES; i++)
		if (!strncmp(entity, state_sources[i].prefix, strlen(state_sources[i].prefix)))
			return (int)i;
	return -1;
}

/* The digest of a record's state in canonical form (sorted keys, compact),
 * of the held keys only when the source names them. */
static void state_digest(int src, const json_t *state, char out[AUDIT_HASH_LEN * 2 + 1])
{
	const char *const *held = state_sources[src].held;
	struct buf text = BUF_INIT;
	uint8_t h[AUDIT_HASH_LEN];
	json_t *part = NULL;

	if (held && json_is_object(state)) {
		part = json_object();
		for (; *held; held++)
			json_object_set(part, *held,
					json_object_get(state, *held) ? json_object_get(state, *held)
								      : json_null());
	}
	jx_canonical(&text, part ? part : state);
	crypto_generichash(h, AUDIT_HASH_LEN, (const unsigned char *)buf_str(&text), text.len,
			   NULL, 0);
	buf_release(&text);
	json_decref(part);
	hex(h, AUDIT_HASH_LEN, out);
}

/* A record whose change has an "after" sets the entity's state; "after":
 * null says the record was deleted, so the store must no longer hold it. */
static void note_state(struct verify_ctx *v, const struct audit_rec *r)
{
	int src = state_source(r->entity);
	json_t *change, *after;
	char d[AUDIT_HASH_LEN * 2 + 1];

	if (src < 0)
		return;
	change = json_loads(r->change, JSON_DECODE_ANY, NULL);
	after = json_object_get(change, "after");
	if (json_is_null(after)) {
		json_object_del(v->states, r->entity);
	} else if (after) {
		state_digest(src, after, d);
		json_object_set_new(v->states, r->entity, json_pack("[I, s]", r->seq, d));
	}
	json_decref(change);
}

static void mark_bad(struct audit_result *res, int64_t seq, const char *fmt, const char *what)
{
	if (res->first_bad && res->first_bad <= seq)
		return;
	res->first_bad = seq;
	snprintf(res->reason, sizeof(res->reason), fmt, what, (long long)seq);
}

/* Hold one stored record against the state the chain last recorded for it. */
static int check_state(const char *entity, const json_t *state, void *arg)
{
	struct verify_ctx *v = arg;
	json_t *rec = json_object_get(v->states, entity);
	int src = state_source(entity);
	char d[AUDIT_HASH_LEN * 2 + 1];

	assert(src >= 0 && "a state scan lists an entity no source holds");
	if (src < 0)
		return 0;
	if (!rec) {
		mark_bad(v->res, v->expect, "%s is stored but was never recorded (record %lld)",
			 entity);
		return 0;
	}
	state_digest(src, state, d);
	if (strcmp(d, json_string_value(json_array_get(rec, 1))))
		mark_bad(v->res, json_integer_value(json_array_get(rec, 0)),
			 "%s differs from the state audited in record %lld", entity);
	json_object_del(v->states, entity);
	return 0;
}

/* A checkpoint vouches for (seq, hash): the chain must still hold it. */
static void check_checkpoint(struct verify_ctx *v, const struct audit_rec *r)
{
	while (v->next_cp < v->ncps && v->cps[v->next_cp].seq <= r->seq) {
		const struct audit_checkpoint *cp = &v->cps[v->next_cp++];
		char at[RFC3339_LEN];

		if (cp->seq == r->seq && !memcmp(cp->head, r->hash, AUDIT_HASH_LEN)) {
			v->res->checkpoints_held++;
			continue;
		}
		time_format_rfc3339(cp->at, at);
		mark_bad(v->res, cp->seq, "the checkpoint of %s holds another record %lld", at);
	}
}

static int verify_one(const struct audit_rec *r, void *arg)
{
	struct verify_ctx *v = arg;
	struct audit_rec copy = *r;
	uint8_t h[AUDIT_HASH_LEN];

	v->res->records++;
	if (r->seq != v->expect) {
		snprintf(v->res->reason, sizeof(v->res->reason),
			 "record %lld is missing (next present is %lld)", (long long)v->expect,
			 (long long)r->seq);
		v->res->first_bad = v->expect;
		return 1;
	}
	memcpy(copy.prev, v->prev, AUDIT_HASH_LEN);
	audit_hash(&copy, h);
	if (memcmp(r->prev, v->prev, AUDIT_HASH_LEN) || memcmp(h, r->hash, AUDIT_HASH_LEN)) {
		snprintf(v->res->reason, sizeof(v->res->reason),
			 "record %lld does not match its hash", (long long)r->seq);
		v->res->first_bad = r->seq;
		return 1;
	}
	check_checkpoint(v, r);
	if (v->res->first_bad)
		return 1;
	memcpy(v->prev, r->hash, AUDIT_HASH_LEN);
	v->expect++;
	note_state(v, r);
	return 0;
}

/* Hold the chain's end against the head kept beside it, so a record cut
 * from the end shows as that record, before any stored state is checked
 * against a chain that is already known to be short. */
static int check_head(struct store *st, struct verify_ctx *v, struct err *e)
{
	char head[AUDIT_HASH_LEN * 2 + 32] = "", mine[AUDIT_HASH_LEN * 2 + 32];
	struct audit_result *res = v->res;
	int rc = st->ops->meta_get(st, NULL, "audit_head", head, sizeof(head), e);

	if (rc && rc != ERR_NOT_FOUND)
		return rc;
	snprintf(mine, sizeof(mine), "%lld:%s", (long long)(v->expect - 1), res->head);
	if (!rc && strcmp(head, mine)) {
		res->first_bad = v->expect;
		snprintf(res->reason, sizeof(res->reason),
			 "the chain ends at record %lld but the head says '%.24s…'",
			 (long long)(v->expect - 1), head);
	} else if (!head[0] && v->expect > 1) {
		res->first_bad = 1;
		snprintf(res->reason, sizeof(res->reason), "the chain head is missing");
	}
	return 0;
}

int audit_state_hand(const struct audit_scan *s, json_t *state, const char *fmt, ...)
{
	char entity[128];
	va_list ap;
	int rc;

	if (!state)
		return ERR_INTERNAL;
	va_start(ap, fmt);
	vsnprintf(entity, sizeof(entity), fmt, ap);
	va_end(ap);
	rc = s->fn(entity, state, s->ctx);
	json_decref(state);
	return rc;
}

/* A checkpoint beyond the chain's end: records were cut, whatever the head
 * beside the chain says. */
static void check_cut(struct verify_ctx *v)
{
	char at[RFC3339_LEN];

	if (v->res->first_bad || v->next_cp >= v->ncps)
		return;
	time_format_rfc3339(v->cps[v->ncps - 1].at, at);
	v->res->first_bad = v->expect;
	snprintf(v->res->reason, sizeof(v->res->reason),
		 "the chain ends at record %lld but the checkpoint of %s holds record %lld",
		 (long long)(v->expect - 1), at, (long long)v->cps[v->ncps - 1].seq);
}

static int verify(struct store *st, const struct audit_checkpoint *cps, size_t ncps,
		  int anchored, struct audit_result *res, struct err *e);

int audit_verify(struct store *st, struct audit_result *res, struct err *e)
{
	return verify(st, NULL, 0, 0, res, e);
}

int audit_verify_anchored(struct store *st, const struct audit_checkpoint *cps, size_t ncps,
			  struct audit_result *res, struct err *e)
{
	return verify(st, cps, ncps, 1, res, e);
}

static int verify(struct store *st, const struct audit_checkpoint *cps, size_t ncps,
		  int anchored, struct audit_result *res, struct err *e)
{
	struct verify_ctx v;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&v, 0, sizeof(v));
	v.res = res;
	v.expect = 1;
	v.states = json_object();
	v.cps = cps;
	v.ncps = ncps;
	res->anchored = anchored;
	/* One snapshot for the chain, its head and the records it describes:
	 * a write committing in between must not look like tampering. */
	rc = st->ops->snapshot_begin(st, e);
	if (!rc)
		rc = st->ops->audit_scan(st, 0, 0, verify_one, &v, e);
	hex(v.prev, AUDIT_HASH_LEN, res->head);
	if (!rc)
		check_cut(&v);
	if (!rc && !res->first_bad)
		rc = check_head(st, &v, e);
	for (size_t i = 0; i < N_SOURCES; i++)
		if (!rc && !res->first_bad && state_sources[i].scan)
			rc = state_sources[i].scan(st, check_state, &v, e);
	st->ops->snapshot_end(st);
	if (rc) {
		json_decref(v.states);
		return rc;
	}
	if (!res->first_bad) {
		const char *entity;
		json_t *rec;

		/* What the chain recorded but the store no longer holds. */
		json_object_foreach(v.states, entity, rec)
		{
			mark_bad(res, json_integer_value(json_array_get(rec, 0)),
				 "%s was deleted after record %lld", entity);
		}
	}
	json_decref(v.states);
	res->ok = !res->first_bad;
	return 0;
}

json_t *audit_result_json(const struct audit_result *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "ok", json_boolean(r->ok));
	json_object_set_new(j, "records", json_integer(r->records));
	json_object_set_new(j, "head", json_string(r->head));
	json_object_set_new(j, "first_bad", r->first_bad ? json_integer(r->first_bad) : json_null());
	if (r->reason[0])
		json_object_set_new(j, "reason", json_string(r->reason));
	if (r->anchored)
		json_object_set_new(j, "checkpoints", json_integer(r->checkpoints_held));
	return j;
}

struct list_ctx {
	json_t *items;
	int64_t last;
};

static int list_one(const struct audit_rec *r, void *arg)
{
	struct list_ctx *l = arg;
	json_t *j = json_object(), *change = json_loads(r->change, JSON_DECODE_ANY, NULL);
	char h[AUDIT_HASH_LEN * 2 + 1];

	json_object_set_new(j, "seq", json_integer(r->seq));
	jx_set_time(j, "at", r->at);
	json_object_set_new(j, "actor", json_string(r->actor));
	json_object_set_new(j, "action", json_string(r->action));
	json_object_set_new(j, "entity", json_string(r->entity));
	json_object_set_new(j, "change", change ? change : json_string(r->change));
	hex(r->hash, AUDIT_HASH_LEN, h);
	json_object_set_new(j, "hash", json_string(h));
	json_array_append_new(l->items, j);
	l->last = r->seq;
	return 0;
}

int audit_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e)
{
	struct list_ctx l = { NULL, 0 };
	int64_t after = 0, limit = 50;
	int rc;

	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins read the audit log");
	if ((rc = jx_qint(query, "cursor", 0, INT64_MAX, &after, e)) < 0 ||
	    (rc = jx_qint(query, "limit", 1, 500, &limit, e)) < 0)
		return rc;
	l.items = json_array();
	rc = st->ops->audit_scan(st, after, limit, list_one, &l, e);
	if (rc) {
		json_decref(l.items);
		return rc;
	}
	*out = json_object();
	json_object_set_new(*out, "items", l.items);
	if ((int64_t)json_array_size(l.items) == limit) {
		char cur[24];

		snprintf(cur, sizeof(cur), "%lld", (long long)l.last);
		json_object_set_new(*out, "next_cursor", json_string(cur));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	return 0;
}
