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

static const char usage[] =
	"itsm event send --source S --resource R --check C --severity ok|info|warning|critical\n"
	"                   [--summary TEXT] [--dedup-key K] [--at RFC3339]\n"
	"       itsm event alerts [--state open|closed] [--limit N]\n"
	"       itsm event show ALERT-ID\n"
	"       itsm event prune --days N   (drop event log rows and metric points older)";

int cmd_event(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--source", 1 },  { "--resource", 1 }, { "--check", 1 },
			      { "--severity", 1 }, { "--summary", 1 },  { "--dedup-key", 1 },
			      { "--at", 1 },	   { "--state", 1 },	{ "--limit", 1 },
			      { "--days", 1 },	   { NULL } };
	struct err e = { 0 };
	const char *pos[1], *v;
	json_t *out = NULL;
	int n, rc;

	if (argc < 1)
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "send") && n == 0) {
		static const char *const map[][2] = {
			{ "--source", "source" },   { "--resource", "resource" },
			{ "--check", "check" },	    { "--severity", "severity" },
			{ "--summary", "summary" }, { "--dedup-key", "dedup_key" },
			{ "--at", "at" },
		};
		json_t *in = json_object();

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
	if (!strcmp(argv[0], "alerts") && n == 0) {
		static const char *const cols[] = { "id",    "state",    "severity", "count",
						    "ci",    "incident", "summary:50", NULL };
		json_t *q = json_object();

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
	if (!strcmp(argv[0], "prune") && n == 0) {
		v = cli_opt(opts, "--days");
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
	if (!strcmp(argv[0], "show") && n == 1) {
		if (correlate_alert_json(c->st, &c->actor, atoll(pos[0]), &out, &e))
			return cli_fail(&e);
		cli_print_json(out);
		return 0;
	}
	return cli_usage(usage);
}
