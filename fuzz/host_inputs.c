/*
 * fuzz/host_inputs.c — libFuzzer target: the parsers of what decides what
 * the host may be made to do, on arbitrary bytes. The first byte picks one:
 * 0 an escalation target (outbox_target_check: control characters, curl's
 * URL parse and the address rules, the mail address), 1 an outbound.allow
 * list, 2 a configured command line (proc_split), 3 a command template
 * (check_commands_add). Beyond memory safety it checks their promises: an
 * accepted target holds no control character and is an http(s) URL or one
 * plain address; split elements hold no control character but tab and no
 * double quote, and are no longer in all than the line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/events/check_command.h"
#include "domain/platform/outbox.h"
#include "lib/netguard.h"
#include "lib/proc.h"

static void target(const char *s)
{
	const char *at;

	if (outbox_target_check(s, NULL))
		return;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	if (!strncmp(s, "mailto:", 7)) {
		at = strchr(s + 7, '@');
		if (!at || strchr(at + 1, '@') || strpbrk(s + 7, ",;?%<>\" ") ||
		    strlen(s + 7) > OUTBOX_ADDRESS_MAX)
			abort();
	} else if (strncasecmp(s, "http://", 7) && strncasecmp(s, "https://", 8)) {
		abort();
	}
}

static void split(const char *s, size_t len)
{
	char **argv;
	size_t argc, total = 0;

	if (proc_split(s, 64, &argv, &argc, NULL))
		return;
	if (!argc || argc > 64 || argv[argc])
		abort();
	for (size_t i = 0; i < argc; i++) {
		for (const char *p = argv[i]; *p; p++)
			if (*p == '"' || (*p != '\t' && ((unsigned char)*p < 0x20 || *p == 0x7f)))
				abort();
		total += strlen(argv[i]);
	}
	if (total > len)
		abort();
	free(argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (!size || size > 4096)
		return 0;
	if (!(s = malloc(size)))
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] & 3) {
	case 0:
		target(s);
		break;
	case 1:
		netguard_allow_set(s, NULL);
		netguard_allow_set("", NULL);
		break;
	case 2:
		split(s, strlen(s));
		break;
	case 3: {
		struct check_commands *set = check_commands_new();

		if (set)
			check_commands_add(set, "t", s, NULL);
		check_commands_free(set);
		break;
	}
	}
	free(s);
	return 0;
}
