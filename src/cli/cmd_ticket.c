/*
 * cmd_ticket.c — the service desk from the command line:
 *   itsm ticket create|list|show|update|comment|history
 * Each subcommand builds the same JSON the HTTP API takes and calls the same
 * domain function.
 */
#include "cli/cli.h"
#include "domain/desk/ticket.h"

#include <stdlib.h>
#include <string.h>

static const char usage_create[] =
	"itsm ticket create --kind incident|request|inquiry --title TEXT\n"
	"                   [--description TEXT] [--impact 1-3] [--urgency 1-3]\n"
	"                   [--customer KEY] [--service KEY] [--assignee USER]";
static const char usage_list[] =
	"itsm ticket list [--status S] [--kind K] [--priority P] [--assignee USER|me|none]\n"
	"                   [--customer KEY] [--q TEXT] [--limit N] [--cursor C]";
static const char usage_show[] = "itsm ticket show REF";
static const char usage_update[] =
	"itsm ticket update REF [--status S] [--assignee USER|none] [--title T]\n"
	"                   [--description D] [--impact N] [--urgency N] [--service KEY]\n"
	"                   [--customer KEY] [--version N]";
static const char usage_comment[] = "itsm ticket comment REF TEXT [--internal]";
static const char usage_history[] = "itsm ticket history REF";

static const char *const list_cols[] = { "key",	     "priority", "status", "kind", "customer",
					 "assignee", "title:50", NULL };

static int int_opt(const struct opt *opts, const char *name, json_t *in, const char *key)
{
	const char *v = cli_opt(opts, name);
	char *end;
	long n;

	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (!*v || *end)
		return cli_failf("option '%s' needs a number, not '%s'", name, v);
	json_object_set_new(in, key, json_integer(n));
	return 0;
}

static void str_opts(const struct opt *opts, json_t *in, const char *const *names)
{
	for (; *names; names++) {
		const char *v = cli_opt(opts, *names);

		if (v)
			json_object_set_new(in, *names + 2, json_string(v));
	}
}

static int show_ticket(struct cli *c, json_t *t)
{
	static const char *const keys[] = { "key",     "kind",	   "title",    "status",
					    "priority", "impact",  "urgency",  "customer",
					    "service", "requester", "assignee", "created_at",
					    "updated_at", "version", NULL };

	if (c->json) {
		cli_print_json(t);
		return 0;
	}
	cli_print_record(t, keys);
	printf("\n%s\n", json_string_value(json_object_get(t, "description")));
	json_decref(t);
	return 0;
}

static const struct opt create_opts[] = {
	{ "--kind" },     { "--title" },	  { "--description" }, { "--impact" },
	{ "--urgency" },  { "--customer" }, { "--service" },	  { "--assignee" },
	{ NULL },
};

static int create(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[] = { "--kind",	  "--title",   "--description",
					    "--customer", "--service", "--assignee", NULL };
	struct err e = { 0 };
	json_t *in = json_object(), *out = NULL;
	int rc;

	str_opts(opts, in, strs);
	json_object_set_new(in, "impact", json_integer(2));
	json_object_set_new(in, "urgency", json_integer(2));
	json_object_set_new(in, "channel", json_string("phone"));
	if ((rc = int_opt(opts, "--impact", in, "impact")) ||
	    (rc = int_opt(opts, "--urgency", in, "urgency"))) {
		json_decref(in);
		return rc;
	}
	rc = ticket_create(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	if (c->json)
		cli_print_json(out);
	else {
		printf("created %s (priority %lld)\n",
		       json_string_value(json_object_get(out, "key")),
		       (long long)json_integer_value(json_object_get(out, "priority")));
		json_decref(out);
	}
	return 0;
}

static const struct opt list_opts[] = {
	{ "--status" },   { "--kind" }, { "--priority" }, { "--assignee" },
	{ "--customer" }, { "--q" },    { "--limit" },	   { "--cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[] = { "--status",	  "--kind",  "--priority", "--assignee",
					    "--customer", "--q",     "--limit",	   "--cursor",
					    NULL };
	struct err e = { 0 };
	json_t *q = json_object(), *out = NULL;
	int rc;

	str_opts(opts, q, strs);
	rc = ticket_list_json(c->st, &c->actor, q, &out, &e);
	json_decref(q);
	if (rc)
		return cli_fail(&e);
	return cli_print_list(c, out, list_cols);
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *ref = pos[0];
	struct err e = { 0 };
	json_t *t = NULL, *cs = NULL, *it;
	size_t i;

	if (ticket_get_json(c->st, &c->actor, ref, &t, &e) ||
	    ticket_comments_json(c->st, &c->actor, ref, &cs, &e)) {
		json_decref(t);
		return cli_fail(&e);
	}
	if (c->json) {
		json_object_set(t, "comments", json_object_get(cs, "items"));
		json_decref(cs);
		return show_ticket(c, t);
	}
	show_ticket(c, t);
	json_array_foreach(json_object_get(cs, "items"), i, it)
	{
		printf("\n--- %s %s%s\n%s\n", json_string_value(json_object_get(it, "created_at")),
		       json_string_value(json_object_get(it, "author")),
		       json_is_true(json_object_get(it, "public")) ? "" : " (internal)",
		       json_string_value(json_object_get(it, "body")));
	}
	json_decref(cs);
	return 0;
}

static const struct opt update_opts[] = {
	{ "--status" },  { "--assignee" }, { "--title" },    { "--description" },
	{ "--impact" },  { "--urgency" },	 { "--service" },  { "--customer" },
	{ "--version" }, { NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[] = { "--status",	     "--assignee", "--title",
					    "--description", "--service",  "--customer",
					    NULL };
	const char *ref = pos[0];
	struct err e = { 0 };
	json_t *in = json_object(), *out = NULL, *cur = NULL;
	const char *a = cli_opt(opts, "--assignee");
	int rc;

	str_opts(opts, in, strs);
	if (a && !strcmp(a, "none"))
		json_object_set_new(in, "assignee", json_null());
	if ((rc = int_opt(opts, "--impact", in, "impact")) ||
	    (rc = int_opt(opts, "--urgency", in, "urgency")) ||
	    (rc = int_opt(opts, "--version", in, "version"))) {
		json_decref(in);
		return rc;
	}
	if (!json_object_get(in, "version")) {
		/* Without --version, update the version we read just now. */
		if (ticket_get_json(c->st, &c->actor, ref, &cur, &e)) {
			json_decref(in);
			return cli_fail(&e);
		}
		json_object_set(in, "version", json_object_get(cur, "version"));
		json_decref(cur);
	}
	rc = ticket_update(c->st, &c->actor, ref, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	if (c->json)
		cli_print_json(out);
	else {
		printf("updated %s: %s, version %lld\n",
		       json_string_value(json_object_get(out, "key")),
		       json_string_value(json_object_get(out, "status")),
		       (long long)json_integer_value(json_object_get(out, "version")));
		json_decref(out);
	}
	return 0;
}

static const struct opt comment_opts[] = { { "--internal", CLI_FLAG }, { NULL } };

static int comment(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *ref = pos[0];
	struct err e = { 0 };
	json_t *in, *out = NULL;
	int rc;

	in = json_pack("{s:s, s:b}", "body", pos[1], "public", !cli_opt(opts, "--internal"));
	rc = ticket_comment(c->st, &c->actor, ref, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	if (c->json)
		cli_print_json(out);
	else {
		printf("commented on %s\n", ref);
		json_decref(out);
	}
	return 0;
}

static int history(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "at", "actor", "field", "old:30", "new:30", NULL };
	struct err e = { 0 };
	json_t *out = NULL;

	if (ticket_history_json(c->st, &c->actor, pos[0], &out, &e))
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static const struct subcommand subcommands[] = {
	{ "create", create, 0, 0, create_opts, usage_create },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "comment", comment, 2, 2, comment_opts, usage_comment },
	{ "history", history, 1, 1, NULL, usage_history },
	{ NULL },
};

int cmd_ticket(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
