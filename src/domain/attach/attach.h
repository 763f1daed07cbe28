/*
 * attach.h — files on tickets and their comments (docs/attachments.md).
 *
 * Invariants kept here and nowhere else:
 *  - a file's bytes are stored once per content, under their SHA-256; an
 *    attachment names them by that digest;
 *  - an attachment is never changed nor deleted; its audit record holds its
 *    digest, and audit verify holds the stored bytes against it;
 *  - the type a file is served as is sniffed from its first bytes against a
 *    short allow-list (never HTML), not taken from the client;
 *  - a requester sees only the public attachments of their own customer's
 *    tickets (others are "not found"), and what they attach is public.
 */
#ifndef ITSM_ATTACH_H
#define ITSM_ATTACH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/buf.h"
#include "lib/err.h"
#include "model/attach.h"

struct store;
struct store_tx;

/* The largest file taken (attach.max_size): 25 MiB unless configured. */
#define ATTACH_MAX_DEFAULT (25L * 1024 * 1024)
void attach_config_set(size_t max_size);
size_t attach_max_size(void);

/* ---- pure helpers (attach_sniff.c) ---- */

/* The type served for data: one of the allow-list's (PNG, JPEG, GIF, WebP,
 * PDF, ZIP, gzip; text/plain for well-formed UTF-8 without control
 * characters other than tab, CR, LF, FF), else application/octet-stream.
 * A static string. */
const char *attach_sniff(const void *data, size_t n);
/* The Content-Disposition value that offers filename for download:
 * attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded
 * (RFC 6266, RFC 5987). Every byte outside the token characters is
 * encoded, so quotes, CR, LF and non-ASCII never reach the header as they
 * are. 0, or ERR_INTERNAL when out of memory (out reset). */
int attach_disposition(const char *filename, struct buf *out);
/* Check and tidy a file name as given: the part after the last '/' or '\',
 * well-formed UTF-8, 1 to ATTACH_FILENAME_MAX bytes, not "." or "..";
 * into out. ERR_INVALID naming "filename". */
int attach_filename(const char *given, char out[ATTACH_FILENAME_MAX + 1], struct err *e);
/* The lowercase hex SHA-256 of data. */
void attach_digest(const void *data, size_t n, char out[ATTACH_HASH_HEX]);

/* ---- the operations (attach.c) ---- */

/* What an upload names beside its bytes: the file name, the comment (its
 * id as text, or NULL) and "public" ("true"/"false"/"1"/"0", or NULL). */
struct attach_in {
	const char *filename;
	const char *comment;
	const char *public_s;
};

/* Store data as an attachment of ticket ref for a, in one write with its
 * audit record; *out the attachment as listed (caller json_decref()s). */
int attach_add(struct store *st, const struct actor *a, const char *ref,
	       const struct attach_in *in, const void *data, size_t n, json_t **out,
	       struct err *e);
/* The same inside a write the caller holds (mail intake): ticket_id and
 * comment_id (0: none) are trusted; filename is tidied. *id (may be NULL)
 * receives the attachment's id. */
int attach_add_in(struct store_tx *tx, const struct actor *a, int64_t ticket_id,
		  const char *ticket_key, int64_t comment_id, const char *filename, int pub,
		  const char *source, const void *data, size_t n, int64_t *id, struct err *e);
/* The attachments of ticket ref a may see, {"items": […], "next_cursor": null}. */
int attach_list_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		     struct err *e);
/* Attachment id with its bytes, when a may see it (else ERR_NOT_FOUND);
 * release with attachment_release. */
int attach_get(struct store *st, const struct actor *a, int64_t id, struct attachment *out,
	       struct err *e);

json_t *attachment_to_json(const struct attachment *a);

/* ---- audit (attach_state.c) ---- */

/* Every attachment as stored now, the digest recomputed from its stored
 * bytes, in the form its audit record holds ("attachment:ID"). */
int attach_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
