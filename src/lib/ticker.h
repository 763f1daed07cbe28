/*
 * ticker.h — a thread that calls one function every period seconds until it
 * is stopped: the server's periodic chores (closing late request heads,
 * waking live streams, signing audit checkpoints).
 *
 * Invariants: fn never runs twice at once nor after ticker_stop returns; a
 * stop wakes the waiting thread at once (it does not sleep out the period);
 * the period is measured on the monotonic clock, so a change of the wall
 * clock neither hurries nor stalls it.
 */
#ifndef ITSM_TICKER_H
#define ITSM_TICKER_H

struct err;
struct ticker;

typedef void (*ticker_fn)(void *ctx);

/* Start a thread that waits period seconds (> 0), calls fn(ctx), and again;
 * NULL with e set when it cannot start. Stop with ticker_stop. */
struct ticker *ticker_start(double period, ticker_fn fn, void *ctx, struct err *e);
/* Stop the thread (waiting for a call in progress) and free t; NULL is a
 * no-op. */
void ticker_stop(struct ticker *t);

#endif
