/*
 * store_notify.h — the store operations of the notification module (see
 * store.h): edited templates, users' notification settings, the
 * notifications queued by Message-ID, and the members of a group.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records are plain data.
 *
 * Invariants the backend keeps: one template row per (event, lang), one
 * settings row per user, a Message-ID and a (ticket, seq) stored once.
 */
#ifndef ITSM_STORE_NOTIFY_H
#define ITSM_STORE_NOTIFY_H

#include "model/notify.h"
#include "model/platform.h"
#include "store/store.h"

/* One member of a group, by username: 0 to go on, <0 to fail. */
typedef int (*store_notify_user_fn)(const char *username, void *ctx);

struct store_notify_ops {
	/* The edited template of (event, lang); ERR_NOT_FOUND when none. */
	int (*template_get)(struct store *st, struct store_tx *tx, const char *event,
			    const char *lang, struct notify_template *t, struct err *e);
	/* Every edited template, by event and lang; the caller frees *out. */
	int (*template_list)(struct store *st, struct notify_template **out, size_t *n,
			     struct err *e);
	/* Insert t (version 1) when old_version is 0, else update the row at
	 * old_version to t->version (ERR_CONFLICT when it moved on). */
	int (*template_put)(struct store_tx *tx, const struct notify_template *t,
			    int64_t old_version, struct err *e);

	/* The settings of user_id; ERR_NOT_FOUND when none is stored. */
	int (*prefs_get)(struct store *st, struct store_tx *tx, int64_t user_id,
			 struct notify_prefs *p, struct err *e);
	/* As template_put, for the row of p->user_id. */
	int (*prefs_put)(struct store_tx *tx, const struct notify_prefs *p, int64_t old_version,
			 struct err *e);

	/* Record a queued notification (id set). */
	int (*sent_insert)(struct store_tx *tx, struct notify_sent *s, struct err *e);
	/* The ticket's highest seq (0: none) and the Message-ID of the latest
	 * notification to user_id on it ("" when none). */
	int (*sent_last)(struct store_tx *tx, int64_t ticket_id, int64_t user_id, int64_t *seq,
			 char msgid[NOTIFY_MSGID_MAX + 1], struct err *e);
	/* The key of the ticket the notification msgid went out for (a
	 * Message-ID itsm sent) and, when to is not NULL, the address it was
	 * sent to into to (to_size bytes; its user's address now for a row
	 * written before the address was kept); ERR_NOT_FOUND when none. */
	int (*sent_ticket)(struct store *st, struct store_tx *tx, const char *msgid,
			   char key[24], char *to, size_t to_size, struct err *e);

	/* The name of each active user whose groups hold group, in id order. */
	int (*group_members)(struct store_tx *tx, const char *group, store_notify_user_fn fn,
			     void *ctx, struct err *e);
};

#endif
