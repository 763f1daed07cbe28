/*
 * tests/unit/domain/mail/imap.c — what imap.c reads of a server's replies
 * (UIDVALIDITY, SEARCH), hostile ones included, and the [imap.NAME]
 * options it takes and refuses. (Polling a real server is
 * tests/api/imap.test.mjs, against Dovecot.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/mail/imap.c"

static void reads_uidvalidity(void **state)
{
	int64_t v = 0;

	assert_int_equal(reply_number("* STATUS INBOX (UIDVALIDITY 1796306577)\r\n", "UIDVALIDITY", &v),
			 0);
	assert_int_equal(v, 1796306577);
	/* A word that only starts the same is passed over. */
	assert_int_equal(reply_number("* STATUS X (UIDVALIDITYX 5 UIDVALIDITY 7)\r\n", "UIDVALIDITY",
				      &v),
			 0);
	assert_int_equal(v, 7);
	/* Absent, zero, not a number, over 32 bits (2^32 = 4294967296). */
	assert_int_equal(reply_number("* STATUS INBOX (MESSAGES 3)\r\n", "UIDVALIDITY", &v), -1);
	assert_int_equal(reply_number("* STATUS INBOX (UIDVALIDITY 0)", "UIDVALIDITY", &v), -1);
	assert_int_equal(reply_number("* STATUS INBOX (UIDVALIDITY x)", "UIDVALIDITY", &v), -1);
	assert_int_equal(reply_number("(UIDVALIDITY 4294967296)", "UIDVALIDITY", &v), -1);
	assert_int_equal(reply_number("(UIDVALIDITY 4294967295)", "UIDVALIDITY", &v), 0);
	assert_int_equal(v, 4294967295);
	assert_int_equal(reply_number("", "UIDVALIDITY", &v), -1);
}

static void reads_search(void **state)
{
	struct err e = { 0 };
	int64_t *u = NULL;
	size_t n = 0;

	/* "UID m:*" answers the highest UID even when it is below m: passed
	 * over; the rest sorted. */
	assert_int_equal(search_uids("* SEARCH 9 4 7 3\r\n", 4, &u, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(u[0], 4);
	assert_int_equal(u[1], 7);
	assert_int_equal(u[2], 9);
	free(u);
	/* An empty answer; other untagged lines ignored. */
	assert_int_equal(search_uids("* SEARCH\r\n* 3 EXISTS\r\n", 1, &u, &n, &e), 0);
	assert_int_equal(n, 0);
	free(u);
	assert_int_equal(search_uids("", 1, &u, &n, &e), 0);
	assert_int_equal(n, 0);
	/* Hostile: letters, a zero, 2^32, a minus sign. */
	assert_int_equal(search_uids("* SEARCH 1 2x\r\n", 1, &u, &n, &e), ERR_INVALID);
	assert_null(u);
	assert_int_equal(search_uids("* SEARCH 0\r\n", 1, &u, &n, &e), ERR_INVALID);
	assert_int_equal(search_uids("* SEARCH 4294967296\r\n", 1, &u, &n, &e), ERR_INVALID);
	assert_int_equal(search_uids("* SEARCH -1\r\n", 1, &u, &n, &e), ERR_INVALID);
	/* Many: 1000 UIDs, 1000..1 descending, from 501: 500 of them. */
	{
		struct buf b = BUF_INIT;

		buf_puts(&b, "* SEARCH");
		for (int i = 1000; i >= 1; i--)
			buf_printf(&b, " %d", i);
		buf_puts(&b, "\r\n");
		assert_int_equal(search_uids(buf_str(&b), 501, &u, &n, &e), 0);
		assert_int_equal(n, 500);
		assert_int_equal(u[0], 501);
		assert_int_equal(u[499], 1000);
		free(u);
		buf_release(&b);
	}
}

static void options(void **state)
{
	struct imap_mailboxes set = { 0 };
	struct err e = { 0 };

	assert_int_equal(imap_mailboxes_add(&set, "support.url", "imaps://mail.example.com:993", &e), 0);
	assert_int_equal(imap_mailboxes_add(&set, "support.user", "desk", &e), 0);
	/* incomplete: no password_file */
	assert_int_equal(imap_mailboxes_check(&set, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "password_file"));
	assert_int_equal(imap_mailboxes_add(&set, "support.password_file", "/etc/pw", &e), 0);
	assert_int_equal(imap_mailboxes_check(&set, &e), 0);
	assert_string_equal(set.at[0].folder, "INBOX");
	assert_int_equal(set.at[0].interval, 60);
	assert_int_equal(set.at[0].after, IMAP_AFTER_SEEN);
	/* move needs move_to, and not the folder polled */
	assert_int_equal(imap_mailboxes_add(&set, "support.after", "move", &e), 0);
	assert_int_equal(imap_mailboxes_check(&set, &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.move_to", "INBOX", &e), 0);
	assert_int_equal(imap_mailboxes_check(&set, &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.move_to", "Done", &e), 0);
	assert_int_equal(imap_mailboxes_check(&set, &e), 0);
	/* refused: other schemes, a path or user in the URL, folder names
	 * that cannot be quoted, bounds, unknown options */
	assert_int_equal(imap_mailboxes_add(&set, "support.url", "http://x", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.url", "imap://x/INBOX", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.url", "imap://u@x", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.url", "imap://", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.url", "imap://x y", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.folder", "a\"b", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.folder", "a\\b", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.folder", "a%b", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.folder", "a\rb", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.folder", "", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.interval", "0", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.interval", "86401", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.after", "delete", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "support.host", "x", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "url", "imap://x", &e), ERR_INVALID);
	assert_int_equal(imap_mailboxes_add(&set, "bad name.url", "imap://x", &e), ERR_INVALID);
	/* the first mailbox unchanged by the refusals */
	assert_string_equal(set.at[0].url, "imaps://mail.example.com:993");
	assert_string_equal(set.at[0].folder, "INBOX");
	assert_int_equal(set.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_uidvalidity),
		cmocka_unit_test(reads_search),
		cmocka_unit_test(options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
