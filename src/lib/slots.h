/*
 * slots.h — a counting semaphore with a bounded queue, for a costly step
 * that must neither run without limit in parallel nor pile every worker
 * thread up behind it (an Argon2id password check takes 64 MiB).
 *
 * Invariants: at most max callers hold a slot at once; at most queue more
 * wait for one, each for at most the time it asked for; a caller beyond
 * that is refused at once. Waits use the monotonic clock. Waiters are not
 * served in order of arrival (nor is a newcomer kept behind them): the
 * bound is on how many, not who goes first. Thread-safe; no domain
 * knowledge.
 */
#ifndef ITSM_SLOTS_H
#define ITSM_SLOTS_H

#include <pthread.h>

struct slots {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	int max, queue;    /* holders and waiters allowed */
	int busy, waiting; /* holders and waiters now */
};

/* max >= 1 holders, queue >= 0 waiters: 0, or ERR_INTERNAL. */
int slots_init(struct slots *s, int max, int queue);
void slots_release(struct slots *s);

/* Take a slot, waiting at most wait_ms for one to free: 0, or ERR_BUSY when
 * queue callers already wait or none freed in time. A caller that got 0
 * gives the slot back with slots_give. */
int slots_take(struct slots *s, long wait_ms);
void slots_give(struct slots *s);

#endif
