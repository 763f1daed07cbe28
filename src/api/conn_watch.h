/*
 * conn_watch.h — what libmicrohttpd does not do for a connection's
 * beginning and end.
 *
 * The beginning: a deadline for a request's head (its request line and
 * headers). The library's own timeout is for silence, so a client that
 * sends a header byte now and then would hold its connection for ever. The
 * server registers every connection the library opens and tells the watch
 * where each request stands; a thread shuts down the socket of every
 * connection whose head is late, and the library, reading the end of the
 * stream, closes it as it closes any other. Deadlines, in clock_mono()
 * seconds:
 *   - a new connection's first head is due header_timeout after accept;
 *   - after a response, a kept-alive connection may stay silent (up to
 *     idle_timeout, the library's own limit) and then send the next head:
 *     that one is due idle_timeout + header_timeout after the response;
 *   - once a request line has arrived, its headers are due header_timeout
 *     after it at the latest;
 *   - a connection whose head is complete has none (a request being
 *     answered, a body being read, a live stream).
 *
 * The end: a request answered from its head alone (413 for a body over the
 * limit, 400 for a malformed head) is closed without its body being read.
 * A client that sent the body before reading would get a reset for it, and
 * a reset can destroy the answer before the client reads it. So a connection
 * marked to linger is kept open after the library closes it: its write side
 * is already shut, and the watch reads and discards what still comes, until
 * the client stops, LINGER_SECONDS pass or LINGER_BYTES arrive (as nginx's
 * lingering close), at most LINGER_MAX sockets at once.
 *
 * Lifecycle: conn_watch_start → conn_watch_add per connection (NOTIFY
 * STARTED) … conn_watch_remove (NOTIFY CLOSED) → conn_watch_stop. Every
 * function but start and stop may be called from any thread at once.
 */
#ifndef ITSM_CONN_WATCH_H
#define ITSM_CONN_WATCH_H

#include <stddef.h>

#include "lib/err.h"

#define LINGER_SECONDS 5.0
#define LINGER_BYTES (8u << 20)
#define LINGER_MAX 256

struct conn_watch;
struct conn_watched; /* one connection on the watch */

/* Start the watch and its thread (tick > 0 seconds: how often it looks;
 * tick 0 starts no thread, for tests that call conn_watch_expire). The
 * caller frees it with conn_watch_stop. */
struct conn_watch *conn_watch_start(double header_timeout, double idle_timeout, double tick,
				    struct err *e);
/* Stop the thread, close the lingering sockets, free what is left on the
 * watch and the watch. */
void conn_watch_stop(struct conn_watch *w);

/* Watch the connection on socket fd, accepted at now. NULL when out of
 * memory; the caller then closes the connection itself. */
struct conn_watched *conn_watch_add(struct conn_watch *w, int fd, double now);
/* Forget it (and free it) at now: called before the library closes the
 * socket. A connection marked to linger keeps its socket open on the watch.
 * NULL is a no-op for all the calls below. */
void conn_watch_remove(struct conn_watch *w, struct conn_watched *c, double now);

void conn_watch_request_line(struct conn_watch *w, struct conn_watched *c, double now);
void conn_watch_head_done(struct conn_watch *w, struct conn_watched *c);
void conn_watch_request_done(struct conn_watch *w, struct conn_watched *c, double now);
/* Its request is answered without its body being read: linger at close. */
void conn_watch_linger(struct conn_watch *w, struct conn_watched *c);

/* Shut down the socket of every connection whose deadline is before now,
 * and drain the lingering sockets, closing those done; returns how many
 * were shut down. The thread calls this each tick. */
size_t conn_watch_expire(struct conn_watch *w, double now);
/* How many sockets linger. */
size_t conn_watch_lingering(struct conn_watch *w);

#endif
