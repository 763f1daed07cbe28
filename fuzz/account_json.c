/*
 * fuzz/account_json.c — libFuzzer target: the bodies of PATCH /users/{name}
 * (user_update) and POST /tokens (token_create_json, with its expires_in
 * and expires_at) against the seeded store, as any seeded user. Input:
 * {"as": USER, "user": NAME, "patch": {…}, "token": {…}}; each part present
 * is tried (writes are undone).
 *
 * Checked beyond memory safety (account.h, token.h):
 *  - an accepted change answers the user at the next version, with what was
 *    asked for; inside its write the store still has an active admin;
 *  - only admins change another user or anything but one's own name; a
 *    requester asking about another user is told "not found";
 *  - an accepted token answers its text (itsm_…) and no hash, expires never
 *    or after FUZZ_NOW and within ten years, and belongs to the one asked
 *    for (the actor's own unless an admin named another);
 *  - every refusal says why.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "domain/platform/account.h"
#include "domain/platform/token.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;

static void admins_remain(struct store_tx *tx, void *arg)
{
	struct err e = { 0 };
	int64_t n = 0;

	CHECK(tx->st->ops->user_count_admins(tx->st, tx, &n, &e) == 0);
	CHECK(n >= 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	return 0;
}

static const char *const seeded[] = { "admin", "mori", "sato", "watanabe", "kato", "alice", "dave" };

static int known(const char *name)
{
	for (size_t i = 0; i < sizeof(seeded) / sizeof(seeded[0]); i++)
		if (!strcmp(name, seeded[i]))
			return 1;
	return 0;
}

static void try_update(const struct actor *a, const char *name, const json_t *patch)
{
	struct user before;
	struct err e = { 0 };
	json_t *out = NULL;
	int exists = st->ops->user_get(st, NULL, 0, name, &before, &e) == 0, rc;
	int admin = a->role == ROLE_ADMIN, self = !strcmp(a->username, name);

	err_clear(&e);
	fuzz_store_hook(admins_remain, NULL);
	rc = user_update(st, a, name, patch, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("update %s as %s: %d %s\n", name, a->username, rc, rc ? e.msg : "");
	if (rc) {
		CHECK(e.msg[0] && !out);
		if (!admin && !self && a->role == ROLE_REQUESTER)
			CHECK(rc == ERR_NOT_FOUND);
		return;
	}
	CHECK(exists && (admin || self));
	CHECK(json_integer_value(json_object_get(out, "version")) == before.version + 1);
	CHECK(json_integer_value(json_object_get(patch, "version")) == before.version);
	CHECK(!strcmp(json_string_value(json_object_get(out, "username")), name));
	if (!admin) {
		CHECK(!strcmp(json_string_value(json_object_get(out, "role")), role_name(before.role)));
		CHECK(json_is_true(json_object_get(out, "active")) == !!before.active);
	}
	if (json_is_string(json_object_get(patch, "name")))
		CHECK(json_equal(json_object_get(patch, "name"), json_object_get(out, "name")));
	if (json_is_boolean(json_object_get(patch, "active")))
		CHECK(json_equal(json_object_get(patch, "active"), json_object_get(out, "active")));
	json_decref(out);
}

static void try_token(const struct actor *a, const json_t *body)
{
	char text[TOKEN_TEXT_LEN] = "";
	struct err e = { 0 };
	json_t *out = NULL, *user;
	const char *owner;
	int64_t expires = 0;
	int rc = token_create_json(st, a, body, text, &out, &e);

	NOTE("token as %s: %d %s\n", a->username, rc, rc ? e.msg : "");
	if (rc) {
		CHECK(e.msg[0] && !out);
		return;
	}
	CHECK(!strncmp(text, "itsm_", 5) && strlen(text) > 30);
	CHECK(!strcmp(json_string_value(json_object_get(out, "token")), text));
	CHECK(!json_object_get(out, "hash") && !json_object_get(out, "hash_digest"));
	owner = json_string_value(json_object_get(out, "user"));
	user = json_object_get(body, "user");
	CHECK(owner && !strcmp(owner, json_is_string(user) ? json_string_value(user) : a->username));
	if (strcmp(owner, a->username))
		CHECK(a->role == ROLE_ADMIN);
	if (!json_is_null(json_object_get(out, "expires_at"))) {
		CHECK(time_parse_rfc3339(json_string_value(json_object_get(out, "expires_at")),
					 &expires) == 0);
		CHECK(expires > FUZZ_NOW && expires <= FUZZ_NOW + TOKEN_MAX_LIFETIME);
	} else {
		CHECK(!json_object_get(body, "expires_in") && !json_object_get(body, "expires_at"));
	}
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	const char *as, *name;
	struct actor a;

	if (!json_is_object(in))
		goto out;
	as = json_string_value(json_object_get(in, "as"));
	if (!as || !known(as))
		as = "admin";
	fuzz_actor(as, &a);
	name = json_string_value(json_object_get(in, "user"));
	if (json_object_get(in, "patch"))
		try_update(&a, name && strlen(name) < 64 ? name : "kato", json_object_get(in, "patch"));
	if (json_object_get(in, "token"))
		try_token(&a, json_object_get(in, "token"));
out:
	json_decref(in);
	return 0;
}
