/*
 * log.c — structured log lines: "ts=… level=… msg…". One write(2) per line so
 * lines from several threads never interleave.
 */
#include "lib/log.h"
#include "lib/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum log_level log_threshold = LOG_INFO;

static const char *const names[] = { "debug", "info", "warn", "error", "off" };

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
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
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
