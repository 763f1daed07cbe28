/*
 * cli_call.c — calling one domain operation the way every command does:
 * the request body from the subcommand's options (or a JSON file), the
 * domain function with the acting user, then the answer shown as the
 * command asks (cli_show) or the error as an exit status. Every path frees
 * the body and the answer.
 */
#include "cli/cli.h"
#include "lib/file.h"

#include <stdlib.h>
#include <string.h>

static int show(const struct cli *c, json_t *out, const struct cli_show *how, const char *ref)
{
	if (c->json || !how) {
		cli_print_json(out);
		return 0;
	}
	if (how->cols)
		return cli_print_list(c, out, how->cols);
	if (how->verb || how->field)
		return cli_print_done(c, out, how->verb, how->field);
	if (how->keys)
		cli_print_record(out, how->keys);
	else
		how->text(out, ref);
	json_decref(out);
	return 0;
}

int cli_show(const struct cli *c, json_t *out, const struct cli_show *how)
{
	return show(c, out, how, NULL);
}

static int answer(const struct cli *c, int rc, json_t *out, const struct err *e,
		  const struct cli_show *how, const char *ref)
{
	if (!rc)
		return show(c, out, how, ref);
	json_decref(out);
	return cli_fail(e);
}

int cli_answer(const struct cli *c, int rc, json_t *out, const struct err *e,
	       const struct cli_show *how)
{
	return answer(c, rc, out, e, how, NULL);
}

/* in (NULL: a new object) filled from opts (NULL: none); NULL after saying
 * why, in released. */
static json_t *body(const struct opt *opts, json_t *in)
{
	if (!in && !(in = json_object())) {
		cli_failf("out of memory");
		return NULL;
	}
	if (opts && cli_opts_json(opts, in)) {
		json_decref(in);
		return NULL;
	}
	return in;
}

int cli_call(struct cli *c, cli_body_fn fn, const struct opt *opts, json_t *in,
	     const struct cli_show *how)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc;

	if (!(in = body(opts, in)))
		return 1;
	rc = fn(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	return answer(c, rc, out, &e, how, NULL);
}

/* Unless in holds a "version", the version of ref that get reads now. */
static int version_now(struct cli *c, cli_ref_fn get, const char *ref, json_t *in, struct err *e)
{
	json_t *cur = NULL;

	if (json_object_get(in, "version"))
		return 0;
	if (get(c->st, &c->actor, ref, &cur, e))
		return -1;
	json_object_set(in, "version", json_object_get(cur, "version"));
	json_decref(cur);
	return 0;
}

int cli_update(struct cli *c, cli_ref_body_fn fn, cli_ref_fn get, const char *ref,
	       const struct opt *opts, json_t *in, const struct cli_show *how)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc;

	if (!(in = body(opts, in)))
		return 1;
	rc = get ? version_now(c, get, ref, in, &e) : 0;
	if (!rc)
		rc = fn(c->st, &c->actor, ref, in, &out, &e);
	json_decref(in);
	return answer(c, rc, out, &e, how, ref);
}

int cli_call_ref(struct cli *c, cli_ref_body_fn fn, const char *ref, const struct opt *opts,
		 json_t *in, const struct cli_show *how)
{
	return cli_update(c, fn, NULL, ref, opts, in, how);
}

int cli_get(struct cli *c, cli_ref_fn fn, const char *ref, const struct cli_show *how)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(c->st, &c->actor, ref, &out, &e);

	return answer(c, rc, out, &e, how, ref);
}

int cli_get_all(struct cli *c, cli_all_fn fn, const struct cli_show *how)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(c->st, &c->actor, &out, &e);

	return answer(c, rc, out, &e, how, NULL);
}

int cli_create_from_file(struct cli *c, const char *path, cli_body_fn fn, const char *verb,
			 const char *field)
{
	struct err e = { 0 };
	json_t *in = cli_read_json_file(path, &e);

	if (!in)
		return cli_fail(&e);
	return cli_call(c, fn, NULL, in, CLI_AS_LINE(verb, field));
}

int cli_update_from_file(struct cli *c, cli_ref_body_fn fn, const char *ref,
			 const struct opt *opts, const char *usage, const struct cli_show *how)
{
	struct err e = { 0 };
	json_t *in;

	if (!cli_opt(opts, "--file") || !cli_opt(opts, "--version"))
		return cli_usage(usage);
	if (!(in = cli_read_json_file(cli_opt(opts, "--file"), &e)))
		return cli_fail(&e);
	return cli_call_ref(c, fn, ref, opts, in, how);
}

int cli_call_file(struct cli *c, const char *path, cli_stream_fn fn, const struct cli_show *how)
{
	struct err e = { 0 };
	json_t *out = NULL;
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int rc;

	if (!f)
		return cli_failf("cannot open '%s'", path);
	if ((rc = cli_open(c, 0))) {
		if (f != stdin)
			fclose(f);
		return rc;
	}
	rc = fn(c->st, &c->actor, f, &out, &e);
	if (f != stdin)
		fclose(f);
	return cli_answer(c, rc, out, &e, how);
}

json_t *cli_read_json_file(const char *path, struct err *e)
{
	json_error_t je;
	char *data;
	size_t len;
	json_t *j;

	if (file_read(path, CLI_FILE_LIMIT, &data, &len, e))
		return NULL;
	j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	free(data);
	if (!j)
		err_set(e, ERR_INVALID, "file", "malformed JSON in '%s' at line %d: %s", path,
			je.line, je.text);
	return j;
}
