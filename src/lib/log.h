/*
 * log.h — one line per event, key=value pairs (logfmt), on stderr; kept
 * apart from the errors shown to users. The macros skip formatting below the
 * level.
 *
 * Invariant: a line's format string is ours; every value that may come from
 * outside (a request's path, method or headers, a user's name, a message
 * that quotes any of them, a plugin's or a remote server's words) goes in
 * through LOG_STR, which quotes and escapes it, so no value can end the line,
 * start a field of its own or send a terminal a control sequence:
 *
 *	log_info("msg=\"check failed\" check=%s err=%s", LOG_STR(name), LOG_STR(e.msg));
 */
#ifndef ITSM_LOG_H
#define ITSM_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

extern enum log_level log_threshold;

struct err;

void log_write(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The server's buffering of info and debug lines (log.c): started, they
 * leave at most flush_s seconds later (the server's: LOG_FLUSH_S), when
 * the buffer fills, or before the next warning or error; -1 with e set
 * when the flusher cannot start.
 * log_buffer_stop writes what is left and writes each line at once again
 * (call it before the process ends); log_flush writes what is buffered. */
#define LOG_FLUSH_S 0.05
int log_buffer_start(double flush_s, struct err *e);
void log_buffer_stop(void);
void log_flush(void);
int log_level_parse(const char *s, enum log_level *out);

/* The room one value takes in a line, quotes and NUL included. */
#define LOG_VALUE_MAX 400

/* Write s into dst (size bytes, at least 8) as one logfmt value and return
 * dst. A plain word (printable ASCII without space, '"', '=' or '\') stays
 * bare; anything else is put in double quotes with '"' and '\' escaped by a
 * backslash, \n \r \t written so, other control characters (C0, DEL, C1,
 * U+2028, U+2029) and bytes that are not UTF-8 as \xNN. A value too long
 * for dst is cut at a character and ends in ...". NULL gives -. */
const char *log_value(char *dst, size_t size, const char *s);

/* log_value into a buffer of the caller's block (a compound literal), for
 * an argument of the macros below, which evaluate it only when the line is
 * written. */
#define LOG_STR(s) log_value((char[LOG_VALUE_MAX]){ "" }, LOG_VALUE_MAX, (s))

#define LOG_AT(lvl, ...)                                                                           \
	do {                                                                                       \
		if ((lvl) >= log_threshold)                                                        \
			log_write((lvl), __VA_ARGS__);                                             \
	} while (0)
#define log_debug(...) LOG_AT(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) LOG_AT(LOG_INFO, __VA_ARGS__)
#define log_warn(...) LOG_AT(LOG_WARN, __VA_ARGS__)
#define log_error(...) LOG_AT(LOG_ERROR, __VA_ARGS__)

#endif
