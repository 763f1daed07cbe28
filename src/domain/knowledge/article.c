/*
 * article.c — knowledge articles: who may read and write them, add, read
 * (with links, Markdown and its HTML), list, edit, publish, retire, and
 * their versions.
 *
 * Each write validates what it can outside the store, then runs one
 * function on the store's writer that re-reads the article inside the
 * transaction, checks the version and the lifecycle against that fresh
 * copy, writes the record, its links and the new version's row, and
 * appends the audit record for "article:KEY" — so a refused request leaves
 * nothing behind. The search index follows the record in that same
 * transaction (store_knowledge.h).
 *
 * Invariants: see knowledge.h.
 */
#include "domain/knowledge/knowledge.h"
#include "domain/platform/audit.h"
#include "domain/sla/service.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "render/markdown.h"
#include "model/cmdb.h"
#include "model/problem.h"
#include "store/store_cmdb.h"
#include "store/store_knowledge.h"
#include "store/store_problem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- who may act ----------------------------------------------------- */

static int read_check(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	return 0;
}

static int write_check(const struct actor *a, struct err *e)
{
	int rc = read_check(a, e);

	if (rc)
		return rc;
	if (a->role != ROLE_AGENT && !actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only agents, managers and admins write knowledge articles");
	return 0;
}

/* Whether a may read an article of that status and visibility. */
static int may_read(const struct actor *a, const char *status, const char *visibility)
{
	return actor_is_staff(a) || (!strcmp(status, "published") && !strcmp(visibility, "public"));
}


/* The article key names, as actor a may see it: another's is not found. */
static int load(struct store *st, struct store_tx *tx, const struct actor *a, const char *key,
		struct article *art, struct err *e)
{
	int rc;

	memset(art, 0, sizeof(*art));
	if (!ident_numbered(key, "KB"))
		return err_set(e, ERR_NOT_FOUND, NULL, "article '%.32s' not found", key);
	rc = st->ops->knowledge->get(st, tx, key, art, e);
	if ((rc = err_absent(e, rc, ERR_NOT_FOUND, NULL, "article '%s' not found", key)))
		return rc;
	if (!may_read(a, art->status, art->visibility)) {
		article_release(art);
		return err_set(e, ERR_NOT_FOUND, NULL, "article '%s' not found", key);
	}
	return 0;
}

/* ---- JSON ------------------------------------------------------------ */

static json_t *brief_json(const struct article *art)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(art->id));
	json_object_set_new(j, "key", json_string(art->key));
	json_object_set_new(j, "title", json_string(art->title ? art->title : ""));
	json_object_set_new(j, "visibility", json_string(art->visibility));
	json_object_set_new(j, "status", json_string(art->status));
	json_object_set_new(j, "created_by", json_string(art->created_by));
	json_object_set_new(j, "updated_by", json_string(art->updated_by));
	jx_set_time(j, "created_at", art->created_at);
	jx_set_time(j, "updated_at", art->updated_at);
	jx_set_time(j, "published_at", art->published_at);
	json_object_set_new(j, "version", json_integer(art->version));
	return j;
}

/* The record as the audit holds it: its fields, body and links; no HTML. */
static json_t *state_json(const struct article *art, const json_t *links)
{
	json_t *j = brief_json(art);

	json_object_set_new(j, "body", json_string(art->body ? art->body : ""));
	json_object_set(j, "services", json_object_get(links, "services"));
	json_object_set(j, "items", json_object_get(links, "items"));
	json_object_set(j, "problems", json_object_get(links, "problems"));
	return j;
}

/* Add "html", rendered from "body", to an answer: 0, or ERR_INTERNAL when
 * out of memory (j unchanged but for a missing "html"). */
static int add_html(json_t *j, struct err *e)
{
	const char *body = json_string_value(json_object_get(j, "body")) ?: "";
	struct buf html;
	int rc;

	buf_init(&html, 0);
	rc = md_to_html(body, strlen(body), &html) ||
	     json_object_set_new(j, "html", json_stringn(html.data ? html.data : "", html.len));
	buf_release(&html);
	return rc ? err_set(e, ERR_INTERNAL, NULL, "out of memory") : 0;
}

/* add_html for a new answer j (consumed on failure) into *out. */
static int with_html(json_t *j, json_t **out, struct err *e)
{
	int rc = j ? add_html(j, e) : err_set(e, ERR_INTERNAL, NULL, "out of memory");

	if (rc) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return 0;
}

static int audit(struct store_tx *tx, const struct actor *a, const char *action, const char *key,
		 json_t *change, struct err *e)
{
	char entity[40];
	int rc;

	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(entity, sizeof(entity), "article:%s", key);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

/* ---- validation -------------------------------------------------------- */

static const char *const add_keys[] = { "title",    "body",  "visibility", "services",
					"items",    "problems", NULL };
static const char *const edit_keys[] = { "version", "title", "body",	"visibility",
					 "services", "items", "problems", NULL };
static const char *const move_keys[] = { "version", NULL };
static const char *const LINKS[] = { "services", "items", "problems" };

/* A list of distinct keys under key (absent: 1). */
static int key_array(const json_t *in, const char *key, struct err *e)
{
	json_t *arr = json_object_get(in, key), *v;
	size_t i;
	char f[48];

	if (!arr)
		return 1;
	if (!json_is_array(arr))
		return err_set(e, ERR_INVALID, key, "'%s' must be an array of keys", key);
	if (json_array_size(arr) > 50)
		return err_set(e, ERR_INVALID, key, "'%s' holds at most 50 keys", key);
	json_array_foreach(arr, i, v) {
		snprintf(f, sizeof(f), "%s[%zu]", key, i);
		if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > 63)
			return err_set(e, ERR_INVALID, f, "'%s' must be a key of 1-63 bytes", f);
		for (size_t j = 0; j < i; j++)
			if (json_equal(v, json_array_get(arr, j)))
				return err_set(e, ERR_INVALID, f, "'%s' is listed twice", f);
	}
	return 0;
}

static int validate(const json_t *in, int adding, struct err *e)
{
	const char *s;
	int64_t v;
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, adding ? add_keys : edit_keys, e)))
		return rc;
	if (!adding && (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &v, e)) < 0)
		return rc;
	if ((rc = jx_text(in, "title", adding, ARTICLE_TITLE_MAX, &s, e)) < 0 ||
	    (rc = jx_str(in, "body", 0, ARTICLE_BODY_MAX, &s, e)) < 0)
		return rc;
	if ((rc = jx_str(in, "visibility", 0, 16, &s, e)) < 0)
		return rc;
	if (rc == 0 && strcmp(s, "internal") && strcmp(s, "public"))
		return err_set(e, ERR_INVALID, "visibility",
			       "unknown visibility '%.16s' (internal, public)", s);
	for (size_t i = 0; i < 3; i++)
		if ((rc = key_array(in, LINKS[i], e)) < 0)
			return rc;
	return 0;
}

/* Replace *dst by a copy of in's string under key, when present. */
static int set_text(const json_t *in, const char *key, char **dst, struct err *e)
{
	const char *s = json_string_value(json_object_get(in, key));
	char *c;

	if (!s)
		return 0;
	if (!(c = strdup(s)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(*dst);
	*dst = c;
	return 0;
}

/* Every key in in's links names a record that exists: 0, or ERR_INVALID on
 * the entry at fault. */
static int check_links(struct store_tx *tx, const json_t *in, struct err *e)
{
	struct store *st = tx->st;
	json_t *v;
	size_t i;
	char f[48];
	int rc;

	json_array_foreach(json_object_get(in, "services"), i, v) {
		snprintf(f, sizeof(f), "services[%zu]", i);
		if ((rc = service_check_choosable(st, tx, json_string_value(v), f, e)))
			return rc;
	}
	json_array_foreach(json_object_get(in, "items"), i, v) {
		struct ci c;

		snprintf(f, sizeof(f), "items[%zu]", i);
		if ((rc = st->ops->cmdb->ci_get(st, tx, 0, json_string_value(v), &c, e)))
			return err_absent(e, rc, ERR_INVALID, f, "unknown item '%.64s'",
					  json_string_value(v));
		ci_release(&c);
	}
	json_array_foreach(json_object_get(in, "problems"), i, v) {
		struct problem p;

		snprintf(f, sizeof(f), "problems[%zu]", i);
		if ((rc = st->ops->problem->get(st, tx, json_string_value(v), &p, e)))
			return err_absent(e, rc, ERR_INVALID, f, "unknown problem '%.64s'",
					  json_string_value(v));
		problem_release(&p);
	}
	return 0;
}

/* The links after in: in's lists where given, else those of have. Sorted
 * as the store reads them back, so the version row equals a later read. */
static json_t *merged_links(const json_t *in, const json_t *have)
{
	json_t *out = json_object();

	for (size_t k = 0; out && k < 3; k++) {
		json_t *src = json_object_get(in, LINKS[k]), *arr = json_array(), *v;
		size_t i;

		if (!src)
			src = json_object_get(have, LINKS[k]);
		json_array_foreach(src, i, v) {
			size_t at = json_array_size(arr);

			/* Insertion in byte order: a few dozen keys at most. */
			while (at > 0 && strcmp(json_string_value(json_array_get(arr, at - 1)),
						json_string_value(v)) > 0)
				at--;
			json_array_insert(arr, at, v);
		}
		json_object_set_new(out, LINKS[k], arr);
	}
	return out;
}

/* ---- writes ------------------------------------------------------------ */

struct write_ctx {
	const struct actor *a;
	const json_t *in;
	const char *key;
	enum article_status to; /* a move's target */
	json_t *after;
};

/* Write art (version already bumped), its links and its version row, and
 * audit action; w->after the new state. */
static int save(struct store_tx *tx, struct write_ctx *w, struct article *art, json_t *links,
		int adding, const char *action, struct err *e)
{
	const struct store_knowledge_ops *kn = tx->st->ops->knowledge;
	int rc;

	if ((rc = adding ? kn->insert(tx, art, e) : kn->update(tx, art, e)) ||
	    (rc = kn->links_set(tx, art->id, links, e)) ||
	    (rc = kn->version_add(tx, art, links, e)))
		return rc;
	if (!(w->after = state_json(art, links)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if ((rc = audit(tx, w->a, action, art->key,
			adding ? json_pack("{s:O}", "after", w->after)
			       : json_pack("{s:O, s:O}", "set", w->in, "after", w->after),
			e)))
		return rc;
	/* The answer is made inside the write: a failure to make it fails the
	 * write, never a write stored and reported as failed. */
	return add_html(w->after, e);
}

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	struct article art = { 0 };
	const char *vis = json_string_value(json_object_get(w->in, "visibility"));
	json_t *links = NULL;
	int64_t n;
	int rc;

	snprintf(art.visibility, sizeof(art.visibility), "%s", vis ? vis : "internal");
	snprintf(art.status, sizeof(art.status), "%s", knowledge_status_name(AS_DRAFT));
	snprintf(art.created_by, sizeof(art.created_by), "%s", w->a->username);
	snprintf(art.updated_by, sizeof(art.updated_by), "%s", w->a->username);
	art.created_at = art.updated_at = clock_now();
	art.version = 1;
	if ((rc = set_text(w->in, "title", &art.title, e)) ||
	    (rc = set_text(w->in, "body", &art.body, e)) || (rc = check_links(tx, w->in, e)))
		goto out;
	if (!art.body && !(art.body = strdup(""))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if (!(links = merged_links(w->in, NULL))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((rc = st->ops->counter_next(tx, "KB", &n, e)))
		goto out;
	snprintf(art.key, sizeof(art.key), "KB-%lld", (long long)n);
	rc = save(tx, w, &art, links, 1, "knowledge.add", e);
out:
	json_decref(links);
	article_release(&art);
	return rc;
}

/* An edit (w->to is AS__COUNT) or a move to w->to. */
static int do_change(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	struct article art;
	enum article_status from = AS_DRAFT;
	json_t *have = NULL, *links = NULL, *was = NULL, *now = NULL;
	const char *vis = json_string_value(json_object_get(w->in, "visibility"));
	int64_t version;
	int rc, moving = w->to != AS__COUNT;

	if ((rc = load(st, tx, w->a, w->key, &art, e)))
		return rc;
	jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	knowledge_status_parse(art.status, &from);
	if (version != art.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "article %s is at version %lld, not %lld: reload and retry", art.key,
			     (long long)art.version, (long long)version);
		goto out;
	}
	if (moving && !knowledge_can_move(from, w->to)) {
		rc = err_set(e, ERR_TRANSITION, "status", "article %s cannot move from %s to %s",
			     art.key, art.status, knowledge_status_name(w->to));
		goto out;
	}
	if (!moving && from == AS_RETIRED) {
		rc = err_set(e, ERR_TRANSITION, "status", "article %s is retired and cannot change",
			     art.key);
		goto out;
	}
	if ((rc = st->ops->knowledge->links_get(st, tx, art.id, &have, e)))
		goto out;
	was = state_json(&art, have);
	if (!moving && ((rc = set_text(w->in, "title", &art.title, e)) ||
			(rc = set_text(w->in, "body", &art.body, e)) ||
			(rc = check_links(tx, w->in, e))))
		goto out;
	if (vis)
		snprintf(art.visibility, sizeof(art.visibility), "%s", vis);
	if (!(links = merged_links(moving ? NULL : w->in, have)) ||
	    !(now = state_json(&art, links))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if (!moving && json_equal(was, now)) {
		/* Nothing changed: no new version, nothing to audit. */
		w->after = json_incref(was);
		rc = add_html(w->after, e);
		goto out;
	}
	art.version++;
	art.updated_at = clock_now();
	snprintf(art.updated_by, sizeof(art.updated_by), "%s", w->a->username);
	if (moving) {
		snprintf(art.status, sizeof(art.status), "%s", knowledge_status_name(w->to));
		if (w->to == AS_PUBLISHED)
			art.published_at = art.updated_at;
	}
	rc = save(tx, w, &art, links, 0,
		  !moving ? "knowledge.edit"
		  : w->to == AS_PUBLISHED ? "knowledge.publish"
					  : "knowledge.retire",
		  e);
out:
	json_decref(have);
	json_decref(links);
	json_decref(was);
	json_decref(now);
	article_release(&art);
	return rc;
}

static int run(struct store *st, store_write_fn fn, struct write_ctx *w, json_t **out,
	       struct err *e)
{
	int rc = store_write(st, fn, w, e);

	if (rc) {
		json_decref(w->after);
		return rc;
	}
	*out = w->after;
	return 0;
}

int knowledge_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .to = AS__COUNT };
	int rc;

	if ((rc = write_check(a, e)) || (rc = validate(in, 1, e)))
		return rc;
	return run(st, do_add, &w, out, e);
}

int knowledge_edit(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key, .to = AS__COUNT };
	int rc;

	if ((rc = write_check(a, e)) || (rc = validate(in, 0, e)))
		return rc;
	return run(st, do_change, &w, out, e);
}

static int move(struct store *st, const struct actor *a, const char *key, const json_t *in,
		enum article_status to, json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key, .to = to };
	int64_t v;
	int rc;

	if ((rc = write_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, move_keys, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &v, e)))
		return rc;
	return run(st, do_change, &w, out, e);
}

int knowledge_publish(struct store *st, const struct actor *a, const char *key,
		      const json_t *in, json_t **out, struct err *e)
{
	return move(st, a, key, in, AS_PUBLISHED, out, e);
}

int knowledge_retire(struct store *st, const struct actor *a, const char *key, const json_t *in,
		     json_t **out, struct err *e)
{
	return move(st, a, key, in, AS_RETIRED, out, e);
}

/* ---- reads ------------------------------------------------------------- */

int knowledge_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		       struct err *e)
{
	struct article art;
	json_t *links = NULL;
	int rc;

	if ((rc = read_check(a, e)) || (rc = load(st, NULL, a, key, &art, e)))
		return rc;
	if (!(rc = st->ops->knowledge->links_get(st, NULL, art.id, &links, e)))
		rc = with_html(state_json(&art, links), out, e);
	json_decref(links);
	article_release(&art);
	return rc;
}

int knowledge_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
			struct err *e)
{
	struct article_filter f = { .limit = 50 };
	struct article *items = NULL;
	enum article_status s;
	size_t n = 0;
	int64_t v = 50;
	int more = 0, rc;
	json_t *arr;

	if ((rc = read_check(a, e)))
		return rc;
	f.status = jx_qstr(q, "status");
	f.visibility = jx_qstr(q, "visibility");
	f.service = jx_qstr(q, "service");
	if (f.status && knowledge_status_parse(f.status, &s))
		return err_set(e, ERR_INVALID, "status", "unknown status '%.32s'", f.status);
	if (f.visibility && strcmp(f.visibility, "internal") && strcmp(f.visibility, "public"))
		return err_set(e, ERR_INVALID, "visibility", "unknown visibility '%.16s'",
			       f.visibility);
	if (f.service && !ident_valid(f.service, 63, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%.64s'",
			       f.service);
	if ((rc = jx_qint(q, "limit", 1, 500, &v, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &f.after_id, e)) < 0)
		return rc;
	f.limit = (int)v;
	if (!actor_is_staff(a)) {
		/* A requester's list: published public articles, whatever asked. */
		if ((f.status && strcmp(f.status, "published")) ||
		    (f.visibility && strcmp(f.visibility, "public")))
			f.limit = 0;
		f.status = "published";
		f.visibility = "public";
	}
	if (f.limit && (rc = st->ops->knowledge->list(st, &f, &items, &n, &more, e)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, brief_json(&items[i]));
	*out = json_pack("{s:o, s:o}", "items", arr, "next_cursor",
			 more && n ? json_sprintf("%lld", (long long)items[n - 1].id) : json_null());
	article_free_array(items, n);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

int knowledge_versions_json(struct store *st, const struct actor *a, const char *key,
			    json_t **out, struct err *e)
{
	struct article art;
	json_t *all = NULL, *items, *v;
	size_t i;
	int rc;

	if ((rc = read_check(a, e)) || (rc = load(st, NULL, a, key, &art, e)))
		return rc;
	rc = st->ops->knowledge->versions(st, art.id, &all, e);
	article_release(&art);
	if (rc)
		return rc;
	items = json_array();
	json_array_foreach(all, i, v) {
		/* A requester sees the versions that were published; the
		 * visibility of each is checked when one is read. */
		if (actor_is_staff(a) ||
		    !strcmp(json_string_value(json_object_get(v, "status")) ?: "", "published")) {
			json_t *c = json_deep_copy(v);

			jx_set_time(c, "edited_at", json_integer_value(json_object_get(v, "edited_at")));
			json_array_append_new(items, c);
		}
	}
	json_decref(all);
	*out = json_pack("{s:o}", "items", items);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

int knowledge_version_json(struct store *st, const struct actor *a, const char *key,
			   const char *n, json_t **out, struct err *e)
{
	struct article art;
	json_t *v = NULL;
	char *end;
	long long num;
	int rc;

	if ((rc = read_check(a, e)) || (rc = load(st, NULL, a, key, &art, e)))
		return rc;
	num = strtoll(n, &end, 10);
	if (*n < '1' || *n > '9' || *end || num < 1) {
		article_release(&art);
		return err_set(e, ERR_NOT_FOUND, NULL, "article %s has no version '%.16s'", key, n);
	}
	rc = st->ops->knowledge->version_get(st, art.id, num, &v, e);
	rc = err_absent(e, rc, ERR_NOT_FOUND, NULL, "article %s has no version %lld", art.key, num);
	if (!rc && !may_read(a, json_string_value(json_object_get(v, "status")) ?: "",
			     json_string_value(json_object_get(v, "visibility")) ?: ""))
		rc = err_set(e, ERR_NOT_FOUND, NULL, "article %s has no version %lld", art.key, num);
	if (!rc) {
		json_object_set_new(v, "key", json_string(art.key));
		jx_set_time(v, "edited_at", json_integer_value(json_object_get(v, "edited_at")));
		rc = with_html(json_incref(v), out, e);
	}
	json_decref(v);
	article_release(&art);
	return rc;
}
