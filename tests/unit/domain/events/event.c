/*
 * tests/unit/domain/event.c — the three event parsers: the composed
 * Alertmanager and Events v2 examples of monitoring-formats.md §2.2 and §5.1,
 * itsm's own defaults, and malformed payloads of every kind (ERR_INVALID,
 * the exact field, nothing handed back).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "domain/events/event.h"
#include "lib/timeutil.h"

#define T_0940 1740822000 /* 2025-03-01T09:40:00Z */
#define T_1000 1740823200 /* 2025-03-01T10:00:00Z */
#define T_1005 1740823500 /* 2025-03-01T10:05:00Z */
#define NOW 1750000000

static const char am_example[] =
	"{\"version\": \"4\","
	" \"groupKey\": \"{}:{alertname=\\\"DiskFull\\\", cluster=\\\"eu1\\\"}\","
	" \"truncatedAlerts\": 0, \"status\": \"firing\", \"receiver\": \"itsm-webhook\","
	" \"groupLabels\": {\"alertname\": \"DiskFull\", \"cluster\": \"eu1\"},"
	" \"commonLabels\": {\"alertname\": \"DiskFull\", \"cluster\": \"eu1\","
	"                    \"severity\": \"critical\"},"
	" \"commonAnnotations\": {\"summary\": \"Filesystem almost full\"},"
	" \"externalURL\": \"http://am.example.net:9093\","
	" \"alerts\": ["
	"  {\"status\": \"firing\","
	"   \"labels\": {\"alertname\": \"DiskFull\", \"cluster\": \"eu1\", \"severity\": \"critical\","
	"              \"instance\": \"db1:9100\", \"volume\": \"data\"},"
	"   \"annotations\": {\"summary\": \"Filesystem almost full\", \"description\": \"97% used\"},"
	"   \"startsAt\": \"2025-03-01T10:00:00Z\", \"endsAt\": \"0001-01-01T00:00:00Z\","
	"   \"generatorURL\": \"http://prom.example.net:9090/graph?g0.expr=...\","
	"   \"fingerprint\": \"a1b2c3d4e5f60718\"},"
	"  {\"status\": \"resolved\","
	"   \"labels\": {\"alertname\": \"DiskFull\", \"cluster\": \"eu1\", \"severity\": \"critical\","
	"              \"instance\": \"db2:9100\", \"volume\": \"data\"},"
	"   \"annotations\": {\"summary\": \"Filesystem almost full\", \"description\": \"91% used\"},"
	"   \"startsAt\": \"2025-03-01T09:40:00Z\", \"endsAt\": \"2025-03-01T10:05:00Z\","
	"   \"generatorURL\": \"http://prom.example.net:9090/graph?g0.expr=...\","
	"   \"fingerprint\": \"0f1e2d3c4b5a6978\"}"
	" ]}";

static const char v2_trigger[] =
	"{\"routing_key\":\"0123456789abcdef0123456789abcdef\",\"event_action\":\"trigger\","
	" \"dedup_key\":\"db1/disk/data\","
	" \"payload\":{\"summary\":\"volume data 97% full on db1\",\"source\":\"db1.example.net\","
	"            \"severity\":\"critical\",\"timestamp\":\"2025-03-01T10:00:00Z\","
	"            \"component\":\"filesystem\",\"group\":\"db\",\"class\":\"disk usage\","
	"            \"custom_details\":{\"used_pct\":97,\"volume\":\"data\"}},"
	" \"client\":\"itsm-core\",\"client_url\":\"https://itsm.example.net/alerts/4711\"}";

static const char v2_resolve[] =
	"{\"routing_key\":\"0123456789abcdef0123456789abcdef\",\"event_action\":\"resolve\","
	" \"dedup_key\":\"db1/disk/data\"}";

static json_t *load(const char *s)
{
	json_error_t je;
	json_t *j = json_loads(s, 0, &je);

	if (!j)
		fail_msg("bad test JSON at %d: %s", je.position, je.text);
	return j;
}

static int setup(void **state)
{
	clock_set(NOW);
	return 0;
}

static int teardown(void **state)
{
	clock_set(-1);
	return 0;
}

/* ---- Alertmanager ---- */

static void test_am_composed(void **state)
{
	json_t *j = load(am_example);
	struct event *evs = NULL;
	struct err e = { 0 };
	size_t n = 0;

	assert_int_equal(event_parse_alertmanager(j, NULL, &evs, &n, &e), 0);
	assert_int_equal(n, 2);

	assert_string_equal(evs[0].source, "alertmanager");
	assert_string_equal(evs[0].resource, "db1");
	assert_string_equal(evs[0].check, "DiskFull");
	assert_int_equal(evs[0].severity, EVENT_CRITICAL);
	assert_int_equal(evs[0].action, EVENT_TRIGGER);
	assert_string_equal(evs[0].summary, "Filesystem almost full");
	assert_string_equal(evs[0].dedup_key, "a1b2c3d4e5f60718");
	assert_int_equal(evs[0].at, T_1000);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(evs[0].details, "labels"), "volume")),
			    "data");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(evs[0].details, "annotations"), "description")),
			    "97% used");
	assert_string_equal(json_string_value(json_object_get(evs[0].details, "groupKey")),
			    "{}:{alertname=\"DiskFull\", cluster=\"eu1\"}");
	assert_string_equal(json_string_value(json_object_get(evs[0].details, "generatorURL")),
			    "http://prom.example.net:9090/graph?g0.expr=...");

	assert_string_equal(evs[1].resource, "db2");
	assert_string_equal(evs[1].check, "DiskFull");
	assert_int_equal(evs[1].severity, EVENT_OK);
	assert_int_equal(evs[1].action, EVENT_RESOLVE);
	assert_string_equal(evs[1].dedup_key, "0f1e2d3c4b5a6978");
	assert_int_equal(evs[1].at, T_1005);
	assert_string_equal(json_string_value(json_object_get(evs[1].details, "startsAt")),
			    "2025-03-01T09:40:00Z");
	event_free_array(evs, n);
	json_decref(j);
}

/* One firing alert with the given labels (JSON object text) and extras. */
static int am_one(const char *labels, const char *extra, const struct am_config *cfg,
		  struct event **evs, size_t *n, struct err *e)
{
	char text[8192];
	json_t *j;
	int rc;

	snprintf(text, sizeof(text),
		 "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":%s,"
		 "\"startsAt\":\"2025-03-01T10:00:00.123+01:00\"%s}]}",
		 labels, extra ? extra : "");
	j = load(text);
	rc = event_parse_alertmanager(j, cfg, evs, n, e);
	json_decref(j);
	return rc;
}

static void test_am_dedup_without_fingerprint(void **state)
{
	struct event *evs;
	size_t n;

	assert_int_equal(am_one("{\"volume\":\"data\",\"alertname\":\"DiskFull\","
				"\"instance\":\"db1:9100\",\"q\":\"a\\\"b\\\\c\"}",
				",\"fingerprint\":\"\"", NULL, &evs, &n, NULL),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(evs[0].dedup_key, "{alertname=\"DiskFull\",instance=\"db1:9100\","
					      "q=\"a\\\"b\\\\c\",volume=\"data\"}");
	assert_int_equal(evs[0].at, T_1000 - 3600);
	assert_int_equal(evs[0].severity, EVENT_WARNING); /* no severity label */
	assert_string_equal(evs[0].summary, "DiskFull");  /* no annotations */
	assert_string_equal(json_string_value(json_object_get(evs[0].details, "status")),
			    "firing");
	assert_int_equal(json_object_size(json_object_get(evs[0].details, "annotations")), 0);
	event_free_array(evs, n);
}

static void test_am_resource_labels(void **state)
{
	static const struct {
		const char *labels;
		const char *resource;
	} cases[] = {
		{ "{\"ci\":\"app1\",\"instance\":\"db1:9100\",\"job\":\"node\"}", "app1" },
		{ "{\"ci\":\"\",\"instance\":\"db1:9100\",\"job\":\"node\"}", "db1" },
		{ "{\"instance\":\"[2001:db8::1]:9100\"}", "2001:db8::1" },
		{ "{\"instance\":\"[2001:db8::1]\"}", "2001:db8::1" },
		{ "{\"instance\":\"fe80::1\"}", "fe80::1" },
		{ "{\"instance\":\"db1.example.net\"}", "db1.example.net" },
		{ "{\"instance\":\"db1:metrics\"}", "db1:metrics" },
		{ "{\"instance\":\":9100\",\"job\":\"node\"}", "node" },
		{ "{\"job\":\"node\"}", "node" },
		{ "{\"alertname\":\"Lonely\"}", "" },
	};
	static const char *const order[] = { "host", "job" };
	const struct am_config cfg = { order, 2 };
	struct event *evs;
	size_t n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(am_one(cases[i].labels, NULL, NULL, &evs, &n, NULL), 0);
		if (strcmp(evs[0].resource, cases[i].resource))
			fail_msg("labels %s: resource '%s', expected '%s'", cases[i].labels,
				 evs[0].resource, cases[i].resource);
		event_free_array(evs, n);
	}
	assert_int_equal(am_one("{\"ci\":\"app1\",\"host\":\"h1:22\",\"job\":\"node\"}", NULL,
				&cfg, &evs, &n, NULL),
			 0);
	assert_string_equal(evs[0].resource, "h1:22"); /* only "instance" loses its port */
	event_free_array(evs, n);
	assert_int_equal(am_one("{\"ci\":\"app1\",\"job\":\"node\"}", NULL, &cfg, &evs, &n, NULL),
			 0);
	assert_string_equal(evs[0].resource, "node");
	event_free_array(evs, n);
}

static void test_am_severity_and_summary(void **state)
{
	static const struct {
		const char *label;
		enum event_severity sev;
	} cases[] = {
		{ "critical", EVENT_CRITICAL }, { "error", EVENT_CRITICAL }, { "page", EVENT_CRITICAL },
		{ "PAGE", EVENT_CRITICAL },     { "warning", EVENT_WARNING }, { "info", EVENT_INFO },
		{ "none", EVENT_INFO },         { "disaster", EVENT_WARNING }, { "", EVENT_WARNING },
	};
	char labels[128];
	struct event *evs;
	size_t n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(labels, sizeof(labels), "{\"alertname\":\"A\",\"severity\":\"%s\"}",
			 cases[i].label);
		assert_int_equal(am_one(labels, NULL, NULL, &evs, &n, NULL), 0);
		if (evs[0].severity != cases[i].sev)
			fail_msg("severity '%s' → %d", cases[i].label, evs[0].severity);
		event_free_array(evs, n);
	}
	assert_int_equal(am_one("{\"alertname\":\"A\"}",
				",\"annotations\":{\"summary\":\"\",\"description\":\"D\"}", NULL,
				&evs, &n, NULL),
			 0);
	assert_string_equal(evs[0].summary, "D");
	event_free_array(evs, n);
	assert_int_equal(am_one("{\"x\":\"1\"}", NULL, NULL, &evs, &n, NULL), 0);
	assert_string_equal(evs[0].summary, "{x=\"1\"}");
	assert_string_equal(evs[0].check, "");
	event_free_array(evs, n);
}

static void test_am_long_values(void **state)
{
	char labels[4096], extra[3000];
	struct event *evs;
	size_t n, len = 0;

	/* A 2,001-byte summary ("x" and 2-byte characters) is cut on a boundary. */
	len = (size_t)snprintf(extra, sizeof(extra), ",\"annotations\":{\"summary\":\"x");
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(extra + len, sizeof(extra) - len, "é");
	snprintf(extra + len, sizeof(extra) - len, "\"}");
	/* A label set rendering longer than 255 bytes is hashed. */
	len = (size_t)snprintf(labels, sizeof(labels), "{\"alertname\":\"");
	for (int i = 0; i < 300; i++)
		labels[len++] = 'a';
	snprintf(labels + len, sizeof(labels) - len, "\"}");
	assert_int_equal(am_one(labels, extra, NULL, &evs, &n, NULL), 0);
	assert_int_equal(strlen(evs[0].summary), 1023);
	assert_int_equal(strlen(evs[0].dedup_key), 64);
	assert_int_equal(strspn(evs[0].dedup_key, "0123456789abcdef"), 64);
	event_free_array(evs, n);
}

static void test_am_empty_alerts(void **state)
{
	json_t *j = load("{\"version\":\"4\",\"alerts\":[]}");
	struct event *evs = (struct event *)1;
	size_t n = 7;

	assert_int_equal(event_parse_alertmanager(j, NULL, &evs, &n, NULL), 0);
	assert_null(evs);
	assert_int_equal(n, 0);
	json_decref(j);
}

#define GOOD_ALERT                                                                        \
	"{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"                        \
	"\"startsAt\":\"2025-03-01T10:00:00Z\"}"

static void test_am_malformed(void **state)
{
	static const struct {
		const char *json;
		const char *field;
	} cases[] = {
		{ "[]", "" },
		{ "{\"alerts\":[]}", "version" },
		{ "{\"version\":4,\"alerts\":[]}", "version" },
		{ "{\"version\":\"3\",\"alerts\":[]}", "version" },
		{ "{\"version\":\"4\"}", "alerts" },
		{ "{\"version\":\"4\",\"alerts\":{}}", "alerts" },
		{ "{\"version\":\"4\",\"groupKey\":5,\"alerts\":[]}", "groupKey" },
		{ "{\"version\":\"4\",\"alerts\":[" GOOD_ALERT ",7]}", "alerts[1]" },
		{ "{\"version\":\"4\",\"alerts\":[" GOOD_ALERT ",{\"status\":\"firing\","
		  "\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[1].labels" },
		{ "{\"version\":\"4\",\"alerts\":[" GOOD_ALERT ",{\"status\":\"firing\","
		  "\"labels\":[],\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[1].labels" },
		{ "{\"version\":\"4\",\"alerts\":[" GOOD_ALERT ",{\"status\":\"firing\","
		  "\"labels\":{\"a\":1},\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[1].labels" },
		{ "{\"version\":\"4\",\"alerts\":[" GOOD_ALERT ",{\"status\":\"firing\","
		  "\"labels\":{},\"startsAt\":\"yesterday\"}]}",
		  "alerts[1].startsAt" },
		{ "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{}}]}",
		  "alerts[0].startsAt" },
		{ "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},"
		  "\"startsAt\":\"2025-03-01T10:00:00Z\",\"endsAt\":\"2025-13-01T10:00:00Z\"}]}",
		  "alerts[0].endsAt" },
		{ "{\"version\":\"4\",\"alerts\":[{\"status\":\"resolved\",\"labels\":{},"
		  "\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[0].endsAt" },
		{ "{\"version\":\"4\",\"alerts\":[" GOOD_ALERT ",{\"status\":\"pending\","
		  "\"labels\":{},\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[1].status" },
		{ "{\"version\":\"4\",\"alerts\":[{\"labels\":{},"
		  "\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[0].status" },
		{ "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},"
		  "\"annotations\":\"x\",\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[0].annotations" },
		{ "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},"
		  "\"fingerprint\":12,\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[0].fingerprint" },
		{ "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},"
		  "\"generatorURL\":true,\"startsAt\":\"2025-03-01T10:00:00Z\"}]}",
		  "alerts[0].generatorURL" },
	};
	struct event *evs;
	struct err e;
	size_t n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = load(cases[i].json);

		evs = (struct event *)1;
		n = 7;
		err_clear(&e);
		assert_int_equal(event_parse_alertmanager(j, NULL, &evs, &n, &e), ERR_INVALID);
		if (strcmp(e.field, cases[i].field))
			fail_msg("case %zu: field '%s', expected '%s' (%s)", i, e.field,
				 cases[i].field, e.msg);
		assert_int_equal(e.code, ERR_INVALID);
		assert_true(e.msg[0] != '\0');
		assert_null(evs);
		assert_int_equal(n, 0);
		json_decref(j);
	}
}

/* ---- Events v2 ---- */

static void test_v2_trigger(void **state)
{
	json_t *j = load(v2_trigger);
	struct event ev;

	assert_int_equal(event_parse_events_v2(j, &ev, NULL), 0);
	assert_string_equal(ev.source, "events-v2");
	assert_string_equal(ev.resource, "db1.example.net");
	assert_string_equal(ev.check, "disk usage");
	assert_int_equal(ev.severity, EVENT_CRITICAL);
	assert_int_equal(ev.action, EVENT_TRIGGER);
	assert_string_equal(ev.summary, "volume data 97% full on db1");
	assert_string_equal(ev.dedup_key, "db1/disk/data");
	assert_int_equal(ev.at, T_1000);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(ev.details, "custom_details"), "used_pct")),
			 97);
	assert_string_equal(json_string_value(json_object_get(ev.details, "component")),
			    "filesystem");
	assert_string_equal(json_string_value(json_object_get(ev.details, "group")), "db");
	assert_string_equal(json_string_value(json_object_get(ev.details, "client")),
			    "itsm-core");
	assert_null(json_object_get(ev.details, "routing_key"));
	event_release(&ev);
	assert_null(ev.source);
	json_decref(j);
}

static void test_v2_resolve_ack(void **state)
{
	json_t *j = load(v2_resolve);
	struct event ev;

	assert_int_equal(event_parse_events_v2(j, &ev, NULL), 0);
	assert_int_equal(ev.action, EVENT_RESOLVE);
	assert_int_equal(ev.severity, EVENT_OK);
	assert_string_equal(ev.dedup_key, "db1/disk/data");
	assert_string_equal(ev.resource, "");
	assert_string_equal(ev.check, "event");
	assert_int_equal(ev.at, NOW);
	assert_int_equal(json_object_size(ev.details), 0);
	event_release(&ev);
	json_decref(j);

	j = load("{\"routing_key\":\"k\",\"event_action\":\"acknowledge\",\"dedup_key\":\"x\"}");
	assert_int_equal(event_parse_events_v2(j, &ev, NULL), 0);
	assert_int_equal(ev.action, EVENT_ACKNOWLEDGE);
	assert_int_equal(ev.severity, EVENT_INFO);
	event_release(&ev);
	json_decref(j);
}

static void test_v2_defaults(void **state)
{
	json_t *j = load("{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":{"
			 "\"summary\":\"s\",\"source\":\"db1\",\"severity\":\"error\","
			 "\"component\":\"mysql\",\"timestamp\":\"2025-03-01T11:00:00.315+0100\","
			 "\"custom_details\":\"free text\"}}");
	struct event ev;

	assert_int_equal(event_parse_events_v2(j, &ev, NULL), 0);
	assert_int_equal(ev.severity, EVENT_CRITICAL);
	assert_string_equal(ev.check, "mysql");
	assert_string_equal(ev.dedup_key, "db1::mysql::");
	assert_int_equal(ev.at, T_1000);
	assert_string_equal(json_string_value(json_object_get(ev.details, "custom_details")),
			    "free text");
	event_release(&ev);
	json_decref(j);

	j = load("{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":{"
		 "\"summary\":\"s\",\"source\":\"db1\",\"severity\":\"info\"}}");
	assert_int_equal(event_parse_events_v2(j, &ev, NULL), 0);
	assert_string_equal(ev.check, "event");
	assert_string_equal(ev.dedup_key, "db1::::");
	assert_int_equal(ev.severity, EVENT_INFO);
	assert_int_equal(ev.at, NOW);
	event_release(&ev);
	json_decref(j);
}

static void test_v2_malformed(void **state)
{
#define P(x) "{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":{" x "}}"
	static const struct {
		const char *json;
		const char *field;
	} cases[] = {
		{ "[\"trigger\"]", "" },
		{ "{\"event_action\":\"resolve\",\"dedup_key\":\"x\"}", "routing_key" },
		{ "{\"routing_key\":\"\",\"event_action\":\"resolve\",\"dedup_key\":\"x\"}",
		  "routing_key" },
		{ "{\"routing_key\":\"k\",\"dedup_key\":\"x\"}", "event_action" },
		{ "{\"routing_key\":\"k\",\"event_action\":\"close\",\"dedup_key\":\"x\"}",
		  "event_action" },
		{ "{\"routing_key\":\"k\",\"event_action\":\"resolve\"}", "dedup_key" },
		{ "{\"routing_key\":\"k\",\"event_action\":\"acknowledge\",\"dedup_key\":\"\"}",
		  "dedup_key" },
		{ "{\"routing_key\":\"k\",\"event_action\":\"resolve\",\"dedup_key\":5}",
		  "dedup_key" },
		{ "{\"routing_key\":\"k\",\"event_action\":\"trigger\"}", "payload" },
		{ "{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":[]}", "payload" },
		{ P("\"source\":\"h\",\"severity\":\"info\""), "payload.summary" },
		{ P("\"summary\":\"s\",\"severity\":\"info\""), "payload.source" },
		{ P("\"summary\":\"s\",\"source\":\"h\""), "payload.severity" },
		{ P("\"summary\":\"s\",\"source\":\"h\",\"severity\":\"major\""),
		  "payload.severity" },
		{ P("\"summary\":\"s\",\"source\":\"h\",\"severity\":\"info\","
		    "\"timestamp\":\"2025-03-01\""),
		  "payload.timestamp" },
		{ P("\"summary\":\"s\",\"source\":\"h\",\"severity\":\"info\",\"component\":1"),
		  "payload.component" },
		{ P("\"summary\":[],\"source\":\"h\",\"severity\":\"info\""), "payload.summary" },
	};
#undef P
	struct event ev;
	struct err e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = load(cases[i].json);

		memset(&ev, 0xab, sizeof(ev));
		err_clear(&e);
		assert_int_equal(event_parse_events_v2(j, &ev, &e), ERR_INVALID);
		if (strcmp(e.field, cases[i].field))
			fail_msg("case %zu: field '%s', expected '%s' (%s)", i, e.field,
				 cases[i].field, e.msg);
		assert_null(ev.source);
		assert_null(ev.dedup_key);
		assert_null(ev.details);
		json_decref(j);
	}
}

/* ---- itsm's own events ---- */

static void test_own_defaults(void **state)
{
	json_t *j = load("{\"source\":\"nagios\",\"resource\":\"db1\",\"check\":\"disk\","
			 "\"severity\":\"critical\"}");
	struct event ev;

	assert_int_equal(event_parse(j, &ev, NULL), 0);
	assert_string_equal(ev.source, "nagios");
	assert_string_equal(ev.resource, "db1");
	assert_string_equal(ev.check, "disk");
	assert_int_equal(ev.severity, EVENT_CRITICAL);
	assert_int_equal(ev.action, EVENT_TRIGGER);
	assert_string_equal(ev.dedup_key, "nagios::db1::disk");
	assert_string_equal(ev.summary, "disk critical on db1");
	assert_true(json_is_object(ev.details));
	assert_int_equal(json_object_size(ev.details), 0);
	assert_int_equal(ev.at, NOW);
	event_release(&ev);
	json_decref(j);

	j = load("{\"source\":\"s\",\"resource\":\"r\",\"check\":\"c\",\"severity\":\"ok\","
		 "\"summary\":\"back\",\"dedup_key\":\"k1\",\"details\":{\"a\":[1]},"
		 "\"at\":\"2025-03-01T11:00:00+01:00\"}");
	assert_int_equal(event_parse(j, &ev, NULL), 0);
	assert_int_equal(ev.severity, EVENT_OK);
	assert_int_equal(ev.action, EVENT_RESOLVE);
	assert_string_equal(ev.summary, "back");
	assert_string_equal(ev.dedup_key, "k1");
	assert_int_equal(ev.at, T_1000);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(ev.details, "a"), 0)),
			 1);
	event_release(&ev);
	json_decref(j);
}

static void test_own_long_dedup(void **state)
{
	char res[256], text[1024], key[1024], expect[65];
	unsigned char h[32];
	struct event ev;
	json_t *j;

	memset(res, 'r', 255);
	res[255] = '\0';
	snprintf(text, sizeof(text),
		 "{\"source\":\"src\",\"resource\":\"%s\",\"check\":\"chk\",\"severity\":\"info\"}",
		 res);
	snprintf(key, sizeof(key), "src::%s::chk", res);
	crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key), NULL, 0);
	sodium_bin2hex(expect, sizeof(expect), h, sizeof(h));
	j = load(text);
	assert_int_equal(event_parse(j, &ev, NULL), 0);
	assert_string_equal(ev.dedup_key, expect);
	assert_string_equal(ev.resource, res);
	event_release(&ev);
	json_decref(j);
}

static void test_own_malformed(void **state)
{
#define E(x) "{\"source\":\"s\",\"resource\":\"r\",\"check\":\"c\",\"severity\":\"info\"" x "}"
	static char long_check[400], long_summary[1200];
	const struct {
		const char *json;
		const char *field;
	} cases[] = {
		{ "[1]", "" },
		{ "{\"resource\":\"r\",\"check\":\"c\",\"severity\":\"info\"}", "source" },
		{ "{\"source\":7,\"resource\":\"r\",\"check\":\"c\",\"severity\":\"info\"}",
		  "source" },
		{ "{\"source\":\"s\",\"resource\":\"\",\"check\":\"c\",\"severity\":\"info\"}",
		  "resource" },
		{ "{\"source\":\"s\",\"resource\":\"r\",\"severity\":\"info\"}", "check" },
		{ long_check, "check" },
		{ "{\"source\":\"s\",\"resource\":\"r\",\"check\":\"c\"}", "severity" },
		{ "{\"source\":\"s\",\"resource\":\"r\",\"check\":\"c\",\"severity\":\"fatal\"}",
		  "severity" },
		{ "{\"source\":\"s\",\"resource\":\"r\",\"check\":\"c\",\"severity\":\"Critical\"}",
		  "severity" },
		{ long_summary, "summary" },
		{ E(",\"summary\":{}"), "summary" },
		{ E(",\"details\":[1]"), "details" },
		{ E(",\"details\":\"x\""), "details" },
		{ E(",\"at\":\"2025-02-30T00:00:00Z\""), "at" },
		{ E(",\"at\":1740823200"), "at" },
		{ E(",\"dedup_key\":5"), "dedup_key" },
	};
#undef E
	struct event ev;
	struct err e;
	size_t len;

	len = (size_t)snprintf(long_check, sizeof(long_check),
			       "{\"source\":\"s\",\"resource\":\"r\",\"severity\":\"info\","
			       "\"check\":\"");
	memset(long_check + len, 'c', 256);
	snprintf(long_check + len + 256, sizeof(long_check) - len - 256, "\"}");
	len = (size_t)snprintf(long_summary, sizeof(long_summary),
			       "{\"source\":\"s\",\"resource\":\"r\",\"check\":\"c\","
			       "\"severity\":\"info\",\"summary\":\"");
	memset(long_summary + len, 'x', 1025);
	snprintf(long_summary + len + 1025, sizeof(long_summary) - len - 1025, "\"}");

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = load(cases[i].json);

		memset(&ev, 0xab, sizeof(ev));
		err_clear(&e);
		assert_int_equal(event_parse(j, &ev, &e), ERR_INVALID);
		if (strcmp(e.field, cases[i].field))
			fail_msg("case %zu: field '%s', expected '%s' (%s)", i, e.field,
				 cases[i].field, e.msg);
		assert_null(ev.source);
		assert_null(ev.summary);
		assert_null(ev.details);
		assert_int_equal(ev.at, 0);
		json_decref(j);
	}
}

static void test_names(void **state)
{
	enum event_severity s;

	assert_string_equal(event_severity_name(EVENT_WARNING), "warning");
	assert_string_equal(event_action_name(EVENT_ACKNOWLEDGE), "acknowledge");
	assert_int_equal(event_severity_parse("critical", &s), 0);
	assert_int_equal(s, EVENT_CRITICAL);
	assert_int_equal(event_severity_parse("error", &s), ERR_INVALID);
	event_release(NULL);
	event_free_array(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_am_composed),
		cmocka_unit_test(test_am_dedup_without_fingerprint),
		cmocka_unit_test(test_am_resource_labels),
		cmocka_unit_test(test_am_severity_and_summary),
		cmocka_unit_test(test_am_long_values),
		cmocka_unit_test(test_am_empty_alerts),
		cmocka_unit_test(test_am_malformed),
		cmocka_unit_test(test_v2_trigger),
		cmocka_unit_test(test_v2_resolve_ack),
		cmocka_unit_test(test_v2_defaults),
		cmocka_unit_test(test_v2_malformed),
		cmocka_unit_test(test_own_defaults),
		cmocka_unit_test(test_own_long_dedup),
		cmocka_unit_test(test_own_malformed),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
