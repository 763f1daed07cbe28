/*
 * cmd_kb.c — the knowledge base and the full-text search from the command
 * line:
 *   itsm kb add|edit|show|list|publish|retire|versions
 *   itsm search WORDS…
 * Each subcommand builds the same JSON the HTTP API takes and calls the same
 * domain function, so --as USER gets exactly the API's answers.
 */
#include "cli/cli.h"
#include "domain/knowledge/knowledge.h"
#include "lib/buf.h"
#include "lib/file.h"

#include <stdlib.h>
#include <string.h>

static const char usage_add[] =
	"itsm kb add --title TITLE [--body TEXT | --body-file FILE] [--public]\n"
	"            [--service K1,K2] [--item K1,K2] [--problem PRB-1,PRB-2]";
static const char usage_edit[] =
	"itsm kb edit KB-N [--title TITLE] [--body TEXT | --body-file FILE]\n"
	"            [--public | --internal] [--service K1,K2] [--item K1,K2]\n"
	"            [--problem PRB-1,PRB-2] [--version N]";
static const char usage_show[] = "itsm kb show KB-N [--version N] [--html]";
static const char usage_list[] =
	"itsm kb list [--status S] [--visibility V] [--service KEY] [--limit N] [--cursor N]";
static const char usage_publish[] = "itsm kb publish KB-N [--version N]";
static const char usage_retire[] = "itsm kb retire KB-N [--version N]";
static const char usage_versions[] = "itsm kb versions KB-N";
static const char usage_search[] =
	"itsm search WORDS… [--kind ticket,comment,problem,article] [--limit N] [--cursor N]";

#define BODY_FILE_LIMIT (1024u * 1024)

/* The body from --body-file ("-": standard input) into in: 0, or the exit
 * status of a failure. */
static int body_file(const struct opt *opts, json_t *in)
{
	const char *path = cli_opt(opts, "--body-file");
	struct err e = { 0 };
	char *text = NULL;
	size_t len = 0;

	if (!path)
		return 0;
	if (cli_opt(opts, "--body"))
		return cli_usage("--body and --body-file are one or the other");
	if (file_read(!strcmp(path, "-") ? "/dev/stdin" : path, BODY_FILE_LIMIT, &text, &len, &e))
		return cli_fail(&e);
	json_object_set_new(in, "body", json_stringn(text, len));
	free(text);
	return json_object_get(in, "body") ? 0 : cli_failf("--body-file: not UTF-8 text");
}

static const struct opt add_opts[] = {
	{ "--title", CLI_STR, "title" },
	{ "--body", CLI_STR, "body" },
	{ "--body-file" },
	{ "--public", CLI_FLAG },
	{ "--service", CLI_LIST, "services" },
	{ "--item", CLI_LIST, "items" },
	{ "--problem", CLI_LIST, "problems" },
	{ NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_object();
	int rc;

	if (!cli_opt(opts, "--title"))
		return cli_usage(usage_add);
	if ((rc = body_file(opts, in))) {
		json_decref(in);
		return rc;
	}
	if (cli_opt(opts, "--public"))
		json_object_set_new(in, "visibility", json_string("public"));
	return cli_call(c, knowledge_add, opts, in, CLI_AS_LINE("added article", "key"));
}

static const struct opt edit_opts[] = {
	{ "--title", CLI_STR, "title" },
	{ "--body", CLI_STR, "body" },
	{ "--body-file" },
	{ "--public", CLI_FLAG },
	{ "--internal", CLI_FLAG },
	{ "--service", CLI_LIST, "services" },
	{ "--item", CLI_LIST, "items" },
	{ "--problem", CLI_LIST, "problems" },
	{ "--version", CLI_NUM, "version" },
	{ NULL },
};

static void print_changed(const json_t *out, const char *ref)
{
	printf("article %s, %s, version %lld\n", ref,
	       json_string_value(json_object_get(out, "status")),
	       (long long)json_integer_value(json_object_get(out, "version")));
}

/* Without --version, the version read just now. */
static int edit(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_object();
	int rc;

	if (cli_opt(opts, "--public") && cli_opt(opts, "--internal"))
		rc = cli_usage(usage_edit);
	else
		rc = body_file(opts, in);
	if (rc) {
		json_decref(in);
		return rc;
	}
	if (cli_opt(opts, "--public") || cli_opt(opts, "--internal"))
		json_object_set_new(in, "visibility",
				    json_string(cli_opt(opts, "--public") ? "public" : "internal"));
	return cli_update(c, knowledge_edit, knowledge_get_json, pos[0], opts, in,
			  CLI_AS_TEXT(print_changed));
}

static void print_links(const json_t *a, const char *name)
{
	json_t *v;
	size_t i;

	printf("%s:", name);
	json_array_foreach(json_object_get(a, name), i, v)
		printf("%s%s", i ? ", " : " ", json_string_value(v));
	printf("%s\n", json_array_size(json_object_get(a, name)) ? "" : " -");
}

/* An article as a record, its links, then its Markdown. */
static void print_article(const json_t *a, const char *ref)
{
	static const char *const keys[] = { "key",	  "title",	"status",     "visibility",
					    "created_by", "updated_by", "updated_at", "published_at",
					    "version",	  NULL };
	const json_t *links = json_object_get(a, "links");

	cli_print_record(a, keys);
	print_links(links ? links : a, "services");
	print_links(links ? links : a, "items");
	print_links(links ? links : a, "problems");
	printf("\n%s\n", json_string_value(json_object_get(a, "body")));
}

static void print_html(const json_t *a, const char *ref)
{
	printf("%s", json_string_value(json_object_get(a, "html")));
}

static const struct opt show_opts[] = {
	{ "--version" },
	{ "--html", CLI_FLAG },
	{ NULL },
};

/* A version's read, as a cli_ref_fn: the number rides in the reference. */
static const char *show_version;

static int version_get(struct store *st, const struct actor *a, const char *ref, json_t **out,
		       struct err *e)
{
	return knowledge_version_json(st, a, ref, show_version, out, e);
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const struct cli_show *how =
		cli_opt(opts, "--html") ? CLI_AS_TEXT(print_html) : CLI_AS_TEXT(print_article);

	if ((show_version = cli_opt(opts, "--version")))
		return cli_get(c, version_get, pos[0], how);
	return cli_get(c, knowledge_get_json, pos[0], how);
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" },	 { "--visibility", CLI_STR, "visibility" },
	{ "--service", CLI_STR, "service" }, { "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" },	 { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "status", "visibility", "version", "title:60",
					    NULL };

	return cli_call(c, knowledge_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static const struct opt move_opts[] = {
	{ "--version", CLI_NUM, "version" },
	{ NULL },
};

static int publish(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, knowledge_publish, knowledge_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(print_changed));
}

static int retire(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, knowledge_retire, knowledge_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(print_changed));
}

static int versions(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "version", "status", "edited_by", "edited_at",
					    "title:50", NULL };

	return cli_get(c, knowledge_versions_json, pos[0], CLI_AS_TABLE(cols));
}

const struct subcommand cmd_kb[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "edit", edit, 1, 1, edit_opts, usage_edit },
	{ "show", show, 1, 1, show_opts, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "publish", publish, 1, 1, move_opts, usage_publish },
	{ "retire", retire, 1, 1, move_opts, usage_retire },
	{ "versions", versions, 1, 1, NULL, usage_versions },
	{ NULL },
};

/* ---- search ---- */

static const struct opt search_opts[] = {
	{ "--kind", CLI_STR, "kind" },
	{ "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

/* Each hit: kind, key, title, then its snippet with the hits in «». */
static void print_hits(const json_t *out, const char *ref)
{
	json_t *it;
	size_t i;

	json_array_foreach(json_object_get(out, "items"), i, it) {
		const char *snip = json_string_value(json_object_get(it, "snippet")) ?: "";
		json_t *hl = json_object_get(it, "highlights"), *h;
		size_t cp = 0, j = 0, n = json_array_size(hl);

		printf("%-8s %-10s %s\n  ", json_string_value(json_object_get(it, "kind")),
		       json_string_value(json_object_get(it, "key")),
		       json_string_value(json_object_get(it, "title")));
		/* The offsets count characters: walk the UTF-8 by them. */
		for (const char *p = snip; *p; p++) {
			int start = ((unsigned char)*p & 0xC0) != 0x80;

			h = json_array_get(hl, j);
			if (start && j < n && (size_t)json_integer_value(json_array_get(h, 1)) == cp) {
				fputs("»", stdout);
				j++;
				h = json_array_get(hl, j);
			}
			if (start && j < n && (size_t)json_integer_value(json_array_get(h, 0)) == cp)
				fputs("«", stdout);
			putchar(*p);
			cp += start;
		}
		if (j < n)
			fputs("»", stdout);
		putchar('\n');
	}
	if (!json_is_null(json_object_get(out, "next_cursor")))
		printf("more: --cursor %s\n",
		       json_string_value(json_object_get(out, "next_cursor")));
}

static int search(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_object();
	struct buf q;

	/* The words, as one query: the shell split them already. */
	buf_init(&q, 4096);
	for (int i = 0; i < npos; i++)
		if (buf_printf(&q, "%s%s", i ? " " : "", pos[i])) {
			buf_release(&q);
			json_decref(in);
			return cli_failf("the query is too long");
		}
	json_object_set_new(in, "q", json_string(buf_str(&q)));
	buf_release(&q);
	return cli_call(c, knowledge_search_json, opts, in, CLI_AS_TEXT(print_hits));
}

const struct subcommand cmd_search[] = {
	{ "", search, 1, CLI_ANY, search_opts, usage_search },
	{ NULL },
};
