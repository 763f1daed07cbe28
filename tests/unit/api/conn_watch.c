/*
 * tests/unit/api/conn_watch.c — the request-head deadlines on real sockets
 * (socketpairs) with the clock passed in: a new connection is due
 * header_timeout after accept; a request line tightens that; a complete head
 * has no deadline; after a response the next head is due idle +
 * header_timeout later; a late connection's peer sees the end of the
 * stream, once; a removed connection is never touched; one marked to
 * linger stays readable after the library closes it, until the client
 * stops sending, LINGER_SECONDS pass or LINGER_BYTES arrive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/conn_watch.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#define HEADER 10.0
#define IDLE 30.0

struct pair {
	int ours, peer;
};

static struct pair pair_open(void)
{
	int fds[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	return (struct pair){ fds[0], fds[1] };
}

static void pair_close(struct pair p)
{
	if (p.ours >= 0)
		close(p.ours);
	close(p.peer);
}

/* 1 when the peer reads the end of the stream (our side was shut down). */
static int shut(struct pair p)
{
	char c;

	return recv(p.peer, &c, 1, MSG_DONTWAIT) == 0;
}

static struct conn_watch *watch(void)
{
	struct err e;
	struct conn_watch *w = conn_watch_start(HEADER, IDLE, 0, &e);

	assert_non_null(w);
	return w;
}

static void test_first_head(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);

	assert_int_equal(conn_watch_expire(w, 100.0 + HEADER - 0.01), 0);
	assert_false(shut(p));
	assert_int_equal(conn_watch_expire(w, 100.0 + HEADER + 0.01), 1);
	assert_true(shut(p));
	/* once: it waits for the library to close it */
	assert_int_equal(conn_watch_expire(w, 1000.0), 0);
	conn_watch_remove(w, c, 0);
	pair_close(p);
	conn_watch_stop(w);
}

static void test_request_line_tightens(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);

	conn_watch_request_done(w, c, 101.0);   /* a response: due 101 + IDLE + HEADER */
	assert_int_equal(conn_watch_expire(w, 101.0 + IDLE), 0);
	conn_watch_request_line(w, c, 110.0);  /* the next line came: due 110 + HEADER */
	assert_int_equal(conn_watch_expire(w, 110.0 + HEADER - 0.01), 0);
	assert_int_equal(conn_watch_expire(w, 110.0 + HEADER + 0.01), 1);
	assert_true(shut(p));
	conn_watch_remove(w, c, 0);
	pair_close(p);
	conn_watch_stop(w);
}

static void test_line_never_extends(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);

	/* a request line just before the deadline does not buy more time */
	conn_watch_request_line(w, c, 100.0 + HEADER - 1);
	assert_int_equal(conn_watch_expire(w, 100.0 + HEADER + 0.01), 1);
	conn_watch_remove(w, c, 0);
	pair_close(p);
	conn_watch_stop(w);
}

static void test_head_done_and_idle(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);

	conn_watch_head_done(w, c);              /* being answered, or a stream */
	assert_int_equal(conn_watch_expire(w, 1e9), 0);
	conn_watch_request_done(w, c, 200.0);
	assert_int_equal(conn_watch_expire(w, 200.0 + IDLE + HEADER - 0.01), 0);
	assert_false(shut(p));
	assert_int_equal(conn_watch_expire(w, 200.0 + IDLE + HEADER + 0.01), 1);
	assert_true(shut(p));
	conn_watch_remove(w, c, 0);
	pair_close(p);
	conn_watch_stop(w);
}

static void test_many_and_removed(void **state)
{
	struct conn_watch *w = watch();
	struct pair p[4];
	struct conn_watched *c[4];

	for (int i = 0; i < 4; i++) {
		p[i] = pair_open();
		c[i] = conn_watch_add(w, p[i].ours, 100.0 + i);
	}
	conn_watch_remove(w, c[1], 0); /* closed by the library before its deadline */
	conn_watch_head_done(w, c[2]);
	assert_int_equal(conn_watch_expire(w, 100.0 + HEADER + 3.5), 2);
	assert_true(shut(p[0]));
	assert_false(shut(p[1]));
	assert_false(shut(p[2]));
	assert_true(shut(p[3]));
	conn_watch_remove(w, c[0], 0);
	conn_watch_remove(w, c[3], 0);
	conn_watch_remove(w, NULL, 0);
	for (int i = 0; i < 4; i++)
		pair_close(p[i]);
	/* c[2] is still on the watch: stop frees it */
	conn_watch_stop(w);
}

/* The library closes its descriptor right after conn_watch_remove. */
static void library_closes(struct pair *p)
{
	close(p->ours);
	p->ours = -1;
}

static void test_no_linger(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);

	conn_watch_remove(w, c, 101.0);
	library_closes(&p);
	assert_int_equal(conn_watch_lingering(w), 0);
	assert_true(shut(p));
	pair_close(p);
	conn_watch_stop(w);
}

static void test_linger_until_client_stops(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);
	char body[4096] = { 0 };

	conn_watch_linger(w, c);
	conn_watch_remove(w, c, 101.0);
	library_closes(&p);
	assert_int_equal(conn_watch_lingering(w), 1);
	/* the answer is out (our write side is shut), the socket still reads */
	assert_true(shut(p));
	assert_int_equal(send(p.peer, body, sizeof(body), MSG_DONTWAIT), sizeof(body));
	assert_int_equal(conn_watch_expire(w, 101.5), 0);
	assert_int_equal(conn_watch_lingering(w), 1);
	shutdown(p.peer, SHUT_WR); /* the client is done sending */
	conn_watch_expire(w, 101.6);
	assert_int_equal(conn_watch_lingering(w), 0);
	pair_close(p);
	conn_watch_stop(w);
}

static void test_linger_bounded(void **state)
{
	struct conn_watch *w = watch();
	struct pair p = pair_open();
	struct conn_watched *c = conn_watch_add(w, p.ours, 100.0);
	static char chunk[64 * 1024];
	size_t sent = 0;
	ssize_t n;

	/* in time */
	conn_watch_linger(w, c);
	conn_watch_remove(w, c, 100.0);
	library_closes(&p);
	conn_watch_expire(w, 100.0 + LINGER_SECONDS - 0.1);
	assert_int_equal(conn_watch_lingering(w), 1);
	conn_watch_expire(w, 100.0 + LINGER_SECONDS);
	assert_int_equal(conn_watch_lingering(w), 0);
	pair_close(p);

	/* in bytes: a client that never stops is cut off after LINGER_BYTES */
	p = pair_open();
	c = conn_watch_add(w, p.ours, 200.0);
	conn_watch_linger(w, c);
	conn_watch_remove(w, c, 200.0);
	library_closes(&p);
	while (conn_watch_lingering(w) && sent < 4 * LINGER_BYTES) {
		while ((n = send(p.peer, chunk, sizeof(chunk), MSG_DONTWAIT | MSG_NOSIGNAL)) > 0)
			sent += (size_t)n;
		conn_watch_expire(w, 200.1);
	}
	assert_int_equal(conn_watch_lingering(w), 0);
	assert_true(sent > LINGER_BYTES && sent < LINGER_BYTES + (4u << 20));
	pair_close(p);
	conn_watch_stop(w);
}

static void test_thread(void **state)
{
	struct err e;
	struct conn_watch *w = conn_watch_start(0.05, IDLE, 0.01, &e);
	struct pair p = pair_open();
	struct conn_watched *c;
	char ch;
	struct timeval tv = { 5, 0 };

	assert_non_null(w);
	c = conn_watch_add(w, p.ours, clock_mono());
	setsockopt(p.peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* the thread shuts it down; the peer's blocking read ends with EOF */
	assert_int_equal(recv(p.peer, &ch, 1, 0), 0);
	conn_watch_remove(w, c, 0);
	pair_close(p);
	conn_watch_stop(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_head),
		cmocka_unit_test(test_request_line_tightens),
		cmocka_unit_test(test_line_never_extends),
		cmocka_unit_test(test_head_done_and_idle),
		cmocka_unit_test(test_many_and_removed),
		cmocka_unit_test(test_no_linger),
		cmocka_unit_test(test_linger_until_client_stops),
		cmocka_unit_test(test_linger_bounded),
		cmocka_unit_test(test_thread),
	};

	log_threshold = LOG_OFF;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
