/*
 * notify_admin.c — editing the notification templates (admins) and a
 * user's notification settings (the user or an admin); see notify.h.
 *
 * A template never edited is its built-in default at version 1; the first
 * edit stores a row at version 2. Settings never saved are English with
 * every event on, at version 1. Each write checks the version inside the
 * transaction (409 conflict when stale) and leaves an audit record
 * (notify_template:EVENT.LANG, notify_prefs:USER) of the state it made.
 */
#include "domain/notify/notify.h"
#include "domain/platform/audit.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_notify.h"

#include <stdlib.h>
#include <string.h>

static const char *const langs[] = { "en", "ja", NULL };

static int lang_valid(const char *s)
{
	for (int i = 0; langs[i]; i++)
		if (!strcmp(s, langs[i]))
			return 1;
	return 0;
}

/* "create.ja" into ev and lang; ERR_NOT_FOUND for any other name. */
static int template_name(const char *name, enum notify_event *ev, char lang[4], struct err *e)
{
	const char *dot = strrchr(name, '.');
	char event[24];

	if (!dot || (size_t)(dot - name) >= sizeof(event) || !lang_valid(dot + 1))
		return err_set(e, ERR_NOT_FOUND, NULL, "no template '%.40s' (EVENT.LANG: create.ja)",
			       name);
	snprintf(event, sizeof(event), "%.*s", (int)(dot - name), name);
	if (notify_event_parse(event, ev))
		return err_set(e, ERR_NOT_FOUND, NULL, "no template '%.40s' (EVENT.LANG: create.ja)",
			       name);
	snprintf(lang, 4, "%s", dot + 1);
	return 0;
}

/* The template (event, lang) as stored or built in, into t. */
static int template_load(struct store *st, struct store_tx *tx, enum notify_event ev,
			 const char *lang, struct notify_template *t, struct err *e)
{
	int rc = st->ops->notify->template_get(st, tx, notify_event_name(ev), lang, t, e);
	const char *subject, *body;

	if (rc != ERR_NOT_FOUND)
		return rc;
	err_clear(e);
	memset(t, 0, sizeof(*t));
	notify_template_default(ev, lang, &subject, &body);
	snprintf(t->event, sizeof(t->event), "%s", notify_event_name(ev));
	snprintf(t->lang, sizeof(t->lang), "%s", lang);
	snprintf(t->subject, sizeof(t->subject), "%s", subject);
	snprintf(t->body, sizeof(t->body), "%s", body);
	t->version = 1;
	return 0;
}

static json_t *template_json(const struct notify_template *t)
{
	json_t *j = json_pack("{s:s+++, s:s, s:s, s:s, s:s, s:b, s:I}", "name", t->event, ".",
			      t->lang, "", "event", t->event, "lang", t->lang, "subject",
			      t->subject, "body", t->body, "builtin", t->id == 0, "version",
			      (json_int_t)t->version);

	if (j && t->id) {
		jx_set_str(j, "updated_by", t->updated_by);
		jx_set_time(j, "updated_at", t->updated_at);
	}
	return j;
}

static int admin_only(const struct actor *a, struct err *e)
{
	if ((a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM) || a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins manage notification templates");
	return 0;
}

int notify_templates_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	json_t *items;
	int rc;

	if ((rc = admin_only(a, e)))
		return rc;
	items = json_array();
	for (int i = 0; i < NOTIFY__COUNT; i++)
		for (int l = 0; langs[l]; l++) {
			struct notify_template t;

			if ((rc = template_load(st, NULL, (enum notify_event)i, langs[l], &t, e))) {
				json_decref(items);
				return rc;
			}
			json_array_append_new(items, template_json(&t));
		}
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

int notify_template_get_json(struct store *st, const struct actor *a, const char *name,
			     json_t **out, struct err *e)
{
	struct notify_template t;
	enum notify_event ev;
	char lang[4];
	int rc;

	if ((rc = admin_only(a, e)) || (rc = template_name(name, &ev, lang, e)) ||
	    (rc = template_load(st, NULL, ev, lang, &t, e)))
		return rc;
	*out = template_json(&t);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

struct tpl_write {
	const struct actor *a;
	enum notify_event ev;
	char lang[4];
	int64_t version;
	const char *subject, *body;
	struct notify_template t;
};

static int do_template(struct store_tx *tx, void *arg, struct err *e)
{
	struct tpl_write *w = arg;
	struct notify_template *t = &w->t;
	char entity[64];
	json_t *change;
	int64_t old;
	int rc;

	if ((rc = template_load(tx->st, tx, w->ev, w->lang, t, e)))
		return rc;
	if (w->version != t->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "template %s.%s is at version %lld, not %lld: reload and retry",
			       t->event, t->lang, (long long)t->version, (long long)w->version);
	old = t->id ? t->version : 0;
	if (w->subject)
		snprintf(t->subject, sizeof(t->subject), "%s", w->subject);
	if (w->body)
		snprintf(t->body, sizeof(t->body), "%s", w->body);
	t->version++;
	t->updated_at = clock_now();
	snprintf(t->updated_by, sizeof(t->updated_by), "%s", w->a->username);
	if ((rc = tx->st->ops->notify->template_put(tx, t, old, e)))
		return rc;
	if (!t->id)
		t->id = -1; /* stored: no longer the built-in */
	snprintf(entity, sizeof(entity), "notify_template:%s.%s", t->event, t->lang);
	change = json_pack("{s:O, s:{s:s, s:s, s:I}}", "set", json_null(), "after", "subject",
			   t->subject, "body", t->body, "version", (json_int_t)t->version);
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, w->a, "notify.template.update", entity, change, e);
	json_decref(change);
	return rc;
}

int notify_template_update(struct store *st, const struct actor *a, const char *name,
			   const json_t *in, json_t **out, struct err *e)
{
	static const char *const fields[] = { "version", "subject", "body", NULL };
	struct tpl_write w = { .a = a };
	int rc;

	if ((rc = admin_only(a, e)) || (rc = template_name(name, &w.ev, w.lang, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w.version, e)) < 0 ||
	    (rc = jx_str(in, "subject", JX_OPTIONAL, NOTIFY_SUBJECT_MAX, &w.subject, e)) < 0 ||
	    (rc = jx_str(in, "body", JX_OPTIONAL, NOTIFY_BODY_MAX, &w.body, e)) < 0)
		return rc;
	if ((w.subject && (rc = notify_template_check(w.subject, 1, "subject", e))) ||
	    (w.body && (rc = notify_template_check(w.body, 0, "body", e))))
		return rc;
	if ((rc = store_write(st, do_template, &w, e)))
		return rc;
	w.t.id = w.t.id ? w.t.id : -1;
	*out = template_json(&w.t);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

/* ---- a user's settings ---- */

static int prefs_user(struct store *st, struct store_tx *tx, const struct actor *a,
		      const char *username, struct user *u, struct err *e)
{
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM && strcmp(a->username, username))
		return err_set(e, ERR_NOT_FOUND, NULL, "user '%.64s' not found", username);
	if ((rc = st->ops->user_get(st, tx, 0, username, u, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "user '%.64s' not found", username);
	return 0;
}

static int prefs_load(struct store *st, struct store_tx *tx, int64_t user_id,
		      struct notify_prefs *p, struct err *e)
{
	int rc = st->ops->notify->prefs_get(st, tx, user_id, p, e);

	if (rc != ERR_NOT_FOUND)
		return rc;
	err_clear(e);
	memset(p, 0, sizeof(*p));
	p->user_id = user_id;
	snprintf(p->lang, sizeof(p->lang), "en");
	p->version = 1;
	return 0;
}

/* Whether the comma-separated list off names ev. */
static int off_has(const char *off, enum notify_event ev)
{
	const char *name = notify_event_name(ev);
	size_t n = strlen(name);

	for (const char *q = off; *q;) {
		size_t len = strcspn(q, ",");

		if (len == n && !strncmp(q, name, n))
			return 1;
		q += len + (q[len] == ',');
	}
	return 0;
}

static json_t *prefs_json(const char *username, const struct notify_prefs *p)
{
	json_t *off = json_array(), *on = json_array();

	for (int i = 0; i < NOTIFY__COUNT; i++)
		json_array_append_new(off_has(p->off, (enum notify_event)i) ? off : on,
				      json_string(notify_event_name((enum notify_event)i)));
	return json_pack("{s:s, s:s, s:o, s:o, s:I}", "user", username, "lang", p->lang, "on", on,
			 "off", off, "version", (json_int_t)p->version);
}

int notify_prefs_get_json(struct store *st, const struct actor *a, const char *username,
			  json_t **out, struct err *e)
{
	struct notify_prefs p;
	struct user u;
	int rc;

	if ((rc = prefs_user(st, NULL, a, username, &u, e)) ||
	    (rc = prefs_load(st, NULL, u.id, &p, e)))
		return rc;
	*out = prefs_json(u.username, &p);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

struct prefs_write {
	const struct actor *a;
	const char *username;
	int64_t version;
	const char *lang;
	char off[160];
	int off_given;
	struct notify_prefs p;
	char name[64];
};

static int do_prefs(struct store_tx *tx, void *arg, struct err *e)
{
	struct prefs_write *w = arg;
	struct notify_prefs *p = &w->p;
	struct user u;
	char entity[96];
	json_t *change;
	int64_t old;
	int rc;

	if ((rc = prefs_user(tx->st, tx, w->a, w->username, &u, e)) ||
	    (rc = prefs_load(tx->st, tx, u.id, p, e)))
		return rc;
	snprintf(w->name, sizeof(w->name), "%s", u.username);
	if (w->version != p->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "the settings of '%s' are at version %lld, not %lld: reload and retry",
			       u.username, (long long)p->version, (long long)w->version);
	old = p->id ? p->version : 0;
	if (w->lang)
		snprintf(p->lang, sizeof(p->lang), "%s", w->lang);
	if (w->off_given)
		snprintf(p->off, sizeof(p->off), "%s", w->off);
	p->version++;
	p->updated_at = clock_now();
	if ((rc = tx->st->ops->notify->prefs_put(tx, p, old, e)))
		return rc;
	snprintf(entity, sizeof(entity), "notify_prefs:%s", u.username);
	change = json_pack("{s:O, s:o}", "set", json_null(), "after", prefs_json(u.username, p));
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, w->a, "notify.prefs.update", entity, change, e);
	json_decref(change);
	return rc;
}

int notify_prefs_update(struct store *st, const struct actor *a, const char *username,
			const json_t *in, json_t **out, struct err *e)
{
	static const char *const fields[] = { "version", "lang", "off", NULL };
	struct prefs_write w = { .a = a, .username = username };
	json_t *off, *v;
	size_t i;
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w.version, e)) < 0 ||
	    (rc = jx_str(in, "lang", JX_OPTIONAL, 3, &w.lang, e)) < 0)
		return rc;
	if (w.lang && !lang_valid(w.lang))
		return err_set(e, ERR_INVALID, "lang", "unknown language '%s' (en, ja)", w.lang);
	if ((off = json_object_get(in, "off"))) {
		if (!json_is_array(off))
			return err_set(e, ERR_INVALID, "off",
				       "off must be a list of events (create, assign, comment, "
				       "status, resolve, sla_warning, sla_breach)");
		w.off_given = 1;
		json_array_foreach(off, i, v)
		{
			enum notify_event ev;
			size_t len = strlen(w.off);

			if (!json_is_string(v) || notify_event_parse(json_string_value(v), &ev))
				return err_set(e, ERR_INVALID, "off",
					       "unknown event in off (create, assign, comment, "
					       "status, resolve, sla_warning, sla_breach)");
			if (!off_has(w.off, ev))
				snprintf(w.off + len, sizeof(w.off) - len, "%s%s", len ? "," : "",
					 json_string_value(v));
		}
	}
	if ((rc = store_write(st, do_prefs, &w, e)))
		return rc;
	*out = prefs_json(w.name, &w.p);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}
