/*
 * fuzz/session_json.c — libFuzzer target: console sign-in and session
 * tokens against the seeded store. The body of POST /api/v1/session
 * {"username", "password"} is read with the same jx_* calls as
 * api_session_create (the handler reads it; the domain takes the two
 * strings), then session_sign_in; a "token" key of the same body stands
 * for the cookie and goes to session_check and session_sign_out ("SEEDED"
 * stands for the token of the session made while seeding, which is random).
 *
 * Sign-in is tried only for the seeded users kato (password FUZZ_PASSWORD,
 * a cheap Argon2id hash) and ito (locked out): any other name costs a full
 * Argon2id verification (64 MiB, tens of milliseconds) by design, so that
 * timing does not tell which users exist, which would slow the fuzzer to a
 * crawl for nothing new.
 *
 * Checked beyond memory safety (session.h):
 *  - the right password signs in (two distinct tokens, the user's actor),
 *    any other is ERR_UNAUTH; a locked-out user is ERR_RATE whatever the
 *    password, checked before the password is;
 *  - only the seeded session's token resolves, to its user and CSRF token;
 *    any other is ERR_UNAUTH; signing out never fails.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/platform/session.h"
#include "lib/jsonx.h"
#include "store/store.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	return 0;
}

static void sign_in(const char *username, const char *password)
{
	char token[SESSION_TOKEN_LEN] = "", csrf[SESSION_TOKEN_LEN] = "";
	struct actor a;
	struct err e = { 0 };
	int rc;

	memset(&a, 0, sizeof(a));
	rc = session_sign_in(st, username, password, token, csrf, &a, &e);
	NOTE("sign-in %s: %d %s\n", username, rc, rc ? e.msg : "");
	if (!strcmp(username, "ito")) {
		CHECK(rc == ERR_RATE && e.msg[0]);
		return;
	}
	if (strcmp(password, FUZZ_PASSWORD)) {
		CHECK(rc == ERR_UNAUTH && e.msg[0]);
		return;
	}
	CHECK(rc == 0);
	CHECK(strlen(token) >= 32 && strlen(csrf) >= 32 && strcmp(token, csrf));
	CHECK(!strcmp(a.username, "kato") && a.role == ROLE_AGENT);
}

static void check_token(const char *token)
{
	char csrf[SESSION_TOKEN_LEN] = "";
	struct actor a;
	struct err e = { 0 };
	int rc = session_check(st, token, &a, csrf, &e);

	NOTE("check: %d %s\n", rc, rc ? e.msg : "");
	if (!strcmp(token, fuzz_session_token)) {
		CHECK(rc == 0 && !strcmp(a.username, "kato") && !strcmp(csrf, fuzz_session_csrf));
	} else {
		CHECK(rc == ERR_UNAUTH && e.msg[0]);
	}
	CHECK(session_sign_out(st, token, &e) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = { "username", "password", "token", NULL };
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	const char *username, *password, *token;
	struct err e = { 0 };

	if (!in)
		return 0;
	if (jx_str(in, "token", JX_OPTIONAL, 0, &token, &e) == 0)
		check_token(strcmp(token, "SEEDED") ? token : fuzz_session_token);
	if (jx_only(in, fields, &e) == 0 &&
	    jx_str(in, "username", JX_REQUIRED, 63, &username, &e) == 0 &&
	    jx_str(in, "password", JX_REQUIRED, 1024, &password, &e) == 0 &&
	    (!strcmp(username, "kato") || !strcmp(username, "ito")))
		sign_in(username, password);
	json_decref(in);
	return 0;
}
