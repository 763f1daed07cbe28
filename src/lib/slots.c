/*
 * slots.c — a counting semaphore with a bounded queue (see slots.h): a
 * mutex, the two counts, and one condition signalled when a slot frees,
 * timed on CLOCK_MONOTONIC so a change of the wall clock neither cuts a
 * wait short nor stretches it.
 */
#include "lib/slots.h"
#include "lib/err.h"

#include <time.h>

int slots_init(struct slots *s, int max, int queue)
{
	pthread_condattr_t ca;
	int rc;

	if (max < 1 || queue < 0)
		return ERR_INTERNAL;
	s->max = max;
	s->queue = queue;
	s->busy = s->waiting = 0;
	if (pthread_mutex_init(&s->mu, NULL))
		return ERR_INTERNAL;
	if (pthread_condattr_init(&ca)) {
		pthread_mutex_destroy(&s->mu);
		return ERR_INTERNAL;
	}
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) || pthread_cond_init(&s->freed, &ca);
	pthread_condattr_destroy(&ca);
	if (rc) {
		pthread_mutex_destroy(&s->mu);
		return ERR_INTERNAL;
	}
	return 0;
}

void slots_release(struct slots *s)
{
	pthread_cond_destroy(&s->freed);
	pthread_mutex_destroy(&s->mu);
}

int slots_take(struct slots *s, long wait_ms)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	if (s->busy >= s->max) {
		if (s->waiting >= s->queue) {
			pthread_mutex_unlock(&s->mu);
			return ERR_BUSY;
		}
		s->waiting++;
		while (s->busy >= s->max && rc == 0) /* ETIMEDOUT ends the wait */
			rc = pthread_cond_timedwait(&s->freed, &s->mu, &until);
		s->waiting--;
		/* A slot may have freed just as the wait timed out: take it. */
		if (s->busy >= s->max) {
			pthread_mutex_unlock(&s->mu);
			return ERR_BUSY;
		}
	}
	s->busy++;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

void slots_give(struct slots *s)
{
	pthread_mutex_lock(&s->mu);
	s->busy--;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->mu);
}
