/*
 * err.h — the error a callee hands back to its caller.
 *
 * Functions return int: 0 on success, a negative ERR_* code on failure. The
 * caller owns a struct err and passes it down; the callee fills in the code,
 * the field at fault (if one is) and a lowercase message, problem first, the
 * subject quoted: "unknown kind 'incidnet'". Only the API and CLI layers turn
 * an error into a response or an exit status.
 */
#ifndef ITSM_ERR_H
#define ITSM_ERR_H

enum {
	ERR_INVALID = -1,      /* 400 invalid */
	ERR_NOT_FOUND = -2,    /* 404 not_found */
	ERR_CONFLICT = -3,     /* 409 conflict (stale version, duplicate key) */
	ERR_TRANSITION = -4,   /* 409 invalid_transition */
	ERR_FORBIDDEN = -5,    /* 403 forbidden */
	ERR_UNAUTH = -6,       /* 401 unauthenticated */
	ERR_TOO_LARGE = -7,    /* 413 too_large */
	ERR_MEDIA = -8,        /* 415 unsupported_media_type */
	ERR_BUSY = -9,         /* 503 unavailable: overloaded, retry later */
	ERR_INTERNAL = -10,    /* 500 internal */
	ERR_RATE = -11,        /* 429 rate_limited: slow down */
	ERR_FULL = -12,        /* 507 insufficient_storage: the disk is full */
};

struct err {
	int code;
	char field[64];
	char msg[256];
};

/* Fill e (which may be NULL) and return code, so a callee can write
 * `return err_set(e, ERR_INVALID, "impact", "impact must be 1-3");`. */
int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void err_clear(struct err *e);
/* For a record the caller names: when the lookup's rc is ERR_NOT_FOUND, fill
 * e with code, field and the message and return code (an unknown reference
 * in the input is ERR_INVALID, say); any other rc — 0, or a failure of the
 * store, which must not read as "absent" — is returned as it is, e untouched:
 *   if ((rc = st->ops->user_get(st, tx, 0, name, &u, e)))
 *           return err_absent(e, rc, ERR_INVALID, "assignee", "unknown user '%s'", name); */
int err_absent(struct err *e, int rc, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The API's name for a code ("invalid", "not_found", …) and its HTTP status. */
const char *err_code_name(int code);
int err_http_status(int code);

#endif
