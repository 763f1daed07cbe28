/*
 * model/attach.h — the records of files on tickets and of links between
 * tickets, as the store hands them out.
 *
 * Plain data: no rules, no I/O (the rules are domain/attach/ and
 * domain/desk/ticket_links.c). Strings marked "owned" are freed by the
 * release functions below.
 */
#ifndef ITSM_MODEL_ATTACH_H
#define ITSM_MODEL_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#define ATTACH_FILENAME_MAX 255
#define ATTACH_TYPE_MAX 63
#define ATTACH_HASH_HEX 65 /* 64 hex digits and the NUL */

/* One file on a ticket (and, optionally, on one of its comments). */
struct attachment {
	int64_t id;
	int64_t ticket_id;
	char ticket_key[24];       /* filled on read */
	int64_t customer_id;       /* the ticket's; filled on read */
	int64_t comment_id;        /* 0: on the ticket itself */
	char sha256[ATTACH_HASH_HEX];
	char filename[ATTACH_FILENAME_MAX + 1];
	char content_type[ATTACH_TYPE_MAX + 1];
	int64_t size;
	int public;
	char source[16];           /* upload, mail, merge */
	int64_t created_by;        /* 0: the system */
	char creator[64];          /* filled on read */
	int64_t created_at;
	unsigned char *data;       /* owned: NULL unless asked for */
	size_t data_len;
};

/* The kinds of link, as stored (ticket_links.kind). */
enum link_kind { LINK_PARENT, LINK_DUPLICATE_OF, LINK_RELATED, LINK__COUNT };

/* One link as stored: ticket → other. */
struct ticket_link {
	int64_t id;
	int64_t ticket_id, other_id;
	char ticket_key[24], other_key[24];        /* filled on read */
	int64_t ticket_customer, other_customer;   /* filled on read */
	enum link_kind kind;
	int64_t created_by;
	char creator[64];                          /* filled on read */
	int64_t created_at;
};

const char *link_kind_name(enum link_kind k);
int link_kind_parse(const char *s, enum link_kind *k);

void attachment_release(struct attachment *a);
void attach_free(struct attachment *a, size_t n);

#endif
