/*
 * cmd_ticket.c — the service desk from the command line:
 *   itsm ticket create|list|show|update|comment|history
 *   itsm ticket attach|attachments|link|links|unlink|merge
 * Each subcommand builds the same JSON the HTTP API takes and calls the same
 * domain function.
 */
#include "cli/cli.h"
#include "domain/attach/attach.h"
#include "domain/desk/ticket.h"
#include "domain/desk/ticket_links.h"
#include "domain/problem/problem.h"
#include "lib/file.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage_create[] =
	"itsm ticket create --kind incident|request|inquiry --title TEXT\n"
	"                   [--description TEXT] [--impact 1-3] [--urgency 1-3]\n"
	"                   [--customer KEY] [--service KEY] [--assignee USER]\n"
	"                   [--requester USER] [--group G]\n"
	"                   [--requester-name NAME --requester-email ADDR [--requester-phone P]]\n"
	"                   [--channel phone|walk_in|email|web|api]";
static const char usage_list[] =
	"itsm ticket list [--status S[,S...]|open] [--kind K] [--priority P]\n"
	"                   [--assignee USER|me|none] [--customer KEY] [--requester me|system]\n"
	"                   [--group G[,G...]|mine|none] [--q TEXT] [--limit N] [--cursor C]";
static const char usage_show[] = "itsm ticket show REF";
static const char usage_update[] =
	"itsm ticket update REF [--status S] [--assignee USER|none] [--title T]\n"
	"                   [--description D] [--impact N] [--urgency N] [--service KEY]\n"
	"                   [--customer KEY] [--group G|none] [--version N]";
static const char usage_comment[] = "itsm ticket comment REF TEXT [--internal]";
static const char usage_history[] = "itsm ticket history REF";
static const char usage_attach[] =
	"itsm ticket attach REF FILE [--public] [--comment ID] [--name FILENAME]";
static const char usage_attachments[] = "itsm ticket attachments REF";
static const char usage_link[] =
	"itsm ticket link REF --parent|--child|--duplicate-of|--related OTHER";
static const char usage_links[] = "itsm ticket links REF";
static const char usage_unlink[] = "itsm ticket unlink REF LINK-ID";
static const char usage_merge[] = "itsm ticket merge REF --into OTHER";

static const char *const list_cols[] = { "key",      "priority", "status",   "kind", "customer",
					 "assignee", "group",    "title:50", NULL };

/* The fields create and update both take. */
#define TICKET_FIELDS                                                  \
	{ "--title", CLI_STR, "title" },                               \
	{ "--description", CLI_STR, "description" },                   \
	{ "--impact", CLI_INT, "impact" },                             \
	{ "--urgency", CLI_INT, "urgency" },                           \
	{ "--customer", CLI_STR, "customer" },                         \
	{ "--service", CLI_STR, "service" }

static const struct opt create_opts[] = {
	{ "--kind", CLI_STR, "kind" },
	{ "--assignee", CLI_STR, "assignee" },
	{ "--requester", CLI_STR, "requester" },
	{ "--channel", CLI_STR, "channel" },
	{ "--group", CLI_STR, "group" },
	/* a new contact, added as the customer's requester in the same write */
	{ "--requester-name", CLI_STR, NULL },
	{ "--requester-email", CLI_STR, NULL },
	{ "--requester-phone", CLI_STR, NULL },
	TICKET_FIELDS,
	{ NULL },
};

static void print_created(const json_t *out, const char *ref)
{
	printf("created %s (priority %lld)\n", json_string_value(json_object_get(out, "key")),
	       (long long)json_integer_value(json_object_get(out, "priority")));
}

/* The new contact of --requester-name/-email/-phone as the API's
 * requester object (the server checks each field, naming it); NULL when
 * none of them was given. */
static json_t *new_contact(const struct opt *opts)
{
	static const char *const keys[][2] = { { "--requester-name", "name" },
					       { "--requester-email", "email" },
					       { "--requester-phone", "phone" } };
	json_t *o = NULL;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = cli_opt(opts, keys[i][0]);

		if (!v)
			continue;
		if (!o)
			o = json_object();
		json_object_set_new(o, keys[i][1], json_string(v));
	}
	return o;
}

static int create(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_pack("{s:s}", "channel", "phone");
	json_t *contact = new_contact(opts);

	if (contact) {
		if (cli_opt(opts, "--requester")) {
			json_decref(contact);
			json_decref(in);
			fprintf(stderr, "itsm: --requester names a user; --requester-name, "
					"-email and -phone add a new one: not both\n");
			return cli_usage(usage_create);
		}
		json_object_set_new(in, "requester", contact);
	}
	return cli_call(c, ticket_create, opts, in, CLI_AS_TEXT(print_created));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" },     { "--kind", CLI_STR, "kind" },
	{ "--priority", CLI_STR, "priority" }, { "--assignee", CLI_STR, "assignee" },
	{ "--customer", CLI_STR, "customer" }, { "--q", CLI_STR, "q" },
	{ "--group", CLI_STR, "group" },       { "--requester", CLI_STR, "requester" },
	{ "--limit", CLI_STR, "limit" },       { "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, ticket_list_json, opts, NULL, CLI_AS_TABLE(list_cols));
}

/* The ticket, its description, then its comments oldest first. */
static void print_ticket(const json_t *t, const char *ref)
{
	static const char *const keys[] = { "key",	   "kind",	"title",      "status",
					    "priority",	   "impact",	"urgency",    "customer",
					    "service",	   "channel",	"requester",  "assignee",
					    "group",
					    "created_at",  "updated_at", "resolved_at", "closed_at",
					    "version",	   NULL };
	/* The SLA block as --json has it (sla_clock_to_json). */
	static const char *const sla_keys[] = { "name",	      "response_due", "response_met",
						"resolution_due", "resolution_met", "paused",
						"warning",	      "breached",	"group",
						NULL };
	json_t *it;
	size_t i;

	cli_print_record(t, keys);
	cli_print_subrecord("sla", json_object_get(t, "sla"), sla_keys);
	json_array_foreach(json_object_get(t, "known_errors"), i, it)
		printf("known error %s: %s\n  workaround: %s\n",
		       json_string_value(json_object_get(it, "key")),
		       json_string_value(json_object_get(it, "title")),
		       json_string_value(json_object_get(it, "workaround")));
	printf("\n%s\n", json_string_value(json_object_get(t, "description")));
	json_array_foreach(json_object_get(t, "comments"), i, it)
	{
		printf("\n--- %s %s%s\n%s\n", json_string_value(json_object_get(it, "created_at")),
		       json_string_value(json_object_get(it, "author")),
		       json_is_true(json_object_get(it, "public")) ? "" : " (internal)",
		       json_string_value(json_object_get(it, "body")));
	}
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *t = NULL, *cs = NULL;

	if (problem_ticket_get_json(c->st, &c->actor, pos[0], &t, &e) ||
	    ticket_comments_json(c->st, &c->actor, pos[0], &cs, &e)) {
		json_decref(t);
		return cli_fail(&e);
	}
	json_object_set(t, "comments", json_object_get(cs, "items"));
	json_decref(cs);
	return cli_show(c, t, CLI_AS_TEXT(print_ticket));
}

static const struct opt update_opts[] = {
	{ "--status", CLI_STR, "status" },
	{ "--assignee", CLI_NULLABLE, "assignee" },
	{ "--group", CLI_NULLABLE, "group" },
	TICKET_FIELDS,
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

static void print_updated(const json_t *out, const char *ref)
{
	printf("updated %s: %s, version %lld\n", json_string_value(json_object_get(out, "key")),
	       json_string_value(json_object_get(out, "status")),
	       (long long)json_integer_value(json_object_get(out, "version")));
}

/* Without --version, the version read just now. */
static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, ticket_update, ticket_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(print_updated));
}

static const struct opt comment_opts[] = { { "--internal", CLI_FLAG_FALSE, "public" }, { NULL } };

static void print_commented(const json_t *out, const char *ref)
{
	printf("commented on %s\n", ref);
}

static int comment(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_pack("{s:s, s:b}", "body", pos[1], "public", 1);

	return cli_call_ref(c, ticket_comment, pos[0], opts, in, CLI_AS_TEXT(print_commented));
}

static int history(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "at", "actor", "field", "old:30", "new:30", NULL };

	return cli_get(c, ticket_history_json, pos[0], CLI_AS_TABLE(cols));
}

static const struct opt attach_opts[] = {
	{ "--public", CLI_FLAG, NULL },
	{ "--comment", CLI_STR, NULL },
	{ "--name", CLI_STR, NULL },
	{ NULL },
};

/* The file's bytes, up to attach.max_size, as an upload would send them. */
static int attach(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct attach_in in = { cli_opt(opts, "--name") ? cli_opt(opts, "--name") : pos[1],
				cli_opt(opts, "--comment"), cli_opt(opts, "--public") ? "true" : NULL };
	struct err e = { 0 };
	json_t *out = NULL;
	char *data = NULL;
	size_t n = 0;
	int rc;

	if (file_read(pos[1], attach_max_size(), &data, &n, &e))
		return cli_fail(&e);
	rc = attach_add(c->st, &c->actor, pos[0], &in, data, n, &out, &e);
	free(data);
	if (rc)
		return cli_fail(&e);
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	printf("attached %lld to %s (%s, %lld bytes)\n",
	       (long long)json_integer_value(json_object_get(out, "id")), pos[0],
	       json_string_value(json_object_get(out, "content_type")),
	       (long long)json_integer_value(json_object_get(out, "size")));
	json_decref(out);
	return 0;
}

static int attachments(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id",     "filename:40", "content_type:28", "size",
					    "public", "created_by",  "created_at",	 NULL };

	return cli_get(c, attach_list_json, pos[0], CLI_AS_TABLE(cols));
}

static const struct opt link_opts[] = {
	{ "--parent", CLI_STR, NULL },
	{ "--child", CLI_STR, NULL },
	{ "--duplicate-of", CLI_STR, NULL },
	{ "--related", CLI_STR, NULL },
	{ NULL },
};

static void print_linked(const json_t *out, const char *ref)
{
	printf("linked %s: %s %s (link %lld)\n", ref,
	       json_string_value(json_object_get(out, "kind")),
	       json_string_value(json_object_get(out, "ticket")),
	       (long long)json_integer_value(json_object_get(out, "id")));
}

/* Exactly one of the kinds names the other ticket. */
static int link(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const kinds[][2] = { { "--parent", "parent" },
						{ "--child", "child" },
						{ "--duplicate-of", "duplicate_of" },
						{ "--related", "related" } };
	const char *kind = NULL, *other = NULL;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *v = cli_opt(opts, kinds[i][0]);

		if (!v)
			continue;
		if (kind)
			return cli_usage(usage_link);
		kind = kinds[i][1];
		other = v;
	}
	if (!kind)
		return cli_usage(usage_link);
	return cli_call_ref(c, ticket_link_add, pos[0], NULL,
			    json_pack("{s:s, s:s}", "kind", kind, "ticket", other),
			    CLI_AS_TEXT(print_linked));
}

static int links(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "kind", "ticket", "created_by", "created_at",
					    NULL };

	return cli_get(c, ticket_links_json, pos[0], CLI_AS_TABLE(cols));
}

static int unlink_(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	char *end;
	long long id = strtoll(pos[1], &end, 10);

	if (*end || id <= 0)
		return cli_failf("malformed link id '%.40s'", pos[1]);
	if (ticket_link_delete(c->st, &c->actor, pos[0], id, &e))
		return cli_fail(&e);
	if (!c->json)
		printf("unlinked %lld from %s\n", id, pos[0]);
	else
		cli_print_json(json_pack("{s:I, s:s}", "unlinked", (json_int_t)id, "ticket", pos[0]));
	return 0;
}

static const struct opt merge_opts[] = { { "--into", CLI_STR, "into" }, { NULL } };

static void print_merged(const json_t *out, const char *ref)
{
	long long n = json_integer_value(json_object_get(out, "comments"));

	printf("merged %s into %s: %lld comment%s copied, %s closed\n", ref,
	       json_string_value(json_object_get(out, "into")), n, n == 1 ? "" : "s", ref);
}

static int merge(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--into"))
		return cli_usage(usage_merge);
	return cli_call_ref(c, ticket_merge, pos[0], opts, NULL, CLI_AS_TEXT(print_merged));
}

const struct subcommand cmd_ticket[] = {
	{ "create", create, 0, 0, create_opts, usage_create },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "comment", comment, 2, 2, comment_opts, usage_comment },
	{ "history", history, 1, 1, NULL, usage_history },
	{ "attach", attach, 2, 2, attach_opts, usage_attach },
	{ "attachments", attachments, 1, 1, NULL, usage_attachments },
	{ "link", link, 1, 1, link_opts, usage_link },
	{ "links", links, 1, 1, NULL, usage_links },
	{ "unlink", unlink_, 2, 2, NULL, usage_unlink },
	{ "merge", merge, 1, 1, merge_opts, usage_merge },
	{ NULL },
};
