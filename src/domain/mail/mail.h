/*
 * mail.h — e-mail in: one received message becomes a ticket, a comment on
 * the ticket it answers, or a record of why it became neither.
 *
 * Invariants kept here and nowhere else:
 *  - a Message-ID is stored once: the same message delivered again (an MTA
 *    retrying, a forwarder resending) is answered "duplicate" and changes
 *    nothing;
 *  - a message from a robot (autoresponder, list, bounce) never opens or
 *    touches a ticket; it is stored as "ignored";
 *  - the sender is the user whose e-mail address is the From address, and
 *    acts with exactly that user's rights: a reply to a ticket the sender
 *    may not see is refused as "not found" and recorded as "refused";
 *  - the ticket or comment, the message record and their audit records are
 *    written in one transaction: nothing is half-stored.
 */
#ifndef ITSM_MAIL_H
#define ITSM_MAIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"
#include "model/mail.h"

struct store;

/* The default of mail.max_size: the largest message taken, in bytes. */
#define MAIL_MAX_SIZE_DEFAULT (10L * 1024 * 1024)

/* The configuration. mail.queue_kinds: "support=request,ops=incident", a
 * queue's name and the kind of ticket its new messages open (unnamed
 * queues open incidents). mail.customer_domains: "acme.example=acme,…",
 * the customer a new message from an address no user has opens its ticket
 * for, by the address's domain (none: such mail is refused). Call at
 * start; ERR_INVALID naming the option at fault, nothing changed. */
int mail_config_set(const char *queue_kinds, const char *customer_domains, struct err *e);
/* The kind a new message to queue opens ("incident" unless configured). */
const char *mail_queue_kind(const char *queue);
/* The customer key configured for the domain of addr, or NULL. */
const char *mail_domain_customer(const char *addr);

/* The default of mail.sender_hourly_limit. */
#define MAIL_SENDER_HOURLY_LIMIT_DEFAULT 20

/* mail.sender_hourly_limit (mail_limit.c): at most per_hour messages from
 * one sender open tickets in any hour (the last 3600 seconds, counted from
 * the stored messages); more are stored as "ignored" with the reason. 0:
 * no limit. ERR_INVALID when negative. Call at start. */
int mail_limit_set(long per_hour, struct err *e);
long mail_limit_get(void);
struct store_tx;
/* Inside the write that would open a ticket for a message from addr at
 * now: 1 with reason filled when the sender is over the limit, 0 when
 * not, or the store's failure. */
int mail_limit_check(struct store_tx *tx, const char *addr, int64_t now, char *reason,
		     size_t reason_size, struct err *e);

/* Where a polled message came from (imap.c): remembered in the same write
 * as the message, so it is taken once. */
struct mail_origin {
	const char *mailbox; /* the [imap.NAME] name */
	int64_t uidvalidity;
	int64_t uid;
};

struct mail_receipt {
	enum mail_outcome outcome;
	int duplicate;           /* stored before: nothing changed */
	int64_t id;              /* the message's record */
	char ticket[24];         /* the ticket it opened or answered, "" if none */
	int64_t comment_id;
	char reason[MAIL_REASON_MAX + 1]; /* why refused, ignored, or a new ticket */
};

/* Receive the n bytes of raw for queue (NULL or "": the default queue),
 * delivered by a (the CLI's system actor, an admin, or a staff member's
 * event-scoped token — anyone else is ERR_FORBIDDEN; recorded as "via"). 0 with r filled for every message stored (created,
 * commented, refused, ignored) or found a duplicate; ERR_INVALID (field
 * "message", nothing stored) for bytes that are not a message; a failure of
 * the store as the store reports it (ERR_BUSY when it is busy or out of
 * reach: the sender should retry). */
int mail_receive(struct store *st, const struct actor *a, const char *queue, const void *raw,
		 size_t n, struct mail_receipt *r, struct err *e);
/* mail_receive of a message polled from origin (NULL: as mail_receive):
 * the message and (mailbox, UIDVALIDITY, UID) are remembered in one
 * write, a duplicate's origin too. Bytes that are not a message are
 * ERR_INVALID and their origin is not remembered (the caller skips them
 * with mail_origin_skip). */
int mail_receive_at(struct store *st, const struct actor *a, const char *queue, const void *raw,
		    size_t n, const struct mail_origin *origin, struct mail_receipt *r,
		    struct err *e);
/* Remember origin as taken without a message (bytes that are not one). */
int mail_origin_skip(struct store *st, const struct mail_origin *origin, struct err *e);
json_t *mail_receipt_json(const struct mail_receipt *r);

/* The messages of ticket ref, for whoever may see the ticket:
 * {"items": [...]} oldest first, without the raw text. */
int mail_ticket_list_json(struct store *st, const struct actor *a, const char *ref,
			  json_t **out, struct err *e);
/* The raw message id, for staff: into *raw (*n bytes), the caller frees. */
int mail_raw_get(struct store *st, const struct actor *a, int64_t id, unsigned char **raw,
		 size_t *n, struct err *e);
json_t *mail_message_to_json(const struct mail_message *m);

/* What the audit log holds of a stored message ("mail:<id>"): its
 * mail_message_to_json form and raw_sha256, the hex SHA-256 of its raw
 * bytes (the record also says "via", who delivered it, which the store
 * does not keep: mail_state_keys lists the keys held). */
json_t *mail_state_json(const struct mail_message *m, const char *raw_sha256);
extern const char *const mail_state_keys[];
/* Every stored message in that form, for audit_verify; raw bytes are
 * hashed again, so a raw message changed in the store is caught. */
int mail_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
