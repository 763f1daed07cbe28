/*
 * tests/unit/domain/notify/message.c — a notification's text and headers:
 * placeholders filled (a value's line break flattened in a header, kept in
 * the body), templates an admin writes checked, header values holding CR or
 * LF refused wherever they come from, non-ASCII subjects leaving as RFC 2047
 * words that decode back to the very text (read by the mail reader's own
 * decoder), the threading headers, and the SMTP settings refused. Every
 * expected string is written out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/mail/mail_text.h"
#include "domain/notify/notify.h"
#include "lib/smtp.h"

static const struct notify_vars vars = {
	.key = "INC-42", .title = "Printer\r\nBcc: evil@example.com", .status = "new",
	.actor = "agent1", .assignee = "-", .requester = "alice", .priority = "3",
	.comment = "line one\nline two",
};

static void render_fills_placeholders(void **state)
{
	char *s = notify_render("[{{key}}] {{title}} by {{actor}}", &vars, 1);

	/* In a header, the CR and LF of a value are spaces: no second header. */
	assert_string_equal(s, "[INC-42] Printer  Bcc: evil@example.com by agent1");
	free(s);
	s = notify_render("{{comment}}|{{unknown}}|{{ key}}", &vars, 0);
	/* In the body, the comment keeps its lines; what is no placeholder stays. */
	assert_string_equal(s, "line one\nline two|{{unknown}}|{{ key}}");
	free(s);
}

static void template_check_refuses(void **state)
{
	struct err e = { 0 };

	assert_int_equal(notify_template_check("[{{key}}] {{title}}", 1, "subject", &e), 0);
	assert_int_equal(notify_template_check("Hi\n{{comment}}\n", 0, "body", &e), 0);
	assert_int_equal(notify_template_check("a\r\nBcc: x@y.z", 1, "subject", &e), ERR_INVALID);
	assert_string_equal(e.field, "subject");
	err_clear(&e);
	assert_int_equal(notify_template_check("tab\there", 1, "subject", &e), ERR_INVALID);
	err_clear(&e);
	assert_int_equal(notify_template_check("Dear {{name}}", 0, "body", &e), ERR_INVALID);
	assert_string_equal(e.field, "body");
	assert_non_null(strstr(e.msg, "{{name}}"));
	err_clear(&e);
	assert_int_equal(notify_template_check(" \n ", 0, "body", &e), ERR_INVALID);
}

static void header_check_refuses_line_breaks(void **state)
{
	struct err e = { 0 };

	assert_int_equal(notify_header_check("the subject", "plain 日本語", &e), 0);
	assert_int_equal(notify_header_check("the subject", "a\rb", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "line break"));
	err_clear(&e);
	assert_int_equal(notify_header_check("the subject", "a\nb", &e), ERR_INVALID);
	err_clear(&e);
	assert_int_equal(notify_header_check("the subject", "nul\x01", &e), ERR_INVALID);
}

static struct notify_mail mail(void)
{
	return (struct notify_mail){ .from = "desk@itsm.example",
				     .to = "hanako@acme.example",
				     .to_name = "山田 花子",
				     .subject = "[INC-42] チケットを受け付けました: 会議室",
				     .body = "本文です。\n二行目\n",
				     .message_id = "ticket-INC-42.3@itsm.example",
				     .in_reply_to = "ticket-INC-42.2@itsm.example",
				     .date = 1764806400 /* 2025-12-04T00:00:00Z */ };
}

/* The value of header name (unfolded) in text, malloc'd; NULL when none. */
static char *header(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *end = strstr(text, "\n\n");

	for (const char *p = text; p && p < end; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			char *v = malloc(strlen(p) + 1);
			size_t k = 0;

			p += n + 1;
			while (*p == ' ')
				p++;
			for (; *p && !(p[0] == '\n' && p[1] != ' ' && p[1] != '\t'); p++)
				if (*p != '\n')
					v[k++] = *p;
			v[k] = '\0';
			return v;
		}
	}
	return NULL;
}

static void message_encodes_headers(void **state)
{
	struct notify_mail m = mail();
	struct err e = { 0 };
	char *text = NULL, *subject, *decoded, *v;
	const char *end;

	assert_int_equal(notify_message_build(&m, &text, &e), 0);
	end = strstr(text, "\n\n");
	assert_non_null(end);
	/* Every header byte is ASCII. */
	for (const char *p = text; p < end; p++)
		assert_true((unsigned char)*p < 0x80);
	subject = header(text, "Subject");
	assert_non_null(subject);
	assert_non_null(strcasestr(subject, "=?utf-8?b?"));
	/* The tag stays readable: only the Japanese words are encoded. */
	assert_memory_equal(subject, "[INC-42] ", 9);
	decoded = mail_words_decode(subject);
	assert_string_equal(decoded, "[INC-42] チケットを受け付けました: 会議室");
	free(decoded);
	free(subject);
	v = header(text, "To");
	decoded = mail_words_decode(v);
	assert_string_equal(decoded, "山田 花子 <hanako@acme.example>");
	free(decoded);
	free(v);
	v = header(text, "Message-Id");
	assert_string_equal(v, "<ticket-INC-42.3@itsm.example>");
	free(v);
	v = header(text, "In-Reply-To");
	assert_string_equal(v, "<ticket-INC-42.2@itsm.example>");
	free(v);
	v = header(text, "References");
	assert_string_equal(v, "<ticket-INC-42.2@itsm.example>");
	free(v);
	v = header(text, "Auto-Submitted");
	assert_string_equal(v, "auto-generated");
	free(v);
	v = header(text, "Content-Type");
	assert_non_null(strcasestr(v, "text/plain"));
	assert_non_null(strcasestr(v, "charset=utf-8"));
	free(v);
	free(text);
}

static void message_without_thread(void **state)
{
	struct notify_mail m = mail();
	struct err e = { 0 };
	char *text = NULL;

	m.in_reply_to = "";
	m.subject = "[INC-1] ascii only";
	assert_int_equal(notify_message_build(&m, &text, &e), 0);
	assert_null(header(text, "In-Reply-To"));
	assert_null(header(text, "References"));
	assert_non_null(strstr(text, "\nSubject: [INC-1] ascii only\n"));
	free(text);
}

static void message_refuses_injection(void **state)
{
	static const struct {
		const char *what;
		struct notify_mail m;
	} bad[] = {
		{ "subject", { .subject = "x\r\nBcc: evil@example.com" } },
		{ "recipient", { .to = "a@b.c\nBcc: evil@example.com" } },
		{ "recipient's name", { .to_name = "Eve\r\nBcc: evil@example.com" } },
		{ "recipient list", { .to = "a@b.c, evil@example.com" } },
		{ "Message-ID", { .message_id = "x@y\n" } },
		{ "Message-ID with <>", { .message_id = "<x@y>" } },
		{ "In-Reply-To", { .in_reply_to = "x@y\r\nBcc: e@f.g" } },
		{ "sender", { .from = "a@b.c\r\n" } },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct notify_mail m = mail();
		struct err e = { 0 };
		char *text = (char *)"untouched";

		if (bad[i].m.subject)
			m.subject = bad[i].m.subject;
		if (bad[i].m.to)
			m.to = bad[i].m.to;
		if (bad[i].m.to_name)
			m.to_name = bad[i].m.to_name;
		if (bad[i].m.message_id)
			m.message_id = bad[i].m.message_id;
		if (bad[i].m.in_reply_to)
			m.in_reply_to = bad[i].m.in_reply_to;
		if (bad[i].m.from)
			m.from = bad[i].m.from;
		assert_int_equal(notify_message_build(&m, &text, &e), ERR_INVALID);
		assert_null(text);
	}
}

static void smtp_settings_refused(void **state)
{
	struct err e = { 0 };
	char why[256];

	assert_int_equal(smtp_config_set("http://mail.example", "", "", "d@x.y", 0, &e),
			 ERR_INVALID);
	assert_string_equal(e.field, "mail.smtp_url");
	err_clear(&e);
	assert_int_equal(smtp_config_set("smtp://mail.example", "", "", "", 0, &e), ERR_INVALID);
	assert_string_equal(e.field, "mail.from");
	err_clear(&e);
	assert_int_equal(smtp_config_set("smtp://mail.example", "", "", "Desk <d@x.y>", 0, &e),
			 ERR_INVALID);
	err_clear(&e);
	assert_int_equal(smtp_config_set("smtp://mail.example", "", "/nonexistent/pw", "d@x.y", 0,
					 &e),
			 ERR_INVALID);
	assert_string_equal(e.field, "mail.smtp_password_file");
	err_clear(&e);
	/* Configured (nothing is contacted): a recipient with CR/LF is refused
	 * for good before any connection. */
	assert_int_equal(smtp_config_set("smtp://127.0.0.1:1", "", "", "d@x.y", 0, &e), 0);
	assert_true(smtp_enabled());
	assert_int_equal(smtp_send("a@b.c\r\nRCPT TO:<e@f.g>", "x\n", 2, why, sizeof(why)), 1);
	assert_int_equal(smtp_send("<a@b.c>", "x\n", 2, why, sizeof(why)), 1);
	assert_int_equal(smtp_config_set("", "", "", "", 0, &e), 0);
	assert_false(smtp_enabled());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(render_fills_placeholders),
		cmocka_unit_test(template_check_refuses),
		cmocka_unit_test(header_check_refuses_line_breaks),
		cmocka_unit_test(message_encodes_headers),
		cmocka_unit_test(message_without_thread),
		cmocka_unit_test(message_refuses_injection),
		cmocka_unit_test(smtp_settings_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
