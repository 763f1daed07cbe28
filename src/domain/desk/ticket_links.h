/*
 * ticket_links.h — links between tickets (parent/child, duplicate of,
 * related) and merging a duplicate into its original (docs/attachments.md).
 *
 * Invariants kept here:
 *  - no ticket is linked to itself; a ticket has one parent at most and
 *    the parent/child links never make a cycle;
 *  - both ends of a link are visible to whoever makes, undoes or lists it
 *    (an end the caller may not see is "not found");
 *  - every link made or undone is in both tickets' history and in the
 *    audit chain ("link:ID");
 *  - a merge copies the duplicate's comments into the original (each
 *    marked with where it came from), links the two (duplicate_of) and
 *    closes the duplicate, in one write; a closed end, two customers, or a
 *    ticket merged into itself is refused and nothing is written.
 */
#ifndef ITSM_TICKET_LINKS_H
#define ITSM_TICKET_LINKS_H

#include <jansson.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* in: {"kind": "parent"|"child"|"duplicate_of"|"related", "ticket": REF};
 * "parent": REF is ref's parent; "child": REF is ref's child. 201's body
 * in *out: the link as ref lists it. */
int ticket_link_add(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		    json_t **out, struct err *e);
/* The links of ref, each seen from ref: {"id", "kind" (parent, child,
 * duplicate_of, duplicated_by, related), "ticket", "created_by",
 * "created_at"}; links to tickets a may not see are left out. */
int ticket_links_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		      struct err *e);
/* Undo link id of ref. */
int ticket_link_delete(struct store *st, const struct actor *a, const char *ref, int64_t id,
		       struct err *e);
/* in: {"into": REF}. *out: {"ticket": the duplicate's state, "into": REF,
 * "comments": N copied, "link": id}. */
int ticket_merge(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		 json_t **out, struct err *e);

#endif
