/*
 * log.c — structured log lines: "ts=… level=… key=value…". log_value makes
 * a value from outside safe to place in one.
 *
 * A command writes each line with one write(2). The server, which logs a
 * line per request, buffers info and debug lines (log_buffer_start): they
 * go out when the buffer fills, at each tick of a flusher (the server's:
 * every LOG_FLUSH_S), before any warning or error, and when buffering stops;
 * a warning or an error is written at once.
 *
 * Invariants: what log_value writes is printable ASCII or well-formed UTF-8
 * with no control character, and a quoted value always ends in an unescaped
 * '"', so a reader splitting on newlines and fields sees exactly the fields
 * our format strings wrote; lines never interleave, and leave in the order
 * they were made (the buffer holds whole lines and is written, under its
 * lock, before a line that bypasses it, in writes of whole lines a pipe
 * takes in one piece); buffering stopped, nothing is left
 * in the buffer. A process killed outright loses at most the info lines
 * of the last LOG_FLUSH_S.
 */
#include "lib/log.h"
#include "lib/err.h"
#include "lib/ticker.h"
#include "lib/timeutil.h"
#include "lib/utf8.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum log_level log_threshold = LOG_INFO;

static const char *const names[] = { "debug", "info", "warn", "error", "off" };

/* The buffered lines (whole ones), under mu; `buffering` is read without
 * it on the hot path, so it is atomic. */
#define LOG_BUF_MAX 32768
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char pending[LOG_BUF_MAX];
static size_t npending;
static int buffering;
static struct ticker *flusher;

static void write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* stderr gone: nothing better to do with a log line */
		p += w;
		n -= (size_t)w;
	}
}

/* The buffer in writes of whole lines of at most PIPE_BUF bytes, each of
 * which a pipe takes in one piece: a reader sharing the pipe with another
 * writer (`itsm serve 2>&1 | …`) never finds a line cut (a line is at
 * most 2 KB, so each write holds at least one). */
static void flush_locked(void)
{
	size_t at = 0;

	while (at < npending) {
		size_t n = npending - at;

		if (n > PIPE_BUF) {
			n = PIPE_BUF;
			while (n > 0 && pending[at + n - 1] != '\n')
				n--;
			if (!n) /* no line end within PIPE_BUF: cannot happen, be safe */
				n = PIPE_BUF;
		}
		write_all(pending + at, n);
		at += n;
	}
	npending = 0;
}

void log_flush(void)
{
	pthread_mutex_lock(&mu);
	flush_locked();
	pthread_mutex_unlock(&mu);
}

static void flush_tick(void *ctx)
{
	(void)ctx;
	log_flush();
}

int log_buffer_start(double flush_s, struct err *e)
{
	if (__atomic_load_n(&buffering, __ATOMIC_ACQUIRE))
		return 0;
	if (!(flusher = ticker_start(flush_s, flush_tick, NULL, e)))
		return -1;
	__atomic_store_n(&buffering, 1, __ATOMIC_RELEASE);
	return 0;
}

void log_buffer_stop(void)
{
	pthread_mutex_lock(&mu);
	__atomic_store_n(&buffering, 0, __ATOMIC_RELEASE);
	flush_locked();
	pthread_mutex_unlock(&mu);
	ticker_stop(flusher);
	flusher = NULL;
}

void log_write(enum log_level lvl, const char *fmt, ...)
{
	char line[2048], ts[RFC3339_LEN];
	va_list ap;
	int n;

	time_format_rfc3339(clock_now(), ts);
	n = snprintf(line, sizeof(line), "ts=%s level=%s ", ts, names[lvl]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (!__atomic_load_n(&buffering, __ATOMIC_ACQUIRE)) {
		write_all(line, (size_t)n);
		return;
	}
	pthread_mutex_lock(&mu);
	/* Checked again under the lock: a stop may have flushed meanwhile. */
	if (lvl >= LOG_WARN || !__atomic_load_n(&buffering, __ATOMIC_RELAXED) ||
	    npending + (size_t)n > sizeof(pending)) {
		flush_locked();
		write_all(line, (size_t)n);
	} else {
		memcpy(pending + npending, line, (size_t)n);
		npending += (size_t)n;
	}
	pthread_mutex_unlock(&mu);
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i <= LOG_OFF; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

static int plain_word(const char *s, size_t n, size_t size)
{
	if (n == 0 || n >= size)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '"' || s[i] == '=' || s[i] == '\\')
			return 0;
	return 1;
}

/* A well-formed sequence a terminal or a log viewer could take for a
 * control: C1 (U+0080-U+009F), the line and paragraph separators. */
static int control_seq(const unsigned char *u, size_t k)
{
	return (k == 2 && u[0] == 0xc2 && u[1] < 0xa0) ||
	       (k == 3 && u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9));
}

/* The escaped form of the character at s (n bytes left) into piece; its
 * length in s goes to *used. Returns the length of piece (at most 16). */
static size_t escape_one(const char *s, size_t n, char piece[16], size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t k = utf8_seq(s, n), len = 0;

	*used = k ? k : 1;
	if (k == 1 && u[0] >= ' ' && u[0] != 0x7f) {
		if (u[0] == '"' || u[0] == '\\')
			piece[len++] = '\\';
		piece[len++] = s[0];
		return len;
	}
	if (k == 1 && (u[0] == '\n' || u[0] == '\r' || u[0] == '\t')) {
		piece[0] = '\\';
		piece[1] = u[0] == '\n' ? 'n' : u[0] == '\r' ? 'r' : 't';
		return 2;
	}
	if (k > 1 && !control_seq(u, k)) {
		memcpy(piece, s, k);
		return k;
	}
	for (size_t i = 0; i < *used; i++) {
		piece[len++] = '\\';
		piece[len++] = 'x';
		piece[len++] = hex[u[i] >> 4];
		piece[len++] = hex[u[i] & 15];
	}
	return len;
}

const char *log_value(char *dst, size_t size, const char *s)
{
	/* Room kept for the end: ..." and the NUL. */
	const size_t tail = 5;
	size_t n, out = 0, used;
	char piece[16];

	if (!s) {
		snprintf(dst, size, "-");
		return dst;
	}
	n = strlen(s);
	if (plain_word(s, n, size)) {
		memcpy(dst, s, n + 1);
		return dst;
	}
	dst[out++] = '"';
	for (size_t i = 0; i < n; i += used) {
		size_t len = escape_one(s + i, n - i, piece, &used);

		if (out + len + tail > size) {
			memcpy(dst + out, "...", 3);
			out += 3;
			break;
		}
		memcpy(dst + out, piece, len);
		out += len;
	}
	dst[out++] = '"';
	dst[out] = '\0';
	return dst;
}
