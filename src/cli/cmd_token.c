/*
 * cmd_token.c — itsm token create NAME [--user USER] [--scope all|events]
 *
 * Prints the new token on stdout and nothing else, so scripts can capture
 * it; the store keeps only its hash.
 */
#include "cli/cli.h"
#include "domain/platform/user.h"

#include <string.h>

static const char usage_create[] = "itsm token create NAME [--user USER] [--scope all|events]";

static const struct opt create_opts[] = { { "--user" }, { "--scope" }, { NULL } };

static int create(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *user = cli_opt(opts, "--user");
	struct err e = { 0 };
	char token[TOKEN_TEXT_LEN];

	if (!user)
		user = c->as_user ? c->as_user : "admin";
	if (token_create(c->st, &c->actor, user, pos[0], cli_opt(opts, "--scope"), token, NULL,
			 &e))
		return cli_fail(&e);
	puts(token);
	return 0;
}

const struct subcommand cmd_token[] = {
	{ "create", create, 1, 1, create_opts, usage_create },
	{ NULL },
};
