/*
 * model/mail.h — the mail module's record as the store hands it out: one
 * received message, what became of it, and the raw message as it came.
 *
 * Plain data: no rules, no I/O (the rules are domain/mail/). Strings marked
 * "owned" are freed by mail_message_release.
 */
#ifndef ITSM_MODEL_MAIL_H
#define ITSM_MODEL_MAIL_H

#include <stddef.h>
#include <stdint.h>

#define MAIL_MSGID_MAX 255
#define MAIL_ADDR_MAX 254
#define MAIL_SUBJECT_MAX 998
#define MAIL_QUEUE_MAX 64
#define MAIL_REASON_MAX 255

/* What became of a message; the names are stored. */
enum mail_outcome { MAIL_CREATED, MAIL_COMMENTED, MAIL_REFUSED, MAIL_IGNORED, MAIL__COUNT };

struct mail_message {
	int64_t id;
	char message_id[MAIL_MSGID_MAX + 1];
	char queue[MAIL_QUEUE_MAX + 1];
	char from_addr[MAIL_ADDR_MAX + 1];
	char subject[MAIL_SUBJECT_MAX + 1];
	enum mail_outcome outcome;
	char reason[MAIL_REASON_MAX + 1];
	int64_t ticket_id;        /* 0: none */
	char ticket_key[24];      /* filled on read */
	int64_t comment_id;       /* 0: none */
	int64_t user_id;          /* the sender's user; 0: none */
	char username[64];        /* filled on read */
	char *body;               /* owned: the text part as UTF-8 */
	unsigned char *raw;       /* owned: NULL unless asked for */
	size_t raw_len;
	int64_t raw_size;
	int64_t received_at;
};

const char *mail_outcome_name(enum mail_outcome o);
int mail_outcome_parse(const char *s, enum mail_outcome *o);
void mail_message_release(struct mail_message *m);
void mail_free_messages(struct mail_message *m, size_t n);

#endif
