/*
 * changes.c — announcements between the servers of one store. See
 * changes.h.
 *
 * Topics and their text: "ticket" is "<audience> <notice JSON>"; "token" is
 * "h:<hex hash>" or "u:<user id>".
 */
#include "domain/platform/changes.h"
#include "domain/platform/token.h"
#include "lib/bus.h"
#include "lib/log.h"

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

int changes_tokens(struct store_tx *tx, const uint8_t *hash, int64_t user_id, struct err *e)
{
	char msg[2 + 2 * TOKEN_HASH_LEN + 1] = "h:";

	if (hash)
		for (int i = 0; i < TOKEN_HASH_LEN; i++)
			snprintf(msg + 2 + 2 * i, 3, "%02x", hash[i]);
	else
		snprintf(msg, sizeof(msg), "u:%" PRId64, user_id);
	return tx->st->ops->announce(tx, "token", msg, e);
}

static void forget_tokens(const char *text)
{
	uint8_t hash[TOKEN_HASH_LEN];

	if (!strncmp(text, "u:", 2)) {
		token_cache_forget(NULL, strtoll(text + 2, NULL, 10));
		return;
	}
	if (strncmp(text, "h:", 2) || strlen(text + 2) != 2 * TOKEN_HASH_LEN)
		return;
	for (int i = 0; i < TOKEN_HASH_LEN; i++) {
		unsigned v;

		if (sscanf(text + 2 + 2 * i, "%2x", &v) != 1)
			return;
		hash[i] = (uint8_t)v;
	}
	token_cache_forget(hash, 0);
}

static void heard(const char *topic, const char *text, void *ctx)
{
	(void)ctx;
	if (!topic) {
		log_info("msg=\"announcements may have been missed: token cache cleared\"");
		token_cache_clear();
	} else if (!strcmp(topic, "token")) {
		forget_tokens(text);
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
