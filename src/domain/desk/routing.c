/*
 * routing.c — matching a new ticket against the routing rules, and the
 * case-insensitive keyword test it uses.
 *
 * The keyword test folds case character by character over well-formed
 * UTF-8: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals
 * match their small letters; every other character matches only itself.
 * A multi-byte character never matches part of another, since the text
 * is compared as code points, not bytes.
 */
#include "domain/desk/routing.h"
#include "store/store_routing.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The code point at *s (advancing *s); U+FFFD for a byte that starts no
 * well-formed sequence (it then matches only another such byte). */
static uint32_t next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
				(c & 0xF8) == 0xF0 ? 4 : 0;

	if (!n) {
		*s = p + 1;
		return 0xFFFD;
	}
	if (n > 1)
		c &= 0xFF >> (n + 1);
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + 1;
			return 0xFFFD;
		}
		c = c << 6 | (p[i] & 0x3F);
	}
	*s = p + n;
	return c;
}

/* The small letter of c where the scripts above have one. */
static uint32_t fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0xC0)
		return c;
	if (c <= 0xDE && c != 0xD7) /* À … Þ, not × */
		return c + 32;
	if (c >= 0x100 && c <= 0x137 && !(c & 1) && c != 0x130) /* Ā ā … Ķ ķ, not İ */
		return c + 1;
	if (c >= 0x139 && c <= 0x148 && (c & 1)) /* Ĺ ĺ … Ň ň */
		return c + 1;
	if (c >= 0x14A && c <= 0x177 && !(c & 1)) /* Ŋ ŋ … Ŷ ŷ */
		return c + 1;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) /* Α … Ϋ */
		return c + 32;
	if (c >= 0x400 && c <= 0x40F) /* Ѐ … Џ */
		return c + 80;
	if (c >= 0x410 && c <= 0x42F) /* А … Я */
		return c + 32;
	return c;
}

/* Whether the folded text at h starts with the folded needle n. */
static int starts_with(const unsigned char *h, const unsigned char *n)
{
	while (*n) {
		if (!*h || fold(next_cp(&h)) != fold(next_cp(&n)))
			return 0;
	}
	return 1;
}

int routing_contains(const char *hay, const char *needle)
{
	const unsigned char *h = (const unsigned char *)(hay ? hay : "");

	if (!needle || !*needle)
		return 1;
	for (;;) {
		if (starts_with(h, (const unsigned char *)needle))
			return 1;
		if (!*h)
			return 0;
		next_cp(&h); /* on by one character, never into one */
	}
}

static int same(const char *criterion, const char *value)
{
	return !*criterion || !strcmp(criterion, value ? value : "");
}

int routing_rule_matches(const struct routing_rule *r, const struct route_subject *s)
{
	return same(r->kind, s->kind) && same(r->service, s->service) && same(r->ci, s->ci) &&
	       same(r->queue, s->queue) &&
	       (!r->keyword[0] || routing_contains(s->title, r->keyword) ||
		routing_contains(s->description, r->keyword));
}

int routing_route(struct store_tx *tx, const struct route_subject *s, char group[64],
		  char rule[64], struct err *e)
{
	struct routing_rule *rs = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = tx->st->ops->routing->rule_list(tx->st, tx, &rs, &n, e)))
		return rc;
	for (i = 0; i < n && !routing_rule_matches(&rs[i], s); i++)
		;
	if (i < n) {
		snprintf(group, 64, "%s", rs[i].group);
		snprintf(rule, 64, "%s", rs[i].name);
	}
	free(rs);
	return i < n;
}
