/*
 * staff.c — stored staff records: who may act, add, read (with the evidence
 * from itsm's own records), list, update. The profile part is handled in
 * staff_profile.c, careers and their verification in staff_career.c,
 * assessments, their history and the skill map in staff_assess.c.
 *
 * Each write validates outside the store (the engine's own validators for
 * careers, succession items and specialty, so a stored record is always one
 * the engine accepts), then runs one function on the store's writer that
 * re-reads the record inside the transaction, checks who may act and the
 * version against that fresh copy, writes, and appends the audit record for
 * "staff:KEY" — so a refused request leaves nothing behind.
 *
 * Invariants: see staff.h.
 */
#include "domain/skills/staff.h"
#include "domain/acceptance/acceptance.h"
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "domain/skills/skill.h"
#include "domain/platform/user.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/strlist.h"
#include "lib/timeutil.h"
#include "store/store_skill.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- who may act ----------------------------------------------------- */

int staff_actor_check(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (a->role == ROLE_REQUESTER)
		return err_set(e, ERR_FORBIDDEN, NULL, "requesters have no access to staff records");
	return 0;
}

int staff_actor_is_self(const struct actor *a, const struct staff *s)
{
	return a->user_id && s->user_id == a->user_id;
}

int staff_load_visible(struct store *st, struct store_tx *tx, const struct actor *a,
		       const char *key, struct staff *s, struct err *e)
{
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = staff_actor_check(a, e)))
		return rc;
	if (!staff_key_valid(key))
		return err_set(e, ERR_NOT_FOUND, NULL, "staff '%.64s' not found", key);
	if ((rc = st->ops->skill->staff_get(st, tx, key, 0, s, e)))
		return rc;
	if (!actor_is_manager(a) && !staff_actor_is_self(a, s)) {
		staff_release(s);
		return err_set(e, ERR_NOT_FOUND, NULL, "staff '%s' not found", key);
	}
	return 0;
}

/* ---- pure helpers ---------------------------------------------------- */

int staff_key_valid(const char *key)
{
	return isalnum((unsigned char)key[0]) && ident_valid(key, STAFF_KEY_MAX, IDENT_PUNCT);
}

static int group_valid(const char *g)
{
	return ident_valid(g, 63, IDENT_PUNCT);
}

int staff_groups_parse(const json_t *arr, char *out, size_t n, struct err *e)
{
	size_t i, len = 0;
	json_t *v;
	char item[32];

	out[0] = '\0';
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_set(e, ERR_INVALID, "groups", "'groups' must be an array of group names");
	json_array_foreach(arr, i, v) {
		const char *g = json_string_value(v);
		size_t gl;

		snprintf(item, sizeof(item), "groups[%zu]", i);
		if (!g)
			return err_set(e, ERR_INVALID, item, "'%s' must be a string", item);
		if (!group_valid(g))
			return err_set(e, ERR_INVALID, item,
				       "malformed group '%.64s' (letters, digits, '.', '_', '-')", g);
		gl = strlen(g);
		if (strlist_has(out, g, gl)) /* duplicates count once */
			continue;
		if (len + gl + 2 > n)
			return err_set(e, ERR_INVALID, "groups", "too many groups (at most %zu bytes)",
				       n - 1);
		if (len)
			out[len++] = ',';
		memcpy(out + len, g, gl + 1);
		len += gl;
	}
	return 0;
}

int64_t staff_today(void)
{
	return time_floor_div(clock_now(), 86400);
}

int staff_query_limit(const json_t *q, int *limit, struct err *e)
{
	const char *s = json_string_value(json_object_get(q, "limit"));
	char *end;
	long v;

	*limit = 50;
	if (!s)
		return 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 500)
		return err_set(e, ERR_INVALID, "limit", "'limit' must be a number from 1 to 500");
	*limit = (int)v;
	return 0;
}

/* ---- JSON ------------------------------------------------------------ */

json_t *staff_to_json(const struct staff *s)
{
	json_t *j = json_object(), *p = staff_part_load(s->profile);

	json_object_set_new(j, "id", json_integer(s->id));
	json_object_set_new(j, "key", json_string(s->key));
	json_object_set_new(j, "name", json_string(s->name));
	json_object_set_new(j, "groups", strlist_json(s->groups));
	jx_set_str(j, "user", s->username[0] ? s->username : NULL);
	json_object_update(j, p);
	json_decref(p);
	jx_set_time(j, "created_at", s->created_at);
	jx_set_time(j, "updated_at", s->updated_at);
	json_object_set_new(j, "version", json_integer(s->version));
	return j;
}

/* Link s to the user named (inside tx); "" or NULL unlinks. */
static int link_user(struct store_tx *tx, struct staff *s, const char *username, struct err *e)
{
	struct user u;
	int rc;

	s->user_id = 0;
	s->username[0] = '\0';
	if (!username || !*username)
		return 0;
	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, username, &u, e)))
		return err_absent(e, rc, ERR_INVALID, "user", "unknown user '%.64s'", username);
	if (u.role == ROLE_REQUESTER)
		return err_set(e, ERR_INVALID, "user",
			       "user '%s' is a requester: staff records are for itsm's own people",
			       u.username);
	s->user_id = u.id;
	snprintf(s->username, sizeof(s->username), "%s", u.username);
	return 0;
}

int staff_audit(struct store_tx *tx, const struct actor *a, const char *action,
		       const char *key, json_t *change, struct err *e)
{
	char entity[64];
	int rc;

	snprintf(entity, sizeof(entity), "staff:%s", key);
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

json_t *staff_career_state_json(const struct staff_career *c, const char *staff_key)
{
	json_t *j = staff_career_to_json(c);

	json_object_set_new(j, "staff", json_string(staff_key));
	json_object_set_new(j, "field", json_string(c->field));
	return j;
}

int staff_career_audit(struct store_tx *tx, const struct actor *a, const char *action,
		       const struct staff_career *c, const char *staff_key, struct err *e)
{
	char entity[64];
	json_t *change = json_pack("{s:o}", "after", staff_career_state_json(c, staff_key));
	int rc;

	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(entity, sizeof(entity), "career:%lld", (long long)c->id);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

/* ---- add ------------------------------------------------------------- */

struct write_ctx {
	const struct actor *a;
	const json_t *in;
	const char *key;
	const char *username;  /* the user to link; NULL: leave as is */
	int set_user;          /* "user" was in the request */
	struct staff s;
	json_t *part;          /* the profile part being written (owned) */
	json_t *after;         /* the record after the write, as answered */
};

static void write_release(struct write_ctx *w)
{
	staff_release(&w->s);
	json_decref(w->part);
}

static const char *const add_keys[] = { "key",	      "name",	   "groups",
					"user",	      "exams",	   "succession",
					"specialty", "develops_subordinates", "note",
					NULL };

static int read_name(const json_t *in, int required, char *out, size_t n, struct err *e)
{
	const char *name;
	int rc = jx_str(in, "name", required, STAFF_NAME_MAX, &name, e);

	if (rc)
		return rc;
	while (isspace((unsigned char)*name))
		name++;
	if (!*name)
		return err_set(e, ERR_INVALID, "name", "name must not be empty");
	snprintf(out, n, "%s", name);
	return 0;
}

static int read_user(const json_t *in, struct write_ctx *w, struct err *e)
{
	json_t *v = json_object_get(in, "user");

	if (!v)
		return 0;
	w->set_user = 1;
	if (json_is_null(v))
		return 0;
	return jx_str(in, "user", JX_OPTIONAL, 63, &w->username, e) < 0 ? ERR_INVALID : 0;
}

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	int64_t now = clock_now();
	int rc;

	if ((rc = link_user(tx, &w->s, w->username, e)) ||
	    (rc = staff_part_stamp(w->part, NULL, w->a, staff_actor_is_self(w->a, &w->s), now, e)) ||
	    (rc = staff_part_store(w->part, &w->s, e)))
		return rc;
	w->s.created_at = now;
	if ((rc = tx->st->ops->skill->staff_insert(tx, &w->s, e)))
		return rc;
	w->after = staff_to_json(&w->s);
	return staff_audit(tx, w->a, "staff.add", w->s.key, json_pack("{s:O}", "after", w->after),
			   e);
}

int staff_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	      struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	const char *key;
	int rc;

	if ((rc = staff_actor_check(a, e)))
		return rc;
	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins add staff records");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, add_keys, e)) || (rc = jx_str(in, "key", JX_REQUIRED, 64, &key, e)))
		return rc;
	if (!staff_key_valid(key))
		return err_set(e, ERR_INVALID, "key",
			       "malformed staff key '%s' (1-%d letters, digits, '.', '_', '-', "
			       "starting with a letter or digit)",
			       key, STAFF_KEY_MAX);
	snprintf(w.s.key, sizeof(w.s.key), "%s", key);
	if ((rc = read_name(in, JX_REQUIRED, w.s.name, sizeof(w.s.name), e)) ||
	    (rc = staff_groups_parse(json_object_get(in, "groups"), w.s.groups,
				     sizeof(w.s.groups), e)) ||
	    (rc = read_user(in, &w, e)))
		return rc;
	w.part = staff_part_load(NULL);
	if ((rc = staff_part_apply(in, w.part, e)) == 0)
		rc = store_write(st, do_add, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	write_release(&w);
	return rc;
}

/* ---- read ------------------------------------------------------------ */

static json_t *ticket_counts_json(int64_t counts[KIND__COUNT][ST__COUNT])
{
	json_t *by_kind = json_object();
	int64_t tot[ST__COUNT] = { 0 }, open = 0, all = 0;

	for (int k = 0; k < KIND__COUNT; k++) {
		int64_t res = counts[k][ST_RESOLVED], clo = counts[k][ST_CLOSED];

		for (int s = 0; s < ST__COUNT; s++)
			tot[s] += counts[k][s];
		json_object_set_new(by_kind, ticket_kind_name((enum ticket_kind)k),
				    json_pack("{s:I, s:I}", "resolved", (json_int_t)res, "closed",
					      (json_int_t)clo));
	}
	for (int s = 0; s < ST__COUNT; s++) {
		all += tot[s];
		if (s != ST_RESOLVED && !ticket_status_is_terminal((enum ticket_status)s))
			open += tot[s];
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "assigned", (json_int_t)all, "open",
			 (json_int_t)open, "resolved", (json_int_t)tot[ST_RESOLVED], "closed",
			 (json_int_t)tot[ST_CLOSED], "cancelled", (json_int_t)tot[ST_CANCELLED],
			 "by_kind", by_kind);
}

/* What itsm's own records say of the linked user; null when not linked. */
static int evidence_json(struct store *st, const struct staff *s, json_t **out, struct err *e)
{
	int64_t counts[KIND__COUNT][ST__COUNT];
	struct user u;
	char since[RFC3339_LEN];
	json_t *acceptance = NULL;
	int rc;

	*out = json_null();
	if (!s->user_id)
		return 0;
	if ((rc = st->ops->user_get(st, NULL, s->user_id, NULL, &u, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* the user is gone: no evidence */
	if ((rc = st->ops->skill->ticket_counts_for(st, u.id, counts, e)))
		return rc;
	/* the go/no-go decisions of operational acceptance the user recorded */
	if ((rc = acc_decisions_by(st, u.username, &acceptance, e)))
		return rc;
	time_format_rfc3339(u.created_at, since);
	*out = json_pack("{s:b, s:s, s:s, s:s, s:b, s:s, s:I, s:o, s:o}", "counted", 0, "note",
			 "from itsm's own records, shown beside the declared careers; never "
			 "counted in an assessment",
			 "user", u.username, "role", role_name(u.role), "active", u.active, "since",
			 since, "days", (json_int_t)((clock_now() - u.created_at) / 86400),
			 "tickets", ticket_counts_json(counts), "acceptance", acceptance);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

int staff_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		   struct err *e)
{
	struct staff s;
	struct staff_career *c = NULL;
	size_t n = 0;
	json_t *j, *careers, *ev = NULL;
	int rc;

	if ((rc = staff_load_visible(st, NULL, a, key, &s, e)))
		return rc;
	if ((rc = st->ops->skill->career_list(st, NULL, s.id, &c, &n, e)) ||
	    (rc = evidence_json(st, &s, &ev, e))) {
		staff_release(&s);
		staff_free_careers(c, n);
		return rc;
	}
	j = staff_to_json(&s);
	careers = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(careers, staff_career_to_json(&c[i]));
	json_object_set_new(j, "careers", careers);
	json_object_set_new(j, "evidence", ev);
	staff_release(&s);
	staff_free_careers(c, n);
	*out = j;
	return 0;
}

int staff_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		    struct err *e)
{
	const char *group = json_string_value(json_object_get(q, "group"));
	const char *cursor = json_string_value(json_object_get(q, "cursor"));
	struct staff_page p = { 0 };
	json_t *items;
	int limit, rc;

	if ((rc = staff_actor_check(a, e)) || (rc = staff_query_limit(q, &limit, e)))
		return rc;
	if (group && !group_valid(group))
		return err_set(e, ERR_INVALID, "group", "malformed group '%.64s'", group);
	if (cursor && !staff_key_valid(cursor))
		return err_set(e, ERR_INVALID, "cursor", "malformed cursor '%.64s'", cursor);
	items = json_array();
	if (!actor_is_manager(a)) {
		/* Agents and operators see their own record only. */
		struct staff s;

		if (a->user_id && !cursor) {
			rc = st->ops->skill->staff_get(st, NULL, NULL, a->user_id, &s, e);
			if (rc && rc != ERR_NOT_FOUND) { /* not found: no record of theirs */
				json_decref(items);
				return rc;
			}
			if (!rc) {
				json_array_append_new(items, staff_to_json(&s));
				staff_release(&s);
			}
		}
		*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
		return 0;
	}
	if ((rc = st->ops->skill->staff_list(st, group, cursor, limit, &p, e))) {
		json_decref(items);
		return rc;
	}
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(items, staff_to_json(&p.items[i]));
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
			 p.more && p.n ? json_string(p.items[p.n - 1].key) : json_null());
	for (size_t i = 0; i < p.n; i++)
		staff_release(&p.items[i]);
	free(p.items);
	return 0;
}

/* ---- update ---------------------------------------------------------- */

static const char *const update_keys[] = { "version", "name",	   "groups",
					   "user",    "exams",	   "succession",
					   "specialty", "develops_subordinates", "note",
					   NULL };

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct staff *s = &w->s;
	int64_t version, now = clock_now();
	json_t *old_succ;
	int rc;

	if ((rc = staff_load_visible(tx->st, tx, w->a, w->key, s, e)))
		return rc;
	jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	if (version != s->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "staff '%s' is at version %lld, not %lld: reload and retry", s->key,
			       (long long)s->version, (long long)version);
	if (json_object_get(w->in, "name") &&
	    (rc = read_name(w->in, JX_REQUIRED, s->name, sizeof(s->name), e)))
		return rc;
	if (json_object_get(w->in, "groups") &&
	    (rc = staff_groups_parse(json_object_get(w->in, "groups"), s->groups,
				     sizeof(s->groups), e)))
		return rc;
	if (w->set_user && (rc = link_user(tx, s, w->username, e)))
		return rc;
	w->part = staff_part_load(s->profile);
	old_succ = json_deep_copy(json_object_get(w->part, "succession"));
	rc = staff_part_apply(w->in, w->part, e);
	if (!rc && json_object_get(w->in, "succession"))
		rc = staff_part_stamp(w->part, old_succ, w->a, staff_actor_is_self(w->a, s), now, e);
	json_decref(old_succ);
	if (rc || (rc = staff_part_store(w->part, s, e)))
		return rc;
	s->updated_at = now;
	s->version++;
	if ((rc = tx->st->ops->skill->staff_update(tx, s, e)))
		return rc;
	w->after = staff_to_json(s);
	return staff_audit(tx, w->a, "staff.update", s->key,
			   json_pack("{s:O, s:O}", "set", w->in, "after", w->after), e);
}

int staff_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key };
	int64_t version;
	char scratch[STAFF_GROUPS_MAX + 1];
	json_t *part;
	int rc;

	if ((rc = staff_actor_check(a, e)))
		return rc;
	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only managers and admins change staff records");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, update_keys, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &version, e)))
		return rc;
	/* Validate everything before taking the writer. */
	if ((json_object_get(in, "name") &&
	     (rc = read_name(in, JX_REQUIRED, w.s.name, sizeof(w.s.name), e))) ||
	    (rc = staff_groups_parse(json_object_get(in, "groups"), scratch, sizeof(scratch), e)) ||
	    (rc = read_user(in, &w, e)))
		return rc;
	part = staff_part_load(NULL);
	rc = staff_part_apply(in, part, e);
	json_decref(part);
	if (!rc)
		rc = store_write(st, do_update, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	write_release(&w);
	return rc;
}
