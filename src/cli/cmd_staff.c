/*
 * cmd_staff.c — stored staff from the command line:
 *   itsm staff add|list|show|update|career add|verify|assess|history
 * Each subcommand builds the same JSON the HTTP API takes and calls the same
 * domain function, so --as USER gets exactly the API's answers.
 */
#include "cli/cli.h"
#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "lib/plural.h"
#include "lib/strlist.h"

#include <string.h>

static const char usage_add[] =
	"itsm staff add KEY --name NAME [--group G1,G2] [--user USERNAME] [--note TEXT]";
static const char usage_list[] = "itsm staff list [--group G] [--limit N] [--cursor KEY]";
static const char usage_show[] = "itsm staff show KEY";
static const char usage_update[] =
	"itsm staff update KEY [--file PATCH.json] [--name NAME] [--group G1,G2]\n"
	"                  [--user USERNAME|none] [--version N]";
static const char usage_career_add[] =
	"itsm staff career add KEY --file CAREER.json\n"
	"       itsm staff career add KEY --field F --role R --from YYYY-MM-DD [--to YYYY-MM-DD]\n"
	"                  [--failed] [--persons N] [--contract-yen N] [--peak-persons N]\n"
	"                  [--users N] [--complexity C1,C2] [--responsibilities R1,R2]\n"
	"                  [--title TEXT] [--note TEXT]";
static const char usage_verify[] = "itsm staff verify KEY CAREER_ID";
static const char usage_assess[] =
	"itsm staff assess KEY [--decide LEVEL --field F] [--note TEXT] [--as-of YYYY-MM-DD]";
static const char usage_history[] = "itsm staff history KEY [--limit N] [--cursor ID]";

/* A staff record, its careers and succession, and the evidence beside them. */
static void print_staff(const json_t *s, const char *ref)
{
	static const char *const keys[] = { "key",     "name",	    "groups", "user",
					    "exams",   "specialty", "develops_subordinates",
					    "note",    "version",   "updated_at", NULL };
	static const char *const ccols[] = { "id",	  "field",	"role",	       "from",
					     "to",	  "succeeded",	"persons",     "contract_yen",
					     "verified", "verified_by", "declared_by", NULL };
	static const char *const scols[] = { "kind", "date", "title:40", "field", "verified",
					     "verified_by", NULL };
	json_t *ev = json_object_get(s, "evidence");

	cli_print_record(s, keys);
	printf("\ncareers (declared; verified by a manager where marked):\n");
	cli_print_table(json_object_get(s, "careers"), ccols);
	if (json_array_size(json_object_get(s, "succession"))) {
		printf("\nexpertise succession:\n");
		cli_print_table(json_object_get(s, "succession"), scols);
	}
	if (json_is_object(ev)) {
		json_t *t = json_object_get(ev, "tickets");
		json_int_t days = json_integer_value(json_object_get(ev, "days"));

		printf("\nevidence from itsm (shown beside the careers, never counted):\n"
		       "  user %s, %s since %s (%lld %s)\n"
		       "  tickets assigned %lld: open %lld, resolved %lld, closed %lld\n",
		       json_string_value(json_object_get(ev, "user")),
		       json_string_value(json_object_get(ev, "role")),
		       json_string_value(json_object_get(ev, "since")),
		       (long long)days, plural(days, "day", "days"),
		       (long long)json_integer_value(json_object_get(t, "assigned")),
		       (long long)json_integer_value(json_object_get(t, "open")),
		       (long long)json_integer_value(json_object_get(t, "resolved")),
		       (long long)json_integer_value(json_object_get(t, "closed")));
	}
}

static const struct opt add_opts[] = {
	{ "--name", CLI_STR, "name" }, { "--group", CLI_LIST, "groups" },
	{ "--user", CLI_STR, "user" }, { "--note", CLI_STR, "note" },
	{ NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--name"))
		return cli_usage(usage_add);
	return cli_call(c, staff_add, opts, json_pack("{s:s}", "key", pos[0]),
			CLI_AS_LINE("added staff", "key"));
}

static const struct opt list_opts[] = {
	{ "--group", CLI_STR, "group" }, { "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:30", "groups:30", "user", "version", NULL };

	return cli_call(c, staff_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, staff_get_json, pos[0], CLI_AS_TEXT(print_staff));
}

static const struct opt update_opts[] = {
	{ "--file" },
	{ "--name", CLI_STR, "name" },
	{ "--group", CLI_LIST, "groups" },
	{ "--user", CLI_NULLABLE, "user" },
	{ "--version", CLI_NUM, "version" },
	{ NULL },
};

static void print_updated(const json_t *out, const char *ref)
{
	printf("updated staff %s, version %lld\n", ref,
	       (long long)json_integer_value(json_object_get(out, "version")));
}

/* The options over the patch file; without a version in either, the
 * version read just now. */
static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *in = NULL;

	if (file) {
		if (!(in = cli_read_json_file(file, &e)))
			return cli_fail(&e);
		if (!json_is_object(in)) {
			json_decref(in);
			return cli_failf("'%s' must hold a JSON object", file);
		}
	}
	return cli_update(c, staff_update, staff_get_json, pos[0], opts, in,
			  CLI_AS_TEXT(print_updated));
}

static const struct opt career_add_opts[] = {
	{ "--file" },
	{ "--field", CLI_STR, "field" },
	{ "--role", CLI_STR, "role" },
	{ "--from", CLI_STR, "from" },
	{ "--to", CLI_STR, "to" },
	{ "--title", CLI_STR, "title" },
	{ "--note", CLI_STR, "note" },
	{ "--failed", CLI_FLAG_FALSE, "succeeded" },
	{ "--persons", CLI_NUM, "persons" },
	{ "--contract-yen", CLI_NUM, "contract_yen" },
	{ "--peak-persons", CLI_NUM, "peak_persons" },
	{ "--users", CLI_NUM, "users" },
	{ "--complexity", CLI_LIST, "complexity" },
	{ "--responsibilities", CLI_LIST, "responsibilities" },
	{ NULL },
};

static void print_career_added(const json_t *out, const char *ref)
{
	printf("added career %lld to staff %s (declared, unverified)\n",
	       (long long)json_integer_value(json_object_get(out, "id")), ref);
}

/* The career from a file, or from the options: not both. */
static int career_add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *in;

	if (!file) {
		if (!cli_opt(opts, "--field") || !cli_opt(opts, "--role") || !cli_opt(opts, "--from"))
			return cli_usage(usage_career_add);
		return cli_call_ref(c, staff_career_add, pos[0], opts, NULL,
				    CLI_AS_TEXT(print_career_added));
	}
	for (const struct opt *o = opts; o->name; o++)
		if (o->key && o->set)
			return cli_usage(usage_career_add);
	if (!(in = cli_read_json_file(file, &e)))
		return cli_fail(&e);
	return cli_call_ref(c, staff_career_add, pos[0], NULL, in, CLI_AS_TEXT(print_career_added));
}

static int verify(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	char msg[160];
	int rc = staff_career_verify(c->st, &c->actor, pos[0], pos[1], &out, &e);

	snprintf(msg, sizeof(msg), "verified career %s of staff %s", pos[1], pos[0]);
	return cli_answer(c, rc, out, &e, CLI_AS_LINE(msg, NULL));
}

static void print_levels(const json_t *row)
{
	static const char *const cols[] = { "field", "declared", "verified", "decided", NULL };
	json_t *rows = json_array();
	json_t *decision = json_object_get(row, "decision");

	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const char *fname = skill_fields[f].name;
		json_t *lv = json_object_get(json_object_get(row, "levels"), fname);
		json_t *r = json_pack("{s:s, s:O, s:O}", "field", fname, "declared",
				      json_object_get(lv, "declared"), "verified",
				      json_object_get(lv, "verified"));

		if (json_is_object(decision) &&
		    !strcmp(json_string_value(json_object_get(decision, "field")), fname))
			json_object_set(r, "decided", json_object_get(decision, "level"));
		json_array_append_new(rows, r);
	}
	cli_print_table(rows, cols);
	json_decref(rows);
}

static const struct opt assess_opts[] = {
	{ "--decide", CLI_NUM, "level" }, { "--field", CLI_STR, "field" },
	{ "--note", CLI_STR, "note" },	  { "--as-of", CLI_STR, "as_of" },
	{ NULL },
};

static void print_assessment(const json_t *out, const char *ref)
{
	json_t *note = json_object_get(out, "note");

	printf("assessment %lld of %s as of %s by %s (rules %s)\ninput %s\n\n",
	       (long long)json_integer_value(json_object_get(out, "id")), ref,
	       json_string_value(json_object_get(out, "as_of")),
	       json_string_value(json_object_get(out, "assessor")),
	       json_string_value(json_object_get(out, "rules_version")),
	       json_string_value(json_object_get(out, "input_hash")));
	print_levels(out);
	if (json_is_string(note))
		printf("note: %s\n", json_string_value(note));
	printf("\non verified records:\n");
	cli_print_skill_result(json_object_get(json_object_get(out, "result"), "verified"));
}

static int assess(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--decide") != !cli_opt(opts, "--field")) {
		fprintf(stderr, "itsm: --decide LEVEL and --field F go together\n");
		return cli_usage(usage_assess);
	}
	return cli_call_ref(c, staff_assess, pos[0], opts, NULL, CLI_AS_TEXT(print_assessment));
}

static const struct opt history_opts[] = {
	{ "--limit", CLI_STR, "limit" }, { "--cursor", CLI_STR, "cursor" }, { NULL },
};

/* Newest first, the levels of each assessment as declared/verified. */
static void print_history(const json_t *out, const char *ref)
{
	static const char *const cols[] = { "id", "at", "assessor", "as_of", "om", "sm", "op",
					    "sd", "decision", "note:30", NULL };
	json_t *rows = json_array(), *it, *next;
	size_t i;

	json_array_foreach(json_object_get(out, "items"), i, it) {
		json_t *row = json_pack("{s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(it, "id"),
					"at", json_object_get(it, "at"), "assessor",
					json_object_get(it, "assessor"), "as_of",
					json_object_get(it, "as_of"), "note",
					json_object_get(it, "note"));
		json_t *d = json_object_get(it, "decision");

		for (size_t k = 0; k < CLI_SKILL_COLUMNS; k++) {
			json_t *lv = json_object_get(json_object_get(it, "levels"),
						     cli_skill_columns[k].field);
			char v[16];

			cli_skill_level_pair(v, sizeof(v), lv);
			json_object_set_new(row, cli_skill_columns[k].col, json_string(v));
		}
		if (json_is_object(d)) {
			char v[48];

			snprintf(v, sizeof(v), "%s %lld", json_string_value(json_object_get(d, "field")),
				 (long long)json_integer_value(json_object_get(d, "level")));
			json_object_set_new(row, "decision", json_string(v));
		}
		json_array_append_new(rows, row);
	}
	printf("levels as declared/verified (om operations_management, sm system_management,\n"
	       "op operation, sd service_desk), newest first\n\n");
	cli_print_table(rows, cols);
	json_decref(rows);
	next = json_object_get(out, "next_cursor");
	if (json_is_string(next))
		printf("(more: --cursor %s)\n", json_string_value(next));
}

/* The summary of each row for the table; --json asks for the rows whole. */
static int history(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *q = c->json ? NULL : json_pack("{s:s}", "summary", "true");

	return cli_call_ref(c, staff_assessments_json, pos[0], opts, q,
			    CLI_AS_TEXT(print_history));
}

const struct subcommand cmd_staff[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "career add", career_add, 1, 1, career_add_opts, usage_career_add },
	{ "verify", verify, 2, 2, NULL, usage_verify },
	{ "assess", assess, 1, 1, assess_opts, usage_assess },
	{ "history", history, 1, 1, history_opts, usage_history },
	{ NULL },
};
