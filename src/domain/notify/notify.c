/*
 * notify.c — who hears of a ticket event, and their messages queued in the
 * outbox inside the write that made the event (see notify.h).
 *
 * Recipients are collected by user id (the requester, the assignee, the
 * members of a group), each once, the actor left out; each is then read in
 * the same transaction (active, address, language, events switched off).
 * A recipient whose message cannot be made (an address the outbox would
 * refuse, a header value holding a line break) is skipped and logged: one
 * bad address never refuses the ticket's change.
 */
#include "domain/notify/notify.h"
#include "domain/platform/outbox.h"
#include "lib/log.h"
#include "lib/smtp.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_notify.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define RCPT_MAX 64

static char host[128] = "localhost";

void notify_host_set(const char *from)
{
	const char *at = from ? strrchr(from, '@') : NULL;
	char name[128] = "";

	if (at && at[1])
		snprintf(host, sizeof(host), "%s", at + 1);
	else if (!gethostname(name, sizeof(name) - 1) && name[0] && !strpbrk(name, " <>@"))
		snprintf(host, sizeof(host), "%s", name);
}

struct rcpts {
	int64_t id[RCPT_MAX];
	int n;
	int64_t actor;
};

static void rcpt_add(struct rcpts *r, int64_t id)
{
	if (!id || id == r->actor || r->n == RCPT_MAX)
		return;
	for (int i = 0; i < r->n; i++)
		if (r->id[i] == id)
			return;
	r->id[r->n++] = id;
}

struct member_ctx {
	struct store_tx *tx;
	struct rcpts *r;
	struct err *e;
};

static int add_member(const char *username, void *arg)
{
	struct member_ctx *m = arg;
	struct user u;
	int rc = m->tx->st->ops->user_get(m->tx->st, m->tx, 0, username, &u, m->e);

	if (rc == ERR_NOT_FOUND) {
		err_clear(m->e);
		return 0;
	}
	if (!rc)
		rcpt_add(m->r, u.id);
	return rc;
}

/* Whether the comma-separated list holds name. */
static int csv_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, name, n))
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* One recipient's message, queued; 1 when the recipient is passed over. */
static int queue_one(struct store_tx *tx, const struct actor *a, enum notify_event ev,
		     const struct ticket *t, const char *comment, int64_t user_id, struct err *e)
{
	struct store *st = tx->st;
	const char *event = notify_event_name(ev), *subject_t, *body_t;
	struct notify_template tpl;
	struct notify_prefs prefs;
	struct notify_sent sent = { 0 };
	struct notify_mail m = { 0 };
	struct notify_vars v;
	struct user u;
	struct err sub = { 0 };
	char target[8 + 256], priority[8], tag[32], prev[NOTIFY_MSGID_MAX + 1];
	char *subject = NULL, *body = NULL, *text = NULL;
	json_t *payload = NULL;
	int64_t seq;
	int rc;

	if ((rc = st->ops->user_get(st, tx, user_id, NULL, &u, e)))
		return rc == ERR_NOT_FOUND ? (err_clear(e), 1) : rc;
	if (!u.active || !u.email[0] || !strcasecmp(u.email, smtp_from()))
		return 1;
	rc = st->ops->notify->prefs_get(st, tx, u.id, &prefs, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		snprintf(prefs.lang, sizeof(prefs.lang), "en");
		prefs.off[0] = '\0';
	} else if (rc) {
		return rc;
	}
	if (csv_has(prefs.off, event))
		return 1;
	snprintf(target, sizeof(target), "mailto:%s", u.email);
	if (outbox_target_check(target, &sub)) {
		log_warn("msg=\"notification skipped\" ticket=%s user=%s err=%s", LOG_STR(t->key),
			 LOG_STR(u.username), LOG_STR(sub.msg));
		return 1;
	}
	rc = st->ops->notify->template_get(st, tx, event, prefs.lang, &tpl, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		notify_template_default(ev, prefs.lang, &subject_t, &body_t);
	} else if (rc) {
		return rc;
	} else {
		subject_t = tpl.subject;
		body_t = tpl.body;
	}
	snprintf(priority, sizeof(priority), "%d", t->priority);
	v = (struct notify_vars){ .key = t->key,
				  .title = t->title,
				  .status = ticket_status_name(t->status),
				  .actor = a->username,
				  .assignee = t->assignee[0] ? t->assignee : "-",
				  .requester = t->requester[0] ? t->requester : "-",
				  .priority = priority,
				  .comment = comment };
	subject = notify_render(subject_t, &v, 1);
	body = notify_render(body_t, &v, 0);
	if (!subject || !body) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	snprintf(tag, sizeof(tag), "[%s]", t->key);
	if (!strstr(subject, tag)) {
		/* The tag threads replies: an edited subject without it gets it. */
		char *tagged = NULL;

		if (asprintf(&tagged, "%s %s", tag, subject) < 0) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
		free(subject);
		subject = tagged;
	}
	if ((rc = st->ops->notify->sent_last(tx, t->id, u.id, &seq, prev, e)))
		goto out;
	sent.ticket_id = t->id;
	sent.seq = seq + 1;
	sent.user_id = u.id;
	snprintf(sent.recipient, sizeof(sent.recipient), "%s", u.email);
	sent.created_at = clock_now();
	snprintf(sent.event, sizeof(sent.event), "%s", event);
	snprintf(sent.message_id, sizeof(sent.message_id), "ticket-%s.%lld@%s", t->key,
		 (long long)sent.seq, host);
	m = (struct notify_mail){ .from = smtp_from()[0] ? smtp_from() : "itsm@localhost",
				  .to = u.email,
				  .to_name = u.name,
				  .subject = subject,
				  .body = body,
				  .message_id = sent.message_id,
				  .in_reply_to = prev,
				  .date = sent.created_at };
	if (notify_message_build(&m, &text, &sub)) {
		log_warn("msg=\"notification skipped\" ticket=%s user=%s err=%s", LOG_STR(t->key),
			 LOG_STR(u.username), LOG_STR(sub.msg));
		rc = 1;
		goto out;
	}
	payload = json_pack("{s:s, s:s, s:s, s:s}", "notify", event, "ticket", t->key,
			    "message_id", sent.message_id, "message", text);
	if (!payload) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((rc = st->ops->notify->sent_insert(tx, &sent, e)))
		goto out;
	rc = outbox_queue(tx, target, payload, sent.created_at, e);
out:
	json_decref(payload);
	free(text);
	free(subject);
	free(body);
	return rc;
}

int notify_ticket(struct store_tx *tx, const struct actor *a, enum notify_event ev,
		  const struct ticket *t, const char *comment, const char *group, struct err *e)
{
	struct rcpts r = { .actor = a->user_id };
	int rc;

	if (!outbox_mail_ready())
		return 0; /* no way to send mail: nothing to queue */
	if (ev != NOTIFY_ASSIGN && ev != NOTIFY_SLA_WARNING && ev != NOTIFY_SLA_BREACH)
		rcpt_add(&r, t->requester_id);
	rcpt_add(&r, t->assignee_id);
	if (!group)
		group = t->group;
	if (*group) {
		struct member_ctx m = { tx, &r, e };

		if ((rc = tx->st->ops->notify->group_members(tx, group, add_member, &m, e)))
			return rc;
	}
	for (int i = 0; i < r.n; i++)
		if ((rc = queue_one(tx, a, ev, t, comment, r.id[i], e)) < 0)
			return rc;
	return 0;
}
