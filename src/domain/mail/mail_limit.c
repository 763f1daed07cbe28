/*
 * mail_limit.c — the per-sender hourly limit on tickets opened by mail
 * (mail.sender_hourly_limit; see mail.h).
 *
 * The count is read from the stored messages, inside the write that would
 * open the ticket: it holds across restarts and across several servers on
 * one store, and a message over the limit is recorded as ignored, never a
 * ticket and never answered (two systems answering each other is how a
 * mail loop starts). 0 turns the limit off.
 */
#include "domain/mail/mail.h"
#include "store/store.h"
#include "store/store_mail.h"

#include <stdio.h>

static long sender_hourly_limit = MAIL_SENDER_HOURLY_LIMIT_DEFAULT;

int mail_limit_set(long per_hour, struct err *e)
{
	if (per_hour < 0)
		return err_set(e, ERR_INVALID, "mail.sender_hourly_limit",
			       "mail.sender_hourly_limit: %ld is negative", per_hour);
	sender_hourly_limit = per_hour;
	return 0;
}

long mail_limit_get(void)
{
	return sender_hourly_limit;
}

int mail_limit_check(struct store_tx *tx, const char *addr, int64_t now, char *reason,
		     size_t reason_size, struct err *e)
{
	struct store *st = tx->st;
	int64_t n = 0;
	int rc;

	if (sender_hourly_limit <= 0)
		return 0;
	if ((rc = st->ops->mail->sender_created_since(st, tx, addr, now - 3600 + 1, &n, e)))
		return rc;
	if (n < sender_hourly_limit)
		return 0;
	snprintf(reason, reason_size,
		 "rate limit: the sender opened %lld tickets by mail in the last hour "
		 "(mail.sender_hourly_limit = %ld)",
		 (long long)n, sender_hourly_limit);
	return 1;
}
