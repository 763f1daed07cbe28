/*
 * cmd_staff.c — stored staff from the command line:
 *   itsm staff add|list|show|update|career add|verify|assess|history
 * Each subcommand builds the same JSON the HTTP API takes and calls the same
 * domain function, so --as USER gets exactly the API's answers.
 */
#include "cli/cli.h"
#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "lib/strlist.h"

#include <stdlib.h>
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

/* Print out (or fail with e) and return the exit status. */
static int done(struct cli *c, int rc, json_t *out, const struct err *e, const char *what)
{
	if (rc)
		return cli_fail(e);
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	if (what)
		printf("%s\n", what);
	json_decref(out);
	return 0;
}


/* An integer when the text is one, else the text (the domain names it). */
static json_t *number_or_text(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return *s && !*end ? json_integer(v) : json_string(s);
}

static void print_staff(const json_t *s)
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

		printf("\nevidence from itsm (shown beside the careers, never counted):\n"
		       "  user %s, %s since %s (%lld days)\n"
		       "  tickets assigned %lld: open %lld, resolved %lld, closed %lld\n",
		       json_string_value(json_object_get(ev, "user")),
		       json_string_value(json_object_get(ev, "role")),
		       json_string_value(json_object_get(ev, "since")),
		       (long long)json_integer_value(json_object_get(ev, "days")),
		       (long long)json_integer_value(json_object_get(t, "assigned")),
		       (long long)json_integer_value(json_object_get(t, "open")),
		       (long long)json_integer_value(json_object_get(t, "resolved")),
		       (long long)json_integer_value(json_object_get(t, "closed")));
	}
}

static const struct opt add_opts[] = {
	{ "--name" }, { "--group" }, { "--user" }, { "--note" }, { NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *key = pos[0];
	struct err e = { 0 };
	json_t *in, *out = NULL;
	char msg[128];
	int rc;

	if (!cli_opt(opts, "--name"))
		return cli_usage(usage_add);
	in = json_pack("{s:s, s:s}", "key", key, "name", cli_opt(opts, "--name"));
	if (cli_opt(opts, "--group"))
		json_object_set_new(in, "groups", strlist_json(cli_opt(opts, "--group")));
	if (cli_opt(opts, "--user"))
		json_object_set_new(in, "user", json_string(cli_opt(opts, "--user")));
	if (cli_opt(opts, "--note"))
		json_object_set_new(in, "note", json_string(cli_opt(opts, "--note")));
	rc = staff_add(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	snprintf(msg, sizeof(msg), "added staff %s", key);
	return done(c, rc, out, &e, msg);
}

static const struct opt list_opts[] = {
	{ "--group" }, { "--limit" }, { "--cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:30", "groups:30", "user", "version", NULL };
	static const char *const map[][2] = { { "--group", "group" },
					      { "--limit", "limit" },
					      { "--cursor", "cursor" } };
	struct err e = { 0 };
	json_t *q = json_object(), *out = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cli_opt(opts, map[i][0]))
			json_object_set_new(q, map[i][1], json_string(cli_opt(opts, map[i][0])));
	rc = staff_list_json(c->st, &c->actor, q, &out, &e);
	json_decref(q);
	if (rc)
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_get_json(c->st, &c->actor, pos[0], &out, &e);

	if (rc || c->json)
		return done(c, rc, out, &e, NULL);
	print_staff(out);
	json_decref(out);
	return 0;
}

static const struct opt update_opts[] = {
	{ "--file" }, { "--name" }, { "--group" }, { "--user" }, { "--version" },
	{ NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *key = pos[0];
	struct err e = { 0 };
	json_t *in, *out = NULL, *cur = NULL;
	const char *file = cli_opt(opts, "--file"), *user = cli_opt(opts, "--user");
	const char *version = cli_opt(opts, "--version");
	char msg[128];
	int rc;

	if (file) {
		if (!(in = cli_read_json_file(file, &e)))
			return cli_fail(&e);
		if (!json_is_object(in)) {
			json_decref(in);
			return cli_failf("'%s' must hold a JSON object", file);
		}
	} else {
		in = json_object();
	}
	if (cli_opt(opts, "--name"))
		json_object_set_new(in, "name", json_string(cli_opt(opts, "--name")));
	if (cli_opt(opts, "--group"))
		json_object_set_new(in, "groups", strlist_json(cli_opt(opts, "--group")));
	if (user)
		json_object_set_new(in, "user", strcmp(user, "none") ? json_string(user) : json_null());
	if (version) {
		json_object_set_new(in, "version", number_or_text(version));
	} else if (!json_object_get(in, "version")) {
		/* Without --version, update the version read just now. */
		if (staff_get_json(c->st, &c->actor, key, &cur, &e)) {
			json_decref(in);
			return cli_fail(&e);
		}
		json_object_set(in, "version", json_object_get(cur, "version"));
		json_decref(cur);
	}
	rc = staff_update(c->st, &c->actor, key, in, &out, &e);
	json_decref(in);
	snprintf(msg, sizeof(msg), "updated staff %s, version %lld", key,
		 rc ? 0LL : (long long)json_integer_value(json_object_get(out, "version")));
	return done(c, rc, out, &e, msg);
}

static const struct opt career_add_opts[] = {
	{ "--file" },	 { "--field" },	  { "--role" },
	{ "--from" },	 { "--to" },		  { "--title" },
	{ "--note" },	 { "--failed", CLI_FLAG },	  { "--persons" },
	{ "--contract-yen" }, { "--peak-persons" }, { "--users" },
	{ "--complexity" },	 { "--responsibilities" }, { NULL },
};

static int career_add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[][2] = { { "--field", "field" }, { "--role", "role" },
					       { "--from", "from" },   { "--to", "to" },
					       { "--title", "title" }, { "--note", "note" } };
	static const char *const nums[][2] = { { "--persons", "persons" },
					       { "--contract-yen", "contract_yen" },
					       { "--peak-persons", "peak_persons" },
					       { "--users", "users" } };
	static const char *const lists[][2] = { { "--complexity", "complexity" },
						{ "--responsibilities", "responsibilities" } };
	const char *key = pos[0], *file = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *in, *out = NULL;
	char msg[160];
	int rc, flags = 0;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		flags |= cli_opt(opts, strs[i][0]) != NULL;
	if (file && flags)
		return cli_usage(usage_career_add);
	if (file) {
		if (!(in = cli_read_json_file(file, &e)))
			return cli_fail(&e);
	} else {
		if (!cli_opt(opts, "--field") || !cli_opt(opts, "--role") || !cli_opt(opts, "--from"))
			return cli_usage(usage_career_add);
		in = json_object();
		for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
			if (cli_opt(opts, strs[i][0]))
				json_object_set_new(in, strs[i][1], json_string(cli_opt(opts, strs[i][0])));
		for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
			if (cli_opt(opts, nums[i][0]))
				json_object_set_new(in, nums[i][1], number_or_text(cli_opt(opts, nums[i][0])));
		for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
			if (cli_opt(opts, lists[i][0]))
				json_object_set_new(in, lists[i][1], strlist_json(cli_opt(opts, lists[i][0])));
		if (cli_opt(opts, "--failed"))
			json_object_set_new(in, "succeeded", json_false());
	}
	rc = staff_career_add(c->st, &c->actor, key, in, &out, &e);
	json_decref(in);
	snprintf(msg, sizeof(msg), "added career %lld to staff %s (declared, unverified)",
		 rc ? 0LL : (long long)json_integer_value(json_object_get(out, "id")), key);
	return done(c, rc, out, &e, msg);
}

static int verify(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	char msg[160];
	int rc = staff_career_verify(c->st, &c->actor, pos[0], pos[1], &out, &e);

	snprintf(msg, sizeof(msg), "verified career %s of staff %s", pos[1], pos[0]);
	return done(c, rc, out, &e, msg);
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
	{ "--decide" }, { "--field" }, { "--note" }, { "--as-of" }, { NULL },
};

static int assess(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *key = pos[0];
	struct err e = { 0 };
	json_t *in = json_object(), *out = NULL, *note;
	const char *decide = cli_opt(opts, "--decide"), *field = cli_opt(opts, "--field");
	int rc;

	if (!decide != !field) {
		json_decref(in);
		fprintf(stderr, "itsm: --decide LEVEL and --field F go together\n");
		return cli_usage(usage_assess);
	}
	if (decide) {
		json_object_set_new(in, "level", number_or_text(decide));
		json_object_set_new(in, "field", json_string(field));
	}
	if (cli_opt(opts, "--note"))
		json_object_set_new(in, "note", json_string(cli_opt(opts, "--note")));
	if (cli_opt(opts, "--as-of"))
		json_object_set_new(in, "as_of", json_string(cli_opt(opts, "--as-of")));
	rc = staff_assess(c->st, &c->actor, key, in, &out, &e);
	json_decref(in);
	if (rc || c->json)
		return done(c, rc, out, &e, NULL);
	printf("assessment %lld of %s as of %s by %s (rules %s)\ninput %s\n\n",
	       (long long)json_integer_value(json_object_get(out, "id")), key,
	       json_string_value(json_object_get(out, "as_of")),
	       json_string_value(json_object_get(out, "assessor")),
	       json_string_value(json_object_get(out, "rules_version")),
	       json_string_value(json_object_get(out, "input_hash")));
	print_levels(out);
	note = json_object_get(out, "note");
	if (json_is_string(note))
		printf("note: %s\n", json_string_value(note));
	printf("\non verified records:\n");
	cli_print_skill_result(json_object_get(json_object_get(out, "result"), "verified"));
	json_decref(out);
	return 0;
}

static const struct opt history_opts[] = { { "--limit" }, { "--cursor" }, { NULL } };

static int history(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "at", "assessor", "as_of", "om", "sm", "op",
					    "sd", "decision", "note:30", NULL };
	const char *key = pos[0];
	struct err e = { 0 };
	json_t *q = json_pack("{s:s}", "summary", "true"), *out = NULL, *rows, *it, *next;
	size_t i;
	int rc;

	if (cli_opt(opts, "--limit"))
		json_object_set_new(q, "limit", json_string(cli_opt(opts, "--limit")));
	if (cli_opt(opts, "--cursor"))
		json_object_set_new(q, "cursor", json_string(cli_opt(opts, "--cursor")));
	if (c->json)
		json_object_del(q, "summary");
	rc = staff_assessments_json(c->st, &c->actor, key, q, &out, &e);
	json_decref(q);
	if (rc || c->json)
		return done(c, rc, out, &e, NULL);
	rows = json_array();
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
	json_decref(out);
	return 0;
}

static const struct subcommand subcommands[] = {
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

int cmd_staff(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
