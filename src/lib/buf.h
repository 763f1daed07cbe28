/*
 * buf.h — one growable byte buffer with a hard size cap (as git's strbuf,
 * curl's dynbuf).
 *
 * Invariants: b->data is NUL-terminated whenever b->len > 0 or after any
 * append; b->len never exceeds b->cap_limit. An append that would exceed the
 * limit fails with ERR_TOO_LARGE and leaves the buffer unchanged.
 *
 * Lifecycle: buf_init(b, limit) → appends → buf_release(b) frees the bytes;
 * buf_detach(b) hands them to the caller (who frees them with free()).
 */
#ifndef ITSM_BUF_H
#define ITSM_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_DEFAULT_LIMIT (64u * 1024 * 1024)

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t limit;
};

#define BUF_INIT { NULL, 0, 0, BUF_DEFAULT_LIMIT }

void buf_init(struct buf *b, size_t limit);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);

int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* A view of the contents as a C string ("" when empty). */
const char *buf_str(const struct buf *b);

#endif
