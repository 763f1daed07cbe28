/*
 * mail.c — a received message into the service desk (see mail.h).
 *
 * The path of a message: read it (mime.c) outside any transaction, then in
 * one write: is its Message-ID stored already (duplicate, nothing more);
 * a bounce of one of our notifications (an internal note on its ticket);
 * is it a robot's (ignored); who sent it (the user with that address, else
 * refused); which ticket it answers (a reference to a stored message or to
 * one of our notifications, else the [KEY] tag of the subject); then the
 * comment or the new ticket through the desk's own operations run in our
 * write (ticket_comment_in, ticket_create_in), so every rule of the desk
 * holds; and the message's record and its audit record last.
 *
 * A refusal the desk makes (a ticket the sender may not see, a closed
 * ticket) comes after the desk may have written: that write is rolled back
 * whole and a second write records the message as refused, so a refused
 * message leaves its record and nothing else.
 */
#include "domain/mail/mail.h"
#include "domain/mail/mime.h"
#include "domain/attach/attach.h"
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "domain/platform/user.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"
#include "store/store.h"
#include "store/store_mail.h"
#include "store/store_notify.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- configuration ---- */

#define MAP_MAX 64

/* One mail.* list of NAME=VALUE pairs, parsed. */
struct map {
	int n;
	struct {
		char name[MAIL_ADDR_MAX + 1];
		char value[64];
	} at[MAP_MAX];
};

static struct map queues, domains;

/* Parse list ("a=b,c=d"; empty items skipped) into m; each name must be
 * one ident_valid accepts with punct, each value one of values (NULL: an
 * identifier). ERR_INVALID naming option. */
static int map_parse(const char *option, const char *list, const char *punct, size_t name_max,
		     const char *const *values, struct map *m, struct err *e)
{
	m->n = 0;
	while (list && *list) {
		size_t len = strcspn(list, ","), eq;
		char item[MAIL_ADDR_MAX + 80];
		const char *value;

		if (len >= sizeof(item))
			return err_set(e, ERR_INVALID, option, "%s: entry too long: '%.40s'", option,
				       list);
		memcpy(item, list, len);
		item[len] = '\0';
		list += len + (list[len] == ',');
		if (!len)
			continue;
		eq = strcspn(item, "=");
		if (!item[eq])
			return err_set(e, ERR_INVALID, option, "%s: '%.80s' is not NAME=VALUE", option,
				       item);
		item[eq] = '\0';
		value = item + eq + 1;
		if (!ident_valid(item, name_max, punct))
			return err_set(e, ERR_INVALID, option, "%s: malformed name '%.80s'", option,
				       item);
		if (values) {
			const char *const *v = values;

			while (*v && strcmp(*v, value))
				v++;
			if (!*v)
				return err_set(e, ERR_INVALID, option,
					       "%s: unknown value '%.40s' for '%.80s'", option, value,
					       item);
		} else if (!ident_valid(value, 63, IDENT_PUNCT)) {
			return err_set(e, ERR_INVALID, option, "%s: malformed value '%.40s'",
				       option, value);
		}
		if (m->n == MAP_MAX)
			return err_set(e, ERR_INVALID, option, "%s: more than %d entries", option,
				       MAP_MAX);
		snprintf(m->at[m->n].name, sizeof(m->at[m->n].name), "%.*s", MAIL_ADDR_MAX, item);
		snprintf(m->at[m->n].value, sizeof(m->at[m->n].value), "%.63s", value);
		m->n++;
	}
	return 0;
}

static const char *map_get(const struct map *m, const char *name)
{
	for (int i = 0; name && i < m->n; i++)
		if (!strcasecmp(m->at[i].name, name))
			return m->at[i].value;
	return NULL;
}

int mail_config_set(const char *queue_kinds, const char *customer_domains, struct err *e)
{
	static const char *const kinds[] = { "incident", "request", "inquiry", NULL };
	struct map q, d;
	int rc;

	if ((rc = map_parse("mail.queue_kinds", queue_kinds, IDENT_PUNCT, MAIL_QUEUE_MAX, kinds,
			    &q, e)) ||
	    (rc = map_parse("mail.customer_domains", customer_domains, ".-", MAIL_ADDR_MAX, NULL,
			    &d, e)))
		return rc;
	queues = q;
	domains = d;
	return 0;
}

const char *mail_queue_kind(const char *queue)
{
	const char *k = map_get(&queues, queue);

	return k ? k : "incident";
}

const char *mail_domain_customer(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	return at ? map_get(&domains, at + 1) : NULL;
}

/* ---- threading ---- */

/* The ticket key in a subject's tag "[INC-12]" into key; 0 when none. */
static int subject_tag(const char *subject, char key[24])
{
	for (const char *p = strchr(subject, '['); p; p = strchr(p + 1, '[')) {
		size_t i = 1, letters, digits;

		while (isupper((unsigned char)p[i]))
			i++;
		letters = i - 1;
		if (letters < 2 || letters > 5 || p[i] != '-')
			continue;
		i++;
		digits = i;
		while (isdigit((unsigned char)p[i]))
			i++;
		digits = i - digits;
		if (!digits || digits > 12 || p[i] != ']')
			continue;
		snprintf(key, 24, "%.*s", (int)(i - 1), p + 1);
		return 1;
	}
	return 0;
}

/* The key in one of our notifications' Message-IDs, "ticket-INC-42.N@host"
 * (docs/mail.md); 0 when id is not one. */
static int notification_ref(const char *id, char key[24])
{
	size_t n;

	if (strncmp(id, "ticket-", 7))
		return 0;
	id += 7;
	n = strcspn(id, ".@");
	if (!n || n >= 24 || id[n] != '.')
		return 0;
	snprintf(key, 24, "%.*s", (int)n, id);
	return ident_valid(key, 23, "-");
}

/* The ticket a reply answers into key ("" when it answers none). */
static int thread_of(struct store_tx *tx, const struct mail_parsed *p, char key[24],
		     struct err *e)
{
	struct store *st = tx->st;

	key[0] = '\0';
	for (int i = 0; i < p->nrefs; i++) {
		struct mail_message m;
		int rc;

		/* A notification itsm sent (recorded by domain/notify/). */
		rc = st->ops->notify->sent_ticket(st, tx, p->refs[i], key, NULL, 0, e);
		if (!rc)
			return 0;
		if (rc != ERR_NOT_FOUND)
			return rc;
		err_clear(e);
		if (notification_ref(p->refs[i], key))
			return 0;
		rc = st->ops->mail->get_by_msgid(st, tx, p->refs[i], &m, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			continue;
		}
		if (rc)
			return rc;
		snprintf(key, 24, "%s", m.ticket_key);
		mail_message_release(&m);
		if (*key)
			return 0;
	}
	subject_tag(p->subject, key);
	return 0;
}

/* ---- the write ---- */

struct recv_ctx {
	const struct actor *via;
	const char *queue;
	const struct mail_parsed *p;
	const void *raw;
	size_t n;
	char msgid[MAIL_MSGID_MAX + 1];
	char raw_sha256[65];
	int refuse_only;  /* the second write: record the refusal */
	int refused;      /* the desk refused in the first */
	int msgid_taken;  /* the insert met the Message-ID stored meanwhile */
	const struct mail_origin *origin; /* polled: remembered in the write */
	char reason[MAIL_REASON_MAX + 1];
	struct mail_receipt *r;
};

/* Cut s to at most max bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

/* Store m and its audit record (the state as a list would show it, the
 * raw message's digest and who delivered it). */
static int store_message(struct store_tx *tx, struct recv_ctx *c, const struct actor *by,
			 struct mail_message *m, struct err *e)
{
	struct store *st = tx->st;
	char entity[40];
	json_t *state, *change;
	int rc = st->ops->mail->insert(tx, m, e);

	if (rc) {
		if (rc == ERR_CONFLICT)
			c->msgid_taken = 1;
		return rc;
	}
	snprintf(entity, sizeof(entity), "mail:%lld", (long long)m->id);
	state = mail_state_json(m, c->raw_sha256);
	json_object_set_new(state, "via", json_string(c->via->username));
	change = json_pack("{s:o}", "after", state);
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, by, "mail.receive", entity, change, e);
	json_decref(change);
	c->r->id = m->id;
	c->r->outcome = m->outcome;
	c->r->comment_id = m->comment_id;
	snprintf(c->r->ticket, sizeof(c->r->ticket), "%s", m->ticket_key);
	snprintf(c->r->reason, sizeof(c->r->reason), "%s", m->reason);
	return rc;
}

/* A requester answered a pending ticket by mail: back to in_progress, so
 * its resolution clock runs again (the desk's own update, made by the
 * system actor "mail": a requester may not move a ticket out of pending). */
static int resume_pending(struct store_tx *tx, const char *key, int64_t version, struct err *e)
{
	struct actor desk;
	json_t *in = json_pack("{s:I, s:s}", "version", (json_int_t)version, "status", "in_progress");
	json_t *after = NULL;
	int rc;

	if (!in)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	actor_system(&desk, "mail");
	rc = ticket_update_in(tx, &desk, key, in, &after, e);
	json_decref(in);
	json_decref(after);
	return rc;
}

/* The desk's answer to a reply (key) or a new ticket (for customer, when
 * the sender is no user: the text then opens with the sender's address):
 * the ticket and comment it made, into m. */
static int to_desk(struct store_tx *tx, struct recv_ctx *c, const struct actor *sender,
		   const char *key, const char *customer, struct mail_message *m, struct err *e)
{
	const struct mail_parsed *p = c->p;
	json_t *in, *after = NULL;
	char title[MAIL_SUBJECT_MAX + 1];
	char *text = NULL;
	int rc;

	if (customer) {
		if (asprintf(&text, "From: %s%s%s%s\n\n%s", p->from_name, *p->from_name ? " <" : "",
			     p->from_addr, *p->from_name ? ">" : "",
			     *p->text ? p->text : "(empty message)") < 0)
			text = NULL;
	} else {
		text = strdup(*p->text ? p->text : "(empty message)");
	}
	if (!text)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	cut_utf8(text, key ? COMMENT_MAX : TICKET_TEXT_MAX);
	if (key) {
		struct ticket t;
		int resume;
		int64_t version;

		/* Visibility first: a ticket the sender may not see is "not
		 * found", whether it exists or not. */
		if ((rc = ticket_load_visible(tx->st, tx, sender, key, &t, e))) {
			free(text);
			return rc;
		}
		m->ticket_id = t.id;
		snprintf(m->ticket_key, sizeof(m->ticket_key), "%s", t.key);
		/* The requester's answer to a ticket waiting on them. */
		resume = t.status == ST_PENDING && sender->user_id &&
			 sender->user_id == t.requester_id;
		version = t.version;
		ticket_release(&t);
		in = json_pack("{s:s}", "body", text);
		rc = in ? ticket_comment_in(tx, sender, key, in, &after, e)
			: err_set(e, ERR_INTERNAL, NULL, "out of memory");
		if (!rc) {
			m->comment_id = json_integer_value(json_object_get(after, "id"));
			m->outcome = MAIL_COMMENTED;
		}
		if (!rc && resume)
			rc = resume_pending(tx, key, version, e);
	} else {
		snprintf(title, sizeof(title), "%s", *p->subject ? p->subject : "(no subject)");
		cut_utf8(title, TICKET_TITLE_MAX);
		if (!title[strspn(title, " ")])
			snprintf(title, sizeof(title), "(no subject)");
		in = json_pack("{s:s, s:s, s:s, s:s}", "kind", mail_queue_kind(c->queue), "title",
			       title, "description", text, "channel", "email");
		if (in && customer)
			json_object_set_new(in, "customer", json_string(customer));
		/* Routing rules may match the queue the message came to. */
		struct ticket_origin hint = { NULL, c->queue };

		rc = in ? ticket_create_from_in(tx, sender, in, &hint, &after, e)
			: err_set(e, ERR_INTERNAL, NULL, "out of memory");
		if (!rc) {
			m->ticket_id = json_integer_value(json_object_get(after, "id"));
			snprintf(m->ticket_key, sizeof(m->ticket_key), "%s",
				 json_string_value(json_object_get(after, "key")));
			m->outcome = MAIL_CREATED;
		}
	}
	json_decref(in);
	json_decref(after);
	free(text);
	return rc;
}

/* The message's files as attachments of the ticket (and comment) it made,
 * public as its text is (docs/attachments.md); a file over attach.max_size
 * is left out, a name that is no file name becomes "attachment". */
static int store_files(struct store_tx *tx, struct recv_ctx *c, const struct actor *by,
		       const struct mail_message *m, struct err *e)
{
	for (int i = 0; i < c->p->nfiles; i++) {
		const struct mail_file *f = &c->p->files[i];
		char name[ATTACH_FILENAME_MAX + 1];
		int rc;

		if (f->len > attach_max_size())
			continue;
		if (attach_filename(f->name, name, e)) {
			err_clear(e);
			snprintf(name, sizeof(name), "attachment");
		}
		if ((rc = attach_add_in(tx, by, m->ticket_id, m->ticket_key, m->comment_id, name, 1,
					"mail", f->data, f->len, NULL, e)))
			return rc;
	}
	return 0;
}

/* Whether the desk's error rc is a refusal of this message (recorded as
 * such), not a failure of the store (which the sender retries). */
static int is_refusal(int rc)
{
	return rc == ERR_INVALID || rc == ERR_NOT_FOUND || rc == ERR_FORBIDDEN ||
	       rc == ERR_TRANSITION;
}

/* A new ticket from this sender would pass mail.sender_hourly_limit: 1
 * with m made an ignored message and its reason; 0 when it would not;
 * <0 the store's failure. */
static int over_limit(struct store_tx *tx, struct recv_ctx *c, struct mail_message *m,
		      struct err *e)
{
	int rc = mail_limit_check(tx, c->p->from_addr, m->received_at, m->reason,
				  sizeof(m->reason), e);

	if (rc == 1)
		m->outcome = MAIL_IGNORED;
	return rc;
}

/* A reply naming a ticket the sender may not see (another customer's, or
 * none at all: the two are told apart by nobody) opens a new ticket, as
 * a new message would, and says why in the message's reason: a key
 * guessed into a subject never reaches the ticket, and the sender's words
 * are not lost. key is emptied then; a ticket the sender sees keeps it. */
static int unseen_thread(struct store_tx *tx, const struct actor *sender, char key[24],
			 struct mail_message *m, struct err *e)
{
	struct ticket t;
	int rc = ticket_load_visible(tx->st, tx, sender, key, &t, e);

	if (!rc) {
		ticket_release(&t);
		return 0;
	}
	if (rc != ERR_NOT_FOUND)
		return rc;
	err_clear(e);
	snprintf(m->reason, sizeof(m->reason),
		 "it answers %s, which the sender may not see: a new ticket", key);
	key[0] = '\0';
	return 0;
}

/* A sender no user has, from a domain mail.customer_domains names: a new
 * message opens a ticket for that customer, made by the system actor
 * "mail" (no requester; the address opens the text); a reply is refused,
 * since only a user answers a ticket, as only a user may see one. */
static int by_domain(struct store_tx *tx, struct recv_ctx *c, const char *customer,
		     struct mail_message *m, struct err *e)
{
	struct actor desk;
	char key[24];
	int rc;

	if ((rc = thread_of(tx, c->p, key, e)))
		return rc;
	if (*key) {
		m->outcome = MAIL_REFUSED;
		snprintf(m->reason, sizeof(m->reason),
			 "no user has the sender's address: only users answer tickets by mail");
		return store_message(tx, c, c->via, m, e);
	}
	if ((rc = over_limit(tx, c, m, e)))
		return rc < 0 ? rc : store_message(tx, c, c->via, m, e);
	actor_system(&desk, "mail");
	if ((rc = to_desk(tx, c, &desk, NULL, customer, m, e))) {
		if (is_refusal(rc)) {
			c->refused = 1;
			utf8_repair(c->reason, sizeof(c->reason), e->msg);
		}
		return rc;
	}
	if ((rc = store_files(tx, c, &desk, m, e)))
		return rc;
	return store_message(tx, c, &desk, m, e);
}

/* The ticket whose notification a delivery status notification reports
 * on, into key ("" when none): the reported message's Message-ID, else
 * In-Reply-To / References, each looked up among the notifications sent
 * (notify_messages) — a Message-ID itsm never sent matches nothing. The
 * first found decides; the address it was sent to goes into to, and that
 * notification's Message-ID into id (for the reason of a mismatch). */
static int bounce_of(struct store_tx *tx, const struct mail_parsed *p, char key[24],
		     char to[200], const char **id, struct err *e)
{
	struct store *st = tx->st;
	int rc;

	key[0] = '\0';
	for (int i = -1; i < p->nrefs; i++) {
		*id = i < 0 ? p->dsn.original_id : p->refs[i];
		if (!**id)
			continue;
		rc = st->ops->notify->sent_ticket(st, tx, *id, key, to, 200, e);
		if (rc != ERR_NOT_FOUND)
			return rc;
		err_clear(e);
		key[0] = '\0';
	}
	return 0;
}

/* A bounce whose failed recipient is not the address the notification it
 * reports on went to: a report about another message (or made up to put
 * a note on a ticket), ignored with the reason; the ticket is not named
 * nor touched, and the address the notice went to is not told. */
static int bounce_elsewhere(struct store_tx *tx, struct recv_ctx *c, const char *id,
			    struct mail_message *m, struct err *e)
{
	m->outcome = MAIL_IGNORED;
	snprintf(m->reason, sizeof(m->reason),
		 "bounce: %.80s failed, not the recipient of the notice %.80s: no note",
		 c->p->dsn.recipient, id);
	return store_message(tx, c, c->via, m, e);
}

/* A bounce of the notification of ticket key: an internal note on the
 * ticket by the system actor "mail" naming the recipient and the status
 * (internal notes notify nobody, so nothing answers the bounce). */
static int record_bounce(struct store_tx *tx, struct recv_ctx *c, const char *key,
			 struct mail_message *m, struct err *e)
{
	const struct mail_dsn *d = &c->p->dsn;
	struct actor desk;
	struct ticket t;
	json_t *in, *after = NULL;
	char *text = NULL;
	int rc;

	actor_system(&desk, "mail");
	if ((rc = ticket_load_visible(tx->st, tx, &desk, key, &t, e)))
		return rc;
	m->ticket_id = t.id;
	snprintf(m->ticket_key, sizeof(m->ticket_key), "%s", t.key);
	if (ticket_status_is_terminal(t.status)) {
		/* a closed ticket takes no note: a robot's mail, as before */
		m->outcome = MAIL_IGNORED;
		snprintf(m->reason, sizeof(m->reason),
			 "bounce: %.150s failed, status %.15s; the ticket is %.16s: no note",
			 d->recipient, *d->status ? d->status : "unknown",
			 ticket_status_name(t.status));
		ticket_release(&t);
		return store_message(tx, c, c->via, m, e);
	}
	ticket_release(&t);
	if (asprintf(&text,
		     "A notification could not be delivered to %s: status %s%s%s%s.\n"
		     "(delivery status notification from %s)",
		     d->recipient, *d->status ? d->status : "unknown",
		     *d->diagnostic ? " (" : "", d->diagnostic, *d->diagnostic ? ")" : "",
		     c->p->from_addr) < 0)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	in = json_pack("{s:s, s:b}", "body", text, "public", 0);
	rc = in ? ticket_comment_in(tx, &desk, key, in, &after, e)
		: err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(text);
	json_decref(in);
	if (rc) {
		json_decref(after);
		if (is_refusal(rc)) {
			c->refused = 1;
			utf8_repair(c->reason, sizeof(c->reason), e->msg);
		}
		return rc;
	}
	m->comment_id = json_integer_value(json_object_get(after, "id"));
	json_decref(after);
	m->outcome = MAIL_COMMENTED;
	snprintf(m->reason, sizeof(m->reason), "bounce: %.200s failed, status %.15s", d->recipient,
		 *d->status ? d->status : "unknown");
	return store_message(tx, c, &desk, m, e);
}

static int receive_write(struct store_tx *tx, void *ctx, struct err *e)
{
	struct recv_ctx *c = ctx;
	struct store *st = tx->st;
	const struct mail_parsed *p = c->p;
	struct mail_message m = { 0 }, old;
	struct actor sender;
	struct user u;
	char key[24], name[64];
	int rc;

	rc = st->ops->mail->get_by_msgid(st, tx, c->msgid, &old, e);
	if (!rc) {
		c->r->duplicate = 1;
		c->r->id = old.id;
		c->r->outcome = old.outcome;
		c->r->comment_id = old.comment_id;
		snprintf(c->r->ticket, sizeof(c->r->ticket), "%s", old.ticket_key);
		snprintf(c->r->reason, sizeof(c->r->reason), "%s", old.reason);
		mail_message_release(&old);
		return 0;
	}
	if (rc != ERR_NOT_FOUND)
		return rc;
	err_clear(e);

	snprintf(m.message_id, sizeof(m.message_id), "%s", c->msgid);
	snprintf(m.queue, sizeof(m.queue), "%s", c->queue ? c->queue : "");
	snprintf(m.from_addr, sizeof(m.from_addr), "%s", p->from_addr);
	snprintf(m.subject, sizeof(m.subject), "%s", p->subject);
	m.body = p->text;
	m.raw = (unsigned char *)c->raw;
	m.raw_len = c->n;
	m.raw_size = (int64_t)c->n;
	m.received_at = clock_now();

	if (c->refuse_only) {
		m.outcome = MAIL_REFUSED;
		snprintf(m.reason, sizeof(m.reason), "%s", c->reason);
		return store_message(tx, c, c->via, &m, e);
	}
	if (p->dsn.report && p->dsn.recipient[0]) {
		char to[200];
		const char *id = "";

		if ((rc = bounce_of(tx, p, key, to, &id, e)))
			return rc;
		/* addresses compared without case, as the intake matches senders */
		if (*key && strcasecmp(to, p->dsn.recipient))
			return bounce_elsewhere(tx, c, id, &m, e);
		if (*key)
			return record_bounce(tx, c, key, &m, e);
	}
	if (p->automatic) {
		m.outcome = MAIL_IGNORED;
		snprintf(m.reason, sizeof(m.reason), "sent automatically (%s)", p->automatic_why);
		return store_message(tx, c, c->via, &m, e);
	}
	rc = st->ops->mail->user_by_email(st, tx, p->from_addr, name, e);
	if (rc == ERR_NOT_FOUND && mail_domain_customer(p->from_addr)) {
		err_clear(e);
		return by_domain(tx, c, mail_domain_customer(p->from_addr), &m, e);
	}
	if (rc == ERR_NOT_FOUND || rc == ERR_CONFLICT) {
		m.outcome = MAIL_REFUSED;
		utf8_repair(m.reason, sizeof(m.reason),
			    rc == ERR_NOT_FOUND ? "no user has the sender's address" : e->msg);
		err_clear(e);
		return store_message(tx, c, c->via, &m, e);
	}
	if (rc)
		return rc;
	if ((rc = st->ops->user_get(st, tx, 0, name, &u, e)))
		return rc;
	actor_from_user(&sender, &u);
	m.user_id = u.id;
	snprintf(m.username, sizeof(m.username), "%s", u.username);
	if ((rc = thread_of(tx, p, key, e)))
		return rc;
	if (*key && (rc = unseen_thread(tx, &sender, key, &m, e)))
		return rc;
	if (!*key && (rc = over_limit(tx, c, &m, e)))
		return rc < 0 ? rc : store_message(tx, c, &sender, &m, e);
	rc = to_desk(tx, c, &sender, *key ? key : NULL, NULL, &m, e);
	if (rc) {
		if (is_refusal(rc)) {
			c->refused = 1;
			utf8_repair(c->reason, sizeof(c->reason), e->msg);
		}
		return rc;
	}
	if ((rc = store_files(tx, c, &sender, &m, e)))
		return rc;
	return store_message(tx, c, &sender, &m, e);
}

/* receive_write, then the origin remembered with the message (or with the
 * message stored before, for a duplicate). */
static int receive_write_at(struct store_tx *tx, void *ctx, struct err *e)
{
	struct recv_ctx *c = ctx;
	const struct mail_origin *o = c->origin;
	int rc = receive_write(tx, ctx, e);

	if (rc || !o)
		return rc;
	return tx->st->ops->mail->imap_remember(tx, o->mailbox, o->uidvalidity, o->uid, c->r->id,
						 clock_now(), e);
}

static int skip_write(struct store_tx *tx, void *ctx, struct err *e)
{
	const struct mail_origin *o = ctx;

	return tx->st->ops->mail->imap_remember(tx, o->mailbox, o->uidvalidity, o->uid, 0,
						 clock_now(), e);
}

int mail_origin_skip(struct store *st, const struct mail_origin *origin, struct err *e)
{
	return store_write(st, skip_write, (void *)origin, e);
}

/* The origin of a duplicate found after a racing delivery committed. */
struct dup_origin {
	const struct mail_origin *o;
	int64_t id;
};

static int dup_write(struct store_tx *tx, void *ctx, struct err *e)
{
	struct dup_origin *d = ctx;

	return tx->st->ops->mail->imap_remember(tx, d->o->mailbox, d->o->uidvalidity, d->o->uid,
						 d->id, clock_now(), e);
}

static void digest_hex(const void *raw, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, raw, n);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int mail_receive(struct store *st, const struct actor *a, const char *queue, const void *raw,
		 size_t n, struct mail_receipt *r, struct err *e)
{
	return mail_receive_at(st, a, queue, raw, n, NULL, r, e);
}

int mail_receive_at(struct store *st, const struct actor *a, const char *queue, const void *raw,
		    size_t n, const struct mail_origin *origin, struct mail_receipt *r,
		    struct err *e)
{
	struct mail_parsed p;
	struct recv_ctx c = { .via = a, .queue = queue, .p = &p, .raw = raw, .n = n, .r = r,
			      .origin = origin };
	int rc;

	memset(r, 0, sizeof(*r));
	/* Whoever delivers may write as any sender, as the MTA does: admins,
	 * and the integration tokens (event-scoped) of staff. */
	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM &&
	    !(a->scope_events && actor_is_staff(a)))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "mail is delivered with a staff member's event-scoped token or by "
			       "an admin");
	if (queue && *queue && !ident_valid(queue, MAIL_QUEUE_MAX, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "queue", "malformed queue name '%.64s'", queue);
	if ((rc = mail_parse(raw, n, &p, e)))
		goto out;
	digest_hex(raw, n, c.raw_sha256);
	if (p.message_id[0])
		snprintf(c.msgid, sizeof(c.msgid), "%s", p.message_id);
	else
		snprintf(c.msgid, sizeof(c.msgid), "sha256:%s", c.raw_sha256);
	rc = store_write(st, receive_write_at, &c, e);
	if (rc && c.refused) {
		err_clear(e);
		c.refuse_only = 1;
		c.refused = 0;
		rc = store_write(st, receive_write_at, &c, e);
	}
	if (rc == ERR_CONFLICT && c.msgid_taken) {
		/* Another delivery of the same message committed first. */
		struct mail_message old;

		err_clear(e);
		if (!(rc = st->ops->mail->get_by_msgid(st, NULL, c.msgid, &old, e))) {
			r->duplicate = 1;
			r->id = old.id;
			r->outcome = old.outcome;
			snprintf(r->ticket, sizeof(r->ticket), "%s", old.ticket_key);
			mail_message_release(&old);
			if (origin) {
				struct dup_origin d = { origin, r->id };

				rc = store_write(st, dup_write, &d, e);
			}
		}
	}
out:
	mail_parsed_release(&p);
	return rc;
}

json_t *mail_receipt_json(const struct mail_receipt *r)
{
	return json_pack("{s:s, s:b, s:I, s:o, s:o, s:s}", "outcome",
			 r->duplicate ? "duplicate" : mail_outcome_name(r->outcome), "duplicate",
			 r->duplicate, "id", (json_int_t)r->id, "ticket",
			 r->ticket[0] ? json_string(r->ticket) : json_null(), "comment",
			 r->comment_id ? json_integer(r->comment_id) : json_null(), "reason",
			 r->reason);
}

/* ---- reading ---- */

int mail_ticket_list_json(struct store *st, const struct actor *a, const char *ref,
			  json_t **out, struct err *e)
{
	struct mail_message *ms = NULL;
	struct ticket t;
	size_t n = 0;
	json_t *items;
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only deliver events and mail");
	if ((rc = ticket_load_visible(st, NULL, a, ref, &t, e)))
		return rc;
	rc = st->ops->mail->list_for_ticket(st, t.id, &ms, &n, e);
	ticket_release(&t);
	if (rc)
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = mail_message_to_json(&ms[i]);

		json_object_set_new(j, "body", json_string(ms[i].body ? ms[i].body : ""));
		json_array_append_new(items, j);
	}
	mail_free_messages(ms, n);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

int mail_raw_get(struct store *st, const struct actor *a, int64_t id, unsigned char **raw,
		 size_t *n, struct err *e)
{
	struct mail_message m;
	int rc;

	if (!actor_is_staff(a) || a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff may read raw messages");
	if ((rc = st->ops->mail->get(st, NULL, id, 1, &m, e)))
		return rc;
	*raw = m.raw;
	*n = m.raw_len;
	m.raw = NULL;
	mail_message_release(&m);
	return 0;
}
