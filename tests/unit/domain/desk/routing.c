/*
 * tests/unit/domain/desk/routing.c — routing rules' matching, pure: the
 * keyword test (any case, code point by code point across scripts, never
 * inside a multi-byte character), each criterion alone and together, and
 * the first match of an ordered list winning; and the group name's shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/desk/routing.h"
#include "domain/desk/ticket.h"

static void test_contains_ascii_case(void **state)
{
	assert_true(routing_contains("The VPN is down", "vpn"));
	assert_true(routing_contains("the vpn is down", "VPN"));
	assert_true(routing_contains("vpn", "vPn"));
	assert_true(routing_contains("anything", ""));
	assert_true(routing_contains(NULL, ""));
	assert_false(routing_contains("", "vpn"));
	assert_false(routing_contains(NULL, "vpn"));
	assert_false(routing_contains("v p n", "vpn"));
	assert_false(routing_contains("vp", "vpn")); /* a needle longer than what is left */
}

static void test_contains_beyond_ascii(void **state)
{
	/* Latin-1: É (U+00C9) and é (U+00E9) */
	assert_true(routing_contains("Mon \xc3\xa9" "cran", "\xc3\x89" "CRAN"));
	assert_true(routing_contains("MON \xc3\x89" "CRAN", "\xc3\xa9" "cran"));
	/* no accent folding: e is not é */
	assert_false(routing_contains("ecran", "\xc3\xa9" "cran"));
	/* × (U+00D7) is no capital of ÷ (U+00F7) */
	assert_false(routing_contains("\xc3\xb7", "\xc3\x97"));
	/* Latin Extended-A: Ł (U+0141) and ł (U+0142) */
	assert_true(routing_contains("\xc5\x82" "\xc3\xb3" "d\xc5\xba", "\xc5\x81"));
	/* Greek: Δ U+0394 and δ U+03B4 */
	assert_true(routing_contains("\xce\xb4" "x", "\xce\x94" "X"));
	/* Cyrillic: СЕТЬ / сеть — С U+0421, с U+0441; Ё U+0401, ё U+0451 */
	assert_true(routing_contains("\xd1\x81\xd0\xb5\xd1\x82\xd1\x8c",
				     "\xd0\xa1\xd0\x95\xd0\xa2\xd0\xac"));
	assert_true(routing_contains("\xd1\x91", "\xd0\x81"));
	/* Japanese matches itself only: 障害 ("fault") in ネット障害 */
	assert_true(routing_contains("\xe3\x83\x8d\xe3\x83\x83\xe3\x83\x88\xe9\x9a\x9c\xe5\xae\xb3",
				     "\xe9\x9a\x9c\xe5\xae\xb3"));
}

static void test_contains_never_inside_a_character(void **state)
{
	/* é is C3 A9; the needle "\xa9" alone is no character of the text. The
	 * byte search would find it; the code point search must not. */
	assert_false(routing_contains("caf\xc3\xa9", "\xa9"));
	/* 障 E9 9A 9C: its last two bytes are not a match either */
	assert_false(routing_contains("\xe9\x9a\x9c", "\x9a\x9c"));
	/* a malformed byte in the text matches nothing well formed */
	assert_false(routing_contains("\xff" "abc", "\xc3\xbf" "abc"));
	assert_true(routing_contains("\xff" "abc", "abc"));
}

static struct routing_rule rule(const char *name, const char *service, const char *kind,
				const char *ci, const char *queue, const char *keyword,
				const char *group)
{
	struct routing_rule r;

	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "%s", name);
	snprintf(r.service, sizeof(r.service), "%s", service);
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.ci, sizeof(r.ci), "%s", ci);
	snprintf(r.queue, sizeof(r.queue), "%s", queue);
	snprintf(r.keyword, sizeof(r.keyword), "%s", keyword);
	snprintf(r.group, sizeof(r.group), "%s", group);
	return r;
}

static void test_each_criterion(void **state)
{
	struct route_subject s = { "incident", "vpn", "fw1", "desk", "Tunnel down", "since 9" };
	struct routing_rule any = rule("any", "", "", "", "", "", "g");

	assert_true(routing_rule_matches(&any, &s)); /* no criterion: a catch-all */
	struct routing_rule r = rule("r", "vpn", "", "", "", "", "g");
	assert_true(routing_rule_matches(&r, &s));
	r = rule("r", "email", "", "", "", "", "g");
	assert_false(routing_rule_matches(&r, &s));
	r = rule("r", "", "request", "", "", "", "g");
	assert_false(routing_rule_matches(&r, &s));
	r = rule("r", "", "incident", "fw1", "", "", "g");
	assert_true(routing_rule_matches(&r, &s));
	r = rule("r", "", "", "fw2", "", "", "g");
	assert_false(routing_rule_matches(&r, &s));
	r = rule("r", "", "", "", "desk", "", "g");
	assert_true(routing_rule_matches(&r, &s));
	r = rule("r", "", "", "", "facilities", "", "g");
	assert_false(routing_rule_matches(&r, &s));
	r = rule("r", "", "", "", "", "TUNNEL", "g"); /* in the title */
	assert_true(routing_rule_matches(&r, &s));
	r = rule("r", "", "", "", "", "SINCE", "g"); /* in the description */
	assert_true(routing_rule_matches(&r, &s));
	r = rule("r", "", "", "", "", "printer", "g");
	assert_false(routing_rule_matches(&r, &s));
	/* every criterion given must hold: one failing spoils the rest */
	r = rule("r", "vpn", "incident", "fw1", "desk", "printer", "g");
	assert_false(routing_rule_matches(&r, &s));
	r = rule("r", "vpn", "incident", "fw1", "desk", "tunnel", "g");
	assert_true(routing_rule_matches(&r, &s));
	/* a criterion against what the ticket lacks (no item, no queue) */
	struct route_subject bare = { "incident", "", NULL, NULL, "t", "" };
	r = rule("r", "", "", "fw1", "", "", "g");
	assert_false(routing_rule_matches(&r, &bare));
	r = rule("r", "", "", "", "desk", "", "g");
	assert_false(routing_rule_matches(&r, &bare));
}

static void test_first_match_wins(void **state)
{
	/* As the store lists them: (position, name) order. */
	struct routing_rule rs[3];
	struct route_subject s = { "incident", "vpn", NULL, NULL, "VPN down", "" };
	size_t i;

	rs[0] = rule("vpn-incidents", "vpn", "incident", "", "", "", "network-l2");
	rs[1] = rule("vpn", "vpn", "", "", "", "", "network");
	rs[2] = rule("all", "", "", "", "", "", "desk");
	for (i = 0; i < 3 && !routing_rule_matches(&rs[i], &s); i++)
		;
	assert_int_equal(i, 0);
	s.kind = "request";
	for (i = 0; i < 3 && !routing_rule_matches(&rs[i], &s); i++)
		;
	assert_int_equal(i, 1);
	s.service = "email";
	for (i = 0; i < 3 && !routing_rule_matches(&rs[i], &s); i++)
		;
	assert_int_equal(i, 2);
}

static void test_group_shape(void **state)
{
	char long_name[80];

	assert_true(ticket_group_valid("network-l2"));
	assert_true(ticket_group_valid("ops.dba_1"));
	assert_false(ticket_group_valid(""));
	assert_false(ticket_group_valid("two words"));
	assert_false(ticket_group_valid("a,b"));
	assert_false(ticket_group_valid("r\xc3\xa9seau"));
	memset(long_name, 'g', 63);
	long_name[63] = '\0';
	assert_true(ticket_group_valid(long_name));
	long_name[63] = 'g';
	long_name[64] = '\0';
	assert_false(ticket_group_valid(long_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contains_ascii_case),
		cmocka_unit_test(test_contains_beyond_ascii),
		cmocka_unit_test(test_contains_never_inside_a_character),
		cmocka_unit_test(test_each_criterion),
		cmocka_unit_test(test_first_match_wins),
		cmocka_unit_test(test_group_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
