/*
 * check_scheduler.c — the scheduler thread of `itsm serve`: finds due
 * checks and hands them to a fixed pool of worker threads that run the
 * plugins (check_run_now).
 *
 * Invariants:
 *  - at most `workers` plugins run at once (one per worker thread);
 *  - a check is in at most one place at a time (queued or running): the
 *    in-flight list is consulted before queueing, because a due check stays
 *    due in the store until its result is written;
 *  - HTTP threads never wait on the scheduler: it has threads of its own and
 *    reaches the store through its own read connections and store_write;
 *  - stop wakes everything, lets running plugins finish (each is bounded by
 *    its timeout) and joins every thread.
 */
#include "domain/events/check.h"
#include "domain/cmdb/cmdb.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICK_MS 250

struct check_scheduler {
	struct store *st;
	int workers;
	pthread_t main;
	pthread_t *threads;
	int n_started;
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_tick;
	int stopping;
	/* queued names (a ring) and names in flight (queued or running) */
	char (*queue)[64];
	int qcap, qhead, qlen;
	char (*flight)[64];
	int fcap, flen;
};

static int in_flight(struct check_scheduler *s, const char *name)
{
	for (int i = 0; i < s->flen; i++)
		if (!strcmp(s->flight[i], name))
			return 1;
	return 0;
}

static void flight_remove(struct check_scheduler *s, const char *name)
{
	for (int i = 0; i < s->flen; i++)
		if (!strcmp(s->flight[i], name)) {
			memcpy(s->flight[i], s->flight[--s->flen], 64);
			return;
		}
}

static void *worker_main(void *arg)
{
	struct check_scheduler *s = arg;
	char name[64];

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct err e = { 0 };
		struct actor scheduler;

		actor_system(&scheduler, "checks");
		while (!s->qlen && !s->stopping)
			pthread_cond_wait(&s->cv_work, &s->mu);
		if (s->stopping)
			break;
		memcpy(name, s->queue[s->qhead], 64);
		s->qhead = (s->qhead + 1) % s->qcap;
		s->qlen--;
		pthread_mutex_unlock(&s->mu);

		if (check_run_now(s->st, &scheduler, name, NULL, &e) && e.code != ERR_NOT_FOUND)
			log_warn("msg=\"check failed to run\" check=%s err=%s", LOG_STR(name),
				 LOG_STR(e.msg));

		pthread_mutex_lock(&s->mu);
		flight_remove(s, name);
		pthread_cond_signal(&s->cv_tick);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void *scheduler_main(void *arg)
{
	struct check_scheduler *s = arg;

	/* The impact graph, built once here rather than by the first event's
	 * correlation on the store's writer. */
	cmdb_graph_warm(s->st);
	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		struct check *due = NULL;
		size_t n = 0;
		struct err e = { 0 };
		struct timespec ts;
		int room = s->qcap - s->qlen;

		if (room > 0 && s->flen < s->fcap) {
			pthread_mutex_unlock(&s->mu);
			/* With several servers on one store, the leader runs them. */
			if (s->st->ops->leader(s->st, "checks") &&
			    s->st->ops->cmdb->check_due(s->st, clock_now(), s->fcap, &due, &n, &e))
				log_warn("msg=\"cannot read due checks\" err=%s", LOG_STR(e.msg));
			pthread_mutex_lock(&s->mu);
			for (size_t i = 0; i < n && s->qlen < s->qcap && s->flen < s->fcap; i++) {
				if (in_flight(s, due[i].name))
					continue;
				memcpy(s->flight[s->flen++], due[i].name, 64);
				memcpy(s->queue[(s->qhead + s->qlen) % s->qcap], due[i].name, 64);
				s->qlen++;
				pthread_cond_signal(&s->cv_work);
			}
			pthread_mutex_unlock(&s->mu);
			check_free_array(due, n);
			pthread_mutex_lock(&s->mu);
		}
		if (s->stopping)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->cv_tick, &s->mu, &ts);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct check_scheduler *check_scheduler_start(struct store *st, int workers, struct err *e)
{
	struct check_scheduler *s = calloc(1, sizeof(*s));

	if (workers < 1 || workers > 64) {
		free(s);
		err_set(e, ERR_INVALID, "workers", "check workers must be 1-64");
		return NULL;
	}
	if (!s)
		goto oom;
	s->st = st;
	s->workers = workers;
	s->qcap = workers * 2;
	s->fcap = s->qcap + workers;
	s->queue = calloc((size_t)s->qcap, 64);
	s->flight = calloc((size_t)s->fcap, 64);
	s->threads = calloc((size_t)workers, sizeof(pthread_t));
	if (!s->queue || !s->flight || !s->threads)
		goto oom;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv_work, NULL);
	pthread_cond_init(&s->cv_tick, NULL);
	for (int i = 0; i < workers; i++) {
		if (pthread_create(&s->threads[i], NULL, worker_main, s))
			break;
		s->n_started++;
	}
	if (s->n_started == workers && !pthread_create(&s->main, NULL, scheduler_main, s)) {
		log_info("msg=\"check scheduler started\" workers=%d", workers);
		return s;
	}
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cv_work);
	pthread_mutex_unlock(&s->mu);
	for (int i = 0; i < s->n_started; i++)
		pthread_join(s->threads[i], NULL);
	err_set(e, ERR_INTERNAL, NULL, "cannot start the check scheduler threads");
	goto fail;
oom:
	err_set(e, ERR_INTERNAL, NULL, "out of memory");
fail:
	if (s) {
		free(s->queue);
		free(s->flight);
		free(s->threads);
		free(s);
	}
	return NULL;
}

void check_scheduler_stop(struct check_scheduler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cv_work);
	pthread_cond_broadcast(&s->cv_tick);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->main, NULL);
	for (int i = 0; i < s->n_started; i++)
		pthread_join(s->threads[i], NULL);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv_work);
	pthread_cond_destroy(&s->cv_tick);
	free(s->queue);
	free(s->flight);
	free(s->threads);
	free(s);
}
