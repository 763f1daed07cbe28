/*
 * fuzz/search_query.c — libFuzzer target: a search query on arbitrary bytes
 * (lib/terms.h), its words as each engine gets them (sql_search.c) and the
 * snippet of the input's own text with those words (knowledge_rules.c).
 * Beyond memory safety it checks what keeps a query from being syntax and
 * a snippet from being markup:
 *  - the FTS5 text is nothing but FTS5 strings ("…", every " inside
 *    doubled) separated by " " or " OR ";
 *  - each highlight lies inside the snippet, in order, not overlapping;
 *  - the snippet's HTML holds no '<' but those of <mark> and </mark>.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/knowledge/knowledge.h"
#include "lib/terms.h"
#include "store/sql.h"

/* Whether s is FTS5 strings joined by " " or " OR ". */
static int only_strings(const char *s)
{
	while (*s) {
		if (*s++ != '"')
			return 0;
		for (;; s++) {
			if (!*s)
				return 0;
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"')
				break;
		}
		s++;
		if (!*s)
			return 1;
		if (!strncmp(s, " OR ", 4))
			s += 4;
		else if (*s == ' ')
			s++;
		else
			return 0;
	}
	return 1;
}

static void check_snippet(const char *text, const struct terms *t)
{
	json_t *j = knowledge_snippet(text, t->v, t->n), *h;
	const char *snip, *html;
	size_t chars = 0, i;
	json_int_t last = 0;

	if (!j)
		return; /* out of memory */
	snip = json_string_value(json_object_get(j, "snippet"));
	html = json_string_value(json_object_get(j, "snippet_html"));
	if (!snip || !html)
		abort();
	for (const char *p = snip; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	json_array_foreach(json_object_get(j, "highlights"), i, h) {
		json_int_t a = json_integer_value(json_array_get(h, 0));
		json_int_t b = json_integer_value(json_array_get(h, 1));

		if (a < last || b <= a || (size_t)b > chars)
			abort();
		last = b;
	}
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<'))
		if (strncmp(p, "<mark>", 6) && strncmp(p, "</mark>", 7))
			abort();
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = malloc(size + 1);
	struct terms t;

	if (!q)
		return 0;
	memcpy(q, data, size);
	q[size] = '\0';
	if (!terms_split(q, &t)) {
		for (int sqlite = 0; sqlite <= 1; sqlite++)
			for (int any = 0; any <= 1; any++) {
				struct sq_text a;

				if (sq_text_args(sqlite, t.v, t.chars, t.n, any, &a))
					continue; /* out of memory */
				if (sqlite && a.match && !only_strings(a.match))
					abort();
				if (a.check) {
					json_t *c = json_loads(a.check, 0, NULL);

					if (c && !json_is_array(c))
						abort();
					json_decref(c);
				}
				sq_text_release(&a);
			}
		check_snippet(q, &t);
	}
	free(q);
	return 0;
}
