/*
 * utf8.c — recognising well-formed UTF-8 one sequence at a time.
 *
 * The lead byte fixes the length; the second byte's range is narrower after
 * E0 (no overlong three-byte forms), ED (no surrogates), F0 (no overlong
 * four-byte forms) and F4 (nothing above U+10FFFF); every other
 * continuation byte is 80-BF.
 */
#include "lib/utf8.h"

#include <string.h>

size_t utf8_seq(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] < 0xc2 || u[0] > 0xf4)
		return 0;
	len = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : 4;
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (n < len || u[1] < lo || u[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (u[i] < 0x80 || u[i] > 0xbf)
			return 0;
	return len;
}

int utf8_valid(const char *s, size_t n)
{
	size_t k;

	for (size_t i = 0; i < n; i += k)
		if (!(k = utf8_seq(s + i, n - i)))
			return 0;
	return 1;
}

char *utf8_repair(char *dst, size_t size, const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd";
	size_t n = strlen(s), out = 0, k;

	for (size_t i = 0; i < n; i += k) {
		const char *piece = s + i;
		size_t len;

		k = utf8_seq(s + i, n - i);
		len = k;
		if (!k) {
			k = 1;
			piece = replacement;
			len = sizeof(replacement) - 1;
		}
		if (out + len >= size)
			break;
		memcpy(dst + out, piece, len);
		out += len;
	}
	dst[out] = '\0';
	return dst;
}
