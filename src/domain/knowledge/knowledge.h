/*
 * knowledge.h — the knowledge base: articles (KB-n) in Markdown, every
 * version kept, linked to services, configuration items and problems; the
 * full-text search over tickets, comments, problems and articles; and the
 * articles and known errors suggested for a new ticket.
 *
 * Invariants kept here and nowhere else:
 *  - status moves follow the lifecycle table (knowledge_can_move): draft →
 *    published → retired, draft → retired; retired is terminal; a move
 *    the table refuses is ERR_TRANSITION;
 *  - every change (an edit, a move) names the version it read (a stale one
 *    is ERR_CONFLICT), makes the next version, keeps it in the versions
 *    table, and appends the audit record for "article:KEY" in the same
 *    transaction; an edit that changes nothing makes no version;
 *  - agents, managers and admins write articles; a requester reads only
 *    published public articles (and of their versions only those that were
 *    published and public): any other is "not found", as another
 *    customer's ticket is; event-only tokens and operators write nothing;
 *  - the body is Markdown and leaves only as Markdown ("body") or as the
 *    HTML cmark renders with raw HTML omitted and unsafe links dropped
 *    ("html", md_to_html of render/markdown.h): never as raw HTML;
 *  - a search query is words (lib/terms.h), never a query language: 1-200
 *    characters, at most 16 words, else ERR_INVALID on "q"; a requester
 *    finds only what they could read (their customer's tickets, their
 *    public comments, published public articles, no problem);
 *  - a snippet is plain text with the hits as character offsets, and as
 *    HTML escaped first and marked after: the text can never become markup.
 */
#ifndef ITSM_DOMAIN_KNOWLEDGE_H
#define ITSM_DOMAIN_KNOWLEDGE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* ---- rules as data (knowledge_rules.c) ------------------------------- */

enum article_status { AS_DRAFT, AS_PUBLISHED, AS_RETIRED, AS__COUNT };

const char *knowledge_status_name(enum article_status s);
/* 0 and *out, or -1 for a name that is not a status. */
int knowledge_status_parse(const char *name, enum article_status *out);
int knowledge_can_move(enum article_status from, enum article_status to);

/* A snippet of text around the first place one of the n words occurs
 * (case folded for ASCII): {"snippet": text of at most about 160
 * characters, "highlights": [[start, end], …] in characters of the
 * snippet, "snippet_html": the snippet HTML-escaped with each hit in
 * <mark>…</mark>}. A new reference; NULL when out of memory. */
json_t *knowledge_snippet(const char *text, const char *const *words, size_t n);

/* ---- operations (article.c, search.c) ---------------------------------- */

/* Each returns 0 and a new JSON reference in *out (caller json_decref()s),
 * or a negative ERR_* with e filled in and nothing changed. */

/* {"title", "body", "visibility": internal|public, "services": [KEY],
 *  "items": [CI KEY], "problems": [PRB-n]} → 201, a draft at version 1. */
int knowledge_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e);
/* The article with its links, "body" and "html". */
int knowledge_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		       struct err *e);
/* Query: status, visibility, service, cursor, limit. */
int knowledge_list_json(struct store *st, const struct actor *a, const json_t *query,
			json_t **out, struct err *e);
/* PATCH {"version", any of title, body, visibility, services, items,
 * problems}: the next version. */
int knowledge_edit(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
/* {"version"}: draft → published, → retired. */
int knowledge_publish(struct store *st, const struct actor *a, const char *key,
		      const json_t *in, json_t **out, struct err *e);
int knowledge_retire(struct store *st, const struct actor *a, const char *key, const json_t *in,
		     json_t **out, struct err *e);
/* {"items": [{"version", "title", "status", "edited_by", "edited_at"}]}. */
int knowledge_versions_json(struct store *st, const struct actor *a, const char *key,
			    json_t **out, struct err *e);
/* Version n ("2") as it stood, with "body" and "html". */
int knowledge_version_json(struct store *st, const struct actor *a, const char *key,
			   const char *n, json_t **out, struct err *e);

/* Query: q, kind (a comma-separated list of ticket, comment, problem,
 * article; all by default), limit (1-100, 20), cursor (an offset) →
 * {"items": [{"kind", "key", "title", "status", "ticket" (a comment's),
 * "id", "snippet", "highlights", "snippet_html", "at"}], "next_cursor"}. */
int knowledge_search_json(struct store *st, const struct actor *a, const json_t *query,
			  json_t **out, struct err *e);
/* Query: title (required), service → {"articles": [...], "known_errors":
 * [...]}, items as the search's: published articles the asker may read and
 * problems in known_error (for staff only), at most 5 of each, those of the
 * service first, then by rank. */
int knowledge_suggest_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e);

#endif
