/*
 * tests/unit/domain/mail/dsn.c — reading delivery status notifications
 * (dsn.c): the first failed recipient of the message/delivery-status
 * fields, folded lines, brackets and CRLF; and a whole report through
 * mail_parse with the reported message's Message-ID from each kind of
 * returned part. (What becomes of a bounce is tests/api/notify.test.mjs.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/mail/dsn.h"
#include "domain/mail/mime.h"

static void fields(const char *text, struct mail_dsn *d)
{
	memset(d, 0, sizeof(*d));
	mail_dsn_fields(text, strlen(text), d);
}

static void first_failed(void **state)
{
	struct mail_dsn d;

	/* the per-message block, a delivered recipient, then two failed: the
	 * first failed one, its Status cut at the first non-digit, the folded
	 * Diagnostic-Code joined with one space */
	fields("Reporting-MTA: dns; mx.example\r\n\r\n"
	       "Final-Recipient: rfc822; ok@example.com\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
	       "Final-Recipient: RFC822; <Alice@Example.COM>\r\nAction: Failed\r\n"
	       "Status: 5.1.1 (unknown user)\r\nDiagnostic-Code: smtp; 550 no such\r\n"
	       "\t  user here\r\n\r\n"
	       "Final-Recipient: rfc822; bob@example.com\r\nAction: failed\r\nStatus: 5.2.2\r\n",
	       &d);
	assert_string_equal(d.recipient, "alice@example.com");
	assert_string_equal(d.status, "5.1.1");
	assert_string_equal(d.diagnostic, "smtp; 550 no such user here");
}

static void none_failed(void **state)
{
	struct mail_dsn d;

	fields("Final-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.7\n", &d);
	assert_string_equal(d.recipient, "");
	fields("", &d);
	assert_string_equal(d.recipient, "");
	/* a failed block without any recipient names nobody */
	fields("Action: failed\nStatus: 5.0.0\n", &d);
	assert_string_equal(d.recipient, "");
}

static void original_recipient_and_controls(void **state)
{
	struct mail_dsn d;

	/* Original-Recipient when Final-Recipient is missing; LF line ends; a
	 * control character in the diagnostic becomes a space (one line) */
	fields("Original-Recipient: rfc822;carol@example.com\nAction: failed\n"
	       "Status: 5.7.1\nDiagnostic-Code: smtp; 554 \x01rejected\n",
	       &d);
	assert_string_equal(d.recipient, "carol@example.com");
	assert_string_equal(d.status, "5.7.1");
	assert_string_equal(d.diagnostic, "smtp; 554  rejected");
}

static const char *report(const char *returned_type, const char *returned)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf),
		 "From: MAILER-DAEMON@mx.example\r\nTo: desk@itsm.example\r\n"
		 "Subject: Undelivered\r\nMessage-ID: <dsn1@mx.example>\r\nMIME-Version: 1.0\r\n"
		 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n"
		 "\r\n--B\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n"
		 "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
		 "Reporting-MTA: dns; mx.example\r\n\r\n"
		 "Final-Recipient: rfc822; alice@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
		 "\r\n--B\r\nContent-Type: %s\r\n\r\n%s\r\n--B--\r\n",
		 returned_type, returned);
	return buf;
}

static void whole_reports(void **state)
{
	struct mail_parsed p;
	struct err e = { 0 };
	const char *raw;

	raw = report("text/rfc822-headers",
		     "From: desk@itsm.example\r\nMessage-ID:\r\n <ticket-INC-4.2@itsm.example>\r\n"
		     "Subject: x\r\n");
	assert_int_equal(mail_parse(raw, strlen(raw), &p, &e), 0);
	assert_true(p.dsn.report);
	assert_true(p.automatic); /* still a robot's mail */
	assert_string_equal(p.dsn.recipient, "alice@example.com");
	assert_string_equal(p.dsn.original_id, "ticket-INC-4.2@itsm.example");
	mail_parsed_release(&p);

	raw = report("message/rfc822", "From: desk@itsm.example\r\n"
					"Message-ID: <ticket-INC-5.1@itsm.example>\r\n"
					"Subject: x\r\n\r\nbody\r\n");
	assert_int_equal(mail_parse(raw, strlen(raw), &p, &e), 0);
	assert_string_equal(p.dsn.original_id, "ticket-INC-5.1@itsm.example");
	assert_string_equal(p.dsn.status, "5.1.1");
	mail_parsed_release(&p);

	/* a person's message: nothing of a report */
	raw = "From: alice@example.com\r\nSubject: hi\r\nMessage-ID: <m@x>\r\n\r\nhello\r\n";
	assert_int_equal(mail_parse(raw, strlen(raw), &p, &e), 0);
	assert_false(p.dsn.report);
	assert_string_equal(p.dsn.recipient, "");
	mail_parsed_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_failed),
		cmocka_unit_test(none_failed),
		cmocka_unit_test(original_recipient_and_controls),
		cmocka_unit_test(whole_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
