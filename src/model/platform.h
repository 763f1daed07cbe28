/*
 * model/platform.h — the platform's records as the store hands them out:
 * roles, customers, users, API tokens, audit records and console sessions.
 *
 * Plain data: no rules, no I/O. The domain (domain/platform/) decides what
 * may be written; a store backend (store/) reads and writes these rows.
 */
#ifndef ITSM_MODEL_PLATFORM_H
#define ITSM_MODEL_PLATFORM_H

#include <stdint.h>

enum role { ROLE_REQUESTER, ROLE_AGENT, ROLE_OPERATOR, ROLE_MANAGER, ROLE_ADMIN, ROLE_SYSTEM };

/* The name that stands for the system where a user's would be (the
 * requester of a ticket the system opened, docs/desk.md): no user takes it. */
#define USERNAME_SYSTEM "system"

/* "requester", "agent", "operator", "manager", "admin" ("system" is never
 * parsed: only the server and the CLI act as it). parse: 0, or -1. */
int role_parse(const char *s, enum role *out);
const char *role_name(enum role r);

struct customer {
	int64_t id;
	char key[64];
	char name[200];
	char status[16]; /* "active" or "retired": a retired one opens no tickets */
	int64_t created_at, updated_at, version;
};

struct user {
	int64_t id;
	char username[64];
	char name[200];
	enum role role;
	int64_t customer_id;
	char customer[64];
	char email[200];
	char groups[256];        /* comma-separated group names */
	char password_hash[160]; /* crypto_pwhash_STRBYTES is 128 */
	char phone[40];          /* "" when none (a contact added with a ticket) */
	int active;
	int64_t created_at, updated_at, version;
};

#define TOKEN_HASH_LEN 32

struct token {
	int64_t id, user_id;
	char name[64];
	char scope[16]; /* "all" or "events" */
	uint8_t hash[TOKEN_HASH_LEN];
	int64_t created_at;
	int revoked;
	int64_t expires_at;   /* 0: never */
	int64_t last_used_at; /* 0: never; touched at most once a minute */
	char user[64];        /* its user's name, where the store reads it */
};

#define AUDIT_HASH_LEN 32

/* One record of the audit chain (domain/platform/audit.h). */
struct audit_rec {
	int64_t seq;
	int64_t at;
	char actor[64];
	char action[32];  /* "ticket.create", "user.add", … */
	char entity[64];  /* "ticket:INC-42" */
	const char *change; /* canonical JSON text (borrowed) */
	uint8_t prev[AUDIT_HASH_LEN];
	uint8_t hash[AUDIT_HASH_LEN];
};

/* A console session: only the hash of its token is kept. */
struct session_row {
	uint8_t hash[32];
	int64_t user_id;
	char csrf[64];
	int64_t created_at, last_seen;
};

#endif
