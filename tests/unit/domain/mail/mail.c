/*
 * tests/unit/domain/mail/mail.c — the rules of mail.c that need no store:
 * the subject's [KEY] tag, the ticket a notification's Message-ID names,
 * and mail.queue_kinds. (The store-backed path — duplicates, robots,
 * senders, refusals — is tests/api/mail.test.mjs.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/mail/mail.c"

static void tags(void **state)
{
	char key[24];

	assert_true(subject_tag("Re: [INC-12] printer", key));
	assert_string_equal(key, "INC-12");
	assert_true(subject_tag("AW: Re: [REQ-7]", key));
	assert_string_equal(key, "REQ-7");
	/* The first tag that is one; brackets that are not tags passed over. */
	assert_true(subject_tag("[external] [x-1] [inc-3] [INQ-40] [INC-1]", key));
	assert_string_equal(key, "INQ-40");
	assert_false(subject_tag("no tag", key));
	assert_false(subject_tag("[INC-] [INC12] [I-1] [TOOLONG-1] [INC-1", key));
	assert_false(subject_tag("[INC-1234567890123]", key)); /* 13 digits */
	assert_true(subject_tag("[INC-123456789012]", key));   /* 12 digits */
}

static void notification_ids(void **state)
{
	char key[24];

	assert_true(notification_ref("ticket-INC-42.3@itsm.example", key));
	assert_string_equal(key, "INC-42");
	assert_false(notification_ref("ticket-INC-42@itsm.example", key)); /* no .N */
	assert_false(notification_ref("jp-0001@acme.example", key));
	assert_false(notification_ref("ticket-.1@x", key));
	assert_false(notification_ref("ticket-INC 4.1@x", key));
}

static void queue_kinds(void **state)
{
	struct err e = { 0 };

	assert_int_equal(mail_config_set("support=request, desk=inquiry", NULL, &e), ERR_INVALID);
	assert_int_equal(mail_config_set("support=request,,desk=inquiry", NULL, &e), 0);
	assert_string_equal(mail_queue_kind("support"), "request");
	assert_string_equal(mail_queue_kind("desk"), "inquiry");
	assert_string_equal(mail_queue_kind("other"), "incident");
	assert_string_equal(mail_queue_kind(NULL), "incident");
	assert_int_equal(mail_config_set("support", NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "mail.queue_kinds");
	assert_int_equal(mail_config_set("support=problem", NULL, &e), ERR_INVALID);
	assert_int_equal(mail_config_set("", NULL, &e), 0);
	assert_string_equal(mail_queue_kind("support"), "incident");
}

static void customer_domains(void **state)
{
	struct err e = { 0 };

	assert_int_equal(mail_config_set(NULL, "acme.example=acme,Globex.CO.JP=globex", &e), 0);
	assert_string_equal(mail_domain_customer("alice@acme.example"), "acme");
	assert_string_equal(mail_domain_customer("x@globex.co.jp"), "globex");
	/* The domain exactly: no subdomain, no suffix match. */
	assert_null(mail_domain_customer("x@mail.acme.example"));
	assert_null(mail_domain_customer("x@evilacme.example"));
	assert_null(mail_domain_customer("no-at-sign"));
	/* A list refused changes nothing. */
	assert_int_equal(mail_config_set(NULL, "acme.example=acme,bad domain=x", &e), ERR_INVALID);
	assert_string_equal(e.field, "mail.customer_domains");
	assert_string_equal(mail_domain_customer("alice@acme.example"), "acme");
	assert_int_equal(mail_config_set(NULL, NULL, &e), 0);
	assert_null(mail_domain_customer("alice@acme.example"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tags),
		cmocka_unit_test(notification_ids),
		cmocka_unit_test(queue_kinds),
		cmocka_unit_test(customer_domains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
