/*
 * tests/unit/lib/ticker.c — the periodic thread: it calls its function
 * again and again, never after ticker_stop returns, and a stop does not
 * sleep out a long period.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <time.h>

#include "lib/err.h"
#include "lib/ticker.h"
#include "lib/timeutil.h"

static void count(void *ctx)
{
	atomic_fetch_add((_Atomic int *)ctx, 1);
}

static void test_calls_until_stopped(void **state)
{
	_Atomic int n = 0;
	struct err e = { 0 };
	struct ticker *t = ticker_start(0.005, count, &n, &e);
	struct timespec pause = { 0, 2000000 };
	int seen;

	assert_non_null(t);
	for (int i = 0; i < 2500 && atomic_load(&n) < 3; i++)
		nanosleep(&pause, NULL);
	ticker_stop(t);
	seen = atomic_load(&n);
	assert_true(seen >= 3);
	nanosleep(&pause, NULL);
	assert_int_equal(atomic_load(&n), seen); /* nothing after the stop */
}

static void test_stop_does_not_wait_out_the_period(void **state)
{
	_Atomic int n = 0;
	struct err e = { 0 };
	struct ticker *t = ticker_start(3600, count, &n, &e);
	double t0 = clock_mono();

	assert_non_null(t);
	ticker_stop(t);
	assert_true(clock_mono() - t0 < 1.0);
	assert_int_equal(atomic_load(&n), 0);
	ticker_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls_until_stopped),
		cmocka_unit_test(test_stop_does_not_wait_out_the_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
