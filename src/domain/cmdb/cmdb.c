/*
 * cmdb.c — configuration items and relationships: validation, create,
 * update (optimistic, by version), read, list, history.
 *
 * As in ticket.c, each write validates what it can outside the store, then
 * runs one function on the store's writer that re-reads inside the
 * transaction, writes the row, the item's history and the audit record
 * ("ci:KEY") and bumps the graph generation, so a refused request leaves
 * nothing behind and the shared impact graph is rebuilt on its next use.
 */
#include "domain/cmdb/cigraph.h"
#include "domain/platform/audit.h"
#include "domain/cmdb/cmdb.h"
#include "domain/desk/ticket.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"
#include "store/store_sla.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define CMDB(st) ((st)->ops->cmdb)

static const char *const statuses[] = { "planned", "active", "maintenance", "retired", NULL };

int ci_key_valid(const char *s)
{
	return ident_valid(s, CI_KEY_MAX, IDENT_PUNCT);
}

int ci_status_valid(const char *s)
{
	for (const char *const *p = statuses; *p; p++)
		if (!strcmp(*p, s))
			return 1;
	return 0;
}

json_t *ci_to_json(const struct ci *c)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "key", json_string(c->key));
	json_object_set_new(j, "name", json_string(c->name));
	json_object_set_new(j, "type", json_string(c->type));
	json_object_set_new(j, "status", json_string(c->status));
	jx_set_str(j, "owner_group", c->owner_group[0] ? c->owner_group : NULL);
	jx_set_str(j, "location", c->location[0] ? c->location : NULL);
	jx_set_str(j, "service", c->service[0] ? c->service : NULL);
	if (c->attributes)
		json_object_set(j, "attributes", c->attributes);
	else /* (set, not set_new, leaked the object made here) */
		json_object_set_new(j, "attributes", json_object());
	jx_set_time(j, "created_at", c->created_at);
	jx_set_time(j, "updated_at", c->updated_at);
	json_object_set_new(j, "version", json_integer(c->version));
	return j;
}

json_t *ci_rel_to_json(const struct ci_rel *r)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)r->id, "source",
			      r->source, "type", r->type, "target", r->target, "propagates",
			      r->propagates);

	jx_set_time(j, "created_at", r->created_at);
	return j;
}

/* Errors of an import carry the line they come from. */
static int line_err(struct err *e, int line, int rc)
{
	char msg[sizeof(e->msg)];
	int n;

	if (line > 0 && e && rc && strncmp(e->msg, "line ", 5)) {
		memcpy(msg, e->msg, sizeof(msg));
		n = snprintf(e->msg, sizeof(e->msg), "line %d: ", line);
		if (n > 0 && (size_t)n < sizeof(e->msg))
			memcpy(e->msg + n, msg, sizeof(e->msg) - (size_t)n - 1);
		e->msg[sizeof(e->msg) - 1] = '\0';
	}
	return rc;
}

int cmdb_graph_touch(struct store_tx *tx, struct err *e)
{
	int64_t n;
	char v[32];
	int rc = tx->st->ops->counter_next(tx, "cmdb.gen", &n, e);

	if (rc)
		return rc;
	snprintf(v, sizeof(v), "%lld", (long long)n);
	return tx->st->ops->meta_set(tx, "cmdb.gen", v, e);
}

/* The history row of one change to item c. */
static int history(struct store_tx *tx, const struct actor *a, const struct ci *c,
		   const char *action, const json_t *set, const json_t *after, struct err *e)
{
	json_t *change = json_pack("{s:O, s:O}", "set", set ? set : json_null(), "after",
				   after ? after : json_null());
	char *text = json_dumps(change, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = CMDB(tx->st)->ci_history_insert(tx, c->id, clock_now(), a->username, action,
						 text ? text : "{}", e);

	free(text);
	json_decref(change);
	return rc;
}

/* The audit record of one change: entity "ci:KEY" with the item's state
 * under "after" (held by audit_verify), "ci_rel:ID" with the relationship's,
 * or another key for a change that states no record's state. */
static int audit(struct store_tx *tx, const struct actor *a, const char *action,
		 const char *prefix, const char *id, const json_t *set, const char *key,
		 const json_t *value, struct err *e)
{
	json_t *change = json_pack("{s:O, s:O}", "set", set ? set : json_null(), key,
				   value ? value : json_null());
	char entity[80];
	int rc;

	snprintf(entity, sizeof(entity), "%s:%s", prefix, id);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

/* History row and audit record for a change of item c itself. */
static int record(struct store_tx *tx, const struct actor *a, const struct ci *c,
		  const char *action, const json_t *set, const json_t *after, struct err *e)
{
	int rc = history(tx, a, c, action, set, after, e);

	return rc ? rc : audit(tx, a, action, "ci", c->key, set, "after", after, e);
}

/* History rows on both items and one audit record for a relationship:
 * after is the relationship, or NULL when it was deleted. */
static int record_rel(struct store_tx *tx, const struct actor *a, const char *action,
		      const struct ci *src, const struct ci *dst, const struct ci_rel *r,
		      const json_t *set, const json_t *after, struct err *e)
{
	char id[24];
	int rc;

	snprintf(id, sizeof(id), "%lld", (long long)r->id);
	if ((rc = history(tx, a, src, action, set, after, e)) ||
	    (rc = history(tx, a, dst, action, set, after, e)))
		return rc;
	return audit(tx, a, action, "ci_rel", id, set, "after", after, e);
}

static int may_write(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff change configuration items");
	return 0;
}

/* ---- fields shared by create and update ---- */

static int text_field(const json_t *in, const char *k, size_t max, char *out, size_t n,
		      struct err *e)
{
	const char *v;
	int rc = jx_str(in, k, JX_OPTIONAL, max, &v, e);

	if (rc == 0)
		snprintf(out, n, "%s", v);
	return rc < 0 ? rc : 0;
}

/* Apply the optional fields of in to c (create and update share this). */
static int apply_fields(struct store_tx *tx, const json_t *in, struct ci *c, int creating,
			struct err *e)
{
	const char *v;
	json_t *attrs;
	int rc;

	if ((rc = jx_str(in, "name", creating ? JX_REQUIRED : JX_OPTIONAL, CI_NAME_MAX, &v, e)) < 0)
		return rc;
	if (rc == 0) {
		while (isspace((unsigned char)*v))
			v++;
		if (!*v)
			return err_set(e, ERR_INVALID, "name", "name must not be empty");
		snprintf(c->name, sizeof(c->name), "%s", v);
	}
	if ((rc = jx_str(in, "type", creating ? JX_REQUIRED : JX_OPTIONAL, 31, &v, e)) < 0)
		return rc;
	if (rc == 0) {
		if ((rc = CMDB(tx->st)->type_exists(tx->st, tx, v, e)))
			return err_absent(e, rc, ERR_INVALID, "type", "unknown item type '%s'", v);
		snprintf(c->type, sizeof(c->type), "%s", v);
	}
	if ((rc = jx_str(in, "status", JX_OPTIONAL, 15, &v, e)) < 0)
		return rc;
	if (rc == 0) {
		if (!ci_status_valid(v))
			return err_set(e, ERR_INVALID, "status",
				       "unknown status '%s' (planned, active, maintenance, retired)",
				       v);
		snprintf(c->status, sizeof(c->status), "%s", v);
	}
	if ((rc = text_field(in, "owner_group", 63, c->owner_group, sizeof(c->owner_group), e)) ||
	    (rc = text_field(in, "location", 127, c->location, sizeof(c->location), e)) ||
	    (rc = text_field(in, "service", 63, c->service, sizeof(c->service), e)))
		return rc;
	if (c->service[0] && !ci_key_valid(c->service))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%s'", c->service);
	if (c->service[0] && strcmp(c->type, "service"))
		return err_set(e, ERR_INVALID, "service",
			       "only items of type service link to a catalogue service");
	if (json_object_get(in, "service") && c->service[0] && tx->st->ops->sla &&
	    tx->st->ops->sla->service_get) {
		struct service_rec svc;

		if ((rc = tx->st->ops->sla->service_get(tx->st, tx, c->service, &svc, e)))
			return err_absent(e, rc, ERR_INVALID, "service",
					  "unknown catalogue service '%s'", c->service);
	}
	attrs = json_object_get(in, "attributes");
	if (attrs && !json_is_null(attrs)) {
		const char *k;
		json_t *val;

		if (!json_is_object(attrs))
			return err_set(e, ERR_INVALID, "attributes", "attributes must be an object");
		if (!c->attributes)
			c->attributes = json_object();
		/* A merge: a null value removes the attribute. */
		json_object_foreach(attrs, k, val)
		{
			if (!*k || strlen(k) > 63 || strpbrk(k, "\"\\"))
				return err_set(e, ERR_INVALID, "attributes",
					       "malformed attribute name '%s'", k);
			if (json_is_object(val) || json_is_array(val))
				return err_set(e, ERR_INVALID, "attributes",
					       "attribute '%s' must be a string, number or boolean",
					       k);
			if (json_is_null(val))
				json_object_del(c->attributes, k);
			else
				json_object_set(c->attributes, k, val);
		}
	}
	return 0;
}

/* ---- create ---- */

static const char *const create_fields[] = { "key",	    "name",	"type",	    "status",
					      "owner_group", "location", "service", "attributes",
					      NULL };

int cmdb_ci_create_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		      struct ci *out, struct err *e)
{
	struct ci c;
	const char *key;
	json_t *after;
	int rc;

	memset(&c, 0, sizeof(c));
	if (!json_is_object(in))
		return line_err(e, line, err_set(e, ERR_INVALID, NULL, "an item must be an object"));
	if ((rc = jx_only(in, create_fields, e)) ||
	    (rc = jx_str(in, "key", JX_REQUIRED, CI_KEY_MAX, &key, e)))
		return line_err(e, line, rc);
	if (!ci_key_valid(key))
		return line_err(e, line,
				err_set(e, ERR_INVALID, "key",
					"malformed key '%s' (letters, digits, '.', '-', '_')", key));
	snprintf(c.key, sizeof(c.key), "%s", key);
	snprintf(c.status, sizeof(c.status), "active");
	c.attributes = json_object();
	if ((rc = apply_fields(tx, in, &c, 1, e)))
		goto out;
	c.created_at = c.updated_at = clock_now();
	if ((rc = CMDB(tx->st)->ci_insert(tx, &c, e)))
		goto out;
	after = ci_to_json(&c);
	rc = record(tx, a, &c, "ci.create", in, after, e);
	json_decref(after);
	if (!rc)
		rc = cmdb_graph_touch(tx, e);
out:
	if (!rc && out)
		*out = c;
	else
		ci_release(&c);
	return line_err(e, line, rc);
}

struct write_ctx {
	const struct actor *a;
	const json_t *in;
	const char *key;
	int64_t id;
	json_t *after;
};

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ci c;
	int rc = cmdb_ci_create_tx(tx, w->a, w->in, 0, &c, e);

	if (rc)
		return rc;
	w->after = ci_to_json(&c);
	ci_release(&c);
	return 0;
}

int cmdb_ci_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		   struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	rc = store_write(st, do_create, &w, e);
	if (rc) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	cmdb_graph_prewarm(st);
	return 0;
}

/* ---- read ---- */

static int may_read(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read configuration items");
	return 0;
}

int cmdb_ci_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e)
{
	struct ci c;
	int rc;

	if ((rc = may_read(a, e)) || (rc = CMDB(st)->ci_get(st, NULL, 0, key, &c, e)))
		return rc;
	*out = ci_to_json(&c);
	ci_release(&c);
	return 0;
}

int cmdb_ci_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		      struct err *e)
{
	struct ci_filter f = { .limit = 50 };
	struct ci *items;
	int64_t limit;
	size_t n;
	int more, rc;
	const char *k;
	json_t *v, *arr;

	if ((rc = may_read(a, e)))
		return rc;
	f.type = jx_qstr(q, "type");
	f.status = jx_qstr(q, "status");
	f.q = jx_qstr(q, "q");
	f.owner_group = jx_qstr(q, "owner_group");
	f.location = jx_qstr(q, "location");
	limit = f.limit;
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &f.after_id, e)) < 0)
		return rc;
	f.limit = (int)limit;
	json_object_foreach((json_t *)q, k, v)
	{
		if (!strncmp(k, "attr.", 5) && json_is_string(v)) {
			if (!k[5] || strpbrk(k + 5, "\"\\"))
				return err_set(e, ERR_INVALID, k, "malformed attribute name");
			f.attr_key = k + 5;
			f.attr_value = json_string_value(v);
		}
	}
	if ((rc = CMDB(st)->ci_list(st, &f, &items, &n, &more, e)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, ci_to_json(&items[i]));
	*out = json_object();
	json_object_set_new(*out, "items", arr);
	if (more && n) {
		char cur[24];

		snprintf(cur, sizeof(cur), "%lld", (long long)items[n - 1].id);
		json_object_set_new(*out, "next_cursor", json_string(cur));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	ci_free_array(items, n);
	return 0;
}

/* A list kept per item (its history, its linked tickets), as a page. */
typedef int (*ci_list_fn)(struct store *st, int64_t ci_id, json_t **items, struct err *e);

static int ci_items_json(struct store *st, const struct actor *a, const char *key,
			 ci_list_fn list, json_t **out, struct err *e)
{
	struct ci c;
	json_t *items;
	int rc;

	if ((rc = may_read(a, e)) || (rc = CMDB(st)->ci_get(st, NULL, 0, key, &c, e)))
		return rc;
	rc = list(st, c.id, &items, e);
	ci_release(&c);
	if (rc)
		return rc;
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

int cmdb_ci_history_json(struct store *st, const struct actor *a, const char *key, json_t **out,
			 struct err *e)
{
	return ci_items_json(st, a, key, CMDB(st)->ci_history_list, out, e);
}

/* ---- update ---- */

static const char *const update_fields[] = { "version",  "name",	"type",
					      "status",   "owner_group", "location",
					      "service",  "attributes",  NULL };

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ci c;
	int64_t version;
	int rc;

	if ((rc = CMDB(tx->st)->ci_get(tx->st, tx, 0, w->key, &c, e)))
		return rc;
	jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	if (version != c.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "item '%s' is at version %lld, not %lld: reload and retry", c.key,
			     (long long)c.version, (long long)version);
		goto out;
	}
	if ((rc = apply_fields(tx, w->in, &c, 0, e)))
		goto out;
	c.version++;
	c.updated_at = clock_now();
	if ((rc = CMDB(tx->st)->ci_update(tx, &c, e)))
		goto out;
	w->after = ci_to_json(&c);
	if ((rc = record(tx, w->a, &c, "ci.update", w->in, w->after, e)))
		goto out;
	rc = cmdb_graph_touch(tx, e);
out:
	ci_release(&c);
	return rc;
}

int cmdb_ci_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key };
	int64_t version;
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, update_fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &version, e)))
		return rc;
	rc = store_write(st, do_update, &w, e);
	if (rc) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	cmdb_graph_prewarm(st);
	return 0;
}

/* ---- types ---- */

int cmdb_types_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	json_t *items;
	int rc;

	if ((rc = may_read(a, e)) || (rc = CMDB(st)->type_list(st, &items, e)))
		return rc;
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

static int do_type_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	const char *name = w->key;
	char entity[80];
	json_t *change;
	int rc;

	if (!(rc = CMDB(tx->st)->type_exists(tx->st, tx, name, e)))
		return err_set(e, ERR_CONFLICT, "name", "item type '%s' exists", name);
	if (rc != ERR_NOT_FOUND)
		return rc;
	if ((rc = CMDB(tx->st)->type_insert(tx, name, e)))
		return rc;
	snprintf(entity, sizeof(entity), "ci_type:%s", name);
	change = json_pack("{s:s}", "name", name);
	rc = audit_append(tx, w->a, "ci.type_add", entity, change, e);
	json_decref(change);
	return rc;
}

int cmdb_type_add(struct store *st, const struct actor *a, const char *name, json_t **out,
		  struct err *e)
{
	struct write_ctx w = { .a = a, .key = name };
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins add item types");
	if (!name || !ci_key_valid(name) || strlen(name) > 31 || strchr(name, '.'))
		return err_set(e, ERR_INVALID, "name", "malformed item type '%s'", name ? name : "");
	for (const char *p = name; *p; p++)
		if (isupper((unsigned char)*p))
			return err_set(e, ERR_INVALID, "name", "item types are lowercase: '%s'",
				       name);
	if ((rc = store_write(st, do_type_add, &w, e)))
		return rc;
	*out = json_pack("{s:s, s:b}", "name", name, "builtin", 0);
	return 0;
}

/* ---- relationships ---- */

static const char *const rel_fields[] = { "source", "type", "target", "propagates", NULL };

int cmdb_rel_create_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		       struct ci_rel *out, struct err *e)
{
	struct store *st = tx->st;
	struct ci_rel r;
	struct ci src, dst;
	enum cigraph_rel rel;
	const char *source, *type, *target;
	json_t *after;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!json_is_object(in))
		return line_err(e, line,
				err_set(e, ERR_INVALID, NULL, "a relationship must be an object"));
	if ((rc = jx_only(in, rel_fields, e)) ||
	    (rc = jx_str(in, "source", JX_REQUIRED, CI_KEY_MAX, &source, e)) ||
	    (rc = jx_str(in, "type", JX_REQUIRED, 15, &type, e)) ||
	    (rc = jx_str(in, "target", JX_REQUIRED, CI_KEY_MAX, &target, e)) ||
	    (rc = jx_bool(in, "propagates", JX_OPTIONAL, &r.propagates, e)) < 0)
		return line_err(e, line, rc);
	if (cigraph_rel_parse(type, &rel, e)) {
		snprintf(e->field, sizeof(e->field), "type");
		return line_err(e, line, ERR_INVALID);
	}
	if (rel != CIGRAPH_CONNECTED_TO && r.propagates)
		return line_err(e, line,
				err_set(e, ERR_INVALID, "propagates",
					"only connected_to takes 'propagates'; %s always carries "
					"impact",
					type));
	if (!strcmp(source, target))
		return line_err(e, line,
				err_set(e, ERR_INVALID, "target", "an item cannot relate to itself"));
	if ((rc = CMDB(st)->ci_get(st, tx, 0, source, &src, e)))
		return line_err(e, line,
				err_absent(e, rc, ERR_INVALID, "source", "unknown item '%s'", source));
	if ((rc = CMDB(st)->ci_get(st, tx, 0, target, &dst, e))) {
		ci_release(&src);
		return line_err(e, line,
				err_absent(e, rc, ERR_INVALID, "target", "unknown item '%s'", target));
	}
	r.source_id = src.id;
	r.target_id = dst.id;
	snprintf(r.source, sizeof(r.source), "%s", src.key);
	snprintf(r.target, sizeof(r.target), "%s", dst.key);
	snprintf(r.type, sizeof(r.type), "%s", cigraph_rel_name(rel));
	r.created_at = clock_now();
	rc = CMDB(st)->rel_insert(tx, &r, e);
	if (!rc) {
		after = ci_rel_to_json(&r);
		rc = record_rel(tx, a, "ci.relate", &src, &dst, &r, in, after, e);
		json_decref(after);
	}
	if (!rc)
		rc = cmdb_graph_touch(tx, e);
	ci_release(&src);
	ci_release(&dst);
	if (!rc && out)
		*out = r;
	return line_err(e, line, rc);
}

/* ---- upsert (a re-import) ---- */

int cmdb_ci_upsert_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		      enum cmdb_outcome *outcome, struct err *e)
{
	struct ci old, c;
	const char *key;
	json_t *before = NULL, *after = NULL;
	int rc = 0;

	/* A body that is not an item, or an item that is not there: create
	 * says what is wrong, or creates it. */
	if (!json_is_object(in) || jx_only(in, create_fields, NULL) ||
	    jx_str(in, "key", JX_REQUIRED, CI_KEY_MAX, &key, NULL) || !ci_key_valid(key) ||
	    (rc = CMDB(tx->st)->ci_get(tx->st, tx, 0, key, &old, e)) == ERR_NOT_FOUND) {
		*outcome = CMDB_CREATED;
		return cmdb_ci_create_tx(tx, a, in, line, NULL, e);
	}
	if (rc)
		return line_err(e, line, rc);
	c = old;
	c.attributes = NULL;
	/* Attributes the row gives replace the item's; none given keeps them. */
	if (json_object_get(in, "attributes"))
		c.attributes = json_object();
	else if (old.attributes && !(c.attributes = json_deep_copy(old.attributes)))
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (rc || (rc = apply_fields(tx, in, &c, 0, e)))
		goto out;
	before = ci_to_json(&old);
	after = ci_to_json(&c);
	if (!before || !after) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if (json_equal(before, after)) {
		*outcome = CMDB_UNCHANGED; /* nothing written: no version, history or audit */
		goto out;
	}
	c.version++;
	c.updated_at = clock_now();
	json_decref(after);
	after = ci_to_json(&c);
	if ((rc = CMDB(tx->st)->ci_update(tx, &c, e)) ||
	    (rc = record(tx, a, &c, "ci.update", in, after, e)) ||
	    (rc = cmdb_graph_touch(tx, e)))
		goto out;
	*outcome = CMDB_UPDATED;
out:
	json_decref(before);
	json_decref(after);
	ci_release(&c);
	ci_release(&old);
	return line_err(e, line, rc);
}

int cmdb_rel_upsert_tx(struct store_tx *tx, const struct actor *a, const json_t *in, int line,
		       enum cmdb_outcome *outcome, struct err *e)
{
	struct store *st = tx->st;
	const char *source, *type, *target;
	struct ci src, dst;
	struct ci_rel r;
	enum cigraph_rel rel;
	int propagates = 0, found = 0, rc;

	/* What is well formed and names two items may already be there;
	 * anything else is create's to refuse, or to make. */
	if (json_is_object(in) && !jx_only(in, rel_fields, NULL) &&
	    !jx_str(in, "source", JX_REQUIRED, CI_KEY_MAX, &source, NULL) &&
	    !jx_str(in, "type", JX_REQUIRED, 15, &type, NULL) &&
	    !jx_str(in, "target", JX_REQUIRED, CI_KEY_MAX, &target, NULL) &&
	    jx_bool(in, "propagates", JX_OPTIONAL, &propagates, NULL) >= 0 &&
	    !cigraph_rel_parse(type, &rel, NULL) && strcmp(source, target)) {
		if ((rc = CMDB(st)->ci_get(st, tx, 0, source, &src, e)) == 0) {
			if ((rc = CMDB(st)->ci_get(st, tx, 0, target, &dst, e)) == 0) {
				rc = CMDB(st)->rel_find(tx, src.id, cigraph_rel_name(rel), dst.id,
							&r, e);
				found = rc == 0;
				ci_release(&dst);
			}
			ci_release(&src);
		}
		if (rc && rc != ERR_NOT_FOUND)
			return line_err(e, line, rc);
	}
	if (!found) {
		*outcome = CMDB_CREATED;
		return cmdb_rel_create_tx(tx, a, in, line, NULL, e);
	}
	if (!r.propagates != !propagates)
		return line_err(e, line,
				err_set(e, ERR_CONFLICT, "propagates",
					"%s %s %s exists with propagates %s: unrelate it to change "
					"that",
					r.source, r.type, r.target, r.propagates ? "true" : "false"));
	*outcome = CMDB_UNCHANGED;
	return 0;
}

static int do_rel_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ci_rel r;
	int rc = cmdb_rel_create_tx(tx, w->a, w->in, 0, &r, e);

	if (!rc)
		w->after = ci_rel_to_json(&r);
	return rc;
}

int cmdb_rel_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		    struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	rc = store_write(st, do_rel_create, &w, e);
	if (rc) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	cmdb_graph_prewarm(st);
	return 0;
}

static int do_rel_delete(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	struct ci_rel r;
	struct ci src, dst;
	json_t *before;
	int rc;

	if ((rc = CMDB(st)->rel_get(st, tx, w->id, &r, e)))
		return rc;
	if ((rc = CMDB(st)->rel_delete(tx, w->id, e)))
		return rc;
	if ((rc = CMDB(st)->ci_get(st, tx, r.source_id, NULL, &src, e)))
		return rc;
	if ((rc = CMDB(st)->ci_get(st, tx, r.target_id, NULL, &dst, e))) {
		ci_release(&src);
		return rc;
	}
	before = ci_rel_to_json(&r);
	rc = record_rel(tx, w->a, "ci.unrelate", &src, &dst, &r, before, NULL, e);
	json_decref(before);
	ci_release(&src);
	ci_release(&dst);
	return rc ? rc : cmdb_graph_touch(tx, e);
}

int cmdb_rel_delete(struct store *st, const struct actor *a, int64_t id, struct err *e)
{
	struct write_ctx w = { .a = a, .id = id };
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	if ((rc = store_write(st, do_rel_delete, &w, e)))
		return rc;
	cmdb_graph_prewarm(st);
	return 0;
}

static int rel_collect(const struct ci_rel *r, void *ctx)
{
	json_array_append_new(ctx, ci_rel_to_json(r));
	return 0;
}

int cmdb_rel_list_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		       struct err *e)
{
	struct ci c;
	json_t *items;
	int rc;

	if ((rc = may_read(a, e)) || (rc = CMDB(st)->ci_get(st, NULL, 0, key, &c, e)))
		return rc;
	items = json_array();
	rc = CMDB(st)->rel_scan(st, c.id, rel_collect, items, e);
	ci_release(&c);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

/* ---- tickets linked to items ---- */

int cmdb_tickets_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		      struct err *e)
{
	return ci_items_json(st, a, key, CMDB(st)->ticket_ci_list, out, e);
}

/* The items a ticket is linked to, for whoever may read the ticket (a
 * requester sees the items of their own customer's tickets). */
int cmdb_ticket_items_json(struct store *st, const struct actor *a, const char *ref,
			   json_t **out, struct err *e)
{
	json_t *t = NULL, *items;
	int rc = ticket_get_json(st, a, ref, &t, e);

	if (rc)
		return rc;
	rc = CMDB(st)->ci_ticket_list(st, json_integer_value(json_object_get(t, "id")), &items, e);
	json_decref(t);
	if (rc)
		return rc;
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

static int do_link(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	struct ticket t;
	struct ci c;
	const char *ref = json_string_value(json_object_get(w->in, "ticket"));
	const char *role = json_string_value(json_object_get(w->in, "role"));
	json_t *after;
	int rc;

	if ((rc = st->ops->ticket_get(st, tx, ref, &t, e)))
		return err_absent(e, rc, ERR_INVALID, "ticket", "unknown ticket '%s'", ref);
	if ((rc = CMDB(st)->ci_get(st, tx, 0, w->key, &c, e))) {
		ticket_release(&t);
		return rc;
	}
	rc = CMDB(st)->ticket_ci_link(tx, t.id, c.id, role ? role : "related", e);
	after = json_pack("{s:s, s:s}", "ticket", t.key, "role", role ? role : "related");
	/* The link is no state of the item: its audit record says "linked". */
	if (!rc)
		rc = history(tx, w->a, &c, "ci.link_ticket", w->in, after, e);
	if (!rc)
		rc = audit(tx, w->a, "ci.link_ticket", "ci", c.key, w->in, "linked", after, e);
	if (!rc)
		w->after = json_incref(after);
	json_decref(after);
	ticket_release(&t);
	ci_release(&c);
	return rc;
}

int cmdb_ticket_link(struct store *st, const struct actor *a, const char *key, const json_t *in,
		     json_t **out, struct err *e)
{
	static const char *const fields[] = { "ticket", "role", NULL };
	static const char *const roles[] = { "affected", "impacted", "related", NULL };
	struct write_ctx w = { .a = a, .in = in, .key = key };
	const char *v;
	int rc;

	if ((rc = may_write(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) || (rc = jx_str(in, "ticket", JX_REQUIRED, 63, &v, e)) ||
	    (rc = jx_str(in, "role", JX_OPTIONAL, 15, &v, e)) < 0)
		return rc;
	if (rc == 0) {
		const char *const *r = roles;

		while (*r && strcmp(*r, v))
			r++;
		if (!*r)
			return err_set(e, ERR_INVALID, "role",
				       "unknown role '%s' (affected, impacted, related)", v);
	}
	if ((rc = store_write(st, do_link, &w, e))) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	return 0;
}
