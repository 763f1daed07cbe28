/*
 * cmd_user.c — itsm user add NAME --role ROLE [--customer KEY]
 *              [--password-stdin] [--email E] [--full-name N] [--groups G]
 *            | user list | user show NAME | user passwd NAME --password-stdin
 */
#include "cli/cli.h"
#include "domain/platform/user.h"

#include <string.h>

static const char usage_add[] =
	"itsm user add NAME --role ROLE [--customer KEY] [--password-stdin]\n"
	"                 [--email ADDR] [--full-name NAME] [--groups G1,G2]";
static const char usage_list[] = "itsm user list";
static const char usage_show[] = "itsm user show NAME";
static const char usage_passwd[] = "itsm user passwd NAME --password-stdin";

static int read_password(char *out, size_t n)
{
	if (!fgets(out, (int)n, stdin))
		return cli_failf("no password on standard input");
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static const struct opt add_opts[] = {
	{ "--role", CLI_STR, "role" },	 { "--customer", CLI_STR, "customer" },
	{ "--email", CLI_STR, "email" }, { "--full-name", CLI_STR, "name" },
	{ "--groups", CLI_STR, "groups" }, { "--password-stdin", CLI_FLAG },
	{ NULL },
};

static void print_added(const json_t *out, const char *ref)
{
	printf("added user %s (%s)\n", json_string_value(json_object_get(out, "username")),
	       json_string_value(json_object_get(out, "role")));
}

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	int password = cli_opt(opts, "--password-stdin") != NULL, rc;
	json_t *in;
	char pw[1100];

	if (!cli_opt(opts, "--role"))
		return cli_usage(usage_add);
	if (password && (rc = read_password(pw, sizeof(pw))))
		return rc;
	in = json_pack("{s:s}", "username", pos[0]);
	if (password)
		json_object_set_new(in, "password", json_string(pw));
	return cli_call(c, user_add, opts, in, CLI_AS_TEXT(print_added));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "username", "name:30", "role", "customer", "groups:30",
					    NULL };

	return cli_get_all(c, user_list_json, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const keys[] = { "username", "name",	  "role",      "customer",
					    "email",	"groups", "created_at", NULL };

	return cli_get(c, user_get_json, pos[0], CLI_AS_RECORD(keys));
}

static const struct opt passwd_opts[] = { { "--password-stdin", CLI_FLAG }, { NULL } };

static int passwd(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	char pw[1100];
	int rc;

	if (!cli_opt(opts, "--password-stdin"))
		return cli_usage(usage_passwd);
	if ((rc = read_password(pw, sizeof(pw))))
		return rc;
	if (user_set_password(c->st, &c->actor, pos[0], pw, &e))
		return cli_fail(&e);
	printf("password set for %s\n", pos[0]);
	return 0;
}

const struct subcommand cmd_user[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "passwd", passwd, 1, 1, passwd_opts, usage_passwd },
	{ NULL },
};
