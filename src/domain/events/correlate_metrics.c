/*
 * correlate_metrics.c — the monitoring lines of /metrics: events received
 * by source and outcome, open incidents by priority, check runs by result
 * and their latency, plugins running now.
 */
#include "domain/events/check.h"
#include "domain/events/correlate.h"
#include "domain/desk/stats.h"
#include "lib/buf.h"
#include "store/store_cmdb.h"

static const char *const source_names[INTAKE_SRC__COUNT] = { "events", "alertmanager",
							      "events-v2", "checks" };

void correlate_metrics(struct store *st, struct buf *b)
{
	struct ticket_gauges gauges;
	uint64_t cum = 0;

	buf_puts(b, "# HELP itsm_events_received_total Monitoring events by source and outcome.\n"
		    "# TYPE itsm_events_received_total counter\n");
	for (int s = 0; s < INTAKE_SRC__COUNT; s++)
		for (int o = 0; o < CO__COUNT + 2; o++) {
			uint64_t n = atomic_load(&intake_counts[s][o]);
			const char *name = o == INTAKE_REJECTED ? "rejected"
					   : o == INTAKE_BUSY	? "busy"
								: correlate_outcome_name(o);

			buf_printf(b, "itsm_events_received_total{source=\"%s\",outcome=\"%s\"} %llu\n",
				   source_names[s], name, (unsigned long long)n);
		}
	if (!stats_ticket_gauges(st, &gauges)) {
		buf_puts(b, "# HELP itsm_incidents_open Open incidents by priority.\n"
			    "# TYPE itsm_incidents_open gauge\n");
		for (int p = 1; p <= 5; p++)
			buf_printf(b, "itsm_incidents_open{priority=\"%d\"} %lld\n", p,
				   (long long)gauges.open_incidents[p]);
	}
	buf_puts(b, "# HELP itsm_check_results_total Check plugin runs by result.\n"
		    "# TYPE itsm_check_results_total counter\n");
	for (int s = 0; s < 4; s++)
		buf_printf(b, "itsm_check_results_total{state=\"%s\"} %llu\n",
			   plugin_state_name((enum plugin_state)s),
			   (unsigned long long)atomic_load(&check_runs[s]));
	buf_puts(b, "# HELP itsm_check_duration_seconds Time a check plugin ran.\n"
		    "# TYPE itsm_check_duration_seconds histogram\n");
	for (int i = 0; i < 7; i++) {
		cum += atomic_load(&check_latency_buckets[i]);
		buf_printf(b, "itsm_check_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   check_latency_bounds[i], (unsigned long long)cum);
	}
	cum += atomic_load(&check_latency_buckets[7]);
	buf_printf(b, "itsm_check_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		   (unsigned long long)cum);
	buf_printf(b, "itsm_check_duration_seconds_sum %.3f\n",
		   (double)atomic_load(&check_latency_ms_sum) / 1000);
	buf_printf(b, "itsm_check_duration_seconds_count %llu\n", (unsigned long long)cum);
	buf_printf(b, "# HELP itsm_checks_running Check plugins running now.\n"
		      "# TYPE itsm_checks_running gauge\nitsm_checks_running %lld\n",
		   (long long)atomic_load(&check_running));
}
