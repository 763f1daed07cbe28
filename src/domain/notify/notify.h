/*
 * notify.h — e-mail notifications of ticket events to the people concerned.
 *
 * An event (a ticket created, assigned, commented publicly, moved, resolved;
 * an SLA warning or breach) is turned, inside the write that made it, into
 * one message per recipient queued in the persistent outbox
 * (domain/platform/outbox.h), which delivers it after the commit, on the
 * leader, by SMTP (lib/smtp.h) or the mail command, with retry.
 *
 * Nothing is queued while mail can go nowhere (neither mail.smtp_url nor
 * mail.sendmail set).
 *
 * Invariants:
 *  - the actor of a change is never notified of it; a user without an
 *    e-mail address, a disabled user, a user who switched the event off,
 *    and the address of itsm itself (mail.from) are skipped;
 *  - a header value (subject, name, address, Message-ID) holding CR or LF is
 *    refused; non-ASCII header text is RFC 2047-encoded (GMime); the body is
 *    plain UTF-8 text, the template's values put in as they are;
 *  - every message carries "Auto-Submitted: auto-generated", the subject
 *    tag [KEY] and a Message-ID <ticket-KEY.N@host> recorded in the store,
 *    In-Reply-To/References naming the recipient's previous notification of
 *    the ticket, so replies thread and never start a loop.
 */
#ifndef ITSM_NOTIFY_H
#define ITSM_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"
#include "model/desk.h"
#include "model/notify.h"

struct store;
struct store_tx;

enum notify_event {
	NOTIFY_CREATE,
	NOTIFY_ASSIGN,
	NOTIFY_COMMENT,
	NOTIFY_STATUS,
	NOTIFY_RESOLVE,
	NOTIFY_SLA_WARNING,
	NOTIFY_SLA_BREACH,
	NOTIFY__COUNT
};

/* "create", "assign", "comment", "status", "resolve", "sla_warning",
 * "sla_breach"; parse: 0 or -1. */
const char *notify_event_name(enum notify_event ev);
int notify_event_parse(const char *s, enum notify_event *out);

/* ---- messages (notify_message.c: no store, unit-tested) ---- */

/* The values a template's {{name}} placeholders take. */
struct notify_vars {
	const char *key, *title, *status, *actor, *assignee, *requester, *priority, *comment;
};

/* Whether text uses only known placeholders ({{key}} {{title}} {{status}}
 * {{actor}} {{assignee}} {{requester}} {{priority}} {{comment}}) and, for a
 * header (subject), holds no control character. ERR_INVALID naming field. */
int notify_template_check(const char *text, int header, const char *field, struct err *e);
/* The built-in template of (ev, lang "en"|"ja"). */
void notify_template_default(enum notify_event ev, const char *lang, const char **subject,
			     const char **body);
/* text with its placeholders replaced; header: each control character of a
 * value becomes a space. The caller frees the result; NULL when out of
 * memory. */
char *notify_render(const char *text, const struct notify_vars *v, int header);

/* Refuse a header value holding CR or LF (or another control character):
 * 0 or ERR_INVALID naming what. */
int notify_header_check(const char *what, const char *value, struct err *e);

struct notify_mail {
	const char *from;        /* an address */
	const char *to;          /* an address */
	const char *to_name;     /* may be "" or NULL */
	const char *subject;     /* UTF-8 */
	const char *body;        /* UTF-8 plain text */
	const char *message_id;  /* without <> */
	const char *in_reply_to; /* without <>; "" or NULL: none */
	int64_t date;
};

/* The message as RFC 5322 text with LF line ends into *out (the caller
 * frees it with free()). ERR_INVALID when a header value is refused. */
int notify_message_build(const struct notify_mail *m, char **out, struct err *e);

/* ---- queueing (notify.c) ---- */

/* The host part of the Message-IDs: mail.from's domain, else the host's
 * name. Call at start. */
void notify_host_set(const char *from);

/* Queue, in tx, the notices of event ev on ticket t (its state after the
 * change) made by actor a: to the requester (not for assign and SLA events),
 * the assignee, and the members of group — NULL: the ticket's own group
 * (an escalation that reassigns it has changed it already). comment: the
 * public comment's text for NOTIFY_COMMENT, else NULL. */
int notify_ticket(struct store_tx *tx, const struct actor *a, enum notify_event ev,
		  const struct ticket *t, const char *comment, const char *group,
		  struct err *e);

/* ---- administration (notify_admin.c) ---- */

/* Admins: the 14 templates (each event in en and ja), edited or built-in. */
int notify_templates_json(struct store *st, const struct actor *a, json_t **out,
			  struct err *e);
/* Admins: one template named "EVENT.LANG" (create.ja). */
int notify_template_get_json(struct store *st, const struct actor *a, const char *name,
			     json_t **out, struct err *e);
/* Admins: {"version", "subject"?, "body"?}; the built-in default is version
 * 1. 409 conflict on a stale version. */
int notify_template_update(struct store *st, const struct actor *a, const char *name,
			   const json_t *in, json_t **out, struct err *e);
/* A user's settings {"user", "lang", "off": [events], "version"}: the user
 * themself or an admin. */
int notify_prefs_get_json(struct store *st, const struct actor *a, const char *username,
			  json_t **out, struct err *e);
/* {"version", "lang"?, "off"?}; a user never saved is at version 1. */
int notify_prefs_update(struct store *st, const struct actor *a, const char *username,
			const json_t *in, json_t **out, struct err *e);

#endif
