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
 * insert is ERR_CONFLICT on "message_id"); a stored message never changes.
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
};

#endif
