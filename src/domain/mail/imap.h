/*
 * imap.h — mailboxes polled over IMAP(S): each new message is fetched by
 * UID, stored through the receive path of `itsm mail receive`
 * (mail_receive_at), then flagged \Seen or moved on the server.
 *
 * Invariants kept here:
 *  - a message is taken once: (mailbox, UIDVALIDITY, UID) is remembered in
 *    the same write as the message, and its Message-ID is unique; a poller
 *    that dies between storing and flagging only flags on its next poll;
 *  - a changed UIDVALIDITY forgets what was remembered of that mailbox
 *    (Message-IDs still keep its messages from being stored twice);
 *  - the server is flagged or moved only after the message is committed;
 *  - UIDs are taken in ascending order and a poll stops at the first
 *    message the store could not take (busy, out of reach): no UID is
 *    passed over, since the next poll starts above the highest one
 *    remembered;
 *  - the server's replies are data: a malformed or hostile reply fails
 *    that poll (logged, retried with back-off), never the process.
 * The mailboxes are admin configuration ([imap.NAME] sections of
 * itsm.conf), not user input: imap:// and imaps:// only, no redirects, no
 * proxy from the environment, no shell.
 */
#ifndef ITSM_IMAP_H
#define ITSM_IMAP_H

#include <stdint.h>

#include "lib/err.h"
#include "model/mail.h"

struct store;

#define IMAP_MAILBOXES_MAX 16
#define IMAP_NAME_MAX 63
#define IMAP_INTERVAL_DEFAULT 60
/* At most this many new messages are taken per mailbox per poll. */
#define IMAP_BATCH_MAX 10000

enum imap_after { IMAP_AFTER_SEEN, IMAP_AFTER_MOVE };

struct imap_mailbox {
	char name[IMAP_NAME_MAX + 1]; /* the [imap.NAME]; the key it is remembered by */
	char url[512];                /* imap://host[:port] or imaps://host[:port] */
	char user[256];
	char password_file[512];      /* its first line is the password */
	char folder[256];             /* INBOX unless set */
	long interval;                /* seconds between polls */
	char queue[MAIL_QUEUE_MAX + 1];
	enum imap_after after;
	char move_to[256];            /* after = move: the folder */
	int tls_required;             /* imap:// with STARTTLS required */
};

struct imap_mailboxes {
	int n;
	struct imap_mailbox at[IMAP_MAILBOXES_MAX];
};

/* ---- configuration ---- */

/* One key of an [imap.NAME] section ("NAME.url" …: url, user,
 * password_file, folder, interval, queue, after = seen|move, move_to,
 * starttls = 0|1) into set; ERR_INVALID naming the problem. */
int imap_mailboxes_add(struct imap_mailboxes *set, const char *key, const char *value,
		       struct err *e);
/* Every mailbox complete (url, user, password_file; move_to when after =
 * move): ERR_INVALID naming the first that is not. */
int imap_mailboxes_check(const struct imap_mailboxes *set, struct err *e);
/* Make set the mailboxes polled (call at start, before threads). */
void imap_mailboxes_install(const struct imap_mailboxes *set);
/* The installed mailboxes. */
const struct imap_mailboxes *imap_mailboxes(void);

/* ---- polling ---- */

struct imap_stats {
	int64_t taken;      /* messages fetched and stored (or found duplicates) */
	int64_t created;    /* of which opened a ticket */
	int64_t duplicates; /* of which were stored before */
	int64_t skipped;    /* not messages (or too large): remembered, not stored */
	int64_t flagged;    /* flagged or moved, old ones included */
	int64_t reset;      /* UIDs forgotten after a UIDVALIDITY change */
};

/* Poll mb once: 0 with stats filled, or the failure with whatever was
 * done by then counted in stats: ERR_BUSY (the server or the store could
 * not be reached, or the server answered NO), ERR_FORBIDDEN (the login
 * was refused), ERR_INVALID (a reply that makes no sense, or a password
 * file that cannot be read), ERR_TOO_LARGE (a command's reply over 4
 * MiB). max_size caps a message (larger ones are skipped). */
int imap_poll_mailbox(struct store *st, const struct imap_mailbox *mb, long max_size,
		      struct imap_stats *stats, struct err *e);

/* The server's poller: a thread that polls each installed mailbox every
 * interval while this process leads the role "imap" (several servers on
 * one store: one polls), with back-off after a failure (doubling, at most
 * an hour), logging each failure. Stop ends a poll in progress within a
 * second (the transfer is aborted; what was committed stays). */
int imap_poller_start(struct store *st, long max_size, struct err *e);
void imap_poller_stop(void);

#endif
