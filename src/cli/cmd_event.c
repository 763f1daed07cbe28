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

#include <stdlib.h>
#include <string.h>

static const char usage_send[] =
	"itsm event send --source S --resource R --check C --severity ok|info|warning|critical\n"
	"                   [--summary TEXT] [--dedup-key K] [--at RFC3339]";
static const char usage_alerts[] = "itsm event alerts [--state open|closed] [--limit N]";
static const char usage_show[] = "itsm event show ALERT-ID";
static const char usage_prune[] =
	"itsm event prune --days N   (drop event log rows and metric points older)";

static const struct opt send_opts[] = {
	{ "--source" },  { "--resource" },  { "--check" }, { "--severity" },
	{ "--summary" }, { "--dedup-key" }, { "--at" },    { NULL },
};

static int send_event(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const map[][2] = {
		{ "--source", "source" },   { "--resource", "resource" },
		{ "--check", "check" },	    { "--severity", "severity" },
		{ "--summary", "summary" }, { "--dedup-key", "dedup_key" },
		{ "--at", "at" },
	};
	struct err e = { 0 };
	json_t *in = json_object(), *out = NULL;
	const char *v;
	int rc;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if ((v = cli_opt(opts, map[i][0])))
			json_object_set_new(in, map[i][1], json_string(v));
	rc = correlate_ingest_json(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	printf("%s %s\n", json_string_value(json_object_get(out, "outcome")),
	       json_string_value(json_object_get(out, "dedup_key")));
	json_decref(out);
	return 0;
}

static const struct opt alerts_opts[] = { { "--state" }, { "--limit" }, { NULL } };

static int alerts(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "state",    "severity",   "count",
					    "ci", "incident", "summary:50", NULL };
	struct err e = { 0 };
	json_t *q = json_object(), *out = NULL;
	const char *v;
	int rc;

	if ((v = cli_opt(opts, "--state")))
		json_object_set_new(q, "state", json_string(v));
	if ((v = cli_opt(opts, "--limit")))
		json_object_set_new(q, "limit", json_string(v));
	rc = correlate_alerts_json(c->st, &c->actor, q, &out, &e);
	json_decref(q);
	if (rc)
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static const struct opt prune_opts[] = { { "--days" }, { NULL } };

static int prune(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *v = cli_opt(opts, "--days");
	struct err e = { 0 };
	json_t *out = NULL;

	if (!v)
		return cli_failf("give --days N: how many days of events and metrics to keep");
	if (correlate_prune(c->st, &c->actor, atoi(v), &out, &e))
		return cli_fail(&e);
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	printf("pruned %lld events and %lld metric points before %s\n",
	       (long long)json_integer_value(json_object_get(out, "events")),
	       (long long)json_integer_value(json_object_get(out, "points")),
	       json_string_value(json_object_get(out, "before")));
	json_decref(out);
	return 0;
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;

	if (correlate_alert_json(c->st, &c->actor, atoll(pos[0]), &out, &e))
		return cli_fail(&e);
	cli_print_json(out);
	return 0;
}

static const struct subcommand subcommands[] = {
	{ "send", send_event, 0, 0, send_opts, usage_send },
	{ "alerts", alerts, 0, 0, alerts_opts, usage_alerts },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "prune", prune, 0, 0, prune_opts, usage_prune },
	{ NULL },
};

int cmd_event(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
