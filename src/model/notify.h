/*
 * model/notify.h — the notification module's records as the store hands
 * them out: an edited template, a user's notification settings and one
 * queued notification's Message-ID.
 *
 * Plain data: no rules, no I/O (the rules are domain/notify/). Fixed-size
 * fields only: nothing to release.
 */
#ifndef ITSM_MODEL_NOTIFY_H
#define ITSM_MODEL_NOTIFY_H

#include <stdint.h>

#define NOTIFY_SUBJECT_MAX 400
#define NOTIFY_BODY_MAX 8000
#define NOTIFY_MSGID_MAX 255

struct notify_template {
	int64_t id;
	char event[16];
	char lang[4];
	char subject[NOTIFY_SUBJECT_MAX + 1];
	char body[NOTIFY_BODY_MAX + 1];
	char updated_by[64];
	int64_t updated_at, version;
};

/* A user's settings; a user without a stored row has lang "en", off "". */
struct notify_prefs {
	int64_t id, user_id;
	char lang[4];
	char off[160]; /* events switched off, comma-separated */
	int64_t updated_at, version;
};

struct notify_sent {
	int64_t id;
	char message_id[NOTIFY_MSGID_MAX + 1];
	int64_t ticket_id, seq, user_id, created_at;
	char event[16];
	char recipient[200]; /* the address it was sent to (the user's then) */
};

#endif
