/*
 * fuzz/attach_name.c — libFuzzer target: what an upload's bytes and name
 * become (domain/attach/attach_sniff.c) on arbitrary input: the sniffed
 * type, the tidied file name and the Content-Disposition header built from
 * it. The input is the file's bytes; its first line (up to 300 bytes) is
 * also taken as the name.
 *
 * Beyond memory safety it checks the invariants of attach.h: the type is
 * one of the allow-list or application/octet-stream, never HTML; a name
 * taken is well-formed UTF-8 without '/' or '\', 1 to 255 bytes; a refused
 * one names "filename"; the header is printable ASCII only (no CR, LF or
 * NUL), and its quoted fallback holds no quote or backslash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attach/attach.h"
#include "lib/utf8.h"
#include "support/fuzz_check.h"

static const char *const types[] = { "image/png", "image/jpeg", "image/gif", "image/webp",
				     "application/pdf", "application/zip", "application/gzip",
				     "text/plain; charset=utf-8", "application/octet-stream", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *type = attach_sniff(data, size);
	char given[301], name[ATTACH_FILENAME_MAX + 1];
	struct buf d = BUF_INIT;
	struct err e = { 0 };
	size_t n = 0;
	int known = 0;

	for (const char *const *t = types; *t; t++)
		known |= !strcmp(*t, type);
	CHECK(known);
	CHECK(!strstr(type, "html"));

	while (n < size && n < 300 && data[n] != '\n' && data[n])
		n++;
	memcpy(given, data, n);
	given[n] = '\0';
	if (attach_filename(given, name, &e)) {
		CHECK(e.code == ERR_INVALID && !strcmp(e.field, "filename"));
		return 0;
	}
	CHECK(*name && strlen(name) <= ATTACH_FILENAME_MAX);
	CHECK(utf8_valid(name, strlen(name)));
	CHECK(!strchr(name, '/') && !strchr(name, '\\'));
	CHECK(attach_disposition(name, &d) == 0);
	for (size_t i = 0; i < d.len; i++)
		CHECK(d.data[i] >= 0x20 && d.data[i] < 0x7f);
	{
		const char *q = strstr(d.data, "filename=\"") + 10;
		const char *end = strstr(q, "\"; filename*=UTF-8''");

		CHECK(end);
		for (const char *p = q; p < end; p++)
			CHECK(*p != '"' && *p != '\\');
	}
	buf_release(&d);
	return 0;
}
