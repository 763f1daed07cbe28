/*
 * tests/unit/cli/reload.c — what a reload (SIGHUP) reports of a re-read
 * configuration (cli_config_changes): nothing for an identical one; each
 * changed option once, log.level as live and every other as needing a
 * restart, strings and integers alike; [commands] never compared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cli/cli_config.h"

struct seen {
	char names[8][64];
	int live[8];
	int n;
};

static void collect(const char *name, int live, void *ctx)
{
	struct seen *s = ctx;

	assert_true(s->n < 8);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	s->live[s->n++] = live;
}

static void defaults(struct itsm_config *c)
{
	struct err e = { 0 };

	assert_int_equal(cli_config_read(c, NULL, &e), 0);
}

static void test_same(void **state)
{
	struct itsm_config a, b;
	struct seen s = { 0 };

	defaults(&a);
	defaults(&b);
	assert_int_equal(cli_config_changes(&a, &b, collect, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_changed(void **state)
{
	struct itsm_config a, b;
	struct seen s = { 0 };
	struct err e = { 0 };

	defaults(&a);
	defaults(&b);
	assert_int_equal(config_set(cli_config_options, &b, "log.level", "debug", &e), 0);
	assert_int_equal(config_set(cli_config_options, &b, "server.threads", "7", &e), 0);
	assert_int_equal(config_set(cli_config_options, &b, "mail.sendmail", "/usr/sbin/sendmail -t", &e), 0);
	assert_int_equal(cli_config_changes(&a, &b, collect, &s), 3);
	for (int i = 0; i < s.n; i++) {
		if (!strcmp(s.names[i], "log.level"))
			assert_int_equal(s.live[i], 1);
		else if (!strcmp(s.names[i], "server.threads") || !strcmp(s.names[i], "mail.sendmail"))
			assert_int_equal(s.live[i], 0);
		else
			fail_msg("reported '%s', which did not change", s.names[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
