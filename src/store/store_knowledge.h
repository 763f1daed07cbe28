/*
 * store_knowledge.h — the store operations of the knowledge module (see
 * store.h): articles, every version of each, what they concern, and the
 * full-text search over tickets, comments, problems and articles.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). A struct article handed out
 * owns its strings (article_release); JSON handed out is a new reference
 * the caller json_decref()s.
 *
 * Invariants the backend keeps: article keys are unique; an update applies
 * only when the stored version is the one before (else ERR_CONFLICT on
 * "version"); a version is written once; the search index follows every
 * write of the records it holds inside that write's transaction (the
 * migration's triggers on SQLite, the records' own columns on PostgreSQL).
 */
#ifndef ITSM_STORE_KNOWLEDGE_H
#define ITSM_STORE_KNOWLEDGE_H

#include <jansson.h>

#include "model/knowledge.h"
#include "store/store.h"

struct store_knowledge_ops {
	/* Insert a (id set on success; key, times and version 1 as given). */
	int (*insert)(struct store_tx *tx, struct article *a, struct err *e);
	/* Update when the stored version equals a->version - 1. */
	int (*update)(struct store_tx *tx, const struct article *a, struct err *e);
	/* By key; ERR_NOT_FOUND (e untouched) when none. */
	int (*get)(struct store *st, struct store_tx *tx, const char *key, struct article *a,
		   struct err *e);
	/* Id order after f->after_id, at most f->limit; *more when another follows. */
	int (*list)(struct store *st, const struct article_filter *f, struct article **out,
		    size_t *n, int *more, struct err *e);

	/* What an article concerns: {"services": [KEY…], "items": […],
	 * "problems": […]}, each in key order. */
	int (*links_get)(struct store *st, struct store_tx *tx, int64_t article_id, json_t **out,
			 struct err *e);
	/* Replace them by links (the same shape). */
	int (*links_set)(struct store_tx *tx, int64_t article_id, const json_t *links,
			 struct err *e);

	/* Record a as its version a->version stands, with its links. */
	int (*version_add)(struct store_tx *tx, const struct article *a, const json_t *links,
			   struct err *e);
	/* Version n of an article: {"version", "title", "body", "visibility",
	 * "status", "links", "edited_by", "edited_at"}; ERR_NOT_FOUND (e
	 * untouched) when none. */
	int (*version_get)(struct store *st, int64_t article_id, int64_t version, json_t **out,
			   struct err *e);
	/* Every version, oldest first: [{"version", "title", "status",
	 * "edited_by", "edited_at"}]. */
	int (*versions)(struct store *st, int64_t article_id, json_t **out, struct err *e);

	/* The records q finds, best first: [{"kind", "id", "key", "title",
	 * "text", "status", "at"}] ("key" a comment's ticket; "text" the
	 * text the words were found in, for the snippet; "at" ms). At most
	 * q->limit + 1 rows from q->offset, so the caller knows whether more
	 * follow. */
	int (*search)(struct store *st, const struct search_query *q, json_t **out,
		      struct err *e);
};

#endif
