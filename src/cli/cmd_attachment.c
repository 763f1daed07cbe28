/*
 * cmd_attachment.c — a stored file from the command line:
 *   itsm attachment get ID [--output FILE]
 * The bytes as stored, to standard output or into FILE; the same
 * visibility as the API's download.
 */
#include "cli/cli.h"
#include "domain/attach/attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write n bytes of data into path (created or truncated): 0, or 1 after
 * saying why not. */
static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int bad;

	if (!f)
		return cli_failf("cannot write '%s': %s", path, strerror(errno));
	bad = fwrite(data, 1, n, f) != n;
	bad |= fclose(f) != 0;
	return bad ? cli_failf("cannot write '%s': %s", path, strerror(errno)) : 0;
}

static const char usage_get[] = "itsm attachment get ID [--output FILE]";

static const struct opt get_opts[] = { { "--output", CLI_STR, NULL }, { NULL } };

static int get(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *path = cli_opt(opts, "--output");
	struct attachment a;
	struct err e = { 0 };
	char *end;
	long long id = strtoll(pos[0], &end, 10);
	int rc = 0;

	if (*end || id <= 0)
		return cli_failf("attachment '%.40s' not found", pos[0]);
	if (attach_get(c->st, &c->actor, id, &a, &e))
		return cli_fail(&e);
	if (path) {
		if ((rc = write_file(path, a.data, a.data_len)))
			;
		else if (!c->json)
			fprintf(stderr, "wrote %s (%zu bytes, %s)\n", path, a.data_len,
				a.content_type);
	} else if (fwrite(a.data, 1, a.data_len, stdout) != a.data_len || fflush(stdout)) {
		rc = cli_failf("cannot write the file to standard output");
	}
	attachment_release(&a);
	return rc;
}

const struct subcommand cmd_attachment[] = {
	{ "get", get, 1, 1, get_opts, usage_get },
	{ NULL },
};
