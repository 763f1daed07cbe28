/*
 * routing_rule.c — the routing rules' records: create, update, delete,
 * read and list, for the API and the CLI alike.
 *
 * Staff read the rules (they explain where tickets go); admins and the
 * system write them. Each write re-reads the rule inside the store's
 * writer, checks the version against that copy, writes the row and its
 * audit record ("routing.create", "routing.update", "routing.delete" on
 * entity routing_rule:NAME, with the rule after the write, null once
 * deleted) in the one transaction; a refused request leaves nothing.
 * audit_verify holds every stored rule against the state last recorded
 * (routing_state_scan).
 */
#include "domain/desk/routing.h"
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "model/cmdb.h"
#include "model/mail.h"
#include "store/store_routing.h"

#include <stdlib.h>
#include <string.h>

#define POSITION_MAX 1000000
#define POSITION_DEFAULT 100

json_t *routing_rule_to_json(const struct routing_rule *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", json_string(r->name));
	json_object_set_new(j, "position", json_integer(r->position));
	jx_set_str(j, "service", r->service[0] ? r->service : NULL);
	jx_set_str(j, "kind", r->kind[0] ? r->kind : NULL);
	jx_set_str(j, "ci", r->ci[0] ? r->ci : NULL);
	jx_set_str(j, "queue", r->queue[0] ? r->queue : NULL);
	jx_set_str(j, "keyword", r->keyword[0] ? r->keyword : NULL);
	json_object_set_new(j, "group", json_string(r->group));
	jx_set_time(j, "created_at", r->created_at);
	jx_set_time(j, "updated_at", r->updated_at);
	json_object_set_new(j, "version", json_integer(r->version));
	return j;
}

static int may_read(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 0, "routing rules are for staff", NULL, e);
}

static int may_write(const struct actor *a, struct err *e)
{
	if (a->scope_events || (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM))
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins define routing rules");
	return 0;
}

/* One criterion: absent leaves *dst, null or "" clears it, else a value of
 * at most max bytes that valid() accepts (NULL: any non-blank text). */
static int criterion(const json_t *in, const char *key, char *dst, size_t size, size_t max,
		     int (*valid)(const char *), struct err *e)
{
	json_t *v = json_object_get(in, key);
	const char *s;
	int rc;

	if (!v)
		return 0;
	if (json_is_null(v)) {
		dst[0] = '\0';
		return 0;
	}
	if ((rc = jx_str(in, key, JX_OPTIONAL, max, &s, e)) < 0)
		return rc;
	if (*s && valid && !valid(s))
		return err_set(e, ERR_INVALID, key, "malformed %s '%s'", key, s);
	if (*s && !valid && !s[strspn(s, " \t\r\n")])
		return err_set(e, ERR_INVALID, key, "%s must not be blank", key);
	snprintf(dst, size, "%s", s);
	return 0;
}

static int valid_key(const char *s)
{
	return ident_valid(s, 63, IDENT_PUNCT);
}

static int valid_ci(const char *s)
{
	return ident_valid(s, CI_KEY_MAX, IDENT_PUNCT);
}

static int valid_queue(const char *s)
{
	return ident_valid(s, MAIL_QUEUE_MAX, IDENT_PUNCT);
}

static int valid_kind(const char *s)
{
	enum ticket_kind k;

	return !ticket_kind_parse(s, &k);
}

/* Fill r from a body: every field the body holds (create: name and group
 * required). */
static int rule_from(const json_t *in, struct routing_rule *r, int create, struct err *e)
{
	static const char *const create_fields[] = { "name",  "position", "service", "kind", "ci",
						     "queue", "keyword",  "group",   NULL };
	static const char *const update_fields[] = { "version", "position", "service", "kind",
						     "ci",	"queue",    "keyword", "group",
						     NULL };
	const char *s;
	int64_t pos;
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, create ? create_fields : update_fields, e)))
		return rc;
	if (create) {
		if ((rc = jx_str(in, "name", JX_REQUIRED, 63, &s, e)))
			return rc;
		if (!valid_key(s))
			return err_set(e, ERR_INVALID, "name", "malformed rule name '%s'", s);
		snprintf(r->name, sizeof(r->name), "%s", s);
		r->position = POSITION_DEFAULT;
	}
	pos = r->position;
	if ((rc = jx_int(in, "position", JX_OPTIONAL, 0, POSITION_MAX, &pos, e)) < 0)
		return rc;
	r->position = pos;
	if ((rc = criterion(in, "service", r->service, sizeof(r->service), 63, valid_key, e)) ||
	    (rc = criterion(in, "kind", r->kind, sizeof(r->kind), 15, valid_kind, e)) ||
	    (rc = criterion(in, "ci", r->ci, sizeof(r->ci), CI_KEY_MAX, valid_ci, e)) ||
	    (rc = criterion(in, "queue", r->queue, sizeof(r->queue), MAIL_QUEUE_MAX, valid_queue,
			    e)) ||
	    (rc = criterion(in, "keyword", r->keyword, sizeof(r->keyword), ROUTING_KEYWORD_MAX,
			    NULL, e)))
		return rc;
	if (create || json_object_get(in, "group")) {
		if ((rc = jx_str(in, "group", JX_REQUIRED, TICKET_GROUP_MAX, &s, e)))
			return rc;
		if (!ticket_group_valid(s))
			return err_set(e, ERR_INVALID, "group", "malformed group name '%s'", s);
		snprintf(r->group, sizeof(r->group), "%s", s);
	}
	return 0;
}

struct rule_write {
	const struct actor *a;
	const json_t *in;
	const char *name;
	struct routing_rule r;
	json_t *after;
};

static int audit_rule(struct store_tx *tx, struct rule_write *w, const char *action,
		      json_t *after, struct err *e)
{
	char entity[96];
	json_t *change;
	int rc;

	snprintf(entity, sizeof(entity), "routing_rule:%s", w->r.name);
	change = json_pack("{s:O, s:O}", "set", w->in ? w->in : json_null(), "after",
			   after ? after : json_null());
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, w->a, action, entity, change, e);
	json_decref(change);
	return rc;
}

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct rule_write *w = arg;
	int rc;

	w->r.created_at = w->r.updated_at = clock_now();
	if ((rc = tx->st->ops->routing->rule_insert(tx, &w->r, e)))
		return rc;
	w->after = routing_rule_to_json(&w->r);
	return audit_rule(tx, w, "routing.create", w->after, e);
}

int routing_rule_create(struct store *st, const struct actor *a, const json_t *in,
			json_t **out, struct err *e)
{
	struct rule_write w = { .a = a, .in = in };
	int rc;

	if ((rc = may_write(a, e)) || (rc = rule_from(in, &w.r, 1, e)))
		return rc;
	if ((rc = store_write(st, do_create, &w, e))) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	return 0;
}

static int load_versioned(struct store_tx *tx, struct rule_write *w, struct err *e)
{
	int64_t version;
	int rc;

	if ((rc = tx->st->ops->routing->rule_get(tx->st, tx, w->name, &w->r, e)))
		return rc;
	jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	if (version != w->r.version)
		return err_set(e, ERR_CONFLICT, "version",
			       "routing rule '%s' is at version %lld, not %lld: reload and retry",
			       w->r.name, (long long)w->r.version, (long long)version);
	return 0;
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct rule_write *w = arg;
	int rc;

	if ((rc = load_versioned(tx, w, e)) || (rc = rule_from(w->in, &w->r, 0, e)))
		return rc;
	w->r.updated_at = clock_now();
	w->r.version++;
	if ((rc = tx->st->ops->routing->rule_update(tx, &w->r, e)))
		return rc;
	w->after = routing_rule_to_json(&w->r);
	return audit_rule(tx, w, "routing.update", w->after, e);
}

int routing_rule_update(struct store *st, const struct actor *a, const char *name,
			const json_t *in, json_t **out, struct err *e)
{
	struct rule_write w = { .a = a, .in = in, .name = name };
	struct routing_rule probe = { 0 };
	int64_t version;
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	/* The body's shape first, so a malformed one is 400 before any read. */
	if ((rc = rule_from(in, &probe, 0, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &version, e)))
		return rc;
	if ((rc = store_write(st, do_update, &w, e))) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	return 0;
}

static int do_delete(struct store_tx *tx, void *arg, struct err *e)
{
	struct rule_write *w = arg;
	int rc;

	if ((rc = tx->st->ops->routing->rule_get(tx->st, tx, w->name, &w->r, e)) ||
	    (rc = tx->st->ops->routing->rule_delete(tx, w->r.id, e)))
		return rc;
	return audit_rule(tx, w, "routing.delete", NULL, e);
}

int routing_rule_delete(struct store *st, const struct actor *a, const char *name,
			struct err *e)
{
	struct rule_write w = { .a = a, .name = name };
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	return store_write(st, do_delete, &w, e);
}

int routing_rule_get_json(struct store *st, const struct actor *a, const char *name,
			  json_t **out, struct err *e)
{
	struct routing_rule r;
	int rc;

	if ((rc = may_read(a, e)) || (rc = st->ops->routing->rule_get(st, NULL, name, &r, e)))
		return rc;
	*out = routing_rule_to_json(&r);
	return 0;
}

int routing_rule_list_json(struct store *st, const struct actor *a, json_t **out,
			   struct err *e)
{
	struct routing_rule *rs = NULL;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = may_read(a, e)) || (rc = st->ops->routing->rule_list(st, NULL, &rs, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, routing_rule_to_json(&rs[i]));
	free(rs);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

int routing_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct routing_rule *rs = NULL;
	size_t n = 0;
	int rc = st->ops->routing->rule_list(st, NULL, &rs, &n, e);

	for (size_t i = 0; !rc && i < n; i++)
		rc = audit_state_hand(&to, routing_rule_to_json(&rs[i]), "routing_rule:%s",
				      rs[i].name);
	free(rs);
	return rc;
}
