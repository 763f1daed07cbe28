/*
 * ticket_links.c — links between tickets (see ticket_links.h).
 *
 * A link is stored once, in one direction: "parent" from the child to its
 * parent, "duplicate_of" from the duplicate to its original, "related"
 * from the lower id to the higher. Each ticket lists it as seen from
 * itself (child, duplicated_by on the other end). The cycle check walks up
 * from the new parent through the stored parents: since every ticket has
 * one parent at most, the walk is a path, and it meets the child exactly
 * when the new link would close a loop.
 */
#include "domain/desk/ticket_links.h"
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The deepest chain of parents walked before the check gives up. */
#define LINK_DEPTH_MAX 1000

/* What a link is called seen from ticket id. */
static const char *seen_from(const struct ticket_link *l, int64_t id)
{
	int from_self = l->ticket_id == id;

	switch (l->kind) {
	case LINK_PARENT:
		return from_self ? "parent" : "child";
	case LINK_DUPLICATE_OF:
		return from_self ? "duplicate_of" : "duplicated_by";
	default:
		return "related";
	}
}

static json_t *link_json(const struct ticket_link *l, int64_t id)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(l->id));
	json_object_set_new(j, "kind", json_string(seen_from(l, id)));
	json_object_set_new(j, "ticket",
			    json_string(l->ticket_id == id ? l->other_key : l->ticket_key));
	json_object_set_new(j, "created_by", l->creator[0] ? json_string(l->creator) : json_null());
	jx_set_time(j, "created_at", l->created_at);
	return j;
}

/* The link's audited state: both ends as stored. */
static json_t *link_state(const struct ticket_link *l)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(l->id));
	json_object_set_new(j, "ticket", json_string(l->ticket_key));
	json_object_set_new(j, "other", json_string(l->other_key));
	json_object_set_new(j, "kind", json_string(link_kind_name(l->kind)));
	jx_set_time(j, "created_at", l->created_at);
	return j;
}

/* Whether making parent the parent of child closes a loop. */
static int would_cycle(struct store_tx *tx, int64_t child, int64_t parent, struct err *e)
{
	struct store *st = tx->st;
	int64_t x = parent;

	for (int depth = 0; x; depth++) {
		int rc;

		if (x == child)
			return 1;
		if (depth == LINK_DEPTH_MAX)
			return err_set(e, ERR_CONFLICT, "ticket",
				       "the chain of parents is deeper than %d", LINK_DEPTH_MAX);
		if ((rc = st->ops->attach->parent_of(st, tx, x, &x, e)))
			return rc;
	}
	return 0;
}

/* Note the link made (or undone) in both tickets' history, and audit it. */
static int record(struct store_tx *tx, const struct actor *a, const struct ticket_link *l,
		  int undone, struct err *e)
{
	char entity[48], a_says[64], b_says[64];
	json_t *change;
	int rc;

	snprintf(a_says, sizeof(a_says), "%s %s", seen_from(l, l->ticket_id), l->other_key);
	snprintf(b_says, sizeof(b_says), "%s %s", seen_from(l, l->other_id), l->ticket_key);
	if ((rc = ticket_note_in(tx, a, l->ticket_key, "link", undone ? a_says : NULL,
				 undone ? NULL : a_says, undone ? "ticket.unlink" : "ticket.link",
				 NULL, e)) ||
	    (rc = ticket_note_in(tx, a, l->other_key, "link", undone ? b_says : NULL,
				 undone ? NULL : b_says, undone ? "ticket.unlink" : "ticket.link",
				 NULL, e)))
		return rc;
	snprintf(entity, sizeof(entity), "link:%lld", (long long)l->id);
	change = undone ? json_pack("{s:o, s:n}", "before", link_state(l), "after")
			: json_pack("{s:o}", "after", link_state(l));
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, a, undone ? "link.delete" : "link.add", entity, change, e);
	json_decref(change);
	return rc;
}

/* Link a to b as kind given from a's side, inside the caller's write (the
 * merge's too); *made the stored link. */
static int link_in(struct store_tx *tx, const struct actor *who, const struct ticket *t,
		   const struct ticket *o, const char *kind, struct ticket_link *made,
		   struct err *e)
{
	struct store *st = tx->st;
	struct ticket_link l = { 0 };
	int64_t parent;
	int rc;

	if (t->id == o->id)
		return err_set(e, ERR_INVALID, "ticket", "a ticket is not linked to itself");
	if (!strcmp(kind, "parent") || !strcmp(kind, "child")) {
		const struct ticket *child = !strcmp(kind, "parent") ? t : o;
		const struct ticket *par = child == t ? o : t;

		l.ticket_id = child->id;
		l.other_id = par->id;
		l.kind = LINK_PARENT;
		if ((rc = st->ops->attach->parent_of(st, tx, child->id, &parent, e)))
			return rc;
		if (parent == par->id)
			return err_set(e, ERR_CONFLICT, "ticket", "%s is the parent of %s already",
				       par->key, child->key);
		if (parent)
			return err_set(e, ERR_CONFLICT, "ticket",
				       "%s has a parent already: undo that link first", child->key);
		if ((rc = would_cycle(tx, child->id, par->id, e)) < 0)
			return rc;
		if (rc)
			return err_set(e, ERR_CONFLICT, "ticket",
				       "%s is below %s already: the link would make a cycle",
				       par->key, child->key);
	} else if (!strcmp(kind, "duplicate_of")) {
		l.ticket_id = t->id;
		l.other_id = o->id;
		l.kind = LINK_DUPLICATE_OF;
	} else if (!strcmp(kind, "related")) {
		l.ticket_id = t->id < o->id ? t->id : o->id;
		l.other_id = t->id < o->id ? o->id : t->id;
		l.kind = LINK_RELATED;
	} else {
		return err_set(e, ERR_INVALID, "kind",
			       "unknown kind '%.40s' (parent, child, duplicate_of, related)", kind);
	}
	l.created_by = who->user_id;
	l.created_at = clock_now();
	if ((rc = st->ops->attach->link_insert(tx, &l, e))) {
		if (rc == ERR_CONFLICT && l.kind == LINK_DUPLICATE_OF)
			return err_set(e, ERR_CONFLICT, "ticket",
				       "%s is linked so already, or is the duplicate of another "
				       "ticket",
				       t->key);
		return rc;
	}
	if ((rc = st->ops->attach->link_get(st, tx, l.id, made, e)))
		return rc;
	return record(tx, who, made, 0, e);
}

struct link_ctx {
	const struct actor *a;
	const char *ref, *other, *kind;
	int64_t id;
	json_t *out;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct link_ctx *c = arg;
	struct ticket t, o;
	struct ticket_link l;
	int rc;

	if ((rc = ticket_load_visible(tx->st, tx, c->a, c->ref, &t, e)))
		return rc;
	if ((rc = ticket_load_visible(tx->st, tx, c->a, c->other, &o, e))) {
		snprintf(e->field, sizeof(e->field), "ticket");
		ticket_release(&t);
		return rc;
	}
	rc = link_in(tx, c->a, &t, &o, c->kind, &l, e);
	if (!rc)
		c->out = link_json(&l, t.id);
	ticket_release(&t);
	ticket_release(&o);
	return rc;
}

int ticket_link_add(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		    json_t **out, struct err *e)
{
	static const char *const fields[] = { "kind", "ticket", NULL };
	struct link_ctx c = { .a = a, .ref = ref };
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = jx_only(in, fields, e)) || (rc = jx_str(in, "kind", JX_REQUIRED, 32, &c.kind, e)) ||
	    (rc = jx_str(in, "ticket", JX_REQUIRED, 64, &c.other, e)))
		return rc;
	rc = store_write(st, do_add, &c, e);
	if (rc) {
		json_decref(c.out);
		return rc;
	}
	*out = c.out;
	return 0;
}

int ticket_links_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		      struct err *e)
{
	struct ticket_link *ls = NULL;
	struct ticket t;
	size_t n = 0;
	json_t *items;
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = ticket_load_visible(st, NULL, a, ref, &t, e)))
		return rc;
	rc = st->ops->attach->links_of(st, NULL, t.id, &ls, &n, e);
	if (rc) {
		ticket_release(&t);
		return rc;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		int64_t other_customer =
			ls[i].ticket_id == t.id ? ls[i].other_customer : ls[i].ticket_customer;

		if (!actor_is_staff(a) && other_customer != a->customer_id)
			continue;
		json_array_append_new(items, link_json(&ls[i], t.id));
	}
	free(ls);
	ticket_release(&t);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

static int do_delete(struct store_tx *tx, void *arg, struct err *e)
{
	struct link_ctx *c = arg;
	struct store *st = tx->st;
	struct ticket t, o;
	struct ticket_link l;
	int rc;

	if ((rc = ticket_load_visible(st, tx, c->a, c->ref, &t, e)))
		return rc;
	rc = st->ops->attach->link_get(st, tx, c->id, &l, e);
	if (!rc && l.ticket_id != t.id && l.other_id != t.id)
		rc = err_set(e, ERR_NOT_FOUND, NULL, "ticket %s has no link %lld", t.key,
			     (long long)c->id);
	/* The other end must be visible too. */
	if (!rc)
		rc = ticket_load_visible(st, tx, c->a,
					 l.ticket_id == t.id ? l.other_key : l.ticket_key, &o, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		rc = err_set(e, ERR_NOT_FOUND, NULL, "ticket %s has no link %lld", t.key,
			     (long long)c->id);
	}
	ticket_release(&t);
	if (rc)
		return rc;
	ticket_release(&o);
	if ((rc = st->ops->attach->link_delete(tx, l.id, e)))
		return rc;
	return record(tx, c->a, &l, 1, e);
}

int ticket_link_delete(struct store *st, const struct actor *a, const char *ref, int64_t id,
		       struct err *e)
{
	struct link_ctx c = { .a = a, .ref = ref, .id = id };

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	return store_write(st, do_delete, &c, e);
}

/* ---- merge ---- */

struct merge_ctx {
	const struct actor *a;
	const char *ref, *into;
	json_t *out;
};

/* The statuses a ticket passes through to be closed from each open one. */
static const enum ticket_status close_path[ST__COUNT][4] = {
	[ST_NEW] = { ST_IN_PROGRESS, ST_RESOLVED, ST_CLOSED },
	[ST_ASSIGNED] = { ST_IN_PROGRESS, ST_RESOLVED, ST_CLOSED },
	[ST_IN_PROGRESS] = { ST_RESOLVED, ST_CLOSED },
	[ST_PENDING] = { ST_RESOLVED, ST_CLOSED },
	[ST_RESOLVED] = { ST_CLOSED },
};

/* Close ticket key through the lifecycle's own moves, each one recorded. */
static int close_through(struct store_tx *tx, const struct actor *a, const char *key,
			 json_t **after, struct err *e)
{
	struct ticket t;
	int rc;

	if ((rc = tx->st->ops->ticket_get(tx->st, tx, key, &t, e)))
		return rc;
	enum ticket_status from = t.status;
	ticket_release(&t);
	for (int i = 0; i < 4 && close_path[from][i]; i++) {
		json_t *in, *state = NULL;

		if ((rc = tx->st->ops->ticket_get(tx->st, tx, key, &t, e)))
			return rc;
		in = json_pack("{s:I, s:s}", "version", (json_int_t)t.version, "status",
			       ticket_status_name(close_path[from][i]));
		ticket_release(&t);
		if (!in)
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		rc = ticket_update_in(tx, a, key, in, &state, e);
		json_decref(in);
		json_decref(*after);
		*after = state;
		if (rc)
			return rc;
	}
	return 0;
}

/* Cut s to at most max bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t max)
{
	if (strlen(s) <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

/* Copy every comment of src into dst, each opening with where it came
 * from; their authors and public flags are kept. */
static int copy_comments(struct store_tx *tx, const struct actor *a, const struct ticket *src,
			 const struct ticket *dst, int *copied, struct err *e)
{
	struct store *st = tx->st;
	struct comment *cs = NULL;
	size_t n = 0;
	int rc;

	if ((rc = st->ops->comment_list(st, src->id, 1, &cs, &n, e)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		struct comment c = cs[i];
		char when[40], entity[48];
		char *body = NULL;
		json_t *change;

		time_format_rfc3339(cs[i].created_at, when);
		if (asprintf(&body, "[merged from %s, comment %lld, %s]\n\n%s", src->key,
			     (long long)cs[i].id, when, cs[i].body ? cs[i].body : "") < 0) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			break;
		}
		cut_utf8(body, COMMENT_MAX);
		c.id = 0;
		c.ticket_id = dst->id;
		c.body = body;
		c.created_at = clock_now();
		rc = st->ops->comment_insert(tx, &c, e);
		if (!rc) {
			snprintf(entity, sizeof(entity), "comment:%lld", (long long)c.id);
			change = json_pack("{s:o, s:s, s:I}", "after", comment_to_json(&c, dst->key),
					   "merged_from", src->key, "source_comment",
					   (json_int_t)cs[i].id);
			rc = change ? audit_append(tx, a, "ticket.merge", entity, change, e)
				    : err_set(e, ERR_INTERNAL, NULL, "out of memory");
			json_decref(change);
			(*copied)++;
		}
		free(body);
	}
	for (size_t i = 0; i < n; i++)
		free(cs[i].body);
	free(cs);
	return rc;
}

static int do_merge(struct store_tx *tx, void *arg, struct err *e)
{
	struct merge_ctx *c = arg;
	struct ticket src, dst;
	struct ticket_link l;
	json_t *after = NULL;
	char says[64];
	int copied = 0, rc;

	if ((rc = ticket_load_visible(tx->st, tx, c->a, c->ref, &src, e)))
		return rc;
	if ((rc = ticket_load_visible(tx->st, tx, c->a, c->into, &dst, e))) {
		snprintf(e->field, sizeof(e->field), "into");
		ticket_release(&src);
		return rc;
	}
	if (src.id == dst.id)
		rc = err_set(e, ERR_CONFLICT, "into", "a ticket is not merged into itself");
	else if (src.customer_id != dst.customer_id)
		rc = err_set(e, ERR_CONFLICT, "into",
			     "%s and %s belong to different customers: their comments stay apart",
			     src.key, dst.key);
	else if (ticket_status_is_terminal(src.status))
		rc = err_set(e, ERR_TRANSITION, NULL, "ticket %s is %s: it is not merged", src.key,
			     ticket_status_name(src.status));
	else if (ticket_status_is_terminal(dst.status))
		rc = err_set(e, ERR_TRANSITION, "into", "ticket %s is %s: nothing merges into it",
			     dst.key, ticket_status_name(dst.status));
	if (!rc)
		rc = copy_comments(tx, c->a, &src, &dst, &copied, e);
	if (!rc)
		rc = link_in(tx, c->a, &src, &dst, "duplicate_of", &l, e);
	if (!rc) {
		snprintf(says, sizeof(says), "%s (%d comment%s)", src.key, copied,
			 copied == 1 ? "" : "s");
		rc = ticket_note_in(tx, c->a, dst.key, "merge", NULL, says, "ticket.merge", NULL, e);
	}
	if (!rc)
		rc = close_through(tx, c->a, src.key, &after, e);
	if (!rc) {
		if (!after)
			after = json_null();
		c->out = json_pack("{s:o, s:s, s:i, s:I}", "ticket", after, "into", dst.key,
				   "comments", copied, "link", (json_int_t)l.id);
		if (!c->out)
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	} else {
		json_decref(after);
	}
	ticket_release(&src);
	ticket_release(&dst);
	return rc;
}

int ticket_merge(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		 json_t **out, struct err *e)
{
	static const char *const fields[] = { "into", NULL };
	struct merge_ctx c = { .a = a, .ref = ref };
	int rc;

	if (!actor_is_staff(a) || a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff merge tickets");
	if ((rc = jx_only(in, fields, e)) || (rc = jx_str(in, "into", JX_REQUIRED, 64, &c.into, e)))
		return rc;
	rc = store_write(st, do_merge, &c, e);
	if (rc) {
		json_decref(c.out);
		return rc;
	}
	*out = c.out;
	return 0;
}
