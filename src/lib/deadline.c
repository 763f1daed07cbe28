/*
 * deadline.c — a stop's time bound (deadline.h). One thread sleeps on a
 * condition variable until the stop says it is done or the bound passes;
 * on the bound it writes one log line naming the stage and calls _exit(1),
 * which runs no atexit handlers that could hang on the very thing that is
 * stuck.
 *
 * Invariant: the stage is only read and written under the lock.
 */
#include "lib/deadline.h"
#include "lib/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct deadline {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct timespec until; /* CLOCK_MONOTONIC */
	double seconds;
	const char *stage;
	int done;
};

static void *watch(void *arg)
{
	struct deadline *d = arg;
	int rc = 0;

	pthread_mutex_lock(&d->mu);
	while (!d->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&d->cv, &d->mu, &d->until);
	if (!d->done) {
		log_error("msg=\"stop timed out\" after_s=%.0f still_running=%s", d->seconds,
			  LOG_STR(d->stage));
		_exit(1);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct deadline *deadline_start(double seconds, struct err *e)
{
	struct deadline *d = calloc(1, sizeof(*d));
	pthread_condattr_t ca;

	if (!d) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	d->seconds = seconds;
	d->stage = "starting the stop";
	clock_gettime(CLOCK_MONOTONIC, &d->until);
	d->until.tv_sec += (time_t)seconds;
	d->until.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (d->until.tv_nsec >= 1000000000L) {
		d->until.tv_sec++;
		d->until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&d->thread, NULL, watch, d)) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		err_set(e, ERR_INTERNAL, NULL, "cannot start the stop's deadline thread");
		return NULL;
	}
	return d;
}

void deadline_stage(struct deadline *d, const char *stage)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stage = stage;
	pthread_mutex_unlock(&d->mu);
}

void deadline_done(struct deadline *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->done = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}
