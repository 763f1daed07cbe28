/*
 * bus.c — the ring of recent notices. See bus.h.
 */
#include "lib/bus.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct bus_msg ring[BUS_SIZE];
static uint64_t last;
static bus_listener listener;
static void *listener_ctx;

void bus_publish(const char *topic, int64_t audience, const char *text)
{
	struct bus_msg *m;
	bus_listener fn;
	void *ctx;

	pthread_mutex_lock(&mu);
	m = &ring[++last % BUS_SIZE];
	free(m->text);
	m->seq = last;
	snprintf(m->topic, sizeof(m->topic), "%s", topic);
	m->audience = audience;
	m->text = strdup(text);
	fn = listener;
	ctx = listener_ctx;
	pthread_mutex_unlock(&mu);
	if (fn)
		fn(ctx);
}

uint64_t bus_last_seq(void)
{
	uint64_t s;

	pthread_mutex_lock(&mu);
	s = last;
	pthread_mutex_unlock(&mu);
	return s;
}

size_t bus_read(uint64_t after, struct bus_msg *out, size_t max, int *lost)
{
	size_t n = 0;

	pthread_mutex_lock(&mu);
	*lost = last > BUS_SIZE && after < last - BUS_SIZE;
	if (*lost)
		after = last - BUS_SIZE;
	for (uint64_t s = after + 1; s <= last && n < max; s++) {
		out[n] = ring[s % BUS_SIZE];
		out[n].text = strdup(ring[s % BUS_SIZE].text ? ring[s % BUS_SIZE].text : "{}");
		n++;
	}
	pthread_mutex_unlock(&mu);
	return n;
}

void bus_listen(bus_listener fn, void *ctx)
{
	pthread_mutex_lock(&mu);
	listener = fn;
	listener_ctx = ctx;
	pthread_mutex_unlock(&mu);
}
