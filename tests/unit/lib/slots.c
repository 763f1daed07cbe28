/*
 * tests/unit/lib/slots.c — the bounded semaphore: no more holders than
 * slots, no more waiters than the queue (the next one is refused at once,
 * without waiting), a waiter gets the slot a holder gives back, and a
 * waiter whose time runs out is refused and leaves the queue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "lib/err.h"
#include "lib/slots.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wait until s has n waiters (a thread reached slots_take's wait). */
static void until_waiting(struct slots *s, int n)
{
	for (;;) {
		int w;

		pthread_mutex_lock(&s->mu);
		w = s->waiting;
		pthread_mutex_unlock(&s->mu);
		if (w >= n)
			return;
		sched_yield();
	}
}

struct taker {
	struct slots *s;
	long wait_ms;
	atomic_int rc;
	atomic_int done;
};

static void *take(void *arg)
{
	struct taker *t = arg;

	atomic_store(&t->rc, slots_take(t->s, t->wait_ms));
	atomic_store(&t->done, 1);
	return NULL;
}

static void test_holders_and_queue(void **state)
{
	struct slots s;
	struct taker w = { &s, 60000 };
	pthread_t th;
	double t0;

	assert_int_equal(slots_init(&s, 2, 1), 0);
	assert_int_equal(slots_take(&s, 0), 0);
	assert_int_equal(slots_take(&s, 0), 0);
	/* Both slots held: a third caller waits (the queue has room for one)… */
	pthread_create(&th, NULL, take, &w);
	until_waiting(&s, 1);
	assert_false(atomic_load(&w.done));
	/* …and a fourth is refused at once, however long it would wait. */
	t0 = now_ms();
	assert_int_equal(slots_take(&s, 60000), ERR_BUSY);
	assert_true(now_ms() - t0 < 1000);
	/* A slot given back goes to the waiter. */
	slots_give(&s);
	pthread_join(th, NULL);
	assert_int_equal(atomic_load(&w.rc), 0);
	assert_int_equal(s.busy, 2);
	assert_int_equal(s.waiting, 0);
	slots_give(&s);
	slots_give(&s);
	assert_int_equal(s.busy, 0);
	slots_release(&s);
}

static void test_wait_runs_out(void **state)
{
	struct slots s;
	double t0;

	assert_int_equal(slots_init(&s, 1, 4), 0);
	assert_int_equal(slots_take(&s, 0), 0);
	t0 = now_ms();
	assert_int_equal(slots_take(&s, 50), ERR_BUSY);
	assert_true(now_ms() - t0 >= 49);
	assert_int_equal(s.waiting, 0);
	assert_int_equal(s.busy, 1);
	slots_give(&s);
	assert_int_equal(slots_take(&s, 0), 0); /* free again: no wait at all */
	slots_give(&s);
	slots_release(&s);
}

static void test_bad_sizes(void **state)
{
	struct slots s;

	assert_int_equal(slots_init(&s, 0, 4), ERR_INTERNAL);
	assert_int_equal(slots_init(&s, 1, -1), ERR_INTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holders_and_queue),
		cmocka_unit_test(test_wait_runs_out),
		cmocka_unit_test(test_bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
