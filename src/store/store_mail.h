/*
 * store_mail.h — the store operations of the mail module (see store.h):
 * received messages, the lookups that thread a reply to its ticket, and the
 * sender's user by address.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * strings; release them with mail_message_release (model/mail.h), arrays
 * with mail_free_messages.
 *
 * Invariants the backend keeps: a Message-ID is stored once (a second
 * insert is ERR_CONFLICT on "message_id"); a stored message never changes;
 * an IMAP UID is remembered once per (mailbox, UIDVALIDITY).
 */
#ifndef ITSM_STORE_MAIL_H
#define ITSM_STORE_MAIL_H

#include "model/mail.h"
#include "model/platform.h"
#include "store/store.h"

/* A stored message with its raw bytes, for the audit scan. Return 0 to go
 * on, >0 to stop, <0 on error. */
typedef int (*store_mail_fn)(const struct mail_message *m, void *ctx);

struct store_mail_ops {
	/* Insert m (id set on success); m->raw and raw_len are stored as is. */
	int (*insert)(struct store_tx *tx, struct mail_message *m, struct err *e);
	/* By id, with the raw message when with_raw; ERR_NOT_FOUND when none. */
	int (*get)(struct store *st, struct store_tx *tx, int64_t id, int with_raw,
		   struct mail_message *m, struct err *e);
	/* By Message-ID (id and outcome only are needed; no raw); ERR_NOT_FOUND
	 * when none. */
	int (*get_by_msgid)(struct store *st, struct store_tx *tx, const char *msgid,
			    struct mail_message *m, struct err *e);
	/* The messages of ticket_id in id order, without their raw text. */
	int (*list_for_ticket)(struct store *st, int64_t ticket_id, struct mail_message **out,
			       size_t *n, struct err *e);
	/* Every stored message, raw bytes included, in id order, in one read
	 * state (for audit_verify). */
	int (*scan)(struct store *st, store_mail_fn fn, void *ctx, struct err *e);
	/* The name of the active user whose e-mail is addr (compared without
	 * case) into username; ERR_NOT_FOUND when none, ERR_CONFLICT when more
	 * than one has it. */
	int (*user_by_email)(struct store *st, struct store_tx *tx, const char *addr,
			     char username[64], struct err *e);
	/* How many messages from addr (compared without case) opened a ticket
	 * (outcome "created") at or after since, into *n. */
	int (*sender_created_since)(struct store *st, struct store_tx *tx, const char *addr,
				    int64_t since, int64_t *n, struct err *e);

	/* IMAP polling (migrations/027_imap.sql). Remember that uid of
	 * (mailbox, uidvalidity) was taken as message mail_id (0: not a
	 * message, skipped); a second remember of the same uid changes
	 * nothing. */
	int (*imap_remember)(struct store_tx *tx, const char *mailbox, int64_t uidvalidity,
			     int64_t uid, int64_t mail_id, int64_t now, struct err *e);
	/* The uid is flagged or moved on the server. */
	int (*imap_done)(struct store_tx *tx, const char *mailbox, int64_t uidvalidity,
			 int64_t uid, struct err *e);
	/* Forget every uid of mailbox under another UIDVALIDITY than
	 * uidvalidity; *n how many were forgotten. */
	int (*imap_reset)(struct store_tx *tx, const char *mailbox, int64_t uidvalidity,
			  int64_t *n, struct err *e);
	/* The highest uid remembered of (mailbox, uidvalidity) into *max (0:
	 * none), and the UIDVALIDITY the mailbox was last seen with (0: none)
	 * into *seen_validity. */
	int (*imap_mark)(struct store *st, const char *mailbox, int64_t uidvalidity,
			 int64_t *max, int64_t *seen_validity, struct err *e);
	/* The remembered uids of (mailbox, uidvalidity) not yet done, lowest
	 * first, at most limit, into a new array *out (*n) the caller frees. */
	int (*imap_undone)(struct store *st, const char *mailbox, int64_t uidvalidity,
			   size_t limit, int64_t **out, size_t *n, struct err *e);
};

#endif
