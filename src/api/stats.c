/*
 * stats.c — counting answered requests by route, status and latency, and
 * writing the counts as Prometheus text (see stats.h).
 */
#include "api/stats.h"
#include "api/http.h"

#include <string.h>

static const double lat_bounds[LAT_BUCKETS] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						0.05,	0.1,   0.25,   0.5,   1,     2.5 };

void http_stats_init(struct http_stats *s, const struct route *table, size_t n,
		     int64_t started_at)
{
	memset(s, 0, sizeof(*s));
	s->route_table = table;
	s->n_routes = n < MAX_ROUTES ? n : MAX_ROUTES;
	s->started_at = started_at;
}

void http_stats_record(struct http_stats *s, int route, int status, double seconds)
{
	int idx = route >= 0 && (size_t)route < s->n_routes ? route : MAX_ROUTES;
	int st = status >= 100 && status < 600 ? status : 500;
	int b;

	atomic_fetch_add(&s->routes[idx].by_status[st], 1);
	atomic_fetch_add(&s->routes[idx].by_class[st / 100], 1);
	for (b = 0; b < LAT_BUCKETS && seconds > lat_bounds[b]; b++)
		;
	atomic_fetch_add(&s->lat_buckets[b], 1);
	atomic_fetch_add(&s->lat_count, 1);
	atomic_fetch_add(&s->lat_sum_us, (uint64_t)(seconds * 1e6));
}

void http_stats_write(const struct http_stats *s, struct buf *b)
{
	uint64_t cum = 0;

	buf_puts(b, "# HELP itsm_http_requests_total HTTP requests by route and status.\n"
		    "# TYPE itsm_http_requests_total counter\n");
	for (size_t i = 0; i <= s->n_routes; i++) {
		size_t idx = i == s->n_routes ? MAX_ROUTES : i;
		const char *name = i == s->n_routes ? "none" : s->route_table[i].name;

		for (int st = 100; st < 600; st++) {
			uint64_t n = atomic_load(&s->routes[idx].by_status[st]);

			if (n)
				buf_printf(b,
					   "itsm_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
					   name, st, (unsigned long long)n);
		}
	}
	buf_puts(b, "# HELP itsm_http_request_duration_seconds Time to answer a request.\n"
		    "# TYPE itsm_http_request_duration_seconds histogram\n");
	for (int i = 0; i < LAT_BUCKETS; i++) {
		cum += atomic_load(&s->lat_buckets[i]);
		buf_printf(b, "itsm_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   lat_bounds[i], (unsigned long long)cum);
	}
	cum += atomic_load(&s->lat_buckets[LAT_BUCKETS]);
	buf_printf(b, "itsm_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		   (unsigned long long)cum);
	buf_printf(b, "itsm_http_request_duration_seconds_sum %.6f\n",
		   atomic_load(&s->lat_sum_us) / 1e6);
	buf_printf(b, "itsm_http_request_duration_seconds_count %llu\n",
		   (unsigned long long)atomic_load(&s->lat_count));
	buf_printf(b, "# HELP itsm_start_time_seconds When the server started.\n"
		      "# TYPE itsm_start_time_seconds gauge\nitsm_start_time_seconds %lld\n",
		   (long long)s->started_at);
}
