/*
 * tests/unit/lib/netguard.c — the outbound request policy: the address
 * classifier over tables of addresses (every class, both families, the
 * IPv4 spellings curl and inet_aton read, IPv4 carried in IPv6), the
 * allow-list's entries, URL checks without DNS, and netguard_prepare's
 * resolution and pinning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include <unistd.h>

#include "lib/netguard.h"

static const struct {
	const char *ip;
	enum ng_class c;
} table[] = {
	/* IPv4: unspecified, "this network" */
	{ "0.0.0.0", NG_UNSPECIFIED },
	{ "0.1.2.3", NG_UNSPECIFIED },
	{ "0", NG_UNSPECIFIED }, /* inet_aton spelling */
	/* loopback, in every spelling */
	{ "127.0.0.1", NG_LOOPBACK },
	{ "127.255.255.254", NG_LOOPBACK },
	{ "127.1", NG_LOOPBACK },
	{ "2130706433", NG_LOOPBACK },
	{ "0x7f.1", NG_LOOPBACK },
	{ "0x7f000001", NG_LOOPBACK },
	{ "017700000001", NG_LOOPBACK },
	{ "0177.0.0.1", NG_LOOPBACK },
	/* private, RFC 1918, edges of each block */
	{ "10.0.0.0", NG_PRIVATE },
	{ "10.255.255.255", NG_PRIVATE },
	{ "172.16.0.1", NG_PRIVATE },
	{ "172.31.255.255", NG_PRIVATE },
	{ "192.168.0.1", NG_PRIVATE },
	{ "192.168.255.255", NG_PRIVATE },
	{ "167772161", NG_PRIVATE }, /* 10.0.0.1 */
	/* just outside them */
	{ "9.255.255.255", NG_PUBLIC },
	{ "11.0.0.0", NG_PUBLIC },
	{ "172.15.255.255", NG_PUBLIC },
	{ "172.32.0.0", NG_PUBLIC },
	{ "192.167.255.255", NG_PUBLIC },
	{ "192.169.0.0", NG_PUBLIC },
	/* shared address space (CGNAT) */
	{ "100.64.0.0", NG_CGNAT },
	{ "100.127.255.255", NG_CGNAT },
	{ "100.63.255.255", NG_PUBLIC },
	{ "100.128.0.0", NG_PUBLIC },
	/* link-local, the cloud metadata service */
	{ "169.254.169.254", NG_LINK_LOCAL },
	{ "169.254.0.1", NG_LINK_LOCAL },
	{ "2852039166", NG_LINK_LOCAL }, /* 169.254.169.254 */
	{ "169.253.255.255", NG_PUBLIC },
	{ "169.255.0.0", NG_PUBLIC },
	/* multicast, broadcast, reserved */
	{ "224.0.0.1", NG_MULTICAST },
	{ "239.255.255.250", NG_MULTICAST },
	{ "255.255.255.255", NG_BROADCAST },
	{ "240.0.0.1", NG_RESERVED },
	{ "255.255.255.254", NG_RESERVED },
	{ "192.0.0.8", NG_RESERVED },
	{ "192.0.2.1", NG_RESERVED },
	{ "198.51.100.7", NG_RESERVED },
	{ "203.0.113.9", NG_RESERVED },
	{ "198.18.0.1", NG_RESERVED },
	{ "198.19.255.255", NG_RESERVED },
	{ "192.88.99.1", NG_RESERVED },
	{ "198.17.255.255", NG_PUBLIC },
	{ "198.20.0.0", NG_PUBLIC },
	/* public */
	{ "1.1.1.1", NG_PUBLIC },
	{ "8.8.8.8", NG_PUBLIC },
	{ "93.184.216.34", NG_PUBLIC },
	{ "223.255.255.255", NG_PUBLIC },
	/* IPv6 */
	{ "::", NG_UNSPECIFIED },
	{ "::1", NG_LOOPBACK },
	{ "0:0:0:0:0:0:0:1", NG_LOOPBACK },
	{ "fe80::1", NG_LINK_LOCAL },
	{ "febf:ffff::1", NG_LINK_LOCAL },
	{ "fec0::1", NG_PRIVATE },
	{ "fc00::1", NG_PRIVATE },
	{ "fd12:3456:789a::1", NG_PRIVATE },
	{ "ff02::1", NG_MULTICAST },
	{ "ff05::1:3", NG_MULTICAST },
	{ "2001:db8::1", NG_RESERVED },
	{ "3fff::1", NG_RESERVED },
	{ "2001::1", NG_RESERVED },      /* Teredo */
	{ "2001:10::1", NG_RESERVED },   /* ORCHID */
	{ "100::1", NG_RESERVED },       /* discard */
	{ "::127.0.0.1", NG_RESERVED },  /* IPv4-compatible, deprecated */
	{ "::8.8.8.8", NG_RESERVED },
	{ "4000::1", NG_RESERVED },      /* outside 2000::/3 */
	{ "64:ff9b:1::1", NG_PRIVATE },  /* local-use NAT64 */
	{ "2606:4700:4700::1111", NG_PUBLIC },
	{ "2a00:1450:4001::200e", NG_PUBLIC },
	{ "2001:200::1", NG_PUBLIC },    /* just past 2001::/23 */
	/* IPv4 carried in IPv6: the class of the IPv4 address */
	{ "::ffff:127.0.0.1", NG_LOOPBACK },
	{ "::ffff:7f00:1", NG_LOOPBACK },
	{ "::ffff:10.1.2.3", NG_PRIVATE },
	{ "::ffff:169.254.169.254", NG_LINK_LOCAL },
	{ "::ffff:100.64.1.1", NG_CGNAT },
	{ "::ffff:0.0.0.0", NG_UNSPECIFIED },
	{ "::ffff:255.255.255.255", NG_BROADCAST },
	{ "::ffff:224.0.0.1", NG_MULTICAST },
	{ "::ffff:8.8.8.8", NG_PUBLIC },
	{ "64:ff9b::127.0.0.1", NG_LOOPBACK },
	{ "64:ff9b::a9fe:a9fe", NG_LINK_LOCAL },
	{ "64:ff9b::8.8.8.8", NG_PUBLIC },
	{ "2002:7f00:1::1", NG_LOOPBACK }, /* 6to4 of 127.0.0.1 */
	{ "2002:c0a8:101::1", NG_PRIVATE }, /* 6to4 of 192.168.1.1 */
	{ "2002:808:808::1", NG_PUBLIC },   /* 6to4 of 8.8.8.8 */
};

static void test_classify_table(void **state)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		enum ng_class c;

		if (netguard_classify_text(table[i].ip, &c))
			fail_msg("'%s' did not parse as an address", table[i].ip);
		if (c != table[i].c)
			fail_msg("'%s' is %s, expected %s", table[i].ip, netguard_class_name(c),
				 netguard_class_name(table[i].c));
	}
}

static void test_classify_not_addresses(void **state)
{
	const char *no[] = { "", "localhost", "example.com", "1.2.3.4.5", "::g", "[::1]",
			     "256.0.0.1", "1.2.3.4/8" };
	enum ng_class c;

	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!netguard_classify_text(no[i], &c))
			fail_msg("'%s' parsed as an address", no[i]);
}

static void test_classify_sockaddr(void **state)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr other = { .sa_family = AF_UNIX };

	inet_pton(AF_INET, "169.254.169.254", &s4.sin_addr);
	assert_int_equal(netguard_classify((struct sockaddr *)&s4), NG_LINK_LOCAL);
	inet_pton(AF_INET6, "::ffff:192.168.1.1", &s6.sin6_addr);
	assert_int_equal(netguard_classify((struct sockaddr *)&s6), NG_PRIVATE);
	assert_int_equal(netguard_classify(&other), NG_RESERVED);
}

static void expect_url(const char *url, int ok, const char *needle)
{
	struct err e = { 0 };
	int rc = netguard_url_check(url, &e);

	if (ok && rc)
		fail_msg("'%s' refused: %s", url, e.msg);
	if (!ok && rc != ERR_INVALID)
		fail_msg("'%s' was not refused", url);
	if (!ok && needle && !strstr(e.msg, needle))
		fail_msg("'%s' refused with '%s', not naming '%s'", url, e.msg, needle);
}

static void test_url_check_refuses(void **state)
{
	struct err e = { 0 };

	assert_int_equal(netguard_allow_set("", &e), 0);
	expect_url("http://127.0.0.1/x", 0, "loopback");
	expect_url("http://127.0.0.1:8080/x", 0, "127.0.0.1");
	expect_url("http://2130706433/", 0, "127.0.0.1, a loopback");
	expect_url("http://0x7f.1/", 0, "loopback");
	expect_url("http://017700000001/", 0, "loopback");
	expect_url("http://127.1/", 0, "loopback");
	expect_url("http://%31%32%37.0.0.1/", 0, "loopback");
	expect_url("http://169.254.169.254/latest/meta-data/", 0, "link-local");
	expect_url("http://[::1]/", 0, "loopback");
	expect_url("http://[::ffff:127.0.0.1]/", 0, "loopback");
	expect_url("http://[::ffff:a9fe:a9fe]/", 0, "link-local");
	expect_url("http://[fe80::1%25eth0]/", 0, "link-local");
	expect_url("http://[fd00::1]/", 0, "private");
	expect_url("http://10.0.0.1/", 0, "private");
	expect_url("http://100.64.0.1/", 0, "CGNAT");
	expect_url("http://0/", 0, "unspecified");
	expect_url("http://0.0.0.0:80/", 0, "unspecified");
	expect_url("http://255.255.255.255/", 0, "broadcast");
	expect_url("http://224.0.0.1/", 0, "multicast");
	expect_url("http://localhost/", 0, "loopback");
	expect_url("http://LOCALHOST./", 0, "loopback");
	expect_url("http://api.localhost:9/", 0, "loopback");
	expect_url("http://user:pw@127.0.0.1/", 0, "loopback");
	expect_url("ftp://example.com/", 0, "http");
	expect_url("file:///etc/passwd", 0, NULL);
	expect_url("gopher://example.com/", 0, NULL);
	expect_url("dict://example.com/", 0, NULL);
	expect_url("example.com/x", 0, NULL);
	expect_url("http://", 0, NULL);
	expect_url("http://exa mple.com/", 0, "space");
	expect_url("http://example.com/\r\nX-Injected: 1", 0, "control");
	expect_url("http://example.com:0/", 0, NULL);
	expect_url("http://example.com:99999/", 0, NULL);
}

static void test_url_check_accepts(void **state)
{
	struct err e = { 0 };

	assert_int_equal(netguard_allow_set("", &e), 0);
	expect_url("https://hooks.example.com/itsm", 1, NULL);
	expect_url("http://example.com:8080/x?y=1", 1, NULL);
	expect_url("https://8.8.8.8/", 1, NULL);
	expect_url("https://[2606:4700:4700::1111]/", 1, NULL);
	expect_url("HTTPS://Example.COM/", 1, NULL);
	expect_url("https://localhost.example.com/", 1, NULL); /* not a .localhost name */
}

static void test_allow_list(void **state)
{
	struct err e = { 0 };

	assert_int_equal(netguard_allow_set(" 127.0.0.1:8080 , 10.20.0.0/16,[::1]:9000, fd00::/8,"
					    "hooks.internal, Localhost:7000, 169.254.169.254",
					    &e),
			 0);
	expect_url("http://127.0.0.1:8080/", 1, NULL);
	expect_url("http://2130706433:8080/", 1, NULL);
	expect_url("http://[::ffff:127.0.0.1]:8080/", 1, NULL); /* mapped: the same */
	expect_url("http://127.0.0.1:8081/", 0, "loopback");    /* another port */
	expect_url("http://127.0.0.1/", 0, "loopback");
	expect_url("http://10.20.3.4/", 1, NULL);
	expect_url("http://10.21.0.1/", 0, "private");
	expect_url("http://[::1]:9000/", 1, NULL);
	expect_url("http://[::1]:9001/", 0, "loopback");
	expect_url("http://[fd12::1]/", 1, NULL);
	expect_url("http://[fc00::1]/", 0, "private");
	expect_url("http://localhost:7000/", 1, NULL);
	expect_url("http://localhost:7001/", 0, "loopback");
	expect_url("http://169.254.169.254/", 1, NULL);

	/* a bad entry is refused, naming it, and the list stays as it was */
	assert_int_equal(netguard_allow_set("10.0.0.0/33", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "'10.0.0.0/33'"));
	assert_string_equal(e.field, "outbound.allow");
	expect_url("http://10.20.3.4/", 1, NULL);
	const char *bad[] = { "a b", "host:0", "host:70000", "[::1", "[::1]x", "1.2.3.4/x",
			      "::1/129", "bad_/name!", "-/8", "[1.2.3.4]:80" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (netguard_allow_set(bad[i], &e) != ERR_INVALID)
			fail_msg("allow-list entry '%s' was accepted", bad[i]);
	assert_int_equal(netguard_allow_set("", &e), 0);
	expect_url("http://10.20.3.4/", 0, "private");
}

/* A host name other than localhost that resolves to a loopback address
 * only, if this machine has one; 0 when none. */
static int loopback_name(char *out, size_t n)
{
	const char *cand[] = { "", "vm", "runsc", "ip6-localhost", "ip6-loopback" };
	char self[256] = "";

	gethostname(self, sizeof(self) - 1);
	cand[0] = self;
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
		int all = 1;

		if (!cand[i][0] || strchr(cand[i], '_') || getaddrinfo(cand[i], NULL, &hints, &res))
			continue;
		for (ai = res; ai; ai = ai->ai_next)
			all &= netguard_classify(ai->ai_addr) == NG_LOOPBACK;
		freeaddrinfo(res);
		if (all) {
			snprintf(out, n, "%s", cand[i]);
			return 1;
		}
	}
	return 0;
}

/* netguard_prepare resolves, refuses what resolves to a refused address,
 * and pins what it allows. */
static void test_prepare(void **state)
{
	struct netguard_pin pin;
	struct err e = { 0 };
	CURL *h = curl_easy_init();

	assert_non_null(h);
	assert_int_equal(netguard_allow_set("", &e), 0);
	/* "localhost" is refused by name before any lookup; its lookup too */
	assert_int_equal(netguard_prepare(h, "http://localhost/", &pin, &e), ERR_INVALID);
	netguard_pin_release(&pin);
	assert_int_equal(netguard_prepare(h, "http://127.0.0.1:1/", &pin, &e), ERR_INVALID);
	netguard_pin_release(&pin);
	/* allowed by name: resolved and pinned to what it resolved to */
	assert_int_equal(netguard_allow_set("localhost", &e), 0);
	assert_int_equal(netguard_prepare(h, "http://localhost:9/x", &pin, &e), 0);
	assert_non_null(pin.resolve);
	assert_true(!strcmp(pin.address, "127.0.0.1") || !strcmp(pin.address, "::1"));
	assert_non_null(strstr(pin.resolve->data, "localhost:9:"));
	netguard_pin_release(&pin);
	/* allowed by address: a literal is pinned without a lookup */
	assert_int_equal(netguard_allow_set("127.0.0.1", &e), 0);
	assert_int_equal(netguard_prepare(h, "http://2130706433:9/", &pin, &e), 0);
	assert_null(pin.resolve);
	assert_string_equal(pin.address, "127.0.0.1");
	netguard_pin_release(&pin);
	/* a name that is not "localhost" but resolves to a loopback address
	 * (the machine's own name, as /etc/hosts often says) is refused at
	 * resolution, naming the address */
	{
		char name[256] = "", url[300];

		if (loopback_name(name, sizeof(name))) {
			assert_int_equal(netguard_allow_set("", &e), 0);
			snprintf(url, sizeof(url), "http://%s:9/", name);
			assert_int_equal(netguard_url_check(url, &e), 0); /* no DNS: fine */
			assert_int_equal(netguard_prepare(h, url, &pin, &e), ERR_INVALID);
			assert_non_null(strstr(e.msg, "resolves to"));
			assert_non_null(strstr(e.msg, "loopback"));
			netguard_pin_release(&pin);
			/* the allow-list may name it */
			assert_int_equal(netguard_allow_set(name, &e), 0);
			assert_int_equal(netguard_prepare(h, url, &pin, &e), 0);
			netguard_pin_release(&pin);
		} else {
			print_message("no name other than localhost resolves to loopback here\n");
		}
	}
	/* a name that does not resolve is a temporary failure */
	assert_int_equal(netguard_allow_set("", &e), 0);
	assert_int_equal(netguard_prepare(h, "http://no-such-host.invalid/", &pin, &e), ERR_BUSY);
	netguard_pin_release(&pin);
	curl_easy_cleanup(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_table),
		cmocka_unit_test(test_classify_not_addresses),
		cmocka_unit_test(test_classify_sockaddr),
		cmocka_unit_test(test_url_check_refuses),
		cmocka_unit_test(test_url_check_accepts),
		cmocka_unit_test(test_allow_list),
		cmocka_unit_test(test_prepare),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
