/*
 * cmd_event.c — monitoring events from the command line:
 *   itsm event send --source S --resource R --check C --severity SEV
 *                   [--summary TEXT] [--dedup-key K] [--at RFC3339]
 *   itsm event alerts [--state open|closed] [--limit N]
 *   itsm event show ALERT-ID
 *   itsm event prune --days N
 * `send` goes through the same parser and correlation as POST
 * /api/v1/events, so a script can raise and clear incidents without HTTP.
 */
#include "cli/cli.h"
#include "domain/events/correlate.h"
#include "domain/events/event.h"
#include "lib/plural.h"

#include <stdlib.h>

static const char usage_send[] =
	"itsm event send --source S --resource R --check C --severity ok|info|warning|critical\n"
	"                   [--summary TEXT] [--dedup-key K] [--at RFC3339]";
static const char usage_alerts[] = "itsm event alerts [--state open|closed] [--limit N]";
static const char usage_show[] = "itsm event show ALERT-ID";
static const char usage_prune[] =
	"itsm event prune --days N   (drop event log rows and metric points older)";

static const struct opt send_opts[] = {
	{ "--source", CLI_STR, "source" },     { "--resource", CLI_STR, "resource" },
	{ "--check", CLI_STR, "check" },       { "--severity", CLI_STR, "severity" },
	{ "--summary", CLI_STR, "summary" },   { "--dedup-key", CLI_STR, "dedup_key" },
	{ "--at", CLI_STR, "at" },	       { NULL },
};

static void print_sent(const json_t *out, const char *ref)
{
	printf("%s %s\n", json_string_value(json_object_get(out, "outcome")),
	       json_string_value(json_object_get(out, "dedup_key")));
}

static int send_event(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, correlate_ingest_json, opts, NULL, CLI_AS_TEXT(print_sent));
}

static const struct opt alerts_opts[] = {
	{ "--state", CLI_STR, "state" }, { "--limit", CLI_STR, "limit" }, { NULL },
};

static int alerts(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "state",    "severity",   "count",
					    "ci", "incident", "summary:50", NULL };

	return cli_call(c, correlate_alerts_json, opts, NULL, CLI_AS_TABLE(cols));
}

static const struct opt prune_opts[] = { { "--days" }, { NULL } };

static void print_pruned(const json_t *out, const char *ref)
{
	json_int_t ev = json_integer_value(json_object_get(out, "events"));
	json_int_t pt = json_integer_value(json_object_get(out, "points"));

	printf("pruned %lld %s and %lld %s before %s\n", (long long)ev,
	       plural(ev, "event", "events"), (long long)pt,
	       plural(pt, "metric point", "metric points"),
	       json_string_value(json_object_get(out, "before")));
}

static int prune(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *v = cli_opt(opts, "--days");
	struct err e = { 0 };
	json_t *out = NULL;
	int rc;

	if (!v)
		return cli_failf("give --days N: how many days of events and metrics to keep");
	rc = correlate_prune(c->st, &c->actor, atoi(v), &out, &e);
	return cli_answer(c, rc, out, &e, CLI_AS_TEXT(print_pruned));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = correlate_alert_json(c->st, &c->actor, atoll(pos[0]), &out, &e);

	return cli_answer(c, rc, out, &e, CLI_AS_JSON);
}

const struct subcommand cmd_event[] = {
	{ "send", send_event, 0, 0, send_opts, usage_send },
	{ "alerts", alerts, 0, 0, alerts_opts, usage_alerts },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "prune", prune, 0, 0, prune_opts, usage_prune },
	{ NULL },
};
