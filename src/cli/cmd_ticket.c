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

static const char usage[] =
	"itsm ticket create --kind incident|request|inquiry --title TEXT\n"
	"                   [--description TEXT] [--impact 1-3] [--urgency 1-3]\n"
	"                   [--customer KEY] [--service KEY] [--assignee USER]\n"
	"       itsm ticket list [--status S] [--kind K] [--priority P] [--assignee USER|me|none]\n"
	"                   [--customer KEY] [--q TEXT] [--limit N] [--cursor C]\n"
	"       itsm ticket show REF\n"
	"       itsm ticket update REF [--status S] [--assignee USER|none] [--title T]\n"
	"                   [--description D] [--impact N] [--urgency N] [--service KEY]\n"
	"                   [--customer KEY] [--version N]\n"
	"       itsm ticket comment REF TEXT [--internal]\n"
	"       itsm ticket history REF";

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

static int create(struct cli *c, const struct opt *opts, int n)
{
	static const char *const strs[] = { "--kind",	  "--title",   "--description",
					    "--customer", "--service", "--assignee", NULL };
	struct err e = { 0 };
	json_t *in = json_object(), *out = NULL;
	int rc;

	if (n)
		return cli_usage(usage);
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

static int list(struct cli *c, const struct opt *opts)
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

static int show(struct cli *c, const char *ref)
{
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

static int update(struct cli *c, const struct opt *opts, const char *ref)
{
	static const char *const strs[] = { "--status",	     "--assignee", "--title",
					    "--description", "--service",  "--customer",
					    NULL };
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

static int comment(struct cli *c, const struct opt *opts, const char *ref, const char *text)
{
	struct err e = { 0 };
	json_t *in, *out = NULL;
	int rc;

	in = json_pack("{s:s, s:b}", "body", text, "public", !cli_opt(opts, "--internal"));
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

static int history(struct cli *c, const char *ref)
{
	static const char *const cols[] = { "at", "actor", "field", "old:30", "new:30", NULL };
	struct err e = { 0 };
	json_t *out = NULL;

	if (ticket_history_json(c->st, &c->actor, ref, &out, &e))
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

int cmd_ticket(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = {
		{ "--kind", 1 },     { "--title", 1 },	  { "--description", 1 },
		{ "--impact", 1 },   { "--urgency", 1 },  { "--customer", 1 },
		{ "--service", 1 },  { "--assignee", 1 }, { "--status", 1 },
		{ "--priority", 1 }, { "--q", 1 },	  { "--limit", 1 },
		{ "--cursor", 1 },   { "--version", 1 },  { "--internal", 0 },
		{ NULL },
	};
	const char *pos[2];
	int n, rc;

	if (argc < 1)
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 2, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "create"))
		return create(c, opts, n);
	if (!strcmp(argv[0], "list") && n == 0)
		return list(c, opts);
	if (!strcmp(argv[0], "show") && n == 1)
		return show(c, pos[0]);
	if (!strcmp(argv[0], "update") && n == 1)
		return update(c, opts, pos[0]);
	if (!strcmp(argv[0], "comment") && n == 2)
		return comment(c, opts, pos[0], pos[1]);
	if (!strcmp(argv[0], "history") && n == 1)
		return history(c, pos[0]);
	return cli_usage(usage);
}
