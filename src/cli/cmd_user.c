/*
 * cmd_user.c — itsm user add NAME --role ROLE [--customer KEY]
 *              [--password-stdin] [--email E] [--full-name N] [--groups G]
 *            | user list | user show NAME
 *            | user update NAME [--role R] [--group G1,G2] [--full-name N]
 *                   [--email E] [--customer KEY|none] [--version N]
 *            | user disable NAME | user enable NAME
 *            | user password NAME [--password-stdin]   (an admin's reset)
 *            | user password                           (one's own, with --as)
 *
 * An admin's reset reads the new password from standard input with
 * --password-stdin, else generates one and prints it once on stdout. One's
 * own change (--as USER, no NAME or one's own) reads two lines from
 * standard input: the current password, then the new one.
 */
#include "cli/cli.h"
#include "domain/platform/account.h"
#include "domain/platform/user.h"

#include <sodium.h>
#include <string.h>

static const char usage_add[] =
	"itsm user add NAME --role ROLE [--customer KEY] [--password-stdin]\n"
	"                 [--email ADDR] [--full-name NAME] [--groups G1,G2]";
static const char usage_list[] = "itsm user list";
static const char usage_show[] = "itsm user show NAME";
static const char usage_update[] =
	"itsm user update NAME [--role ROLE] [--group G1,G2] [--full-name NAME]\n"
	"                    [--email ADDR] [--customer KEY|none] [--version N]";
static const char usage_disable[] = "itsm user disable NAME";
static const char usage_enable[] = "itsm user enable NAME";
static const char usage_password[] =
	"itsm user password NAME [--password-stdin]   (an admin's reset; without\n"
	"                          --password-stdin a new one is generated and printed)\n"
	"itsm --as USER user password                 (one's own: the current password,\n"
	"                          then the new one, on standard input)";

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
	sodium_memzero(pw, sizeof(pw));
	return cli_call(c, user_add, opts, in, CLI_AS_TEXT(print_added));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "username", "name:30", "role",    "customer",
					    "groups:30", "active",  "version", NULL };

	return cli_get_all(c, user_list_json, CLI_AS_TABLE(cols));
}

static const char *const user_keys[] = { "username", "name",	"role",	      "customer",
					 "email",    "groups",	"active",     "created_at",
					 "updated_at", "version", NULL };

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, user_get_json, pos[0], CLI_AS_RECORD(user_keys));
}

static const struct opt update_opts[] = {
	{ "--role", CLI_STR, "role" },
	{ "--group", CLI_LIST, "groups" },
	{ "--full-name", CLI_STR, "name" },
	{ "--email", CLI_STR, "email" },
	{ "--customer", CLI_NULLABLE, "customer" },
	{ "--version", CLI_NUM, "version" },
	{ NULL },
};

static void print_updated(const json_t *out, const char *ref)
{
	printf("updated user %s (%s%s), version %lld\n",
	       json_string_value(json_object_get(out, "username")),
	       json_string_value(json_object_get(out, "role")),
	       json_is_true(json_object_get(out, "active")) ? "" : ", disabled",
	       (long long)json_integer_value(json_object_get(out, "version")));
}

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, user_update, user_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(print_updated));
}

static void print_disabled(const json_t *out, const char *ref)
{
	printf("%s user %s\n", json_is_true(json_object_get(out, "active")) ? "enabled" : "disabled",
	       json_string_value(json_object_get(out, "username")));
}

static int set_active(struct cli *c, const char *name, int active)
{
	return cli_update(c, user_update, user_get_json, name, NULL,
			  json_pack("{s:b}", "active", active), CLI_AS_TEXT(print_disabled));
}

static int disable(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return set_active(c, pos[0], 0);
}

static int enable(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return set_active(c, pos[0], 1);
}

static const struct opt password_opts[] = { { "--password-stdin", CLI_FLAG }, { NULL } };

static int password(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *name = npos ? pos[0] : c->as_user;
	int own = c->as_user && !strcmp(name ? name : "", c->as_user), rc;
	char current[1100] = "", pw[1100] = "";
	struct err e = { 0 };
	json_t *in, *out = NULL;

	if (!name)
		return cli_usage(usage_password);
	if (own && ((rc = read_password(current, sizeof(current))) ||
		    (rc = read_password(pw, sizeof(pw)))))
		return rc;
	if (!own && cli_opt(opts, "--password-stdin") && (rc = read_password(pw, sizeof(pw))))
		return rc;
	in = json_object();
	if (own)
		json_object_set_new(in, "current_password", json_string(current));
	if (pw[0] || own)
		json_object_set_new(in, "password", json_string(pw));
	sodium_memzero(current, sizeof(current));
	sodium_memzero(pw, sizeof(pw));
	rc = user_password(c->st, &c->actor, name, in, NULL, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	if (c->json)
		cli_print_json(json_incref(out));
	else if (json_object_get(out, "password"))
		puts(json_string_value(json_object_get(out, "password")));
	else
		printf("password set for %s\n", name);
	json_decref(out);
	return 0;
}

const struct subcommand cmd_user[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "disable", disable, 1, 1, NULL, usage_disable },
	{ "enable", enable, 1, 1, NULL, usage_enable },
	{ "password", password, 0, 1, password_opts, usage_password },
	{ NULL },
};
