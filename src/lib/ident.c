/*
 * ident.c — checking keys and names. See ident.h.
 */
#include "lib/ident.h"

#include <ctype.h>
#include <string.h>

int ident_valid(const char *s, size_t max, const char *punct)
{
	size_t n = 0;

	if (!s || !*s)
		return 0;
	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && !strchr(punct, *s))
			return 0;
	return n <= max;
}

int ident_numbered(const char *key, const char *prefix)
{
	size_t p = strlen(prefix), n;

	if (!key || strncmp(key, prefix, p) || key[p] != '-')
		return 0;
	key += p + 1;
	n = strspn(key, "0123456789");
	return n >= 1 && n <= 19 && !key[n] && key[0] != '0';
}
