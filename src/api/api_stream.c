/*
 * api_stream.c — GET /api/v1/stream: live change notices as Server-Sent
 * Events, so the console's queues update without reloading.
 *
 * Each stream is a response produced by a callback. With nothing to send,
 * the callback suspends its connection (it costs no thread and no polling);
 * a publish on the bus, or the ticker every STREAM_TICK seconds (for
 * keep-alive comments), resumes every suspended stream. The stream lock is
 * held from reading the bus to suspending, and a publish takes it after
 * appending to the bus, so no notice can slip between the two.
 */
#include "api/handlers.h"
#include "lib/bus.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/ticker.h"
#include "lib/timeutil.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STREAM_TICK 10
#define STREAM_KEEPALIVE 15

struct stream {
	struct MHD_Connection *conn;
	struct actor actor;
	uint64_t seq;
	struct buf out;
	size_t off;
	int suspended;
	double last_write;
	struct stream *next, *prev;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct stream *streams;
static int stopping; /* the server stops: every stream ends */
static struct ticker *ticker; /* keep-alive: wake_all every STREAM_TICK s */

/* Resume every suspended stream. Called after each publish and each tick. */
static void wake_all(void *ctx)
{
	struct MHD_Connection *wake[256];
	size_t n;

	do {
		n = 0;
		pthread_mutex_lock(&mu);
		for (struct stream *s = streams; s && n < 256; s = s->next)
			if (s->suspended) {
				s->suspended = 0;
				wake[n++] = s->conn;
			}
		pthread_mutex_unlock(&mu);
		for (size_t i = 0; i < n; i++)
			MHD_resume_connection(wake[i]);
		if (n)
			log_debug("msg=\"streams resumed\" n=%zu", n);
	} while (n == 256);
}

void stream_start(void)
{
	struct err e = { 0 };

	pthread_mutex_lock(&mu);
	stopping = 0;
	pthread_mutex_unlock(&mu);
	bus_listen(wake_all, NULL);
	/* Without the ticker, streams still wake on every change; only the
	 * keep-alive comments of a quiet stream wait for the next one. */
	if (!(ticker = ticker_start(STREAM_TICK, wake_all, NULL, &e)))
		log_warn("msg=\"no stream keep-alive\" err=%s", LOG_STR(e.msg));
}

void stream_stop(void)
{
	pthread_mutex_lock(&mu);
	stopping = 1;
	pthread_mutex_unlock(&mu);
	ticker_stop(ticker);
	ticker = NULL;
	bus_listen(NULL, NULL);
	wake_all(NULL);
}

static int visible(const struct stream *s, const struct bus_msg *m)
{
	if (s->actor.role != ROLE_REQUESTER)
		return 1;
	return m->audience && m->audience == s->actor.customer_id;
}

/* Append what the client has not seen yet; the stream lock is held. */
static void fill(struct stream *s)
{
	struct bus_msg msgs[64];
	int lost;
	size_t n = bus_read(s->seq, msgs, 64, &lost);

	if (lost)
		buf_puts(&s->out, "event: reset\ndata: {}\n\n");
	for (size_t i = 0; i < n; i++) {
		if (visible(s, &msgs[i]))
			buf_printf(&s->out, "id: %llu\nevent: %s\ndata: %s\n\n",
				   (unsigned long long)msgs[i].seq, msgs[i].topic, msgs[i].text);
		s->seq = msgs[i].seq;
		free(msgs[i].text);
	}
	if (s->out.len == s->off && clock_mono() - s->last_write >= STREAM_KEEPALIVE)
		buf_puts(&s->out, ": keep-alive\n\n");
}

static ssize_t reader(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct stream *s = cls;
	size_t n;

	pthread_mutex_lock(&mu);
	if (stopping) {
		pthread_mutex_unlock(&mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (s->off == s->out.len) {
		buf_reset(&s->out);
		s->off = 0;
		fill(s);
	}
	log_debug("msg=\"stream read\" seq=%llu pending=%zu", (unsigned long long)s->seq,
		  s->out.len - s->off);
	if (s->off == s->out.len) {
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
		pthread_mutex_unlock(&mu);
		return 0;
	}
	n = s->out.len - s->off;
	if (n > max)
		n = max;
	memcpy(dst, s->out.data + s->off, n);
	s->off += n;
	s->last_write = clock_mono();
	pthread_mutex_unlock(&mu);
	return (ssize_t)n;
}

static void release(void *cls)
{
	struct stream *s = cls;

	pthread_mutex_lock(&mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	pthread_mutex_unlock(&mu);
	buf_release(&s->out);
	free(s);
}

void api_stream(struct req *r)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct MHD_Response *resp;
	const char *last = req_header(r, "Last-Event-ID");

	if (!s) {
		reply_errorf(r, ERR_INTERNAL, NULL, "out of memory");
		return;
	}
	s->conn = r->conn;
	s->actor = r->actor;
	s->seq = last ? strtoull(last, NULL, 10) : bus_last_seq();
	s->last_write = clock_mono();
	buf_init(&s->out, 1024 * 1024);
	/* Tell the client at once that the stream is open. */
	buf_puts(&s->out, "retry: 3000\n: connected\n\n");
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s, release);
	if (!resp) {
		buf_release(&s->out);
		free(s);
		reply_errorf(r, ERR_INTERNAL, NULL, "cannot open the stream");
		return;
	}
	pthread_mutex_lock(&mu);
	s->next = streams;
	if (streams)
		streams->prev = s;
	streams = s;
	pthread_mutex_unlock(&mu);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	r->replied = 1;
	r->status = 200;
}
