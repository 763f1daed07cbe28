/*
 * imap_config.c — the [imap.NAME] sections of itsm.conf (see imap.h): each
 * mailbox's options, checked as they are read, and the set installed at
 * start for the poller and `itsm mail poll`.
 *
 * Invariants: a mailbox's URL is imap:// or imaps:// with a host and
 * maybe a port, nothing else (no user, path, query or fragment: the folder
 * is its own option); a folder can be quoted in an IMAP command as it is
 * (no '"', '\\', '%' or control character); a mailbox installed has a URL,
 * a user and a password file, and move_to when it moves.
 */
#include "domain/mail/imap.h"
#include "lib/ident.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct imap_mailboxes installed;

/* A folder name we can quote: printable ASCII or UTF-8 (modified UTF-7 is
 * the admin's to write), no '"', '\\' or '%'. */
static int folder_ok(const char *s)
{
	if (!*s || strlen(s) > 255)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\' || *p == '%')
			return 0;
	return 1;
}

static int url_ok(const char *s)
{
	size_t n = strlen(s);

	if (strncmp(s, "imap://", 7) && strncmp(s, "imaps://", 8))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return 0;
	/* host[:port] only: the folder is its own option */
	s += s[4] == 's' ? 8 : 7;
	return *s && !strpbrk(s, "/;?#@") && n < 512;
}

int imap_mailboxes_add(struct imap_mailboxes *set, const char *key, const char *value,
		       struct err *e)
{
	const char *dot = strchr(key, '.');
	char name[IMAP_NAME_MAX + 1];
	struct imap_mailbox *mb;
	size_t n = dot ? (size_t)(dot - key) : 0;
	const char *opt;
	int i;

	if (!dot || !n || n > IMAP_NAME_MAX)
		return err_set(e, ERR_INVALID, "imap",
			       "malformed imap option '%.64s' ([imap.NAME] OPTION = VALUE)", key);
	memcpy(name, key, n);
	name[n] = '\0';
	opt = dot + 1;
	if (!ident_valid(name, IMAP_NAME_MAX, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "imap",
			       "malformed mailbox name '%s' (letters, digits, '.', '_', '-')", name);
	for (i = 0; i < set->n && strcmp(set->at[i].name, name); i++)
		;
	if (i == set->n) {
		if (set->n == IMAP_MAILBOXES_MAX)
			return err_set(e, ERR_INVALID, "imap", "too many mailboxes (at most %d)",
				       IMAP_MAILBOXES_MAX);
		mb = &set->at[set->n++];
		memset(mb, 0, sizeof(*mb));
		snprintf(mb->name, sizeof(mb->name), "%s", name);
		snprintf(mb->folder, sizeof(mb->folder), "INBOX");
		mb->interval = IMAP_INTERVAL_DEFAULT;
	}
	mb = &set->at[i];
	if (!strcmp(opt, "url")) {
		if (!url_ok(value))
			return err_set(e, ERR_INVALID, "imap",
				       "imap.%s.url: '%.80s' is not imap://HOST[:PORT] or "
				       "imaps://HOST[:PORT]",
				       name, value);
		snprintf(mb->url, sizeof(mb->url), "%s", value);
	} else if (!strcmp(opt, "user")) {
		if (!*value || strlen(value) >= sizeof(mb->user) || strpbrk(value, "\r\n"))
			return err_set(e, ERR_INVALID, "imap", "imap.%s.user: malformed", name);
		snprintf(mb->user, sizeof(mb->user), "%s", value);
	} else if (!strcmp(opt, "password_file")) {
		if (!*value || strlen(value) >= sizeof(mb->password_file))
			return err_set(e, ERR_INVALID, "imap", "imap.%s.password_file: malformed",
				       name);
		snprintf(mb->password_file, sizeof(mb->password_file), "%s", value);
	} else if (!strcmp(opt, "folder") || !strcmp(opt, "move_to")) {
		if (!folder_ok(value))
			return err_set(e, ERR_INVALID, "imap",
				       "imap.%s.%s: malformed folder name '%.80s'", name, opt,
				       value);
		snprintf(!strcmp(opt, "folder") ? mb->folder : mb->move_to, sizeof(mb->folder),
			 "%s", value);
	} else if (!strcmp(opt, "interval")) {
		char *end;
		long v;

		errno = 0;
		v = strtol(value, &end, 10);
		if (!*value || *end || errno || v < 1 || v > 86400)
			return err_set(e, ERR_INVALID, "imap",
				       "imap.%s.interval must be a number of seconds from 1 to 86400",
				       name);
		mb->interval = v;
	} else if (!strcmp(opt, "queue")) {
		if (*value && !ident_valid(value, MAIL_QUEUE_MAX, IDENT_PUNCT))
			return err_set(e, ERR_INVALID, "imap", "imap.%s.queue: malformed '%.64s'",
				       name, value);
		snprintf(mb->queue, sizeof(mb->queue), "%s", value);
	} else if (!strcmp(opt, "after")) {
		if (!strcmp(value, "seen"))
			mb->after = IMAP_AFTER_SEEN;
		else if (!strcmp(value, "move"))
			mb->after = IMAP_AFTER_MOVE;
		else
			return err_set(e, ERR_INVALID, "imap",
				       "imap.%s.after: '%.32s' is neither seen nor move", name, value);
	} else if (!strcmp(opt, "starttls")) {
		if (strcmp(value, "0") && strcmp(value, "1"))
			return err_set(e, ERR_INVALID, "imap", "imap.%s.starttls must be 0 or 1",
				       name);
		mb->tls_required = value[0] == '1';
	} else {
		return err_set(e, ERR_INVALID, "imap",
			       "unknown imap option '%.64s' (url, user, password_file, folder, "
			       "interval, queue, after, move_to, starttls)",
			       opt);
	}
	return 0;
}

int imap_mailboxes_check(const struct imap_mailboxes *set, struct err *e)
{
	for (int i = 0; i < set->n; i++) {
		const struct imap_mailbox *mb = &set->at[i];
		const char *missing = !mb->url[0]		? "url"
				      : !mb->user[0]		? "user"
				      : !mb->password_file[0] ? "password_file"
				      : mb->after == IMAP_AFTER_MOVE && !mb->move_to[0] ? "move_to"
											  : NULL;

		if (missing)
			return err_set(e, ERR_INVALID, "imap", "[imap.%s] has no %s", mb->name,
				       missing);
		if (mb->after == IMAP_AFTER_MOVE && !strcmp(mb->move_to, mb->folder))
			return err_set(e, ERR_INVALID, "imap",
				       "[imap.%s] moves messages to the folder it polls", mb->name);
	}
	return 0;
}

void imap_mailboxes_install(const struct imap_mailboxes *set)
{
	installed = *set;
}

const struct imap_mailboxes *imap_mailboxes(void)
{
	return &installed;
}

