/*
 * audit_checkpoint.c — signed checkpoints of the audit chain, the key file
 * that signs them, and the server's thread that writes them. See
 * audit_checkpoint.h for the invariants and docs/audit.md for the formats.
 *
 * The signed bytes of a checkpoint are the text
 *   "itsm-audit-checkpoint v1\n" SEQ "\n" HEAD-HEX "\n" AT "\n" KEY-ID
 * (AT in decimal seconds), so a signature covers every field of the line
 * and no other kind of message signed with the same key reads as one.
 */
#include "domain/platform/audit_checkpoint.h"
#include "lib/file.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/ticker.h"
#include "lib/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_KIND "itsm-audit-key"
#define KEY_FILE_MAX 4096
#define CHECKPOINT_FILE_MAX (256L * 1024 * 1024)

struct audit_anchor_config audit_anchor_cfg;

/* ---- keys ---- */

static void key_finish(struct audit_key *k)
{
	uint8_t h[16];

	crypto_generichash(h, sizeof(h), k->pk, sizeof(k->pk), NULL, 0);
	sodium_bin2hex(k->id, sizeof(k->id), h, 8);
}

void audit_key_public_hex(const struct audit_key *k, char out[AUDIT_KEY_PUBLIC_LEN * 2 + 1])
{
	sodium_bin2hex(out, AUDIT_KEY_PUBLIC_LEN * 2 + 1, k->pk, sizeof(k->pk));
}

void audit_key_wipe(struct audit_key *k)
{
	sodium_memzero(k->sk, sizeof(k->sk));
	k->has_secret = 0;
}

/* hex of exactly n bytes into out; 0, or -1 when it is anything else. */
static int unhex(const char *s, uint8_t *out, size_t n)
{
	size_t got = 0;

	if (!s || strlen(s) != n * 2)
		return -1;
	if (sodium_hex2bin(out, n, s, n * 2, NULL, &got, NULL) || got != n)
		return -1;
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int audit_key_generate(const char *path, struct audit_key *k, struct err *e)
{
	uint8_t seed[crypto_sign_SEEDBYTES];
	char seed_hex[sizeof(seed) * 2 + 1], pk_hex[AUDIT_KEY_PUBLIC_LEN * 2 + 1];
	json_t *j;
	char *text;
	int fd, rc = 0;

	memset(k, 0, sizeof(*k));
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	k->has_secret = 1;
	key_finish(k);
	sodium_bin2hex(seed_hex, sizeof(seed_hex), seed, sizeof(seed));
	audit_key_public_hex(k, pk_hex);
	j = json_pack("{s:s, s:s, s:s, s:s}", "kind", KEY_KIND, "algorithm", "ed25519",
		      "public_key", pk_hex, "seed", seed_hex);
	text = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(seed_hex, sizeof(seed_hex));
	if (!text)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = errno == EEXIST
			     ? err_set(e, ERR_CONFLICT, NULL, "key file '%s' exists: it is never overwritten",
				       path)
			     : err_set(e, ERR_INVALID, NULL, "cannot create key file '%s': %s", path,
				       strerror(errno));
	} else if (fchmod(fd, 0600) || write_all(fd, text, strlen(text)) || write_all(fd, "\n", 1) ||
		   fsync(fd)) {
		rc = err_set(e, ERR_INVALID, NULL, "cannot write key file '%s': %s", path,
			     strerror(errno));
	}
	if (fd >= 0 && close(fd) && !rc)
		rc = err_set(e, ERR_INVALID, NULL, "cannot write key file '%s'", path);
	if (rc && fd >= 0)
		unlink(path);
	sodium_memzero(text, strlen(text));
	free(text);
	if (rc)
		audit_key_wipe(k);
	return rc;
}

/* The key of a key file's text: the secret one when it holds a seed. */
static int key_parse(const char *text, const char *path, struct audit_key *k, struct err *e)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *kind = json_string_value(json_object_get(j, "kind"));
	const char *seed_hex = json_string_value(json_object_get(j, "seed"));
	const char *pk_hex = json_string_value(json_object_get(j, "public_key"));
	uint8_t seed[crypto_sign_SEEDBYTES], pk[AUDIT_KEY_PUBLIC_LEN];
	int rc = 0;

	memset(k, 0, sizeof(*k));
	if (!j || !kind || strcmp(kind, KEY_KIND) || unhex(pk_hex, pk, sizeof(pk)))
		rc = err_set(e, ERR_INVALID, NULL, "'%s' is not an itsm audit key file", path);
	else if (seed_hex && unhex(seed_hex, seed, sizeof(seed)))
		rc = err_set(e, ERR_INVALID, NULL, "key file '%s': malformed seed", path);
	else if (seed_hex) {
		crypto_sign_seed_keypair(k->pk, k->sk, seed);
		k->has_secret = 1;
		if (memcmp(k->pk, pk, sizeof(pk)))
			rc = err_set(e, ERR_INVALID, NULL,
				     "key file '%s': its public key is not its seed's", path);
	} else {
		memcpy(k->pk, pk, sizeof(pk));
	}
	sodium_memzero(seed, sizeof(seed));
	json_decref(j);
	if (rc)
		audit_key_wipe(k);
	else
		key_finish(k);
	return rc;
}

int audit_key_load(const char *path, struct audit_key *k, struct err *e)
{
	char *text;
	size_t n;
	struct stat sb;
	int rc;

	if ((rc = file_read(path, KEY_FILE_MAX, &text, &n, e)))
		return rc;
	rc = key_parse(text, path, k, e);
	sodium_memzero(text, n);
	free(text);
	if (!rc && !k->has_secret)
		rc = err_set(e, ERR_INVALID, NULL, "'%s' holds a public key only: it cannot sign",
			     path);
	if (!rc && stat(path, &sb) == 0 && (sb.st_mode & 077))
		log_warn("msg=\"audit key file readable by others\" path=%s mode=%o", LOG_STR(path),
			 (unsigned)(sb.st_mode & 0777));
	return rc;
}

int audit_key_public(const char *text_or_path, struct audit_key *k, struct err *e)
{
	char *text, *p, *end;
	size_t n;
	int rc;

	memset(k, 0, sizeof(*k));
	if (!unhex(text_or_path, k->pk, sizeof(k->pk))) {
		key_finish(k);
		return 0;
	}
	if ((rc = file_read(text_or_path, KEY_FILE_MAX, &text, &n, e)))
		return rc == ERR_NOT_FOUND ? err_set(e, ERR_INVALID, "public_key",
						     "'%s' is neither 64 hex digits nor a file",
						     text_or_path)
					   : rc;
	for (p = text; *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'; p++)
		;
	for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\n' ||
					     end[-1] == '\r' || end[-1] == '\t');)
		*--end = '\0';
	if (!unhex(p, k->pk, sizeof(k->pk))) {
		key_finish(k);
		rc = 0;
	} else {
		rc = key_parse(p, text_or_path, k, e);
		audit_key_wipe(k);
	}
	sodium_memzero(text, n);
	free(text);
	return rc;
}

/* ---- checkpoints ---- */

static void signed_bytes(const struct audit_checkpoint *cp, char *out, size_t n)
{
	char head[AUDIT_HASH_LEN * 2 + 1];

	sodium_bin2hex(head, sizeof(head), cp->head, sizeof(cp->head));
	snprintf(out, n, "itsm-audit-checkpoint v1\n%lld\n%s\n%lld\n%s", (long long)cp->seq, head,
		 (long long)cp->at, cp->key_id);
}

int audit_checkpoint_make(struct store *st, const struct audit_key *k,
			  struct audit_checkpoint *cp, struct audit_result *res, struct err *e)
{
	struct audit_result mine;
	char msg[256];
	int rc;

	if (!res)
		res = &mine;
	if (!k->has_secret)
		return err_set(e, ERR_INVALID, NULL, "a checkpoint needs the secret key");
	if ((rc = audit_verify(st, res, e)))
		return rc;
	if (!res->ok)
		return err_set(e, ERR_CONFLICT, NULL,
			       "the chain does not verify (record %lld: %s): no checkpoint vouches "
			       "for it",
			       (long long)res->first_bad, res->reason);
	if (!res->records)
		return err_set(e, ERR_CONFLICT, NULL, "the chain is empty: nothing to checkpoint");
	memset(cp, 0, sizeof(*cp));
	cp->seq = res->records;
	if (unhex(res->head, cp->head, sizeof(cp->head)))
		return err_set(e, ERR_INTERNAL, NULL, "malformed chain head");
	cp->at = clock_now();
	snprintf(cp->key_id, sizeof(cp->key_id), "%s", k->id);
	signed_bytes(cp, msg, sizeof(msg));
	crypto_sign_detached(cp->sig, NULL, (const unsigned char *)msg, strlen(msg), k->sk);
	return 0;
}

json_t *audit_checkpoint_json(const struct audit_checkpoint *cp)
{
	char head[AUDIT_HASH_LEN * 2 + 1], sig[AUDIT_SIG_LEN * 2 + 1];
	json_t *j;

	sodium_bin2hex(head, sizeof(head), cp->head, sizeof(cp->head));
	sodium_bin2hex(sig, sizeof(sig), cp->sig, sizeof(cp->sig));
	j = json_pack("{s:i, s:I, s:s, s:s, s:s}", "v", 1, "seq", (json_int_t)cp->seq, "head", head,
		      "key_id", cp->key_id, "sig", sig);
	jx_set_time(j, "at", cp->at);
	return j;
}

int audit_checkpoint_append(const char *path, const struct audit_checkpoint *cp,
			    struct err *e)
{
	json_t *j = audit_checkpoint_json(cp);
	char *line = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	int fd, rc = 0;

	json_decref(j);
	if (!line)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	/* One write of the whole line to a file opened for appending only. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = err_set(e, ERR_INVALID, NULL, "cannot open checkpoint file '%s': %s", path,
			     strerror(errno));
	} else {
		size_t n = strlen(line);

		line[n] = '\n';
		if (write_all(fd, line, n + 1) || fsync(fd))
			rc = err_set(e, ERR_INVALID, NULL, "cannot write checkpoint file '%s': %s",
				     path, strerror(errno));
		line[n] = '\0';
		if (close(fd) && !rc)
			rc = err_set(e, ERR_INVALID, NULL, "cannot write checkpoint file '%s'", path);
	}
	free(line);
	return rc;
}

/* One line of a checkpoint file, its signature checked with k. */
static int parse_line(const char *line, long no, const struct audit_key *k,
		      struct audit_checkpoint *cp, struct err *e)
{
	static const char *const fields[] = { "v", "seq", "head", "at", "key_id", "sig", NULL };
	json_t *j = json_loads(line, 0, NULL);
	const char *head, *key_id, *sig;
	char msg[256];
	int64_t v;
	int rc;

	memset(cp, 0, sizeof(*cp));
	if (!json_is_object(j)) {
		rc = err_set(e, ERR_INVALID, NULL, "line %ld is not a JSON object", no);
		goto out;
	}
	if ((rc = jx_only(j, fields, e)) || (rc = jx_int(j, "v", JX_REQUIRED, 1, 1, &v, e)) ||
	    (rc = jx_int(j, "seq", JX_REQUIRED, 1, INT64_MAX, &cp->seq, e)) ||
	    (rc = jx_str(j, "head", JX_REQUIRED, 64, &head, e)) ||
	    (rc = jx_time(j, "at", JX_REQUIRED, &cp->at, e)) ||
	    (rc = jx_str(j, "key_id", JX_REQUIRED, 16, &key_id, e)) ||
	    (rc = jx_str(j, "sig", JX_REQUIRED, 128, &sig, e)))
		goto located;
	if (unhex(head, cp->head, sizeof(cp->head)) || unhex(sig, cp->sig, sizeof(cp->sig))) {
		rc = err_set(e, ERR_INVALID, NULL, "malformed head or signature");
		goto located;
	}
	if (strcmp(key_id, k->id)) {
		rc = err_set(e, ERR_INVALID, "key_id", "signed by key %s, not by the key given (%s)",
			     key_id, k->id);
		goto located;
	}
	snprintf(cp->key_id, sizeof(cp->key_id), "%s", key_id);
	signed_bytes(cp, msg, sizeof(msg));
	if (crypto_sign_verify_detached(cp->sig, (const unsigned char *)msg, strlen(msg), k->pk))
		rc = err_set(e, ERR_INVALID, "sig", "the signature does not verify");
located:
	if (rc) {
		char what[sizeof(e->msg)];

		snprintf(what, sizeof(what), "%s", e->msg);
		err_set(e, rc, e->field[0] ? e->field : NULL, "checkpoint line %ld: %.200s", no, what);
	}
out:
	json_decref(j);
	return rc;
}

static int by_seq(const void *a, const void *b)
{
	const struct audit_checkpoint *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

int audit_checkpoints_load(const char *path, const struct audit_key *k,
			   struct audit_checkpoint **out, size_t *n, struct err *e)
{
	struct audit_checkpoint *v = NULL;
	size_t cap = 0, len;
	char *text, *line, *next;
	long no = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = file_read(path, CHECKPOINT_FILE_MAX, &text, &len, e)))
		return rc;
	for (line = text; !rc && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		no++;
		if (!line[strspn(line, " \t\r")])
			continue;
		if (*n == cap) {
			struct audit_checkpoint *m = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));

			if (!m) {
				rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
				break;
			}
			v = m;
			cap = cap ? cap * 2 : 16;
		}
		if ((rc = parse_line(line, no, k, &v[*n], e)) == 0)
			(*n)++;
	}
	free(text);
	if (rc) {
		free(v);
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(v, *n, sizeof(*v), by_seq);
	*out = v;
	return 0;
}

/* ---- the server's anchor ---- */

static int server_key(struct audit_key *k, struct err *e)
{
	if (!audit_anchor_cfg.key_file[0])
		return err_set(e, ERR_CONFLICT, NULL,
			       "the server has no audit key (set audit.key_file)");
	return audit_key_load(audit_anchor_cfg.key_file, k, e);
}

int audit_checkpoint_now(struct store *st, const struct actor *a, json_t **out,
			 struct err *e)
{
	struct audit_checkpoint cp;
	struct audit_key k;
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins make audit checkpoints");
	if (!audit_anchor_cfg.checkpoint_file[0])
		return err_set(e, ERR_CONFLICT, NULL,
			       "the server keeps no checkpoints (set audit.checkpoint_file)");
	if ((rc = server_key(&k, e)))
		return rc;
	rc = audit_checkpoint_make(st, &k, &cp, NULL, e);
	audit_key_wipe(&k);
	if (!rc)
		rc = audit_checkpoint_append(audit_anchor_cfg.checkpoint_file, &cp, e);
	if (!rc)
		*out = audit_checkpoint_json(&cp);
	return rc;
}

int audit_verify_json(struct store *st, const struct actor *a, const json_t *query,
		      json_t **out, struct err *e)
{
	const char *anchored = jx_qstr(query, "checkpoints");
	int want = anchored && !strcmp(anchored, "true");
	struct audit_checkpoint *cps = NULL;
	struct audit_result res;
	struct audit_key k;
	size_t n = 0;
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins verify the audit log");
	if (anchored && strcmp(anchored, "true") && strcmp(anchored, "false"))
		return err_set(e, ERR_INVALID, "checkpoints", "'checkpoints' is true or false");
	if (want) {
		if (!audit_anchor_cfg.checkpoint_file[0])
			return err_set(e, ERR_CONFLICT, "checkpoints",
				       "the server keeps no checkpoints (set audit.checkpoint_file)");
		if ((rc = server_key(&k, e)))
			return rc;
		audit_key_wipe(&k); /* only the public half checks */
		rc = audit_checkpoints_load(audit_anchor_cfg.checkpoint_file, &k, &cps, &n, e);
		if (rc == ERR_NOT_FOUND)
			rc = err_set(e, ERR_CONFLICT, "checkpoints", "no checkpoint written yet");
		if (rc)
			return rc;
	}
	rc = want ? audit_verify_anchored(st, cps, n, &res, e) : audit_verify(st, &res, e);
	free(cps);
	if (rc)
		return rc;
	*out = audit_result_json(&res);
	return 0;
}

/* ---- the checkpoint writer ---- */

struct audit_checkpointer {
	struct store *st;
	struct ticker *ticker; /* checkpoint_once every audit.checkpoint_interval */
};

/* The sequence of the file's last checkpoint (0: none), read from its
 * tail, whoever wrote it (this thread, the API, the CLI). */
static int64_t last_seq_in_file(const char *path)
{
	char tail[2048], *line;
	json_t *j;
	int64_t seq = 0;
	ssize_t n;
	off_t size;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	size = lseek(fd, 0, SEEK_END);
	if (size > 0 && lseek(fd, size > (off_t)sizeof(tail) - 1 ? size - (off_t)sizeof(tail) + 1 : 0,
			      SEEK_SET) >= 0 &&
	    (n = read(fd, tail, sizeof(tail) - 1)) > 0) {
		tail[n] = '\0';
		while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
			tail[--n] = '\0';
		line = strrchr(tail, '\n');
		j = json_loads(line ? line + 1 : tail, 0, NULL);
		seq = json_integer_value(json_object_get(j, "seq"));
		json_decref(j);
	}
	close(fd);
	return seq;
}

/* Write a checkpoint when the chain has grown since the file's last one. */
static void checkpoint_once(struct audit_checkpointer *c)
{
	struct audit_checkpoint cp;
	struct audit_result res = { 0 };
	struct audit_key k;
	struct err e = { 0 };
	int rc;

	if ((rc = server_key(&k, &e)) == 0) {
		rc = audit_checkpoint_make(c->st, &k, &cp, &res, &e);
		audit_key_wipe(&k);
	}
	if (rc == ERR_CONFLICT && res.ok && !res.records)
		return; /* an empty chain: nothing to vouch for yet */
	if (!rc && cp.seq == last_seq_in_file(audit_anchor_cfg.checkpoint_file))
		return;
	if (!rc)
		rc = audit_checkpoint_append(audit_anchor_cfg.checkpoint_file, &cp, &e);
	if (rc) {
		log_error("msg=\"audit checkpoint failed\" err=%s", LOG_STR(e.msg));
		return;
	}
	log_info("msg=\"audit checkpoint\" seq=%lld key=%s", (long long)cp.seq, LOG_STR(cp.key_id));
}

static void checkpoint_tick(void *c)
{
	checkpoint_once(c);
}

int audit_checkpointer_start(struct store *st, struct audit_checkpointer **out, struct err *e)
{
	struct audit_checkpointer *c;
	struct audit_key k;
	int rc;

	*out = NULL;
	if (!audit_anchor_cfg.checkpoint_file[0] || audit_anchor_cfg.interval <= 0)
		return 0;
	/* A key that cannot sign stops the server now, not at the first tick. */
	if ((rc = server_key(&k, e)))
		return rc;
	audit_key_wipe(&k);
	if (!(c = calloc(1, sizeof(*c))))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	c->st = st;
	checkpoint_once(c); /* the chain as the server finds it, before it serves */
	if (!(c->ticker = ticker_start((double)audit_anchor_cfg.interval, checkpoint_tick, c, e))) {
		free(c);
		return e->code;
	}
	*out = c;
	return 0;
}

void audit_checkpointer_stop(struct audit_checkpointer *c)
{
	if (!c)
		return;
	ticker_stop(c->ticker);
	checkpoint_once(c); /* what the last writes added */
	free(c);
}
