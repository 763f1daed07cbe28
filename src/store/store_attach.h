/*
 * store_attach.h — the store operations of attachments and ticket links
 * (see store.h): a file's bytes stored once by their SHA-256, the
 * attachments that name them, and the links between tickets.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Attachments handed out are
 * released with attachment_release (model/attach.h), arrays with
 * attach_free; link arrays with free().
 *
 * Invariants the backend keeps: one row of bytes per digest; a stored
 * attachment and its bytes never change and are never deleted; a ticket has
 * at most one parent and is the duplicate of at most one ticket (a second
 * insert is ERR_CONFLICT); no link joins a ticket to itself.
 */
#ifndef ITSM_STORE_ATTACH_H
#define ITSM_STORE_ATTACH_H

#include "model/attach.h"
#include "store/store.h"

/* A stored attachment with its bytes, for the audit scan. Return 0 to go
 * on, >0 to stop, <0 on error. */
typedef int (*store_attach_fn)(const struct attachment *a, void *ctx);

struct store_attach_ops {
	/* Store the bytes under their digest, unless stored already (then
	 * nothing is written: *stored 0, else 1). */
	int (*blob_put)(struct store_tx *tx, const char *sha256, const void *data, size_t n,
			int64_t at, int *stored, struct err *e);
	/* Insert a (id set on success); the bytes must be stored. */
	int (*insert)(struct store_tx *tx, struct attachment *a, struct err *e);
	/* By id, with the bytes when with_data; ERR_NOT_FOUND when none. */
	int (*get)(struct store *st, struct store_tx *tx, int64_t id, int with_data,
		   struct attachment *a, struct err *e);
	/* The attachments of ticket_id in id order (public ones only unless
	 * include_internal), without their bytes. */
	int (*list_for_ticket)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			       int include_internal, struct attachment **out, size_t *n,
			       struct err *e);
	/* The number of rows of bytes stored (how many contents). */
	int (*blob_count)(struct store *st, int64_t *n, struct err *e);
	/* Every attachment with its bytes as stored now, in id order, in one
	 * read state (audit_verify). */
	int (*scan)(struct store *st, store_attach_fn fn, void *ctx, struct err *e);

	/* Links. */
	int (*link_insert)(struct store_tx *tx, struct ticket_link *l, struct err *e);
	int (*link_get)(struct store *st, struct store_tx *tx, int64_t id, struct ticket_link *l,
			struct err *e);
	int (*link_delete)(struct store_tx *tx, int64_t id, struct err *e);
	/* Every link either end of which is ticket_id, in id order. */
	int (*links_of)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			struct ticket_link **out, size_t *n, struct err *e);
	/* The parent of ticket_id into *parent (0 when none). */
	int (*parent_of)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			 int64_t *parent, struct err *e);
};

#endif
