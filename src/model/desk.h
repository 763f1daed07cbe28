/*
 * model/desk.h — the service desk's records as the store hands them out:
 * tickets with their comments and field history, the filter a list takes,
 * satisfaction ratings, and the dashboard's ticket statistics.
 *
 * Plain data and the names of its enums: no rules, no I/O. The lifecycle
 * and priority rules live in domain/desk/; a store backend reads and writes
 * these rows. Strings marked "owned" are freed by the *_release functions.
 */
#ifndef ITSM_MODEL_DESK_H
#define ITSM_MODEL_DESK_H

#include <stddef.h>
#include <stdint.h>

enum ticket_kind { KIND_INCIDENT, KIND_REQUEST, KIND_INQUIRY, KIND__COUNT };
enum ticket_status {
	ST_NEW,
	ST_ASSIGNED,
	ST_IN_PROGRESS,
	ST_PENDING,
	ST_RESOLVED,
	ST_CLOSED,
	ST_CANCELLED,
	ST__COUNT
};

struct ticket {
	int64_t id;
	char key[24];
	enum ticket_kind kind;
	char *title;       /* owned; freed by ticket_release */
	char *description; /* owned */
	int impact, urgency, priority;
	enum ticket_status status;
	int64_t requester_id, assignee_id, customer_id;
	char requester[64], assignee[64], customer[64]; /* names, filled on read */
	char service[64];   /* catalogue service key, "" when none */
	char channel[16];   /* web, api, email, phone, walk_in, monitoring */
	char group[64];     /* assignment group, "" when none */
	int64_t created_at, updated_at, resolved_at, closed_at;
	int64_t version;
};

struct comment {
	int64_t id, ticket_id, author_id;
	char author[64];
	char *body; /* owned */
	int public;
	int64_t created_at;
};

struct history_entry {
	int64_t id, ticket_id, at, actor_id;
	char actor[64];
	char field[32];
	char *old_value, *new_value; /* owned, may be NULL */
};

struct ticket_filter {
	unsigned statuses; /* 1u << status for each status taken; 0 any */
	int kind;       /* -1 any */
	int priority;   /* 0 any */
	int64_t assignee_id;   /* 0 any, -1 unassigned */
	int64_t customer_id;   /* 0 any */
	int64_t requester_id;  /* 0 any, -1 none (the system's) */
	const char *q;         /* text search over title and description */
	const char *groups;    /* JSON array of group names taken; NULL any */
	int64_t after_id;      /* cursor: ids below this one (0 = from the newest) */
	int limit;
};

/* Kinds ("incident", key prefix "INC", …) and statuses ("in_progress") as
 * text and back; parse: 0, or -1 for an unknown name. */
const char *ticket_kind_name(enum ticket_kind k);
const char *ticket_kind_prefix(enum ticket_kind k);
int ticket_kind_parse(const char *s, enum ticket_kind *out);
const char *ticket_status_name(enum ticket_status s);
int ticket_status_parse(const char *s, enum ticket_status *out);

void ticket_release(struct ticket *t);
void comment_release(struct comment *c);
void history_release(struct history_entry *h);
/* Free arrays handed out by the list operations, elements included. */
void ticket_free_array(struct ticket *t, size_t n);
void comment_free_array(struct comment *c, size_t n);
void history_free_array(struct history_entry *h, size_t n);

struct rating {
	int64_t id, ticket_id, customer_id, rater_id;
	char rater[64];
	int score;     /* 1 (poor) … 5 (excellent) */
	char *comment; /* owned; freed by rating_release; never NULL once read */
	int64_t created_at;
};

void rating_release(struct rating *r);

/* The dashboard's aggregates (domain/desk/stats.h). */
struct stats_query {
	int64_t customer_id;        /* 0: every customer */
	int64_t from, to;           /* the month: [from, to), UTC seconds */
};

/* Open tickets counted by (kind, priority, service): the cube the dashboard
 * slices. A small table: kinds × priorities × services. */
struct stats_cell {
	enum ticket_kind kind;
	int priority;
	char service[64]; /* "" when none */
	int64_t count;
};

struct ticket_stats {
	int64_t by_status[ST__COUNT];
	struct stats_cell *open; /* owned: free with ticket_stats_release */
	size_t n_open;
	int64_t resolved;           /* resolved within the month */
	int64_t rated, rated_month; /* number of ratings: all time, this month */
	double mean, mean_month;    /* mean score; 0 when none */
};

void ticket_stats_release(struct ticket_stats *s);

#endif
