/*
 * bus.h — an in-process notice board of recent changes, for live views.
 *
 * Writers publish a short JSON text with a topic and an audience (a customer
 * id, or 0 for staff only); readers ask for everything after the sequence
 * number they last saw. The board keeps the last BUS_SIZE notices; a reader
 * that fell further behind is told so (it reloads). Listeners registered
 * with bus_listen are called after each publish (they must not block).
 * Thread-safe; no domain knowledge.
 */
#ifndef ITSM_BUS_H
#define ITSM_BUS_H

#include <stddef.h>
#include <stdint.h>

#define BUS_SIZE 1024

struct bus_msg {
	uint64_t seq;
	char topic[32];
	int64_t audience; /* customer id who may see it; 0: staff only */
	char *text;       /* JSON; owned by the caller after bus_read */
};

void bus_publish(const char *topic, int64_t audience, const char *text);
uint64_t bus_last_seq(void);
/* Copy up to max messages with seq > after into out (texts strdup'ed: free
 * each with free()). Returns the count; *lost is set when messages after
 * `after` have already been dropped from the board. */
size_t bus_read(uint64_t after, struct bus_msg *out, size_t max, int *lost);

typedef void (*bus_listener)(void *ctx);
void bus_listen(bus_listener fn, void *ctx);

#endif
