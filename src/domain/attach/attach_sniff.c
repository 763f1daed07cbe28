/*
 * attach_sniff.c — what a stored file is served as, and under which name:
 * the type from its first bytes against a short allow-list, the
 * Content-Disposition header (RFC 6266 with RFC 5987's encoding), the file
 * name as given made safe to keep, and the content digest. Pure functions.
 *
 * The client's Content-Type is never believed: a type a browser renders
 * as a page (HTML, SVG, XML) is not on the list, so such a file is served
 * as text/plain or application/octet-stream, always as an attachment and
 * with nosniff (the handler's part).
 */
#include "domain/attach/attach.h"
#include "lib/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct magic {
	size_t at;
	const char *bytes;
	size_t len;
	const char *type;
};

/* The allow-list, by signature at an offset. WebP is RIFF....WEBP. */
static const struct magic magics[] = {
	{ 0, "\x89PNG\r\n\x1a\n", 8, "image/png" },
	{ 0, "\xff\xd8\xff", 3, "image/jpeg" },
	{ 0, "GIF87a", 6, "image/gif" },
	{ 0, "GIF89a", 6, "image/gif" },
	{ 8, "WEBP", 4, "image/webp" },
	{ 0, "%PDF-", 5, "application/pdf" },
	{ 0, "PK\x03\x04", 4, "application/zip" },
	{ 0, "\x1f\x8b", 2, "application/gzip" },
};

static int is_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n' && p[i] != '\f') ||
		    p[i] == 0x7f)
			return 0;
	return utf8_valid((const char *)p, n);
}

const char *attach_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];

		if (n >= m->at + m->len && !memcmp(p + m->at, m->bytes, m->len) &&
		    (m->at != 8 || !memcmp(p, "RIFF", 4)))
			return m->type;
	}
	if (n && is_text(p, n))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

/* RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" /
 * "." / "^" / "_" / "`" / "|" / "~". */
static int attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$&+-.^_`|~", c));
}

int attach_disposition(const char *filename, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	int bad = 0;

	buf_reset(out);
	bad |= buf_puts(out, "attachment; filename=\"");
	/* The fallback for old clients: printable ASCII only, without the
	 * quote and backslash a quoted-string would have to escape. */
	for (const unsigned char *p = (const unsigned char *)filename; *p; p++)
		bad |= buf_putc(out, (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? (char)*p
											   : '_');
	bad |= buf_puts(out, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
		if (attr_char(*p)) {
			bad |= buf_putc(out, (char)*p);
		} else {
			char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			bad |= buf_append(out, enc, 3);
		}
	}
	if (bad) {
		buf_reset(out);
		return ERR_INTERNAL;
	}
	return 0;
}

int attach_filename(const char *given, char out[ATTACH_FILENAME_MAX + 1], struct err *e)
{
	const char *base = given;
	size_t n;

	if (!given || !*given)
		return err_set(e, ERR_INVALID, "filename", "name the file: filename is required");
	for (const char *p = given; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	n = strlen(base);
	if (!n || !strcmp(base, ".") || !strcmp(base, ".."))
		return err_set(e, ERR_INVALID, "filename", "'%.80s' names no file", given);
	if (n > ATTACH_FILENAME_MAX)
		return err_set(e, ERR_INVALID, "filename", "the file name is longer than %d bytes",
			       ATTACH_FILENAME_MAX);
	if (!utf8_valid(base, n))
		return err_set(e, ERR_INVALID, "filename", "the file name is not UTF-8");
	memcpy(out, base, n + 1);
	return 0;
}

void attach_digest(const void *data, size_t n, char out[ATTACH_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, n ? data : (const void *)"", n);
	sodium_bin2hex(out, ATTACH_HASH_HEX, h, sizeof(h));
}
