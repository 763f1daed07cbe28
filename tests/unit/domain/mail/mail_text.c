/*
 * tests/unit/domain/mail/mail_text.c — what received mail turns into text:
 * HTML into what a reader sees (no script or style, entities decoded,
 * whitespace as a browser collapses it), charsets into UTF-8 with the
 * fallbacks Japanese mail needs, RFC 2047 header decoding, and the
 * parser's refusals. Every expected string is written out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/mail/mail_text.h"
#include "domain/mail/mime.h"

static void html_is(const char *html, const char *want)
{
	char *got = mail_html_to_text(html, strlen(html));

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void html_drops_script_style_head(void **state)
{
	html_is("<html><head><title>T</title><style>p{x:y}</style></head>"
		"<body><script type=\"text/javascript\">alert('<b>x</b>')</script>Hi</body></html>",
		"Hi");
	/* A script's text that looks like a closing tag of another element. */
	html_is("<SCRIPT>var s = \"</div>\";</SCRIPT>after", "after");
	/* A comment, and one never closed (everything after it is the comment). */
	html_is("a<!-- <script>x</script> -->b", "ab");
	html_is("a<!-- open", "a");
}

static void html_decodes_entities(void **state)
{
	html_is("&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos;", "<b> & \"q\" 'a'");
	/* &#12354; is あ (U+3042), &#x3001; is 、 (U+3001), &yen; is ¥. */
	html_is("&#12354;&#x3001;&yen;100", "\xE3\x81\x82\xE3\x80\x81\xC2\xA5" "100");
	/* &nbsp; is a space; an unknown entity stays as written; a bare &. */
	html_is("a&nbsp;b &bogus; c & d", "a b &bogus; c & d");
	/* A code point that is not a character: U+FFFD. */
	html_is("&#xD800;&#0;&#x110000;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void html_collapses_and_breaks(void **state)
{
	html_is("  one\n\t two   three  ", "one two three");
	html_is("<p>first</p><p>second</p>", "first\n\nsecond");
	html_is("line<br>next<br/>last", "line\nnext\nlast");
	html_is("<ul><li>a</li><li>b</li></ul>", "a\nb");
	html_is("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "1 2\n3");
	/* At most one blank line in a row, none at the ends. */
	html_is("<br><br><br>x<br><br><br><br>y<br><br>", "x\n\ny");
	/* A '<' that opens no tag is text; a tag's '>' inside quotes is not its end. */
	html_is("1 < 2 <a title=\"x > y\">link</a>", "1 < 2 link");
}

static void html_keeps_utf8_valid(void **state)
{
	/* A stray byte 0xFF and a NUL: U+FFFD and nothing. */
	const char in[] = { 'a', (char)0xFF, 'b', 0, 'c' };
	char *got = mail_html_to_text(in, sizeof(in));

	assert_string_equal(got, "a\xEF\xBF\xBD" "bc");
	free(got);
}

static void charset_is(const char *bytes, size_t n, const char *cs, const char *want)
{
	char *got = mail_to_utf8(bytes, n, cs);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void charsets_japanese(void **state)
{
	/* テスト in each: ISO-2022-JP (ESC $ B 25 46 25 39 25 48 ESC ( B),
	 * Shift_JIS (83 65 83 58 83 67), EUC-JP (A5 C6 A5 B9 A5 C8). */
	static const char jis[] = "\x1b$B%F%9%H\x1b(B";
	static const char sjis[] = "\x83\x65\x83\x58\x83\x67";
	static const char euc[] = "\xA5\xC6\xA5\xB9\xA5\xC8";
	const char *test_utf8 = "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88";

	charset_is(jis, strlen(jis), "ISO-2022-JP", test_utf8);
	charset_is(sjis, strlen(sjis), "Shift_JIS", test_utf8);
	charset_is(euc, strlen(euc), "EUC-JP", test_utf8);
	charset_is(test_utf8, strlen(test_utf8), "utf-8", test_utf8);
}

static void charsets_cp932_extensions(void **state)
{
	/* ① is JIS row 13 (2D 21): not in JIS X 0208, so iconv refuses it as
	 * ISO-2022-JP; CP932 has it at 87 40, and it is U+2460 (E2 91 A0). */
	static const char jis[] = "\x1b$B-!\x1b(B";
	static const char sjis[] = "\x87\x40";

	charset_is(jis, strlen(jis), "iso-2022-jp", "\xE2\x91\xA0");
	charset_is(sjis, strlen(sjis), "shift_jis", "\xE2\x91\xA0");
}

static void jis_to_sjis_arithmetic(void **state)
{
	/* 0x2422 (あ) -> 0x82A0; 0x2D21 (①) -> 0x8740; 0x5F21 -> 0xE040
	 * (row 63: s1 = (0x5F-0x21)/2 + 0x81 = 0xA0, + 0x40 = 0xE0; odd row:
	 * s2 = 0x21 + 0x1F = 0x40); 0x3022 (亜... even row 0x30: s2 = 0x22 + 0x7E
	 * = 0xA0, s1 = (0x30-0x21)/2 + 0x81 = 0x88). */
	size_t n;
	char *out = mail_jis_to_sjis("\x1b$B$\"-!_!0\"\x1b(Bx", 15, &n);

	assert_int_equal(n, 9);
	assert_memory_equal(out, "\x82\xA0\x87\x40\xE0\x40\x88\xA0x", 9);
	free(out);
}

static void charsets_unknown_and_broken(void **state)
{
	/* Unknown label, bytes that are UTF-8: kept. Bytes that are nothing:
	 * U+FFFD each, never dropped silently, never invalid UTF-8 out. */
	charset_is("caf\xC3\xA9", 5, "x-unknown", "caf\xC3\xA9");
	charset_is("a\xFF\xFE", 3, "x-unknown", "a\xEF\xBF\xBD\xEF\xBF\xBD");
	/* ISO-8859-1 é (E9) as declared. */
	charset_is("caf\xE9", 4, "iso-8859-1", "caf\xC3\xA9");
}

static void header_decodes(void **state)
{
	char *s;

	/* =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= is テスト. */
	s = mail_header_decode("Re: =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= ok");
	assert_string_equal(s, "Re: \xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88 ok");
	free(s);
	/* Q encoding, _ as space; two adjacent encoded words join. */
	s = mail_header_decode("=?UTF-8?Q?Caf=C3=A9_ok?= =?UTF-8?Q?_yes?=");
	assert_string_equal(s, "Caf\xC3\xA9 ok yes");
	free(s);
	/* A CR or LF never survives into a one-line value. */
	s = mail_header_decode("=?UTF-8?Q?a=0D=0Ab?=");
	assert_null(strchr(s, '\n'));
	assert_null(strchr(s, '\r'));
	free(s);
}

static void words_is(const char *raw, const char *want)
{
	char *got = mail_words_decode(raw);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void header_words(void **state)
{
	/* ① in an ISO-2022-JP word: ESC $ B 2D 21 ESC ( B, base64
	 * GyRCLSEbKEI=; iconv refuses it as ISO-2022-JP, the fallback keeps it. */
	words_is("=?ISO-2022-JP?B?GyRCLSEbKEI=?=", "\xE2\x91\xA0");
	/* 月 (E6 9C 88) split across two UTF-8 words, folded: 5pyI = E6 9C 88,
	 * split as "5p" + "yI" would not be base64; split by bytes instead:
	 * =E6=9C and =88 in Q. Joined before conversion, it survives. */
	words_is("=?UTF-8?Q?=E6=9C?=\r\n =?utf-8?Q?=88?=", "\xE6\x9C\x88");
	/* White space between words goes; between a word and text it stays. */
	words_is("a =?UTF-8?Q?b?=  =?UTF-8?Q?c?= d", "a bc d");
	/* Not words: kept as written. Base64 without its padding is read. */
	words_is("=?UTF-8?X?abc?= =?UTF-8?B?not base64?=", "=?UTF-8?X?abc?= =?UTF-8?B?not base64?=");
	words_is("=?UTF-8?B?44GC?=", "\xE3\x81\x82");
	words_is("=?UTF-8?B?44GC44GE?=", "\xE3\x81\x82\xE3\x81\x84");
	/* 44E is E3 81, a character cut short: U+FFFD for each byte. */
	words_is("=?UTF-8?B?44GC44E?=", "\xE3\x81\x82\xEF\xBF\xBD\xEF\xBF\xBD");
	/* RFC 2231 language: =?UTF-8*ja?Q?...?=. */
	words_is("=?UTF-8*ja?Q?=E3=81=82?=", "\xE3\x81\x82");
	/* Undeclared 8-bit text: UTF-8 when it is, else CP932 (83 65 is テ). */
	words_is("caf\xC3\xA9", "caf\xC3\xA9");
	words_is("\x83\x65", "\xE3\x83\x86");
}

static void parse_refuses(void **state)
{
	struct mail_parsed p;
	struct err e = { 0 };
	static const char no_from[] = "Subject: x\r\n\r\nbody\r\n";
	static const char bad_from[] = "From: nobody\r\n\r\nbody\r\n";
	static const char junk[] = "\x01\x02 not a message";

	assert_int_equal(mail_parse(no_from, strlen(no_from), &p, &e), ERR_INVALID);
	assert_string_equal(e.field, "message");
	mail_parsed_release(&p);
	assert_int_equal(mail_parse(bad_from, strlen(bad_from), &p, &e), ERR_INVALID);
	mail_parsed_release(&p);
	assert_int_equal(mail_parse(junk, strlen(junk), &p, &e), ERR_INVALID);
	mail_parsed_release(&p);
	assert_int_equal(mail_parse("", 0, &p, &e), ERR_INVALID);
	mail_parsed_release(&p);
}

static void parse_reads_headers(void **state)
{
	static const char m[] =
		"From: \"Yamada\" <YAMADA@Example.JP>\r\n"
		"Subject: =?UTF-8?B?5pyI5qyh?=\r\n"
		"Message-ID: <m3@example.jp>\r\n"
		"In-Reply-To: <m2@example.jp>\r\n"
		"References: <m1@example.jp> <m2@example.jp>\r\n"
		"Precedence: bulk\r\n"
		"\r\n"
		"line one\r\nline two\r\n\r\n";
	struct mail_parsed p;
	struct err e = { 0 };

	assert_int_equal(mail_parse(m, strlen(m), &p, &e), 0);
	assert_string_equal(p.from_addr, "yamada@example.jp");
	assert_string_equal(p.from_name, "Yamada");
	/* 5pyI5qyh is base64 of E6 9C 88 E6 AC A1: 月次. */
	assert_string_equal(p.subject, "\xE6\x9C\x88\xE6\xAC\xA1");
	assert_string_equal(p.message_id, "m3@example.jp");
	/* In-Reply-To first, then References newest first, no repeats. */
	assert_int_equal(p.nrefs, 2);
	assert_string_equal(p.refs[0], "m2@example.jp");
	assert_string_equal(p.refs[1], "m1@example.jp");
	assert_true(p.automatic);
	assert_string_equal(p.automatic_why, "Precedence");
	assert_string_equal(p.text, "line one\nline two");
	mail_parsed_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_drops_script_style_head),
		cmocka_unit_test(html_decodes_entities),
		cmocka_unit_test(html_collapses_and_breaks),
		cmocka_unit_test(html_keeps_utf8_valid),
		cmocka_unit_test(charsets_japanese),
		cmocka_unit_test(charsets_cp932_extensions),
		cmocka_unit_test(jis_to_sjis_arithmetic),
		cmocka_unit_test(charsets_unknown_and_broken),
		cmocka_unit_test(header_decodes),
		cmocka_unit_test(header_words),
		cmocka_unit_test(parse_refuses),
		cmocka_unit_test(parse_reads_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
