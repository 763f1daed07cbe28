/*
 * bench/sla_gen.c — generate migrated ticket history for the import and
 * report benchmarks: N tickets, one JSON object per line, as
 * `itsm import tickets` takes them.
 *
 * Tickets of customer "acme" spread over 24 months from 2025-01-01 across
 * four services (each with an SLA made by bench/sla.sh); priorities from
 * impact × urgency; timelines: a staff reply, in_progress, for one ticket
 * in five a pending spell, resolved, closed. Deterministic (fixed seed).
 *
 *   build/bench-sla-gen N > tickets.jsonl
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void ts(int64_t t, char *out)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int main(int argc, char **argv)
{
	static const char *const services[] = { "email", "erp", "vpn", "web" };
	static const char *const kinds[] = { "incident", "request", "inquiry" };
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	const int64_t t0 = 1735689600; /* 2025-01-01T00:00:00Z */
	const int64_t span = 730LL * 86400;
	char a[32], b[32], c[32], d[32], p1[32], p2[32], f[32], g[32];

	for (long i = 0; i < n; i++) {
		int64_t created = t0 + (int64_t)(rnd() % (uint64_t)span);
		int64_t reply = created + 60 + (int64_t)(rnd() % 7200);
		int64_t work = reply + (int64_t)(rnd() % 3600);
		int64_t pend = work + 600 + (int64_t)(rnd() % 7200);
		int64_t back = pend + 3600 + (int64_t)(rnd() % 86400);
		int64_t resolved = (rnd() % 5 ? work : back) + 1800 + (int64_t)(rnd() % 172800);
		int64_t closed = resolved + 86400;
		int pending = rnd() % 5 == 0;

		ts(created, a);
		ts(reply, b);
		ts(work, c);
		ts(resolved, d);
		ts(closed, g);
		printf("{\"kind\":\"%s\",\"title\":\"Migrated ticket %ld\",\"description\":\"from the "
		       "old tool\",\"impact\":%d,\"urgency\":%d,\"customer\":\"acme\",\"service\":\"%s\","
		       "\"created_at\":\"%s\",\"timeline\":[{\"at\":\"%s\",\"comment\":\"We are on it.\","
		       "\"public\":true,\"by\":\"agent1\"},{\"at\":\"%s\",\"status\":\"in_progress\"}",
		       kinds[rnd() % 3], i + 1, (int)(rnd() % 3) + 1, (int)(rnd() % 3) + 1,
		       services[rnd() % 4], a, b, c);
		if (pending) {
			ts(pend, p1);
			ts(back, p2);
			printf(",{\"at\":\"%s\",\"status\":\"pending\"},{\"at\":\"%s\",\"status\":"
			       "\"in_progress\"}",
			       p1, p2);
			if (resolved < back) {
				resolved = back + 1800;
				closed = resolved + 86400;
				ts(resolved, d);
				ts(closed, g);
			}
		}
		(void)f;
		printf(",{\"at\":\"%s\",\"status\":\"resolved\"},{\"at\":\"%s\",\"status\":\"closed\"}]}\n",
		       d, g);
	}
	return 0;
}
