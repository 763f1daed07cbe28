/*
 * fuzz/mail_message.c — libFuzzer target: a received message read by
 * mail_parse (GMime, then our charset and HTML handling), and the text
 * functions it uses, on arbitrary bytes. Seeds: the messages of
 * tests/api/fixtures/mail/ (ISO-2022-JP, Shift_JIS, EUC-JP, quoted-printable,
 * base64, HTML only, robots, malformed).
 *
 * Beyond memory safety it checks the invariants of mime.h and
 * mail_text.h: a parse either fails with ERR_INVALID naming "message" (or
 * runs out of memory) or hands out a sender address with an '@' in lower
 * case, and header values (a delivery status report's fields too) without
 * control characters; every text is
 * well-formed UTF-8 without NUL; HTML to text never grows past three bytes
 * per input byte (U+FFFD for a stray byte), and never lets through the
 * content of a script element.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/mail/mail_text.h"
#include "domain/mail/mime.h"
#include "lib/utf8.h"
#include "support/fuzz_check.h"

static void check_line(const char *s)
{
	CHECK(utf8_valid(s, strlen(s)));
	for (const char *p = s; *p; p++)
		CHECK((unsigned char)*p >= 0x20 && *p != 0x7F);
}

static void check_text(const char *s)
{
	CHECK(s != NULL);
	CHECK(utf8_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { "iso-2022-jp", "shift_jis", "euc-jp", "utf-8",
						"iso-8859-1", "x-unknown", "" };
	const char *text = (const char *)data;
	struct mail_parsed p;
	struct err e = { 0 };
	char *s, *h;
	int rc;

	if (size > 256 * 1024)
		return 0;
	rc = mail_parse(text, size, &p, &e);
	if (rc) {
		CHECK(rc == ERR_INVALID || rc == ERR_INTERNAL);
		CHECK(rc != ERR_INVALID || !strcmp(e.field, "message"));
	} else {
		CHECK(strchr(p.from_addr, '@'));
		for (const char *c = p.from_addr; *c; c++)
			CHECK(!isupper((unsigned char)*c));
		check_line(p.from_addr);
		check_line(p.from_name);
		check_line(p.subject);
		check_line(p.message_id);
		CHECK(p.nrefs >= 0 && p.nrefs <= MAIL_REFS_MAX);
		for (int i = 0; i < p.nrefs; i++)
			check_line(p.refs[i]);
		check_text(p.text);
		CHECK(p.automatic == (p.automatic_why[0] != '\0'));
		/* a delivery status report's findings (dsn.h): one line each,
		 * and none without a report */
		check_line(p.dsn.recipient);
		check_line(p.dsn.status);
		check_line(p.dsn.diagnostic);
		check_line(p.dsn.original_id);
		CHECK(p.dsn.report || (!p.dsn.recipient[0] && !p.dsn.original_id[0]));
	}
	mail_parsed_release(&p);

	s = mail_html_to_text(text, size);
	check_text(s);
	CHECK(strlen(s) <= 3 * size);
	free(s);
	/* A script's content never comes through, whatever surrounds it. */
	if (size < 4096 && !memchr(text, '<', size) && !memchr(text, '&', size)) {
		size_t n = size + 40;
		char *doc = malloc(n);

		memcpy(doc, "x<script>", 9);
		memcpy(doc + 9, text, size);
		memcpy(doc + 9 + size, "</script>y", 10);
		s = mail_html_to_text(doc, size + 19);
		CHECK(!strcmp(s, "xy"));
		free(s);
		free(doc);
	}

	s = mail_to_utf8(text, size, charsets[size % (sizeof(charsets) / sizeof(charsets[0]))]);
	check_text(s);
	free(s);

	h = malloc(size + 1);
	memcpy(h, text, size);
	h[size] = '\0';
	s = mail_header_decode(h);
	check_line(s);
	free(s);
	free(h);
	return 0;
}
