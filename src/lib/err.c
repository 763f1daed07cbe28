/*
 * err.c — filling struct err and mapping codes to the API's names (a code
 * not in the table is "internal", 500).
 */
#include "lib/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct err *e, int code, const char *field, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return code;
}

int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = err_vset(e, code, field, fmt, ap);
	va_end(ap);
	return code;
}

int err_absent(struct err *e, int rc, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (rc != ERR_NOT_FOUND)
		return rc;
	va_start(ap, fmt);
	code = err_vset(e, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof(*e));
}

static const struct {
	int code;
	const char *name;
	int status;
} codes[] = {
	{ ERR_INVALID, "invalid", 400 },
	{ ERR_NOT_FOUND, "not_found", 404 },
	{ ERR_CONFLICT, "conflict", 409 },
	{ ERR_TRANSITION, "invalid_transition", 409 },
	{ ERR_FORBIDDEN, "forbidden", 403 },
	{ ERR_UNAUTH, "unauthenticated", 401 },
	{ ERR_TOO_LARGE, "too_large", 413 },
	{ ERR_MEDIA, "unsupported_media_type", 415 },
	{ ERR_BUSY, "unavailable", 503 },
	{ ERR_INTERNAL, "internal", 500 },
	{ ERR_RATE, "rate_limited", 429 },
	{ ERR_FULL, "insufficient_storage", 507 },
};

const char *err_code_name(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "internal";
}

int err_http_status(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].status;
	return 500;
}
