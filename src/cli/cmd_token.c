/*
 * cmd_token.c — itsm token create NAME [--user USER] [--scope all|events]
 *
 * Prints the new token on stdout and nothing else, so scripts can capture
 * it; the store keeps only its hash.
 */
#include "cli/cli.h"
#include "domain/platform/user.h"

#include <string.h>

static const char usage[] = "itsm token create NAME [--user USER] [--scope all|events]";

int cmd_token(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--user", 1 }, { "--scope", 1 }, { NULL } };
	const char *pos[2], *user;
	struct err e = { 0 };
	char token[TOKEN_TEXT_LEN];
	int n, rc;

	if (argc < 1 || strcmp(argv[0], "create"))
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if (n != 1)
		return cli_usage(usage);
	if ((rc = cli_open(c, 0)))
		return rc;
	user = cli_opt(opts, "--user");
	if (!user)
		user = c->as_user ? c->as_user : "admin";
	if (token_create(c->st, &c->actor, user, pos[0], cli_opt(opts, "--scope"), token, NULL,
			 &e))
		return cli_fail(&e);
	puts(token);
	return 0;
}
