/*
 * tests/unit/domain/attach/attach_sniff.c — what a stored file is served
 * as: the type from its magic bytes (HTML never), the Content-Disposition
 * header with its two encodings of the name, the name tidied, and the
 * digest. Every expected string is worked out by hand in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/attach/attach.h"

static void sniffing(void **state)
{
	assert_string_equal(attach_sniff("\x89PNG\r\n\x1a\n....", 12), "image/png");
	assert_string_equal(attach_sniff("\xff\xd8\xff\xe0", 4), "image/jpeg");
	assert_string_equal(attach_sniff("GIF89a..", 8), "image/gif");
	assert_string_equal(attach_sniff("RIFF\x10\0\0\0WEBPVP8 ", 16), "image/webp");
	assert_string_equal(attach_sniff("RIFF\x10\0\0\0WAVEfmt ", 16), "application/octet-stream");
	assert_string_equal(attach_sniff("%PDF-1.7", 8), "application/pdf");
	assert_string_equal(attach_sniff("PK\x03\x04", 4), "application/zip");
	assert_string_equal(attach_sniff("\x1f\x8b\x08", 3), "application/gzip");
	/* HTML and SVG are text: served as text/plain, never rendered. */
	assert_string_equal(attach_sniff("<html><script>x</script></html>", 31),
			    "text/plain; charset=utf-8");
	assert_string_equal(attach_sniff("<svg onload=alert(1)>", 21), "text/plain; charset=utf-8");
	/* a NUL, a stray control byte, malformed UTF-8: octet-stream */
	assert_string_equal(attach_sniff("a\0b", 3), "application/octet-stream");
	assert_string_equal(attach_sniff("a\x1b[31m", 6), "application/octet-stream");
	assert_string_equal(attach_sniff("caf\xe9", 4), "application/octet-stream");
	assert_string_equal(attach_sniff("", 0), "application/octet-stream");
	assert_string_equal(attach_sniff("\xe7\x94\xbb\xe9\x9d\xa2\r\n", 8),
			    "text/plain; charset=utf-8");
}

static void disposition(void **state)
{
	struct buf b = BUF_INIT;

	assert_int_equal(attach_disposition("report.pdf", &b), 0);
	assert_string_equal(b.data, "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
	/* '"' 22, CR 0D, LF 0A, é C3 A9, space 20, ';' 3B, '%' 25; the fallback
	 * puts '_' for each byte outside printable ASCII and for '"' and '\'. */
	assert_int_equal(attach_disposition("a\"b\r\ncé x;%\\.txt", &b), 0);
	assert_string_equal(b.data, "attachment; filename=\"a_b__c__ x;%_.txt\"; "
				    "filename*=UTF-8''a%22b%0D%0Ac%C3%A9%20x%3B%25%5C.txt");
	buf_release(&b);
}

static void names(void **state)
{
	char out[ATTACH_FILENAME_MAX + 1];
	char longname[300];
	struct err e = { 0 };

	assert_int_equal(attach_filename("C:\\Users\\a\\photo.jpg", out, &e), 0);
	assert_string_equal(out, "photo.jpg");
	assert_int_equal(attach_filename("../../etc/passwd", out, &e), 0);
	assert_string_equal(out, "passwd");
	assert_int_equal(attach_filename("dir/", out, &e), ERR_INVALID);
	assert_string_equal(e.field, "filename");
	assert_int_equal(attach_filename("..", out, &e), ERR_INVALID);
	assert_int_equal(attach_filename("", out, &e), ERR_INVALID);
	assert_int_equal(attach_filename(NULL, out, &e), ERR_INVALID);
	assert_int_equal(attach_filename("caf\xe9.txt", out, &e), ERR_INVALID);
	memset(longname, 'x', 256);
	longname[256] = '\0';
	assert_int_equal(attach_filename(longname, out, &e), ERR_INVALID);
	longname[255] = '\0';
	assert_int_equal(attach_filename(longname, out, &e), 0);
}

static void digest(void **state)
{
	char hex[ATTACH_HASH_HEX];

	/* SHA-256 of "abc", FIPS 180-2's example */
	attach_digest("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* and of nothing */
	attach_digest(NULL, 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sniffing),
		cmocka_unit_test(disposition),
		cmocka_unit_test(names),
		cmocka_unit_test(digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
