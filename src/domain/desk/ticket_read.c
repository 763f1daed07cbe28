/*
 * ticket_read.c — reading tickets: one ticket, its comments (internal ones
 * for staff only), its field history, and lists with filters, text search
 * and cursor pagination. A requester's reads are confined to their own
 * customer here, whatever the caller asks for.
 *
 * A requester's list filters disclose nothing about who exists: a customer
 * or assignee name that is unknown answers exactly as one that exists but
 * matches nothing they may see — an empty list. Staff get 400 for an
 * unknown name, which helps them and tells them nothing new.
 */
#include "domain/desk/ticket.h"
#include "domain/platform/user.h"
#include "domain/sla/sla.h"
#include "lib/jsonx.h"
#include "lib/terms.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

json_t *ticket_to_json(const struct ticket *t)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "key", json_string(t->key));
	json_object_set_new(j, "kind", json_string(ticket_kind_name(t->kind)));
	json_object_set_new(j, "title", json_string(t->title ? t->title : ""));
	json_object_set_new(j, "description", json_string(t->description ? t->description : ""));
	json_object_set_new(j, "impact", json_integer(t->impact));
	json_object_set_new(j, "urgency", json_integer(t->urgency));
	json_object_set_new(j, "priority", json_integer(t->priority));
	json_object_set_new(j, "status", json_string(ticket_status_name(t->status)));
	jx_set_str(j, "requester", t->requester[0] ? t->requester : NULL);
	jx_set_str(j, "assignee", t->assignee[0] ? t->assignee : NULL);
	jx_set_str(j, "customer", t->customer[0] ? t->customer : NULL);
	jx_set_str(j, "service", t->service[0] ? t->service : NULL);
	json_object_set_new(j, "channel", json_string(t->channel));
	/* Left out when unset, so a ticket without a group keeps the form
	 * (and the audited state) it had before groups existed. */
	if (t->group[0])
		json_object_set_new(j, "group", json_string(t->group));
	jx_set_time(j, "created_at", t->created_at);
	jx_set_time(j, "updated_at", t->updated_at);
	jx_set_time(j, "resolved_at", t->resolved_at);
	jx_set_time(j, "closed_at", t->closed_at);
	json_object_set_new(j, "version", json_integer(t->version));
	return j;
}

void ticket_json_present(json_t *j)
{
	if (j && json_is_null(json_object_get(j, "requester")))
		json_object_set_new(j, "requester", json_string(TICKET_REQUESTER_SYSTEM));
}

json_t *comment_to_json(const struct comment *c, const char *ticket_key)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "ticket", json_string(ticket_key));
	json_object_set_new(j, "author", json_string(c->author));
	json_object_set_new(j, "body", json_string(c->body ? c->body : ""));
	json_object_set_new(j, "public", json_boolean(c->public));
	jx_set_time(j, "created_at", c->created_at);
	return j;
}

int ticket_load_visible(struct store *st, struct store_tx *tx, const struct actor *a,
			const char *ref, struct ticket *t, struct err *e)
{
	int rc = st->ops->ticket_get(st, tx, ref, t, e);

	if (rc)
		return rc;
	if (!ticket_visible_to(a, t)) {
		ticket_release(t);
		return err_set(e, ERR_NOT_FOUND, NULL, "ticket '%s' not found", ref);
	}
	return 0;
}

int ticket_get_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		    struct err *e)
{
	struct ticket t;
	int rc = ticket_load_visible(st, NULL, a, ref, &t, e);

	json_t *sla, *ola = NULL;

	if (rc)
		return rc;
	/* The OLA is between groups: staff see it, requesters do not. */
	if ((rc = ticket_sla_json(st, NULL, &t, &sla, e)) ||
	    (actor_is_staff(a) && (rc = ticket_ola_json(st, NULL, &t, &ola, e)))) {
		json_decref(sla);
		ticket_release(&t);
		return rc;
	}
	*out = ticket_to_json(&t);
	ticket_json_present(*out);
	json_object_set_new(*out, "sla", sla); /* not audited: time-dependent */
	if (ola)
		json_object_set_new(*out, "ola", ola);
	ticket_release(&t);
	return 0;
}

int ticket_comments_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
			 struct err *e)
{
	struct ticket t;
	struct comment *cs;
	size_t n;
	int rc = ticket_load_visible(st, NULL, a, ref, &t, e);

	if (rc)
		return rc;
	rc = st->ops->comment_list(st, t.id, actor_is_staff(a), &cs, &n, e);
	if (rc) {
		ticket_release(&t);
		return rc;
	}
	*out = json_object();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, comment_to_json(&cs[i], t.key));
	ticket_release(&t);
	json_object_set_new(*out, "items", items);
	json_object_set_new(*out, "next_cursor", json_null());
	comment_free_array(cs, n);
	return 0;
}

int ticket_history_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
			struct err *e)
{
	struct ticket t;
	struct history_entry *h;
	size_t n;
	int rc = ticket_load_visible(st, NULL, a, ref, &t, e);

	if (rc)
		return rc;
	rc = st->ops->history_list(st, NULL, t.id, &h, &n, e);
	ticket_release(&t);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object();

		jx_set_time(j, "at", h[i].at);
		json_object_set_new(j, "actor", json_string(h[i].actor));
		json_object_set_new(j, "field", json_string(h[i].field));
		jx_set_str(j, "old", h[i].old_value);
		jx_set_str(j, "new", h[i].new_value);
		json_array_append_new(items, j);
	}
	history_free_array(h, n);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

/* ---- list ---- */

/* The answer to a list nothing can match. */
static int empty_page(json_t **out)
{
	*out = json_pack("{s:[], s:n}", "items", "next_cursor");
	return 0;
}

int ticket_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	struct ticket_filter f = { .kind = -1, .limit = 50 };
	struct ticket_page p;
	char *groups = NULL;
	const char *s;
	int64_t v;
	int rc;

	if ((s = jx_qstr(q, "status")) && (rc = ticket_status_set_parse(s, &f.statuses, e)))
		return rc;
	if ((s = jx_qstr(q, "kind"))) {
		enum ticket_kind x;

		if (ticket_kind_parse(s, &x))
			return err_set(e, ERR_INVALID, "kind", "unknown kind '%s'", s);
		f.kind = x;
	}
	v = 0;
	if ((rc = jx_qint(q, "priority", 1, 5, &v, e)) < 0)
		return rc;
	f.priority = (int)v;
	v = f.limit;
	if ((rc = jx_qint(q, "limit", 1, 500, &v, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &f.after_id, e)) < 0)
		return rc;
	f.limit = (int)v;
	if ((s = jx_qstr(q, "assignee"))) {
		if (!strcmp(s, "none")) {
			f.assignee_id = -1;
		} else if (!strcmp(s, "me")) {
			f.assignee_id = a->user_id ? a->user_id : -2;
		} else {
			struct user u;

			if (!(rc = st->ops->user_get(st, NULL, 0, s, &u, e))) {
				f.assignee_id = u.id;
			} else if (rc != ERR_NOT_FOUND) {
				return rc; /* the store failed: not "unknown" */
			} else if (actor_is_staff(a)) {
				return err_set(e, ERR_INVALID, "assignee", "unknown user '%s'", s);
			} else { /* nobody by that name is assigned anything they see */
				err_clear(e);
				return empty_page(out);
			}
		}
	}
	if ((s = jx_qstr(q, "customer"))) {
		struct customer cu;

		if (actor_is_staff(a)) {
			if ((rc = customer_named(st, NULL, s, &cu, e)))
				return rc;
			f.customer_id = cu.id;
		} else if ((rc = customer_named(st, NULL, s, &cu, e)) && rc != ERR_INVALID) {
			return rc; /* the store failed: not "unknown" */
		} else if (rc || cu.id != a->customer_id) {
			err_clear(e);
			return empty_page(out); /* unknown, or another's: alike */
		}
	}
	if ((s = jx_qstr(q, "requester"))) {
		if (!strcmp(s, TICKET_REQUESTER_SYSTEM))
			f.requester_id = -1; /* the tickets no user asked for */
		else if (!strcmp(s, "me"))
			f.requester_id = a->user_id ? a->user_id : -2;
		else
			return err_set(e, ERR_INVALID, "requester",
				       "unknown requester '%s': the filter takes 'me' or 'system'",
				       s);
	}
	f.q = jx_qstr(q, "q");
	if (f.q) {
		/* Words, as the search takes them (lib/terms.h); none is no filter. */
		struct terms words;

		switch (terms_split(f.q, &words)) {
		case -1:
			return err_set(e, ERR_INVALID, "q", "'q' holds a control character");
		case -3:
			return err_set(e, ERR_INVALID, "q", "'q' is longer than %d characters",
				       TERMS_MAX_CHARS);
		case -4:
			return err_set(e, ERR_INVALID, "q", "'q' has more than %d words",
				       TERMS_MAX);
		}
	}
	if (!actor_is_staff(a)) /* isolation: always their own customer */
		f.customer_id = a->customer_id ? a->customer_id : -2;
	if ((s = jx_qstr(q, "group")) && (rc = ticket_group_filter(st, a, s, &groups, e)))
		return rc;
	f.groups = groups;
	rc = st->ops->ticket_list(st, &f, &p, e);
	free(groups);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < p.n; i++) {
		json_t *it, *sla, *ola = NULL;

		if ((rc = ticket_sla_json(st, NULL, &p.items[i], &sla, e)) ||
		    (actor_is_staff(a) && (rc = ticket_ola_json(st, NULL, &p.items[i], &ola, e)))) {
			json_decref(sla);
			json_decref(items);
			ticket_free_array(p.items, p.n);
			return rc;
		}
		it = ticket_to_json(&p.items[i]);
		ticket_json_present(it);
		json_object_set_new(it, "sla", sla); /* not audited */
		if (ola)
			json_object_set_new(it, "ola", ola);
		json_array_append_new(items, it);
	}
	*out = json_object();
	json_object_set_new(*out, "items", items);
	if (p.more && p.n) {
		char cur[24];

		snprintf(cur, sizeof(cur), "%lld", (long long)p.items[p.n - 1].id);
		json_object_set_new(*out, "next_cursor", json_string(cur));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	ticket_free_array(p.items, p.n);
	return 0;
}
