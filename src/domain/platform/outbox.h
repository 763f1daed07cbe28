/*
 * outbox.h — the persistent outbox of escalation notices, and the rules for
 * where a notice may go.
 *
 * A notice is queued inside the write that caused it (so it exists iff the
 * event does) and delivered later by a pass that runs outside any write:
 * webhooks get an HTTP POST of the JSON payload (2xx = sent) through
 * lib/netguard.h (public addresses only unless outbound.allow names them,
 * pinned, no redirects); "mailto:" targets go by SMTP when mail.smtp_url is
 * set (lib/smtp.h), else become a message on the standard input of the
 * configured mail command (mail.sendmail, run without a shell by
 * lib/proc.h), else are marked undeliverable. A payload holding "message"
 * is a whole notification (domain/notify/) and is sent as it is. A target the rules refuse
 * is undeliverable at once; another failure is retried with exponential
 * backoff (30 s doubling, at most 1 h apart) up to OUTBOX_MAX_ATTEMPTS, then
 * marked failed. Delivery is at-least-once: a notice in flight when the
 * process stops is sent again.
 *
 * A target is checked where it is defined (outbox_target_check, no DNS)
 * and again when it is sent (with DNS): no control character anywhere
 * (no CR/LF to start a header), http(s) to a public host, or mailto: one
 * plain address.
 */
#ifndef ITSM_OUTBOX_H
#define ITSM_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;
struct store_tx;

#define OUTBOX_MAX_ATTEMPTS 8
#define OUTBOX_ADDRESS_MAX 254 /* an e-mail address (RFC 5321's path limit) */

/* May a notice go to target? "https://…", "http://…" (netguard_url_check:
 * no DNS yet) or "mailto:ADDRESS" with one plain address: local@domain, the
 * local part of letters, digits and !#$&'*+/=^_`{}~.- (no '%' or '?', so
 * nothing of a mailto: URI's encoding or headers), at most 64 bytes, the
 * domain of letters, digits, '-' and '.', at most 254 bytes in all, not
 * starting with '-'. Returns 0 or ERR_INVALID with why (no field). */
int outbox_target_check(const char *target, struct err *e);

/* The mail command (mail.sendmail): a command line split by proc_split, its
 * program an absolute path to an executable file; the message goes to its
 * standard input with the recipient in a To: header (so: sendmail -i -t).
 * "" turns mail off (mailto: notices are undeliverable). Call at start,
 * before any delivery. */
int outbox_mail_command_set(const char *line, struct err *e);

/* Whether mailto: notices can go anywhere: mail.smtp_url or mail.sendmail
 * is set. */
int outbox_mail_ready(void);

int outbox_queue(struct store_tx *tx, const char *target, const json_t *payload, int64_t now,
		 struct err *e);
/* Deliver every pending notice due at now; counts in *sent and *failed
 * (failed attempts, retried later or given up). The pass's mail goes over
 * one SMTP connection where the server keeps it; each notice keeps its
 * own outcome and its own recorded result. */
int outbox_deliver(struct store *st, int64_t now, int64_t *sent, int64_t *failed,
		   struct err *e);
/* Admins: {"items":[…]} newest first; query state, limit. */
int outbox_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		     struct err *e);

#endif
