/*
 * changes.c — announcements between the servers of one store. See
 * changes.h.
 *
 * Topics: "ticket" is "<audience> <notice JSON>", published to the live
 * change stream; "token" is the bearer check's (token_announce).
 */
#include "domain/platform/changes.h"
#include "domain/platform/token.h"
#include "lib/bus.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int changes_ticket(struct store_tx *tx, int64_t audience, const char *text, struct err *e)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%" PRId64 " %s", audience, text);
	return tx->st->ops->announce(tx, "ticket", msg, e);
}

static void heard(const char *topic, const char *text, void *ctx)
{
	(void)ctx;
	if (!topic || !strcmp(topic, "token")) {
		token_heard(text); /* NULL: some may have been missed */
	} else if (!strcmp(topic, "ticket")) {
		char *end;
		long long audience = strtoll(text, &end, 10);

		if (*end == ' ')
			bus_publish("ticket", audience, end + 1);
	}
}

int changes_follow(struct store *st, struct err *e)
{
	return st->ops->follow(st, heard, NULL, e);
}
