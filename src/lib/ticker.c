/*
 * ticker.c — a thread calling one function at a fixed period (see
 * ticker.h). The thread sleeps on a condition variable with a monotonic
 * deadline, so a stop (which signals it) ends the wait at once.
 */
#include "lib/ticker.h"
#include "lib/err.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct ticker {
	double period;
	ticker_fn fn;
	void *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stopping;
	pthread_t thread;
};

static void *ticker_main(void *arg)
{
	struct ticker *t = arg;
	struct timespec due;

	pthread_mutex_lock(&t->mu);
	while (!t->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &due);
		due.tv_sec += (time_t)t->period;
		due.tv_nsec += (long)((t->period - (double)(time_t)t->period) * 1e9);
		due.tv_sec += due.tv_nsec / 1000000000L;
		due.tv_nsec %= 1000000000L;
		/* Until the deadline or a stop, whatever wakes the wait early. */
		while (!t->stopping && pthread_cond_timedwait(&t->cv, &t->mu, &due) == 0)
			;
		if (t->stopping)
			break;
		pthread_mutex_unlock(&t->mu);
		t->fn(t->ctx);
		pthread_mutex_lock(&t->mu);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

struct ticker *ticker_start(double period, ticker_fn fn, void *ctx, struct err *e)
{
	struct ticker *t = calloc(1, sizeof(*t));
	pthread_condattr_t ca;

	if (!t) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	t->period = period;
	t->fn = fn;
	t->ctx = ctx;
	pthread_mutex_init(&t->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, ticker_main, t)) {
		pthread_cond_destroy(&t->cv);
		pthread_mutex_destroy(&t->mu);
		free(t);
		err_set(e, ERR_INTERNAL, NULL, "cannot start a thread");
		return NULL;
	}
	return t;
}

void ticker_stop(struct ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	t->stopping = 1;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	free(t);
}
