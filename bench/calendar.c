/*
 * bench/calendar.c — business-calendar arithmetic per second.
 *
 * A Europe/London 09:00-18:00 weekday calendar with the 2026 bank holidays;
 * starts drawn uniformly over 2026 (so some spans cross the DST changes),
 * due targets uniform between 15 minutes and 2 weeks of business time,
 * elapsed spans uniform between 0 and 2 weeks of wall time. Every thousandth
 * answer is checked against the definition, so a fast wrong answer fails.
 *
 * Build and run (from the repository root):
 *   make && cc -std=c17 -O2 -D_GNU_SOURCE -Isrc -include src/lib/compat.h \
 *      -o build/bench-calendar bench/calendar.c build/libitsm.a \
 *      $(pkg-config --cflags --libs libmicrohttpd sqlite3 libsodium jansson \
 *      libcurl inih) -lpthread -lm
 *   build/bench-calendar [N]
 */
#include "domain/sla/calendar.h"
#include "lib/err.h"
#include "lib/timeutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char office[] =
	"{\"name\":\"office\",\"timezone\":\"Europe/London\",\"hours\":{"
	"\"mon\":[[\"09:00\",\"18:00\"]],\"tue\":[[\"09:00\",\"18:00\"]],"
	"\"wed\":[[\"09:00\",\"18:00\"]],\"thu\":[[\"09:00\",\"18:00\"]],"
	"\"fri\":[[\"09:00\",\"18:00\"]]},"
	"\"holidays\":[\"2026-01-01\",\"2026-04-03\",\"2026-04-06\",\"2026-05-04\","
	"\"2026-05-25\",\"2026-08-31\",\"2026-12-25\",\"2026-12-28\"]}";

static uint64_t rng = 0x853c49e6748fea9bull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	const int64_t year0 = 1767225600; /* 2026-01-01T00:00:00Z */
	const int64_t year = 365 * 86400, lo = 15 * 60, hi = 14 * 86400;
	struct calendar *c = NULL;
	struct err e = { 0 };
	int64_t *from, *arg, sum = 0;
	double t;
	int ret = 1;

	if (n <= 0)
		n = 1000000;
	from = malloc(sizeof(*from) * (size_t)n);
	arg = malloc(sizeof(*arg) * (size_t)n);
	if (!from || !arg || calendar_parse(office, strlen(office), &c, &e)) {
		fprintf(stderr, "bench-calendar: setup failed: %s\n", e.msg);
		goto out;
	}

	for (long i = 0; i < n; i++) {
		from[i] = year0 + (int64_t)(rnd() % (uint64_t)year);
		arg[i] = lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
	}
	t = clock_mono();
	for (long i = 0; i < n; i++)
		sum += calendar_due(c, from[i], arg[i]);
	t = clock_mono() - t;
	printf("calendar_due     %9ld ops  %7.3f s  %10.0f ops/s  (Europe/London 09-18 weekdays, "
	       "targets 15 min-2 weeks of business time)\n",
	       n, t, (double)n / t);
	for (long i = 0; i < n; i += 1000) {
		int64_t d = calendar_due(c, from[i], arg[i]);

		if (calendar_elapsed(c, from[i], d) != arg[i] ||
		    calendar_elapsed(c, from[i], d - 1) >= arg[i]) {
			fprintf(stderr, "bench-calendar: wrong due for start %lld\n", (long long)from[i]);
			goto out;
		}
	}

	for (long i = 0; i < n; i++)
		arg[i] = from[i] + (int64_t)(rnd() % (uint64_t)(hi + 1));
	t = clock_mono();
	for (long i = 0; i < n; i++)
		sum += calendar_elapsed(c, from[i], arg[i]);
	t = clock_mono() - t;
	printf("calendar_elapsed %9ld ops  %7.3f s  %10.0f ops/s  (spans 0-2 weeks of wall time)\n",
	       n, t, (double)n / t);
	printf("checksum %lld\n", (long long)sum);
	ret = 0;
out:
	calendar_free(c);
	free(from);
	free(arg);
	return ret;
}
