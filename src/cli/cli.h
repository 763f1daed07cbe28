/*
 * cli.h — what the command files share: the global state, option parsing,
 * output as tables or JSON, and turning errors into exit statuses.
 *
 * Exit statuses: 0 done, 1 the request was refused (the message says why),
 * 2 bad usage.
 */
#ifndef ITSM_CLI_H
#define ITSM_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

struct cli {
	const char *db;
	int db_named;        /* by --db or ITSM_DB, over the configuration's store.path */
	const char *as_user; /* --as USER: act as that user, with their role */
	int json;            /* --json: machine output */
	const char *config;  /* --config FILE or $ITSM_CONFIG; NULL: defaults */
	int configured;      /* its shared parts are installed (cli_config_apply) */
	struct store *st;
	struct actor actor;
};

/* What an option's value becomes in the JSON body of a request (struct
 * opt's type). The two flag types take no value; the others take one. */
enum cli_type {
	CLI_STR,        /* the value as a string */
	CLI_INT,        /* the value as an integer; other text is refused */
	CLI_NUM,        /* an integer when the value reads as one, else the text
			 * as given, for the domain to refuse naming its field */
	CLI_LIST,       /* "a,b" as ["a", "b"] (lib/strlist.h) */
	CLI_NULLABLE,   /* the value as a string, "none" as null */
	CLI_OBJECT,     /* the value read as JSON; anything but an object is refused */
	CLI_FLAG,       /* no value; true when given */
	CLI_FLAG_FALSE, /* no value; false when given (--internal: "public") */
};

/* An option a subcommand takes; the dispatcher fills value and set in a
 * copy of the subcommand's table. An option with a key is copied into the
 * request body by cli_opts_json(); one without is the subcommand's own to
 * read (cli_opt). Tables read { "--owner-group", CLI_STR, "owner_group" }. */
struct opt {
	const char *name; /* "--name" */
	enum cli_type type;
	const char *key;   /* the body's field; NULL: not copied */
	const char *value; /* set by the parser: "--name V" or "--name=V" */
	int set;
};

/* One subcommand of a command group: a row of the group's table, as main.c
 * keeps one row per command (git's commands[] in git.c). The dispatcher
 * parses only the row's own options (an option of another subcommand is bad
 * usage), checks the count of positionals, opens the store unless flags say
 * CLI_NO_STORE, then calls fn with the filled-in options and the positionals.
 * A command without subcommands (serve) is a table of one row named "",
 * which takes every argument. */
struct subcommand {
	const char *name; /* "show"; a name of two words ("career add") takes two */
	int (*fn)(struct cli *c, const struct opt *opts, const char **pos, int npos);
	int min_pos, max_pos;   /* how many positionals; max_pos CLI_ANY: no limit */
	const struct opt *opts; /* its options, ended by { NULL }; NULL: none */
	const char *usage;      /* "itsm GROUP NAME …"; lines after the first are
				 * indented to line up under "usage: " */
	unsigned flags;         /* CLI_NO_STORE */
};

#define CLI_ANY (-1)
enum {
	CLI_NO_STORE = 1, /* fn needs no store, or opens it itself */
};

/* Run the subcommand of a group that argv names (subs ends with { NULL }).
 * No subcommand, or an unknown one: the group's usage (every row's) on
 * stderr, 2; "--help" or "-h": the group's usage on stdout, 0. A table of
 * one row named "": that row, run on all of argv. */
int cli_dispatch(struct cli *c, int argc, char **argv, const struct subcommand *subs);
/* Run one subcommand on its arguments (argv after its name), as cli_dispatch
 * does once it has found it. "--" ends the options; --help or -h prints
 * sub's usage on stdout and returns 0 before anything else; an unknown
 * option, a missing value or a wrong count of positionals prints it on
 * stderr and returns 2. */
int cli_run(struct cli *c, int argc, char **argv, const struct subcommand *sub);
/* The value of the option called name: NULL when it was not given, "" for
 * a flag that was. */
const char *cli_opt(const struct opt *opts, const char *name);
/* Copy every option that was given and has a key into the object in, in
 * the table's order and as its type says, replacing what in held under that
 * key (so in may start with defaults). Returns 0, or 1 (the exit status)
 * after printing why a CLI_INT or CLI_OBJECT value is refused; in is then
 * partly filled, still the caller's to free. */
int cli_opts_json(const struct opt *opts, json_t *in);
/* Print "usage: USAGE" on stderr and return 2 (bad usage). */
int cli_usage(const char *usage);

/* Install what the configuration (c->config; none: the defaults) says
 * every command obeys, once (cli_config_apply of cli_config.h), open the
 * store (STORE_* flags) and resolve the acting user. */
int cli_open(struct cli *c, int flags);
void cli_close(struct cli *c);

/* Print a domain error as "itsm: …" and return 1. */
int cli_fail(const struct err *e);
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print j as JSON (consumes it). */
void cli_print_json(json_t *j);
/* Print items as a table of the given columns (NULL-terminated); a column
 * spec "key:width" truncates. Consumes nothing. */
void cli_print_table(const json_t *items, const char *const *cols);
/* Print a list answer ({"items": […], "next_cursor"}) as JSON with --json,
 * else as a table of cols and, when more follow, how to ask for them;
 * consumes out and returns 0 (a command's exit status). */
int cli_print_list(const struct cli *c, json_t *out, const char *const *cols);
/* Print the record a command made or changed: JSON with --json, else one
 * line "VERB VALUE" (VALUE is out's field, e.g. "added calendar office"; a
 * NULL verb prints the value alone, a NULL field the verb alone); consumes
 * out and returns 0. */
int cli_print_done(const struct cli *c, json_t *out, const char *verb, const char *field);

/* How a command shows the domain's answer: JSON with --json in every form;
 * else by the one member set (CLI_AS_* below). */
struct cli_show {
	const char *const *cols;  /* a list answer as a table (cli_print_list) */
	const char *const *keys;  /* one record as "key value" lines */
	const char *verb, *field; /* one line "VERB VALUE" (cli_print_done) */
	/* the command's own printing; ref is the record the command named when
	 * it went through cli_call_ref, cli_update or cli_get, else NULL */
	void (*text)(const json_t *out, const char *ref);
};
#define CLI_AS_TABLE(c) (&(const struct cli_show){ .cols = (c) })
#define CLI_AS_RECORD(k) (&(const struct cli_show){ .keys = (k) })
#define CLI_AS_LINE(v, f) (&(const struct cli_show){ .verb = (v), .field = (f) })
#define CLI_AS_TEXT(fn) (&(const struct cli_show){ .text = (fn) })
#define CLI_AS_JSON ((const struct cli_show *)NULL) /* JSON even without --json */

/* Print out as how says; consumes out and returns 0. */
int cli_show(const struct cli *c, json_t *out, const struct cli_show *how);
/* The end of a domain call: rc nonzero prints e (cli_fail) and returns 1,
 * else out is shown as how says and 0 returned. Consumes out. */
int cli_answer(const struct cli *c, int rc, json_t *out, const struct err *e,
	       const struct cli_show *how);

/* The shapes of the domain's operations: each fills *out with a new
 * reference, or e, returning nonzero. */
typedef int (*cli_body_fn)(struct store *st, const struct actor *a, const json_t *in,
			   json_t **out, struct err *e);
typedef int (*cli_ref_body_fn)(struct store *st, const struct actor *a, const char *ref,
			       const json_t *in, json_t **out, struct err *e);
typedef int (*cli_ref_fn)(struct store *st, const struct actor *a, const char *ref, json_t **out,
			  struct err *e);
typedef int (*cli_all_fn)(struct store *st, const struct actor *a, json_t **out, struct err *e);

/* Call fn with the body in (consumed; NULL: an empty object) filled from
 * opts by cli_opts_json (NULL: no options), then show its answer as how says
 * or print its error; returns the exit status. */
int cli_call(struct cli *c, cli_body_fn fn, const struct opt *opts, json_t *in,
	     const struct cli_show *how);
/* The same for an operation on the record ref. */
int cli_call_ref(struct cli *c, cli_ref_body_fn fn, const char *ref, const struct opt *opts,
		 json_t *in, const struct cli_show *how);
/* A change to ref, made as cli_call_ref does; when the body holds no
 * "version" once filled, the version get reads now goes in, so that a
 * change without --version applies to the record as just read. */
int cli_update(struct cli *c, cli_ref_body_fn fn, cli_ref_fn get, const char *ref,
	       const struct opt *opts, json_t *in, const struct cli_show *how);
/* Call fn on the record ref (a read, or an action without a body: run a
 * check, add a type), or fn that lists everything, and show the answer as
 * how says or print the error; returns the exit status. */
int cli_get(struct cli *c, cli_ref_fn fn, const char *ref, const struct cli_show *how);
int cli_get_all(struct cli *c, cli_all_fn fn, const struct cli_show *how);
/* Read a JSON file ("-": standard input), hand it to a create function of
 * the domain and print what it made as cli_print_done does. */
int cli_create_from_file(struct cli *c, const char *path, cli_body_fn fn, const char *verb,
			 const char *field);
/* A file streamed to fn (an import: history, time entries), "-" standard
 * input; a file that cannot be opened is refused before the store is
 * opened (for a command marked CLI_NO_STORE, so none is created for it). */
typedef int (*cli_stream_fn)(struct store *st, const struct actor *a, FILE *f, json_t **out,
			     struct err *e);
int cli_call_file(struct cli *c, const char *path, cli_stream_fn fn, const struct cli_show *how);
/* `update REF --file F --version N`: the file's fields and the version
 * (both required, else usage) to fn as cli_call_ref does. */
int cli_update_from_file(struct cli *c, cli_ref_body_fn fn, const char *ref,
			 const struct opt *opts, const char *usage, const struct cli_show *how);
/* Print one object as "key: value" lines. */
void cli_print_record(const json_t *obj, const char *const *keys);
/* The same, each line indented under a heading line "name" (an object held
 * in a record: a ticket's SLA block); a null obj prints "name -". */
void cli_print_subrecord(const char *name, const json_t *obj, const char *const *keys);
/* The most a command reads from one file (lib/file.h's file_read). */
#define CLI_FILE_LIMIT (256u * 1024 * 1024)
/* Read a whole file ("-" for stdin) into a JSON value; NULL with e set. */
json_t *cli_read_json_file(const char *path, struct err *e);

/* A command and the table of its subcommands (cli_dispatch): a row of
 * main.c's cli_commands, which ends with { NULL }. */
struct cli_command {
	const char *name;
	const struct subcommand *subs;
	const char *summary;
};
extern const struct cli_command cli_commands[];
/* The options main.c reads before the command (--db …), ended by { NULL }. */
extern const struct opt cli_global_options[];
/* Print itsm's usage (its options and the commands) on f; returns the exit
 * status: 2 on stderr (bad usage), else 0. */
int cli_main_usage(FILE *f);

/* The command groups, one file each: the tables main.c's rows point at. */
extern const struct subcommand cmd_help[], cmd_serve[], cmd_customer[], cmd_user[], cmd_token[],
	cmd_ticket[], cmd_audit[], cmd_skill[], cmd_staff[], cmd_service[], cmd_calendar[],
	cmd_sla[], cmd_outage[], cmd_import[], cmd_ci[], cmd_event[], cmd_check[], cmd_mail[], cmd_attachment[], cmd_notify[],
	cmd_backup[], cmd_restore[], cmd_migrate[], cmd_version[], cmd_procedure[], cmd_run[],
	cmd_schedule[], cmd_problem[], cmd_change[], cmd_freeze[], cmd_condition[], cmd_risk[],
	cmd_guideline[], cmd_kb[], cmd_search[], cmd_routing[], cmd_acceptance[],
	cmd_time[], cmd_cost[];
/* cmd_version.c: `itsm --version` is `itsm version`. */
int cli_version(struct cli *c);

/* cmd_skill.c: an assessment per field — level, next level's missing items. */
void cli_print_skill_result(const json_t *res);
/* A field's levels as "declared/verified" ("-" for none), and the short
 * column names the skill tables use for the fields. */
void cli_skill_level_pair(char *out, size_t n, const json_t *levels);
#define CLI_SKILL_COLUMNS 4
struct cli_skill_column {
	const char *field, *col;
};
extern const struct cli_skill_column cli_skill_columns[CLI_SKILL_COLUMNS];

#endif
