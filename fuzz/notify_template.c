/*
 * fuzz/notify_template.c — libFuzzer target: a notification template (the
 * input up to its first NUL) filled with a value (the rest) as a ticket's
 * title and comment, then built into a message (GMime).
 *
 * Beyond memory safety it checks the invariants of notify.h: a subject
 * template notify_template_check accepts holds no control character, and
 * its rendering none either, whatever the value holds (a value's CR or LF
 * becomes a space in a header); a message either is refused (ERR_INVALID)
 * or its header block is ASCII, each line a "Name: value" or a folded
 * continuation — never a header the value smuggled in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/notify/notify.h"
#include "support/fuzz_check.h"

static int no_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notify_vars v = { .key = "INC-42", .status = "new", .actor = "agent1",
				 .assignee = "-", .requester = "alice", .priority = "3" };
	struct notify_mail m = { .from = "desk@itsm.example", .to = "alice@acme.example",
				 .to_name = "Alice", .message_id = "ticket-INC-42.1@itsm.example",
				 .date = 1764806400 };
	struct err e = { 0 };
	char *buf, *value, *subject, *body, *text = NULL;
	int ok;

	if (size > 16 * 1024)
		return 0;
	buf = malloc(size + 2);
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	value = buf + strlen(buf) + 1;
	if (value > buf + size)
		value = buf + size; /* no NUL in the input: an empty value */
	v.title = v.comment = value;

	ok = !notify_template_check(buf, 1, "subject", &e);
	CHECK(!ok || no_control(buf));
	subject = notify_render(buf, &v, 1);
	body = notify_render(buf, &v, 0);
	CHECK(subject && body);
	if (ok)
		CHECK(no_control(subject));
	m.subject = subject;
	m.body = body;
	if (!notify_message_build(&m, &text, &e)) {
		const char *end = strstr(text, "\n\n");

		CHECK(ok || no_control(subject));
		CHECK(end != NULL);
		for (const char *p = text; p < end; p++)
			CHECK(*p == '\n' || *p == '\t' || ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f));
		for (const char *line = text; line < end; line = strchr(line, '\n') + 1) {
			size_t n = strcspn(line, "\n");

			/* A folded continuation, or a header we wrote. */
			if (line[0] == ' ' || line[0] == '\t')
				continue;
			NOTE("%.*s\n", (int)n, line);
			CHECK(!strncasecmp(line, "From:", 5) || !strncasecmp(line, "To:", 3) ||
			      !strncasecmp(line, "Subject:", 8) || !strncasecmp(line, "Message-Id:", 11) ||
			      !strncasecmp(line, "Date:", 5) || !strncasecmp(line, "Auto-Submitted:", 15) ||
			      !strncasecmp(line, "X-Auto-Response-Suppress:", 25) ||
			      !strncasecmp(line, "MIME-Version:", 13) ||
			      !strncasecmp(line, "Content-Type:", 13) ||
			      !strncasecmp(line, "Content-Transfer-Encoding:", 26));
		}
	} else {
		CHECK(e.code == ERR_INVALID);
	}
	free(text);
	free(subject);
	free(body);
	free(buf);
	return 0;
}
