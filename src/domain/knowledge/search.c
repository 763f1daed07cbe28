/*
 * search.c — the full-text search over tickets, comments, problems and
 * articles, and the articles and known errors suggested for a new ticket.
 *
 * The query is words (lib/terms.h), checked here (1-200 characters, at
 * most 16 words); the store quotes them for its engine, so no word reaches
 * a query language as syntax. Who may see what travels with the query (the
 * requester's customer) and is applied by the store's one statement; the
 * snippet is built here from the text the store found the words in.
 */
#include "domain/knowledge/knowledge.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/terms.h"
#include "store/store_knowledge.h"

#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[SK__COUNT] = { "ticket", "comment", "problem", "article" };

#define SEARCH_MAX_OFFSET 1000

/* Split q (the parameter "q" or "title") into t: 0, or ERR_INVALID on field. */
static int words(const char *q, const char *field, struct terms *t, struct err *e)
{
	switch (q ? terms_split(q, t) : -2) {
	case 0:
		return 0;
	case -1:
		return err_set(e, ERR_INVALID, field, "'%s' holds a control character", field);
	case -3:
		return err_set(e, ERR_INVALID, field, "'%s' is longer than %d characters", field,
			       TERMS_MAX_CHARS);
	case -4:
		return err_set(e, ERR_INVALID, field, "'%s' has more than %d words", field,
			       TERMS_MAX);
	default:
		return err_set(e, ERR_INVALID, field, "'%s' is empty: say what to look for", field);
	}
}

/* The kinds named in list ("ticket,article"): 0, or ERR_INVALID on "kind". */
static int kinds_of(const char *list, unsigned *kinds, struct err *e)
{
	*kinds = 0;
	if (!list) {
		*kinds = (1u << SK__COUNT) - 1;
		return 0;
	}
	for (const char *p = list;;) {
		size_t n = strcspn(p, ","), k;

		for (k = 0; k < SK__COUNT; k++)
			if (n == strlen(KIND_NAMES[k]) && !strncmp(p, KIND_NAMES[k], n))
				break;
		if (k == SK__COUNT)
			return err_set(e, ERR_INVALID, "kind",
				       "unknown kind '%.*s' (ticket, comment, problem, article)",
				       (int)(n > 32 ? 32 : n), p);
		*kinds |= 1u << k;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* The customer the store limits a search to: 0 for staff. */
static int64_t customer_of(const struct actor *a)
{
	return actor_is_staff(a) ? 0 : a->customer_id ? a->customer_id : -2;
}

/* A store row as an answer's item, with its snippet; NULL when out of
 * memory. */
static json_t *hit_item(const json_t *row, const char *const *w, size_t n)
{
	const char *kind = json_string_value(json_object_get(row, "kind")) ?: "";
	json_t *it = json_object(), *snip;

	/* From the text the words are in: the body, else the title. */
	snip = knowledge_snippet(json_string_value(json_object_get(row, "text")) ?: "", w, n);
	if (snip && !json_array_size(json_object_get(snip, "highlights"))) {
		json_decref(snip);
		snip = knowledge_snippet(json_string_value(json_object_get(row, "title")) ?: "", w,
					 n);
	}
	if (!it || !snip) {
		json_decref(it);
		json_decref(snip);
		return NULL;
	}
	json_object_set(it, "kind", json_object_get(row, "kind"));
	json_object_set(it, "key", json_object_get(row, "key"));
	if (!strcmp(kind, "comment")) {
		/* A comment is found on its ticket: key is the ticket's. */
		json_object_set(it, "ticket", json_object_get(row, "key"));
		json_object_set(it, "comment", json_object_get(row, "id"));
	}
	json_object_set(it, "title", json_object_get(row, "title"));
	json_object_set(it, "status", json_object_get(row, "status"));
	jx_set_time(it, "at", json_integer_value(json_object_get(row, "at")));
	json_object_update(it, snip);
	json_decref(snip);
	return it;
}

/* The rows as items (at most limit), into a new array; NULL when out of
 * memory. */
static json_t *items_of(const json_t *rows, int limit, const char *const *w, size_t n)
{
	json_t *items = json_array(), *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		json_t *it;

		if ((int)i >= limit)
			break;
		if (!items || !(it = hit_item(row, w, n)) || json_array_append_new(items, it)) {
			json_decref(items);
			return NULL;
		}
	}
	return items;
}

int knowledge_search_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
			  struct err *e)
{
	struct search_query sq = { 0 };
	struct terms t;
	json_t *rows = NULL, *items;
	int64_t limit = 20, offset = 0;
	int rc;

	*out = NULL;
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = words(jx_qstr(q, "q"), "q", &t, e)) ||
	    (rc = kinds_of(jx_qstr(q, "kind"), &sq.kinds, e)) ||
	    (rc = jx_qint(q, "limit", 1, 100, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 0, SEARCH_MAX_OFFSET, &offset, e)) < 0)
		return rc;
	if (!actor_is_staff(a))
		sq.kinds &= ~(1u << SK_PROBLEM);
	sq.terms = t.v;
	sq.chars = t.chars;
	sq.nterms = t.n;
	sq.customer_id = customer_of(a);
	sq.limit = (int)limit;
	sq.offset = (int)offset;
	if (sq.kinds && (rc = st->ops->knowledge->search(st, &sq, &rows, e)))
		return rc;
	items = items_of(rows, sq.limit, t.v, t.n);
	*out = items ? json_pack("{s:o, s:o}", "items", items, "next_cursor",
				 (int)json_array_size(rows) > sq.limit &&
						 offset + limit <= SEARCH_MAX_OFFSET
					 ? json_sprintf("%lld", (long long)(offset + limit))
					 : json_null())
		     : NULL;
	json_decref(rows);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

/* ---- suggestions ---- */

#define SUGGEST_MAX 5

/* The words a title is searched by: each word of three characters or more
 * as it is; a word of more than three characters not all ASCII (Japanese
 * is written without spaces) as its runs of three characters, so a title
 * finds an article sharing a part of it. At most TERMS_MAX. */
struct suggest_words {
	char buf[TERMS_MAX * 13];
	const char *v[TERMS_MAX];
	size_t chars[TERMS_MAX];
	size_t n;
};

static void suggest_words(const struct terms *t, struct suggest_words *s)
{
	size_t used = 0;

	s->n = 0;
	for (size_t i = 0; i < t->n && s->n < TERMS_MAX; i++) {
		const char *w = t->v[i];
		size_t len = strlen(w);
		int ascii = 1;

		for (size_t j = 0; j < len; j++)
			ascii &= (unsigned char)w[j] < 0x80;
		if (t->chars[i] < 3)
			continue;
		if (ascii || t->chars[i] == 3) {
			s->v[s->n] = w;
			s->chars[s->n++] = t->chars[i];
			continue;
		}
		/* Each run of three characters starting at a character. */
		for (size_t j = 0; j < len && s->n < TERMS_MAX; j++) {
			size_t end = j, c = 0;

			if (((unsigned char)w[j] & 0xC0) == 0x80)
				continue;
			while (end < len && c < 3)
				for (c++, end++; end < len && ((unsigned char)w[end] & 0xC0) == 0x80;)
					end++;
			if (c < 3 || used + (end - j) + 1 > sizeof(s->buf))
				break;
			memcpy(s->buf + used, w + j, end - j);
			s->buf[used + (end - j)] = '\0';
			s->v[s->n] = s->buf + used;
			s->chars[s->n++] = 3;
			used += end - j + 1;
		}
	}
}

int knowledge_suggest_json(struct store *st, const struct actor *a, const json_t *q,
			   json_t **out, struct err *e)
{
	struct search_query sq = { 0 };
	struct suggest_words sw;
	struct terms t;
	json_t *arts = NULL, *kes = NULL, *ai, *ki;
	size_t i;
	int rc;

	*out = NULL;
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = words(jx_qstr(q, "title"), "title", &t, e)))
		return rc;
	sq.service = jx_qstr(q, "service");
	if (sq.service && !ident_valid(sq.service, 63, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%.64s'",
			       sq.service);
	suggest_words(&t, &sw);
	if (!sw.n) /* only short words: searched as they are */
		for (i = 0; i < t.n; i++) {
			sw.v[i] = t.v[i];
			sw.chars[i] = t.chars[i];
			sw.n = t.n;
		}
	sq.terms = sw.v;
	sq.chars = sw.chars;
	sq.nterms = sw.n;
	sq.any = 1;
	sq.suggest = 1;
	sq.customer_id = customer_of(a);
	sq.limit = SUGGEST_MAX;
	sq.kinds = 1u << SK_ARTICLE;
	if ((rc = st->ops->knowledge->search(st, &sq, &arts, e)))
		return rc;
	if (actor_is_staff(a)) {
		sq.kinds = 1u << SK_PROBLEM;
		if ((rc = st->ops->knowledge->search(st, &sq, &kes, e))) {
			json_decref(arts);
			return rc;
		}
	}
	ai = items_of(arts, SUGGEST_MAX, sw.v, sw.n);
	ki = items_of(kes, SUGGEST_MAX, sw.v, sw.n);
	if (ai && ki)
		*out = json_pack("{s:o, s:o}", "articles", ai, "known_errors", ki);
	else {
		json_decref(ai);
		json_decref(ki);
	}
	json_decref(arts);
	json_decref(kes);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}
