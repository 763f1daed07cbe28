/*
 * conn_watch.c — connections on a list, each with the time its request head
 * is due; lingering sockets on another; a thread that shuts down the late
 * ones and drains the lingering.
 *
 * Invariants: a connection is on the list exactly while libmicrohttpd holds
 * its socket open (it calls NOTIFY_CLOSED, and so conn_watch_remove, before
 * it closes the socket), and the list lock is held around both removal and
 * every shutdown(2), so a socket number is never shut down after it was
 * closed and perhaps reused. The thread never closes a socket the library
 * holds, frees a connection or calls into the library: shutdown only makes
 * the connection's next read see the end of the stream. A lingering socket
 * is a duplicate descriptor the watch owns (made before the library closes
 * its own, after the library has taken the socket out of its epoll set and
 * shut its write side), read only by the thread and closed exactly once.
 * Deadlines are atomics in milliseconds (INT64_MAX: none), so the calls on
 * the request path take no lock.
 */
#include "api/conn_watch.h"
#include "lib/log.h"
#include "lib/ticker.h"
#include "lib/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NO_DEADLINE INT64_MAX

struct conn_watched {
	struct conn_watched *prev, *next;
	int fd;
	_Atomic int64_t due_ms;
	_Atomic int linger;
};

struct lingering {
	int fd;
	double until;
	size_t bytes;
};

struct conn_watch {
	int64_t header_ms, idle_ms;
	pthread_mutex_t lock; /* the list */
	struct conn_watched *head;
	pthread_mutex_t linger_lock; /* the lingering sockets */
	struct lingering linger[LINGER_MAX];
	size_t n_linger;
	char sink[64 * 1024]; /* what they still send, read only by expire */
	struct ticker *ticker; /* NULL: expire is called by hand (tests) */
};

static int64_t ms(double seconds)
{
	return (int64_t)(seconds * 1000.0);
}

static void watch_tick(void *arg)
{
	size_t n = conn_watch_expire(arg, clock_mono());

	if (n)
		log_info("msg=\"closed connections whose request head was late\" count=%zu", n);
}

struct conn_watch *conn_watch_start(double header_timeout, double idle_timeout, double tick,
				    struct err *e)
{
	struct conn_watch *w = calloc(1, sizeof(*w));

	if (!w) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	w->header_ms = ms(header_timeout);
	w->idle_ms = ms(idle_timeout);
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->linger_lock, NULL);
	if (tick > 0 && !(w->ticker = ticker_start(tick, watch_tick, w, e))) {
		conn_watch_stop(w);
		return NULL;
	}
	return w;
}

void conn_watch_stop(struct conn_watch *w)
{
	struct conn_watched *c, *next;

	if (!w)
		return;
	ticker_stop(w->ticker);
	for (c = w->head; c; c = next) {
		next = c->next;
		free(c);
	}
	for (size_t i = 0; i < w->n_linger; i++)
		close(w->linger[i].fd);
	pthread_mutex_destroy(&w->linger_lock);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

struct conn_watched *conn_watch_add(struct conn_watch *w, int fd, double now)
{
	struct conn_watched *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	atomic_store(&c->due_ms, ms(now) + w->header_ms);
	pthread_mutex_lock(&w->lock);
	c->next = w->head;
	if (w->head)
		w->head->prev = c;
	w->head = c;
	pthread_mutex_unlock(&w->lock);
	return c;
}

/* Keep c's socket open to drain it: a descriptor of the watch's own, so
 * the library's close does not close the socket. */
static void linger_start(struct conn_watch *w, struct conn_watched *c, double now)
{
	int fd;

	pthread_mutex_lock(&w->linger_lock);
	if (w->n_linger < LINGER_MAX && (fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 0)) >= 0) {
		shutdown(fd, SHUT_WR);
		w->linger[w->n_linger++] = (struct lingering){ fd, now + LINGER_SECONDS, 0 };
	}
	pthread_mutex_unlock(&w->linger_lock);
}

void conn_watch_remove(struct conn_watch *w, struct conn_watched *c, double now)
{
	if (!c)
		return;
	pthread_mutex_lock(&w->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (atomic_load(&c->linger))
		linger_start(w, c, now);
	pthread_mutex_unlock(&w->lock);
	free(c);
}

void conn_watch_linger(struct conn_watch *w, struct conn_watched *c)
{
	if (c)
		atomic_store(&c->linger, 1);
}

/* Read what has come; 1 when the socket is done with (the client stopped,
 * an error, or its time or bytes are up). */
static int drain(struct conn_watch *w, struct lingering *l, double now)
{
	ssize_t n;

	while ((n = recv(l->fd, w->sink, sizeof(w->sink), MSG_DONTWAIT)) > 0) {
		l->bytes += (size_t)n;
		if (l->bytes > LINGER_BYTES)
			return 1;
	}
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		return 1;
	return now >= l->until;
}

size_t conn_watch_lingering(struct conn_watch *w)
{
	size_t n;

	pthread_mutex_lock(&w->linger_lock);
	n = w->n_linger;
	pthread_mutex_unlock(&w->linger_lock);
	return n;
}

void conn_watch_request_line(struct conn_watch *w, struct conn_watched *c, double now)
{
	int64_t due;

	if (!c)
		return;
	due = ms(now) + w->header_ms;
	if (atomic_load(&c->due_ms) > due)
		atomic_store(&c->due_ms, due);
}

void conn_watch_head_done(struct conn_watch *w, struct conn_watched *c)
{
	if (c)
		atomic_store(&c->due_ms, NO_DEADLINE);
}

void conn_watch_request_done(struct conn_watch *w, struct conn_watched *c, double now)
{
	if (c)
		atomic_store(&c->due_ms, ms(now) + w->idle_ms + w->header_ms);
}

size_t conn_watch_expire(struct conn_watch *w, double now)
{
	int64_t t = ms(now);
	size_t n = 0;

	pthread_mutex_lock(&w->lock);
	for (struct conn_watched *c = w->head; c; c = c->next)
		if (atomic_load(&c->due_ms) < t) {
			shutdown(c->fd, SHUT_RDWR);
			atomic_store(&c->due_ms, NO_DEADLINE);
			n++;
		}
	pthread_mutex_unlock(&w->lock);
	pthread_mutex_lock(&w->linger_lock);
	for (size_t i = 0; i < w->n_linger;)
		if (drain(w, &w->linger[i], now)) {
			close(w->linger[i].fd);
			w->linger[i] = w->linger[--w->n_linger];
		} else {
			i++;
		}
	pthread_mutex_unlock(&w->linger_lock);
	return n;
}
