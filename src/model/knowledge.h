/*
 * model/knowledge.h — the knowledge module's records as the store hands
 * them out: an article (KB-n), the filter of an article list, and a search
 * as the store runs it (the words already split, lib/terms.h).
 *
 * Plain data: no rules, no I/O (the rules are domain/knowledge/). Strings
 * marked "owned" are freed by article_release.
 */
#ifndef ITSM_MODEL_KNOWLEDGE_H
#define ITSM_MODEL_KNOWLEDGE_H

#include <stddef.h>
#include <stdint.h>

#define ARTICLE_TITLE_MAX 200
#define ARTICLE_BODY_MAX 262144

struct article {
	int64_t id;
	char key[24];         /* "KB-3" */
	char *title;          /* owned */
	char *body;           /* owned: Markdown */
	char visibility[16];  /* internal, public */
	char status[16];      /* draft, published, retired */
	char created_by[64], updated_by[64];
	int64_t created_at, updated_at, published_at, version;
};

struct article_filter {
	const char *status;     /* NULL: every status */
	const char *visibility; /* NULL: both */
	const char *service;    /* NULL: any; else linked to that service */
	int64_t after_id;       /* 0: from the first */
	int limit;
};

/* The kinds of record the index holds, as bits of search_query.kinds; the
 * order is the index's (a document's rowid is id * 4 + kind on SQLite). */
enum search_kind { SK_TICKET, SK_COMMENT, SK_PROBLEM, SK_ARTICLE, SK__COUNT };

struct search_query {
	const char *const *terms; /* the words, each at least one character */
	const size_t *chars;      /* each word's length in characters */
	size_t nterms;
	int any;          /* 1: a record holding any word; 0: every word */
	unsigned kinds;   /* 1u << enum search_kind for each kind searched */
	/* Who asks: 0 for staff (everything); a requester's customer id
	 * (-2 when none): only that customer's tickets, their public
	 * comments, published public articles, no problem. */
	int64_t customer_id;
	int suggest;         /* published articles and known errors only */
	const char *service; /* NULL; else its records (and articles linked
			      * to it) come first */
	int offset, limit;
};

void article_release(struct article *a);
/* Free an array the store hands out, elements included. */
void article_free_array(struct article *a, size_t n);

#endif
