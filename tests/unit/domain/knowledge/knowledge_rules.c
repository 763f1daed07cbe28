/*
 * tests/unit/domain/knowledge/knowledge_rules.c — the article lifecycle
 * table (every pair written out here by hand), the snippet of a search hit
 * (offsets counted by hand in the comments, HTML escaped before it is
 * marked) and the Markdown rendering (raw HTML and unsafe links dropped)
 * (docs/knowledge.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/knowledge/knowledge.h"
#include "render/markdown.h"

/* md_to_html into a new string the caller frees (NULL on failure). */
static char *render_md(const char *md)
{
	struct buf b;

	buf_init(&b, 0);
	if (md_to_html(md, strlen(md), &b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void test_lifecycle_every_pair(void **state)
{
	/* allowed[from][to], by hand: draft → published, retired; published →
	 * retired; retired nothing; never a status to itself */
	static const int allowed[AS__COUNT][AS__COUNT] = {
		[AS_DRAFT] = { [AS_PUBLISHED] = 1, [AS_RETIRED] = 1 },
		[AS_PUBLISHED] = { [AS_RETIRED] = 1 },
	};
	enum article_status s;

	(void)state;
	for (int f = 0; f < AS__COUNT; f++)
		for (int t = 0; t < AS__COUNT; t++)
			assert_int_equal(knowledge_can_move(f, t), allowed[f][t]);
	assert_int_equal(knowledge_can_move(-1, AS_DRAFT), 0);
	assert_int_equal(knowledge_can_move(AS_DRAFT, AS__COUNT), 0);
	assert_int_equal(knowledge_status_parse("published", &s), 0);
	assert_int_equal(s, AS_PUBLISHED);
	assert_string_equal(knowledge_status_name(AS_RETIRED), "retired");
	assert_int_equal(knowledge_status_parse("Published", &s), -1);
	assert_int_equal(knowledge_status_parse(NULL, &s), -1);
}

static json_t *snip(const char *text, const char *w1, const char *w2)
{
	const char *w[2] = { w1, w2 };
	json_t *j = knowledge_snippet(text, w, w2 ? 2 : 1);

	assert_non_null(j);
	return j;
}

#define STR(j, k) json_string_value(json_object_get((j), (k)))
#define MARK(j, i, k) json_integer_value(json_array_get(json_array_get(json_object_get((j), "highlights"), (i)), (k)))

static void test_snippet_offsets(void **state)
{
	json_t *j;

	(void)state;
	/* "The VPN drops vpn": hits at characters 4-7 and 14-17 (case folded) */
	j = snip("The VPN drops vpn", "vpn", NULL);
	assert_string_equal(STR(j, "snippet"), "The VPN drops vpn");
	assert_int_equal(json_array_size(json_object_get(j, "highlights")), 2);
	assert_int_equal(MARK(j, 0, 0), 4);
	assert_int_equal(MARK(j, 0, 1), 7);
	assert_int_equal(MARK(j, 1, 0), 14);
	assert_int_equal(MARK(j, 1, 1), 17);
	assert_string_equal(STR(j, "snippet_html"), "The <mark>VPN</mark> drops <mark>vpn</mark>");
	json_decref(j);

	/* Japanese: characters, not bytes. "三階のプリンターで印刷" —
	 * 三 0, 階 1, の 2, プリンター 3-8, で 8, 印刷 9-11 */
	j = snip("三階のプリンターで印刷", "印刷", "プリンター");
	assert_int_equal(MARK(j, 0, 0), 3);
	assert_int_equal(MARK(j, 0, 1), 8);
	assert_int_equal(MARK(j, 1, 0), 9);
	assert_int_equal(MARK(j, 1, 1), 11);
	json_decref(j);

	/* escaped first, marked after: the text never becomes markup, and a
	 * word holding < is found and escaped inside its mark */
	j = snip("<script>alert(1)</script> & \"x\" jam", "jam", "<b>");
	assert_string_equal(STR(j, "snippet_html"),
			    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; <mark>jam</mark>");
	json_decref(j);
	j = snip("a <b> c", "<b>", NULL);
	assert_string_equal(STR(j, "snippet_html"), "a <mark>&lt;b&gt;</mark> c");
	json_decref(j);

	/* a long text: the snippet starts 40 characters before the hit, after
	 * an ellipsis of one character: the hit (at 60 in the text) is at
	 * 1 + 40 = 41 to 41 + 6 = 47 */
	{
		char text[400];

		memset(text, 'x', 60);
		memcpy(text + 60, "needle", 6);
		memset(text + 66, 'y', 300);
		text[366] = '\0';
		j = snip(text, "needle", NULL);
		assert_int_equal(MARK(j, 0, 0), 41);
		assert_int_equal(MARK(j, 0, 1), 47);
		assert_true(!strncmp(STR(j, "snippet"), "…", strlen("…")));
		json_decref(j);
	}
	/* no hit: the start of the text, no highlight; new lines read as spaces */
	j = snip("first\nsecond", "zzz", NULL);
	assert_string_equal(STR(j, "snippet"), "first second");
	assert_int_equal(json_array_size(json_object_get(j, "highlights")), 0);
	json_decref(j);
}

static void test_markdown_safe(void **state)
{
	static const char *const bad[] = {
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"[x](JavaScript:alert(1))",
		"[x]( javascript:alert(1))",
		"[x](vbscript:msgbox)",
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
		"![i](data:image/png;base64,AAAA)",
		"<img src=x onerror=alert(1)>",
		"<a href=\"javascript:alert(1)\">x</a>",
		"[x](file:///etc/passwd)",
	};
	static const char *const never[] = { "<script", "javascript:", "vbscript:", "data:",
					     "onerror", "file:", "<img src=x", "<a href=\"java" };
	char *html;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		html = render_md(bad[i]);
		assert_non_null(html);
		for (size_t k = 0; k < sizeof(never) / sizeof(never[0]); k++) {
			char lower[512];
			size_t n;

			for (n = 0; html[n] && n < sizeof(lower) - 1; n++)
				lower[n] = (char)(html[n] >= 'A' && html[n] <= 'Z' ? html[n] + 32 : html[n]);
			lower[n] = '\0';
			if (strstr(lower, never[k]))
				fail_msg("%s rendered as %s", bad[i], html);
		}
		free(html);
	}
	html = render_md("# T\n\n[ok](https://example.com/a) [m](mailto:x@example.com) "
				       "[rel](docs/a.md) [anchor](#top) *e*");
	assert_non_null(strstr(html, "<h1>T</h1>"));
	assert_non_null(strstr(html, "<a href=\"https://example.com/a\">ok</a>"));
	assert_non_null(strstr(html, "<a href=\"mailto:x@example.com\">m</a>"));
	assert_non_null(strstr(html, "<a href=\"docs/a.md\">rel</a>"));
	assert_non_null(strstr(html, "<a href=\"#top\">anchor</a>"));
	assert_non_null(strstr(html, "<em>e</em>"));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_every_pair),
		cmocka_unit_test(test_snippet_offsets),
		cmocka_unit_test(test_markdown_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
