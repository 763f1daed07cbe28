/*
 * cmd_audit.c — itsm audit verify | audit list [--after N] [--limit N]
 *
 * `audit verify` exits 0 only when the whole chain verifies and every
 * stored ticket and comment matches the state the chain recorded for it.
 */
#include "cli/cli.h"
#include "domain/platform/audit.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "itsm audit verify\n       itsm audit list [--after SEQ] [--limit N]";

int cmd_audit(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--after", 1 }, { "--cursor", 1 }, { "--limit", 1 }, { NULL } };
	static const char *const cols[] = { "seq", "at", "actor", "action", "entity", NULL };
	struct audit_result res;
	struct err e = { 0 };
	const char *pos[1];
	json_t *out;
	int n, rc;

	if (argc < 1)
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 0, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "verify")) {
		if (audit_verify(c->st, &res, &e))
			return cli_fail(&e);
		if (c->json) {
			cli_print_json(audit_result_json(&res));
		} else if (res.ok) {
			printf("ok: %lld records verify, head %s\n", (long long)res.records, res.head);
		} else {
			printf("FAILED: first bad record %lld: %s\n", (long long)res.first_bad,
			       res.reason);
		}
		return res.ok ? 0 : 1;
	}
	if (!strcmp(argv[0], "list")) {
		json_t *q = json_object();

		/* --after SEQ, or --cursor as every list's next page names it */
		if (cli_opt(opts, "--after") || cli_opt(opts, "--cursor"))
			json_object_set_new(q, "cursor",
					    json_string(cli_opt(opts, "--cursor") ?
								cli_opt(opts, "--cursor") :
								cli_opt(opts, "--after")));
		if (cli_opt(opts, "--limit"))
			json_object_set_new(q, "limit", json_string(cli_opt(opts, "--limit")));
		rc = audit_list_json(c->st, &c->actor, q, &out, &e);
		json_decref(q);
		if (rc)
			return cli_fail(&e);
		return cli_print_list(c, out, cols);
	}
	return cli_usage(usage);
}
