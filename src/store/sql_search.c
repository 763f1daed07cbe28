/*
 * sql_search.c — the full-text search (store_knowledge.h's search) and the
 * text filter of the ticket list, over the index migration 025 built.
 *
 * The one place the two engines search differently, kept visible here: a
 * statement's first part — which records hold the words, and their rank —
 * is SQLite's or PostgreSQL's; what follows (who may see which record,
 * the order, the page) is one text both run.
 *  - SQLite: the FTS5 table search_fts (trigram tokenizer) answers MATCH
 *    for the words of three characters or more, each quoted as an FTS5
 *    string ("…" with " doubled), so a word is always text to find and
 *    never the query syntax (AND, OR, NOT, NEAR, *, ^, -, :, brackets);
 *    ranked by bm25, a title hit weighing twice a body hit. Shorter words
 *    (印刷, "ab") cannot match trigrams: they are checked with instr() on
 *    the rows MATCH found, or — when no word is long enough — by a scan of
 *    the newest SCAN_BOUND documents (a bounded scan, documented in
 *    docs/knowledge.md).
 *  - PostgreSQL: pg_trgm GIN indexes on each record's text answer ILIKE
 *    on the longest word (its % and _ escaped), every word is then checked
 *    with instr(); ranked by word_similarity, a title's twice.
 * Both lower() a word and the text before instr(): ASCII case folds on
 * SQLite, all of Unicode on PostgreSQL.
 */
#include "store/sql.h"
#include "store/store_knowledge.h"
#include "lib/buf.h"
#include "lib/terms.h"

#include <stdlib.h>
#include <string.h>

/* The documents the SQLite scan of short words reads at most. */
#define SCAN_BOUND "50000"

int sq_fts_quote(struct buf *b, const char *term)
{
	int bad = buf_putc(b, '"');

	for (const char *p = term; *p && !bad; p++)
		bad = *p == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *p);
	return bad || buf_putc(b, '"') ? ERR_TOO_LARGE : 0;
}

int sq_like_pattern(struct buf *b, const char *term)
{
	int bad = buf_putc(b, '%');

	for (const char *p = term; *p && !bad; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			bad = buf_putc(b, '\\');
		bad = bad || buf_putc(b, *p);
	}
	return bad || buf_putc(b, '%') ? ERR_TOO_LARGE : 0;
}

/* The words as a JSON array of strings (those of fewer than three
 * characters when only_short) into *out, the caller frees; NULL when none. */
static int terms_json(const char *const *terms, const size_t *chars, size_t n, int only_short,
		      char **out)
{
	json_t *arr = json_array();
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; arr && i < n; i++)
		if (!only_short || chars[i] < 3)
			rc |= json_array_append_new(arr, json_string(terms[i]));
	if (!arr || rc)
		rc = ERR_INTERNAL;
	else if (json_array_size(arr) && !(*out = json_dumps(arr, JSON_COMPACT)))
		rc = ERR_INTERNAL;
	json_decref(arr);
	return rc;
}

int sq_text_args(int sqlite, const char *const *terms, const size_t *chars, size_t n, int any,
		 struct sq_text *out)
{
	struct buf b;
	size_t longest = 0, nlong = 0;
	int rc = 0;

	out->match = out->check = NULL;
	buf_init(&b, 8192);
	for (size_t i = 0; i < n; i++) {
		if (chars[i] > chars[longest])
			longest = i;
		if (chars[i] < 3)
			continue;
		if (sqlite && nlong++)
			rc |= buf_puts(&b, any ? " OR " : " ");
		if (sqlite)
			rc |= sq_fts_quote(&b, terms[i]);
	}
	if (!sqlite && n && !any)
		rc |= sq_like_pattern(&b, terms[longest]);
	if (rc) {
		buf_release(&b);
		return ERR_INTERNAL;
	}
	if (b.len && !(out->match = buf_detach(&b, NULL)))
		return ERR_INTERNAL;
	buf_release(&b);
	/* SQLite checks the short words of an every-word MATCH, and every
	 * word of a scan; PostgreSQL every word. */
	if (sqlite && out->match && any)
		return 0;
	rc = terms_json(terms, chars, n, sqlite && out->match, &out->check);
	if (rc)
		sq_text_release(out);
	return rc;
}

void sq_text_release(struct sq_text *t)
{
	free(t->match);
	free(t->check);
	t->match = t->check = NULL;
}

/* ---- the search ---- */

/* Whether a record's text x holds the words ?2: every one (?3 = 0) or
 * any (?3 = 1). */
#define HOLDS(x)                                                                                   \
	"((?3 = 0 AND NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE instr(lower(" x              \
	"), lower(j.value)) = 0)) OR (?3 = 1 AND EXISTS (SELECT 1 FROM json_each(?2) j WHERE "    \
	"instr(lower(" x "), lower(j.value)) > 0)))"

#define PROBLEM_TEXT "p.description || ' ' || p.root_cause || ' ' || p.workaround"

/* The records behind the hits (kind, id, rank), each as the asker may see
 * it: ?4 the kinds, ?6 suggest (published articles, known errors), ?7 the
 * service that comes first, ?8 the requester's customer (0: staff), ?9
 * limit, ?10 offset. */
#define FOUND                                                                                      \
	", found(kind, id, key, title, body, status, at, rank, boost) AS ("                       \
	"SELECT 'ticket', t.id, t.key, t.title, t.description, t.status, t.updated_at, h.rank, "   \
	"CASE WHEN t.service = ?7 THEN 1 ELSE 0 END FROM hits h JOIN tickets t ON t.id = h.id "    \
	"WHERE h.kind = 0 AND (?8 = 0 OR t.customer_id = ?8) "                                     \
	"UNION ALL SELECT 'comment', c.id, t.key, t.title, c.body, "                              \
	"CASE WHEN c.public = 1 THEN 'public' ELSE 'internal' END, c.created_at, h.rank, 0 "      \
	"FROM hits h JOIN comments c ON c.id = h.id JOIN tickets t ON t.id = c.ticket_id "         \
	"WHERE h.kind = 1 AND (?8 = 0 OR (t.customer_id = ?8 AND c.public = 1)) "                  \
	"UNION ALL SELECT 'problem', p.id, p.key, p.title, " PROBLEM_TEXT ", p.status, "           \
	"p.updated_at, h.rank, CASE WHEN p.service = ?7 THEN 1 ELSE 0 END "                        \
	"FROM hits h JOIN problems p ON p.id = h.id "                                              \
	"WHERE h.kind = 2 AND ?8 = 0 AND (?6 = 0 OR p.status = 'known_error') "                    \
	"UNION ALL SELECT 'article', a.id, a.key, a.title, a.body, a.status, a.updated_at, "       \
	"h.rank, CASE WHEN EXISTS (SELECT 1 FROM article_links l WHERE l.article_id = a.id "       \
	"AND l.kind = 'service' AND l.ref = ?7) THEN 1 ELSE 0 END "                                \
	"FROM hits h JOIN articles a ON a.id = h.id WHERE h.kind = 3 AND "                         \
	"((?8 = 0 AND ?6 = 0) OR (a.status = 'published' AND (?8 = 0 OR a.visibility = 'public'))))" \
	"SELECT kind, id, key, title, body, status, at FROM found "                                \
	"ORDER BY boost DESC, rank, at DESC, id DESC LIMIT ?9 OFFSET ?10"

/* SQLite, some word of three characters or more: MATCH ?1. */
static const char SQL_SEARCH_MATCH[] =
	"WITH hits(kind, id, rank) AS (SELECT rowid % 4, rowid / 4, bm25(search_fts, 2.0, 1.0) "
	"FROM search_fts WHERE search_fts MATCH ?1 AND ((?4 >> (rowid % 4)) & 1) = 1 "
	"AND NOT EXISTS (SELECT 1 FROM json_each(?2) j "
	"WHERE instr(lower(title || ' ' || body), lower(j.value)) = 0))" FOUND;
/* SQLite, only words too short for trigrams: the newest documents scanned.
 * ?11 is the first word: a document without it is passed over before the
 * check of every word (json_each per row) when every word must occur. */
static const char SQL_SEARCH_SCAN[] =
	"WITH hits(kind, id, rank) AS (SELECT f.rowid % 4, f.rowid / 4, 0.0 FROM "
	"(SELECT rowid, title, body FROM search_fts WHERE ((?4 >> (rowid % 4)) & 1) = 1 "
	"ORDER BY rowid DESC LIMIT " SCAN_BOUND ") f WHERE (?3 = 1 OR "
	"instr(lower(f.title || ' ' || f.body), lower(?11)) > 0) AND "
	HOLDS("f.title || ' ' || f.body") ")" FOUND;
/* PostgreSQL: ILIKE ?1 on the trigram indexes, every word checked; ranked
 * by word_similarity to ?5 (the query), a title's counting twice as the
 * FTS5 rank weighs it. */
#define PG_KIND(n, bit, table, title, x)                                                           \
	"SELECT " #n ", id, -(2 * word_similarity(?5, " title ") + word_similarity(?5, " x        \
	")) FROM " table " WHERE (?4 & " #bit ") <> 0 AND (?1 IS NULL OR (" x                     \
	") ILIKE ?1 ESCAPE '\\') AND " HOLDS(x)
static const char SQL_SEARCH_PG[] =
	"WITH hits(kind, id, rank) AS ("
	PG_KIND(0, 1, "tickets", "title", "title || ' ' || description") " UNION ALL "
	PG_KIND(1, 2, "comments", "''", "body") " UNION ALL "
	PG_KIND(2, 4, "problems p", "p.title", "p.title || ' ' || " PROBLEM_TEXT) " UNION ALL "
	PG_KIND(3, 8, "articles", "title", "title || ' ' || body") ")" FOUND;

static json_t *hit_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I}", "kind", db_cstr(s, 0) ?: "", "id",
			 (json_int_t)db_int(s, 1), "key", db_cstr(s, 2) ?: "", "title",
			 db_cstr(s, 3) ?: "", "text", db_cstr(s, 4) ?: "", "status",
			 db_cstr(s, 5) ?: "", "at", (json_int_t)db_int(s, 6));
}

int sq_search(struct store *st, const struct search_query *q, json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	int sqlite = sq_is_sqlite(c);
	struct sq_text t;
	struct buf words;
	struct db_stmt *s;
	int rc;

	*out = NULL;
	if (sq_text_args(sqlite, q->terms, q->chars, q->nterms, q->any, &t))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	buf_init(&words, 8192);
	for (size_t i = 0; i < q->nterms; i++)
		if (buf_printf(&words, "%s%s", i ? " " : "", q->terms[i])) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
	s = db_stmt(c, !sqlite ? SQL_SEARCH_PG : t.match ? SQL_SEARCH_MATCH : SQL_SEARCH_SCAN, e);
	if (!s) {
		rc = ERR_INTERNAL;
		goto out;
	}
	db_bind_text(s, 1, t.match);
	db_bind_text(s, 2, t.check);
	db_bind_int(s, 3, q->any);
	db_bind_int(s, 4, q->kinds);
	if (!sqlite)
		db_bind_str(s, 5, buf_str(&words));
	db_bind_int(s, 6, q->suggest);
	db_bind_text(s, 7, q->service);
	db_bind_int(s, 8, q->customer_id);
	db_bind_int(s, 9, q->limit + 1);
	db_bind_int(s, 10, q->offset);
	if (sqlite && !t.match)
		db_bind_str(s, 11, q->nterms ? q->terms[0] : "");
	rc = db_json(s, hit_json, out, e);
out:
	buf_release(&words);
	sq_text_release(&t);
	return rc;
}
