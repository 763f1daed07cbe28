/*
 * tests/unit/domain/platform/token.c — API tokens against a real SQLite
 * store in a temporary directory, with the clock injected: an expiry ends
 * a token at its second (cached or not), a revocation or a user disabled
 * ends it at the next check though the cache held it, and the lifetimes
 * "90d"/"12h" parse while anything else is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/platform/account.h"
#include "domain/platform/actor.h"
#include "domain/platform/token.h"
#include "domain/platform/user.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"

#define T0 1767603600 /* 2026-01-05T09:00:00Z */

struct fx {
	char dir[64];
	struct store *st;
	struct actor sys;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char path[96];
	struct err e;
	json_t *in, *out = NULL;

	log_threshold = LOG_ERROR;
	snprintf(f->dir, sizeof(f->dir), "/tmp/itsm-token-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/itsm.db", f->dir);
	err_clear(&e);
	clock_set(T0);
	if (!(f->st = store_open(path, 0, &e)))
		return -1;
	actor_system(&f->sys, "test");
	in = json_pack("{s:s, s:s}", "username", "kato", "role", "agent");
	if (user_add(f->st, &f->sys, in, &out, &e))
		return -1;
	json_decref(in);
	json_decref(out);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "%s/itsm.db", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/itsm.db-wal", f->dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/itsm.db-shm", f->dir);
	unlink(cmd);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A new token of kato's, expiring at expires_at (0: never); *id its id. */
static void make(struct fx *f, int64_t expires_at, char text[TOKEN_TEXT_LEN], int64_t *id)
{
	struct err e;
	json_t *out = NULL;

	err_clear(&e);
	if (token_create(f->st, &f->sys, "kato", "laptop", "all", expires_at, text, &out, &e))
		fail_msg("token_create: %s", e.msg);
	*id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
}

static int check(struct fx *f, const char *text)
{
	struct actor a;
	struct err e;

	err_clear(&e);
	return auth_token(f->st, text, &a, &e);
}

static void test_expiry_at_its_second(void **state)
{
	struct fx *f = *state;
	char text[TOKEN_TEXT_LEN];
	int64_t id;

	clock_set(T0);
	make(f, T0 + 3600, text, &id);
	assert_int_equal(check(f, text), 0);      /* read from the store, cached */
	clock_set(T0 + 3599);
	assert_int_equal(check(f, text), 0);      /* read again: the cache lasts 5 s */
	assert_int_equal(check(f, text), 0);      /* cached until its expiry at most */
	clock_set(T0 + 3600);
	assert_int_equal(check(f, text), ERR_UNAUTH);
	clock_set(T0 + 7200);
	assert_int_equal(check(f, text), ERR_UNAUTH);
}

static void test_revoked_refused_though_cached(void **state)
{
	struct fx *f = *state;
	char text[TOKEN_TEXT_LEN], ref[24];
	struct err e;
	json_t *out = NULL;
	int64_t id;

	clock_set(T0);
	make(f, 0, text, &id);
	assert_int_equal(check(f, text), 0);
	assert_int_equal(check(f, text), 0); /* a cache hit */
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	err_clear(&e);
	assert_int_equal(token_revoke(f->st, &f->sys, ref, &out, &e), 0);
	assert_true(json_is_true(json_object_get(out, "revoked")));
	json_decref(out);
	assert_int_equal(check(f, text), ERR_UNAUTH); /* same second: the cache was cleared */
}

static void test_disabled_refused_though_cached(void **state)
{
	struct fx *f = *state;
	char text[TOKEN_TEXT_LEN];
	struct err e;
	json_t *in, *out = NULL;
	int64_t id;

	clock_set(T0);
	make(f, 0, text, &id);
	assert_int_equal(check(f, text), 0);
	in = json_pack("{s:i, s:b}", "version", 1, "active", 0);
	err_clear(&e);
	assert_int_equal(user_update(f->st, &f->sys, "kato", in, &out, &e), 0);
	json_decref(in);
	json_decref(out);
	assert_int_equal(check(f, text), ERR_UNAUTH);
	in = json_pack("{s:i, s:b}", "version", 2, "active", 1);
	out = NULL;
	assert_int_equal(user_update(f->st, &f->sys, "kato", in, &out, &e), 0);
	json_decref(in);
	json_decref(out);
	assert_int_equal(check(f, text), 0);
}

static void test_lifetimes(void **state)
{
	static const struct {
		const char *text;
		int64_t seconds; /* -1: refused */
	} cases[] = {
		{ "90d", 90 * 86400 }, { "12h", 12 * 3600 }, { "1d", 86400 }, { "3650d", 3650LL * 86400 },
		{ "3651d", -1 },       { "0d", -1 },	      { "90", -1 },     { "d", -1 },
		{ "90m", -1 },	       { "-1d", -1 },	      { "1.5d", -1 },   { "90dd", -1 },
		{ "", -1 },	       { "09d", -1 },	      { "9999999d", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t s = 0;
		struct err e;
		int rc;

		err_clear(&e);
		rc = token_parse_lifetime(cases[i].text, &s, &e);
		if (cases[i].seconds < 0) {
			if (rc != ERR_INVALID || strcmp(e.field, "expires_in"))
				fail_msg("'%s' was not refused", cases[i].text);
		} else if (rc || s != cases[i].seconds) {
			fail_msg("'%s': rc %d, %lld seconds", cases[i].text, rc, (long long)s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_expiry_at_its_second, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoked_refused_though_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_refused_though_cached, setup, teardown),
		cmocka_unit_test(test_lifetimes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
