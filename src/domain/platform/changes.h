/*
 * changes.h — what a server tells the other servers sharing its store, and
 * what it does when they tell it something. One server needs none of it;
 * several on one PostgreSQL database need it so that a revoked token, a
 * disabled user or a new ticket is seen by every server within a second.
 *
 * Invariants:
 *  - an announcement is made inside the write it speaks of, so the others
 *    hear it only when that write commits;
 *  - the server that made the change acts on it itself (after the commit)
 *    and ignores its own announcement;
 *  - after a gap in what a server heard (its connection was lost), it
 *    forgets every cached token (token_heard): a revocation it missed is
 *    never honoured late.
 */
#ifndef ITSM_CHANGES_H
#define ITSM_CHANGES_H

#include <stdint.h>

#include "lib/err.h"
#include "model/platform.h"
#include "store/store.h"

/* A ticket notice for the live change stream (bus topic "ticket"). */
int changes_ticket(struct store_tx *tx, int64_t audience, const char *text, struct err *e);
/* Start acting on what other servers announce (the server, at start). */
int changes_follow(struct store *st, struct err *e);

#endif
