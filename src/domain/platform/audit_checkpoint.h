/*
 * audit_checkpoint.h — the audit chain anchored outside the store: signed
 * checkpoints.
 *
 * A checkpoint says "on this date the chain held record SEQ with hash
 * HEAD", signed with an Ed25519 key (libsodium crypto_sign) whose secret
 * half lives in a key file outside the database. Checkpoints are kept as
 * JSON lines in a file of their own (or anywhere else: a line carries
 * everything needed to check it). audit_verify_anchored holds the chain
 * against them, so rewriting the chain and its head together, or cutting
 * records from its end, shows even though the database was rewritten
 * consistently: the attacker cannot sign a new checkpoint without the key.
 *
 * Invariants: a checkpoint is made only of a chain that verifies (one does
 * not vouch for a chain already broken); the key file is created with mode
 * 0600 and never overwritten; a checkpoint whose signature does not verify
 * with the given public key, or whose key id is another key's, is refused
 * with the line it is on. See docs/audit.md for the threat model.
 */
#ifndef ITSM_AUDIT_CHECKPOINT_H
#define ITSM_AUDIT_CHECKPOINT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;

#define AUDIT_KEY_PUBLIC_LEN 32   /* crypto_sign_PUBLICKEYBYTES */
#define AUDIT_KEY_SECRET_LEN 64   /* crypto_sign_SECRETKEYBYTES */
#define AUDIT_SIG_LEN 64          /* crypto_sign_BYTES */
#define AUDIT_KEY_ID_HEX 17       /* 8 bytes of BLAKE2b(public key), hex + NUL */

/* A signing key, or only its public half (has_secret 0). */
struct audit_key {
	uint8_t pk[AUDIT_KEY_PUBLIC_LEN];
	uint8_t sk[AUDIT_KEY_SECRET_LEN];
	int has_secret;
	char id[AUDIT_KEY_ID_HEX];
};

/* Create a new key in a new file at path (mode 0600; an existing file is
 * never overwritten: ERR_CONFLICT). */
int audit_key_generate(const char *path, struct audit_key *k, struct err *e);
/* Read a key file written by audit_key_generate. */
int audit_key_load(const char *path, struct audit_key *k, struct err *e);
/* A public key given as 64 hex digits, or as a file holding them or a key
 * file (whose public half is taken). */
int audit_key_public(const char *text_or_path, struct audit_key *k, struct err *e);
/* The public key as 64 hex digits. */
void audit_key_public_hex(const struct audit_key *k, char out[AUDIT_KEY_PUBLIC_LEN * 2 + 1]);
/* Forget the secret half. */
void audit_key_wipe(struct audit_key *k);

struct audit_checkpoint {
	int64_t seq;
	uint8_t head[AUDIT_HASH_LEN];
	int64_t at;
	char key_id[AUDIT_KEY_ID_HEX];
	uint8_t sig[AUDIT_SIG_LEN];
};

/* Verify the chain and sign its head at clock_now(): ERR_CONFLICT when the
 * chain does not verify (res says why) or is empty. res may be NULL. */
int audit_checkpoint_make(struct store *st, const struct audit_key *k,
			  struct audit_checkpoint *cp, struct audit_result *res, struct err *e);
/* {"at","head","key_id","seq","sig","v":1} — one line of a checkpoint file. */
json_t *audit_checkpoint_json(const struct audit_checkpoint *cp);
/* Append cp to the file at path as one line (created 0600 when missing). */
int audit_checkpoint_append(const char *path, const struct audit_checkpoint *cp,
			    struct err *e);
/* Every checkpoint of a JSON-lines file (blank lines skipped), each
 * signature checked with k; sorted by sequence. *out is the caller's to
 * free(); an empty file gives none. */
int audit_checkpoints_load(const char *path, const struct audit_key *k,
			   struct audit_checkpoint **out, size_t *n, struct err *e);

/* ---- the server's anchor: its key file and checkpoint file ---- */
struct audit_anchor_config {
	char key_file[512];        /* "" when the server keeps no key */
	char checkpoint_file[512]; /* "" when it writes no checkpoints */
	int64_t interval;          /* seconds between checkpoints; 0: never */
};
extern struct audit_anchor_config audit_anchor_cfg;

/* POST /api/v1/audit/checkpoints (admins): sign one now with the server's
 * key and append it to its checkpoint file; *out is the checkpoint. */
int audit_checkpoint_now(struct store *st, const struct actor *a, json_t **out,
			 struct err *e);
/* GET /api/v1/audit/verify?checkpoints=true|false (admins): verify, held
 * against the server's checkpoint file when asked. *out is the result. */
int audit_verify_json(struct store *st, const struct actor *a, const json_t *query,
		      json_t **out, struct err *e);

/* Write a checkpoint to the server's checkpoint file now, then start a
 * thread that writes one every interval seconds and once more on stop,
 * each only when the chain has grown past the file's last checkpoint.
 * Nothing is started (and *out is NULL) without a checkpoint file or with
 * interval 0; a key that cannot sign is an error. */
struct audit_checkpointer;
int audit_checkpointer_start(struct store *st, struct audit_checkpointer **out, struct err *e);
void audit_checkpointer_stop(struct audit_checkpointer *c);

#endif
