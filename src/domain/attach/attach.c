/*
 * attach.c — storing, listing and reading files on tickets (see attach.h).
 *
 * The path of an upload: the name tidied and the options read outside any
 * transaction, the digest computed; then in one write the ticket is read
 * again for the caller (visible, not closed), the comment checked against
 * it, the bytes stored unless their digest is (same content, one row), the
 * attachment inserted and its audit record appended.
 */
#include "domain/attach/attach.h"
#include "domain/desk/ticket.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_attach.h"

#include <stdlib.h>
#include <string.h>

static size_t max_size = ATTACH_MAX_DEFAULT;

void attach_config_set(size_t n)
{
	max_size = n;
}

size_t attach_max_size(void)
{
	return max_size;
}

json_t *attachment_to_json(const struct attachment *a)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(a->id));
	json_object_set_new(j, "ticket", json_string(a->ticket_key));
	json_object_set_new(j, "comment", a->comment_id ? json_integer(a->comment_id) : json_null());
	json_object_set_new(j, "filename", json_string(a->filename));
	json_object_set_new(j, "content_type", json_string(a->content_type));
	json_object_set_new(j, "size", json_integer(a->size));
	json_object_set_new(j, "public", json_boolean(a->public));
	json_object_set_new(j, "sha256", json_string(a->sha256));
	json_object_set_new(j, "source", json_string(a->source));
	json_object_set_new(j, "created_by", a->creator[0] ? json_string(a->creator) : json_null());
	jx_set_time(j, "created_at", a->created_at);
	return j;
}

int attach_add_in(struct store_tx *tx, const struct actor *a, int64_t ticket_id,
		  const char *ticket_key, int64_t comment_id, const char *filename, int pub,
		  const char *source, const void *data, size_t n, int64_t *id, struct err *e)
{
	struct store *st = tx->st;
	struct attachment at = { 0 };
	char entity[48];
	json_t *change;
	int stored, rc;

	if (n > max_size)
		return err_set(e, ERR_TOO_LARGE, NULL, "the file is larger than %zu bytes",
			       max_size);
	if ((rc = attach_filename(filename, at.filename, e)))
		return rc;
	at.ticket_id = ticket_id;
	snprintf(at.ticket_key, sizeof(at.ticket_key), "%s", ticket_key);
	at.comment_id = comment_id;
	attach_digest(data, n, at.sha256);
	snprintf(at.content_type, sizeof(at.content_type), "%s", attach_sniff(data, n));
	at.size = (int64_t)n;
	at.public = pub ? 1 : 0;
	snprintf(at.source, sizeof(at.source), "%s", source);
	at.created_by = a->user_id;
	if (a->user_id)
		snprintf(at.creator, sizeof(at.creator), "%s", a->username);
	at.created_at = clock_now();
	if ((rc = st->ops->attach->blob_put(tx, at.sha256, data, n, at.created_at, &stored, e)) ||
	    (rc = st->ops->attach->insert(tx, &at, e)))
		return rc;
	snprintf(entity, sizeof(entity), "attachment:%lld", (long long)at.id);
	change = json_pack("{s:o, s:b}", "after", attachment_to_json(&at), "new_content", stored);
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, a, "attachment.add", entity, change, e);
	json_decref(change);
	if (!rc && id)
		*id = at.id;
	return rc;
}

struct add_ctx {
	const struct actor *a;
	const char *ref;
	const char *filename;
	int64_t comment_id;
	int pub;
	const void *data;
	size_t n;
	int64_t id;
	json_t *out;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct add_ctx *c = arg;
	struct store *st = tx->st;
	struct attachment at;
	struct ticket t;
	int rc;

	if ((rc = ticket_load_visible(st, tx, c->a, c->ref, &t, e)))
		return rc;
	if (ticket_status_is_terminal(t.status)) {
		rc = err_set(e, ERR_TRANSITION, NULL, "ticket %s is %s: attachments are closed",
			     t.key, ticket_status_name(t.status));
		goto out;
	}
	if (c->comment_id) {
		struct comment *cs = NULL;
		size_t n = 0, i;

		if ((rc = st->ops->comment_list(st, t.id, actor_is_staff(c->a), &cs, &n, e)))
			goto out;
		for (i = 0; i < n && cs[i].id != c->comment_id; i++)
			;
		if (i == n)
			rc = err_set(e, ERR_INVALID, "comment", "ticket %s has no comment %lld",
				     t.key, (long long)c->comment_id);
		else if (!cs[i].public && c->pub)
			rc = err_set(e, ERR_INVALID, "public",
				     "comment %lld is internal: so are its attachments",
				     (long long)c->comment_id);
		for (size_t k = 0; k < n; k++)
			free(cs[k].body);
		free(cs);
		if (rc)
			goto out;
	}
	if ((rc = attach_add_in(tx, c->a, t.id, t.key, c->comment_id, c->filename, c->pub,
				"upload", c->data, c->n, &c->id, e)))
		goto out;
	if (!(rc = st->ops->attach->get(st, tx, c->id, 0, &at, e)))
		c->out = attachment_to_json(&at);
out:
	ticket_release(&t);
	return rc;
}

/* "true"/"1" → 1, "false"/"0" → 0, NULL → dflt; else -1. */
static int flag(const char *s, int dflt)
{
	if (!s)
		return dflt;
	if (!strcmp(s, "true") || !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "0"))
		return 0;
	return -1;
}

int attach_add(struct store *st, const struct actor *a, const char *ref,
	       const struct attach_in *in, const void *data, size_t n, json_t **out,
	       struct err *e)
{
	struct add_ctx c = { .a = a, .ref = ref, .data = data, .n = n };
	char name[ATTACH_FILENAME_MAX + 1];
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = attach_filename(in->filename, name, e)))
		return rc;
	c.filename = name;
	if (!n)
		return err_set(e, ERR_INVALID, "body", "the file is empty: send its bytes");
	if (n > max_size)
		return err_set(e, ERR_TOO_LARGE, NULL, "the file is larger than %zu bytes",
			       max_size);
	/* A requester's file is public, as their comments are. */
	c.pub = flag(in->public_s, actor_is_staff(a) ? 0 : 1);
	if (c.pub < 0)
		return err_set(e, ERR_INVALID, "public", "public is true or false, not '%.20s'",
			       in->public_s);
	if (!c.pub && !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, "public",
			       "requesters cannot attach internal files");
	if (in->comment) {
		char *end;
		long long id = strtoll(in->comment, &end, 10);

		if (*end || id <= 0 || end == in->comment)
			return err_set(e, ERR_INVALID, "comment", "malformed comment id '%.20s'",
				       in->comment);
		c.comment_id = id;
	}
	rc = store_write(st, do_add, &c, e);
	if (rc) {
		json_decref(c.out);
		return rc;
	}
	*out = c.out;
	return 0;
}

int attach_list_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		     struct err *e)
{
	struct attachment *as = NULL;
	struct ticket t;
	size_t n = 0;
	json_t *items;
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = ticket_load_visible(st, NULL, a, ref, &t, e)))
		return rc;
	rc = st->ops->attach->list_for_ticket(st, NULL, t.id, actor_is_staff(a), &as, &n, e);
	ticket_release(&t);
	if (rc)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, attachment_to_json(&as[i]));
	attach_free(as, n);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

int attach_get(struct store *st, const struct actor *a, int64_t id, struct attachment *out,
	       struct err *e)
{
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = st->ops->attach->get(st, NULL, id, 1, out, e)))
		return rc;
	/* Another customer's, or an internal file, is not found for a
	 * requester: existence is not disclosed. */
	if (!actor_is_staff(a) && (!out->public || !a->customer_id ||
				   out->customer_id != a->customer_id)) {
		attachment_release(out);
		err_clear(e);
		return err_set(e, ERR_NOT_FOUND, NULL, "attachment %lld not found", (long long)id);
	}
	return 0;
}
