/*
 * notify_message.c — a notification's text: the built-in templates in
 * English and Japanese, placeholders filled in, and the message built with
 * GMime (see notify.h).
 *
 * Invariants: no header value holding CR or LF goes into a message (every
 * one is checked here, whatever the caller checked); non-ASCII header text
 * leaves as RFC 2047 encoded words; the body is text/plain UTF-8 in
 * quoted-printable or base64, as GMime picks for 7-bit transport.
 */
#include "domain/notify/notify.h"
#include "lib/buf.h"
#include "lib/timeutil.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const event_names[NOTIFY__COUNT] = {
	[NOTIFY_CREATE] = "create",	  [NOTIFY_ASSIGN] = "assign",
	[NOTIFY_COMMENT] = "comment",	  [NOTIFY_STATUS] = "status",
	[NOTIFY_RESOLVE] = "resolve",	  [NOTIFY_SLA_WARNING] = "sla_warning",
	[NOTIFY_SLA_BREACH] = "sla_breach",
};

const char *notify_event_name(enum notify_event ev)
{
	return ev < NOTIFY__COUNT ? event_names[ev] : "?";
}

int notify_event_parse(const char *s, enum notify_event *out)
{
	for (int i = 0; i < NOTIFY__COUNT; i++)
		if (s && !strcmp(s, event_names[i])) {
			*out = (enum notify_event)i;
			return 0;
		}
	return -1;
}

/* ---- the built-in templates ---- */

struct tpl {
	const char *subject, *body;
};

#define FOOT_EN "\n-- \nitsm service desk. Reply to this message to add a comment to {{key}}.\n"
#define FOOT_JA "\n-- \nitsm サービスデスク。このメールに返信すると {{key}} にコメントが追加されます。\n"

static const struct tpl defaults_en[NOTIFY__COUNT] = {
	[NOTIFY_CREATE] = { "[{{key}}] Ticket opened: {{title}}",
			    "Ticket {{key}} was opened by {{actor}}.\n\nTitle: {{title}}\n"
			    "Priority: {{priority}}\nStatus: {{status}}\n" FOOT_EN },
	[NOTIFY_ASSIGN] = { "[{{key}}] Assigned to you: {{title}}",
			    "{{actor}} assigned ticket {{key}} to {{assignee}}.\n\nTitle: {{title}}\n"
			    "Priority: {{priority}}\nRequester: {{requester}}\n" FOOT_EN },
	[NOTIFY_COMMENT] = { "[{{key}}] New comment: {{title}}",
			     "{{actor}} commented on ticket {{key}}:\n\n{{comment}}\n" FOOT_EN },
	[NOTIFY_STATUS] = { "[{{key}}] Status {{status}}: {{title}}",
			    "{{actor}} moved ticket {{key}} to {{status}}.\n\nTitle: {{title}}\n" FOOT_EN },
	[NOTIFY_RESOLVE] = { "[{{key}}] Resolved: {{title}}",
			     "{{actor}} resolved ticket {{key}}.\n\nTitle: {{title}}\n\nIf the problem "
			     "remains, reply to this message and the ticket is reopened by the "
			     "desk.\n" FOOT_EN },
	[NOTIFY_SLA_WARNING] = { "[{{key}}] SLA warning: {{title}}",
				 "Ticket {{key}} nears its service level deadline.\n\n"
				 "Title: {{title}}\nPriority: {{priority}}\nAssignee: {{assignee}}\n" FOOT_EN },
	[NOTIFY_SLA_BREACH] = { "[{{key}}] SLA breached: {{title}}",
				"Ticket {{key}} has missed its service level deadline.\n\n"
				"Title: {{title}}\nPriority: {{priority}}\nAssignee: {{assignee}}\n" FOOT_EN },
};

static const struct tpl defaults_ja[NOTIFY__COUNT] = {
	[NOTIFY_CREATE] = { "[{{key}}] チケットを受け付けました: {{title}}",
			    "{{actor}} さんがチケット {{key}} を起票しました。\n\n件名: {{title}}\n"
			    "優先度: {{priority}}\n状態: {{status}}\n" FOOT_JA },
	[NOTIFY_ASSIGN] = { "[{{key}}] 担当になりました: {{title}}",
			    "{{actor}} さんがチケット {{key}} を {{assignee}} さんに割り当てました。\n\n"
			    "件名: {{title}}\n優先度: {{priority}}\n依頼者: {{requester}}\n" FOOT_JA },
	[NOTIFY_COMMENT] = { "[{{key}}] コメントが追加されました: {{title}}",
			     "{{actor}} さんがチケット {{key}} にコメントしました:\n\n{{comment}}\n" FOOT_JA },
	[NOTIFY_STATUS] = { "[{{key}}] 状態が {{status}} になりました: {{title}}",
			    "{{actor}} さんがチケット {{key}} の状態を {{status}} にしました。\n\n"
			    "件名: {{title}}\n" FOOT_JA },
	[NOTIFY_RESOLVE] = { "[{{key}}] 解決しました: {{title}}",
			     "{{actor}} さんがチケット {{key}} を解決済みにしました。\n\n件名: {{title}}\n\n"
			     "解決していない場合は、このメールに返信してください。\n" FOOT_JA },
	[NOTIFY_SLA_WARNING] = { "[{{key}}] SLA 期限が近づいています: {{title}}",
				 "チケット {{key}} のサービスレベル期限が近づいています。\n\n"
				 "件名: {{title}}\n優先度: {{priority}}\n担当: {{assignee}}\n" FOOT_JA },
	[NOTIFY_SLA_BREACH] = { "[{{key}}] SLA 期限を超過しました: {{title}}",
				"チケット {{key}} はサービスレベル期限を超過しました。\n\n"
				"件名: {{title}}\n優先度: {{priority}}\n担当: {{assignee}}\n" FOOT_JA },
};

void notify_template_default(enum notify_event ev, const char *lang, const char **subject,
			     const char **body)
{
	const struct tpl *t = lang && !strcmp(lang, "ja") ? &defaults_ja[ev] : &defaults_en[ev];

	*subject = t->subject;
	*body = t->body;
}

/* ---- placeholders ---- */

static const char *const var_names[] = { "key",       "title",	  "status",   "actor",
					  "assignee", "requester", "priority", "comment", NULL };

static const char *var_value(const struct notify_vars *v, int i)
{
	const char *s[] = { v->key,	 v->title,     v->status,   v->actor,
			    v->assignee, v->requester, v->priority, v->comment };

	return s[i] ? s[i] : "";
}

/* The index of the placeholder at p ("{{name}}"), its length in *len; -1
 * when p opens none. */
static int placeholder(const char *p, size_t *len)
{
	if (p[0] != '{' || p[1] != '{')
		return -1;
	for (int i = 0; var_names[i]; i++) {
		size_t n = strlen(var_names[i]);

		if (!strncmp(p + 2, var_names[i], n) && !strncmp(p + 2 + n, "}}", 2)) {
			*len = n + 4;
			return i;
		}
	}
	return -1;
}

int notify_template_check(const char *text, int header, const char *field, struct err *e)
{
	for (const char *p = text; *p; p++) {
		size_t len;

		if (header && ((unsigned char)*p < 0x20 || *p == 0x7f))
			return err_set(e, ERR_INVALID, field,
				       "%s must be one line without control characters", field);
		if (p[0] == '{' && p[1] == '{' && placeholder(p, &len) < 0)
			return err_set(e, ERR_INVALID, field,
				       "unknown placeholder '%.24s' in %s (known: {{key}} {{title}} "
				       "{{status}} {{actor}} {{assignee}} {{requester}} "
				       "{{priority}} {{comment}})",
				       p, field);
	}
	if (!text[strspn(text, " \t\r\n")])
		return err_set(e, ERR_INVALID, field, "%s must not be empty", field);
	return 0;
}

char *notify_render(const char *text, const struct notify_vars *v, int header)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	for (const char *p = text; *p && !rc;) {
		size_t len;
		int i = placeholder(p, &len);

		if (i < 0) {
			rc = buf_putc(&b, *p++);
			continue;
		}
		for (const char *s = var_value(v, i); *s && !rc; s++)
			rc = buf_putc(&b, header && ((unsigned char)*s < 0x20 || *s == 0x7f) ? ' '
											     : *s);
		p += len;
	}
	if (!rc)
		rc = buf_puts(&b, "");
	if (rc) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* ---- the message ---- */

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
	g_mime_init(); /* counted: the mail reader's init is the same */
}

int notify_header_check(const char *what, const char *value, struct err *e)
{
	for (const char *p = value ? value : ""; *p; p++)
		if (*p == '\r' || *p == '\n')
			return err_set(e, ERR_INVALID, what, "%s holds a line break (CR or LF)", what);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INVALID, what, "%s holds a control character (0x%02x)",
				       what, (unsigned char)*p);
	return 0;
}

/* An address or Message-ID: also no space, no '<' or '>'. */
static int token_check(const char *what, const char *v, int need_at, struct err *e)
{
	int rc = notify_header_check(what, v, e);

	if (rc)
		return rc;
	if (!v || !*v || strpbrk(v, " \t<>,;\"()") || (need_at && !strchr(v, '@')))
		return err_set(e, ERR_INVALID, what, "%s '%.80s' is malformed", what, v ? v : "");
	return 0;
}

int notify_message_build(const struct notify_mail *m, char **out, struct err *e)
{
	GMimeMessage *msg;
	GMimeTextPart *part;
	GMimeObject *obj;
	GDateTime *date;
	char ref[NOTIFY_MSGID_MAX + 3], *text;
	int rc;

	*out = NULL;
	if ((rc = token_check("the sender", m->from, 1, e)) ||
	    (rc = token_check("the recipient", m->to, 1, e)) ||
	    (rc = notify_header_check("the recipient's name", m->to_name, e)) ||
	    (rc = notify_header_check("the subject", m->subject, e)) ||
	    (rc = token_check("the Message-ID", m->message_id, 1, e)) ||
	    (m->in_reply_to && *m->in_reply_to &&
	     (rc = token_check("In-Reply-To", m->in_reply_to, 1, e))))
		return rc;
	pthread_once(&gmime_once, gmime_start);
	msg = g_mime_message_new(TRUE);
	obj = GMIME_OBJECT(msg);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, "itsm", m->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, m->to_name ? m->to_name : "",
				   m->to);
	g_mime_message_set_subject(msg, m->subject, "utf-8");
	g_mime_message_set_message_id(msg, m->message_id);
	date = g_date_time_new_from_unix_utc(m->date);
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	if (m->in_reply_to && *m->in_reply_to) {
		snprintf(ref, sizeof(ref), "<%s>", m->in_reply_to);
		g_mime_object_set_header(obj, "In-Reply-To", ref, NULL);
		g_mime_object_set_header(obj, "References", ref, NULL);
	}
	g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);
	g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_text_part_set_text(part, m->body);
	g_mime_part_set_content_encoding(GMIME_PART(part),
					 g_mime_part_get_best_content_encoding(
						 GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	g_object_unref(part);
	text = g_mime_object_to_string(obj, NULL);
	g_object_unref(msg);
	if (!text)
		return err_set(e, ERR_INTERNAL, NULL, "cannot write the message");
	*out = strdup(text);
	g_free(text);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}
