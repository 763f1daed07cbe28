/*
 * cmd_audit.c — itsm audit verify | audit list [--after N] [--limit N]
 *
 * `audit verify` exits 0 only when the whole chain verifies and every
 * stored ticket and comment matches the state the chain recorded for it.
 */
#include "cli/cli.h"
#include "domain/platform/audit.h"


static const char usage_verify[] = "itsm audit verify";
static const char usage_list[] = "itsm audit list [--after SEQ] [--limit N]";

static int verify(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct audit_result res;
	struct err e = { 0 };

	if (audit_verify(c->st, &res, &e))
		return cli_fail(&e);
	if (c->json) {
		cli_print_json(audit_result_json(&res));
	} else if (res.ok) {
		printf("ok: %lld records verify, head %s\n", (long long)res.records, res.head);
	} else {
		printf("FAILED: first bad record %lld: %s\n", (long long)res.first_bad, res.reason);
	}
	return res.ok ? 0 : 1;
}

/* --after SEQ, or --cursor as every list's next page names it (which wins:
 * it comes later in the table) */
static const struct opt list_opts[] = {
	{ "--after", CLI_STR, "cursor" },
	{ "--cursor", CLI_STR, "cursor" },
	{ "--limit", CLI_STR, "limit" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "seq", "at", "actor", "action", "entity", NULL };

	return cli_call(c, audit_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

const struct subcommand cmd_audit[] = {
	{ "verify", verify, 0, 0, NULL, usage_verify },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ NULL },
};
