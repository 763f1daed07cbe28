/*
 * log.h — one line per event, key=value pairs, on stderr; kept apart from the
 * errors shown to users. The macros skip formatting below the level.
 */
#ifndef ITSM_LOG_H
#define ITSM_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

extern enum log_level log_threshold;

void log_write(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_level_parse(const char *s, enum log_level *out);

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
