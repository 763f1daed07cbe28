/*
 * knowledge_rules.c — the knowledge base's rules as data and pure
 * functions: the article lifecycle as a table, and the snippet of a search
 * hit (plain text, offsets, and HTML escaped before it is marked).
 */
#include "domain/knowledge/knowledge.h"
#include "lib/buf.h"

#include <string.h>

static const char *const STATUS_NAMES[AS__COUNT] = { "draft", "published", "retired" };

/* [from][to]: the moves the lifecycle allows. */
static const unsigned char MOVES[AS__COUNT][AS__COUNT] = {
	[AS_DRAFT] = { [AS_PUBLISHED] = 1, [AS_RETIRED] = 1 },
	[AS_PUBLISHED] = { [AS_RETIRED] = 1 },
};

const char *knowledge_status_name(enum article_status s)
{
	return s >= 0 && s < AS__COUNT ? STATUS_NAMES[s] : "draft";
}

int knowledge_status_parse(const char *name, enum article_status *out)
{
	for (int i = 0; name && i < AS__COUNT; i++)
		if (!strcmp(name, STATUS_NAMES[i])) {
			*out = (enum article_status)i;
			return 0;
		}
	return -1;
}

int knowledge_can_move(enum article_status from, enum article_status to)
{
	return from >= 0 && from < AS__COUNT && to >= 0 && to < AS__COUNT && MOVES[from][to];
}

/* ---- snippets ---- */

#define SNIPPET_BEFORE 40 /* characters shown before the first hit */
#define SNIPPET_CHARS 160

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Whether word (n bytes) starts at s, ASCII case folded. */
static int at(const char *s, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || lower((unsigned char)s[i]) != lower((unsigned char)word[i]))
			return 0;
	return 1;
}

/* The longest of the words starting at s (0: none). */
static size_t hit_at(const char *s, const char *const *words, size_t n)
{
	size_t best = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i]);

		if (len > best && at(s, words[i], len))
			best = len;
	}
	return best;
}

static int html_char(struct buf *b, char c)
{
	switch (c) {
	case '<':
		return buf_puts(b, "&lt;");
	case '>':
		return buf_puts(b, "&gt;");
	case '&':
		return buf_puts(b, "&amp;");
	case '"':
		return buf_puts(b, "&quot;");
	case '\'':
		return buf_puts(b, "&#39;");
	default:
		return buf_putc(b, c);
	}
}

json_t *knowledge_snippet(const char *text, const char *const *words, size_t n)
{
	size_t len = strlen(text), first = len, start = 0, end, chars = 0;
	struct buf plain, html;
	json_t *marks = json_array(), *out = NULL;
	int bad = !marks;

	/* The first hit, then back SNIPPET_BEFORE characters from it. */
	for (size_t i = 0; i < len && first == len; i++)
		if (!is_cont((unsigned char)text[i]) && hit_at(text + i, words, n))
			first = i;
	if (first == len)
		first = 0;
	start = first;
	for (size_t back = 0; start > 0 && back < SNIPPET_BEFORE;) {
		start--;
		if (!is_cont((unsigned char)text[start]))
			back++;
	}
	for (end = start; end < len && chars < SNIPPET_CHARS; end++)
		if (!is_cont((unsigned char)text[end]))
			chars++;
	while (end < len && is_cont((unsigned char)text[end]))
		end++;

	buf_init(&plain, 4096);
	buf_init(&html, 16384);
	bad |= start > 0 && (buf_puts(&plain, "…") || buf_puts(&html, "…"));
	chars = start > 0; /* the ellipsis is one character */
	for (size_t i = start; i < end && !bad;) {
		size_t h = hit_at(text + i, words, n), stop = h ? i + h : i + 1;

		if (stop > end)
			stop = end, h = 0;
		if (h) {
			size_t from = chars;

			bad |= buf_puts(&html, "<mark>");
			for (; i < stop; i++) {
				chars += !is_cont((unsigned char)text[i]);
				bad |= buf_putc(&plain, text[i]) || html_char(&html, text[i]);
			}
			bad |= buf_puts(&html, "</mark>") ||
			       json_array_append_new(marks, json_pack("[I, I]", (json_int_t)from,
								      (json_int_t)chars));
			continue;
		}
		/* White space of any kind reads as one space. */
		char c = text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ? ' ' : text[i];

		chars += !is_cont((unsigned char)c);
		bad |= buf_putc(&plain, c) || html_char(&html, c);
		i++;
	}
	bad |= end < len && (buf_puts(&plain, "…") || buf_puts(&html, "…"));
	if (!bad)
		out = json_pack("{s:s%, s:O, s:s%}", "snippet", plain.data ? plain.data : "", plain.len,
				"highlights", marks, "snippet_html", html.data ? html.data : "",
				html.len);
	json_decref(marks);
	buf_release(&plain);
	buf_release(&html);
	return out;
}
