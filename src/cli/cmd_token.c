/*
 * cmd_token.c — itsm token create NAME [--user USER] [--scope all|events]
 *                                      [--expires 90d | --expires-at TIME]
 *             | token list [--user NAME] | token revoke ID
 *
 * create prints the new token on stdout and nothing else, so scripts can
 * capture it; the store keeps only its hash, and list never shows it.
 */
#include "cli/cli.h"
#include "domain/platform/token.h"

#include <string.h>

static const char usage_create[] =
	"itsm token create NAME [--user USER] [--scope all|events]\n"
	"                       [--expires 90d|12h | --expires-at RFC3339]";
static const char usage_list[] = "itsm token list [--user NAME] [--limit N] [--cursor C]";
static const char usage_revoke[] = "itsm token revoke ID";

static const struct opt create_opts[] = {
	{ "--user", CLI_STR, "user" },
	{ "--scope", CLI_STR, "scope" },
	{ "--expires", CLI_STR, "expires_in" },
	{ "--expires-at", CLI_STR, "expires_at" },
	{ NULL },
};

static int create(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	char token[TOKEN_TEXT_LEN];
	json_t *in = json_pack("{s:s, s:s}", "name", pos[0], "user",
			       c->as_user ? c->as_user : "admin");
	int rc;

	if (!in)
		return cli_failf("out of memory");
	if (cli_opts_json(opts, in)) {
		json_decref(in);
		return 1;
	}
	rc = token_create_json(c->st, &c->actor, in, token, NULL, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	puts(token);
	return 0;
}

static const struct opt list_opts[] = {
	{ "--user", CLI_STR, "user" },
	{ "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id",	  "name:24",	"user",	   "scope",
					    "created_at", "last_used_at", "expires_at", "revoked",
					    NULL };

	return cli_call(c, token_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static void print_revoked(const json_t *out, const char *ref)
{
	printf("revoked token %s (%s of %s)\n", ref,
	       json_string_value(json_object_get(out, "name")),
	       json_string_value(json_object_get(out, "user")));
}

static int revoke(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, token_revoke, pos[0], CLI_AS_TEXT(print_revoked));
}

const struct subcommand cmd_token[] = {
	{ "create", create, 1, 1, create_opts, usage_create },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "revoke", revoke, 1, 1, NULL, usage_revoke },
	{ NULL },
};
