/*
 * cmd_version.c — itsm version (and itsm --version): the release, the
 * commit it was built from, the schema of the store --db names when one
 * exists there, and the libraries' versions as loaded at run time (which
 * may differ from those it was built against).
 *
 * Invariants: asking changes nothing — the store is read, never created or
 * migrated (store_schema_read); the release and commit come from the
 * Makefile's generated version.c, "unknown" when built outside git.
 */
#include "api/server.h"
#include "cli/cli.h"
#include "store/store.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>

extern const char itsm_version[], itsm_commit[];

static const char usage[] = "itsm version [--json]   (the same: itsm [--db PATH] --version)";

/* "current", "older (serve migrates it to N)" or "newer than this itsm
 * (N)": how the store's schema stands against the binary's. */
static void schema_state(const struct store_schema *s, char *out, size_t n)
{
	if (s->schema == s->latest)
		snprintf(out, n, "current");
	else if (s->schema < s->latest)
		snprintf(out, n, "older: itsm serve migrates it to %d", s->latest);
	else
		snprintf(out, n, "newer than this itsm, which knows %d", s->latest);
}

int cli_version(struct cli *c)
{
	const struct {
		const char *name, *version;
	} libs[] = {
		{ "sqlite", store_library_version("sqlite") },
		{ "libpq", store_library_version("postgresql") },
		{ "libmicrohttpd", server_library_version() },
		{ "jansson", JANSSON_VERSION },
		{ "libsodium", sodium_version_string() },
		{ "libcurl", curl_version_info(CURLVERSION_NOW)->version },
	};
	struct store_schema s = { 0 };
	struct err e = { 0 };
	char state[96] = "";
	int have = 0;

	if (!store_schema_read(c->db, &s, &e)) {
		have = 1;
		schema_state(&s, state, sizeof(state));
	} else if (e.code != ERR_NOT_FOUND) {
		return cli_fail(&e);
	}
	if (c->json) {
		json_t *j = json_pack("{s:s, s:s, s:o}", "version", itsm_version, "commit",
				      itsm_commit, "libraries", json_object());
		json_t *l = json_object_get(j, "libraries");

		for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++)
			json_object_set_new(l, libs[i].name, json_string(libs[i].version));
		json_object_set_new(j, "store",
				    have ? json_pack("{s:s, s:i, s:i, s:s}", "path", c->db,
						     "schema", s.schema, "latest", s.latest,
						     "state", state)
					 : json_null());
		json_object_set_new(j, "schema_latest", json_integer(store_schema_latest()));
		cli_print_json(j);
		return 0;
	}
	printf("itsm %s (commit %s)\n", itsm_version, itsm_commit);
	if (have)
		printf("store %s: schema %d (%s)\n", c->db, s.schema, state);
	else
		printf("store %s: none there (this itsm creates schema %d)\n", c->db,
		       store_schema_latest());
	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++)
		printf("%s %s\n", libs[i].name, libs[i].version);
	return 0;
}

static int version(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_version(c);
}

const struct subcommand cmd_version[] = {
	{ "", version, 0, 0, NULL, usage, CLI_NO_STORE },
	{ NULL },
};
