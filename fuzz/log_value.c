/*
 * fuzz/log_value.c — libFuzzer target: log_value and utf8_repair on
 * arbitrary bytes, at every buffer size from the smallest allowed up. Beyond
 * memory safety it checks what the log relies on: the value fits, is valid
 * UTF-8 without a control character (C0, DEL, C1, U+2028, U+2029), and is a
 * bare word or one quoted string whose quotes inside are all escaped; a
 * repaired string is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/utf8.h"

static void check_value(const char *v, size_t size)
{
	size_t len = strlen(v);
	const unsigned char *u = (const unsigned char *)v;

	if (len >= size || !utf8_valid(v, len))
		abort();
	for (size_t i = 0; i < len; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			abort();
		if (u[i] == 0xc2 && i + 1 < len && u[i + 1] < 0xa0)
			abort();
		if (u[i] == 0xe2 && i + 2 < len && u[i + 1] == 0x80 &&
		    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9))
			abort();
	}
	if (v[0] != '"') {
		if (strpbrk(v, " \"=\\"))
			abort();
		return;
	}
	if (len < 2 || v[len - 1] != '"')
		abort();
	for (size_t i = 1; i < len - 1; i++) {
		if (v[i] == '\\')
			i++; /* the escaped character */
		else if (v[i] == '"')
			abort();
		if (i >= len - 1)
			abort(); /* the closing quote was escaped */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[LOG_VALUE_MAX], fixed[64];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t cap = 8; cap <= sizeof(out); cap += cap < 64 ? 1 : 97)
		check_value(log_value(out, cap, s), cap);
	utf8_repair(fixed, sizeof(fixed), s);
	if (!utf8_valid(fixed, strlen(fixed)))
		abort();
	free(s);
	return 0;
}
