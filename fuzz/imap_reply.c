/*
 * fuzz/imap_reply.c — libFuzzer target: what imap.c reads of an IMAP
 * server's replies (the number after UIDVALIDITY, the UIDs of "* SEARCH"
 * lines) and the [imap.NAME] options, on arbitrary bytes. Seeds: replies
 * Dovecot gives and hostile ones.
 *
 * Beyond memory safety it checks imap.c's invariants: a UIDVALIDITY read
 * is from 1 to 2^32 - 1; SEARCH either fails with ERR_INVALID and hands
 * out nothing, or hands out UIDs from 1 to 2^32 - 1, at or above the
 * lower bound, in ascending order; an option either is taken or refused
 * with ERR_INVALID, and a mailbox taken has a name and a folder that can
 * be quoted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/mail/imap.c"
#include "domain/mail/imap_config.c"
#include "support/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct imap_mailboxes set = { 0 };
	struct err e = { 0 };
	int64_t v = 0, *u = NULL, from;
	size_t n = 0;
	char *value;
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (!reply_number(text, "UIDVALIDITY", &v))
		CHECK(v >= 1 && v <= 4294967295LL);

	from = size ? (int64_t)data[0] * 1000 : 1;
	rc = search_uids(text, from, &u, &n, &e);
	if (rc) {
		CHECK(rc == ERR_INVALID || rc == ERR_INTERNAL);
		CHECK(u == NULL && n == 0);
	} else {
		for (size_t i = 0; i < n; i++) {
			CHECK(u[i] >= 1 && u[i] <= 4294967295LL && u[i] >= from);
			CHECK(i == 0 || u[i - 1] <= u[i]);
		}
	}
	free(u);

	/* "KEY=VALUE": one option */
	value = strchr(text, '=');
	if (value) {
		*value++ = '\0';
		rc = imap_mailboxes_add(&set, text, value, &e);
		CHECK(rc == 0 || rc == ERR_INVALID);
		for (int i = 0; i < set.n; i++) {
			CHECK(set.at[i].name[0]);
			CHECK(folder_ok(set.at[i].folder));
			CHECK(!set.at[i].move_to[0] || folder_ok(set.at[i].move_to));
			CHECK(!set.at[i].url[0] || url_ok(set.at[i].url));
		}
	}
	free(text);
	return 0;
}
