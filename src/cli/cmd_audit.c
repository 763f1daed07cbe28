/*
 * cmd_audit.c — itsm audit verify [--checkpoint FILE --public-key KEY]
 *             | audit list [--after N] [--limit N]
 *             | audit keygen FILE | audit pubkey FILE
 *             | audit checkpoint --key FILE [--out FILE]
 *
 * `audit verify` exits 0 only when the whole chain verifies, every stored
 * record it holds matches the state the chain recorded for it and, with
 * --checkpoint, the chain still holds every (sequence, hash) the file's
 * signed checkpoints vouch for. `audit checkpoint` signs the head of a
 * chain that verifies; the key file never enters the database.
 */
#include "cli/cli.h"
#include "domain/platform/audit.h"
#include "domain/platform/audit_checkpoint.h"
#include "lib/plural.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage_verify[] =
	"itsm audit verify [--checkpoint FILE --public-key HEX|FILE]";
static const char usage_list[] = "itsm audit list [--after SEQ | --cursor C] [--limit N]";
static const char usage_keygen[] = "itsm audit keygen FILE";
static const char usage_pubkey[] = "itsm audit pubkey FILE";
static const char usage_checkpoint[] = "itsm audit checkpoint --key FILE [--out FILE]";

static const struct opt verify_opts[] = {
	{ "--checkpoint" },
	{ "--public-key" },
	{ NULL },
};

static int verify(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--checkpoint"), *pub = cli_opt(opts, "--public-key");
	struct audit_checkpoint *cps = NULL;
	struct audit_result res;
	struct audit_key k;
	struct err e = { 0 };
	size_t n = 0;
	int rc;

	if (!file != !pub)
		return cli_usage(usage_verify);
	if (file && ((rc = audit_key_public(pub, &k, &e)) ||
		     (rc = audit_checkpoints_load(file, &k, &cps, &n, &e))))
		return cli_fail(&e);
	rc = file ? audit_verify_anchored(c->st, cps, n, &res, &e) : audit_verify(c->st, &res, &e);
	free(cps);
	if (rc)
		return cli_fail(&e);
	if (c->json) {
		cli_print_json(audit_result_json(&res));
	} else if (res.ok) {
		printf("ok: %lld %s, head %s", (long long)res.records,
		       plural(res.records, "record verifies", "records verify"), res.head);
		if (file)
			printf(", %lld %s held", (long long)res.checkpoints_held,
			       plural(res.checkpoints_held, "checkpoint", "checkpoints"));
		printf("\n");
	} else {
		printf("FAILED: first bad record %lld: %s\n", (long long)res.first_bad, res.reason);
	}
	return res.ok ? 0 : 1;
}

/* --after SEQ, or --cursor as every list's next page names it (which wins:
 * it comes later in the table) */
static const struct opt list_opts[] = {
	{ "--after", CLI_STR, "cursor" },
	{ "--cursor", CLI_STR, "cursor" },
	{ "--limit", CLI_STR, "limit" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "seq", "at", "actor", "action", "entity", NULL };

	return cli_call(c, audit_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

/* Prints the public key alone on stdout, so it can be kept or sent on. */
static int print_public(const struct cli *c, const struct audit_key *k, const char *path)
{
	char hex[AUDIT_KEY_PUBLIC_LEN * 2 + 1];

	audit_key_public_hex(k, hex);
	if (c->json)
		cli_print_json(json_pack("{s:s, s:s, s:s}", "key_file", path, "public_key", hex,
					 "key_id", k->id));
	else
		printf("%s\n", hex);
	return 0;
}

static int keygen(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct audit_key k;
	struct err e = { 0 };

	if (audit_key_generate(pos[0], &k, &e))
		return cli_fail(&e);
	audit_key_wipe(&k);
	if (!c->json)
		fprintf(stderr,
			"itsm: wrote the audit signing key to %s (mode 0600): keep it away from the "
			"database's disk and user; its public key follows\n",
			pos[0]);
	return print_public(c, &k, pos[0]);
}

static int pubkey(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct audit_key k;
	struct err e = { 0 };

	if (audit_key_public(pos[0], &k, &e))
		return cli_fail(&e);
	return print_public(c, &k, pos[0]);
}

static const struct opt checkpoint_opts[] = {
	{ "--key" },
	{ "--out" },
	{ NULL },
};

static int checkpoint(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *key = cli_opt(opts, "--key"), *out = cli_opt(opts, "--out");
	struct audit_checkpoint cp;
	struct audit_key k;
	struct err e = { 0 };
	char *line;
	json_t *j;
	int rc;

	if (!key || !*key || (out && !*out))
		return cli_usage(usage_checkpoint);
	if (audit_key_load(key, &k, &e))
		return cli_fail(&e);
	rc = audit_checkpoint_make(c->st, &k, &cp, NULL, &e);
	audit_key_wipe(&k);
	if (rc || (out && audit_checkpoint_append(out, &cp, &e)))
		return cli_fail(&e);
	j = audit_checkpoint_json(&cp);
	line = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (!line)
		return cli_failf("out of memory");
	printf("%s\n", line);
	free(line);
	return 0;
}

const struct subcommand cmd_audit[] = {
	{ "verify", verify, 0, 0, verify_opts, usage_verify },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "keygen", keygen, 1, 1, NULL, usage_keygen, CLI_NO_STORE },
	{ "pubkey", pubkey, 1, 1, NULL, usage_pubkey, CLI_NO_STORE },
	{ "checkpoint", checkpoint, 0, 0, checkpoint_opts, usage_checkpoint },
	{ NULL },
};
